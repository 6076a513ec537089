// The supervisor in real processes: supervise_driver runs signal_block + supervise (or exec_replace)
// on signal_child, which reports what it sees on stdout. Every wait is bounded polling; every
// process a test starts is in its own process group, killed with it when the test ends.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "entrypoint/inherited_fds.hpp"
#include "entrypoint/signal_name.hpp"
#include "entrypoint/supervisor.hpp"

namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr auto patience = 10s;   // how long any one wait may take before the test fails
constexpr int poll_step_ms = 10;

enum class mode { supervise, exec };

std::string mode_name(mode m) { return m == mode::supervise ? "supervise" : "exec"; }
void PrintTo(mode m, std::ostream* os) { *os << mode_name(m); }

// A test-name-safe name: "TERM", "RTMIN_plus_3".
std::string signal_name(int sig) {
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    return sig == SIGRTMIN ? "RTMIN" : "RTMIN_plus_" + std::to_string(sig - SIGRTMIN);
  }
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev != nullptr ? abbrev : std::to_string(sig);
}

// Every signal the supervisor must forward, written out (not computed from the code under test):
// all that another process may send, minus the synchronous ones, SIGCHLD, SIGTTIN and SIGTTOU.
std::vector<int> signals_to_forward() {
  std::vector<int> out{SIGHUP,    SIGINT,  SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
                       SIGTERM,   SIGSTKFLT, SIGCONT, SIGTSTP, SIGURG,  SIGXCPU, SIGXFSZ,
                       SIGVTALRM, SIGPROF, SIGWINCH, SIGIO,   SIGPWR};
  for (int sig = SIGRTMIN; sig <= SIGRTMAX; ++sig) out.push_back(sig);
  return out;
}

struct launch_options {
  mode how = mode::supervise;
  std::vector<std::string> driver_flags;  // before "--"
  std::vector<int> ignored_signals;       // SIG_IGN in the driver from the start, as nohup does
  std::vector<int> leaked_fds;             // the driver starts with these fds open, no O_CLOEXEC
};

launch_options in_mode(mode how, std::vector<std::string> driver_flags = {}, std::vector<int> ignored_signals = {}) {
  launch_options options;
  options.how = how;
  options.driver_flags = std::move(driver_flags);
  options.ignored_signals = std::move(ignored_signals);
  return options;
}

// supervise_driver started in its own process group with stdout and stderr piped back to us.
// The driver is never reaped before the destructor (its exit is read with WNOWAIT), so its pid,
// and with it the process group id, cannot be reused while we may still kill that group.
class driver_process {
 public:
  driver_process(const std::vector<std::string>& child_args, const launch_options& options = {}) {
    std::vector<std::string> args{SUPERVISE_DRIVER_BINARY};
    if (options.how == mode::exec) args.emplace_back("--exec");
    args.insert(args.end(), options.driver_flags.begin(), options.driver_flags.end());
    args.emplace_back("--");
    args.insert(args.end(), child_args.begin(), child_args.end());
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);

    std::array<int, 2> out{-1, -1};
    std::array<int, 2> err{-1, -1};
    if (::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe2 failed");
    }
    pid_ = ::fork();
    if (pid_ == -1) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::setpgid(0, 0);
      const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      ::dup2(null_fd, STDIN_FILENO);  // whatever the test runner gave us, fd 0 is open and known
      ::dup2(out[1], STDOUT_FILENO);
      ::dup2(err[1], STDERR_FILENO);
      for (const int fd : options.leaked_fds) ::dup2(null_fd, fd);
      for (const int sig : options.ignored_signals) ::signal(sig, SIG_IGN);
      ::execv(argv[0], argv.data());
      ::_exit(99);
    }
    ::setpgid(pid_, pid_);  // also here, so the group exists before we could need to kill it
    ::close(out[1]);
    ::close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
  }

  ~driver_process() {
    ::kill(-pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) == -1 && errno == EINTR) {
    }
    ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
  }

  driver_process(const driver_process&) = delete;
  driver_process& operator=(const driver_process&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] const std::string& stderr_text() const { return err_; }

  // Closes our end of the driver's stderr: its next log write fails with EPIPE and raises SIGPIPE.
  void close_stderr() {
    ::close(err_fd_);
    err_fd_ = -1;
    err_eof_ = true;
  }

  // The next line on stdout, or nullopt at EOF or when it does not come in time.
  std::optional<std::string> next_line() {
    const auto deadline = steady::now() + patience;
    for (;;) {
      if (const auto end = out_.find('\n'); end != std::string::npos) {
        std::string line = out_.substr(0, end);
        out_.erase(0, end + 1);
        return line;
      }
      if (out_eof_ || steady::now() > deadline) return std::nullopt;
      pump();
    }
  }

  // Waits until stderr (the supervisor's log) contains needle.
  bool wait_for_log(std::string_view needle) {
    const auto deadline = steady::now() + patience;
    while (err_.find(needle) == std::string::npos) {
      if (err_eof_ || steady::now() > deadline) return false;
      pump();
    }
    return true;
  }

  // The exit code as a shell reports it: the status, or 128+N when signal N killed the process.
  std::optional<int> wait_exit() {
    const auto deadline = steady::now() + patience;
    for (;;) {
      siginfo_t info{};
      if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_) {
        drain();
        return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
      }
      if (steady::now() > deadline) return std::nullopt;
      pump();
    }
  }

  [[nodiscard]] bool running() const {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0;
  }

 private:
  // Reads whatever is available within one poll step (keeping the pipes from filling up).
  void pump() {
    std::array<pollfd, 2> fds{pollfd{out_eof_ ? -1 : out_fd_, POLLIN, 0}, pollfd{err_eof_ ? -1 : err_fd_, POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), poll_step_ms) <= 0) return;
    if (fds[0].revents != 0) read_into(out_fd_, out_, out_eof_);
    if (fds[1].revents != 0) read_into(err_fd_, err_, err_eof_);
  }

  // After exit: take what is already buffered without waiting for writers that may live on.
  void drain() {
    for (int i = 0; i < 100; ++i) {
      std::array<pollfd, 2> fds{pollfd{out_eof_ ? -1 : out_fd_, POLLIN, 0},
                                pollfd{err_eof_ ? -1 : err_fd_, POLLIN, 0}};
      if (::poll(fds.data(), fds.size(), 0) <= 0) return;
      if (fds[0].revents != 0) read_into(out_fd_, out_, out_eof_);
      if (fds[1].revents != 0) read_into(err_fd_, err_, err_eof_);
    }
  }

  static void read_into(int fd, std::string& buffer, bool& eof) {
    std::array<char, 4096> chunk{};
    const ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n > 0) {
      buffer.append(chunk.data(), static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      eof = true;
    }
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string err_;
  bool out_eof_ = false;
  bool err_eof_ = false;
};

std::vector<std::string> child(std::vector<std::string> actions) {
  actions.insert(actions.begin(), SIGNAL_CHILD_BINARY);
  return actions;
}

// A field of /proc/<pid>/status ("SigBlk", "PPid", ...), without its label.
std::optional<std::string> status_field(pid_t pid, std::string_view key) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  const std::string label = std::string(key) + ":";
  while (std::getline(status, line)) {
    if (line.starts_with(label)) {
      const auto value = line.find_first_not_of(" \t", label.size());
      return value == std::string::npos ? std::string() : line.substr(value);
    }
  }
  return std::nullopt;
}

std::uint64_t signal_bit(int sig) { return std::uint64_t{1} << (sig - 1); }

std::uint64_t status_mask(pid_t pid, std::string_view key) {
  const auto field = status_field(pid, key);
  return field ? std::stoull(*field, nullptr, 16) : ~std::uint64_t{0};
}

// The next line on stdout must be expected (fatal otherwise, so callers wrap it in ASSERT_NO_FATAL_FAILURE).
void expect_line(driver_process& driver, const std::string& expected) {
  const auto line = driver.next_line();
  ASSERT_TRUE(line.has_value()) << "no line, expected \"" << expected << "\"; log:\n" << driver.stderr_text();
  ASSERT_EQ(*line, expected) << "log:\n" << driver.stderr_text();
}

// A file that exists but cannot be executed (no x bit; even root needs one to exec).
class non_executable_file {
 public:
  non_executable_file() {
    std::string name = (std::filesystem::temp_directory_path() / "zkagent-noexec-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    const std::string_view script = "#!/bin/sh\nexit 0\n";
    const bool written = ::write(fd, script.data(), script.size()) == static_cast<ssize_t>(script.size());
    ::fchmod(fd, 0644);
    ::close(fd);
    if (!written) throw std::runtime_error("write failed");
    path_ = name;
  }
  ~non_executable_file() { ::unlink(path_.c_str()); }
  non_executable_file(const non_executable_file&) = delete;
  non_executable_file& operator=(const non_executable_file&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// ---- behaviour shared by both modes -------------------------------------------------------------

class both_modes : public ::testing::TestWithParam<mode> {};

INSTANTIATE_TEST_SUITE_P(modes, both_modes, ::testing::Values(mode::supervise, mode::exec),
                         [](const auto& p) { return mode_name(p.param); });

TEST_P(both_modes, child_starts_with_empty_blocked_and_ignored_masks) {
  // The driver inherits SIGHUP, SIGPIPE and a real-time signal ignored and blocks the forwarded
  // signals (real-time ones too) itself: none of that may reach the child.
  driver_process driver(child({"status", "wait"}), in_mode(GetParam(), {}, {SIGHUP, SIGPIPE, SIGRTMIN + 2}));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "SigBlk:\t0000000000000000"));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "SigIgn:\t0000000000000000"));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "ready"));
  if (GetParam() == mode::supervise) {
    // The premise: the supervisor itself still ignores SIGHUP. (Its SigBlk cannot be checked the
    // same way: inside sigtimedwait the kernel shows the waited-for signals as unblocked.)
    EXPECT_NE(status_mask(driver.pid(), "SigIgn") & signal_bit(SIGHUP), 0U);
    EXPECT_NE(status_mask(driver.pid(), "SigIgn") & signal_bit(SIGRTMIN + 2), 0U);
  }
  ASSERT_EQ(::kill(driver.pid(), SIGTERM), 0);
  EXPECT_EQ(driver.wait_exit(), 128 + SIGTERM) << driver.stderr_text();
}

// The driver starts with fds 10 and 300 open without O_CLOEXEC; the child must see only 0, 1, 2.
// --deny-close-range: close_range fails with ENOSYS as on kernels before 5.9, so the /proc
// fallback is what closes them.
void expect_only_stdio_in_child(mode how, std::vector<std::string> driver_flags) {
  auto options = in_mode(how, std::move(driver_flags));
  options.leaked_fds = {10, 300};
  driver_process driver(child({"fds", "wait"}), options);
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "fds 0 1 2"));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "ready"));
  if (how == mode::supervise) {
    // The premise: the supervisor itself has the leaked fds open.
    EXPECT_TRUE(std::filesystem::exists("/proc/" + std::to_string(driver.pid()) + "/fd/10"));
    EXPECT_TRUE(std::filesystem::exists("/proc/" + std::to_string(driver.pid()) + "/fd/300"));
  }
  ASSERT_EQ(::kill(driver.pid(), SIGTERM), 0);
  EXPECT_EQ(driver.wait_exit(), 128 + SIGTERM) << driver.stderr_text();
}

TEST_P(both_modes, child_inherits_only_stdin_stdout_stderr) { expect_only_stdio_in_child(GetParam(), {}); }

TEST_P(both_modes, child_inherits_only_stdin_stdout_stderr_without_close_range) {
  expect_only_stdio_in_child(GetParam(), {"--deny-close-range"});
}

TEST_P(both_modes, missing_program_exits_127_naming_it) {
  const std::string missing = "/nonexistent/zkagent-test/missing-program";
  driver_process driver({missing, "arg"}, in_mode(GetParam()));
  EXPECT_EQ(driver.wait_exit(), 127) << driver.stderr_text();
  EXPECT_NE(driver.stderr_text().find(missing), std::string::npos) << driver.stderr_text();
  EXPECT_NE(driver.stderr_text().find("No such file or directory"), std::string::npos) << driver.stderr_text();
}

TEST_P(both_modes, non_executable_program_exits_126_naming_it) {
  const non_executable_file file;
  driver_process driver({file.path()}, in_mode(GetParam()));
  EXPECT_EQ(driver.wait_exit(), 126) << driver.stderr_text();
  EXPECT_NE(driver.stderr_text().find(file.path()), std::string::npos) << driver.stderr_text();
  EXPECT_NE(driver.stderr_text().find("Permission denied"), std::string::npos) << driver.stderr_text();
}

TEST_P(both_modes, child_gets_exactly_the_given_environment) {
  // The test's own environment has PATH; --clear-env means the child must not see it.
  ASSERT_NE(std::getenv("PATH"), nullptr) << "the test needs PATH set to show it is not passed on";
  driver_process driver(child({"env", "ZK_TEST_VALUE", "env", "PATH", "exit", "0"}),
                        in_mode(GetParam(), {"--clear-env", "--env", "ZK_TEST_VALUE=a b=c"}));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "env ZK_TEST_VALUE=a b=c"));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "env PATH unset"));
  EXPECT_EQ(driver.wait_exit(), 0) << driver.stderr_text();
}

class exit_codes : public ::testing::TestWithParam<std::tuple<mode, int>> {};

INSTANTIATE_TEST_SUITE_P(table, exit_codes,
                         ::testing::Combine(::testing::Values(mode::supervise, mode::exec),
                                            ::testing::Values(0, 1, 2, 42, 126, 127, 255)),
                         [](const auto& p) {
                           return mode_name(std::get<0>(p.param)) + "_" + std::to_string(std::get<1>(p.param));
                         });

TEST_P(exit_codes, child_status_passes_through) {
  const auto [how, code] = GetParam();
  driver_process driver(child({"exit", std::to_string(code)}), in_mode(how));
  EXPECT_EQ(driver.wait_exit(), code) << driver.stderr_text();
}

class killed_child : public ::testing::TestWithParam<std::tuple<mode, int>> {};

INSTANTIATE_TEST_SUITE_P(signals, killed_child,
                         ::testing::Combine(::testing::Values(mode::supervise, mode::exec),
                                            ::testing::Values(SIGKILL, SIGTERM)),
                         [](const auto& p) {
                           return mode_name(std::get<0>(p.param)) + "_" + signal_name(std::get<1>(p.param));
                         });

TEST_P(killed_child, exits_128_plus_the_signal) {
  const auto [how, sig] = GetParam();
  driver_process driver(child({"kill-self", std::to_string(sig)}), in_mode(how));
  EXPECT_EQ(driver.wait_exit(), 128 + sig) << driver.stderr_text();
}

// ---- supervise mode -----------------------------------------------------------------------------

class forwarded_signal : public ::testing::TestWithParam<int> {};

INSTANTIATE_TEST_SUITE_P(signals, forwarded_signal, ::testing::ValuesIn(signals_to_forward()),
                         [](const auto& p) { return signal_name(p.param); });

TEST_P(forwarded_signal, reaches_the_child) {
  const int sig = GetParam();
  driver_process driver(child({"echo-until", std::to_string(sig)}));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "ready"));
  ASSERT_EQ(::kill(driver.pid(), sig), 0);
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "signal " + std::to_string(sig)));
  EXPECT_EQ(driver.wait_exit(), 0) << driver.stderr_text();
  EXPECT_NE(driver.stderr_text().find("forwarded " + zkagent::entrypoint::signal_name(sig) + " from pid " +
                                      std::to_string(::getpid())),
            std::string::npos)
      << driver.stderr_text();
}

TEST(supervise, forwards_exactly_the_listed_signals) {
  // The table above is the whole list: every other signal number is one the supervisor keeps.
  const sigset_t forwarded = zkagent::entrypoint::forwarded_signals();
  const auto listed = signals_to_forward();
  for (int sig = 1; sig < NSIG; ++sig) {
    SCOPED_TRACE(zkagent::entrypoint::signal_name(sig));
    const bool in_table = std::find(listed.begin(), listed.end(), sig) != listed.end();
    EXPECT_EQ(sigismember(&forwarded, sig) == 1, in_table);
  }
  for (const int sig : {SIGKILL, SIGSTOP, SIGCHLD, SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGTRAP, SIGSYS, SIGABRT, SIGTTIN,
                        SIGTTOU}) {
    EXPECT_EQ(std::find(listed.begin(), listed.end(), sig), listed.end()) << zkagent::entrypoint::signal_name(sig);
  }
}

TEST(supervise, does_not_forward_a_sigpipe_its_own_write_raised) {
  // With its stderr gone, the driver's log line after forwarding SIGUSR2 raises SIGPIPE in itself
  // (blocked, so pending for its loop). That one is about its own fd: the child must not get it.
  // SIGRTMAX, sent after, is taken after the SIGPIPE (pending for the thread, and lower), so the
  // child's next line tells whether the SIGPIPE was forwarded.
  driver_process driver(child({"echo-until", std::to_string(SIGRTMAX)}));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "ready"));
  driver.close_stderr();
  ASSERT_EQ(::kill(driver.pid(), SIGUSR2), 0);
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "signal " + std::to_string(SIGUSR2)));
  ASSERT_EQ(::kill(driver.pid(), SIGRTMAX), 0);
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "signal " + std::to_string(SIGRTMAX)));
  EXPECT_EQ(driver.wait_exit(), 0);
}

TEST(supervise, a_sigpipe_from_another_process_is_forwarded) {
  driver_process driver(child({"echo-until", std::to_string(SIGPIPE)}));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "ready"));
  ASSERT_EQ(::kill(driver.pid(), SIGPIPE), 0);
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "signal " + std::to_string(SIGPIPE)));
  EXPECT_EQ(driver.wait_exit(), 0) << driver.stderr_text();
}

TEST(supervise, forwards_a_signal_it_inherited_as_ignored) {
  // Started under nohup-like conditions, SIGHUP must still reach the child.
  driver_process driver(child({"echo-until", std::to_string(SIGHUP)}), in_mode(mode::supervise, {}, {SIGHUP}));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "ready"));
  ASSERT_EQ(::kill(driver.pid(), SIGHUP), 0);
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "signal " + std::to_string(SIGHUP)));
  EXPECT_EQ(driver.wait_exit(), 0) << driver.stderr_text();
}

TEST(supervise, sigterm_ends_with_143_when_the_child_dies_of_it) {
  driver_process driver(child({"wait"}));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "ready"));
  ASSERT_EQ(::kill(driver.pid(), SIGTERM), 0);
  EXPECT_EQ(driver.wait_exit(), 143) << driver.stderr_text();
  EXPECT_NE(driver.stderr_text().find("killed by SIGTERM"), std::string::npos) << driver.stderr_text();
}

TEST(supervise, outlives_a_signal_the_child_ignores) {
  driver_process driver(child({"ignore", std::to_string(SIGTERM), "wait"}));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "ready"));
  ASSERT_EQ(::kill(driver.pid(), SIGTERM), 0);
  // Once forwarded, a fatal SIGTERM would already have doomed the child; it ignores it instead.
  ASSERT_TRUE(driver.wait_for_log("forwarded SIGTERM")) << driver.stderr_text();
  EXPECT_TRUE(driver.running());
  ASSERT_EQ(::kill(driver.pid(), SIGINT), 0);
  EXPECT_EQ(driver.wait_exit(), 128 + SIGINT) << driver.stderr_text();
}

TEST(supervise, a_signal_after_the_child_is_gone_keeps_its_exit_code) {
  driver_process driver(child({"exit", "3"}), in_mode(mode::supervise, {"--late-signal", std::to_string(SIGTERM)}));
  EXPECT_EQ(driver.wait_exit(), 3) << driver.stderr_text();
}

TEST(supervise, child_is_a_separate_process) {
  driver_process driver(child({"pid", "exit", "0"}));
  const auto line = driver.next_line();
  ASSERT_TRUE(line.has_value()) << driver.stderr_text();
  std::istringstream words(*line);
  std::string pid_word, ppid_word;
  pid_t pid = 0;
  pid_t parent = 0;
  ASSERT_TRUE(words >> pid_word >> pid >> ppid_word >> parent) << *line;
  EXPECT_NE(pid, driver.pid());
  EXPECT_EQ(parent, driver.pid());
  EXPECT_EQ(driver.wait_exit(), 0) << driver.stderr_text();
}

TEST(supervise, reaps_a_hundred_orphaned_grandchildren) {
  constexpr int count = 100;
  driver_process driver(child({"orphans", std::to_string(count), "wait"}));
  std::set<pid_t> orphans;
  bool ready = false;
  while (orphans.size() < count || !ready) {
    const auto line = driver.next_line();
    ASSERT_TRUE(line.has_value()) << orphans.size() << " orphans reported; log:\n" << driver.stderr_text();
    if (*line == "ready") {
      ready = true;
      continue;
    }
    std::istringstream words(*line);
    std::string orphan_word, ppid_word;
    pid_t orphan = 0;
    pid_t parent = 0;
    ASSERT_TRUE(words >> orphan_word >> orphan >> ppid_word >> parent) << *line;
    ASSERT_EQ(orphan_word, "orphan");
    // Reparented to the supervisor (a subreaper), so only it can reap them.
    ASSERT_EQ(parent, driver.pid()) << *line;
    orphans.insert(orphan);
  }

  // None of them may remain a child (a zombie) of the supervisor.
  const auto still_under_driver = [&] {
    std::size_t n = 0;
    for (const pid_t orphan : orphans) {
      const auto ppid = status_field(orphan, "PPid");
      if (ppid && std::stoi(*ppid) == driver.pid()) ++n;
    }
    return n;
  };
  const auto deadline = steady::now() + patience;
  while (still_under_driver() > 0 && steady::now() < deadline) {
    ASSERT_TRUE(driver.running()) << driver.stderr_text();
    ::poll(nullptr, 0, poll_step_ms);
  }
  EXPECT_EQ(still_under_driver(), 0U) << driver.stderr_text();
  EXPECT_TRUE(driver.running()) << "the supervisor must stay while its child lives";

  ASSERT_EQ(::kill(driver.pid(), SIGTERM), 0);
  EXPECT_EQ(driver.wait_exit(), 143) << driver.stderr_text();
  std::size_t reaped_lines = 0;
  for (std::size_t at = driver.stderr_text().find("reaped orphan"); at != std::string::npos;
       at = driver.stderr_text().find("reaped orphan", at + 1)) {
    ++reaped_lines;
  }
  EXPECT_EQ(reaped_lines, static_cast<std::size_t>(count));
}

// ---- the descriptor sweep on its own --------------------------------------------------------------

// In a forked child with fds 10 and 300 open without O_CLOEXEC: sweep one way only, then exec
// signal_child, which lists what it has. Returns its line, or why there is none.
std::string fds_after_sweep(zkagent::entrypoint::fd_sweep how) {
  std::array<int, 2> out{-1, -1};
  if (::pipe2(out.data(), O_CLOEXEC) != 0) return "pipe2 failed";
  const pid_t pid = ::fork();
  if (pid == -1) return "fork failed";
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    const int null_fd = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC: it must be swept too
    ::dup2(null_fd, 10);
    ::dup2(null_fd, 300);
    if (!zkagent::entrypoint::mark_inherited_fds_cloexec(how)) ::_exit(98);
    const std::string program = SIGNAL_CHILD_BINARY;
    std::array<char*, 5> argv{const_cast<char*>(program.c_str()), const_cast<char*>("fds"),
                              const_cast<char*>("exit"), const_cast<char*>("0"), nullptr};
    ::execv(argv[0], argv.data());
    ::_exit(99);
  }
  ::close(out[1]);
  std::string text;
  const auto deadline = steady::now() + patience;
  for (;;) {
    pollfd ready{out[0], POLLIN, 0};
    if (steady::now() > deadline) {
      ::kill(pid, SIGKILL);
      break;
    }
    if (::poll(&ready, 1, poll_step_ms) <= 0) continue;
    std::array<char, 256> chunk{};
    const ssize_t n = ::read(out[0], chunk.data(), chunk.size());
    if (n <= 0) break;
    text.append(chunk.data(), static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return "child failed with status " + std::to_string(status) + ", output: " + text;
  }
  return text;
}

TEST(fd_sweep, proc_listing_alone_leaves_only_stdio) {
  EXPECT_EQ(fds_after_sweep(zkagent::entrypoint::fd_sweep::proc_listing), "fds 0 1 2\n");
}

TEST(fd_sweep, number_range_alone_leaves_only_stdio) {
  EXPECT_EQ(fds_after_sweep(zkagent::entrypoint::fd_sweep::number_range), "fds 0 1 2\n");
}

TEST(fd_sweep, any_way_leaves_only_stdio) {
  EXPECT_EQ(fds_after_sweep(zkagent::entrypoint::fd_sweep::any), "fds 0 1 2\n");
}

// ---- exec mode ----------------------------------------------------------------------------------

TEST(exec_mode, replaces_the_process_keeping_its_pid) {
  driver_process driver(child({"pid", "exit", "0"}), in_mode(mode::exec));
  ASSERT_NO_FATAL_FAILURE(expect_line(driver, "pid " + std::to_string(driver.pid()) + " ppid " + std::to_string(::getpid())));
  EXPECT_EQ(driver.wait_exit(), 0) << driver.stderr_text();
}

}  // namespace
