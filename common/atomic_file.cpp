#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ranges>
#include <string>
#include <utility>

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

result<write_outcome> write_atomic(const std::string& path, std::string_view content, mode_t mode) {
  auto existing = read_if_exists(path);
  if (existing.ok() && existing.value() && *existing.value() == content) return write_outcome::unchanged;
  const bool existed = existing.ok() && existing.value().has_value();

  std::string temp = parent_of(path) + "/." + path.substr(path.rfind('/') + 1) + ".zkagent-XXXXXX";
  fd_guard fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (fd.get() < 0) return io_error("cannot create a temporary file beside", path, errno);

  const auto fail = [&](std::string_view what) {
    const int err = errno;
    ::unlink(temp.c_str());
    return io_error(what, path, err);
  };
  if (::fchmod(fd.get(), mode) != 0) return fail("cannot set the mode of");
  if (!write_all(fd.get(), content)) return fail("cannot write");
  if (::fsync(fd.get()) != 0) return fail("cannot sync");
  if (::close(fd.release()) != 0) return fail("cannot close");
  if (::rename(temp.c_str(), path.c_str()) != 0) return fail("cannot replace");

  // The rename is durable only once the folder itself is synced.
  fd_guard dir(::open(parent_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
  return existed ? write_outcome::replaced : write_outcome::created;
}

status ensure_directory(const std::string& path, mode_t mode) {
  if (path.empty()) return error{error_kind::io, "cannot create a folder with an empty name"};
  std::string partial = path.front() == '/' ? "" : ".";
  for (const auto& piece : path | std::views::split('/')) {
    if (piece.empty()) continue;
    partial += '/';
    partial.append(piece.begin(), piece.end());
    if (::mkdir(partial.c_str(), mode) != 0 && errno != EEXIST) {
      return io_error("cannot create folder", partial, errno);
    }
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return io_error("cannot create folder", path, errno);
  if (!S_ISDIR(st.st_mode)) return error{error_kind::io, "cannot use " + path + ": it exists and is not a folder"};
  return ok();
}

}  // namespace zkagent::files
