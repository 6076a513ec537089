#include "connection_flood.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <vector>

namespace zkagent::testing {

connection_flood::connection_flood(std::uint16_t port, std::size_t target, bool one_byte)
    : port_(port), target_(target), one_byte_(one_byte), thread_([this] { run(); }) {}

connection_flood::~connection_flood() {
  stop_ = true;
  thread_.join();
}

std::string connection_flood::summary() const {
  return std::to_string(open_) + " open, " + std::to_string(opened_) + " opened, " + std::to_string(closed_) +
         " closed by the server, " + std::to_string(failures_) + " failed to connect";
}

void connection_flood::run() {
  sockaddr_in where{};
  where.sin_family = AF_INET;
  where.sin_port = htons(port_);
  where.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<pollfd> fds;
  std::vector<bool> sent;  // by index in fds: the one byte went out
  const auto drop = [&](std::size_t i) {
    ::close(fds[i].fd);
    fds[i] = fds.back();
    fds.pop_back();
    sent[i] = sent.back();
    sent.pop_back();
  };
  while (!stop_) {
    // Back to full strength: a failed connect (no ephemeral port, no descriptor) waits for the next turn.
    while (fds.size() < target_) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      if (fd < 0) {
        ++failures_;
        break;
      }
      if (::connect(fd, reinterpret_cast<const sockaddr*>(&where), sizeof where) != 0 && errno != EINPROGRESS) {
        ::close(fd);
        ++failures_;
        break;
      }
      fds.push_back({fd, static_cast<short>(POLLIN | (one_byte_ ? POLLOUT : 0)), 0});
      sent.push_back(false);
      ++opened_;
    }
    open_ = fds.size();
    if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
    for (std::size_t i = fds.size(); i-- > 0;) {
      const auto events = fds[i].revents;
      if (events == 0) continue;
      if ((events & POLLOUT) != 0 && !sent[i]) {
        (void)::send(fds[i].fd, "G", 1, MSG_NOSIGNAL);  // the start of "GET", and then nothing
        sent[i] = true;
        fds[i].events = POLLIN;
      }
      if ((events & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char byte = 0;
      const auto n = ::recv(fds[i].fd, &byte, 1, MSG_DONTWAIT);
      if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) continue;  // the server never sends first
      ++closed_;
      drop(i);
    }
    open_ = fds.size();
  }
  for (const auto& p : fds) ::close(p.fd);
  open_ = 0;
}

std::string raise_open_files_limit(rlim_t needed) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return "getrlimit(RLIMIT_NOFILE) failed";
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < needed) {
    return "RLIMIT_NOFILE's hard limit is " + std::to_string(limit.rlim_max) + ", the test needs " +
           std::to_string(needed) + " open files (raise it: ulimit -Hn, or the container's nofile limit)";
  }
  // NOFILE cannot be unlimited in practice (fs.nr_open caps it): then ask for what is needed.
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? needed : limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) return "setrlimit(RLIMIT_NOFILE) to the hard limit failed";
  return "";
}

std::size_t resident_bytes(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) return std::stoul(line.substr(6)) * 1024;  // "VmRSS:    4321 kB"
  }
  return 0;
}

}  // namespace zkagent::testing
