#pragma once
// Real ZooKeeper members launched through `zkagent start`, shared by the integration and probe
// tests. Loopback only: every port is a free 127.0.0.1 port and client ports bind 127.0.0.1. Every
// wait has a deadline; every process a cluster starts (zkagent and the JVM under it) is killed when
// the cluster goes away, also when the test failed.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace zkagent::testing {

inline const std::string loopback = "127.0.0.1";
inline constexpr auto serve_deadline = 30s;     // one JVM from start to serving (measured: about 1 s)
inline constexpr auto election_deadline = 60s;  // three JVMs started together until all serve (about 3 s)
inline constexpr auto stop_deadline = 10s;      // SIGTERM to exit (measured: about 0.4 s)

// What running ZooKeeper needs from the machine, named so a failure says what to install; empty
// when everything is there. Tests FAIL on a non-empty answer: they never skip.
std::string missing_zookeeper_prerequisites();

// /proc views of processes.
std::optional<std::string> proc_status_field(pid_t pid, const std::string& name);  // "PPid", "State", ...
std::vector<pid_t> children_of(pid_t parent);
std::vector<pid_t> descendants_of(pid_t root);
std::string exe_name(pid_t pid);
std::string cmdline(pid_t pid);
bool is_java(pid_t pid);       // a java process running QuorumPeerMain
bool process_gone(pid_t pid);  // gone, or a zombie that is nobody's business any more

std::vector<std::uint16_t> distinct_free_ports(std::size_t n);
// The last `lines` lines of a text.
std::string tail(const std::string& text, std::size_t lines);
// srvr's Mode on 127.0.0.1:port ("leader", ...); nullopt while not serving (no reply, or the
// not-serving text).
std::optional<std::string> mode_of(std::uint16_t port);

struct zk_member {
  std::string name;
  std::string dir;  // conf/, data/, datalog/, logs/ below it
  std::uint16_t client_port = 0;
  std::string log_path;  // zkagent's and ZooKeeper's output (a restart appends)
  std::unique_ptr<background_process> process;
  std::vector<std::string> argv;  // how it was started, for restart()
  env_vars env;

  [[nodiscard]] std::string data_dir() const { return dir + "/data"; }
  [[nodiscard]] std::string conf_dir() const { return dir + "/conf"; }
  [[nodiscard]] std::string address() const { return loopback + ":" + std::to_string(client_port); }
  [[nodiscard]] pid_t pid() const { return process->pid(); }
};

// An ensemble's member list for ZOO_SERVERS: voters, then observers, with their own free ports;
// client ports bound to 127.0.0.1. Member ids are 1..n in that order.
struct zk_ensemble {
  std::string servers;                      // "server.1=127.0.0.1:Q:E;127.0.0.1:C server.2=..."
  std::vector<std::uint16_t> client_ports;  // by id - 1
};
zk_ensemble plan_ensemble(int voters, int observers = 0);

class zk_cluster {
 public:
  explicit zk_cluster(std::string root);  // member folders go below root (made 0755 for uid 1000)
  ~zk_cluster();                          // kill_all()
  zk_cluster(const zk_cluster&) = delete;
  zk_cluster& operator=(const zk_cluster&) = delete;

  // `zkagent start` with this member's folders, a 128M heap and the AdminServer off (unless args
  // set an --admin-server-* flag), then args. Output goes to root/<name>.log.
  zk_member& start(const std::string& name, std::uint16_t client_port, const std::vector<std::string>& args,
                   env_vars env = minimal_env());
  // A standalone server on a free loopback client port.
  zk_member& start_standalone(const std::string& name, std::vector<std::string> args = {});
  // Member `id` (1-based) of an ensemble, through ZOO_SERVERS and ZOO_MY_ID.
  zk_member& start_member(const zk_ensemble& ensemble, int id, const std::vector<std::string>& args = {},
                          env_vars env = minimal_env());

  // Starts a member whose zkagent has exited again, exactly as before (same folders, args and
  // environment): a restarted pod.
  zk_member& restart(zk_member& m);

  // Until srvr reports a mode, or the member's zkagent has exited, or the deadline.
  static ::testing::AssertionResult serves(zk_member& m, std::chrono::milliseconds deadline);
  // The JVM zkagent supervises: its child running QuorumPeerMain (waits up to 10 s for it).
  static std::optional<pid_t> jvm_of(const zk_member& m);
  // SIGTERM, then zkagent's exit code within stop_deadline (nullopt if it still runs).
  static std::optional<int> stop(zk_member& m);

  // The last lines of every member's output, for a failing test's report.
  [[nodiscard]] std::string report(std::size_t lines = 60) const;
  // SIGKILL every JVM (first: a SIGKILLed zkagent would leave its JVM running), then every zkagent.
  void kill_all();

  [[nodiscard]] const std::string& root() const { return root_; }

 private:
  std::string root_;
  std::vector<std::unique_ptr<zk_member>> members_;
};

}  // namespace zkagent::testing
