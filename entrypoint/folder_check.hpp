#pragma once
// The I/O side of folder_policy: finds where folders and programs really are, so the pure policy can
// compare paths. Read-only: nothing here creates or changes a file.
#include <optional>
#include <string>
#include <vector>

#include "common/text.hpp"
#include "entrypoint/folder_policy.hpp"

namespace zkagent::entrypoint {

// Where path really leads: opened (O_PATH, following links, as a chown of it would) and read back
// from /proc/self/fd/N. nullopt when it does not exist or cannot be opened.
std::optional<std::string> resolved_path(const std::string& path);

// What a handed-over folder must not hold: this binary (/proc/self/exe), the java found, JAVA_HOME,
// the ZooKeeper installation (any of them may be absent), each with where it leads; and the system
// folders with where they lead (/bin -> /usr/bin on a merged /usr).
folder_facts gather_folder_facts(const std::optional<std::string>& java, const env_map& env,
                                 const std::optional<std::string>& zookeeper_home);

// Fills in where each candidate folder leads now (before anything is created).
void resolve_candidates(std::vector<folder_setting>& candidates);

}  // namespace zkagent::entrypoint
