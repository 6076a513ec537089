#include "common/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "common/text.hpp"

namespace zkagent::files {
namespace {

error io_error(std::string_view what, const std::string& path, int err) {
  return {error_kind::io, std::string(what) + " " + text::printable(path) + ": " + std::strerror(err)};
}

std::string join(const std::string& folder, std::string_view name) {
  return folder.empty() || folder.back() == '/' ? folder + std::string(name) : folder + "/" + std::string(name);
}

// Appended piece by piece: `"." + std::string(name)` trips GCC 12's false -Wrestrict (GCC bug 105329).
std::string leftover_prefix(std::string_view name) {
  std::string prefix = ".";
  prefix.append(name).append(".zkagent-");
  return prefix;
}

// .<name>.zkagent-<pid>-<8 hex>: unique per run and per file, so two runs never share a temp file.
std::string temp_name(std::string_view name) {
  std::uint32_t random = 0;
  if (::getrandom(&random, sizeof random, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof random)) {
    static std::uint32_t counter = 0;  // getrandom is not expected to fail; uniqueness still comes from O_EXCL
    random = ++counter;
  }
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "%d-%08x", static_cast<int>(::getpid()), random);
  return leftover_prefix(name) + suffix;
}

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

result<unique_fd> dup_folder(const folder& dir) {
  const int fd = ::fcntl(dir.fd.get(), F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return io_error("cannot use folder", dir.path, errno);
  return unique_fd(fd);
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

staged_file::staged_file(unique_fd dir, std::string dir_path, std::string name, std::string temp, bool existed)
    : dir_(std::move(dir)), dir_path_(std::move(dir_path)), name_(std::move(name)), temp_(std::move(temp)), existed_(existed) {}

staged_file& staged_file::operator=(staged_file&& other) noexcept {
  if (this != &other) {
    discard();
    dir_ = std::move(other.dir_);
    dir_path_ = std::move(other.dir_path_);
    name_ = std::move(other.name_);
    temp_ = std::exchange(other.temp_, {});
    existed_ = other.existed_;
  }
  return *this;
}

staged_file::~staged_file() { discard(); }

std::string staged_file::path() const { return join(dir_path_, name_); }

void staged_file::discard() {
  if (!temp_.empty() && dir_.valid()) ::unlinkat(dir_.get(), temp_.c_str(), 0);
  temp_.clear();
}

result<write_outcome> staged_file::commit() {
  if (temp_.empty()) return write_outcome::unchanged;
  // renameat replaces the name itself, never what a link there points to (stage() refused links).
  if (::renameat(dir_.get(), temp_.c_str(), dir_.get(), name_.c_str()) != 0) {
    const int err = errno;
    discard();
    return io_error("cannot replace", path(), err);
  }
  temp_.clear();
  ::fsync(dir_.get());  // the rename is durable only once the folder itself is synced
  return existed_ ? write_outcome::replaced : write_outcome::created;
}

void remove_leftovers(const folder& dir, std::string_view name) {
  const auto prefix = leftover_prefix(name);
  const int fd = ::fcntl(dir.fd.get(), F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return;
  DIR* listing = ::fdopendir(fd);
  if (listing == nullptr) {
    ::close(fd);
    return;
  }
  ::rewinddir(listing);
  std::vector<std::string> leftovers;
  while (const dirent* entry = ::readdir(listing)) {
    const std::string_view entry_name = entry->d_name;
    if (entry_name.size() > prefix.size() && entry_name.starts_with(prefix)) leftovers.emplace_back(entry_name);
  }
  for (const auto& leftover : leftovers) {
    struct stat st {};
    if (::fstatat(::dirfd(listing), leftover.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
      ::unlinkat(::dirfd(listing), leftover.c_str(), 0);
    }
  }
  ::closedir(listing);
}

void restore_mode(const folder& dir, std::string_view name, mode_t mode) {
  const std::string leaf(name);
  // Opened without following a link and without blocking; only a regular file is changed, through
  // its own descriptor, so a file swapped for a link meanwhile cannot redirect the chmod.
  unique_fd fd(::openat(dir.fd.get(), leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!fd.valid()) return;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 07777) == mode) return;
  // A file with another name (swapped in for a hard link after it was read) may be one outside.
  if (st.st_nlink > 1) return;
  (void)::fchmod(fd.get(), mode);  // refused on a read-only volume or another owner's file: content is still right
}

result<staged_file> stage(const folder& dir, std::string_view name, std::string_view content, mode_t mode) {
  remove_leftovers(dir, name);
  const std::string leaf(name);
  const auto path = join(dir.path, name);
  struct stat st {};
  const bool present = ::fstatat(dir.fd.get(), leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
  const bool link = present && S_ISLNK(st.st_mode);
  auto existing = read_file_at(dir, name, max_config_bytes);
  if (!existing.ok()) return existing.err();  // a link zkagent may not follow, a FIFO, a folder, ...
  auto here = dup_folder(dir);
  if (!here.ok()) return here.err();
  if (existing.value() && *existing.value() == content) {
    // Already right. A regular file gets the mode back (someone chmod'ed it); a link is left as it
    // is: its target is not zkagent's to change.
    if (!link) restore_mode(dir, name, mode);
    return staged_file(std::move(here).value(), dir.path, leaf, "", true);
  }
  if (link) {
    // Replacing a link would silently undo someone's layout; writing through it would change a file
    // elsewhere. Neither: the run stops here, before any file has changed. (read_file_at has
    // judged the link one that root placed, so its target may be named.)
    std::string target(4096, '\0');
    const auto n = ::readlinkat(dir.fd.get(), leaf.c_str(), target.data(), target.size() - 1);
    target.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return error{error_kind::config, "cannot write " + text::printable(path) + ": it is a symbolic link" +
                                         (target.empty() ? std::string() : " to " + text::printable(target)) +
                                         ", and zkagent neither writes through links nor "
                                         "replaces them. Remove the link (zkagent then writes the file there), or "
                                         "use another folder"};
  }
  const bool existed = present;

  auto temp = temp_name(name);
  unique_fd fd(::openat(dir.fd.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) return io_error("cannot create a temporary file beside", path, errno);
  staged_file staged(std::move(here).value(), dir.path, leaf, temp, existed);  // from here on, a failure removes it

  if (::fchmod(fd.get(), mode) != 0) return io_error("cannot set the mode of", path, errno);
  if (!write_all(fd.get(), content)) return io_error("cannot write", path, errno);
  if (::fsync(fd.get()) != 0) return io_error("cannot sync", path, errno);
  if (::close(fd.release()) != 0) return io_error("cannot close", path, errno);
  return staged;
}

result<write_outcome> write_atomic(const folder& dir, std::string_view name, std::string_view content, mode_t mode) {
  auto staged = stage(dir, name, content, mode);
  if (!staged.ok()) return staged.err();
  return staged.value().commit();
}

}  // namespace zkagent::files
