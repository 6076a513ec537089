// Which folders a root zkagent may hand to the ZooKeeper user, and which ZooKeeper writes
// (entrypoint/folder_policy): paths in, verdicts out.
#include "entrypoint/folder_policy.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <optional>
#include <string>
#include <vector>

namespace zkagent::entrypoint {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// This machine as the I/O side would see it: a merged /usr (/bin leads to /usr/bin), zkagent in
// /usr/local/bin, java in /usr/lib/jvm, ZooKeeper in /opt/zookeeper.
folder_facts typical_host() {
  folder_facts facts;
  for (const auto folder : system_folders()) facts.system.push_back({std::string(folder), std::string(folder)});
  for (auto& s : facts.system) {
    if (s.path == "/bin" || s.path == "/sbin" || s.path == "/lib" || s.path == "/lib64") s.resolved = "/usr" + s.path;
  }
  facts.held.push_back({"the zkagent binary", {"/usr/local/bin/zkagent", "/usr/local/bin/zkagent"}});
  facts.held.push_back({"the java zkagent runs", {"/usr/bin/java", "/usr/lib/jvm/java-17/bin/java"}});
  facts.held.push_back({"JAVA_HOME", {"/usr/lib/jvm/java-17", "/usr/lib/jvm/java-17"}});
  facts.held.push_back({"the ZooKeeper installation", {"/opt/zookeeper", "/opt/zookeeper"}});
  return facts;
}

TEST(folder_policy, lexically_normal_paths) {
  const std::vector<std::pair<std::string, std::string>> rows{
      {"/etc", "/etc"},         {"//etc/", "/etc"},       {"/etc/.", "/etc"},     {"/var/../etc", "/etc"},
      {"/var/lib/", "/var/lib"}, {"/../..", "/"},         {"/", "/"},            {"///", "/"},
      {"/data/./zk//x/", "/data/zk/x"}, {"/a/b/../../c", "/c"}, {"rel/../x", "x"},  {"../x", "../x"},
  };
  for (const auto& [in, out] : rows) {
    SCOPED_TRACE(in);
    EXPECT_EQ(lexically_normal(in), out);
  }
}

TEST(folder_policy, holds_is_equal_or_an_ancestor_by_whole_names) {
  EXPECT_TRUE(holds("/", "/etc"));
  EXPECT_TRUE(holds("/opt", "/opt/zookeeper"));
  EXPECT_TRUE(holds("/opt/zookeeper", "/opt/zookeeper"));
  EXPECT_FALSE(holds("/opt/zoo", "/opt/zookeeper"));
  EXPECT_FALSE(holds("/opt/zookeeper/data", "/opt/zookeeper"));
}

TEST(folder_policy, refuses_system_folders_and_folders_holding_what_root_runs) {
  struct row {
    std::string path;
    std::optional<std::string> resolved;
    std::optional<std::string> why;  // a part of the reason; nullopt: may be handed over
  };
  const std::vector<row> rows{
      // The system folders themselves, however they are spelled.
      {"/", "/", "it is the root folder /"},
      {"/etc", "/etc", "it is the system folder /etc"},
      {"//etc/", "/etc", "it is the system folder /etc"},
      {"/var/../etc", std::nullopt, "it is the system folder /etc"},
      {"/var/lib/", "/var/lib", "it is the system folder /var/lib"},
      {"/tmp", "/tmp", "it is the system folder /tmp"},
      {"/home", "/home", "it is the system folder /home"},
      {"/usr/local", "/usr/local", "it is the system folder /usr/local"},
      {"/root/.", std::nullopt, "it is the system folder /root"},
      // A root-placed link leads there: refused as the folder it leads to.
      {"/data", "/etc", "it is the system folder /etc (it leads to /etc)"},
      {"/data", "/usr/bin", "it is the system folder /bin (/usr/bin) (it leads to /usr/bin)"},
      // Folders that hold zkagent, java or ZooKeeper.
      {"/usr/local/bin", "/usr/local/bin", "it holds the zkagent binary (/usr/local/bin/zkagent)"},
      {"/usr/bin", "/usr/bin", "it is the system folder /bin (/usr/bin)"},  // /bin is /usr/bin here
      {"/usr/lib/jvm/java-17/bin", "/usr/lib/jvm/java-17/bin", "the java zkagent runs (/usr/lib/jvm/java-17/bin/java)"},
      {"/usr/lib/jvm", "/usr/lib/jvm", "the java zkagent runs (/usr/lib/jvm/java-17/bin/java)"},
      {"/opt/zookeeper", "/opt/zookeeper", "it holds the ZooKeeper installation (/opt/zookeeper)"},
      {"/opt/zookeeper/", std::nullopt, "it holds the ZooKeeper installation (/opt/zookeeper)"},
      {"/zk", "/opt/zookeeper", "the ZooKeeper installation (/opt/zookeeper) (it leads to /opt/zookeeper)"},
      {"/usr/lib/jvm/java-17", "/usr/lib/jvm/java-17", "the java zkagent runs"},
      // Folders of ZooKeeper's own: inside an installation is fine, and so are folders below system ones.
      {"/data", "/data", std::nullopt},
      {"/data", std::nullopt, std::nullopt},
      {"/opt/zookeeper/data", "/opt/zookeeper/data", std::nullopt},
      {"/var/lib/zookeeper", "/var/lib/zookeeper", std::nullopt},
      {"/tmp/zookeeper", "/tmp/zookeeper", std::nullopt},
      {"/etc/zookeeper/conf", "/etc/zookeeper/conf", std::nullopt},
      {"/optional", "/optional", std::nullopt},
      {"/usr/local/bin2", "/usr/local/bin2", std::nullopt},
  };
  const auto facts = typical_host();
  for (const auto& r : rows) {
    SCOPED_TRACE(r.path + " -> " + r.resolved.value_or("(none)"));
    const auto why = hand_over_refusal({"--data-dir", {r.path, r.resolved}}, facts);
    ASSERT_EQ(why.has_value(), r.why.has_value()) << why.value_or("(allowed)");
    if (r.why) {
      EXPECT_TRUE(has(*why, *r.why)) << *why;
    }
  }
}

TEST(folder_policy, without_java_or_zookeeper_found_the_system_list_and_the_binary_still_apply) {
  folder_facts facts;
  for (const auto folder : system_folders()) facts.system.push_back({std::string(folder), std::nullopt});
  facts.held.push_back({"the zkagent binary", {"/work/build/zkagent", std::nullopt}});
  EXPECT_TRUE(hand_over_refusal({"--conf-dir", {"/etc/", std::nullopt}}, facts));
  EXPECT_TRUE(hand_over_refusal({"--conf-dir", {"/work", std::nullopt}}, facts));
  EXPECT_FALSE(hand_over_refusal({"--conf-dir", {"/work/conf", std::nullopt}}, facts));
}

TEST(folder_policy, each_refusal_is_a_config_error_naming_the_setting_value_uid_and_why) {
  const auto diag = check_hand_over({{"ZOO_DATA_DIR", {"/etc/", "/etc"}},
                                     {"--log-dir", {"/logs", "/logs"}},
                                     {"the kept zoo.cfg (/conf/zoo.cfg)'s dataDir", {"/opt", "/opt"}}},
                                    typical_host(), 1000);
  ASSERT_EQ(diag.errors.size(), 2U);
  for (const auto& e : diag.errors) EXPECT_EQ(e.kind, error_kind::config);
  EXPECT_TRUE(has(diag.errors[0].message, "ZOO_DATA_DIR='/etc/': refused: it is the system folder /etc")) << diag.errors[0].message;
  EXPECT_TRUE(has(diag.errors[0].message, "uid 1000")) << diag.errors[0].message;
  EXPECT_TRUE(has(diag.errors[1].message, "the kept zoo.cfg (/conf/zoo.cfg)'s dataDir='/opt': refused: it is the system folder /opt"))
      << diag.errors[1].message;
}

settings four_folders() {
  settings s;
  s.conf_dir = "/conf";
  s.data_dir = "/data";
  s.data_log_dir = "/datalog";
  s.log_dir = "/logs";
  s.folder_origins = {{"conf-dir", "ZOO_CONF_DIR"}, {"data-dir", "--data-dir"}, {"data-log-dir", "default"}, {"log-dir", "default"}};
  return s;
}

std::vector<std::string> paths(const std::vector<folder_setting>& folders) {
  std::vector<std::string> out;
  for (const auto& f : folders) out.push_back(f.folder.path);
  return out;
}

TEST(folder_policy, plan_hands_over_the_four_folders_or_the_data_folder_for_myid) {
  const auto s = four_folders();
  const auto all = plan_hand_over(s, true, false);
  EXPECT_EQ(paths(all.walked), (std::vector<std::string>{"/data", "/datalog", "/logs", "/conf"}));
  EXPECT_TRUE(all.itself.empty());
  EXPECT_FALSE(all.conf_dir_kept);
  EXPECT_EQ(all.walked[0].setting, "--data-dir");
  EXPECT_EQ(all.walked[1].setting, "--data-log-dir (default)");
  EXPECT_EQ(all.walked[3].setting, "ZOO_CONF_DIR");
  EXPECT_EQ(paths(plan_hand_over(s, false, false).walked), (std::vector<std::string>{"/data"}));
}

TEST(folder_policy, plan_with_a_kept_zoo_cfg_leaves_its_folder_and_hands_its_folders_over_themselves) {
  auto s = four_folders();
  s.keep_config = true;
  s.data_dir = "/srv/zk";  // adopted from the kept zoo.cfg, which names no dataLogDir: the same folder
  s.data_log_dir = "/srv/zk";
  s.kept_folders = {"/srv/zk"};
  const auto plan = plan_hand_over(s, true, true);
  EXPECT_TRUE(plan.conf_dir_kept);
  EXPECT_EQ(paths(plan.walked), (std::vector<std::string>{"/logs"}));
  ASSERT_EQ(paths(plan.itself), (std::vector<std::string>{"/srv/zk"}));
  EXPECT_EQ(plan.itself[0].setting, "the kept zoo.cfg (/conf/zoo.cfg)'s dataDir");
  // --keep-config without a zoo.cfg to keep: zkagent writes one, and the conf folder is its own.
  EXPECT_EQ(paths(plan_hand_over(four_folders(), true, false).walked).back(), "/conf");
}

TEST(folder_policy, zookeeper_writes_its_data_and_log_folders_and_conf_only_with_reconfig) {
  const auto s = four_folders();
  const std::vector<std::string> base{"/data", "/datalog", "/logs"};
  const std::vector<std::string> with_conf{"/data", "/datalog", "/logs", "/conf"};
  EXPECT_EQ(folders_zookeeper_writes(s, "tickTime=2000\n"), base);
  EXPECT_EQ(folders_zookeeper_writes(s, "reconfigEnabled=false\n"), base);
  EXPECT_EQ(folders_zookeeper_writes(s, "reconfigEnabled=true\n"), with_conf);
  EXPECT_EQ(folders_zookeeper_writes(s, "dynamicConfigFile=/conf/zoo.cfg.dynamic.100000000\n"), with_conf);
  auto same = s;
  same.data_log_dir = same.data_dir;
  EXPECT_EQ(folders_zookeeper_writes(same, ""), (std::vector<std::string>{"/data", "/logs"}));
}

TEST(folder_policy, unwritable_message_names_folder_owner_mode_uid_and_the_fix) {
  unwritable found{"/data", EACCES, "create a file in", 0, 0, 040755};
  const auto text = unwritable_message(found, 1000, 1000);
  EXPECT_TRUE(has(text, "cannot write /data")) << text;
  EXPECT_TRUE(has(text, "owned by 0:0 with mode 0755")) << text;
  EXPECT_TRUE(has(text, "uid 1000")) << text;
  EXPECT_TRUE(has(text, "chown -R 1000:1000 /data")) << text;
  EXPECT_TRUE(has(text, "securityContext.fsGroup")) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos);
  const auto read_only = unwritable_message({"/data", EROFS, "create a file in", 0, 0, 040755}, 1000, 1000);
  EXPECT_TRUE(has(read_only, "read-only file system")) << read_only;
  EXPECT_TRUE(has(read_only, "owned by 0:0 with mode 0755")) << read_only;
}

}  // namespace
}  // namespace zkagent::entrypoint
