#include "zk_cluster.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

namespace zkagent::testing {
namespace fs = std::filesystem;

std::string missing_zookeeper_prerequisites() {
  std::string missing;
  bool java = false;
  std::stringstream path(minimal_env().at("PATH"));
  for (std::string dir; std::getline(path, dir, ':');) java = java || ::access((dir + "/java").c_str(), X_OK) == 0;
  if (!java) missing += "java is not on PATH (apt-get install default-jre-headless); ";
  if (!exists("/usr/share/java/zookeeper.jar")) {
    missing += "ZooKeeper is not installed: no /usr/share/java/zookeeper.jar (apt-get install zookeeper); ";
  }
  return missing;
}

std::optional<std::string> proc_status_field(pid_t pid, const std::string& name) {
  std::stringstream in(read_file("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(name + ":")) {
      auto value = line.substr(name.size() + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
  }
  return std::nullopt;
}

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    const auto pid = static_cast<pid_t>(std::stol(name));
    if (proc_status_field(pid, "PPid") == std::to_string(parent)) out.push_back(pid);
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
  auto text = read_file("/proc/" + std::to_string(pid) + "/cmdline");
  std::replace(text.begin(), text.end(), '\0', ' ');
  return text;
}

bool is_java(pid_t pid) { return exe_name(pid) == "java" && cmdline(pid).find("QuorumPeerMain") != std::string::npos; }

bool process_gone(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  const auto state = proc_status_field(pid, "State");
  return !state || state->starts_with("Z");
}

std::vector<std::uint16_t> distinct_free_ports(std::size_t n) {
  std::set<std::uint16_t> seen;
  std::vector<std::uint16_t> out;
  while (out.size() < n) {
    const auto port = free_port();
    if (seen.insert(port).second) out.push_back(port);
  }
  return out;
}

std::string tail(const std::string& text, std::size_t lines) {
  std::size_t at = text.size();
  for (std::size_t n = 0; n <= lines && at != std::string::npos && at > 0; ++n) at = text.rfind('\n', at - 1);
  return at == std::string::npos ? text : text.substr(at + 1);
}

std::optional<std::string> mode_of(std::uint16_t port) {
  const auto reply = four_letter(loopback, port, "srvr", 2s);
  if (!reply) return std::nullopt;
  const auto at = reply->find("Mode: ");
  if (at == std::string::npos) return std::nullopt;
  const auto begin = at + 6;
  return reply->substr(begin, reply->find('\n', begin) - begin);
}

zk_ensemble plan_ensemble(int voters, int observers) {
  const auto members = static_cast<std::size_t>(voters + observers);
  const auto ports = distinct_free_ports(3 * members);  // per member: quorum, election, client
  zk_ensemble out;
  for (std::size_t i = 0; i < members; ++i) {
    const auto p = [&](std::size_t k) { return std::to_string(ports[3 * i + k]); };
    const std::string role = i >= static_cast<std::size_t>(voters) ? ":observer" : "";
    out.servers += (i == 0 ? "" : " ") + ("server." + std::to_string(i + 1) + "=" + loopback + ":" + p(0) + ":" + p(1) +
                                          role + ";" + loopback + ":" + p(2));
    out.client_ports.push_back(ports[3 * i + 2]);
  }
  return out;
}

zk_cluster::zk_cluster(std::string root) : root_(std::move(root)) {
  // mkdtemp makes 0700 folders: uid 1000 (zkagent's default --uid) must reach the member folders.
  fs::permissions(root_, fs::perms(0755));
}

zk_cluster::~zk_cluster() { kill_all(); }

zk_member& zk_cluster::start(const std::string& name, std::uint16_t client_port, const std::vector<std::string>& args,
                             env_vars env) {
  auto m = std::make_unique<zk_member>();
  m->name = name;
  m->dir = root_ + "/" + name;
  m->client_port = client_port;
  m->log_path = root_ + "/" + name + ".log";
  std::vector<std::string> argv{ZKAGENT_BINARY,
                                "start",
                                "--conf-dir=" + m->conf_dir(),
                                "--data-dir=" + m->data_dir(),
                                "--data-log-dir=" + m->dir + "/datalog",
                                "--log-dir=" + m->dir + "/logs",
                                "--heap=128M"};
  const bool admin_flags = std::any_of(args.begin(), args.end(), [](const std::string& a) {
    return a.starts_with("--admin-server-");
  });
  if (!admin_flags) argv.emplace_back("--admin-server-enabled=false");
  argv.insert(argv.end(), args.begin(), args.end());
  m->process = std::make_unique<background_process>(argv, env, m->log_path);
  m->argv = std::move(argv);
  m->env = std::move(env);
  members_.push_back(std::move(m));
  return *members_.back();
}

zk_member& zk_cluster::restart(zk_member& m) {
  if (m.process->running()) throw std::logic_error(m.name + " still runs: stop it before restarting it");
  m.process = std::make_unique<background_process>(m.argv, m.env, m.log_path);
  return m;
}

zk_member& zk_cluster::start_standalone(const std::string& name, std::vector<std::string> args) {
  const auto port = free_port();
  args.insert(args.begin(), {"--client-port=" + std::to_string(port), "--client-port-address=" + loopback});
  return start(name, port, args);
}

zk_member& zk_cluster::start_member(const zk_ensemble& ensemble, int id, const std::vector<std::string>& args,
                                    env_vars env) {
  env["ZOO_SERVERS"] = ensemble.servers;
  env["ZOO_MY_ID"] = std::to_string(id);
  return start("zk" + std::to_string(id), ensemble.client_ports.at(static_cast<std::size_t>(id - 1)), args, env);
}

::testing::AssertionResult zk_cluster::serves(zk_member& m, std::chrono::milliseconds deadline) {
  std::optional<std::string> mode;
  const bool done = wait_until(
      [&] {
        mode = mode_of(m.client_port);
        return mode.has_value() || !m.process->running();
      },
      deadline);
  if (mode) return ::testing::AssertionSuccess() << m.name << " serves as " << *mode;
  if (done) {
    return ::testing::AssertionFailure() << m.name << ": zkagent exited with " << m.process->wait_exit(0ms).value_or(-1)
                                         << " before serving";
  }
  return ::testing::AssertionFailure() << m.name << " does not serve on " << m.address() << " after "
                                       << std::chrono::duration_cast<std::chrono::seconds>(deadline).count() << " s";
}

std::optional<pid_t> zk_cluster::jvm_of(const zk_member& m) {
  std::optional<pid_t> found;
  wait_until(
      [&] {
        for (const auto pid : children_of(m.pid())) {
          if (is_java(pid)) found = pid;
        }
        return found.has_value();
      },
      10s);
  return found;
}

std::optional<int> zk_cluster::stop(zk_member& m) {
  m.process->signal(SIGTERM);
  return m.process->wait_exit(stop_deadline);
}

std::string zk_cluster::report(std::size_t lines) const {
  std::string out;
  for (const auto& m : members_) {
    out += "---- " + m->name + ": last lines of " + m->log_path + "\n" + tail(read_file(m->log_path), lines) + "\n";
  }
  return out;
}

void zk_cluster::kill_all() {
  for (const auto& m : members_) {
    if (!m->process->running()) continue;
    for (const auto pid : descendants_of(m->pid())) ::kill(pid, SIGKILL);
  }
  members_.clear();  // SIGKILLs and reaps every zkagent still running
}

}  // namespace zkagent::testing
