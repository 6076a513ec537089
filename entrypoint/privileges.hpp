#pragma once
// Running ZooKeeper as a non-root user from a root entrypoint: hand the data folders to that user
// (bind-mounted host folders arrive root-owned), then give up root for good.
#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.hpp"

namespace zkagent::entrypoint {

// As root: chown -R each folder to uid:gid. A folder given here is opened as guarded_fs opens any
// path: a link on the way is followed only where nobody but root could have placed it (like
// chown -R -H otherwise); nothing below it ever is: links are chowned themselves, and the walk goes
// through directory file descriptors opened with O_NOFOLLOW, so a link planted in a data folder
// cannot lead a chown outside it. Entries already owned by uid:gid are left untouched; a file with
// several names (a hard link) owned by anyone else is refused (config): its other name may be
// outside. As non-root: does nothing and returns ok. Errors (io) name the path and errno.
status take_ownership(const std::vector<std::string>& folders, uid_t uid, gid_t gid);

// As root: chown each path itself (not what is inside a folder; a link is chowned, not followed; the
// folders on the way are walked as guarded_fs walks them; a hard link is refused as above).
// As non-root: does nothing. For folders a kept zoo.cfg names, and the myid in them.
status hand_over(const std::vector<std::string>& paths, uid_t uid, gid_t gid);

// As root and uid != 0: setgroups({gid}), setgid, setuid, then checks root cannot be regained.
// As non-root or with uid == 0: does nothing and returns ok. Errors (io) are values.
status drop_privileges(uid_t uid, gid_t gid);

}  // namespace zkagent::entrypoint
