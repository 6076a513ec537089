#pragma once
// The facts about this machine that the pure core takes as values: environment, host name,
// /etc/hosts, local addresses, cgroup memory files. Read here, nowhere else.
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
// Addresses configured on this host's interfaces, numeric.
std::vector<std::string> local_addresses();

}  // namespace zkagent::system
