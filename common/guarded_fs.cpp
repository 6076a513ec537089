#include "common/guarded_fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "common/text.hpp"

namespace zkagent::files {
namespace {

constexpr int max_link_hops = 40;  // as the kernel's own limit (ELOOP)

std::string errno_text(int err) { return std::strerror(err); }

error io_error(std::string_view what, std::string_view path, int err) {
  return {error_kind::io, std::string(what) + " " + text::printable(path) + ": " + errno_text(err)};
}

std::string mode_text(mode_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

std::string_view kind_of(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// A link in the folder open as dir_fd may be followed when nobody but root or us could have put
// it there: see the header.
bool may_follow(int dir_fd, const struct stat& link) {
  struct stat dir {};
  if (::fstat(dir_fd, &dir) != 0) return false;
  const uid_t me = ::geteuid();
  const bool trusted_owner = dir.st_uid == 0 || dir.st_uid == me;
  if (trusted_owner && (dir.st_mode & (S_IWGRP | S_IWOTH)) == 0) return true;
  struct statvfs fs {};
  if (::fstatvfs(dir_fd, &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0) return true;
  return trusted_owner && (dir.st_mode & S_ISVTX) != 0 && (link.st_uid == 0 || link.st_uid == me);
}

bool read_only_mount(int fd) {
  struct statvfs fs {};
  return ::fstatvfs(fd, &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0;
}

// Nobody but root (or us) can change fd's file or folder: owned by root or us, writable by no group or
// other user, or on a read-only mount. A folder like that cannot be moved by another user either
// (moving a folder needs write permission on it, for its ".." entry).
bool only_root_can_change_fd(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  const uid_t me = ::geteuid();
  if ((st.st_uid == 0 || st.st_uid == me) && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0) return true;
  return read_only_mount(fd);
}

bool only_root_can_move(int dir_fd) { return only_root_can_change_fd(dir_fd); }

// Who, besides root, can change the folder open as dir_fd: for messages.
std::string who_can_change(int dir_fd) {
  struct stat dir {};
  std::string who = "another user";
  if (::fstat(dir_fd, &dir) == 0) {
    who = "uid " + std::to_string(dir.st_uid) + " (its owner)";
    if ((dir.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (dir.st_uid == 0 || dir.st_uid == ::geteuid())) {
      who = (dir.st_mode & S_IWOTH) != 0 ? std::string("every user") : "gid " + std::to_string(dir.st_gid);
    }
    who += ", mode " + mode_text(dir.st_mode);
  }
  return who;
}

error untrusted_link(int dir_fd, std::string_view shown) {
  return {error_kind::config,
          text::printable(shown) + " is a symbolic link in a folder that " + who_can_change(dir_fd) +
              " can change: zkagent follows links only where nobody but root could have placed them. Replace the "
              "link with the folder or file itself, or name its target directly"};
}

// A second name for a file outside the folder: as root, zkagent would restore that file's mode and
// hand it to the ZooKeeper user. uid 1000 can link any file it may read and write (protected_hardlinks
// does not stop that), e.g. a root:1000 0660 file elsewhere.
error untrusted_hard_link(int dir_fd, std::string_view shown, nlink_t names) {
  return {error_kind::config,
          text::printable(shown) + " is a hard link (the file has " + std::to_string(names) +
              " names) in a folder that " + who_can_change(dir_fd) +
              " can change: its other name may be outside the folder, and zkagent would change that file's mode "
              "and owner. Replace it with a copy of the file"};
}

error not_what_was_expected(std::string_view shown, mode_t mode, std::string_view wanted) {
  return {error_kind::config, text::printable(shown) + " is " + std::string(kind_of(mode)) + ", not " +
                                  std::string(wanted) +
                                  (S_ISFIFO(mode) || S_ISCHR(mode) || S_ISBLK(mode) || S_ISSOCK(mode)
                                       ? ": zkagent reads only regular files (a FIFO or a device could block it or never end)"
                                       : "")};
}

std::string join(std::string_view folder, std::string_view name) {
  if (folder.empty() || folder == ".") return std::string(name);
  if (folder.back() == '/') return std::string(folder) + std::string(name);
  return std::string(folder) + "/" + std::string(name);
}

result<unique_fd> open_start(std::string_view path, int relative_to, std::string_view shown) {
  const int fd = !path.empty() && path.front() == '/'
                     ? ::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                     : (relative_to == AT_FDCWD ? ::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                                                : ::fcntl(relative_to, F_DUPFD_CLOEXEC, 0));
  if (fd < 0) return io_error("cannot open the folder to start from for", shown, errno);
  return unique_fd(fd);
}

struct walk_state {
  int hops = 0;
  bool create = false;
  mode_t mode = 0755;
  bool missing = false;  // a component does not exist (and create is off)
};

// Walks path (relative to base, or from "/" when absolute) and returns the last folder. shown is
// the text for messages of the path walked so far.
result<unique_fd> walk(unique_fd base, std::string_view path, std::string shown, walk_state& st) {
  unique_fd current = std::move(base);
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = std::min(path.find('/', start), path.size());
    const std::string name(path.substr(start, slash - start));
    start = slash + 1;
    if (name.empty() || name == ".") continue;
    shown = join(shown, name);
    // ".." leads wherever the folder is now, and its owner may move it into any folder it can write
    // (a sticky /tmp, say). Only a folder nobody but root can move is climbed out of.
    if (name == ".." && !only_root_can_move(current.get())) {
      return error{error_kind::config, text::printable(shown) + " climbs out (\"..\") of a folder that " +
                                           who_can_change(current.get()) +
                                           " can move elsewhere: name the folder without \"..\""};
    }

    struct stat s {};
    if (::fstatat(current.get(), name.c_str(), &s, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) return io_error("cannot look at", shown, errno);
      if (!st.create) {
        st.missing = true;
        return io_error("cannot open folder", shown, ENOENT);
      }
      if (::mkdirat(current.get(), name.c_str(), st.mode) != 0 && errno != EEXIST) {
        return io_error("cannot create folder", shown, errno);
      }
      if (::fstatat(current.get(), name.c_str(), &s, AT_SYMLINK_NOFOLLOW) != 0) {
        return io_error("cannot look at", shown, errno);
      }
    }
    if (S_ISLNK(s.st_mode)) {
      if (!may_follow(current.get(), s)) return untrusted_link(current.get(), shown);
      if (++st.hops > max_link_hops) return io_error("cannot resolve", shown, ELOOP);
      std::string target(4096, '\0');
      const auto n = ::readlinkat(current.get(), name.c_str(), target.data(), target.size());
      if (n <= 0 || static_cast<std::size_t>(n) >= target.size()) return io_error("cannot read the link", shown, errno);
      target.resize(static_cast<std::size_t>(n));
      auto next = open_start(target, current.get(), shown);
      if (!next.ok()) return next.err();
      auto followed = walk(std::move(next).value(), target, shown + " ->", st);
      if (!followed.ok()) return followed;
      current = std::move(followed).value();
      continue;
    }
    if (!S_ISDIR(s.st_mode)) return not_what_was_expected(shown, s.st_mode, "a folder");
    const int fd = ::openat(current.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ELOOP || errno == ENOTDIR) {
        return error{error_kind::config, text::printable(shown) + " changed while zkagent opened it (it is no longer a folder)"};
      }
      return io_error("cannot open folder", shown, errno);
    }
    current = unique_fd(fd);
  }
  return current;
}

result<std::optional<folder>> open_folder_impl(const std::string& path, walk_state& st) {
  if (path.empty()) return error{error_kind::io, "cannot open a folder with an empty name"};
  auto base = open_start(path, AT_FDCWD, path);
  if (!base.ok()) return base.err();
  auto fd = walk(std::move(base).value(), path, path.front() == '/' ? "/" : "", st);
  if (!fd.ok()) {
    if (st.missing) return std::optional<folder>{};
    return fd.err();
  }
  return std::optional<folder>{folder{std::move(fd).value(), path}};
}

result<guarded_read> read_at(int dir_fd, std::string_view dir_shown, std::string_view name, std::size_t cap, int hops) {
  const auto shown = join(dir_shown, name);
  const std::string leaf(name);
  struct stat s {};
  if (::fstatat(dir_fd, leaf.c_str(), &s, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return guarded_read{};
    return io_error("cannot read", shown, errno);
  }
  if (S_ISLNK(s.st_mode)) {
    if (!may_follow(dir_fd, s)) return untrusted_link(dir_fd, shown);
    if (hops + 1 > max_link_hops) return io_error("cannot resolve", shown, ELOOP);
    std::string target(4096, '\0');
    const auto n = ::readlinkat(dir_fd, leaf.c_str(), target.data(), target.size());
    if (n <= 0 || static_cast<std::size_t>(n) >= target.size()) return io_error("cannot read the link", shown, errno);
    target.resize(static_cast<std::size_t>(n));
    const auto [parent, last] = split_path(target);
    auto base = open_start(parent, dir_fd, shown);
    if (!base.ok()) return base.err();
    walk_state st;
    st.hops = hops + 1;
    auto where = walk(std::move(base).value(), parent, shown + " ->", st);
    if (!where.ok()) {
      if (st.missing) return guarded_read{};  // a dangling link: as absent
      return where.err();
    }
    return read_at(where.value().get(), shown + " -> " + parent, last, cap, st.hops);
  }
  // Judged before opening: opening a FIFO or a device can block or act on the device.
  if (!S_ISREG(s.st_mode)) return not_what_was_expected(shown, s.st_mode, "a regular file");
  unique_fd fd(::openat(dir_fd, leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return guarded_read{};
    return io_error("cannot read", shown, errno);
  }
  struct stat opened {};
  if (::fstat(fd.get(), &opened) != 0) return io_error("cannot read", shown, errno);
  if (!S_ISREG(opened.st_mode) || opened.st_ino != s.st_ino || opened.st_dev != s.st_dev) {
    return error{error_kind::config, text::printable(shown) + " changed while zkagent opened it"};
  }
  const auto too_big = [&] {
    return error{error_kind::config, text::printable(shown) + " is larger than " + std::to_string(cap) +
                                         " bytes, the most zkagent reads from such a file"};
  };
  if (opened.st_nlink > 1 && !may_follow(dir_fd, opened)) return untrusted_hard_link(dir_fd, shown, opened.st_nlink);
  if (static_cast<std::uint64_t>(opened.st_size) > cap) return too_big();
  std::string content;
  char buffer[8192];
  for (;;) {
    const auto n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot read", shown, errno);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
    if (content.size() > cap) return too_big();  // it grew while we read
  }
  // Judged on what was read: the folder it sits in (reached through links only root placed) and the
  // open file itself, so nothing can be swapped between the read and the verdict.
  return guarded_read{std::move(content), only_root_can_change_fd(dir_fd) && only_root_can_change_fd(fd.get())};
}

}  // namespace

unique_fd::unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

unique_fd& unique_fd::operator=(unique_fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

unique_fd::~unique_fd() {
  if (fd_ >= 0) ::close(fd_);
}

int unique_fd::release() { return std::exchange(fd_, -1); }

std::pair<std::string, std::string> split_path(const std::string& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  const auto slash = trimmed.rfind('/');
  if (slash == std::string::npos) return {".", trimmed};
  return {slash == 0 ? "/" : trimmed.substr(0, slash), trimmed.substr(slash + 1)};
}

result<folder> open_folder(const std::string& path, bool create, mode_t mode) {
  walk_state st;
  st.create = create;
  st.mode = mode;
  auto opened = open_folder_impl(path, st);
  if (!opened.ok()) return opened.err();
  if (!opened.value()) return io_error("cannot open folder", path, ENOENT);
  return std::move(*std::move(opened).value());
}

result<std::optional<folder>> open_folder_if_exists(const std::string& path) {
  walk_state st;
  return open_folder_impl(path, st);
}

result<guarded_read> read_file_at_judged(const folder& dir, std::string_view name, std::size_t cap) {
  return read_at(dir.fd.get(), dir.path, name, cap, 0);
}

result<std::optional<std::string>> read_file_at(const folder& dir, std::string_view name, std::size_t cap) {
  auto read = read_at(dir.fd.get(), dir.path, name, cap, 0);
  if (!read.ok()) return read.err();
  return std::move(read).value().content;
}

result<std::optional<std::string>> read_file(const std::string& path, std::size_t cap) {
  const auto [parent, name] = split_path(path);
  if (name.empty() || name == "." || name == "..") {
    return error{error_kind::config, text::printable(path) + " names a folder, not a file"};
  }
  auto dir = open_folder_if_exists(parent);
  if (!dir.ok()) return dir.err();
  if (!dir.value()) return std::optional<std::string>{};
  return read_file_at(*dir.value(), name, cap);
}


std::string real_path_of(const folder& dir) {
  const auto proc = "/proc/self/fd/" + std::to_string(dir.fd.get());
  std::string target(4096, '\0');
  const auto n = ::readlink(proc.c_str(), target.data(), target.size());
  if (n <= 0 || static_cast<std::size_t>(n) >= target.size()) return "";
  target.resize(static_cast<std::size_t>(n));
  return target;
}

}  // namespace zkagent::files
