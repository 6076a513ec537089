#include "readiness/probe_client.hpp"

#include <array>
#include <memory>

#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "readiness/cloexec_socket.hpp"

namespace zkagent::readiness {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

std::optional<asio::ip::address> numeric_address(std::string_view text) {
  error_code ec;
  auto address = asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return address;
}

namespace {

class exchange_op : public std::enable_shared_from_this<exchange_op> {
 public:
  exchange_op(asio::io_context& io, std::string command, exchange_handler done, reply_complete is_complete)
      : socket_(io),
        timer_(io),
        command_(std::move(command)),
        done_(std::move(done)),
        is_complete_(std::move(is_complete)) {}

  void start(const tcp::endpoint& where, std::chrono::milliseconds deadline) {
    timer_.expires_after(deadline);
    timer_.async_wait([self = shared_from_this()](const error_code& ec) {
      if (ec || self->finished_) return;
      // Closing the socket aborts whichever step is pending; that step then reports the timeout.
      self->timed_out_ = true;
      error_code ignored;
      self->socket_.close(ignored);
    });
    // Opened here, close-on-exec; async_connect would open it without SOCK_CLOEXEC.
    if (const auto ec = open_cloexec(socket_, where.protocol())) {
      return asio::post(socket_.get_executor(), [self = shared_from_this(), ec] { self->fail(ec); });
    }
    socket_.async_connect(where, [self = shared_from_this()](const error_code& ec) { self->on_connect(ec); });
  }

 private:
  void on_connect(const error_code& ec) {
    if (ec) return fail(ec);
    asio::async_write(socket_, asio::buffer(command_),
                      [self = shared_from_this()](const error_code& write_ec, std::size_t) {
                        if (write_ec) return self->fail(write_ec);
                        self->read();
                      });
  }

  void read() {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const error_code& ec, std::size_t n) {
      self->reply_.append(self->chunk_.data(), n);
      if (self->reply_.size() > max_reply_bytes) {
        return self->finish(transport_outcome::failed, "reply larger than 1 MiB");
      }
      if (n > 0 && !self->timed_out_ && self->is_complete_ && self->is_complete_(self->reply_)) {
        return self->finish(transport_outcome::complete, "");
      }
      if (!ec) return self->read();
      if (ec == asio::error::eof && !self->timed_out_) {
        return self->finish(self->reply_.empty() ? transport_outcome::closed_without_reply : transport_outcome::complete,
                            "");
      }
      self->fail(ec);
    });
  }

  void fail(const error_code& ec) {
    if (timed_out_) return finish(transport_outcome::timeout, "");
    if (ec == asio::error::connection_refused) return finish(transport_outcome::refused, ec.message());
    if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe) {
      return finish(reply_.empty() ? transport_outcome::reset_before_reply : transport_outcome::reset_after_reply,
                    ec.message());
    }
    finish(transport_outcome::failed, ec.message());
  }

  void finish(transport_outcome outcome, std::string detail) {
    if (finished_) return;
    finished_ = true;
    error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
    done_(exchange{outcome, std::move(reply_), std::move(detail)});
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  std::string command_;
  exchange_handler done_;
  reply_complete is_complete_;
  std::string reply_;
  std::array<char, 8192> chunk_{};
  bool finished_ = false;
  bool timed_out_ = false;
};

}  // namespace

void async_exchange(asio::io_context& io, const tcp::endpoint& where, std::string command,
                    std::chrono::milliseconds deadline, exchange_handler done, reply_complete is_complete) {
  std::make_shared<exchange_op>(io, std::move(command), std::move(done), std::move(is_complete))->start(where, deadline);
}

exchange run_exchange(const tcp::endpoint& where, std::string command, std::chrono::milliseconds deadline,
                      reply_complete is_complete) {
  asio::io_context io(1);
  exchange result;
  async_exchange(
      io, where, std::move(command), deadline, [&result](exchange ex) { result = std::move(ex); },
      std::move(is_complete));
  io.run();
  return result;
}

}  // namespace zkagent::readiness
