#pragma once
// A scripted TCP server on 127.0.0.1:0, for what a real ZooKeeper cannot be made to do: hang,
// drip, answer garbage, reset at a chosen moment. One thread accepts connections one at a time and
// runs the script on each; the destructor stops every wait, closes everything and joins.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace zkagent::testing {

// What a script can do with its accepted connection. Every wait ends early when the server stops.
class fake_connection {
 public:
  fake_connection(int fd, int stop_fd) : fd_(fd), stop_fd_(stop_fd) {}
  // Reads until n bytes came (the probe's command), EOF, or the wait ends; what was read.
  std::string read(std::size_t n, std::chrono::milliseconds wait = std::chrono::seconds(5));
  bool send(std::string_view bytes);  // false when the peer is gone
  // Until everything sent was acknowledged by the peer (SIOCOUTQ reaches 0): the bytes are in the
  // client's receive buffer, so a reset that follows cannot overtake them.
  bool wait_delivered(std::chrono::milliseconds wait = std::chrono::seconds(2));
  // Sleeps, or returns false at once when the server stops.
  bool pause(std::chrono::milliseconds wait);
  // Close with SO_LINGER 0: the kernel sends a reset instead of a FIN.
  void reset();
  // Close normally (FIN).
  void close();
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_;
  int stop_fd_;
};

using fake_script = std::function<void(fake_connection&)>;

class fake_server {
 public:
  explicit fake_server(fake_script script);
  ~fake_server();
  fake_server(const fake_server&) = delete;
  fake_server& operator=(const fake_server&) = delete;
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] int connections() const { return connections_; }

 private:
  void serve();

  fake_script script_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::atomic<int> connections_ = 0;
  std::thread thread_;
};

// A port on 127.0.0.1 where nothing listens: bound, then closed.
std::uint16_t refused_port();

}  // namespace zkagent::testing
