#pragma once
// Shared by the process, CLI and integration tests: temp folders, running a program with a
// deadline, background processes that are always killed, free loopback ports, a four-letter-word
// client, bounded polling. Every wait has a deadline; nothing here sleeps blindly.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zkagent::testing {

// Built with AddressSanitizer (scripts/sanitize): memory bounds and long loops are scaled there.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool built_with_asan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool built_with_asan = true;
#else
inline constexpr bool built_with_asan = false;
#endif
#else
inline constexpr bool built_with_asan = false;
#endif

using namespace std::chrono_literals;
using env_vars = std::map<std::string, std::string>;

class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct run_result {
  int exit_code = -1;  // 128+N when killed by signal N; -1 when the deadline passed
  std::string out;
  std::string err;
  bool timed_out = false;
};

// Runs argv (argv[0] a path) with exactly env, collects stdout and stderr, kills it at the deadline.
// PATH and HOME only, so the host's ZOO_* variables never leak into a test.
env_vars minimal_env();
run_result run(const std::vector<std::string>& argv, const env_vars& env = minimal_env(),
               std::chrono::milliseconds deadline = 30s, const std::string& working_dir = "");

// Starts argv (argv[0] a path) with minimal_env(), stdin from /dev/null and stdout and stderr to
// log_path ("/dev/null" to drop them); returns its pid, or -1 when it could not start. The caller
// reaps it: for tests that run many at once and time their own kills.
pid_t spawn_logged(const std::vector<std::string>& argv, const std::string& log_path);

// A process running in the background, output to a log file; killed (SIGKILL) and reaped on
// destruction unless it already exited.
class background_process {
 public:
  background_process(const std::vector<std::string>& argv, const env_vars& env, const std::string& log_path);
  ~background_process();
  background_process(const background_process&) = delete;
  background_process& operator=(const background_process&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // The exit code (128+N for signal N), or nullopt if it still runs at the deadline.
  std::optional<int> wait_exit(std::chrono::milliseconds deadline);
  [[nodiscard]] bool running();
  [[nodiscard]] std::string log() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_path_;
};

std::uint16_t free_port();  // a port on 127.0.0.1 that was free a moment ago

// A port on 127.0.0.1 held by a listening socket for this object's life: to make a server fail to bind.
class held_port {
 public:
  held_port();
  ~held_port();
  held_port(const held_port&) = delete;
  held_port& operator=(const held_port&) = delete;
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// Sends exactly `command` to host:port, reads to EOF; nullopt on connect failure or deadline.
std::optional<std::string> four_letter(const std::string& host, std::uint16_t port, const std::string& command,
                                       std::chrono::milliseconds deadline = 2s);

// Polls pred every 20 ms until it is true or the deadline passes.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds deadline);

std::string read_file(const std::string& path);
// The lines of a text, without their newlines.
std::vector<std::string> lines_of(const std::string& text);
void write_file(const std::string& path, const std::string& content);
bool exists(const std::string& path);
// Every regular file below root with its content, for byte-identical before/after checks.
std::map<std::string, std::string> snapshot_tree(const std::string& root);

}  // namespace zkagent::testing
