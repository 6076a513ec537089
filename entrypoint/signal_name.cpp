#include "entrypoint/signal_name.hpp"

#include <signal.h>
#include <string.h>

namespace zkagent::entrypoint {

std::string signal_name(int sig) {
  // Real-time signals are numbered from SIGRTMIN, which glibc fixes only at run time.
  if (sig == SIGRTMIN) return "SIGRTMIN";
  if (sig > SIGRTMIN && sig <= SIGRTMAX) return "SIGRTMIN+" + std::to_string(sig - SIGRTMIN);
  if (const char* abbrev = ::sigabbrev_np(sig)) return std::string("SIG") + abbrev;
  return "signal " + std::to_string(sig);
}

}  // namespace zkagent::entrypoint
