// The exec probes find ZooKeeper where the configuration it runs with says (cli/probe_target):
// `zkagent ready` and `live` with the same environment as `zkagent start` pass on real members
// configured through a --config-template clientPort, a kept zoo.cfg, an IPv6 client address on
// [::1] (a 3-member ensemble: the port is in each member's server.N line) and a host name
// (localhost, from /etc/hosts); and fail with the reason when the member is down, or when zoo.cfg
// offers only a TLS port.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "probe_support.hpp"

namespace {

namespace zt = zkagent::testing;
using namespace std::chrono_literals;
using zt::probe;
using zt::zk_member;
using effective_target = zt::zookeeper_probes;

// What `start` gets from zk_cluster as flags, as the environment a pod gives start and probes alike.
zt::env_vars member_env(const zt::zk_cluster& cluster, const std::string& name) {
  auto env = zt::minimal_env();
  const auto dir = cluster.root() + "/" + name;
  env["ZOO_CONF_DIR"] = dir + "/conf";
  env["ZOO_DATA_DIR"] = dir + "/data";
  env["ZOO_DATA_LOG_DIR"] = dir + "/datalog";
  env["ZOO_LOG_DIR"] = dir + "/logs";
  return env;
}

// "NAME: pass: COMMAND to WHERE: ..." on one line, nothing on stderr.
::testing::AssertionResult verdict(const zt::probe_run& run, const std::string& name, bool pass,
                                   const std::string& where, const std::string& reason = "") {
  const auto& r = run.result;
  if (r.exit_code != (pass ? 0 : 1)) return ::testing::AssertionFailure() << "exit " << r.exit_code << ": " << r.out << r.err;
  if (run.lines.size() != 1) return ::testing::AssertionFailure() << "expected one line, got: " << r.out << r.err;
  const std::string head = name + ": " + (pass ? "pass" : "FAIL") + ": " + (name == "live" ? "ruok" : "srvr") +
                           " to " + where + ": ";
  const auto& line = run.lines.front();
  if (!line.starts_with(head)) return ::testing::AssertionFailure() << "expected [" << head << "...], got: " << line;
  if (line.find(reason, head.size()) == std::string::npos) {
    return ::testing::AssertionFailure() << "expected [" << reason << "] in: " << line;
  }
  return ::testing::AssertionSuccess() << line;
}

// Until `zkagent ready` with env passes (the member serves), bounded.
bool ready_within(const zt::env_vars& env, std::chrono::milliseconds deadline) {
  return zt::wait_until([&] { return probe({"ready"}, env).result.exit_code == 0; }, deadline);
}

void expect_ready_and_live(const zt::env_vars& env, const std::string& where) {
  EXPECT_TRUE(verdict(probe({"ready"}, env), "ready", true, where, "serving as "));
  EXPECT_TRUE(verdict(probe({"live"}, env), "live", true, where, "imok"));
}

void expect_down(zk_member& m, const zt::env_vars& env, const std::string& where) {
  EXPECT_EQ(zt::zk_cluster::stop(m), 143);
  EXPECT_TRUE(verdict(probe({"ready"}, env), "ready", false, where, "connection refused"));
  EXPECT_TRUE(verdict(probe({"live"}, env), "live", false, where, "connection refused"));
}

TEST_F(effective_target, a_template_client_port_is_probed_and_a_stopped_member_fails) {
  const auto port = zt::free_port();
  const auto template_path = cluster_.root() + "/template.cfg";
  zt::write_file(template_path, "clientPort=" + std::to_string(port) + "\nclientPortAddress=127.0.0.1\n");
  auto env = member_env(cluster_, "zk-template");
  env["ZKAGENT_CONFIG_TEMPLATE"] = template_path;
  auto& m = cluster_.start("zk-template", port, {}, env);
  ASSERT_TRUE(zt::zk_cluster::serves(m, zt::serve_deadline));
  const auto where = "127.0.0.1:" + std::to_string(port);
  expect_ready_and_live(env, where);
  expect_down(m, env, where);
}

TEST_F(effective_target, a_kept_zoo_cfg_port_is_probed_and_a_stopped_member_fails) {
  const auto port = zt::free_port();
  const auto dir = cluster_.root() + "/zk-kept";
  ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((dir + "/conf").c_str(), 0755), 0);
  zt::write_file(dir + "/conf/zoo.cfg", "tickTime=2000\ndataDir=" + dir + "/data\ndataLogDir=" + dir +
                                            "/datalog\nclientPort=" + std::to_string(port) +
                                            "\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n"
                                            "4lw.commands.whitelist=srvr,ruok,mntr\n");
  auto env = member_env(cluster_, "zk-kept");
  env["ZKAGENT_KEEP_CONFIG"] = "true";
  auto& m = cluster_.start("zk-kept", port, {}, env);
  ASSERT_TRUE(zt::zk_cluster::serves(m, zt::serve_deadline));
  const auto where = "127.0.0.1:" + std::to_string(port);
  expect_ready_and_live(env, where);
  expect_down(m, env, where);
}

TEST_F(effective_target, an_ipv6_ensemble_on_loopback_is_probed_on_its_server_lines) {
  // ::1 must exist on lo: without it this test cannot show anything, so it fails.
  const auto lo = zt::run({"/bin/sh", "-c", "ip -6 addr show lo"}, zt::minimal_env(), 5s);
  ASSERT_NE(lo.out.find("inet6 ::1/128"), std::string::npos) << "no ::1 on lo (ip -6 addr show lo): " << lo.out << lo.err;
  const auto ports = zt::distinct_free_ports(9);
  std::string servers;
  for (int id = 1; id <= 3; ++id) {
    const auto i = static_cast<std::size_t>(id - 1);
    servers += "server." + std::to_string(id) + "=127.0.0.1:" + std::to_string(ports[3 * i]) + ":" +
               std::to_string(ports[3 * i + 1]) + ";[::1]:" + std::to_string(ports[3 * i + 2]) + " ";
  }
  std::vector<zt::env_vars> envs;
  std::vector<zk_member*> members;
  for (int id = 1; id <= 3; ++id) {
    const auto name = "zk-v6-" + std::to_string(id);
    auto env = member_env(cluster_, name);
    env["ZOO_SERVERS"] = servers;
    env["ZOO_MY_ID"] = std::to_string(id);
    envs.push_back(env);
    members.push_back(&cluster_.start(name, ports[3 * static_cast<std::size_t>(id - 1) + 2], {}, env));
  }
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(ready_within(envs[i], zt::election_deadline)) << probe({"ready"}, envs[i]).result.out;
  }
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(members[i]->name);
    expect_ready_and_live(envs[i], "[::1]:" + std::to_string(members[i]->client_port));
  }
  expect_down(*members[0], envs[0], "[::1]:" + std::to_string(members[0]->client_port));
}

TEST_F(effective_target, a_host_name_client_address_is_looked_up_in_etc_hosts) {
  const auto hosts = zt::read_file("/etc/hosts");
  ASSERT_NE(hosts.find("127.0.0.1"), std::string::npos) << "/etc/hosts lists no 127.0.0.1 localhost: " << hosts;
  const auto port = zt::free_port();
  auto env = member_env(cluster_, "zk-name");
  env["ZOO_CLIENT_PORT"] = std::to_string(port);
  env["ZOO_CLIENT_PORT_ADDRESS"] = "localhost";
  auto& m = cluster_.start("zk-name", port, {}, env);
  ASSERT_TRUE(zt::zk_cluster::serves(m, zt::serve_deadline));
  const auto where = "localhost (127.0.0.1):" + std::to_string(port);
  expect_ready_and_live(env, where);
  expect_down(m, env, where);
}

TEST_F(effective_target, a_zoo_cfg_with_only_a_tls_port_fails_saying_so) {
  const auto dir = cluster_.root() + "/zk-tls";
  ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((dir + "/conf").c_str(), 0755), 0);
  zt::write_file(dir + "/conf/zoo.cfg", "tickTime=2000\ndataDir=" + dir + "/data\nsecureClientPort=2281\n");
  auto env = member_env(cluster_, "zk-tls");
  env["ZKAGENT_KEEP_CONFIG"] = "true";
  for (const std::string name : {"ready", "live"}) {
    SCOPED_TRACE(name);
    const auto run = probe({name}, env);
    EXPECT_EQ(run.result.exit_code, 1) << run.result.out << run.result.err;
    ASSERT_EQ(run.lines.size(), 1U) << run.result.out << run.result.err;
    EXPECT_NE(run.lines.front().find(name + ": FAIL: "), std::string::npos) << run.lines.front();
    EXPECT_NE(run.lines.front().find("only secureClientPort='2281'"), std::string::npos) << run.lines.front();
    EXPECT_NE(run.lines.front().find("does not probe over TLS"), std::string::npos) << run.lines.front();
  }
  // --port still wins: nothing listens there, and the probe says that instead.
  const auto port = zt::free_port();
  EXPECT_TRUE(verdict(probe({"live", "--port=" + std::to_string(port)}, env), "live", false,
                      "127.0.0.1:" + std::to_string(port), "connection refused"));
}

TEST_F(effective_target, a_zoo_cfg_link_the_zookeeper_user_planted_fails_naming_it) {
  // uid 1000 owns the conf folder and links zoo.cfg elsewhere: the probe refuses to follow it, as
  // start would, and says so instead of probing what the link points at.
  ASSERT_EQ(::geteuid(), 0U) << "this test plants a link as uid 1000: run it as root";
  const auto dir = cluster_.root() + "/zk-link";
  ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((dir + "/conf").c_str(), 0755), 0);
  ASSERT_EQ(::chown((dir + "/conf").c_str(), 1000, 1000), 0);
  const auto elsewhere = cluster_.root() + "/elsewhere.cfg";
  zt::write_file(elsewhere, "clientPort=" + std::to_string(zt::free_port()) + "\n");
  ASSERT_EQ(::symlink(elsewhere.c_str(), (dir + "/conf/zoo.cfg").c_str()), 0);
  ASSERT_EQ(::lchown((dir + "/conf/zoo.cfg").c_str(), 1000, 1000), 0);
  const auto run = probe({"ready"}, member_env(cluster_, "zk-link"));
  EXPECT_EQ(run.result.exit_code, 1) << run.result.out << run.result.err;
  ASSERT_EQ(run.lines.size(), 1U) << run.result.out << run.result.err;
  EXPECT_TRUE(run.lines.front().starts_with("ready: FAIL: srvr to ZooKeeper: ")) << run.lines.front();
  EXPECT_NE(run.lines.front().find(dir + "/conf/zoo.cfg"), std::string::npos) << run.lines.front();
}

}  // namespace
