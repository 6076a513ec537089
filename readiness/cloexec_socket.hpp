#pragma once
// Sockets that are close-on-exec from the moment they exist (I/O). Boost 1.74's Asio opens sockets
// with socket() and accepts with accept(), without SOCK_CLOEXEC (boost/asio/detail/impl/socket_ops.ipp),
// and a FD_CLOEXEC set afterwards races a fork in another thread: `zkagent start --health-port` serves
// from its own thread while the supervisor spawns the JVM, which must inherit no probe's or client's
// socket. So the descriptor is made here, with SOCK_CLOEXEC | SOCK_NONBLOCK, and handed to Asio.
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

namespace zkagent::readiness {

// Opens a closed socket for protocol.
boost::system::error_code open_cloexec(boost::asio::ip::tcp::socket& socket, const boost::asio::ip::tcp& protocol);
// Opens a closed acceptor for protocol; its descriptor is non-blocking (accept_cloexec needs that).
boost::system::error_code open_cloexec(boost::asio::ip::tcp::acceptor& acceptor, const boost::asio::ip::tcp& protocol);

// Accepts one pending connection of a listening acceptor opened by open_cloexec into the closed socket
// `into`, with accept4(SOCK_CLOEXEC | SOCK_NONBLOCK). would_block (or try_again) when none is pending:
// wait for the acceptor to be readable, then call again.
boost::system::error_code accept_cloexec(boost::asio::ip::tcp::acceptor& acceptor, const boost::asio::ip::tcp& protocol,
                                         boost::asio::ip::tcp::socket& into);

}  // namespace zkagent::readiness
