// Real ZooKeeper launched through `zkagent start`: standalone (supervised and --exec), a 3-member
// ensemble configured like docker compose (ZOO_SERVERS + ZOO_MY_ID), the StatefulSet naming path,
// an upstream-style ZooKeeper home with logback, and a root-owned data folder handed to uid 1000.
//
// Loopback only: every port is a free 127.0.0.1 port, the client port is bound to 127.0.0.1 and the
// AdminServer is off. Every wait has a deadline; every process a test starts (zkagent and the JVM
// under it) is killed when the test ends, also when it fails. Missing java, ZooKeeper or kazoo fail
// the test with a message naming what to install: these tests never skip.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
namespace zt = zkagent::testing;
using namespace std::chrono_literals;

constexpr auto serve_deadline = 30s;     // one JVM from start to serving (measured: about 1 s)
constexpr auto election_deadline = 60s;  // three JVMs started together until all serve (about 3 s)
constexpr auto stop_deadline = 10s;      // SIGTERM to exit (measured: about 0.4 s)
constexpr uid_t zookeeper_uid = 1000;    // zkagent's default --uid
const std::string loopback = "127.0.0.1";
const std::string python = "/usr/bin/python3";  // Debian's python3-kazoo is installed for this one only

std::string client_script() { return std::string(ZKAGENT_SOURCE_DIR) + "/tests/integration/zk_client.py"; }
std::string upstream_script() { return std::string(ZKAGENT_SOURCE_DIR) + "/tests/integration/make_upstream_home.sh"; }

// What these tests need from the machine, named so a failure says what to install.
std::string missing_prerequisites() {
  std::string missing;
  bool java = false;
  std::stringstream path(zt::minimal_env().at("PATH"));
  for (std::string dir; std::getline(path, dir, ':');) java = java || ::access((dir + "/java").c_str(), X_OK) == 0;
  if (!java) missing += "java is not on PATH (apt-get install default-jre-headless); ";
  if (!zt::exists("/usr/share/java/zookeeper.jar")) {
    missing += "ZooKeeper is not installed: no /usr/share/java/zookeeper.jar (apt-get install zookeeper); ";
  }
  return missing;
}

std::optional<std::string> status_field(pid_t pid, const std::string& name) {
  std::stringstream in(zt::read_file("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(name + ":")) {
      auto value = line.substr(name.size() + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
  }
  return std::nullopt;
}

// The four ids of a "Uid:" or "Gid:" line (real, effective, saved, filesystem).
std::vector<std::string> ids(pid_t pid, const std::string& name) {
  std::vector<std::string> out;
  std::stringstream in(status_field(pid, name).value_or(""));
  for (std::string id; in >> id;) out.push_back(id);
  return out;
}

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    const auto pid = static_cast<pid_t>(std::stol(name));
    if (status_field(pid, "PPid") == std::to_string(parent)) out.push_back(pid);
  }
  return out;
}

std::vector<pid_t> descendants_of(pid_t root) {
  std::vector<pid_t> out;
  std::vector<pid_t> todo{root};
  while (!todo.empty()) {
    const auto pid = todo.back();
    todo.pop_back();
    for (const auto child : children_of(pid)) {
      out.push_back(child);
      todo.push_back(child);
    }
  }
  return out;
}

std::string exe_name(pid_t pid) {
  std::error_code ec;
  const auto target = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
  return ec ? std::string() : target.filename().string();
}

std::string cmdline(pid_t pid) {
  auto text = zt::read_file("/proc/" + std::to_string(pid) + "/cmdline");
  std::replace(text.begin(), text.end(), '\0', ' ');
  return text;
}

bool is_java(pid_t pid) { return exe_name(pid) == "java" && cmdline(pid).find("QuorumPeerMain") != std::string::npos; }

// Gone, or a zombie that is nobody's business any more.
bool process_gone(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  const auto state = status_field(pid, "State");
  return !state || state->starts_with("Z");
}

std::optional<uid_t> owner(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  return st.st_uid;
}

// "Mode: leader" etc. from srvr; nullopt while not serving (no reply, or the not-serving text).
std::optional<std::string> mode_of(std::uint16_t port) {
  const auto reply = zt::four_letter(loopback, port, "srvr", 2s);
  if (!reply) return std::nullopt;
  const auto at = reply->find("Mode: ");
  if (at == std::string::npos) return std::nullopt;
  const auto begin = at + 6;
  return reply->substr(begin, reply->find('\n', begin) - begin);
}

std::vector<std::uint16_t> distinct_free_ports(std::size_t n) {
  std::set<std::uint16_t> seen;
  std::vector<std::uint16_t> out;
  while (out.size() < n) {
    const auto port = zt::free_port();
    if (seen.insert(port).second) out.push_back(port);
  }
  return out;
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string tail(const std::string& text, std::size_t lines) {
  std::size_t at = text.size();
  for (std::size_t n = 0; n <= lines && at != std::string::npos && at > 0; ++n) at = text.rfind('\n', at - 1);
  return at == std::string::npos ? text : text.substr(at + 1);
}

struct member {
  std::string name;
  std::string dir;  // conf/, data/, datalog/, logs/ below it
  std::uint16_t client_port = 0;
  std::string log_path;
  std::unique_ptr<zt::background_process> process;

  [[nodiscard]] std::string data_dir() const { return dir + "/data"; }
  [[nodiscard]] std::string conf_dir() const { return dir + "/conf"; }
  [[nodiscard]] std::string address() const { return loopback + ":" + std::to_string(client_port); }
  [[nodiscard]] pid_t pid() const { return process->pid(); }
};

class zookeeper : public ::testing::Test {
 protected:
  void SetUp() override {
    // mkdtemp makes 0700 folders: uid 1000 must reach the member folders below.
    fs::permissions(root_.path(), fs::perms(0755));
    if (const auto missing = missing_prerequisites(); !missing.empty()) FAIL() << "cannot run ZooKeeper: " << missing;
  }

  void TearDown() override {
    if (HasFailure()) {
      for (const auto& m : members_) {
        std::cout << "---- " << m->name << ": last lines of " << m->log_path << "\n"
                  << tail(zt::read_file(m->log_path), 60) << "\n";
      }
    }
    // The JVMs first: a SIGKILLed zkagent would leave its JVM running.
    for (const auto& m : members_) {
      if (!m->process->running()) continue;
      for (const auto pid : descendants_of(m->pid())) ::kill(pid, SIGKILL);
    }
    members_.clear();  // SIGKILLs and reaps every zkagent still running
  }

  // `zkagent start` with this member's folders, no AdminServer and a small heap, plus args.
  member& start(const std::string& name, std::uint16_t client_port, const std::vector<std::string>& args,
                zt::env_vars env = zt::minimal_env()) {
    auto m = std::make_unique<member>();
    m->name = name;
    m->dir = root_ / name;
    m->client_port = client_port;
    m->log_path = root_ / (name + ".log");
    std::vector<std::string> argv{ZKAGENT_BINARY,
                                  "start",
                                  "--conf-dir=" + m->conf_dir(),
                                  "--data-dir=" + m->data_dir(),
                                  "--data-log-dir=" + m->dir + "/datalog",
                                  "--log-dir=" + m->dir + "/logs",
                                  "--admin-server-enabled=false",
                                  "--heap=128M"};
    argv.insert(argv.end(), args.begin(), args.end());
    m->process = std::make_unique<zt::background_process>(argv, env, m->log_path);
    members_.push_back(std::move(m));
    return *members_.back();
  }

  // A standalone server on a free loopback client port.
  member& start_standalone(const std::string& name, std::vector<std::string> args = {}) {
    const auto port = zt::free_port();
    args.insert(args.begin(), {"--client-port=" + std::to_string(port), "--client-port-address=" + loopback});
    return start(name, port, args);
  }

  // Until srvr reports a mode, or the member's zkagent has exited, or the deadline.
  static ::testing::AssertionResult serves(member& m, std::chrono::milliseconds deadline) {
    std::optional<std::string> mode;
    const bool done = zt::wait_until(
        [&] {
          mode = mode_of(m.client_port);
          return mode.has_value() || !m.process->running();
        },
        deadline);
    if (mode) return ::testing::AssertionSuccess() << m.name << " serves as " << *mode;
    if (done) {
      return ::testing::AssertionFailure() << m.name << ": zkagent exited with "
                                           << m.process->wait_exit(0ms).value_or(-1) << " before serving";
    }
    return ::testing::AssertionFailure() << m.name << " does not serve on " << m.address() << " after "
                                         << std::chrono::duration_cast<std::chrono::seconds>(deadline).count() << " s";
  }

  // The JVM zkagent supervises: its child running QuorumPeerMain.
  static std::optional<pid_t> jvm_of(const member& m) {
    std::optional<pid_t> found;
    zt::wait_until(
        [&] {
          for (const auto pid : children_of(m.pid())) {
            if (is_java(pid)) found = pid;
          }
          return found.has_value();
        },
        10s);
    return found;
  }

  // SIGTERM, then zkagent's exit code within the deadline (nullopt if it still runs).
  static std::optional<int> stop(member& m) {
    m.process->signal(SIGTERM);
    return m.process->wait_exit(stop_deadline);
  }

  zt::temp_dir root_;  // first member: removed after every process is gone
  std::vector<std::unique_ptr<member>> members_;
};

TEST_F(zookeeper, standalone_serves_as_uid_1000_under_zkagent_and_stops_on_sigterm) {
  ASSERT_EQ(::geteuid(), 0u) << "this test runs as root: zkagent then runs ZooKeeper as uid 1000";
  auto& m = start_standalone("standalone");
  ASSERT_TRUE(serves(m, serve_deadline));
  EXPECT_EQ(mode_of(m.client_port), "standalone");
  EXPECT_EQ(zt::four_letter(loopback, m.client_port, "ruok"), "imok");

  const auto jvm = jvm_of(m);
  ASSERT_TRUE(jvm) << "no java child of zkagent (pid " << m.pid() << ")";
  EXPECT_EQ(status_field(*jvm, "PPid"), std::to_string(m.pid())) << "zkagent is the JVM's parent";
  EXPECT_EQ(ids(*jvm, "Uid"), std::vector<std::string>(4, std::to_string(zookeeper_uid)));
  EXPECT_EQ(ids(*jvm, "Gid"), std::vector<std::string>(4, std::to_string(zookeeper_uid)));

  EXPECT_EQ(stop(m), 143) << "zkagent passes on the JVM's status after SIGTERM";
  EXPECT_TRUE(zt::wait_until([&] { return process_gone(*jvm); }, 5s)) << "the JVM " << *jvm << " is still running";
}

TEST_F(zookeeper, exec_replaces_zkagent_with_the_jvm) {
  auto& m = start_standalone("exec", {"--exec"});
  ASSERT_TRUE(serves(m, serve_deadline));
  EXPECT_EQ(mode_of(m.client_port), "standalone");
  EXPECT_TRUE(is_java(m.pid())) << "pid " << m.pid() << " runs " << exe_name(m.pid()) << ": " << cmdline(m.pid());
  EXPECT_TRUE(children_of(m.pid()).empty()) << "the JVM is zkagent's own process, not a child";
  EXPECT_EQ(stop(m), 143);
}

TEST_F(zookeeper, three_members_from_zoo_servers_elect_one_leader_and_replicate) {
  const auto ports = distinct_free_ports(9);  // per member: quorum, election, client
  std::string servers;
  for (int i = 0; i < 3; ++i) {
    const auto p = [&](int k) { return std::to_string(ports[static_cast<std::size_t>(3 * i + k)]); };
    servers += (i == 0 ? "" : " ") + ("server." + std::to_string(i + 1) + "=" + loopback + ":" + p(0) + ":" + p(1) +
                                      ";" + loopback + ":" + p(2));
  }
  std::vector<member*> members;
  for (int i = 0; i < 3; ++i) {
    auto env = zt::minimal_env();
    env["ZOO_SERVERS"] = servers;
    env["ZOO_MY_ID"] = std::to_string(i + 1);
    members.push_back(&start("zk" + std::to_string(i + 1), ports[static_cast<std::size_t>(3 * i + 2)], {}, env));
  }

  std::vector<std::string> followers;
  int leaders = 0;
  for (auto* m : members) {
    ASSERT_TRUE(serves(*m, election_deadline));
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
  const auto ports = distinct_free_ports(3);
  auto& m = start("zk-0", ports[0],
                  {"--servers=1", "--hostname=zk-0", "--domain=", "--client-port=" + std::to_string(ports[0]),
                   "--client-port-address=" + loopback, "--server-port=" + std::to_string(ports[1]),
                   "--election-port=" + std::to_string(ports[2])});
  ASSERT_TRUE(serves(m, serve_deadline));
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
  ASSERT_TRUE(serves(m, serve_deadline));
  EXPECT_EQ(mode_of(m.client_port), "standalone");
  const auto jvm = jvm_of(m);
  ASSERT_TRUE(jvm);
  const auto command = cmdline(*jvm);
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
      << "no ZooKeeper INFO line in logback's pattern in zkagent's output:\n" << tail(log, 40);
  EXPECT_EQ(log.find("SLF4J:"), std::string::npos) << "slf4j found no (or two) logging backends:\n" << tail(log, 40);
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
  ASSERT_TRUE(serves(m, serve_deadline));
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
