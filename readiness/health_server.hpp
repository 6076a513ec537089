#pragma once
// The HTTP health and metrics endpoint (I/O, Boost.Asio): GET/HEAD /livez, /readyz, /metrics and
// /status over the same verdicts as the exec probes, through a verdict_cache so any number of
// requests opens at most one four-letter-word connection per window per command.
//
// It protects itself: a new connection must send its first byte within first_byte_deadline and a
// whole request head of at most 8 KiB within request_deadline of that byte; an idle keep-alive timeout,
// a write deadline, at most max_requests_per_connection per connection, no bodies. At most
// max_connections at once: when full, a new connection closes the open one that has waited longest
// without being answered (no byte yet, a request head still arriving, idle between keep-alive requests,
// or lingering after its last response), so idle or slow clients cannot starve the kubelet's probes;
// the new one is refused only when every open connection is busy answering (a probe or a write in
// flight, each under its own deadline). Every socket is close-on-exec from creation. One io_context on
// one thread; no signal handling (signals belong to the supervisor; the thread health_endpoint starts
// blocks them all).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <spdlog/fwd.h>

#include "readiness/http_request.hpp"
#include "readiness/http_response.hpp"
#include "readiness/metrics.hpp"

namespace zkagent::readiness {

struct health_options {
  boost::asio::ip::tcp::endpoint listen{boost::asio::ip::address_v4::any(), 0};  // port 0: ephemeral
  boost::asio::ip::tcp::endpoint zookeeper{boost::asio::ip::address_v4::loopback(), 2181};
  std::chrono::milliseconds probe_timeout{800};        // one exchange: connect, write, read
  std::chrono::milliseconds cache_window{1000};
  bool allow_read_only = false;                        // /readyz passes in read-only mode
  std::chrono::milliseconds first_byte_deadline{250};  // a new connection's first byte, from the accept
  std::chrono::milliseconds request_deadline{5000};    // a complete request head, from its first byte
  std::chrono::milliseconds idle_timeout{10000};       // keep-alive: waiting for the next request
  std::chrono::milliseconds write_deadline{5000};      // the client reads our response
  std::chrono::milliseconds linger{1000};              // after a closing response: drain, then close
  std::size_t max_connections = 256;
  std::size_t max_requests_per_connection = 100;
  http::limits limits;
};

class health_server {
 public:
  // log may be null (nothing logged).
  health_server(boost::asio::io_context& io, health_options options, std::shared_ptr<spdlog::logger> log);
  ~health_server();
  health_server(const health_server&) = delete;
  health_server& operator=(const health_server&) = delete;

  // Binds and listens; the error when that fails (address in use, not an address of this host).
  boost::system::error_code listen();
  // The bound port (after listen): the real one when options.listen's port was 0.
  [[nodiscard]] std::uint16_t port() const;
  // Starts accepting; call once after a successful listen.
  void start();
  // Closes the acceptor and every connection; in-flight probes end by their own deadline. Call
  // on the io_context's thread.
  void stop();

  // For tests and /metrics: the agent's counters (on the io_context's thread).
  [[nodiscard]] const agent_counters& counters() const;

  struct state;

 private:
  std::shared_ptr<state> state_;  // shared with connections and pending handlers
};

// An endpoint with its own io_context and thread: what `zkagent start --health-port` runs beside
// the JVM and `zkagent serve` runs alone. start_thread() blocks every asynchronous signal in the new
// thread, whatever the caller's mask, so process-directed signals always reach the supervisor.
class health_endpoint {
 public:
  health_endpoint(health_options options, std::shared_ptr<spdlog::logger> log);
  ~health_endpoint();  // stop()
  health_endpoint(const health_endpoint&) = delete;
  health_endpoint& operator=(const health_endpoint&) = delete;

  boost::system::error_code listen();
  [[nodiscard]] std::uint16_t port() const;
  void start_thread();
  // Thread-safe and idempotent: stops the server and joins the thread.
  void stop();

 private:
  boost::asio::io_context io_{1};
  health_server server_;
  std::shared_ptr<spdlog::logger> log_;
  std::mutex stop_mutex_;
  std::thread thread_;
};

}  // namespace zkagent::readiness
