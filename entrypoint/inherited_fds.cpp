#include "entrypoint/inherited_fds.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace zkagent::entrypoint {
namespace {

constexpr int first_inherited = 3;  // above stdin, stdout, stderr

void mark_cloexec(int fd) {
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags != -1 && (flags & FD_CLOEXEC) == 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

// The raw syscall, not glibc's wrapper: a static binary built against a newer glibc than the kernel
// must still get ENOSYS back rather than a missing symbol, and it is async-signal-safe either way.
bool by_close_range() {
  return ::syscall(SYS_close_range, first_inherited, ~0U, CLOSE_RANGE_CLOEXEC) == 0;
}

// A directory entry's name as a descriptor number; -1 for "." and "..".
int fd_number(const char* name) {
  if (*name == '\0') return -1;
  int fd = 0;
  for (; *name != '\0'; ++name) {
    if (*name < '0' || *name > '9' || fd > (INT32_MAX - 9) / 10) return -1;
    fd = fd * 10 + (*name - '0');
  }
  return fd;
}

// Where getdents64 puts a record's length and name (struct linux_dirent64: u64 ino, s64 off,
// u16 reclen, u8 type, then the NUL-terminated name).
constexpr std::size_t reclen_offset = 16;
constexpr std::size_t name_offset = 19;

bool by_proc_listing() {
  const int dir = ::open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir == -1) return false;
  alignas(8) char buffer[4096];
  bool ok = true;
  for (;;) {
    const long got = ::syscall(SYS_getdents64, dir, buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    for (long at = 0; at < got;) {
      std::uint16_t reclen = 0;
      std::memcpy(&reclen, buffer + at + reclen_offset, sizeof reclen);
      if (reclen == 0) break;  // never from a sane kernel; do not spin on it
      const int fd = fd_number(buffer + at + name_offset);
      if (fd >= first_inherited && fd != dir) mark_cloexec(fd);
      at += reclen;
    }
  }
  ::close(dir);
  return ok;
}

bool by_number_range() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return false;
  for (rlim_t fd = first_inherited; fd < limit.rlim_cur; ++fd) mark_cloexec(static_cast<int>(fd));
  return true;
}

}  // namespace

bool mark_inherited_fds_cloexec(fd_sweep how) noexcept {
  switch (how) {
    case fd_sweep::any:
      return by_close_range() || by_proc_listing() || by_number_range();
    case fd_sweep::proc_listing:
      return by_proc_listing();
    case fd_sweep::number_range:
      return by_number_range();
  }
  return false;
}

}  // namespace zkagent::entrypoint
