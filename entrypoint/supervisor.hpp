#pragma once
// PID 1 duties for zkagent, in the manner of tini: start the server as a child, forward the signals
// a container runtime sends, reap every process that ends up under us, and exit with the child's
// status. One owner for signals: they stay blocked and are taken with sigtimedwait, never handled.
#include <signal.h>

#include <optional>
#include <string>
#include <vector>

#include <spdlog/fwd.h>

namespace zkagent::entrypoint {

struct child_command {
  std::string program;            // path to execute (absolute or found already)
  std::vector<std::string> argv;  // argv[0] included; empty means {program}
  std::vector<std::string> env;   // the child's whole environment, "KEY=VALUE"
};

// The signals forwarded to the child: every signal another process (a runtime, kubectl, a user at a
// terminal) may send us, as tini does. Left out, and why:
//   SIGKILL SIGSTOP                 cannot be blocked or caught, so cannot be forwarded;
//   SIGCHLD                         ours: it tells the supervisor to reap;
//   SIGFPE SIGILL SIGSEGV SIGBUS    synchronous: raised by a fault in our own code, they must kill us
//   SIGTRAP SIGSYS SIGABRT          (a blocked fault signal kills anyway; forwarding our crash is wrong);
//   SIGTTIN SIGTTOU                 raised by our own terminal I/O from a background process group.
// So: SIGHUP SIGINT SIGQUIT SIGUSR1 SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCONT SIGTSTP SIGURG
// SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR and the real-time signals SIGRTMIN to
// SIGRTMAX (34 to 64 with glibc, which keeps 32 and 33 for its threads: they cannot be blocked).
// A signal we raised ourselves (SIGPIPE or SIGXFSZ from our own write: si_code SI_USER and our own
// pid) is not forwarded: it is about our descriptors, not the child's.
sigset_t forwarded_signals();

// The signals that stop ZooKeeper, and that stop `start` before ZooKeeper runs: TERM INT QUIT HUP.
sigset_t stop_signals();

// Blocks the forwarded signals and SIGCHLD in the calling thread, and remembers the mask it found
// for the child.
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
  // The signals blocked here: forwarded_signals() plus SIGCHLD.
  [[nodiscard]] const sigset_t& blocked() const { return blocked_; }

 private:
  sigset_t original_{};
  sigset_t blocked_{};
};

// A stop signal (stop_signals()) that arrived while `start` prepared, taken without waiting:
// checked at each step before the JVM exists, so SIGTERM then ends the run with 128+N instead
// of waiting for a JVM that is about to be told to stop. nullopt when none is pending.
std::optional<int> take_pending_stop(const signal_block& signals);

// Spawns the child (fork in the calling thread) with the original signal mask, every signal
// disposition at its default and only fds 0-2 (others are marked close-on-exec, see
// inherited_fds.hpp), forwards the blocked signals to it (logged at debug), and reaps every
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
