#pragma once
// Running ZooKeeper as a non-root user from a root entrypoint: hand the data folders to that user
// (bind-mounted host folders arrive root-owned), then give up root for good.
//
// The folders handed over are checked first (folder_policy): never "/", a system folder, or one that
// holds what root runs. Below them, every step is made on a file descriptor, never by name twice.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace zkagent::entrypoint {

// What a hand-over left alone on purpose, for the log.
struct ownership_notes {
  std::vector<std::string> mount_points;  // another file system (or mount) below a walked folder
  std::vector<std::string> hard_linked;   // a file with more than one hard link
  std::vector<std::string> read_only;     // a walked folder on a read-only mount: nothing changed
  std::vector<std::string> too_deep;      // a folder more than 32 levels below a walked one: not walked

  // One info line about the mount points, one warning about the hard links; nullopt when none.
  [[nodiscard]] std::optional<std::string> mount_line() const;
  [[nodiscard]] std::optional<std::string> hard_link_line() const;
  [[nodiscard]] std::optional<std::string> read_only_line() const;
  [[nodiscard]] std::optional<std::string> too_deep_line() const;
};

// As root: chown -R each folder to uid:gid. A folder given here is followed if it is a symlink
// (like chown -R -H); nothing below it ever is: links are chowned themselves, and the walk goes
// through file descriptors opened with O_NOFOLLOW, so a link planted in a data folder cannot lead a
// chown outside it. The walk never crosses into another mount (a tmpfs or bind mount below is left
// untouched, and what is below it), leaves a folder on a read-only mount as it is, and never
// changes a non-directory with more than one hard link (uid:gid could have linked a root file
// there where fs.protected_hardlinks is off): each is listed in the notes. Entries already owned by
// uid:gid are left untouched. A top folder is opened under guarded_fs's link rules.
// As non-root: does nothing and returns empty notes. Errors (io) name the path and errno.
result<ownership_notes> take_ownership(const std::vector<std::string>& folders, uid_t uid, gid_t gid);

// As root: chown each path itself (not what is inside a folder; a link is chowned, not followed; a
// non-directory with more than one hard link is left alone and noted). As non-root: does nothing.
// For folders a kept zoo.cfg names and the myid in them, and files zkagent wrote in a kept conf folder.
result<ownership_notes> hand_over(const std::vector<std::string>& paths, uid_t uid, gid_t gid);

// As root and uid != 0: setgroups({gid}), setgid, setuid, then checks root cannot be regained.
// As non-root or with uid == 0: does nothing and returns ok. Errors (io) are values.
status drop_privileges(uid_t uid, gid_t gid);

}  // namespace zkagent::entrypoint
