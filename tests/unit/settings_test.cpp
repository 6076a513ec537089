// settings::resolve: flags + environment + template + host facts -> one settings value or every
// error at once. Inputs are built directly (no process environment, no files), so each case is a
// row: defaults, precedence, every validation error, identity, ports, warnings, heap.
#include "entrypoint/settings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/exit_codes.hpp"
#include "common/text.hpp"
#include "core_fixtures.hpp"
#include "entrypoint/zoo_cfg.hpp"

namespace zkagent::entrypoint {
namespace {

using testing::describe;
using testing::find_error;
using testing::flags_from;
using testing::has_warning;
using testing::mentions;
using testing::pod_inputs;

constexpr std::uint64_t mib = 1024 * 1024;
const std::string three_members =
    "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181";

std::vector<std::uint32_t> ids_of(const settings& s) {
  std::vector<std::uint32_t> ids;
  for (const auto& e : s.servers) ids.push_back(e.id);
  return ids;
}

bool has_flag(const settings& s, std::string_view flag) {
  return std::find(s.jvm_flags.begin(), s.jvm_flags.end(), flag) != s.jvm_flags.end();
}

// ---- defaults ---------------------------------------------------------------------------------

TEST(settings_defaults, depend_on_how_zkagent_was_invoked) {
  struct defaults_case {
    invocation how;
    std::string conf, data, data_log, logs;
    std::uint64_t heap_mib;
  };
  const std::vector<defaults_case> cases{
      {invocation::zkagent, "/conf", "/data", "/datalog", "/logs", 1024},
      {invocation::start_zookeeper, "/opt/zookeeper/conf", "/var/lib/zookeeper/data", "/var/lib/zookeeper/log",
       "/var/log/zookeeper", 2048},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.how == invocation::zkagent ? "zkagent" : "start-zookeeper");
    const auto r = resolve(pod_inputs("zk-1", c.how));
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    EXPECT_TRUE(r.diag.warnings.empty()) << describe(r.diag);
    const auto& s = r.value;
    EXPECT_EQ(s.invoked_as, c.how);
    EXPECT_EQ(s.conf_dir, c.conf);
    EXPECT_EQ(s.data_dir, c.data);
    EXPECT_EQ(s.data_log_dir, c.data_log);
    EXPECT_EQ(s.log_dir, c.logs);
    EXPECT_EQ(s.zoo_cfg_path(), c.conf + "/zoo.cfg");
    EXPECT_EQ(s.client_port, 2181);
    EXPECT_EQ(s.client_port_address, "");
    EXPECT_EQ(s.server_port, 2888);
    EXPECT_EQ(s.election_port, 3888);
    EXPECT_TRUE(s.admin_enabled);
    EXPECT_EQ(s.admin_port, 8080);
    EXPECT_FALSE(s.quorum_listen_on_all_ips);
    EXPECT_EQ(s.four_letter_whitelist, "ruok,srvr,mntr");
    EXPECT_EQ(s.max_client_cnxns, 60U);
    EXPECT_EQ(s.tick_time, 2000U);
    EXPECT_EQ(s.init_limit, 10U);
    EXPECT_EQ(s.sync_limit, 5U);
    EXPECT_EQ(s.min_session_timeout, 4000U);
    EXPECT_EQ(s.max_session_timeout, 40000U);
    EXPECT_EQ(s.snap_retain_count, 3U);
    EXPECT_EQ(s.purge_interval, 0U);
    EXPECT_TRUE(s.standalone_enabled);
    EXPECT_TRUE(s.servers.empty());
    EXPECT_FALSE(s.myid.has_value());
    EXPECT_FALSE(s.observer);
    EXPECT_EQ(s.hostname, "zk-1");
    EXPECT_EQ(s.domain, testing::kube_domain);
    EXPECT_FALSE(s.force_myid);
    EXPECT_EQ(s.log_level, "INFO");
    EXPECT_EQ(s.agent_log_level, "info");
    EXPECT_FALSE(s.java.has_value());
    EXPECT_FALSE(s.zookeeper_home.has_value());
    EXPECT_FALSE(s.exec);
    EXPECT_EQ(s.uid, 1000U);
    EXPECT_EQ(s.gid, 1000U);
    EXPECT_FALSE(s.config_template.has_value());
    EXPECT_TRUE(s.extra_cfg.empty());
    EXPECT_FALSE(s.overwrite_config);
    EXPECT_FALSE(s.keep_config);
    EXPECT_TRUE(has_flag(s, "-Xmx" + std::to_string(c.heap_mib) + "m")) << s.heap_reason;
    EXPECT_TRUE(has_flag(s, "-Dzookeeper.log.dir=" + c.logs));
    EXPECT_TRUE(has_flag(s, "-Dlog4j.configuration=file:" + c.conf + "/log4j.properties"));
  }
}

TEST(settings_defaults, session_timeouts_follow_the_tick_time) {
  auto in = pod_inputs();
  in.flags = flags_from({"--tick-time=3000"});
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.min_session_timeout, 6000U);
  EXPECT_EQ(r.value.max_session_timeout, 60000U);
}

TEST(settings_defaults, paths_lose_trailing_slashes) {
  auto in = pod_inputs();
  in.flags = flags_from({"--data-dir=/data/", "--conf-dir=/etc/zk//"});
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.data_dir, "/data");
  EXPECT_EQ(r.value.conf_dir, "/etc/zk");
  EXPECT_EQ(r.value.zoo_cfg_path(), "/etc/zk/zoo.cfg");
}

// ---- precedence ---------------------------------------------------------------------------------

// Every combination of the five sources of tickTime: the highest present wins, and a lower source
// that is overridden at the same level (--cfg-extra under its flag, ZOO_CFG_EXTRA under its
// variable) is reported.
TEST(settings_precedence, flag_then_cfg_extra_flag_then_env_then_zoo_cfg_extra_then_template_then_default) {
  for (unsigned mask = 0; mask < 32; ++mask) {
    const bool has_flag_value = (mask & 1U) != 0;
    const bool has_flag_extra = (mask & 2U) != 0;
    const bool has_env = (mask & 4U) != 0;
    const bool has_env_extra = (mask & 8U) != 0;
    const bool has_template = (mask & 16U) != 0;
    SCOPED_TRACE(std::string("flag ") + (has_flag_value ? "y" : "n") + ", --cfg-extra " + (has_flag_extra ? "y" : "n") +
                 ", env " + (has_env ? "y" : "n") + ", ZOO_CFG_EXTRA " + (has_env_extra ? "y" : "n") +
                 ", template " + (has_template ? "y" : "n"));
    auto in = pod_inputs();
    if (has_flag_value) in.flags.emplace_back("tick-time", "2800");
    if (has_flag_extra) in.flags.emplace_back("cfg-extra", "tickTime=2900");
    if (has_env) in.env["ZOO_TICK_TIME"] = "2700";
    if (has_env_extra) in.env["ZOO_CFG_EXTRA"] = "tickTime=2600";
    if (has_template) in.template_text = "tickTime=2500\n";
    const std::uint32_t expected = has_flag_value   ? 2800
                                   : has_flag_extra ? 2900
                                   : has_env        ? 2700
                                   : has_env_extra  ? 2600
                                   : has_template   ? 2500
                                                    : 2000;
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    EXPECT_EQ(r.value.tick_time, expected);
    EXPECT_EQ(has_warning(r.diag, {"--cfg-extra tickTime='2900' is overridden by --tick-time"}),
              has_flag_value && has_flag_extra)
        << describe(r.diag);
    EXPECT_EQ(has_warning(r.diag, {"ZOO_CFG_EXTRA tickTime='2600' is overridden by ZOO_TICK_TIME"}),
              has_env && has_env_extra)
        << describe(r.diag);
    std::size_t overridden = 0;
    for (const auto& w : r.diag.warnings) overridden += w.find("overridden") != std::string::npos ? 1U : 0U;
    EXPECT_EQ(overridden, (has_flag_value && has_flag_extra ? 1U : 0U) + (has_env && has_env_extra ? 1U : 0U));
  }
}

TEST(settings_precedence, an_equal_value_at_two_levels_is_no_conflict) {
  auto in = pod_inputs();
  in.env["ZOO_TICK_TIME"] = "2600";
  in.env["ZOO_CFG_EXTRA"] = "tickTime=2600";
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.tick_time, 2600U);
  EXPECT_TRUE(r.diag.warnings.empty()) << describe(r.diag);
}

TEST(settings_precedence, settings_without_a_zoo_cfg_key_take_flag_then_env_then_default) {
  struct dir_case {
    std::string name;
    std::vector<std::pair<std::string, std::string>> flags;
    env_map env;
    std::string expected;
  };
  const std::vector<dir_case> cases{
      {"default", {}, {}, "/data"},
      {"env", {}, {{"ZOO_DATA_DIR", "/env-data"}}, "/env-data"},
      {"flag over env", {{"data-dir", "/flag-data"}}, {{"ZOO_DATA_DIR", "/env-data"}}, "/flag-data"},
      {"the last flag wins", {{"data-dir", "/first"}, {"data-dir", "/second"}}, {}, "/second"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto in = pod_inputs();
    in.flags = c.flags;
    in.env = c.env;
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    EXPECT_EQ(r.value.data_dir, c.expected);
  }
}

TEST(settings_precedence, template_keys_and_members_are_the_lowest_layer) {
  auto in = testing::compose_inputs("zoo1");
  in.flags = flags_from({"--config-template=/etc/zk/zoo.cfg"});
  in.env["ZOO_MY_ID"] = "1";
  in.template_text =
      "# a ConfigMap\n"
      "tickTime = 2500\n"
      "initLimit: 7\n"
      "! a properties comment\n"
      "snapCount=5000\n"
      "server.1=zoo1:2888:3888;2181\n"
      "server.2=zoo2:2888:3888;2181\n"
      "server.3=zoo3:2888:3888;2181\n";
  in.env["ZOO_CFG_EXTRA"] = "snapCount=6000";
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.tick_time, 2500U);
  EXPECT_EQ(r.value.init_limit, 7U);
  EXPECT_EQ(r.value.extra("snapCount"), std::optional<std::string>("6000"));
  EXPECT_EQ(r.value.config_template, std::optional<std::string>("/etc/zk/zoo.cfg"));
  EXPECT_EQ(ids_of(r.value), (std::vector<std::uint32_t>{1, 2, 3}));
  EXPECT_EQ(r.value.servers_origin, "template /etc/zk/zoo.cfg");

  // A member list from the environment replaces the template's.
  in.env["ZOO_SERVERS"] = "server.1=zoo1:2888:3888;2181";
  const auto replaced = resolve(in);
  ASSERT_TRUE(replaced.diag.ok()) << describe(replaced.diag);
  EXPECT_EQ(ids_of(replaced.value), std::vector<std::uint32_t>{1});
  EXPECT_EQ(replaced.value.servers_origin, "ZOO_SERVERS");

  // Errors in the template name it.
  in.template_text = "tickTime=abc\njust words\n";
  const auto bad = resolve(in);
  EXPECT_NE(find_error(bad.diag, {"template /etc/zk/zoo.cfg tickTime='abc'", "whole number"}), nullptr)
      << describe(bad.diag);
  EXPECT_NE(find_error(bad.diag, {"template /etc/zk/zoo.cfg line 2 'just words'", "expected key=value"}), nullptr)
      << describe(bad.diag);
}

TEST(settings_precedence, extra_keys_pass_through_sorted_with_the_higher_layer_winning) {
  auto in = pod_inputs();
  in.template_text = "snapCount=1\nskipACL=no\n";
  in.env["ZOO_CFG_EXTRA"] = "snapCount=2 reconfigEnabled=true";
  in.flags = flags_from({"--cfg-extra=snapCount=3", "--cfg-extra=globalOutstandingLimit=500"});
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"globalOutstandingLimit", "500"}, {"reconfigEnabled", "true"}, {"skipACL", "no"}, {"snapCount", "3"}};
  EXPECT_EQ(r.value.extra_cfg, expected);
  EXPECT_EQ(r.value.extra("skipACL"), std::optional<std::string>("no"));
  EXPECT_EQ(r.value.extra("nothing"), std::nullopt);
}

TEST(settings_canonical_flag, turns_underscores_into_dashes_in_the_name_only) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--data_dir=x", "--data-dir=x"},
      {"--data_dir=/var/lib/zoo_keeper", "--data-dir=/var/lib/zoo_keeper"},
      {"--data-dir=x", "--data-dir=x"},
      {"--data_dir", "--data-dir"},
      {"--data_log_dir=/a_b", "--data-log-dir=/a_b"},
      {"--4lw_commands_whitelist=ruok", "--4lw-commands-whitelist=ruok"},
      {"--cfg_extra=a_b=c_d", "--cfg-extra=a_b=c_d"},
      {"--min_session_timeout=4000", "--min-session-timeout=4000"},
      {"--", "--"},
      {"--=x_y", "--=x_y"},
      {"-h", "-h"},
      {"start", "start"},
      {"data_dir=x", "data_dir=x"},
      {"", ""},
  };
  for (const auto& [arg, expected] : cases) {
    SCOPED_TRACE(arg);
    EXPECT_EQ(canonical_flag(arg), expected);
  }
}

// ---- validation errors ----------------------------------------------------------------------

using error_case = testing::refused_case;

void set_members(inputs& in, std::string list, std::string id) {
  in.env["ZOO_SERVERS"] = std::move(list);
  in.env["ZOO_MY_ID"] = std::move(id);
}

TEST(settings_validation, every_error_names_its_source_quotes_the_value_and_says_what_is_expected) {
  const auto flag = [](std::string name, std::string value) {
    return [name, value](inputs& in) { in.flags.emplace_back(name, value); };
  };
  const auto env = [](std::string name, std::string value) {
    return [name, value](inputs& in) { in.env[name] = value; };
  };
  const auto ek = error_kind::config;
  const std::vector<error_case> cases{
      // Numbers.
      {"non-numeric flag", flag("tick-time", "abc"), ek, {"--tick-time='abc'", "expected a whole number from 1 to 3600000"}},
      {"zero tick", env("ZOO_TICK_TIME", "0"), ek, {"ZOO_TICK_TIME='0'", "from 1 to 3600000"}},
      {"negative", env("ZOO_INIT_LIMIT", "-5"), ek, {"ZOO_INIT_LIMIT='-5'", "whole number"}},
      {"fraction", flag("sync-limit", "5.5"), ek, {"--sync-limit='5.5'", "whole number"}},
      {"too many connections", flag("max-client-cnxns", "1000001"), ek,
       {"--max-client-cnxns='1000001'", "from 0 to 1000000"}},
      {"snap retain count under 3", env("ZOO_AUTOPURGE_SNAPRETAINCOUNT", "2"), ek,
       {"ZOO_AUTOPURGE_SNAPRETAINCOUNT='2'", "from 3 to"}},
      {"purge interval with a unit", env("ZOO_AUTOPURGE_PURGEINTERVAL", "12h"), ek,
       {"ZOO_AUTOPURGE_PURGEINTERVAL='12h'", "whole number"}},
      {"number in ZOO_CFG_EXTRA", env("ZOO_CFG_EXTRA", "syncLimit=x"), ek, {"ZOO_CFG_EXTRA syncLimit='x'", "whole number"}},
      {"number in --cfg-extra", flag("cfg-extra", "initLimit=0"), ek, {"--cfg-extra initLimit='0'", "from 1 to"}},
      {"uid", env("ZKAGENT_UID", "nobody"), ek, {"ZKAGENT_UID='nobody'", "whole number"}},
      // Ports.
      {"client port 0", flag("client-port", "0"), ek, {"--client-port='0'", "expected a port number from 1 to 65535"}},
      {"client port 65536", env("ZOO_CLIENT_PORT", "65536"), ek, {"ZOO_CLIENT_PORT='65536'", "port number"}},
      {"admin port garbage", flag("admin-server-port", "80a"), ek, {"--admin-server-port='80a'", "port number"}},
      {"server port 0", flag("server-port", "0"), ek, {"--server-port='0'", "port number"}},
      {"election port too big", env("ZOO_ELECTION_PORT", "70000"), ek, {"ZOO_ELECTION_PORT='70000'", "port number"}},
      {"client port in ZOO_CFG_EXTRA", env("ZOO_CFG_EXTRA", "clientPort=0"), ek, {"ZOO_CFG_EXTRA clientPort='0'"}},
      {"client port is the admin port", flag("client-port", "8080"), ek,
       {"the client port and the AdminServer port are both 8080", "each needs its own port"}},
      {"quorum port is the client port",
       [](inputs& in) { set_members(in, "server.1=localhost:2181:3888", "1"); }, ek,
       {"the client port and the quorum port are both 2181"}},
      {"election port is the admin port",
       [](inputs& in) { set_members(in, "server.1=localhost:2888:8080", "1"); }, ek,
       {"the election port and the AdminServer port are both 8080"}},
      {"election port is the client port",
       [](inputs& in) { set_members(in, "server.1=localhost:2888:2181", "1"); }, ek,
       {"the client port and the election port are both 2181"}},
      // Booleans, paths, levels, sizes.
      {"boolean", env("ZOO_STANDALONE_ENABLED", "maybe"), ek, {"ZOO_STANDALONE_ENABLED='maybe'", "expected true or false"}},
      {"relative data dir", flag("data-dir", "data"), ek, {"--data-dir='data'", "expected an absolute path"}},
      {"empty conf dir", env("ZOO_CONF_DIR", ""), ek, {"ZOO_CONF_DIR=''", "absolute path"}},
      {"log level", flag("log-level", "LOUD"), ek, {"--log-level='LOUD'", "one of TRACE, DEBUG, INFO, WARN, ERROR"}},
      {"agent log level", env("ZKAGENT_LOG_LEVEL", "chatty"), ek, {"ZKAGENT_LOG_LEVEL='chatty'"}},
      {"heap", flag("heap", "lots"), ek, {"--heap='lots'", "a JVM memory size such as 512M"}},
      {"heap from env", env("ZOO_HEAP_SIZE", "0"), ek, {"ZOO_HEAP_SIZE='0'", "JVM memory size"}},
      // Member counts.
      {"--servers 0", flag("servers", "0"), ek, {"--servers='0'", "from 1 to 255"}},
      {"--servers 256", flag("servers", "256"), ek, {"--servers='256'", "from 1 to 255"}},
      {"ZOO_SERVER_COUNT garbage", env("ZOO_SERVER_COUNT", "three"), ek, {"ZOO_SERVER_COUNT='three'", "from 1 to 255"}},
      {"more than 255 members",
       [](inputs& in) { in.flags = flags_from({"--servers=200", "--observers=100"}); }, ek,
       {"--servers with 100 observers gives more than 255 members"}},
      {"ids above 255",
       [](inputs& in) {
         in.flags = flags_from({"--servers=10"});
         in.env["ZOO_MY_ID_OFFSET"] = "250";
       },
       ek, {"myid offset 250 with 10 members gives ids above 255"}},
      {"observers without --servers", env("ZOO_OBSERVER_COUNT", "1"), ek, {"ZOO_OBSERVER_COUNT needs --servers"}},
      {"observers with a list",
       [](inputs& in) {
         set_members(in, three_members, "2");
         in.flags = flags_from({"--observers=1"});
       },
       ek, {"--observers works only with --servers", "ZOO_SERVERS"}},
      {"members given twice by flags",
       [](inputs& in) { in.flags = flags_from({"--servers=3", "--server-list=server.1=zk-0:2888:3888"}); }, ek,
       {"the members are given twice, by --servers and --server-list"}},
      {"members given twice by env",
       [](inputs& in) {
         in.env["ZOO_SERVERS"] = three_members;
         in.env["SERVERS"] = "zoo1,zoo2,zoo3";
       },
       ek, {"the members are given twice, by ZOO_SERVERS and SERVERS"}},
      {"session timeouts by flag", flag("min-session-timeout", "50000"), ek,
       {"min session timeout 50000 (--min-session-timeout) is above max session timeout 40000 (20 x tick-time)",
        "expected min <= max"}},
      {"session timeouts by env",
       [](inputs& in) {
         in.env["ZOO_MIN_SESSION_TIMEOUT"] = "10000";
         in.env["ZOO_MAX_SESSION_TIMEOUT"] = "5000";
       },
       ek, {"min session timeout 10000 (ZOO_MIN_SESSION_TIMEOUT)", "max session timeout 5000 (ZOO_MAX_SESSION_TIMEOUT)"}},
      // The member list.
      {"malformed ZOO_SERVERS", [](inputs& in) { set_members(in, "server.1=zoo1:2888", "1"); }, ek,
       {"ZOO_SERVERS entry 'server.1=zoo1:2888'", "expected host:quorumPort:electionPort"}},
      {"malformed --server-list", flag("server-list", "zoo1:2888:3888:voter"), ek,
       {"--server-list entry 'zoo1:2888:3888:voter'", "must be participant or observer"}},
      {"malformed SERVERS", env("SERVERS", "zoo1,zo@o2"), ek, {"SERVERS entry 'zo@o2'"}},
      {"empty ZOO_SERVERS", env("ZOO_SERVERS", ""), ek, {"ZOO_SERVERS is empty"}},
      {"duplicate ids",
       [](inputs& in) { set_members(in, "server.1=zoo1:2888:3888 server.1=zoo2:2888:3888", "1"); }, ek,
       {"ZOO_SERVERS: server id 1 appears more than once"}},
      {"two members on one endpoint",
       [](inputs& in) { set_members(in, "server.1=zoo1:2888:3888 server.2=zoo1:2888:3888", "1"); }, ek,
       {"ZOO_SERVERS: servers 1 and 2 both use zoo1:2888"}},
      {"only observers",
       [](inputs& in) { set_members(in, "server.1=zoo1:2888:3888:observer", "1"); }, ek,
       {"every member is an observer"}},
      {"ZOO_CFG_EXTRA lists members", env("ZOO_CFG_EXTRA", "server.1=zoo1:2888:3888"), ek,
       {"ZOO_CFG_EXTRA sets server.1", "ZOO_SERVERS"}},
      {"ZOO_CFG_EXTRA entry without =", env("ZOO_CFG_EXTRA", "skipACL=yes justakey"), ek,
       {"ZOO_CFG_EXTRA entry 'justakey'", "expected key=value"}},
      {"ZOO_CFG_EXTRA entry without key", env("ZOO_CFG_EXTRA", "=x"), ek, {"ZOO_CFG_EXTRA entry '=x'"}},
      // Identity.
      {"own id missing from the list", [](inputs& in) { set_members(in, three_members, "4"); }, error_kind::identity,
       {"this member's id 4 (from ZOO_MY_ID) is not in the server list (ids 1, 2, 3 from ZOO_SERVERS)"}},
      {"own ordinal missing from the list",
       [](inputs& in) {
         in.host.hostname = "zk-5";
         in.env["ZOO_SERVERS"] = three_members;
       },
       error_kind::identity, {"id 6 (from host name zk-5 (ordinal 5 + offset 1))", "ids 1, 2, 3 from ZOO_SERVERS"}},
      {"ensemble member without ordinal or id",
       [](inputs& in) {
         in.host.hostname = "zookeeper";
         in.env["ZOO_SERVERS"] = three_members;
       },
       error_kind::identity,
       {"one of 3 (ZOO_SERVERS) but has no id", "'zookeeper'", "neither --myid, ZOO_MY_ID nor MYID is set"}},
      {"--servers without an ordinal",
       [](inputs& in) {
         in.host.hostname = "zookeeper";
         in.flags = flags_from({"--servers=3"});
       },
       error_kind::identity, {"--servers generates member names", "'zookeeper' has none", "ZOO_SERVERS"}},
      {"ordinal too large for an id",
       [](inputs& in) {
         in.host.hostname = "zk-300";
         in.env["ZOO_SERVERS"] = three_members;
       },
       error_kind::identity, {"'zk-300' (ordinal 300) with myid offset 1 gives id 301", "expected 1 to 255"}},
      {"ZOO_MY_ID 0", env("ZOO_MY_ID", "0"), ek, {"ZOO_MY_ID='0'", "from 1 to 255"}},
      {"MYID 256", env("MYID", "256"), ek, {"MYID='256'", "from 1 to 255"}},
      {"client port disagrees with the own entry",
       [](inputs& in) {
         set_members(in, "server.1=zoo1:2888:3888;2191 server.2=zoo2:2888:3888;2192 server.3=zoo3:2888:3888;2193", "2");
         in.env["ZOO_CLIENT_PORT"] = "2181";
       },
       ek,
       {"ZOO_CLIENT_PORT=2181 disagrees with this member's entry server.2 in ZOO_SERVERS, which gives client port "
        "2192"}},
      // Control characters.
      {"newline in a flag", flag("data-dir", "/data\nx"), ek,
       {"--data-dir='/data\\nx'", "contains a control character", "inject"}},
      {"tab in an env var", env("ZOO_LOG_DIR", "/logs\tx"), ek, {"ZOO_LOG_DIR='/logs\\tx'", "control character"}},
      {"carriage return in an alias", env("MYID", "1\r"), ek, {"MYID='1\\r'", "control character"}},
      {"escape in a text flag", flag("client-port-address", "0.0.0.0\x1b"), ek,
       {"--client-port-address='0.0.0.0\\x1b'", "control character"}},
      {"control character in a ZOO_CFG_EXTRA value", env("ZOO_CFG_EXTRA", "snapCount=1\x01"), ek,
       {"ZOO_CFG_EXTRA snapCount='1\\x01'", "contains a control character"}},
      {"control character in a --cfg-extra value", flag("cfg-extra", "snapCount=1\x02"), ek,
       {"--cfg-extra snapCount='1\\x02'", "contains a control character"}},
      {"control character in a ZOO_CFG_EXTRA key", env("ZOO_CFG_EXTRA", "snap\x01" "Count=1"), ek,
       {"ZOO_CFG_EXTRA key 'snap\\x01Count'", "contains a control character"}},
      // A key zkagent maps to its own setting is checked too, not only keys passed through.
      {"control character in a ZOO_CFG_EXTRA value of a mapped key", env("ZOO_CFG_EXTRA", "dataDir=/d\x1b]0;x\x07"), ek,
       {"ZOO_CFG_EXTRA dataDir='/d\\x1b]0;x\\x07'", "contains a control character"}},
      {"control character in a template value of a mapped key",
       [](inputs& in) { in.template_text = "admin.serverAddress=1.2.3.4\x0bq\n"; }, ek,
       {"template line 1 admin.serverAddress='1.2.3.4\\x0bq'", "contains a control character"}},
      {"escape in ZOO_SERVERS", env("ZOO_SERVERS", "server.1=a:1:2\x1b[2J"), ek,
       {"ZOO_SERVERS='server.1=a:1:2\\x1b[2J'", "control character"}},
      {"control character in a template key",
       [](inputs& in) { in.template_text = "tickTime=2000\nsnap\x1b[31mCount=1\n"; }, ek,
       {"template line 2 key 'snap\\x1b[31mCount'", "contains a control character"}},
      // Modes.
      {"--overwrite-config with --keep-config",
       [](inputs& in) { in.flags = flags_from({"--overwrite-config", "--keep-config"}); }, error_kind::usage,
       {"--overwrite-config and --keep-config contradict each other"}},
  };
  testing::expect_each_refused(cases);
}

// ZOO_CFG_EXTRA is split on any whitespace, as the official image's loop splits it: a YAML block
// scalar (one entry per line) is a list, not a control character.
TEST(settings_cfg_extra, newlines_and_tabs_separate_entries) {
  auto in = pod_inputs();
  in.env["ZOO_CFG_EXTRA"] = "metricsProvider.httpPort=7000\n\tsnapCount=5000\r\n";
  in.flags = flags_from({"--cfg-extra=syncEnabled=true\nlocalSessionsEnabled=true"});
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  for (const auto* key : {"metricsProvider.httpPort", "snapCount", "syncEnabled", "localSessionsEnabled"}) {
    EXPECT_TRUE(r.value.extra(key).has_value()) << key;
  }
  EXPECT_EQ(r.value.extra("snapCount"), "5000");
}

// ZOO_SERVERS and SERVERS split on newlines too: one member per line (a YAML block, a file).
TEST(settings_servers, a_member_list_may_have_one_member_per_line) {
  auto in = pod_inputs();
  in.env["ZOO_SERVERS"] = "server.1=zk-0:2888:3888;2181\nserver.2=zk-1:2888:3888;2181\r\n\tserver.3=zk-2:2888:3888;2181\n";
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.servers.size(), 3U);
  auto hosts = pod_inputs();
  hosts.env["SERVERS"] = "zk-0\nzk-1\nzk-2\n";
  const auto h = resolve(hosts);
  ASSERT_TRUE(h.diag.ok()) << describe(h.diag);
  EXPECT_EQ(h.value.servers.size(), 3U);
}

// A value with a control byte stops the run before later steps can echo it raw into their messages:
// the host name with an escape sequence shows up quoted, once, and every message stays one line.
TEST(settings_validation, a_control_character_is_reported_alone_and_quoted) {
  auto in = pod_inputs();
  in.flags = flags_from({"--hostname=zk-1\x1b[2J", "--tick-time=abc"});
  in.env["ZOO_SERVERS"] = "server.1=a:1:2 server.2=b:1:2";
  const auto r = resolve(in);
  ASSERT_EQ(r.diag.errors.size(), 1U) << describe(r.diag);
  EXPECT_NE(find_error(r.diag, {"--hostname='zk-1\\x1b[2J'", "control character"}), nullptr) << describe(r.diag);
  for (const auto& w : r.diag.warnings) EXPECT_FALSE(text::find_control_char(w)) << w;
}

TEST(settings_validation, all_errors_come_at_once) {
  auto in = pod_inputs();
  in.flags = flags_from({"--tick-time=abc", "--client-port=0", "--data-dir=rel", "--log-level=LOUD"});
  in.env["ZOO_INIT_LIMIT"] = "x";
  const auto r = resolve(in);
  EXPECT_GE(r.diag.errors.size(), 5U) << describe(r.diag);
  for (const auto* name : {"--tick-time", "--client-port", "--data-dir", "--log-level", "ZOO_INIT_LIMIT"}) {
    EXPECT_NE(find_error(r.diag, {name}), nullptr) << name << "\n" << describe(r.diag);
  }
}

TEST(settings_validation, the_admin_port_may_equal_the_client_port_when_the_admin_server_is_off) {
  auto in = pod_inputs();
  in.flags = flags_from({"--client-port=8080", "--admin-server-enabled=false"});
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_FALSE(r.value.admin_enabled);
  EXPECT_EQ(r.value.client_port, 8080);
}

TEST(settings_validation, an_even_ensemble_is_a_warning_not_an_error) {
  struct even_case {
    std::vector<std::string_view> flags;
    bool warned;
  };
  const std::vector<even_case> cases{
      {{"--servers=4"}, true},  {{"--servers=2"}, true},  {{"--servers=3"}, false},
      {{"--servers=1"}, false}, {{"--servers=3", "--observers=1"}, false}, {{"--servers=4", "--observers=1"}, true},
  };
  for (const auto& c : cases) {
    std::string shown;
    for (const auto f : c.flags) shown += std::string(f) + " ";
    SCOPED_TRACE(shown);
    auto in = pod_inputs("zk-0");
    for (const auto f : c.flags) in.flags.push_back(flags_from({f}).front());
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    EXPECT_EQ(has_warning(r.diag, {"--servers gives", "voting members", "tolerates no more failures"}), c.warned)
        << describe(r.diag);
  }
}

// ---- secrets ----------------------------------------------------------------------------------

TEST(settings_secrets, values_read_from_files_never_appear_in_messages) {
  struct secret_case {
    std::string name;
    std::string variable;
    std::string value;
    env_map more_env;
  };
  const std::vector<secret_case> cases{
      {"a bad number", "ZOO_MY_ID", "hunter2", {}},
      {"a control character in a variable", "ZOO_DATA_DIR", "/data\nhunter2", {}},
      {"a control character in a ZOO_CFG_EXTRA password", "ZOO_CFG_EXTRA", "ssl.keyStore.password=hunter2\x01", {}},
      {"a bad number in ZOO_CFG_EXTRA", "ZOO_CFG_EXTRA", "tickTime=hunter2", {}},
      {"a ZOO_CFG_EXTRA entry without =", "ZOO_CFG_EXTRA", "ssl.keyStore.password=x hunter2", {}},
      {"a ZOO_CFG_EXTRA value overridden by its variable", "ZOO_CFG_EXTRA", "tickTime=hunter2",
       {{"ZOO_TICK_TIME", "2000"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto in = pod_inputs();
    in.env = c.more_env;
    in.env[c.variable] = c.value;
    in.secret_env.insert(c.variable);
    const auto r = resolve(in);
    EXPECT_FALSE(r.diag.errors.empty() && r.diag.warnings.empty()) << "expected a message about " << c.variable;
    EXPECT_FALSE(mentions(r.diag, "hunter2")) << describe(r.diag);
    EXPECT_TRUE(mentions(r.diag, "(value from " + c.variable + "_FILE)")) << describe(r.diag);

    // The same input without the secret mark does show the value: the test would notice a leak.
    in.secret_env.clear();
    EXPECT_TRUE(mentions(resolve(in).diag, "hunter2"));
  }
}

// ---- warnings about names ---------------------------------------------------------------------

TEST(settings_cfg_extra, unknown_keys_warn_with_a_suggestion) {
  struct key_case {
    std::string extra;
    std::vector<std::string> warning;  // empty: no warning expected
  };
  const std::vector<key_case> cases{
      {"autopurge.purgeInteval=12",
       {"ZOO_CFG_EXTRA sets autopurge.purgeInteval, which ZooKeeper does not know",
        "did you mean autopurge.purgeInterval?"}},
      {"4lw.commands.whitelst=*", {"4lw.commands.whitelst", "did you mean 4lw.commands.whitelist?"}},
      {"snapcount=1000", {"snapcount", "did you mean snapCount?"}},
      {"totallyMadeUpSetting=1", {"totallyMadeUpSetting, which ZooKeeper does not know"}},
      {"skipACL=yes", {}},
      {"ssl.keyStore.location=/x", {}},
      {"metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.extra);
    auto in = pod_inputs();
    in.env["ZOO_CFG_EXTRA"] = c.extra;
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    if (c.warning.empty()) {
      EXPECT_TRUE(r.diag.warnings.empty()) << describe(r.diag);
    } else {
      EXPECT_TRUE(has_warning(r.diag, c.warning)) << describe(r.diag);
    }
  }
  // "did you mean" only when something is close.
  auto in = pod_inputs();
  in.env["ZOO_CFG_EXTRA"] = "totallyMadeUpSetting=1";
  EXPECT_FALSE(has_warning(resolve(in).diag, {"did you mean"}));
}

TEST(settings_cfg_extra, a_derived_key_is_ignored_with_a_warning) {
  auto in = pod_inputs();
  in.env["ZOO_CFG_EXTRA"] = "peerType=observer";
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_TRUE(has_warning(r.diag, {"ZOO_CFG_EXTRA sets peerType", "derives", "ignored"})) << describe(r.diag);
  EXPECT_EQ(r.value.extra("peerType"), std::nullopt);
  EXPECT_FALSE(r.value.observer);
}

TEST(settings_near_miss, warns_about_misspelt_variables) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"Z00_MY_ID", "ZOO_MY_ID"},       {"ZOO_MYID", "ZOO_MY_ID"},         {"zoo_my_id", "ZOO_MY_ID"},
      {"Z00_SERVERS", "ZOO_SERVERS"},   {"ZOO_SERVER", "ZOO_SERVERS"},     {"ZOO_DATADIR", "ZOO_DATA_DIR"},
      {"ZOO_TICKTIME", "ZOO_TICK_TIME"}, {"ZOO_CFG_EXTRAS", "ZOO_CFG_EXTRA"}, {"ZK_AGENT_HOSTNAME", "ZKAGENT_HOSTNAME"},
      {"Z00_MY_ID_FILE", "ZOO_MY_ID"},
  };
  for (const auto& [name, meant] : cases) {
    SCOPED_TRACE(name);
    const auto warnings = unknown_variable_warnings({{name, "1"}});
    ASSERT_EQ(warnings.size(), 1U);
    EXPECT_EQ(warnings[0], "environment variable " + name + " is not used; did you mean " + meant + "?");
  }
}

TEST(settings_near_miss, is_silent_for_service_links_known_names_and_other_software) {
  const std::vector<std::string> names{
      // Kubernetes service links of Services named zoo, zookeeper, zk-hs.
      "ZOO_PORT", "ZOO_SERVICE_HOST", "ZOO_SERVICE_PORT", "ZOO_SERVICE_PORT_CLIENT", "ZOO_PORT_2181_TCP",
      "ZOO_PORT_2181_TCP_ADDR", "ZOO_PORT_2181_TCP_PORT", "ZOO_PORT_2181_TCP_PROTO", "ZOOKEEPER_SERVICE_HOST",
      "ZOOKEEPER_SERVICE_PORT", "ZOOKEEPER_SERVICE_PORT_CLIENT", "ZOOKEEPER_PORT_2181_TCP_ADDR", "ZK_HS_SERVICE_HOST",
      "ZK_HS_PORT_2888_TCP_PORT", "ZK_CS_PORT",
      // Known names, their _FILE forms and aliases.
      "ZOO_MY_ID", "ZOO_MY_ID_FILE", "MYID", "SERVERS", "ZOO_SERVERS", "ZOO_CFG_EXTRA", "ZOO_CFG_EXTRA_FILE",
      "JVMFLAGS", "JAVA_HOME", "ZOOKEEPER_HOME", "ZKAGENT_HOSTNAME", "ZOO_4LW_COMMANDS_WHITELIST",
      // Not ours.
      "PATH", "HOME", "HOSTNAME", "LANG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_PORT_443_TCP_ADDR",
  };
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(unknown_variable_warnings({{name, "tcp://10.0.0.1:2181"}}).empty());
  }
  env_map all;
  for (const auto& name : names) all[name] = "x";
  EXPECT_TRUE(unknown_variable_warnings(all).empty());
}

TEST(settings_near_miss, resolve_reports_them_and_service_links_do_not_disturb_it) {
  auto in = pod_inputs();
  in.env["Z00_MY_ID"] = "2";
  in.env["ZOO_PORT"] = "tcp://10.0.0.1:2181";
  in.env["ZOO_PORT_2181_TCP_ADDR"] = "10.0.0.1";
  in.env["ZOO_SERVICE_HOST"] = "10.0.0.1";
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  ASSERT_EQ(r.diag.warnings.size(), 1U) << describe(r.diag);
  EXPECT_TRUE(has_warning(r.diag, {"Z00_MY_ID is not used; did you mean ZOO_MY_ID?"}));
  EXPECT_EQ(r.value.client_port, 2181);
  EXPECT_FALSE(r.value.myid.has_value());
}

TEST(settings_near_miss, a_service_link_in_a_port_variable_is_ignored_with_a_warning) {
  // A Service named zoo-client makes Kubernetes set ZOO_CLIENT_PORT=tcp://<ip>:<port>.
  auto in = pod_inputs();
  in.env["ZOO_CLIENT_PORT"] = "tcp://10.0.0.1:2181";
  in.env["ZOO_CLIENT_PORT_ADDRESS"] = "10.0.0.1";
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_TRUE(has_warning(r.diag, {"ZOO_CLIENT_PORT='tcp://10.0.0.1:2181'", "Kubernetes service link", "ignored"}))
      << describe(r.diag);
  EXPECT_EQ(r.value.client_port, 2181);
}

// ---- Bitnami's variables (docs/compatibility.md) ---------------------------------------------------

// zoo.cfg as ZooKeeper reads it: key -> value (the generated header comment skipped).
std::map<std::string, std::string> rendered_keys(const settings& s) {
  std::map<std::string, std::string> keys;
  for (const auto& line : text::split(render_zoo_cfg(s, "test").zoo_cfg, "\n", true)) {
    if (line.starts_with("#")) continue;
    const auto eq = line.find('=');
    keys[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return keys;
}

TEST(settings_bitnami, every_variable_sets_what_it_sets_in_bitnamis_image) {
  struct bitnami_case {
    std::string variable, value;
    std::function<void(const settings&)> check;  // the resolved setting
    std::string cfg_key, cfg_value;              // "" : nothing to check in zoo.cfg
  };
  const std::vector<bitnami_case> cases{
      {"ZOO_AUTOPURGE_INTERVAL", "1", [](const settings& s) { EXPECT_EQ(s.purge_interval, 1U); },
       "autopurge.purgeInterval", "1"},
      {"ZOO_AUTOPURGE_RETAIN_COUNT", "10", [](const settings& s) { EXPECT_EQ(s.snap_retain_count, 10U); },
       "autopurge.snapRetainCount", "10"},
      {"ZOO_PORT_NUMBER", "2182", [](const settings& s) { EXPECT_EQ(s.client_port, 2182); }, "clientPort", "2182"},
      {"ZOO_MAX_CNXNS", "500", [](const settings& s) { EXPECT_EQ(s.extra("maxCnxns"), "500"); }, "maxCnxns", "500"},
      {"ZOO_SERVER_ID", "2",
       [](const settings& s) {
         EXPECT_EQ(s.myid, 2U);
         EXPECT_EQ(s.myid_origin, "ZOO_SERVER_ID");
       },
       "", ""},
      {"ZOO_LISTEN_ALLIPS_ENABLED", "yes", [](const settings& s) { EXPECT_TRUE(s.quorum_listen_on_all_ips); },
       "quorumListenOnAllIPs", "true"},
      {"ZOO_LISTEN_ALLIPS_ENABLED", "no", [](const settings& s) { EXPECT_FALSE(s.quorum_listen_on_all_ips); }, "", ""},
      {"ZOO_ENABLE_ADMIN_SERVER", "no", [](const settings& s) { EXPECT_FALSE(s.admin_enabled); },
       "admin.enableServer", "false"},
      {"ZOO_ENABLE_ADMIN_SERVER", "yes", [](const settings& s) { EXPECT_TRUE(s.admin_enabled); },
       "admin.enableServer", "true"},
      {"ZOO_ADMIN_SERVER_PORT_NUMBER", "9090", [](const settings& s) { EXPECT_EQ(s.admin_port, 9090); },
       "admin.serverPort", "9090"},
      {"ZOO_RECONFIG_ENABLED", "yes", [](const settings& s) { EXPECT_EQ(s.extra("reconfigEnabled"), "true"); },
       "reconfigEnabled", "true"},
      {"ZOO_RECONFIG_ENABLED", "no", [](const settings& s) { EXPECT_EQ(s.extra("reconfigEnabled"), "false"); },
       "reconfigEnabled", "false"},
      // Honoured: zkagent sets up no client authentication, and no Prometheus provider.
      {"ALLOW_ANONYMOUS_LOGIN", "yes", [](const settings&) {}, "", ""},
      {"ZOO_ENABLE_PROMETHEUS_METRICS", "no", [](const settings&) {}, "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.variable + "=" + c.value);
    auto in = pod_inputs();
    in.env[c.variable] = c.value;
    if (c.variable == "ZOO_SERVER_ID") in.flags = flags_from({"--servers=3"});
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    EXPECT_TRUE(r.diag.warnings.empty()) << describe(r.diag);  // known, so no "is not used"
    c.check(r.value);
    const auto keys = rendered_keys(r.value);
    if (!c.cfg_key.empty()) {
      ASSERT_TRUE(keys.contains(c.cfg_key));
      EXPECT_EQ(keys.at(c.cfg_key), c.cfg_value);
    }
  }
}

TEST(settings_bitnami, the_same_value_under_both_names_is_no_conflict) {
  auto in = pod_inputs();
  in.env["ZOO_AUTOPURGE_PURGEINTERVAL"] = "1";
  in.env["ZOO_AUTOPURGE_INTERVAL"] = "1";
  in.env["ZOO_ADMINSERVER_ENABLED"] = "false";
  in.env["ZOO_ENABLE_ADMIN_SERVER"] = "no";  // the same answer spelt Bitnami's way
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.purge_interval, 1U);
  EXPECT_FALSE(r.value.admin_enabled);
}

TEST(settings_bitnami, two_names_for_one_setting_with_different_values_are_an_error_naming_both) {
  struct conflict_case {
    std::string own, own_value, bitnami, bitnami_value;
  };
  const std::vector<conflict_case> cases{
      {"ZOO_AUTOPURGE_PURGEINTERVAL", "24", "ZOO_AUTOPURGE_INTERVAL", "1"},
      {"ZOO_AUTOPURGE_SNAPRETAINCOUNT", "3", "ZOO_AUTOPURGE_RETAIN_COUNT", "10"},
      {"ZOO_CLIENT_PORT", "2181", "ZOO_PORT_NUMBER", "2182"},
      {"ZOO_MY_ID", "2", "ZOO_SERVER_ID", "1"},
      {"MYID", "2", "ZOO_SERVER_ID", "1"},
      {"ZOO_QUORUM_LISTEN_ON_ALL_IPS", "false", "ZOO_LISTEN_ALLIPS_ENABLED", "yes"},
      {"ZOO_ADMINSERVER_ENABLED", "true", "ZOO_ENABLE_ADMIN_SERVER", "no"},
      {"ZOO_ADMINSERVER_PORT", "8080", "ZOO_ADMIN_SERVER_PORT_NUMBER", "9090"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.own + " vs " + c.bitnami);
    auto in = pod_inputs();
    in.flags = flags_from({"--servers=3"});
    in.env[c.own] = c.own_value;
    in.env[c.bitnami] = c.bitnami_value;
    const auto r = resolve(in);
    ASSERT_FALSE(r.diag.ok());
    const auto* e = find_error(r.diag, {c.own + "='" + c.own_value + "'", c.bitnami + "='" + c.bitnami_value + "'",
                                        "Bitnami", "disagree"});
    ASSERT_NE(e, nullptr) << describe(r.diag);
    EXPECT_EQ(e->kind, error_kind::config);
  }
}

TEST(settings_bitnami, a_flag_still_wins_over_both_without_hiding_their_conflict) {
  auto in = pod_inputs();
  in.flags = flags_from({"--purge-interval=6"});
  in.env["ZOO_AUTOPURGE_INTERVAL"] = "1";
  auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.purge_interval, 6U);
  in.env["ZOO_AUTOPURGE_PURGEINTERVAL"] = "2";
  r = resolve(in);
  EXPECT_NE(find_error(r.diag, {"ZOO_AUTOPURGE_PURGEINTERVAL", "ZOO_AUTOPURGE_INTERVAL", "disagree"}), nullptr)
      << describe(r.diag);
}

TEST(settings_bitnami, what_zkagent_cannot_honour_is_refused_by_name_with_the_reason) {
  struct refusal_case {
    std::string variable, value;
    std::vector<std::string> parts;
  };
  const std::vector<refusal_case> cases{
      {"ZOO_ENABLE_PROMETHEUS_METRICS", "yes",
       {"ZOO_ENABLE_PROMETHEUS_METRICS='yes'", "cannot be honoured", "Prometheus metrics provider", "Debian",
        "--health-port"}},
      {"ZOO_ENABLE_PROMETHEUS_METRICS", "true", {"ZOO_ENABLE_PROMETHEUS_METRICS='true'", "not in Debian"}},
      {"ALLOW_ANONYMOUS_LOGIN", "no", {"ALLOW_ANONYMOUS_LOGIN='no'", "cannot be honoured", "no client authentication"}},
      {"ALLOW_ANONYMOUS_LOGIN", "maybe", {"ALLOW_ANONYMOUS_LOGIN='maybe'", "expected yes or no"}},
      {"ZOO_LISTEN_ALLIPS_ENABLED", "maybe", {"ZOO_LISTEN_ALLIPS_ENABLED='maybe'", "expected true or false"}},
      {"ZOO_RECONFIG_ENABLED", "sometimes", {"ZOO_RECONFIG_ENABLED='sometimes'", "expected true or false"}},
      {"ZOO_MAX_CNXNS", "-1", {"ZOO_MAX_CNXNS='-1'", "whole number"}},
      {"ZOO_PORT_NUMBER", "70000", {"ZOO_PORT_NUMBER='70000'", "port number"}},
      {"ZOO_SERVER_ID", "0", {"ZOO_SERVER_ID='0'", "whole number from 1 to 255"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.variable + "=" + c.value);
    auto in = pod_inputs();
    in.env[c.variable] = c.value;
    const auto r = resolve(in);
    ASSERT_FALSE(r.diag.ok());
    const auto* e = find_error(r.diag, c.parts);
    ASSERT_NE(e, nullptr) << describe(r.diag);
    EXPECT_EQ(exit_code::from(e->kind), exit_code::usage);
  }
}

TEST(settings_bitnami, a_service_link_under_a_bitnami_port_name_is_ignored_with_a_warning) {
  auto in = pod_inputs();
  in.env["ZOO_PORT_NUMBER"] = "tcp://10.0.0.1:2181";
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_TRUE(has_warning(r.diag, {"ZOO_PORT_NUMBER='tcp://10.0.0.1:2181'", "service link"})) << describe(r.diag);
  EXPECT_EQ(r.value.client_port, 2181);
}

// ---- unknown variables and --strict ----------------------------------------------------------------

TEST(settings_unknown_variables, every_unknown_one_with_our_prefixes_warns) {
  for (const std::string name : {"ZOO_ENABLE_AUTH", "ZOO_PROMETHEUS_METRICS_PORT_NUMBER", "ZKAGENT_COLOUR",
                                 "ZK_WHATEVER", "ZOO_TLS_CLIENT_ENABLE_FILE"}) {
    SCOPED_TRACE(name);
    const auto warnings = unknown_variable_warnings({{name, "yes"}});
    ASSERT_EQ(warnings.size(), 1U);
    EXPECT_TRUE(warnings[0].starts_with("environment variable " + name + " is not used")) << warnings[0];
  }
  // Known names, Bitnami's among them, and their _FILE forms are read, so never reported.
  for (const std::string name : {"ZOO_PORT_NUMBER", "ZOO_SERVER_ID_FILE", "ZOO_MAX_CNXNS", "ZKAGENT_STRICT",
                                 "ZOO_ENABLE_PROMETHEUS_METRICS", "ALLOW_ANONYMOUS_LOGIN", "ZOO_RECONFIG_ENABLED"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(unknown_variable_warnings({{name, "1"}}).empty());
  }
}

TEST(settings_unknown_variables, warn_without_failing_and_strict_makes_every_warning_an_error) {
  auto in = pod_inputs();
  in.env["ZOO_ENABLE_AUTH"] = "yes";
  in.env["ZOO_MYID"] = "2";
  auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.diag.warnings.size(), 2U) << describe(r.diag);

  for (const auto& strict : std::vector<std::function<void(inputs&)>>{
           [](inputs& i) { i.flags = flags_from({"--strict"}); }, [](inputs& i) { i.env["ZKAGENT_STRICT"] = "true"; }}) {
    auto strict_in = in;
    strict(strict_in);
    r = resolve(strict_in);
    ASSERT_FALSE(r.diag.ok());
    EXPECT_TRUE(r.diag.warnings.empty()) << describe(r.diag);
    EXPECT_EQ(r.diag.errors.size(), 2U) << describe(r.diag);
    EXPECT_NE(find_error(r.diag, {"ZOO_ENABLE_AUTH is not used", "--strict"}), nullptr) << describe(r.diag);
    EXPECT_NE(find_error(r.diag, {"ZOO_MYID", "did you mean ZOO_MY_ID", "--strict"}), nullptr) << describe(r.diag);
  }
  // Other warnings too: an override of ZOO_CFG_EXTRA by a variable.
  auto override_in = pod_inputs();
  override_in.env["ZOO_TICK_TIME"] = "3000";
  override_in.env["ZOO_CFG_EXTRA"] = "tickTime=2500";
  override_in.env["ZKAGENT_STRICT"] = "yes";
  r = resolve(override_in);
  EXPECT_NE(find_error(r.diag, {"ZOO_CFG_EXTRA tickTime", "overridden", "--strict"}), nullptr) << describe(r.diag);
  // And strict with nothing to warn about changes nothing.
  auto quiet = pod_inputs();
  quiet.env["ZKAGENT_STRICT"] = "true";
  r = resolve(quiet);
  EXPECT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_TRUE(r.value.strict);
}

// ---- identity -----------------------------------------------------------------------------------

TEST(settings_identity, myid_from_the_ordinal_or_an_explicit_id) {
  struct id_case {
    std::string name;
    std::string hostname;
    std::function<void(inputs&)> setup;
    std::optional<std::uint32_t> expected;
    std::string origin;
    std::vector<std::uint32_t> ids;
    std::vector<std::string> warning;  // empty: none about the id
  };
  const std::vector<id_case> cases{
      {"ordinal + 1", "zk-1", [](inputs& in) { in.flags = flags_from({"--servers=3"}); }, 2,
       "host name zk-1 (ordinal 1 + offset 1)", {1, 2, 3}, {}},
      {"ordinal 0", "zk-0", [](inputs& in) { in.flags = flags_from({"--servers=3"}); }, 1,
       "host name zk-0 (ordinal 0 + offset 1)", {1, 2, 3}, {}},
      {"offset 10", "zk-1",
       [](inputs& in) {
         in.flags = flags_from({"--servers=3"});
         in.env["ZOO_MY_ID_OFFSET"] = "10";
       },
       11, "host name zk-1 (ordinal 1 + offset 10)", {10, 11, 12}, {}},
      {"offset 0 with listed ids", "zk-2",
       [](inputs& in) {
         in.env["ZOO_SERVERS"] = "zk-1:2888:3888,zk-2:2888:3888,zk-3:2888:3888";
         in.env["ZOO_MY_ID_OFFSET"] = "0";
       },
       2, "host name zk-2 (ordinal 2 + offset 0)", {1, 2, 3}, {}},
      // An explicit id that contradicts the list naming this host is refused: settings_inputs_test.
      {"MYID", "zk-1",
       [](inputs& in) {
         in.flags = flags_from({"--servers=3"});
         in.env["MYID"] = "2";
       },
       2, "MYID", {1, 2, 3}, {}},
      {"ZOO_MY_ID and MYID disagree", "zk-1",
       [](inputs& in) {
         in.flags = flags_from({"--servers=3"});
         in.env["ZOO_MY_ID"] = "2";
         in.env["MYID"] = "3";
       },
       2, "ZOO_MY_ID", {1, 2, 3}, {"ZOO_MY_ID and MYID disagree; ZOO_MY_ID wins"}},
      {"--myid wins over ZOO_MY_ID", "zk-1",
       [](inputs& in) {
         in.flags = flags_from({"--servers=3", "--myid=2"});
         in.env["ZOO_MY_ID"] = "3";
       },
       2, "--myid", {1, 2, 3}, {}},
      {"standalone needs no id", "zookeeper", [](inputs&) {}, std::nullopt, "", {}, {}},
      {"standalone on a pod needs no id either", "zk-4", [](inputs&) {}, std::nullopt, "", {}, {}},
      {"standalone with an explicit id", "zookeeper", [](inputs& in) { in.env["ZOO_MY_ID"] = "5"; }, 5, "ZOO_MY_ID",
       {}, {}},
      {"a compose member", "zoo2", [](inputs& in) { set_members(in, three_members, "2"); }, 2, "ZOO_MY_ID",
       {1, 2, 3}, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto in = pod_inputs(c.hostname);
    c.setup(in);
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    EXPECT_EQ(r.value.myid, c.expected);
    EXPECT_EQ(r.value.myid_origin, c.origin);
    EXPECT_EQ(ids_of(r.value), c.ids);
    if (c.warning.empty()) {
      EXPECT_TRUE(r.diag.warnings.empty()) << describe(r.diag);
    } else {
      EXPECT_TRUE(has_warning(r.diag, c.warning)) << describe(r.diag);
    }
  }
}

TEST(settings_identity, members_are_sorted_by_id) {
  auto in = testing::compose_inputs("zoo2");
  set_members(in, "server.3=zoo3:2888:3888 server.1=zoo1:2888:3888 server.2=zoo2:2888:3888", "2");
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(ids_of(r.value), (std::vector<std::uint32_t>{1, 2, 3}));
}

TEST(settings_identity, the_own_entry_gives_client_port_address_and_role) {
  struct own_case {
    std::string name;
    std::string list;
    env_map more_env;
    std::uint16_t client_port;
    std::string client_address;
    bool observer;
  };
  const std::vector<own_case> cases{
      {"client port from ;port", "server.1=zoo1:2888:3888;2191 server.2=zoo2:2888:3888;2192 server.3=zoo3:2888:3888;2193",
       {}, 2192, "", false},
      {"the same client port given explicitly",
       "server.1=zoo1:2888:3888;2191 server.2=zoo2:2888:3888;2192 server.3=zoo3:2888:3888;2193",
       {{"ZOO_CLIENT_PORT", "2192"}}, 2192, "", false},
      {"no ;port: the default", "server.1=zoo1:2888:3888 server.2=zoo2:2888:3888 server.3=zoo3:2888:3888", {}, 2181,
       "", false},
      {"no ;port: the given one", "server.1=zoo1:2888:3888 server.2=zoo2:2888:3888 server.3=zoo3:2888:3888",
       {{"ZOO_CLIENT_PORT", "2000"}}, 2000, "", false},
      {"address and port", "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;127.0.0.2:2182", {}, 2182, "127.0.0.2",
       false},
      {"an explicit address wins", "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;127.0.0.2:2182",
       {{"ZOO_CLIENT_PORT_ADDRESS", "0.0.0.0"}}, 2182, "0.0.0.0", false},
      {"observer", "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888:observer;2181 server.3=zoo3:2888:3888;2181",
       {}, 2181, "", true},
      {"participant", "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888:participant;2181", {}, 2181, "", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto in = testing::compose_inputs("zoo2");
    in.env = c.more_env;
    set_members(in, c.list, "2");
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    EXPECT_EQ(r.value.client_port, c.client_port);
    EXPECT_EQ(r.value.client_port_address, c.client_address);
    EXPECT_EQ(r.value.observer, c.observer);
  }
}

TEST(settings_identity, warns_when_the_own_entry_names_another_host) {
  struct host_case {
    std::string name;
    std::string own_entry;  // server.1's host
    std::vector<std::string> addresses;
    bool listen_on_all;
    bool warned;
  };
  const std::vector<host_case> cases{
      {"every member id 1 (the compose mistake)", "zoo1", {}, false, true},
      {"own name", "zoo2", {}, false, false},
      {"localhost", "localhost", {}, false, false},
      {"127.0.0.1", "127.0.0.1", {}, false, false},
      {"0.0.0.0", "0.0.0.0", {}, false, false},
      {"own address", "172.18.0.3", {"172.18.0.3"}, false, false},
      {"another address", "172.18.0.4", {"172.18.0.3"}, false, true},
      {"a Service name with --quorum-listen-on-all-ips", "zoo-service", {}, true, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto in = testing::compose_inputs("zoo2");
    in.host.addresses = c.addresses;
    set_members(in, "server.1=" + c.own_entry + ":2888:3888;2181 server.2=x2:2888:3888;2181 server.3=x3:2888:3888;2181",
                "1");
    if (c.listen_on_all) in.env["ZOO_QUORUM_LISTEN_ON_ALL_IPS"] = "true";
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    EXPECT_EQ(has_warning(r.diag, {"server.1 (this member, id from ZOO_MY_ID) names host " + c.own_entry,
                                   "this host is 'zoo2'", "same id", "ZOO_MY_ID", "--quorum-listen-on-all-ips"}),
              c.warned)
        << describe(r.diag);
    if (!c.warned) {
      EXPECT_TRUE(r.diag.warnings.empty()) << describe(r.diag);
    }
  }
}

TEST(settings_identity, a_kubernetes_pod_finds_itself_under_its_fqdn) {
  auto in = pod_inputs("zk-2");
  in.flags = flags_from({"--servers=3"});
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_TRUE(r.diag.warnings.empty()) << describe(r.diag);
  EXPECT_EQ(r.value.myid, std::optional<std::uint32_t>(3));
  ASSERT_EQ(r.value.servers.size(), 3U);
  EXPECT_EQ(r.value.servers[2].host, "zk-2.zk-hs.default.svc.cluster.local");
  // The domain can be given; the host name too.
  in.env["ZKAGENT_DOMAIN"] = "zk-hs.prod.svc.cluster.local";
  in.env["ZKAGENT_HOSTNAME"] = "zk-0";
  const auto given = resolve(in);
  ASSERT_TRUE(given.diag.ok()) << describe(given.diag);
  EXPECT_EQ(given.value.myid, std::optional<std::uint32_t>(1));
  EXPECT_EQ(given.value.servers[0].host, "zk-0.zk-hs.prod.svc.cluster.local");
}

// ---- 4lw whitelist ----------------------------------------------------------------------------

TEST(settings_whitelist, warns_when_the_probes_words_are_missing_or_misspelt) {
  struct list_case {
    std::string list;
    std::vector<std::vector<std::string>> warnings;
  };
  const std::vector<list_case> cases{
      {"ruok,srvr,mntr", {}},
      {"*", {}},
      {" * ", {}},
      {"RUOK,SRVR,MNTR", {}},
      {"ruok srvr mntr", {}},
      {"ruok, srvr, mntr, stat, conf, isro", {}},
      {"srvr", {{"lacks ruok", "zkagent live"}, {"lacks mntr", "metrics"}}},
      {"ruok,srvr", {{"lacks mntr"}}},
      {"srvr,mntr", {{"lacks ruok"}}},
      {"ruok,srvr,mntr,conff", {{"names 'conff', which is no four-letter word; did you mean conf?"}}},
      {"ruk,srvr,mntr", {{"names 'ruk'", "did you mean ruok?"}, {"lacks ruok"}}},
      {"ruok,srvr,mntr,xyzzy", {{"names 'xyzzy', which is no four-letter word"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.list);
    auto in = pod_inputs();
    in.env["ZOO_4LW_COMMANDS_WHITELIST"] = c.list;
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    EXPECT_EQ(r.value.four_letter_whitelist, c.list);
    ASSERT_EQ(r.diag.warnings.size(), c.warnings.size()) << describe(r.diag);
    for (const auto& parts : c.warnings) {
      EXPECT_TRUE(has_warning(r.diag, parts)) << describe(r.diag);
    }
  }
  auto in = pod_inputs();
  in.env["ZOO_4LW_COMMANDS_WHITELIST"] = "ruok,srvr,mntr,xyzzy";
  EXPECT_FALSE(has_warning(resolve(in).diag, {"did you mean"}));
}

// ---- heap and JVM flags -------------------------------------------------------------------------

TEST(settings_jvm, heap_and_its_warnings) {
  struct heap_case {
    std::string name;
    std::function<void(inputs&)> setup;
    std::string xmx;  // expected -Xmx flag, "" when none of zkagent's
    std::string reason;
    std::vector<std::string> warning;  // empty: no warning
  };
  const std::vector<heap_case> cases{
      {"no limit", [](inputs&) {}, "-Xmx1024m", "1024 MiB: default", {}},
      {"half the memory limit", [](inputs& in) { in.host.memory_limit = 512 * mib; }, "-Xmx256m",
       "256 MiB: half the container memory limit of 512 MiB", {}},
      {"explicit heap", [](inputs& in) { in.flags = flags_from({"--heap=768M"}); }, "-Xmx768m", "768 MiB: --heap", {}},
      {"heap from env", [](inputs& in) { in.env["ZOO_HEAP_SIZE"] = "1g"; }, "-Xmx1024m", "ZOO_HEAP_SIZE", {}},
      // A heap at or above the limit is an error: settings_inputs_test.
      {"ZK_SERVER_HEAP in java.env", [](inputs& in) { in.java_env_text = "ZK_SERVER_HEAP=300\n"; }, "-Xmx300m",
       "ZK_SERVER_HEAP in java.env", {}},
      {"JVMFLAGS -Xmx overrides --heap",
       [](inputs& in) {
         in.flags = flags_from({"--heap=512M"});
         in.env["JVMFLAGS"] = "-XX:+UseG1GC -Xmx300m";
       },
       "", "set by the JVM flags in JVMFLAGS", {"the heap from --heap is overridden by an -Xmx in JVMFLAGS"}},
      {"--jvm-flags -Xmx overrides ZOO_HEAP_SIZE",
       [](inputs& in) {
         in.env["ZOO_HEAP_SIZE"] = "512M";
         in.flags = flags_from({"--jvm-flags=-Xmx300m"});
       },
       "", "set by the JVM flags in --jvm-flags",
       {"the heap from ZOO_HEAP_SIZE is overridden by an -Xmx in --jvm-flags"}},
      {"java.env -Xmx overrides --heap",
       [](inputs& in) {
         in.flags = flags_from({"--heap=512M"});
         in.java_env_text = "export JVMFLAGS=\"-Xmx100m\"\n";
       },
       "", "set by the JVM flags in java.env", {"the heap from --heap is overridden by an -Xmx in java.env"}},
      {"JVMFLAGS -Xmx without an explicit heap is no conflict", [](inputs& in) { in.env["JVMFLAGS"] = "-Xmx300m"; }, "",
       "set by the JVM flags in JVMFLAGS", {}},
      {"java.env lines it ignores", [](inputs& in) { in.java_env_text = "JAVA_HOME=/x\n"; }, "-Xmx1024m", "default",
       {"/conf/java.env:1", "not JAVA_HOME"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto in = pod_inputs();
    c.setup(in);
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    const auto& flags = r.value.jvm_flags;
    if (c.xmx.empty()) {
      // zkagent's -Xmx/-Xms are left out; the user's -Xmx is the only one.
      EXPECT_EQ(std::count_if(flags.begin(), flags.end(), [](const auto& f) { return f.starts_with("-Xmx"); }), 1);
      EXPECT_EQ(std::count_if(flags.begin(), flags.end(), [](const auto& f) { return f.starts_with("-Xms"); }), 0);
    } else {
      EXPECT_TRUE(has_flag(r.value, c.xmx)) << r.value.heap_reason;
      EXPECT_TRUE(has_flag(r.value, "-Xms" + c.xmx.substr(4)));
    }
    EXPECT_NE(r.value.heap_reason.find(c.reason), std::string::npos) << r.value.heap_reason;
    if (c.warning.empty()) {
      EXPECT_TRUE(r.diag.warnings.empty()) << describe(r.diag);
    } else {
      EXPECT_TRUE(has_warning(r.diag, c.warning)) << describe(r.diag);
    }
  }
}

TEST(settings_jvm, user_flags_come_last_in_order) {
  auto in = pod_inputs();
  in.java_env_text = "SERVER_JVMFLAGS=\"-Dfrom.java.env=1\"\n";
  in.env["JVMFLAGS"] = "-Dfirst=1 -Dsecond=2";
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  const auto& flags = r.value.jvm_flags;
  ASSERT_GE(flags.size(), 3U);
  EXPECT_EQ(flags[flags.size() - 3], "-Dfrom.java.env=1");
  EXPECT_EQ(flags[flags.size() - 2], "-Dfirst=1");
  EXPECT_EQ(flags[flags.size() - 1], "-Dsecond=2");
  EXPECT_EQ(flags.front(), "-Xmx1024m");
}

// ---- modes ------------------------------------------------------------------------------------

TEST(settings_modes, toggles_alone_or_with_a_value) {
  struct mode_case {
    std::vector<std::string_view> flags;
    env_map env;
    bool overwrite, keep, force, exec;
  };
  const std::vector<mode_case> cases{
      {{"--overwrite-config"}, {}, true, false, false, false},
      {{"--keep-config"}, {}, false, true, false, false},
      {{"--force-myid", "--exec"}, {}, false, false, true, true},
      {{"--force-myid=false"}, {{"ZKAGENT_FORCE_MYID", "true"}}, false, false, false, false},
      {{}, {{"ZKAGENT_OVERWRITE_CONFIG", "yes"}, {"ZKAGENT_EXEC", "1"}}, true, false, false, true},
  };
  for (const auto& c : cases) {
    auto in = pod_inputs();
    for (const auto f : c.flags) in.flags.push_back(flags_from({f}).front());
    in.env = c.env;
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    EXPECT_EQ(r.value.overwrite_config, c.overwrite);
    EXPECT_EQ(r.value.keep_config, c.keep);
    EXPECT_EQ(r.value.force_myid, c.force);
    EXPECT_EQ(r.value.exec, c.exec);
  }
}

}  // namespace
}  // namespace zkagent::entrypoint
