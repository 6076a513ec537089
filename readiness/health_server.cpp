#include "readiness/health_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <memory>
#include <exception>
#include <list>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/logger.h>

#include "readiness/cloexec_socket.hpp"
#include "readiness/probe_client.hpp"
#include "readiness/status_json.hpp"
#include "readiness/verdict_cache.hpp"

namespace zkagent::readiness {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using std::chrono::milliseconds;

namespace {

constexpr std::size_t max_drain_bytes = 64 * 1024;
constexpr milliseconds accept_retry_delay{100};

std::string endpoint_text(const tcp::endpoint& e) {
  const auto address = e.address().to_string();
  return (e.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(e.port());
}

enum class route { livez, readyz, metrics, status };

std::optional<route> route_of(std::string_view path) {
  if (path == "/livez") return route::livez;
  if (path == "/readyz") return route::readyz;
  if (path == "/metrics") return route::metrics;
  if (path == "/status") return route::status;
  return std::nullopt;
}

probe_command command_of(route r) {
  switch (r) {
    case route::livez: return probe_command::ruok;
    case route::metrics: return probe_command::mntr;
    case route::readyz:
    case route::status: return probe_command::srvr;
  }
  return probe_command::srvr;
}

http::response verdict_response(const verdict& v) {
  http::response r;
  r.status = v.ok ? 200 : 503;
  r.body = (v.ok ? "ok: " : "fail: ") + v.reason + "\n";
  return r;
}

class connection;

}  // namespace

struct health_server::state : std::enable_shared_from_this<health_server::state> {
  state(asio::io_context& io_context, health_options opts, std::shared_ptr<spdlog::logger> logger)
      : io(io_context),
        options(std::move(opts)),
        log(std::move(logger)),
        acceptor(io_context),
        accept_retry(io_context),
        zookeeper_text(endpoint_text(options.zookeeper)),
        cache(options.cache_window, nullptr, [] { return verdict_cache::clock::now(); }) {}

  // The cache's starter needs a weak pointer to this, so it is set up after construction.
  void make_cache() {
    cache = verdict_cache(
        options.cache_window,
        [weak = weak_from_this()](probe_command command, verdict_cache::done_handler done) {
          if (const auto self = weak.lock()) self->probe(command, std::move(done));
        },
        [] { return verdict_cache::clock::now(); });
  }

  // One connection per turn, then the next turn is posted: the new connection's first read (Asio
  // tries it at once) completes before the next accept, so a client whose request is already there
  // is busy answering, and safe from eviction, before the next connection is taken.
  void accept() {
    if (stopping) return;
    tcp::socket socket(io);
    const auto ec = accept_cloexec(acceptor, protocol, socket);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      acceptor.async_wait(tcp::acceptor::wait_read, [self = shared_from_this()](const error_code& wait_ec) {
        if (wait_ec == asio::error::operation_aborted || self->stopping) return;
        if (wait_ec) return self->accept_failed(wait_ec);
        self->accept();
      });
      return;
    }
    if (ec == asio::error::connection_aborted || ec == asio::error::interrupted || ec.value() == EPROTO) {
      return next_accept();  // that client is gone already
    }
    if (ec) return accept_failed(ec);
    accept_failing = false;
    admit(std::move(socket));
    next_accept();
  }

  void next_accept() {
    asio::post(io, [self = shared_from_this()] { self->accept(); });
  }

  void accept_failed(const error_code& ec);
  void admit(tcp::socket socket);

  void probe(probe_command command, verdict_cache::done_handler done) {
    const auto began = std::chrono::steady_clock::now();
    async_exchange(io, options.zookeeper, std::string(command_name(command)), options.probe_timeout,
                   [weak = weak_from_this(), command, began, done = std::move(done)](exchange ex) {
                     const auto took = std::chrono::steady_clock::now() - began;
                     if (const auto self = weak.lock()) self->record(command, ex, took);
                     done(probe_result{std::move(ex), std::chrono::duration_cast<milliseconds>(took)});
                   });
  }

  // Counts the exchange and logs when a command's outcome changes (not every probe: the kubelet
  // probes every few seconds).
  void record(probe_command command, const exchange& ex, std::chrono::nanoseconds took) {
    const auto failed = classify(command, ex, options.allow_read_only);
    counters.record(command, failed, took);
    metrics_page.reset();  // the counters changed, and with mntr the facts too
    auto& last = last_outcome[static_cast<std::size_t>(command)];
    if (last && *last == failed) return;
    last = failed;
    if (!log) return;
    if (!failed) {
      log->info("health: {} to {} answers", command_name(command), zookeeper_text);
      return;
    }
    std::string why;
    switch (command) {
      case probe_command::ruok: why = judge_live(ex).reason; break;
      case probe_command::srvr: why = judge_ready(ex, options.allow_read_only).reason; break;
      case probe_command::mntr: why = std::string(reason_name(*failed)); break;
    }
    log->info("health: {} to {} fails ({}): {}", command_name(command), zookeeper_text, reason_name(*failed), why);
  }

  http::response answer(route r, const probe_result& result) {
    switch (r) {
      case route::livez: return verdict_response(judge_live(result.ex));
      case route::readyz: return verdict_response(judge_ready(result.ex, options.allow_read_only));
      case route::metrics: {
        http::response m;
        m.content_type = std::string(http::prometheus_text);
        // The page depends on the last mntr exchange and the counters; whatever changes a counter
        // (record(), a rejected connection) drops it. Rendered once per change, shared until then.
        if (!metrics_page) {
          std::optional<mntr_pairs> pairs;
          if (!classify(probe_command::mntr, result.ex, options.allow_read_only)) pairs = parse_mntr(result.ex.reply);
          metrics_page = std::make_shared<const std::string>(render_metrics(pairs, counters));
        }
        m.shared_body = metrics_page;
        return m;
      }
      case route::status: {
        const auto v = judge_ready(result.ex, options.allow_read_only);
        http::response s;
        s.status = v.ok ? 200 : 503;
        s.content_type = std::string(http::application_json);
        s.body = render_status_json(v, {zookeeper_text, result.took}) + "\n";
        return s;
      }
    }
    return http::error_response(500);
  }

  void stop();

  asio::io_context& io;
  health_options options;
  std::shared_ptr<spdlog::logger> log;
  tcp::acceptor acceptor;
  tcp protocol = tcp::v4();  // the acceptor's, for the accepted sockets
  asio::steady_timer accept_retry;
  std::string zookeeper_text;
  agent_counters counters;
  std::shared_ptr<const std::string> metrics_page;  // rendered /metrics body, until the next exchange
  verdict_cache cache;
  std::array<std::optional<std::optional<failure_reason>>, all_probe_commands.size()> last_outcome{};
  std::set<connection*> connections;  // open (not yet closed) ones
  // The open connections not busy answering, the one that has waited longest first: what a new
  // connection closes when the limit is reached.
  std::list<connection*> evictable;
  bool stopping = false;
  bool accept_failing = false;  // log a run of accept errors once
  bool rejecting = false;       // log a run of rejected connections once (until under half the limit)
  bool evicting = false;        // log a run of evictions once (until under half the limit)
};

namespace {

// One client connection: read a request, answer it, repeat while keep-alive allows. One timer for
// every phase; one operation in flight at a time. operation_aborted and peer resets end it quietly.
class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(std::shared_ptr<health_server::state> server, tcp::socket socket)
      : server_(std::move(server)), socket_(std::move(socket)), timer_(server_->io), parser_(server_->options.limits) {
    server_->connections.insert(this);
  }
  ~connection() { leave(); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Waiting for the first byte of the first request: evictable, under the first-byte deadline.
  void start() {
    idle_ = true;
    evictable(true);
    arm(server_->options.first_byte_deadline);
    read();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    ++generation_;
    leave();
    error_code ignored;
    socket_.close(ignored);
    timer_.cancel();
  }

 private:
  // A deadline for the current phase; when it passes, the connection is closed.
  void arm(milliseconds after) {
    const auto generation = ++generation_;
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
      // A handler already queued when the timer was re-armed sees success: the generation tells.
      if (ec || generation != self->generation_) return;
      self->close();
    });
  }

  void read() {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const error_code& ec, std::size_t n) {
      self->on_read(ec, n);
    });
  }

  // Not busy answering: the connection joins the end of the eviction order, or keeps its place.
  // Busy: it leaves it.
  void evictable(bool yes) {
    auto& order = server_->evictable;
    if (yes && !in_order_) in_order_ = order.insert(order.end(), this);
    if (!yes && in_order_) {
      order.erase(*in_order_);
      in_order_.reset();
    }
  }

  // No longer counted among the open connections.
  void leave() {
    evictable(false);
    server_->connections.erase(this);
  }

  void on_read(const error_code& ec, std::size_t n) {
    if (ec || closed_) return close();  // EOF, reset, deadline (aborted): all end the connection
    if (idle_) {
      idle_ = false;
      arm(server_->options.request_deadline);
    }
    pending_.append(chunk_.data(), n);
    process();
  }

  void process() {
    const auto step = parser_.feed(pending_);
    pending_.erase(0, step.consumed);
    switch (step.state) {
      case http::parse_state::need_more:
        evictable(true);
        return read();
      case http::parse_state::bad:
        evictable(false);
        return respond(http::error_response(parser_.error_status(), parser_.error_reason()), false, false);
      case http::parse_state::good:
        evictable(false);
        return handle(parser_.get());
    }
  }

  void handle(const http::request& req) {
    ++requests_;
    const auto& options = server_->options;
    const bool keep = req.keep_alive && requests_ < options.max_requests_per_connection && !server_->stopping;
    const bool head = req.method == "HEAD";
    const auto r = route_of(req.path);
    if (!r) return respond(http::error_response(404, "try /livez, /readyz, /metrics or /status"), keep, head);
    if (req.method != "GET" && !head) {
      auto not_allowed = http::error_response(405, "only GET and HEAD");
      not_allowed.headers.emplace_back("Allow", "GET, HEAD");
      return respond(not_allowed, keep, false);
    }
    arm(options.probe_timeout + options.write_deadline);
    server_->cache.get(command_of(*r), [weak = weak_from_this(), route = *r, keep, head](const probe_result& result) {
      const auto self = weak.lock();
      if (!self || self->closed_) return;
      self->respond(self->server_->answer(route, result), keep, head);
    });
  }

  void respond(const http::response& r, bool keep_alive, bool head_only) {
    keep_alive_ = keep_alive;
    // A shared body is written from the one copy; only the headers are this connection's.
    out_ = r.shared_body ? http::render_head(r, keep_alive) : http::render(r, keep_alive, head_only);
    shared_body_ = head_only ? nullptr : r.shared_body;
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(out_),
                                                    shared_body_ ? asio::buffer(*shared_body_) : asio::const_buffer()};
    arm(server_->options.write_deadline);
    asio::async_write(socket_, buffers, [self = shared_from_this()](const error_code& ec, std::size_t) {
      self->on_written(ec);
    });
  }

  void on_written(const error_code& ec) {
    if (ec || closed_) return close();
    if (!keep_alive_) return linger();
    parser_.reset();
    if (!pending_.empty()) {  // a pipelined request
      arm(server_->options.request_deadline);
      return process();
    }
    idle_ = true;
    evictable(true);
    arm(server_->options.idle_timeout);
    read();
  }

  // After a closing response: stop sending, read and drop what the client still sends (so the
  // close does not reset the connection and lose the response), then close. The response is with
  // the kernel by now: evictable.
  void linger() {
    evictable(true);
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    arm(server_->options.linger);
    drain();
  }

  void drain() {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const error_code& ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->closed_ || self->drained_ > max_drain_bytes) return self->close();
      self->drain();
    });
  }

  std::shared_ptr<health_server::state> server_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  std::uint64_t generation_ = 0;
  std::array<char, 4096> chunk_{};
  std::string pending_;  // received, not yet parsed (a pipelined request)
  http::request_parser parser_;
  std::string out_;
  std::shared_ptr<const std::string> shared_body_;  // kept alive until written
  std::size_t requests_ = 0;
  std::size_t drained_ = 0;
  bool keep_alive_ = false;
  std::optional<std::list<connection*>::iterator> in_order_;  // its place in server_->evictable
  bool idle_ = false;  // before the first byte of a request (the first, or the next on keep-alive)
  bool closed_ = false;
};

}  // namespace

void health_server::state::accept_failed(const error_code& ec) {
  // Out of file descriptors and the like: wait a moment instead of spinning.
  if (!accept_failing && log) log->warn("health: accept failed: {}; retrying every 100 ms", ec.message());
  accept_failing = true;
  accept_retry.expires_after(accept_retry_delay);
  accept_retry.async_wait([self = shared_from_this()](const error_code& wait_ec) {
    if (!wait_ec && !self->stopping) self->accept();
  });
}

void health_server::state::admit(tcp::socket socket) {
  if (connections.size() >= options.max_connections) {
    if (evictable.empty()) {
      ++counters.http_connections_rejected;
      metrics_page.reset();  // the page shows this counter
      if (!rejecting && log) {
        log->warn("health: {} connections open, the limit, all busy answering: closing new ones at once",
                  options.max_connections);
      }
      rejecting = true;
      error_code ignored;
      socket.close(ignored);
      return;
    }
    // The one that has waited longest without being answered makes room.
    evictable.front()->shared_from_this()->close();
    ++counters.http_connections_evicted;
    metrics_page.reset();
    if (!evicting && log) {
      log->warn("health: {} connections open, the limit: closing the longest idle to make room for new ones",
                options.max_connections);
    }
    evicting = true;
  } else if (connections.size() < options.max_connections / 2) {
    // Well under the limit again: the next run of evictions or refusals is logged anew (not every
    // time a flood dips below the limit for a moment).
    evicting = false;
    rejecting = false;
  }
  std::make_shared<connection>(shared_from_this(), std::move(socket))->start();
}

void health_server::state::stop() {
  stopping = true;
  error_code ignored;
  acceptor.close(ignored);
  accept_retry.cancel();
  std::vector<std::shared_ptr<connection>> open;
  for (auto* c : connections) {
    if (auto alive = c->weak_from_this().lock()) open.push_back(std::move(alive));
  }
  for (const auto& c : open) c->close();
}

health_server::health_server(asio::io_context& io, health_options options, std::shared_ptr<spdlog::logger> log)
    : state_(std::make_shared<state>(io, std::move(options), std::move(log))) {
  state_->make_cache();
}

health_server::~health_server() { state_->stop(); }

error_code health_server::listen() {
  auto& acceptor = state_->acceptor;
  const auto& where = state_->options.listen;
  state_->protocol = where.protocol();
  auto ec = open_cloexec(acceptor, where.protocol());
  if (ec) return ec;
  acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  // The kernel holds a connection that has sent nothing for up to a second before it reaches the
  // accept queue: a flood of idle connections then costs the endpoint nothing and does not queue
  // ahead of the kubelet's, whose request comes with the handshake. An optimisation: kept silent.
  const int defer_seconds = 1;
  (void)::setsockopt(acceptor.native_handle(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_seconds, sizeof defer_seconds);
  if (!ec) acceptor.bind(where, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error_code ignored;
    acceptor.close(ignored);
  }
  return ec;
}

std::uint16_t health_server::port() const {
  error_code ec;
  const auto local = state_->acceptor.local_endpoint(ec);
  return ec ? 0 : local.port();
}

void health_server::start() {
  if (state_->log) {
    error_code ec;
    state_->log->info("health: serving /livez /readyz /metrics /status on {}, probing {} (cache window {} ms)",
                      endpoint_text(state_->acceptor.local_endpoint(ec)), state_->zookeeper_text,
                      state_->options.cache_window.count());
  }
  state_->accept();
}

void health_server::stop() { state_->stop(); }

const agent_counters& health_server::counters() const { return state_->counters; }

health_endpoint::health_endpoint(health_options options, std::shared_ptr<spdlog::logger> log)
    : server_(io_, std::move(options), log), log_(std::move(log)) {}

health_endpoint::~health_endpoint() { stop(); }

error_code health_endpoint::listen() { return server_.listen(); }

std::uint16_t health_endpoint::port() const { return server_.port(); }

void health_endpoint::start_thread() {
  server_.start();
  // The new thread takes no asynchronous signal: process-directed ones go to the supervisor.
  sigset_t all;
  sigset_t previous;
  sigfillset(&all);
  for (const int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT}) sigdelset(&all, sig);
  ::pthread_sigmask(SIG_BLOCK, &all, &previous);
  thread_ = std::thread([this] {
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        // A handler threw (out of memory, say): log it and keep serving.
        if (log_) log_->error("health: {}", e.what());
      }
    }
  });
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

void health_endpoint::stop() {
  const std::lock_guard lock(stop_mutex_);
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    server_.stop();
    io_.stop();
  });
  thread_.join();
}

}  // namespace zkagent::readiness
