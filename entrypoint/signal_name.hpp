#pragma once
// The name a log line gives a signal: "SIGTERM", "SIGRTMIN+3", or "signal 32" for one glibc keeps.
#include <string>

namespace zkagent::entrypoint {

std::string signal_name(int sig);

}  // namespace zkagent::entrypoint
