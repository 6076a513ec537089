#pragma once
// PID 1 duties for zkagent, in the manner of tini: start the server as a child, forward the signals
// a container runtime sends, reap every process that ends up under us, and exit with the child's
// status. One owner for signals: they stay blocked and are taken with sigtimedwait, never handled.
#include <signal.h>

#include <string>
#include <vector>

#include <spdlog/fwd.h>

namespace zkagent::entrypoint {

struct child_command {
  std::string program;            // path to execute (absolute or found already)
  std::vector<std::string> argv;  // argv[0] included; empty means {program}
  std::vector<std::string> env;   // the child's whole environment, "KEY=VALUE"
};

// Blocks the signals the supervisor forwards (SIGTERM SIGINT SIGHUP SIGQUIT SIGUSR1 SIGUSR2) and
// SIGCHLD in the calling thread, and remembers the mask it found for the child.
// Construct it first thing in main, before any thread exists: threads inherit the mask, and a
// process-directed signal goes to any thread that does not block it, where its default action
// would kill the whole process before the supervisor could forward it.
// Signals that arrive before supervise() runs stay pending and are forwarded once the child exists.
// The destructor drops signals still pending in the set (nobody is left to receive them, and a late
// SIGTERM must not turn the child's exit code into 143), then restores the original mask.
class signal_block {
 public:
  signal_block();
  ~signal_block();
  signal_block(const signal_block&) = delete;
  signal_block& operator=(const signal_block&) = delete;
  signal_block(signal_block&&) = delete;
  signal_block& operator=(signal_block&&) = delete;

  // The mask in force before construction: what the child gets.
  [[nodiscard]] const sigset_t& original() const { return original_; }
  // The signals blocked here: the forwarded ones plus SIGCHLD.
  [[nodiscard]] const sigset_t& blocked() const { return blocked_; }

 private:
  sigset_t original_{};
  sigset_t blocked_{};
};

// Spawns the child (fork in the calling thread) with the original signal mask, every signal
// disposition at its default and only fds 0-2 (others are marked close-on-exec), forwards the blocked signals to it (logged at debug), and reaps every
// child that exits, orphaned grandchildren included; when not PID 1 it makes itself a child
// subreaper so those orphans come to it. Returns once the main child is gone:
//   the child's exit status, or 128+N when signal N killed it;
//   127 when the program does not exist, 126 when it exists but cannot be executed or the fork
//   fails (the reason, naming the program and errno, is logged at error level).
int supervise(const child_command& cmd, const signal_block& signals, spdlog::logger& log);

// --exec mode: restores the original mask and default dispositions, marks fds above 2
// close-on-exec, then replaces this process
// with the child (execve; same pid). Returns only on failure, 127 or 126 as above, with the mask
// and dispositions put back and the reason logged.
int exec_replace(const child_command& cmd, const signal_block& signals, spdlog::logger& log);

}  // namespace zkagent::entrypoint
