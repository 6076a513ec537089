#include "entrypoint/privileges.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>

#include "common/guarded_fs.hpp"
#include "common/text.hpp"

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

struct fd_closer {
  explicit fd_closer(int descriptor) : fd(descriptor) {}
  int fd;
  ~fd_closer() {
    if (fd >= 0) ::close(fd);
  }
  fd_closer(const fd_closer&) = delete;
  fd_closer& operator=(const fd_closer&) = delete;
};

// The mount a walk stays on: the top folder's device and, where the kernel tells it (5.8+), its
// mount id, which also tells a bind mount of the same file system apart.
struct mount_identity {
  dev_t dev = 0;
  std::optional<std::uint64_t> mount_id;
};

// ZooKeeper's folders are two levels deep (version-2/); a deeper tree is someone else's, and an
// unbounded one would cost two descriptors a level.
constexpr int max_walk_depth = 32;

struct walk {
  uid_t uid;
  gid_t gid;
  mount_identity top;
  ownership_notes notes;
  int depth = 0;
};

// Everything about the file open as fd (an O_PATH descriptor is enough), never following a link.
bool stat_fd(int fd, struct statx& sx) {
  return ::statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_MNT_ID, &sx) == 0;
}

mount_identity mount_of(const struct statx& sx) {
  mount_identity id{makedev(sx.stx_dev_major, sx.stx_dev_minor), std::nullopt};
  if ((sx.stx_mask & STATX_MNT_ID) != 0) id.mount_id = sx.stx_mnt_id;
  return id;
}

bool same_mount(const mount_identity& a, const mount_identity& b) {
  return a.dev == b.dev && (!a.mount_id || !b.mount_id || *a.mount_id == *b.mount_id);
}

bool owned_by(const struct statx& sx, uid_t uid, gid_t gid) { return sx.stx_uid == uid && sx.stx_gid == gid; }

// Chowns the file open as fd itself (a link stays a link): the inode that was checked is the one changed.
int chown_fd(int fd, uid_t uid, gid_t gid) { return ::fchownat(fd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW); }

// Hands over one non-directory open as fd, unless another name could lead to it.
status own_entry(int fd, const struct statx& sx, const std::string& path, walk& w) {
  if (sx.stx_nlink > 1) {
    w.notes.hard_linked.push_back(path);
    return ok();
  }
  if (owned_by(sx, w.uid, w.gid)) return ok();
  if (chown_fd(fd, w.uid, w.gid) != 0) return io_error("cannot chown", path, errno);
  return ok();
}

// Chowns the directory open as dir_fd (taking ownership of the fd) and everything below it on the
// same mount. Each entry is opened once (O_PATH | O_NOFOLLOW), checked and changed through that
// descriptor, so swapping it for a link or a hard link meanwhile cannot redirect a chown.
status chown_tree(int dir_fd, const std::string& path, walk& w) {
  dir_ptr dir(::fdopendir(dir_fd));
  if (!dir) {
    const int err = errno;
    ::close(dir_fd);
    return io_error("cannot read directory", path, err);
  }
  struct statx self {};
  if (!stat_fd(dir_fd, self)) return io_error("cannot stat", path, errno);
  if (!owned_by(self, w.uid, w.gid) && chown_fd(dir_fd, w.uid, w.gid) != 0) {
    // Nothing on this mount can change (what is below on other mounts is not walked anyway); `start`
    // then stops with exit 73 when ZooKeeper would need to write here.
    if (errno == EROFS) {
      w.notes.read_only.push_back(path);
      return ok();
    }
    return io_error("cannot chown", path, errno);
  }

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

    const fd_closer child{::openat(dir_fd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC)};
    if (child.fd < 0) {
      if (errno == ENOENT) continue;  // removed while we walked: nothing left to own
      return io_error("cannot open", child_path, errno);
    }
    struct statx sx {};
    if (!stat_fd(child.fd, sx)) return io_error("cannot stat", child_path, errno);
    if (!same_mount(mount_of(sx), w.top)) {
      w.notes.mount_points.push_back(child_path);
      continue;
    }
    if (!S_ISDIR(sx.stx_mode)) {
      if (auto owned = own_entry(child.fd, sx, child_path, w); !owned) return owned;
      continue;
    }
    if (w.depth >= max_walk_depth) {
      w.notes.too_deep.push_back(child_path);
      continue;
    }
    // "." of the O_PATH descriptor: the very directory just checked.
    const int child_dir = ::openat(child.fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (child_dir < 0) return io_error("cannot open directory", child_path, errno);
    ++w.depth;
    auto walked = chown_tree(child_dir, child_path, w);
    --w.depth;
    if (!walked) return walked;
  }
}

std::string listed(const std::vector<std::string>& paths) {
  constexpr std::size_t shown = 5;
  std::string out;
  for (std::size_t i = 0; i < paths.size() && i < shown; ++i) out += (i ? ", " : "") + text::printable(paths[i]);
  if (paths.size() > shown) out += " and " + std::to_string(paths.size() - shown) + " more";
  return out;
}

}  // namespace

std::optional<std::string> ownership_notes::mount_line() const {
  if (mount_points.empty()) return std::nullopt;
  return "ownership: left " + listed(mount_points) +
         " and everything below untouched: another mount, which zkagent never walks into; give it to the "
         "ZooKeeper user yourself if ZooKeeper writes there";
}

std::optional<std::string> ownership_notes::read_only_line() const {
  if (read_only.empty()) return std::nullopt;
  return "ownership: " + listed(read_only) + " is on a read-only file system: left as it is";
}

std::optional<std::string> ownership_notes::too_deep_line() const {
  if (too_deep.empty()) return std::nullopt;
  return "ownership: left " + listed(too_deep) + " and everything below as it is: more than " +
         std::to_string(max_walk_depth) + " folders deep, which ZooKeeper never writes";
}

std::optional<std::string> ownership_notes::hard_link_line() const {
  if (hard_linked.empty()) return std::nullopt;
  return "ownership: left " + listed(hard_linked) +
         " as it is: a file with more than one hard link is never handed over, as another of its names may "
         "be outside the folder; copy it instead of linking it if ZooKeeper needs it";
}

result<ownership_notes> take_ownership(const std::vector<std::string>& folders, uid_t uid, gid_t gid) {
  walk w{uid, gid, {}, {}};
  if (::geteuid() != 0) return w.notes;
  for (const auto& folder : folders) {
    struct stat st {};
    if (::lstat(folder.c_str(), &st) == 0 && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
      // A single file given as a folder: own it, as chown -R would.
      auto handed = hand_over({folder}, uid, gid);
      if (!handed) return handed.err();
      for (auto& p : handed.value().hard_linked) w.notes.hard_linked.push_back(std::move(p));
      continue;
    }
    // The top folder is reached under guarded_fs's rules: a link on the way is followed only where
    // nobody but root could have placed it (a root-placed /data -> /srv/zk is, one uid 1000 planted is not).
    auto top_folder = files::open_folder(folder, false);
    if (!top_folder) return top_folder.err();
    const int fd = top_folder.value().fd.release();
    struct statx top {};
    if (!stat_fd(fd, top)) {
      const int err = errno;
      ::close(fd);
      return io_error("cannot stat", folder, err);
    }
    w.top = mount_of(top);
    if (auto walked = chown_tree(fd, folder, w); !walked) return walked.err();
  }
  return w.notes;
}

result<ownership_notes> hand_over(const std::vector<std::string>& paths, uid_t uid, gid_t gid) {
  walk w{uid, gid, {}, {}};
  if (::geteuid() != 0) return w.notes;
  for (const auto& path : paths) {
    // The folder holding it under guarded_fs's rules; the path itself is never followed.
    const auto [parent, name] = files::split_path(path);
    auto holder = files::open_folder(parent, false);
    if (!holder) return holder.err();
    const fd_closer fd{::openat(holder.value().fd.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC)};
    if (fd.fd < 0) return io_error("cannot chown", path, errno);
    struct statx sx {};
    if (!stat_fd(fd.fd, sx)) return io_error("cannot stat", path, errno);
    if (S_ISDIR(sx.stx_mode)) {
      if (!owned_by(sx, uid, gid) && chown_fd(fd.fd, uid, gid) != 0) return io_error("cannot chown", path, errno);
    } else if (auto owned = own_entry(fd.fd, sx, path, w); !owned) {
      return owned.err();
    }
  }
  return w.notes;
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
