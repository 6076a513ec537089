// Every socket zkagent opens is close-on-exec from creation (readiness/cloexec_socket): the health
// endpoint's listening and accepted sockets, a four-letter-word probe's and an AdminServer GET's, so
// the JVM the supervisor spawns inherits none. Each is found among this process's descriptors by its
// loopback addresses while it is open, and its FD_CLOEXEC flag read. The control: a socket Asio
// opens itself is not close-on-exec (Boost 1.74), so the check is not vacuous.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "readiness/admin_client.hpp"
#include "readiness/health_server.hpp"
#include "readiness/probe_client.hpp"

namespace zkagent::readiness {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::tcp;

bool close_on_exec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

std::uint16_t local_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0 || a.sin_family != AF_INET) return 0;
  return ntohs(a.sin_port);
}

std::uint16_t peer_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0 || a.sin_family != AF_INET) return 0;
  return ntohs(a.sin_port);
}

// This process's IPv4 socket bound to local and connected to peer (0: not connected), waiting up to
// 5 s for it to appear (another thread accepts or connects it).
std::optional<int> find_socket(std::uint16_t local, std::uint16_t peer) {
  const auto end = std::chrono::steady_clock::now() + 5s;
  do {
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
      std::error_code ec;
      const auto target = std::filesystem::read_symlink(entry.path(), ec).string();
      if (ec || !target.starts_with("socket:")) continue;
      const int fd = std::stoi(entry.path().filename().string());
      if (local_port(fd) == local && peer_port(fd) == peer) return fd;
    }
    std::this_thread::sleep_for(5ms);  // bounded by `end`
  } while (std::chrono::steady_clock::now() < end);
  return std::nullopt;
}

// A blocking IPv4 socket of the test's own on 127.0.0.1.
int loopback_socket() { return ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0); }

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

TEST(cloexec_sockets, asio_alone_opens_sockets_without_close_on_exec) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.open(tcp::v4());
  EXPECT_FALSE(close_on_exec(socket.native_handle()))
      << "Asio now opens sockets close-on-exec by itself: readiness/cloexec_socket may be simpler now";
}

TEST(cloexec_sockets, the_health_endpoints_listening_and_accepted_sockets_are_close_on_exec) {
  health_options options;
  options.listen = {boost::asio::ip::address_v4::loopback(), 0};
  options.zookeeper = {boost::asio::ip::address_v4::loopback(), 1};  // never asked: no request is sent
  options.first_byte_deadline = 30s;                                 // the connection stays while we look
  health_endpoint endpoint(options, nullptr);
  ASSERT_FALSE(endpoint.listen());
  endpoint.start_thread();
  const auto port = endpoint.port();

  const auto listening = find_socket(port, 0);
  ASSERT_TRUE(listening) << "the listening socket on port " << port << " is not among /proc/self/fd";
  EXPECT_TRUE(close_on_exec(*listening));

  const int client = loopback_socket();
  const auto where = loopback(port);
  ASSERT_EQ(::connect(client, reinterpret_cast<const sockaddr*>(&where), sizeof where), 0);
  // A first byte: the listening socket defers connections that have sent nothing (TCP_DEFER_ACCEPT).
  ASSERT_EQ(::send(client, "G", 1, MSG_NOSIGNAL), 1);
  const auto accepted = find_socket(port, local_port(client));
  ASSERT_TRUE(accepted) << "the server never accepted the connection";
  EXPECT_TRUE(close_on_exec(*accepted));
  ::close(client);
  endpoint.stop();
}

// A listener of the test's own; `connect` runs a client of zkagent's in a thread while the test
// accepts, finds the client's socket by its addresses, then closes so the client finishes.
void expect_client_socket_close_on_exec(const std::function<void(std::uint16_t port)>& connect) {
  const int listener = loopback_socket();
  auto where = loopback(0);
  ASSERT_EQ(::bind(listener, reinterpret_cast<const sockaddr*>(&where), sizeof where), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  const auto port = local_port(listener);
  std::thread client([&] { connect(port); });
  pollfd p{listener, POLLIN, 0};
  const bool came = ::poll(&p, 1, 5000) == 1;
  const int server_side = came ? ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC) : -1;
  std::optional<int> probe_socket;
  if (server_side >= 0) probe_socket = find_socket(peer_port(server_side), port);
  if (server_side >= 0) ::close(server_side);  // the client sees EOF and finishes
  client.join();
  ::close(listener);
  ASSERT_TRUE(came && server_side >= 0) << "the client never connected";
  ASSERT_TRUE(probe_socket) << "the client's socket is not among /proc/self/fd";
  EXPECT_TRUE(close_on_exec(*probe_socket));
}

TEST(cloexec_sockets, a_four_letter_probes_socket_is_close_on_exec) {
  expect_client_socket_close_on_exec([](std::uint16_t port) {
    (void)run_exchange({boost::asio::ip::address_v4::loopback(), port}, "ruok", 10s);
  });
}

TEST(cloexec_sockets, an_admin_server_gets_socket_is_close_on_exec) {
  expect_client_socket_close_on_exec([](std::uint16_t port) {
    (void)run_admin_get(admin_url{"127.0.0.1", port, "/commands"}, "ruok", 10s);
  });
}

}  // namespace
}  // namespace zkagent::readiness
