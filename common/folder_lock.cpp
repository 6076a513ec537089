#include "common/folder_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "common/text.hpp"

namespace zkagent::files {

result<folder_lock> lock_folder(const folder& dir, std::chrono::milliseconds budget, const lock_waiting& waiting) {
  // A description of its own (not a dup of dir.fd): flock belongs to the open file description.
  unique_fd fd(::openat(dir.fd.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    return error{error_kind::io, "cannot lock folder " + text::printable(dir.path) + ": " + std::strerror(errno)};
  }
  const auto deadline = std::chrono::steady_clock::now() + budget;
  bool told = false;
  for (;;) {
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return folder_lock(std::move(fd));
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) {
      return error{error_kind::io, "cannot lock folder " + text::printable(dir.path) + ": " + std::strerror(errno)};
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return error{error_kind::io,
                   "another zkagent run has held the lock on " + text::printable(dir.path) + " for more than " +
                       std::to_string(budget.count() / 1000) +
                       " s; zkagent writes a folder one run at a time. Check for a hung `zkagent config` or "
                       "`zkagent myid` (or a process holding flock on that folder) and try again"};
    }
    if (!told && waiting) waiting(dir.path);
    told = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

bool same_folder(const folder& a, const folder& b) {
  struct stat sa {}, sb {};
  return ::fstat(a.fd.get(), &sa) == 0 && ::fstat(b.fd.get(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace zkagent::files
