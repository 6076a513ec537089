#include "fake_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "test_support.hpp"

namespace zkagent::testing {
namespace {

int remaining_ms(std::chrono::steady_clock::time_point end) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<long>(0, left.count()));
}

// Waits for fd to be ready for `events`; false on timeout or when the stop pipe becomes readable.
bool wait_for(int fd, short events, int stop_fd, std::chrono::steady_clock::time_point end) {
  for (;;) {
    pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
    const int n = ::poll(fds, 2, remaining_ms(end));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || fds[1].revents != 0) return false;
    return true;
  }
}

}  // namespace

std::string fake_connection::read(std::size_t n, std::chrono::milliseconds wait) {
  const auto end = std::chrono::steady_clock::now() + wait;
  std::string got;
  while (got.size() < n && wait_for(fd_, POLLIN, stop_fd_, end)) {
    char buffer[256];
    const auto r = ::recv(fd_, buffer, std::min(sizeof buffer, n - got.size()), 0);
    if (r <= 0) break;
    got.append(buffer, static_cast<std::size_t>(r));
  }
  return got;
}

bool fake_connection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool fake_connection::wait_delivered(std::chrono::milliseconds wait) {
  return wait_until(
      [&] {
        int unacknowledged = 0;
        return ::ioctl(fd_, SIOCOUTQ, &unacknowledged) == 0 && unacknowledged == 0;
      },
      wait);
}

bool fake_connection::pause(std::chrono::milliseconds wait) {
  pollfd p{stop_fd_, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(wait.count())) == 0;
}

void fake_connection::reset() {
  if (fd_ < 0) return;
  linger l{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd_);
  fd_ = -1;
}

void fake_connection::close() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
}

fake_server::fake_server(fake_script script) : script_(std::move(script)) {
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) throw std::runtime_error("pipe2");
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0) {
    throw std::runtime_error("bind/listen on 127.0.0.1:0");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

fake_server::~fake_server() {
  (void)::write(stop_pipe_[1], "x", 1);
  thread_.join();
  ::close(listen_fd_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
}

void fake_server::serve() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    fake_connection connection(fd, stop_pipe_[0]);
    script_(connection);
    connection.close();  // whatever the script left open
  }
}

// A port that was just bound and closed: nothing listens there, so a connect is refused.
std::uint16_t refused_port() { return free_port(); }

}  // namespace zkagent::testing
