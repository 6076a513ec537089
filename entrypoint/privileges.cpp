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

#include "common/guarded_fs.hpp"

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

// Chowns dir_fd/name itself (a link is chowned, never followed) through a descriptor of its own, so
// what is checked is what is chowned even if the name is swapped meanwhile. A file with several names
// is not handed over: uid 1000 can hard-link into its folders a file elsewhere that it may write but
// not own (a root:1000 0660 file), and chowning the name here would give it that file.
status chown_entry(int dir_fd, const std::string& name, const std::string& path, uid_t uid, gid_t gid, bool missing_ok) {
  const int opened = ::openat(dir_fd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (opened < 0) {
    if (errno == ENOENT && missing_ok) return ok();  // removed while we walked: nothing left to own
    return io_error("cannot chown", path, errno);
  }
  const files::unique_fd fd(opened);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("cannot stat", path, errno);
  if (owned_by(st, uid, gid)) return ok();
  if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
    return error{error_kind::config,
                 path + " is a hard link (the file has " + std::to_string(st.st_nlink) + " names, owner uid " +
                     std::to_string(st.st_uid) + "): its other name may be outside this folder, so zkagent does not "
                     "hand it to uid " + std::to_string(uid) + ". Replace it with a copy of the file, or remove it"};
  }
  if (::fchownat(fd.get(), "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0) {
    return io_error("cannot chown", path, errno);
  }
  return ok();
}

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
    if (auto owned = chown_entry(dir_fd, name, child_path, uid, gid, true); !owned) return owned;
  }
}

}  // namespace

status take_ownership(const std::vector<std::string>& folders, uid_t uid, gid_t gid) {
  if (::geteuid() != 0) return ok();
  for (const auto& folder : folders) {
    // Opened as every path root touches (guarded_fs): the data log folder sits in the data folder,
    // and uid 1000 may have swapped it for a link since the run checked it.
    auto dir = files::open_folder(folder, false);
    if (dir.ok()) {
      if (auto walked = chown_tree(dir.value().fd.release(), folder, uid, gid); !walked) return walked;
      continue;
    }
    // A single file given as a folder: own it, as chown -R would.
    const auto [parent, name] = files::split_path(folder);
    auto where = files::open_folder(parent, false);
    struct stat st {};
    if (!where.ok() || ::fstatat(where.value().fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode)) {
      return dir.err();
    }
    if (auto owned = chown_entry(where.value().fd.get(), name, folder, uid, gid, false); !owned) return owned;
  }
  return ok();
}

status hand_over(const std::vector<std::string>& paths, uid_t uid, gid_t gid) {
  if (::geteuid() != 0) return ok();
  for (const auto& path : paths) {
    // The folders on the way are walked as guarded_fs walks them: a kept dataDir inside a folder of
    // uid 1000's may have been swapped for a link.
    const auto [parent, name] = files::split_path(path);
    auto where = files::open_folder(parent, false);
    if (!where.ok()) return where.err();
    if (auto owned = chown_entry(where.value().fd.get(), name.empty() ? "." : name, path, uid, gid, false); !owned) {
      return owned;
    }
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
