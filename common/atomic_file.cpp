#include "common/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace zkagent::files {
namespace {

error io_error(std::string_view what, const std::string& path, int err) {
  return {error_kind::io, std::string(what) + " " + path + ": " + std::strerror(err)};
}

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

class fd_guard {
 public:
  explicit fd_guard(int fd) : fd_(fd) {}
  ~fd_guard() {
    if (fd_ >= 0) ::close(fd_);
  }
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  [[nodiscard]] int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::string_view describe(write_outcome outcome) {
  switch (outcome) {
    case write_outcome::created: return "created";
    case write_outcome::replaced: return "replaced";
    case write_outcome::unchanged: return "unchanged";
  }
  return "?";
}

result<std::optional<std::string>> read_if_exists(const std::string& path) {
  fd_guard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<std::string>{};
    return io_error("cannot read", path, errno);
  }
  std::string content;
  char buffer[8192];
  for (;;) {
    const auto n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot read", path, errno);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  return std::optional<std::string>{std::move(content)};
}

staged_file::staged_file(std::string path, std::string temp, bool existed)
    : path_(std::move(path)), temp_(std::move(temp)), existed_(existed) {}

staged_file::staged_file(staged_file&& other) noexcept
    : path_(std::move(other.path_)), temp_(std::exchange(other.temp_, {})), existed_(other.existed_) {}

staged_file& staged_file::operator=(staged_file&& other) noexcept {
  if (this != &other) {
    discard();
    path_ = std::move(other.path_);
    temp_ = std::exchange(other.temp_, {});
    existed_ = other.existed_;
  }
  return *this;
}

staged_file::~staged_file() { discard(); }

void staged_file::discard() {
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
}

result<write_outcome> staged_file::commit() {
  if (temp_.empty()) return write_outcome::unchanged;
  // rename() replaces the name itself (stage() has refused a symlink there).
  if (::rename(temp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    discard();
    return io_error("cannot replace", path_, err);
  }
  temp_.clear();
  // The rename is durable only once the folder itself is synced.
  fd_guard dir(::open(parent_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
  return existed_ ? write_outcome::replaced : write_outcome::created;
}

void remove_leftovers(const std::string& path) {
  const auto folder = parent_of(path);
  const std::string prefix = "." + path.substr(path.rfind('/') + 1) + ".zkagent-";
  fd_guard dir_fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0) return;
  DIR* dir = ::fdopendir(dir_fd.get());
  if (dir == nullptr) return;
  dir_fd.release();  // closedir closes it
  std::vector<std::string> leftovers;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name.size() == prefix.size() + 6 && name.starts_with(prefix)) leftovers.emplace_back(name);
  }
  for (const auto& name : leftovers) {
    struct stat st {};
    if (::fstatat(::dirfd(dir), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
      ::unlinkat(::dirfd(dir), name.c_str(), 0);
    }
  }
  ::closedir(dir);
}

void restore_mode(const std::string& path, mode_t mode) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 07777) == mode) return;
  (void)::chmod(path.c_str(), mode);  // refused on a read-only volume or another owner's file: content is still right
}

result<staged_file> stage(const std::string& path, std::string_view content, mode_t mode) {
  remove_leftovers(path);
  struct stat st {};
  const bool present = ::lstat(path.c_str(), &st) == 0;
  const bool link = present && S_ISLNK(st.st_mode);
  auto existing = read_if_exists(path);
  if (existing.ok() && existing.value() && *existing.value() == content) {
    // Already right. A regular file gets the mode back (someone chmod'ed it); where that is not
    // allowed (a read-only volume, another owner's file) the content is still right. A link is
    // left as it is: its target is not zkagent's to change.
    if (present && !link) restore_mode(path, mode);
    return staged_file(path, "", true);
  }
  if (link) {
    // Replacing a link would silently undo someone's layout; writing through it would change a file
    // elsewhere. Neither: the run stops here, before any file has changed.
    std::string target(4096, '\0');
    const auto n = ::readlink(path.c_str(), target.data(), target.size() - 1);
    target.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return error{error_kind::config, "cannot write " + path + ": it is a symbolic link" +
                                         (target.empty() ? std::string() : " to " + target) +
                                         ", and zkagent neither writes through links nor replaces them. Remove the "
                                         "link (zkagent then writes the file there), or use another folder"};
  }
  const bool existed = existing.ok() && existing.value().has_value();

  std::string temp = parent_of(path) + "/." + path.substr(path.rfind('/') + 1) + ".zkagent-XXXXXX";
  fd_guard fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (fd.get() < 0) return io_error("cannot create a temporary file beside", path, errno);
  staged_file staged(path, temp, existed);  // from here on, a failure removes the temp file

  if (::fchmod(fd.get(), mode) != 0) return io_error("cannot set the mode of", path, errno);
  if (!write_all(fd.get(), content)) return io_error("cannot write", path, errno);
  if (::fsync(fd.get()) != 0) return io_error("cannot sync", path, errno);
  if (::close(fd.release()) != 0) return io_error("cannot close", path, errno);
  return staged;  // moved: C++20 implicit move into the result
}

result<write_outcome> write_atomic(const std::string& path, std::string_view content, mode_t mode) {
  auto staged = stage(path, content, mode);
  if (!staged.ok()) return staged.err();
  return staged.value().commit();
}

status ensure_directory(const std::string& path, mode_t mode) {
  if (path.empty()) return error{error_kind::io, "cannot create a folder with an empty name"};
  std::string partial = path.front() == '/' ? "" : ".";
  // Piece by piece (no std::views::split: clang 14 cannot compile libstdc++ 12's ranges).
  for (std::size_t start = 0; start < path.size();) {
    const auto slash = std::min(path.find('/', start), path.size());
    if (slash > start) {
      partial += '/';
      partial.append(path, start, slash - start);
      if (::mkdir(partial.c_str(), mode) != 0 && errno != EEXIST) {
        return io_error("cannot create folder", partial, errno);
      }
    }
    start = slash + 1;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return io_error("cannot create folder", path, errno);
  if (!S_ISDIR(st.st_mode)) return error{error_kind::io, "cannot use " + path + ": it exists and is not a folder"};
  return ok();
}

}  // namespace zkagent::files
