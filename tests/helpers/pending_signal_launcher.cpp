// Starts a program with a signal already pending, deterministically:
//   pending_signal_launcher SIGNUM PROGRAM [ARGS...]
// blocks SIGNUM, sends it to itself, then execs PROGRAM. A blocked signal stays pending across
// execve, so PROGRAM finds it waiting from its first instruction, as if a runtime's SIGTERM had
// come while it was starting. Exits 97 on bad usage or if the exec fails.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fputs("usage: pending_signal_launcher SIGNUM PROGRAM [ARGS...]\n", stderr);
    return 97;
  }
  const int sig = std::atoi(argv[1]);
  sigset_t set;
  sigemptyset(&set);
  if (sig <= 0 || sigaddset(&set, sig) != 0 || ::sigprocmask(SIG_BLOCK, &set, nullptr) != 0 ||
      ::kill(::getpid(), sig) != 0) {
    std::fprintf(stderr, "pending_signal_launcher: cannot make signal %s pending\n", argv[1]);
    return 97;
  }
  ::execv(argv[2], argv + 2);
  std::perror("pending_signal_launcher: execv");
  return 97;
}
