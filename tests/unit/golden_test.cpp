// Golden files: zoo.cfg (and the dynamic member file), log4j.properties and logback.xml rendered
// from resolved settings, compared byte for byte with tests/golden/.
//
// After an intended change of the rendering, regenerate the files and review the diff:
//   ZKAGENT_UPDATE_GOLDEN=1 build-unit/tests/unit/unit_tests --gtest_filter='golden*'
//   git diff tests/golden/
// Without that variable the tests only compare; a missing golden file is a failure.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>

#include "core_fixtures.hpp"
#include "entrypoint/logging_config.hpp"
#include "entrypoint/settings.hpp"
#include "entrypoint/zoo_cfg.hpp"

namespace zkagent::entrypoint {
namespace {

using testing::describe;
using testing::flags_from;

// Rendered files carry the version; a fixed one keeps the goldens stable across releases.
constexpr std::string_view version = "test";

bool updating() {
  const char* update = std::getenv("ZKAGENT_UPDATE_GOLDEN");  // test code may read the environment
  return update != nullptr && std::string_view(update) == "1";
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(ZKAGENT_GOLDEN_DIR) + "/" + name;
  if (updating()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path << "; create it with ZKAGENT_UPDATE_GOLDEN=1";
  const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(actual, expected) << "differs from " << path << " (ZKAGENT_UPDATE_GOLDEN=1 regenerates it)";
}

std::size_t count_lines_starting(const std::string& text_value, std::string_view prefix) {
  std::size_t count = 0;
  std::istringstream lines(text_value);
  for (std::string line; std::getline(lines, line);) count += line.starts_with(prefix) ? 1U : 0U;
  return count;
}

settings resolved(const inputs& in) {
  const auto r = resolve(in);
  EXPECT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_TRUE(r.diag.warnings.empty()) << describe(r.diag);
  return r.value;
}

const std::string compose_members =
    "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181";

TEST(golden_zoo_cfg, kubernetes_tutorial_statefulset) {
  // REFERENCE 1.1: the tutorial's command line, on pod zk-1 of the zk-hs headless service.
  auto in = testing::pod_inputs("zk-1", invocation::start_zookeeper);
  in.flags = flags_from({"--servers=3", "--data_dir=/var/lib/zookeeper/data",
                         "--data_log_dir=/var/lib/zookeeper/data/log", "--conf_dir=/opt/zookeeper/conf",
                         "--client_port=2181", "--election_port=3888", "--server_port=2888", "--tick_time=2000",
                         "--init_limit=10", "--sync_limit=5", "--heap=512M", "--max_client_cnxns=60",
                         "--snap_retain_count=3", "--purge_interval=12", "--max_session_timeout=40000",
                         "--min_session_timeout=4000", "--log_level=INFO"});
  const auto s = resolved(in);
  EXPECT_EQ(s.myid, std::optional<std::uint32_t>(2));
  EXPECT_EQ(s.zoo_cfg_path(), "/opt/zookeeper/conf/zoo.cfg");
  const auto rendered = render_zoo_cfg(s, version);
  EXPECT_FALSE(rendered.dynamic_path.has_value());
  EXPECT_NE(rendered.zoo_cfg.find("\nautopurge.purgeInterval=12\n"), std::string::npos);
  EXPECT_EQ(rendered.zoo_cfg.find("purgeInteval"), std::string::npos);
  EXPECT_EQ(count_lines_starting(rendered.zoo_cfg, "server."), 3U);
  expect_golden("zoo_tutorial_statefulset.cfg", rendered.zoo_cfg);
}

TEST(golden_zoo_cfg, docker_compose_member) {
  auto in = testing::compose_inputs("zoo2");
  in.env["ZOO_MY_ID"] = "2";
  in.env["ZOO_SERVERS"] = compose_members;
  const auto s = resolved(in);
  const auto rendered = render_zoo_cfg(s, version);
  EXPECT_EQ(count_lines_starting(rendered.zoo_cfg, "server."), 3U);
  expect_golden("zoo_compose_member2.cfg", rendered.zoo_cfg);
}

TEST(golden_zoo_cfg, standalone_defaults) {
  const auto s = resolved(testing::compose_inputs("zookeeper"));
  EXPECT_FALSE(s.myid.has_value());
  const auto rendered = render_zoo_cfg(s, version);
  EXPECT_EQ(count_lines_starting(rendered.zoo_cfg, "server."), 0U);
  expect_golden("zoo_standalone_defaults.cfg", rendered.zoo_cfg);
}

TEST(golden_zoo_cfg, statefulset_observer) {
  auto in = testing::pod_inputs("zk-3");
  in.flags = flags_from({"--servers=3", "--observers=1"});
  const auto s = resolved(in);
  EXPECT_EQ(s.myid, std::optional<std::uint32_t>(4));
  EXPECT_TRUE(s.observer);
  const auto rendered = render_zoo_cfg(s, version);
  EXPECT_NE(rendered.zoo_cfg.find("\npeerType=observer\n"), std::string::npos);
  EXPECT_NE(rendered.zoo_cfg.find("\nserver.4=zk-3.zk-hs.default.svc.cluster.local:2888:3888:observer;2181\n"),
            std::string::npos);
  expect_golden("zoo_statefulset_observer.cfg", rendered.zoo_cfg);
}

TEST(golden_zoo_cfg, dynamic_config_file_takes_the_members) {
  auto in = testing::compose_inputs("zoo1");
  in.env["ZOO_MY_ID"] = "1";
  in.env["ZOO_SERVERS"] = compose_members;
  in.env["ZOO_CFG_EXTRA"] = "reconfigEnabled=true dynamicConfigFile=/conf/zoo.cfg.dynamic skipACL=yes";
  const auto s = resolved(in);
  const auto rendered = render_zoo_cfg(s, version);
  ASSERT_TRUE(rendered.dynamic_path.has_value());
  EXPECT_EQ(*rendered.dynamic_path, "/conf/zoo.cfg.dynamic");
  EXPECT_EQ(count_lines_starting(rendered.zoo_cfg, "server."), 0U);
  EXPECT_EQ(count_lines_starting(rendered.zoo_cfg, "dynamicConfigFile=/conf/zoo.cfg.dynamic"), 1U);
  EXPECT_EQ(count_lines_starting(rendered.dynamic_content, "server."), 3U);
  expect_golden("zoo_dynamic_config.cfg", rendered.zoo_cfg);
  expect_golden("zoo_dynamic_config.members.cfg", rendered.dynamic_content);

  // After a reconfig ZooKeeper's pointer wins over the configured one.
  const auto kept = render_zoo_cfg(s, version, std::string("/conf/zoo.cfg.dynamic.100000000"));
  ASSERT_TRUE(kept.dynamic_path.has_value());
  EXPECT_EQ(*kept.dynamic_path, "/conf/zoo.cfg.dynamic.100000000");
  EXPECT_EQ(count_lines_starting(kept.zoo_cfg, "dynamicConfigFile="), 1U);
  EXPECT_EQ(count_lines_starting(kept.zoo_cfg, "dynamicConfigFile=/conf/zoo.cfg.dynamic.100000000"), 1U);
  EXPECT_EQ(kept.dynamic_content, rendered.dynamic_content);
}

TEST(golden_zoo_cfg, optional_lines_appear_only_when_set) {
  auto in = testing::compose_inputs("zookeeper");
  in.flags = flags_from({"--admin-server-enabled=false", "--admin-server-address=127.0.0.1",
                         "--quorum-listen-on-all-ips=true", "--client-port-address=127.0.0.1"});
  const auto off = render_zoo_cfg(resolved(in), version).zoo_cfg;
  EXPECT_NE(off.find("\nadmin.enableServer=false\n"), std::string::npos) << off;
  EXPECT_EQ(off.find("admin.serverPort"), std::string::npos) << off;
  EXPECT_EQ(off.find("admin.serverAddress"), std::string::npos) << off;
  EXPECT_NE(off.find("\nquorumListenOnAllIPs=true\n"), std::string::npos) << off;
  EXPECT_NE(off.find("\nclientPortAddress=127.0.0.1\n"), std::string::npos) << off;

  in.flags = flags_from({"--admin-server-address=127.0.0.1"});
  const auto on = render_zoo_cfg(resolved(in), version).zoo_cfg;
  EXPECT_NE(on.find("\nadmin.serverAddress=127.0.0.1\nadmin.serverPort=8080\n"), std::string::npos) << on;
  EXPECT_EQ(on.find("quorumListenOnAllIPs"), std::string::npos) << on;
  EXPECT_EQ(on.find("clientPortAddress"), std::string::npos) << on;
  EXPECT_EQ(on.find("peerType"), std::string::npos) << on;
}

TEST(golden_logging, log4j_properties) {
  expect_golden("log4j_info.properties", render_log4j_properties("INFO", version));
  const auto warn = render_log4j_properties("WARN", version);
  EXPECT_NE(warn.find("\nlog4j.rootLogger=WARN, CONSOLE\n"), std::string::npos) << warn;
  EXPECT_NE(warn.find("\nlog4j.appender.CONSOLE.Threshold=WARN\n"), std::string::npos) << warn;
}

TEST(golden_logging, logback_xml) {
  expect_golden("logback_info.xml", render_logback_xml("INFO", version));
  for (const auto& [level, root] : std::vector<std::pair<std::string, std::string>>{
           {"DEBUG", "DEBUG"}, {"ERROR", "ERROR"}, {"FATAL", "ERROR"}, {"OFF", "OFF"}}) {
    SCOPED_TRACE(level);
    const auto xml = render_logback_xml(level, version);
    EXPECT_NE(xml.find("<root level=\"" + root + "\">"), std::string::npos) << xml;
  }
}

}  // namespace
}  // namespace zkagent::entrypoint
