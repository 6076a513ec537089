#pragma once
// One four-letter-word exchange over TCP with one deadline for connect, write and read. Sends
// exactly the command (no newline: the unread byte would make ZooKeeper reset the connection and
// lose its reply), reads to EOF. I/O; the verdict is four_letter's.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "readiness/four_letter.hpp"

namespace zkagent::readiness {

// Numeric IPv4 or IPv6 only: the static binary has no name resolution.
std::optional<boost::asio::ip::address> numeric_address(std::string_view text);

inline constexpr std::size_t max_reply_bytes = 1 << 20;

using exchange_handler = std::function<void(exchange)>;
// For protocols whose reply says where it ends (HTTP's Content-Length): true once the bytes read so
// far are a whole reply; the exchange then ends as complete without waiting for EOF.
using reply_complete = std::function<bool(std::string_view reply)>;

// Starts the exchange on io; done runs exactly once, on io's thread.
void async_exchange(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& where, std::string command,
                    std::chrono::milliseconds deadline, exchange_handler done, reply_complete is_complete = {});

// Runs one exchange on a private io_context and returns its outcome.
exchange run_exchange(const boost::asio::ip::tcp::endpoint& where, std::string command,
                      std::chrono::milliseconds deadline, reply_complete is_complete = {});

}  // namespace zkagent::readiness
