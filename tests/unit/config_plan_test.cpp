// config_writer's make_plan: given settings and a snapshot of what is on disk (a value), decide
// which files to write, keep or refuse. Pure, so each situation is a row: absent files, foreign,
// ours, rewritten by ZooKeeper, --overwrite-config, --keep-config, myid mismatches, myid_only.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core_fixtures.hpp"
#include "entrypoint/config_writer.hpp"
#include "entrypoint/logging_config.hpp"
#include "entrypoint/ownership.hpp"
#include "entrypoint/zoo_cfg.hpp"

namespace zkagent::entrypoint {
namespace {

using testing::describe;

constexpr std::string_view version = "test";
const std::string members = "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181";

// Member 1 of a compose ensemble with the default folders (/conf, /data).
settings member_settings(const env_map& more_env = {}) {
  auto in = testing::compose_inputs("zoo1");
  in.env = more_env;
  in.env["ZOO_MY_ID"] = "1";
  in.env["ZOO_SERVERS"] = members;
  const auto r = resolve(in);
  EXPECT_TRUE(r.diag.ok()) << describe(r.diag);
  return r.value;
}

conf_snapshot empty_snapshot() {
  conf_snapshot snap;
  for (const auto name : managed_files) snap.conf_files[std::string(name)] = std::nullopt;
  return snap;
}

std::string action_name(file_action action) {
  switch (action) {
    case file_action::write: return "write";
    case file_action::keep_theirs: return "keep_theirs";
    case file_action::keep_as_is: return "keep_as_is";
    case file_action::keep_ours: return "keep_ours";
  }
  return "?";
}

std::vector<std::string> summary(const write_plan& plan) {
  std::vector<std::string> out;
  for (const auto& f : plan.files) out.push_back(f.path + " " + action_name(f.action));
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += item + "\n";
  return out;
}

const planned_file* file_at(const write_plan& plan, std::string_view path) {
  for (const auto& f : plan.files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

const std::vector<std::string> write_all{
    "/data/myid write", "/conf/zoo.cfg write", "/conf/log4j.properties write", "/conf/logback.xml write",
    "/conf/java.env write"};

struct plan_case {
  std::string name;
  std::function<void(settings&, conf_snapshot&)> setup;
  write_scope scope;
  std::vector<std::string> files;     // "path action", in plan order
  std::vector<std::string> warnings;  // substrings, one per warning
};

TEST(config_plan, decides_every_file_from_the_snapshot) {
  const std::string foreign_cfg = "tickTime=2000\ndataDir=/data\n";
  const std::vector<plan_case> cases{
      {"nothing on disk: write everything", [](settings&, conf_snapshot&) {}, write_scope::everything, write_all, {}},
      {"nothing on disk, not even map entries", [](settings&, conf_snapshot& snap) { snap.conf_files.clear(); },
       write_scope::everything, write_all, {}},
      {"--overwrite-config replaces a foreign zoo.cfg",
       [&](settings& s, conf_snapshot& snap) {
         s.overwrite_config = true;
         snap.conf_files["zoo.cfg"] = foreign_cfg;
       },
       write_scope::everything, write_all, {"replacing /conf/zoo.cfg (--overwrite-config)"}},
      {"--overwrite-config with nothing to replace", [](settings& s, conf_snapshot&) { s.overwrite_config = true; },
       write_scope::everything, write_all, {}},
      {"--keep-config keeps an existing zoo.cfg",
       [&](settings& s, conf_snapshot& snap) {
         s.keep_config = true;
         snap.conf_files["zoo.cfg"] = foreign_cfg;
       },
       write_scope::everything,
       {"/data/myid write", "/conf/zoo.cfg keep_as_is", "/conf/log4j.properties write", "/conf/logback.xml write",
        "/conf/java.env write"},
       {}},
      {"our own zoo.cfg is rewritten",
       [](settings& s, conf_snapshot& snap) {
         const auto previous = render_zoo_cfg(s, "older").zoo_cfg;
         snap.conf_files["zoo.cfg"] = previous;
         snap.marker["zoo.cfg"] = fingerprint(previous);
       },
       write_scope::everything, write_all, {}},
      {"foreign logging configs and java.env are kept",
       [](settings&, conf_snapshot& snap) {
         snap.conf_files["log4j.properties"] = "log4j.rootLogger=DEBUG, FILE\n";
         snap.conf_files["logback.xml"] = "<configuration/>\n";
         snap.conf_files["java.env"] = "export JVMFLAGS=-Xmx300m\n";
       },
       write_scope::everything,
       {"/data/myid write", "/conf/zoo.cfg write", "/conf/log4j.properties keep_theirs",
        "/conf/logback.xml keep_theirs", "/conf/java.env keep_theirs"},
       {}},
      {"our logging configs are replaced",
       [](settings&, conf_snapshot& snap) {
         const auto log4j = render_log4j_properties("DEBUG", "older");
         snap.conf_files["log4j.properties"] = log4j;
         snap.marker["log4j.properties"] = fingerprint(log4j);
       },
       write_scope::everything, write_all, {}},
      {"the same myid is kept", [](settings&, conf_snapshot& snap) { snap.myid_content = "1\n"; },
       write_scope::everything,
       {"/data/myid keep_ours", "/conf/zoo.cfg write", "/conf/log4j.properties write", "/conf/logback.xml write",
        "/conf/java.env write"},
       {}},
      {"--force-myid replaces another id",
       [](settings& s, conf_snapshot& snap) {
         s.force_myid = true;
         snap.myid_content = "3\n";
       },
       write_scope::everything, write_all, {"replacing /data/myid (--force-myid)"}},
      {"a standalone server without an id writes no myid",
       [](settings& s, conf_snapshot&) {
         s.myid.reset();
         s.servers.clear();
       },
       write_scope::everything,
       {"/conf/zoo.cfg write", "/conf/log4j.properties write", "/conf/logback.xml write", "/conf/java.env write"}, {}},
      {"myid_only writes only myid", [](settings&, conf_snapshot&) {}, write_scope::myid_only, {"/data/myid write"},
       {}},
      {"myid_only ignores a foreign zoo.cfg",
       [&](settings&, conf_snapshot& snap) { snap.conf_files["zoo.cfg"] = foreign_cfg; }, write_scope::myid_only,
       {"/data/myid write"}, {}},
      {"myid_only keeps the same id", [](settings&, conf_snapshot& snap) { snap.myid_content = "1"; },
       write_scope::myid_only, {"/data/myid keep_ours"}, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto s = member_settings();
    auto snap = empty_snapshot();
    c.setup(s, snap);
    const auto plan = make_plan(s, snap, version, c.scope);
    ASSERT_TRUE(plan.ok()) << plan.err().message;
    EXPECT_EQ(summary(plan.value()), c.files) << joined(summary(plan.value()));
    ASSERT_EQ(plan.value().warnings.size(), c.warnings.size()) << joined(plan.value().warnings);
    for (std::size_t i = 0; i < c.warnings.size(); ++i) {
      EXPECT_NE(plan.value().warnings[i].find(c.warnings[i]), std::string::npos) << plan.value().warnings[i];
    }
  }
}

TEST(config_plan, written_files_carry_their_content_and_marker_names) {
  const auto s = member_settings();
  const auto plan = make_plan(s, empty_snapshot(), version, write_scope::everything);
  ASSERT_TRUE(plan.ok()) << plan.err().message;
  const auto* myid = file_at(plan.value(), "/data/myid");
  ASSERT_NE(myid, nullptr);
  EXPECT_EQ(myid->content, "1\n");
  EXPECT_EQ(myid->marker_name, "");  // outside the conf dir: not in the marker
  const auto* zoo = file_at(plan.value(), "/conf/zoo.cfg");
  ASSERT_NE(zoo, nullptr);
  EXPECT_EQ(zoo->content, render_zoo_cfg(s, version).zoo_cfg);
  EXPECT_EQ(zoo->marker_name, "zoo.cfg");
  const auto* log4j = file_at(plan.value(), "/conf/log4j.properties");
  ASSERT_NE(log4j, nullptr);
  EXPECT_EQ(log4j->content, render_log4j_properties("INFO", version));
  EXPECT_EQ(log4j->marker_name, "log4j.properties");
  const auto* logback = file_at(plan.value(), "/conf/logback.xml");
  ASSERT_NE(logback, nullptr);
  EXPECT_EQ(logback->content, render_logback_xml("INFO", version));
  const auto* java_env = file_at(plan.value(), "/conf/java.env");
  ASSERT_NE(java_env, nullptr);
  EXPECT_EQ(java_env->marker_name, "java.env");
  std::string flags;
  for (const auto& flag : s.jvm_flags) flags += (flags.empty() ? "" : " ") + flag;
  EXPECT_EQ(java_env->content, "# Generated by zkagent test: the JVM flags it starts ZooKeeper with, for tools that "
                               "source java.env.\nSERVER_JVMFLAGS=\"" + flags + "\"\n");
}

TEST(config_plan, kept_files_say_why) {
  auto s = member_settings();
  s.keep_config = true;
  auto snap = empty_snapshot();
  snap.conf_files["zoo.cfg"] = "tickTime=2000\n";
  snap.conf_files["java.env"] = "ZK_SERVER_HEAP=300\n";
  snap.conf_files["log4j.properties"] = "log4j.rootLogger=INFO\n";
  snap.myid_content = "1\n";
  const auto plan = make_plan(s, snap, version, write_scope::everything);
  ASSERT_TRUE(plan.ok()) << plan.err().message;
  EXPECT_EQ(file_at(plan.value(), "/conf/zoo.cfg")->note, "kept (--keep-config)");
  EXPECT_EQ(file_at(plan.value(), "/conf/java.env")->note, "kept (not zkagent's; its JVM settings are used)");
  EXPECT_EQ(file_at(plan.value(), "/conf/log4j.properties")->note, "kept (not zkagent's)");
  EXPECT_EQ(file_at(plan.value(), "/data/myid")->note, "unchanged");
}

TEST(config_plan, refuses_with_an_error_that_changes_nothing) {
  struct refusal_case {
    std::string name;
    std::function<void(settings&, conf_snapshot&)> setup;
    write_scope scope;
    error_kind kind;
    std::vector<std::string> parts;
  };
  const std::vector<refusal_case> cases{
      {"a foreign zoo.cfg",
       [](settings&, conf_snapshot& snap) { snap.conf_files["zoo.cfg"] = "tickTime=2000\n"; },
       write_scope::everything, error_kind::config,
       {"/conf/zoo.cfg exists and zkagent did not write it", "--overwrite-config", "--keep-config",
        "--config-template"}},
      {"our zoo.cfg edited by hand",
       [](settings&, conf_snapshot& snap) {
         snap.conf_files["zoo.cfg"] = "tickTime=3000\n";
         snap.marker["zoo.cfg"] = fingerprint("tickTime=2000\n");
       },
       write_scope::everything, error_kind::config, {"zkagent did not write it", "--overwrite-config"}},
      {"--keep-config without a zoo.cfg", [](settings& s, conf_snapshot&) { s.keep_config = true; },
       write_scope::everything, error_kind::config, {"--keep-config: there is no /conf/zoo.cfg to keep"}},
      {"another member's myid",
       [](settings&, conf_snapshot& snap) { snap.myid_content = "2\n"; }, write_scope::everything,
       error_kind::identity, {"/data/myid holds id 2 but this member is id 1 (from ZOO_MY_ID)", "--force-myid"}},
      {"another member's myid refuses before a foreign zoo.cfg would",
       [](settings& s, conf_snapshot& snap) {
         s.overwrite_config = true;
         snap.myid_content = "2\n";
         snap.conf_files["zoo.cfg"] = "tickTime=2000\n";
       },
       write_scope::everything, error_kind::identity, {"/data/myid holds id 2"}},
      {"an unreadable myid", [](settings&, conf_snapshot& snap) { snap.myid_content = "two\n"; },
       write_scope::everything, error_kind::identity, {"unreadable content 'two\\n'"}},
      {"another member's myid with myid_only", [](settings&, conf_snapshot& snap) { snap.myid_content = "2\n"; },
       write_scope::myid_only, error_kind::identity, {"holds id 2"}},
      {"myid_only without an id",
       [](settings& s, conf_snapshot&) {
         s.myid.reset();
         s.servers.clear();
       },
       write_scope::myid_only, error_kind::identity, {"no id for this member", "--myid"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto s = member_settings();
    auto snap = empty_snapshot();
    c.setup(s, snap);
    const auto plan = make_plan(s, snap, version, c.scope);
    ASSERT_FALSE(plan.ok()) << joined(summary(plan.value()));
    EXPECT_EQ(plan.err().kind, c.kind);
    EXPECT_TRUE(testing::contains_all(plan.err().message, c.parts)) << plan.err().message;
  }
}

// ZooKeeper with reconfigEnabled rewrites zoo.cfg (comments dropped, members moved to
// zoo.cfg.dynamic.<version>). That zoo.cfg is still ours, and its pointer must survive the next
// start so the ensemble keeps the membership reconfig gave it.
TEST(config_plan, a_zoo_cfg_rewritten_by_zookeeper_keeps_its_dynamic_pointer) {
  struct rewrite_case {
    std::string name;
    env_map env;
  };
  const std::vector<rewrite_case> cases{
      {"dynamicConfigFile configured", {{"ZOO_CFG_EXTRA", "reconfigEnabled=true dynamicConfigFile=/conf/zoo.cfg.dynamic"}}},
      {"members in zoo.cfg, moved out by ZooKeeper", {{"ZOO_CFG_EXTRA", "reconfigEnabled=true"}}},
  };
  const std::string pointer = "/conf/zoo.cfg.dynamic.100000000";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto s = member_settings(c.env);
    auto snap = empty_snapshot();
    const auto written = render_zoo_cfg(s, version).zoo_cfg;
    snap.marker["zoo.cfg"] = fingerprint(written);
    snap.conf_files["zoo.cfg"] = "dataDir=/data\nreconfigEnabled=true\ndynamicConfigFile=" + pointer + "\n";
    snap.dynamic_file_exists = true;
    ASSERT_EQ(classify(snap.conf_files["zoo.cfg"], snap.marker, "zoo.cfg"), file_state::rewritten_by_zookeeper);

    const auto plan = make_plan(s, snap, version, write_scope::everything);
    ASSERT_TRUE(plan.ok()) << plan.err().message;
    EXPECT_TRUE(plan.value().warnings.empty()) << joined(plan.value().warnings);
    EXPECT_EQ(summary(plan.value()),
              (std::vector<std::string>{"/data/myid write", "/conf/zoo.cfg write", pointer + " keep_as_is",
                                        "/conf/log4j.properties write", "/conf/logback.xml write",
                                        "/conf/java.env write"}));
    const auto& zoo = file_at(plan.value(), "/conf/zoo.cfg")->content;
    EXPECT_NE(zoo.find("\ndynamicConfigFile=" + pointer + "\n"), std::string::npos) << zoo;
    EXPECT_EQ(zoo.find("\nserver."), std::string::npos) << zoo;
    EXPECT_EQ(file_at(plan.value(), pointer)->note, "kept (ZooKeeper owns the dynamic membership once it exists)");
  }
}

TEST(config_plan, the_dynamic_file_is_written_once_and_then_kept) {
  const auto s = member_settings({{"ZOO_CFG_EXTRA", "reconfigEnabled=true dynamicConfigFile=/conf/zoo.cfg.dynamic"}});
  for (const bool exists : {false, true}) {
    SCOPED_TRACE(exists ? "the dynamic file exists" : "no dynamic file yet");
    auto snap = empty_snapshot();
    snap.dynamic_file_exists = exists;
    const auto plan = make_plan(s, snap, version, write_scope::everything);
    ASSERT_TRUE(plan.ok()) << plan.err().message;
    const auto* dynamic = file_at(plan.value(), "/conf/zoo.cfg.dynamic");
    ASSERT_NE(dynamic, nullptr) << joined(summary(plan.value()));
    EXPECT_EQ(dynamic->marker_name, "");
    if (exists) {
      EXPECT_EQ(dynamic->action, file_action::keep_as_is);
    } else {
      EXPECT_EQ(dynamic->action, file_action::write);
      EXPECT_EQ(dynamic->content, render_zoo_cfg(s, version).dynamic_content);
      EXPECT_EQ(dynamic->content, "server.1=zoo1:2888:3888;2181\nserver.2=zoo2:2888:3888;2181\n"
                                  "server.3=zoo3:2888:3888;2181\n");
    }
  }
}

// A dynamicConfigFile, whoever wrote the line, is a plain file directly in the conf or the data folder,
// and none that zkagent writes itself: a pointer in a zoo.cfg uid 1000 may rewrite never makes root
// write elsewhere, overwrite its own files, or lose the membership to its leftover clean-up.
TEST(config_plan, a_dynamic_file_must_be_a_plain_file_in_the_conf_or_data_folder) {
  struct row {
    std::string pointer;
    bool accepted;
  };
  for (const auto& r : std::vector<row>{{"/conf/zoo.cfg.dynamic", true},
                                        {"/data/zoo.cfg.dynamic.100000000", true},
                                        {"/etc/cron.d/zk", false},
                                        {"/conf/sub/zoo.cfg.dynamic", false},
                                        {"/conf/../etc/x", false},
                                        {"/data/x/../y", false},
                                        {"conf/zoo.cfg.dynamic", false},
                                        {"/conf/zoo.cfg.dynamic/", false},
                                        {"/conf/zoo.cfg", false},
                                        {"/conf/java.env", false},
                                        {"/conf/log4j.properties", false},
                                        {"/conf/logback.xml", false},
                                        {"/conf/.zkagent-owned", false},
                                        {"/data/myid", false},
                                        {"/conf/.java.env.zkagent-1-0000abcd", false}}) {
    SCOPED_TRACE(r.pointer);
    // The rule itself; the resolver refuses such a setting up front (settings_validation), the
    // writer every pointer it reads back from a zoo.cfg.
    const auto where = dynamic_file_place("/conf", "/data", r.pointer);
    EXPECT_EQ(where.ok(), r.accepted) << (where.ok() ? where.value().second : where.err().message);
    if (!where.ok()) {
      EXPECT_EQ(where.err().kind, error_kind::config);
      EXPECT_NE(where.err().message.find("It must be a file directly in the conf folder (/conf) or the data folder (/data)"),
                std::string::npos)
          << where.err().message;
    }
  }
}

}  // namespace
}  // namespace zkagent::entrypoint
