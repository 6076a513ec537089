#include "entrypoint/privileges.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>

namespace zkagent::entrypoint {
namespace {

// Takes a C string so that evaluating the arguments allocates nothing that could clobber errno.
error io_error(const char* what, const std::string& path, int err) {
  return {error_kind::io, std::string(what) + " " + path + ": " + std::error_code(err, std::generic_category()).message() +
                              " (errno " + std::to_string(err) + ")"};
}

struct dir_closer {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using dir_ptr = std::unique_ptr<DIR, dir_closer>;

bool owned_by(const struct stat& st, uid_t uid, gid_t gid) { return st.st_uid == uid && st.st_gid == gid; }

// Chowns the directory open as dir_fd (taking ownership of the fd) and everything below it.
// Every step is relative to an open directory and never follows a link, so swapping a directory
// for a symlink while we walk cannot redirect us.
status chown_tree(int dir_fd, const std::string& path, uid_t uid, gid_t gid) {
  dir_ptr dir(::fdopendir(dir_fd));
  if (!dir) {
    const int err = errno;
    ::close(dir_fd);
    return io_error("cannot read directory", path, err);
  }
  struct stat self {};
  if (::fstat(dir_fd, &self) != 0) return io_error("cannot stat", path, errno);
  if (!owned_by(self, uid, gid) && ::fchown(dir_fd, uid, gid) != 0) return io_error("cannot chown", path, errno);

  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(dir.get());
    if (entry == nullptr) {
      if (errno != 0) return io_error("cannot read directory", path, errno);
      return ok();
    }
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    const std::string child_path = path + "/" + name;

    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // removed while we walked: nothing left to own
      return io_error("cannot stat", child_path, errno);
    }
    if (S_ISDIR(st.st_mode)) {
      const int child_fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (child_fd >= 0) {
        if (auto walked = chown_tree(child_fd, child_path, uid, gid); !walked) return walked;
        continue;
      }
      // ELOOP/ENOTDIR: it became a link or a file since fstatat; chown that without following.
      if (errno != ELOOP && errno != ENOTDIR) return io_error("cannot open directory", child_path, errno);
    } else if (owned_by(st, uid, gid)) {
      continue;
    }
    if (::fchownat(dir_fd, name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;
      return io_error("cannot chown", child_path, errno);
    }
  }
}

}  // namespace

status take_ownership(const std::vector<std::string>& folders, uid_t uid, gid_t gid) {
  if (::geteuid() != 0) return ok();
  for (const auto& folder : folders) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
      if (auto walked = chown_tree(fd, folder, uid, gid); !walked) return walked;
      continue;
    }
    if (errno != ENOTDIR) return io_error("cannot open directory", folder, errno);
    // A single file given as a folder: own it, as chown -R would.
    if (::fchownat(AT_FDCWD, folder.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0) {
      return io_error("cannot chown", folder, errno);
    }
  }
  return ok();
}

status hand_over(const std::vector<std::string>& paths, uid_t uid, gid_t gid) {
  if (::geteuid() != 0) return ok();
  for (const auto& path : paths) {
    if (::fchownat(AT_FDCWD, path.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0) return io_error("cannot chown", path, errno);
  }
  return ok();
}

status drop_privileges(uid_t uid, gid_t gid) {
  if (::geteuid() != 0 || uid == 0) return ok();
  const std::string target = std::to_string(uid) + ":" + std::to_string(gid);

  // Order matters: supplementary groups and the gid can only be changed while still root.
  if (::setgroups(1, &gid) != 0) return io_error("setgroups failed for", target, errno);
  if (::setgid(gid) != 0) return io_error("setgid failed for", target, errno);
  if (::setuid(uid) != 0) return io_error("setuid failed for", target, errno);

  if (::getuid() != uid || ::geteuid() != uid || ::getgid() != gid || ::getegid() != gid) {
    return error{error_kind::io, "privileges not dropped to " + target + ": ids differ after setgid/setuid"};
  }
  // setuid from root to non-root clears saved ids and capabilities; prove it rather than trust it.
  if (::setuid(0) == 0) return error{error_kind::io, "privileges not dropped to " + target + ": setuid(0) succeeded"};
  if (gid != 0 && ::setgid(0) == 0) {
    return error{error_kind::io, "privileges not dropped to " + target + ": setgid(0) succeeded"};
  }
  return ok();
}

}  // namespace zkagent::entrypoint
