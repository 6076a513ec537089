#pragma once
// Running ZooKeeper as a non-root user from a root entrypoint: hand the data folders to that user
// (bind-mounted host folders arrive root-owned), then give up root for good.
#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.hpp"

namespace zkagent::entrypoint {

// As root: chown -R each folder to uid:gid. A folder given here is followed if it is a symlink
// (like chown -R -H); nothing below it ever is: links are chowned themselves, and the walk goes
// through directory file descriptors opened with O_NOFOLLOW, so a link planted in a data folder
// cannot lead a chown outside it. Entries already owned by uid:gid are left untouched.
// As non-root: does nothing and returns ok. Errors (io) name the path and errno.
status take_ownership(const std::vector<std::string>& folders, uid_t uid, gid_t gid);

// As root: chown each path itself (not what is inside a folder; a link is chowned, not followed).
// As non-root: does nothing. For folders a kept zoo.cfg names, and the myid in them.
status hand_over(const std::vector<std::string>& paths, uid_t uid, gid_t gid);

// As root and uid != 0: setgroups({gid}), setgid, setuid, then checks root cannot be regained.
// As non-root or with uid == 0: does nothing and returns ok. Errors (io) are values.
status drop_privileges(uid_t uid, gid_t gid);

}  // namespace zkagent::entrypoint
