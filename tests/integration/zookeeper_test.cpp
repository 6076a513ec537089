// Real ZooKeeper launched through `zkagent start`: standalone (supervised and --exec), a 3-member
// ensemble configured like docker compose (ZOO_SERVERS + ZOO_MY_ID), the StatefulSet naming path,
// an upstream-style ZooKeeper home with logback, and a root-owned data folder handed to uid 1000.
//
// Loopback only (tests/helpers/zk_cluster): every port is a free 127.0.0.1 port, the client port is
// bound to 127.0.0.1 and the AdminServer is off. Every wait has a deadline; every process a test
// starts (zkagent and the JVM under it) is killed when the test ends, also when it fails. Missing java, ZooKeeper or kazoo fail
// the test with a message naming what to install: these tests never skip.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "zk_cluster.hpp"

namespace {

namespace fs = std::filesystem;
namespace zt = zkagent::testing;
using namespace std::chrono_literals;
using zt::loopback;
using zt::mode_of;
using zt::zk_member;

constexpr uid_t zookeeper_uid = 1000;    // zkagent's default --uid
const std::string python = "/usr/bin/python3";  // Debian's python3-kazoo is installed for this one only

std::string client_script() { return std::string(ZKAGENT_SOURCE_DIR) + "/tests/integration/zk_client.py"; }
std::string upstream_script() { return std::string(ZKAGENT_SOURCE_DIR) + "/tests/integration/make_upstream_home.sh"; }

// The four ids of a "Uid:" or "Gid:" line (real, effective, saved, filesystem).
std::vector<std::string> ids(pid_t pid, const std::string& name) {
  std::vector<std::string> out;
  std::stringstream in(zt::proc_status_field(pid, name).value_or(""));
  for (std::string id; in >> id;) out.push_back(id);
  return out;
}

std::optional<uid_t> owner(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  return st.st_uid;
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

class zookeeper : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto missing = zt::missing_zookeeper_prerequisites(); !missing.empty()) {
      FAIL() << "cannot run ZooKeeper: " << missing;
    }
  }

  void TearDown() override {
    if (HasFailure()) std::cout << cluster_.report();
    cluster_.kill_all();
  }

  zk_member& start(const std::string& name, std::uint16_t client_port, const std::vector<std::string>& args,
                   zt::env_vars env = zt::minimal_env()) {
    return cluster_.start(name, client_port, args, std::move(env));
  }
  zk_member& start_standalone(const std::string& name, std::vector<std::string> args = {}) {
    return cluster_.start_standalone(name, std::move(args));
  }
  static ::testing::AssertionResult serves(zk_member& m, std::chrono::milliseconds deadline) {
    return zt::zk_cluster::serves(m, deadline);
  }
  static std::optional<pid_t> jvm_of(const zk_member& m) { return zt::zk_cluster::jvm_of(m); }
  static std::optional<int> stop(zk_member& m) { return zt::zk_cluster::stop(m); }

  zt::temp_dir root_;  // first member: removed after every process is gone
  zt::zk_cluster cluster_{root_.path()};
};

TEST_F(zookeeper, standalone_serves_as_uid_1000_under_zkagent_and_stops_on_sigterm) {
  ASSERT_EQ(::geteuid(), 0u) << "this test runs as root: zkagent then runs ZooKeeper as uid 1000";
  auto& m = start_standalone("standalone");
  ASSERT_TRUE(serves(m, zt::serve_deadline));
  EXPECT_EQ(mode_of(m.client_port), "standalone");
  EXPECT_EQ(zt::four_letter(loopback, m.client_port, "ruok"), "imok");

  const auto jvm = jvm_of(m);
  ASSERT_TRUE(jvm) << "no java child of zkagent (pid " << m.pid() << ")";
  EXPECT_EQ(zt::proc_status_field(*jvm, "PPid"), std::to_string(m.pid())) << "zkagent is the JVM's parent";
  EXPECT_EQ(ids(*jvm, "Uid"), std::vector<std::string>(4, std::to_string(zookeeper_uid)));
  EXPECT_EQ(ids(*jvm, "Gid"), std::vector<std::string>(4, std::to_string(zookeeper_uid)));

  EXPECT_EQ(stop(m), 143) << "zkagent passes on the JVM's status after SIGTERM";
  EXPECT_TRUE(zt::wait_until([&] { return zt::process_gone(*jvm); }, 5s)) << "the JVM " << *jvm << " is still running";
}

TEST_F(zookeeper, exec_replaces_zkagent_with_the_jvm) {
  auto& m = start_standalone("exec", {"--exec"});
  ASSERT_TRUE(serves(m, zt::serve_deadline));
  EXPECT_EQ(mode_of(m.client_port), "standalone");
  EXPECT_TRUE(zt::is_java(m.pid())) << "pid " << m.pid() << " runs " << zt::exe_name(m.pid()) << ": " << zt::cmdline(m.pid());
  EXPECT_TRUE(zt::children_of(m.pid()).empty()) << "the JVM is zkagent's own process, not a child";
  EXPECT_EQ(stop(m), 143);
}

TEST_F(zookeeper, three_members_from_zoo_servers_elect_one_leader_and_replicate) {
  const auto ensemble = zt::plan_ensemble(3);  // ZOO_SERVERS, as docker compose files set it
  std::vector<zk_member*> members;
  for (int id = 1; id <= 3; ++id) members.push_back(&cluster_.start_member(ensemble, id));

  std::vector<std::string> followers;
  int leaders = 0;
  for (auto* m : members) {
    ASSERT_TRUE(serves(*m, zt::election_deadline));
    const auto mode = mode_of(m->client_port);
    if (mode == "leader") ++leaders;
    if (mode == "follower") followers.push_back(m->address());
    EXPECT_EQ(trim(zt::read_file(m->data_dir() + "/myid")), m->name.substr(2));
  }
  EXPECT_EQ(leaders, 1);
  ASSERT_EQ(followers.size(), 2u);

  // Written through one follower (forwarded to the leader), read through the other.
  const auto client = zt::run({python, client_script(), "roundtrip", followers[0], followers[1],
                               "/zkagent-test/ensemble", "replicated"},
                              zt::minimal_env(), 60s);
  EXPECT_EQ(client.exit_code, 0) << "kazoo client (" << python << " " << client_script() << "): " << client.out
                                 << client.err;

  for (auto* m : members) EXPECT_EQ(stop(*m), 143) << m->name;
}

TEST_F(zookeeper, statefulset_member_zk_0_alone_serves) {
  const auto ports = zt::distinct_free_ports(3);
  auto& m = start("zk-0", ports[0],
                  {"--servers=1", "--hostname=zk-0", "--domain=", "--client-port=" + std::to_string(ports[0]),
                   "--client-port-address=" + loopback, "--server-port=" + std::to_string(ports[1]),
                   "--election-port=" + std::to_string(ports[2])});
  ASSERT_TRUE(serves(m, zt::serve_deadline));
  EXPECT_EQ(mode_of(m.client_port), "standalone");  // one member, standaloneEnabled=true
  const auto cfg = zt::read_file(m.conf_dir() + "/zoo.cfg");
  EXPECT_NE(cfg.find("\nserver.1=zk-0:" + std::to_string(ports[1]) + ":" + std::to_string(ports[2]) + ";"),
            std::string::npos)
      << cfg;
  EXPECT_EQ(trim(zt::read_file(m.data_dir() + "/myid")), "1");
  EXPECT_EQ(stop(m), 143);
}

TEST_F(zookeeper, upstream_home_with_logback_logs_to_zkagent_output) {
  const auto home = root_ / "apache-zookeeper-bin";
  const auto built = zt::run({"/bin/bash", upstream_script(), home}, zt::minimal_env(), 120s);
  ASSERT_EQ(built.exit_code, 0) << upstream_script() << " failed (it needs zip, unzip and liblogback-java):\n"
                                << built.out << built.err;

  auto& m = start_standalone("upstream", {"--zookeeper-home=" + home});
  ASSERT_TRUE(serves(m, zt::serve_deadline));
  EXPECT_EQ(mode_of(m.client_port), "standalone");
  const auto jvm = jvm_of(m);
  ASSERT_TRUE(jvm);
  const auto command = zt::cmdline(*jvm);
  EXPECT_NE(command.find(home + "/lib/"), std::string::npos) << command;
  EXPECT_EQ(command.find("/usr/share/java/"), std::string::npos) << "Debian's jars leak in: " << command;

  // ZooKeeper's INFO lines in zkagent's output, formatted by logback: the pattern's %C{1} gives
  // "o.a.z.s.ZooKeeperServer" in logback (packages shortened) and "ZooKeeperServer" in log4j.
  std::string log;
  EXPECT_TRUE(zt::wait_until(
      [&] {
        log = m.process->log();
        return log.find("] - INFO  [main:o.a.z.") != std::string::npos;
      },
      10s))
      << "no ZooKeeper INFO line in logback's pattern in zkagent's output:\n" << zt::tail(log, 40);
  EXPECT_EQ(log.find("SLF4J:"), std::string::npos) << "slf4j found no (or two) logging backends:\n" << zt::tail(log, 40);
  EXPECT_EQ(stop(m), 143);
}

TEST_F(zookeeper, root_owned_data_folder_is_handed_to_uid_1000) {
  ASSERT_EQ(::geteuid(), 0u) << "this test runs as root: it is about a root-owned folder";
  const auto data = root_ / "owned/data";
  fs::create_directories(data);
  fs::permissions(root_ / "owned", fs::perms(0755));
  fs::permissions(data, fs::perms(0755));
  zt::write_file(data + "/left-by-root", "root was here\n");
  ASSERT_EQ(owner(data), 0u);
  ASSERT_EQ(owner(data + "/left-by-root"), 0u);

  auto& m = start_standalone("owned");
  ASSERT_TRUE(serves(m, zt::serve_deadline));
  std::error_code ec;
  std::vector<std::string> wrong;
  if (owner(data) != zookeeper_uid) wrong.push_back(data);
  for (const auto& entry : fs::recursive_directory_iterator(data, ec)) {
    if (owner(entry.path().string()) != zookeeper_uid) wrong.push_back(entry.path().string());
  }
  EXPECT_TRUE(wrong.empty()) << "not owned by uid " << zookeeper_uid << ": " << ::testing::PrintToString(wrong);
  EXPECT_TRUE(zt::exists(data + "/version-2")) << "ZooKeeper (uid 1000) wrote nothing into " << data;
  EXPECT_EQ(stop(m), 143);
}

}  // namespace
