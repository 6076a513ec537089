#include "entrypoint/supervisor.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <spdlog/logger.h>

#include "common/exit_codes.hpp"
#include "entrypoint/inherited_fds.hpp"
#include "entrypoint/signal_name.hpp"

namespace zkagent::entrypoint {
namespace {

// See forwarded_signals() in the header for why each is left out.
constexpr std::array not_forwarded{SIGKILL, SIGSTOP, SIGCHLD, SIGFPE, SIGILL,  SIGSEGV,
                                   SIGBUS,  SIGTRAP, SIGSYS,  SIGABRT, SIGTTIN, SIGTTOU};

constexpr std::array stopping{SIGTERM, SIGINT, SIGQUIT, SIGHUP};

std::string errno_text(int err) {
  return std::error_code(err, std::generic_category()).message() + " (errno " + std::to_string(err) + ")";
}

// A missing program (or interpreter) is 127 as in a shell; anything else that stops exec is 126.
int exec_failure_code(int err) { return err == ENOENT ? exit_code::not_found : exit_code::cannot_execute; }

int code_from_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return exit_code::signal_base + WTERMSIG(status);
  return exit_code::runtime_failure;  // not asked for (no WUNTRACED), so not expected
}

// execve wants NUL-terminated char* arrays; they are built before fork because the child of a
// fork may only call async-signal-safe functions, and allocating is not one of them.
class exec_arrays {
 public:
  explicit exec_arrays(const child_command& cmd) : argv_storage_(cmd.argv), env_storage_(cmd.env) {
    if (argv_storage_.empty()) argv_storage_.push_back(cmd.program);
    for (auto& arg : argv_storage_) argv_.push_back(arg.data());
    argv_.push_back(nullptr);
    for (auto& entry : env_storage_) env_.push_back(entry.data());
    env_.push_back(nullptr);
  }
  char* const* argv() const { return argv_.data(); }
  char* const* env() const { return env_.data(); }

 private:
  std::vector<std::string> argv_storage_;
  std::vector<std::string> env_storage_;
  std::vector<char*> argv_;
  std::vector<char*> env_;
};

// Handlers do not survive exec, but ignored signals do: reset every disposition so the child
// starts from defaults whatever we inherited (nohup, a runtime that ignores SIGPIPE, ...).
// Async-signal-safe; signals glibc reserves for itself just fail with EINVAL and stay as they are.
void reset_dispositions(std::array<struct sigaction, NSIG>* saved) {
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    ::sigaction(sig, &default_action, saved != nullptr ? &(*saved)[static_cast<std::size_t>(sig)] : nullptr);
  }
}

void restore_dispositions(const std::array<struct sigaction, NSIG>& saved) {
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    ::sigaction(sig, &saved[static_cast<std::size_t>(sig)], nullptr);
  }
}

class fd_guard {
 public:
  explicit fd_guard(int fd) : fd_(fd) {}
  ~fd_guard() { reset(); }
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// While supervising, SIGCHLD must not be SIG_IGN: the kernel would then reap children itself and
// waitpid could never report the main child's status.
class sigchld_default {
 public:
  sigchld_default() {
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGCHLD, &action, &previous_);
  }
  ~sigchld_default() { ::sigaction(SIGCHLD, &previous_, nullptr); }
  sigchld_default(const sigchld_default&) = delete;
  sigchld_default& operator=(const sigchld_default&) = delete;

 private:
  struct sigaction previous_ {};
};

void wait_for(pid_t pid) {
  while (::waitpid(pid, nullptr, 0) == -1 && errno == EINTR) {
  }
}

// Forks and execs the child. The child reports an exec failure's errno through a close-on-exec
// pipe: reading EOF means exec succeeded. Returns the pid, or the exit code to give up with.
struct spawn_outcome {
  pid_t pid = -1;
  int failure_code = 0;
};

spawn_outcome spawn(const child_command& cmd, const signal_block& signals, spdlog::logger& log) {
  const exec_arrays arrays(cmd);
  std::array<int, 2> report{-1, -1};
  if (::pipe2(report.data(), O_CLOEXEC) != 0) {
    const int err = errno;
    log.error("cannot start {}: pipe2 failed: {}", cmd.program, errno_text(err));
    return {-1, exit_code::cannot_execute};
  }
  fd_guard read_end(report[0]);
  fd_guard write_end(report[1]);

  const pid_t pid = ::fork();
  if (pid == -1) {
    const int err = errno;
    log.error("cannot start {}: fork failed: {}", cmd.program, errno_text(err));
    return {-1, exit_code::cannot_execute};
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only from here to exec.
    ::close(report[0]);
    mark_inherited_fds_cloexec();
    reset_dispositions(nullptr);
    ::sigprocmask(SIG_SETMASK, &signals.original(), nullptr);
    ::execve(cmd.program.c_str(), arrays.argv(), arrays.env());
    const int err = errno;
    [[maybe_unused]] const auto written = ::write(report[1], &err, sizeof err);
    ::_exit(exec_failure_code(err));
  }

  write_end.reset();
  int err = 0;
  ssize_t got = -1;
  do {
    got = ::read(read_end.get(), &err, sizeof err);
  } while (got == -1 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof err)) {
    wait_for(pid);
    log.error("cannot execute {}: {}", cmd.program, errno_text(err));
    return {-1, exec_failure_code(err)};
  }
  return {pid, 0};
}

// Reaps every child that has exited. Returns the main child's exit code once it is among them.
std::optional<int> reap(pid_t child, spdlog::logger& log) {
  std::optional<int> child_code;
  for (;;) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      if (pid == child) {
        child_code = code_from_wait_status(status);
        if (WIFSIGNALED(status)) {
          log.info("child {} was killed by {}; exiting with {}", pid, signal_name(WTERMSIG(status)), *child_code);
        } else {
          log.info("child {} exited with status {}", pid, *child_code);
        }
      } else {
        log.debug("reaped orphan {}", pid);
      }
      continue;
    }
    if (pid == -1 && errno == EINTR) continue;
    if (pid == -1 && errno != ECHILD) log.warn("waitpid failed: {}", errno_text(errno));
    return child_code;  // 0: children remain but none has exited; ECHILD: none remain
  }
}

// SIGPIPE or SIGXFSZ from one of our own writes: the kernel sends it as if we had called kill().
bool raised_by_us(const siginfo_t& info) { return info.si_code == SI_USER && info.si_pid == ::getpid(); }

}  // namespace

sigset_t forwarded_signals() {
  sigset_t set;
  sigemptyset(&set);
  // Numbers glibc keeps for itself (32, 33) are refused by sigaddset and so stay out.
  for (int sig = 1; sig <= SIGRTMAX; ++sig) sigaddset(&set, sig);
  for (const int sig : not_forwarded) sigdelset(&set, sig);
  return set;
}

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (const int sig : stopping) sigaddset(&set, sig);
  return set;
}

signal_block::signal_block() : blocked_(forwarded_signals()) {
  sigaddset(&blocked_, SIGCHLD);
  ::pthread_sigmask(SIG_BLOCK, &blocked_, &original_);
}

signal_block::~signal_block() {
  const timespec no_wait{0, 0};
  while (::sigtimedwait(&blocked_, nullptr, &no_wait) > 0) {
  }
  ::pthread_sigmask(SIG_SETMASK, &original_, nullptr);
}

std::optional<int> take_pending_stop(const signal_block& signals) {
  // The signal_block is the proof that the stop signals are blocked, so still pending if sent.
  static_cast<void>(signals);
  const sigset_t stop = stop_signals();
  const timespec no_wait{0, 0};
  const int sig = ::sigtimedwait(&stop, nullptr, &no_wait);
  if (sig > 0) return sig;
  return std::nullopt;
}

int supervise(const child_command& cmd, const signal_block& signals, spdlog::logger& log) {
  const sigchld_default sigchld;
  if (::getpid() != 1 && ::prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL) != 0) {
    log.warn("cannot become a child subreaper, orphans will not be reaped here: {}", errno_text(errno));
  }

  const spawn_outcome spawned = spawn(cmd, signals, log);
  if (spawned.pid == -1) return spawned.failure_code;
  const pid_t child = spawned.pid;
  log.debug("started {} as pid {}", cmd.program, child);

  // One loop owns every signal: wait for one (bounded, so reaping never stalls), forward it unless
  // it is SIGCHLD, then reap whatever has exited. The child is reaped only after its last signal was
  // forwarded, so its pid cannot have been reused by the time we kill() it.
  const sigset_t& waited = signals.blocked();
  for (;;) {
    siginfo_t info{};
    const timespec timeout{1, 0};
    const int sig = ::sigtimedwait(&waited, &info, &timeout);
    if (sig == -1) {
      if (errno != EAGAIN && errno != EINTR) log.error("sigtimedwait failed: {}", errno_text(errno));
    } else if (sig == SIGCHLD) {
      // reaped below
    } else if (raised_by_us(info)) {
      // Dropped without a log line: with stderr gone, logging would raise the next SIGPIPE.
    } else {
      if (::kill(child, sig) == 0) {
        log.debug("forwarded {} from pid {} to child {}", signal_name(sig), info.si_pid, child);
      } else {
        log.warn("cannot forward {} to child {}: {}", signal_name(sig), child, errno_text(errno));
      }
    }
    if (const auto code = reap(child, log)) return *code;
  }
}

int exec_replace(const child_command& cmd, const signal_block& signals, spdlog::logger& log) {
  const exec_arrays arrays(cmd);
  log.debug("replacing pid {} with {}", ::getpid(), cmd.program);
  log.flush();  // the buffers go away with the process image

  mark_inherited_fds_cloexec();  // harmless if exec fails: it only matters at an exec
  std::array<struct sigaction, NSIG> saved{};
  reset_dispositions(&saved);
  ::pthread_sigmask(SIG_SETMASK, &signals.original(), nullptr);
  ::execve(cmd.program.c_str(), arrays.argv(), arrays.env());
  const int err = errno;
  ::pthread_sigmask(SIG_BLOCK, &signals.blocked(), nullptr);
  restore_dispositions(saved);

  log.error("cannot execute {}: {}", cmd.program, errno_text(err));
  return exec_failure_code(err);
}

}  // namespace zkagent::entrypoint
