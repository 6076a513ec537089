#include "entrypoint/write_preflight.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace zkagent::entrypoint {
namespace {

// What the probe reports: which folder failed (-1: none), at which step, with which errno.
struct probe_report {
  int index = -1;
  int step = 0;  // 0: create, 1: remove, 2: dropping privileges
  int error_number = 0;
};

constexpr const char* step_names[] = {"create a file in", "remove a file from", "switch to"};

// NFS can hang a create; a probe that does not answer in this time is reported as a failure.
constexpr auto probe_patience = std::chrono::seconds(30);

// Only system calls on prepared buffers: safe in a child forked from a process with threads.
probe_report probe(const std::vector<std::string>& probe_files) {
  for (std::size_t i = 0; i < probe_files.size(); ++i) {
    const char* file = probe_files[i].c_str();
    int fd = ::open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST && ::unlink(file) == 0) {  // left by a killed run
      fd = ::open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    }
    if (fd < 0) return {static_cast<int>(i), 0, errno};
    ::close(fd);
    if (::unlink(file) != 0) return {static_cast<int>(i), 1, errno};
  }
  return {};
}

error io_failure(const std::string& what, int err) {
  return {error_kind::io, "write check: " + what + ": " + std::strerror(err) + " (errno " + std::to_string(err) + ")"};
}

result<probe_report> probe_as(const std::vector<std::string>& probe_files, uid_t uid, gid_t gid) {
  std::array<int, 2> fds{-1, -1};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return io_failure("pipe", errno);
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return io_failure("fork", err);
  }
  if (pid == 0) {
    ::close(fds[0]);
    probe_report r{};
    if (::setgroups(1, &gid) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) {
      r = {-1, 2, errno};
    } else {
      r = probe(probe_files);
    }
    const auto written = ::write(fds[1], &r, sizeof r);
    ::_exit(written == static_cast<ssize_t>(sizeof r) ? 0 : 1);
  }
  ::close(fds[1]);
  probe_report r{};
  std::size_t got = 0;
  const auto deadline = std::chrono::steady_clock::now() + probe_patience;
  bool timed_out = false;
  while (got < sizeof r) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = ::read(fds[0], reinterpret_cast<char*>(&r) + got, sizeof r - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return io_failure("no answer within " + std::to_string(probe_patience.count()) + "s from the child trying the folders", ETIMEDOUT);
  if (got != sizeof r) return error{error_kind::io, "write check: the child trying the folders ended without a report"};
  if (r.step == 2) return io_failure("cannot switch to uid " + std::to_string(uid) + ":" + std::to_string(gid), r.error_number);
  return r;
}

}  // namespace

result<std::optional<unwritable>> first_unwritable(const std::vector<std::string>& folders, uid_t uid, gid_t gid) {
  std::vector<std::string> probe_files;
  const auto name = "/.zkagent-write-check-" + std::to_string(::getpid());
  for (const auto& folder : folders) probe_files.push_back(folder + name);

  probe_report r{};
  if (::geteuid() == 0 && uid != 0) {
    auto forked = probe_as(probe_files, uid, gid);
    if (!forked) return forked.err();
    r = forked.value();
  } else {
    r = probe(probe_files);
  }
  if (r.index < 0) return std::optional<unwritable>{};

  unwritable found;
  found.folder = folders[static_cast<std::size_t>(r.index)];
  found.error_number = r.error_number;
  found.step = step_names[r.step];
  struct stat st {};
  if (::stat(found.folder.c_str(), &st) == 0) {
    found.owner = st.st_uid;
    found.group = st.st_gid;
    found.mode = st.st_mode;
  }
  return std::optional<unwritable>{std::move(found)};
}

}  // namespace zkagent::entrypoint
