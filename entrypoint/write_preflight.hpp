#pragma once
// Before the JVM starts: can ZooKeeper's user write every folder ZooKeeper will write? Found out by
// trying, as that user, since access() misses ACLs and read-only mounts. Without this ZooKeeper
// would die later with a Java stack trace; with it, zkagent stops with one line and exit 73.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "entrypoint/folder_policy.hpp"

namespace zkagent::entrypoint {

// Creates and removes a temp file in each folder as uid:gid: in a forked child that drops to uid:gid
// (setgroups, setgid, setuid) when this process is root and uid is not 0, otherwise in this process
// (which is then what ZooKeeper will run as). The first folder that fails, with its owner and mode;
// nullopt when all can be written. Errors (io): the child could not be run or drop privileges.
result<std::optional<unwritable>> first_unwritable(const std::vector<std::string>& folders, uid_t uid, gid_t gid);

}  // namespace zkagent::entrypoint
