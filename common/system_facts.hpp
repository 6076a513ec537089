#pragma once
// The facts about this machine that the pure core takes as values: environment, host name,
// /etc/hosts, local addresses, cgroup memory files. Read here, nowhere else.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "common/text.hpp"

namespace zkagent::system {

env_map environment(char** envp);
result<std::string> short_hostname();
// Text of a file that may be absent (cgroup files, /etc/hosts): absent or unreadable gives nullopt.
std::optional<std::string> read_optional(const std::string& path);
// When this process was started (exec), on the steady clock: /proc/self/stat's start time against
// CLOCK_BOOTTIME, to 10 ms. A probe's deadline counts from here, as the kubelet's timeout does, so the
// time to start the binary is inside it. Falls back to now when it cannot be told.
std::chrono::steady_clock::time_point process_started();

// Addresses configured on this host's interfaces, numeric.
std::vector<std::string> local_addresses();

}  // namespace zkagent::system
