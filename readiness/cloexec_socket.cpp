#include "readiness/cloexec_socket.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace zkagent::readiness {
namespace {

using boost::system::error_code;

error_code last_error() { return {errno, boost::system::system_category()}; }

// The new descriptor goes to its owner, or is closed when the owner refuses it.
template <class Owner>
error_code hand_over(Owner& owner, const boost::asio::ip::tcp& protocol, int fd) {
  if (fd < 0) return last_error();
  error_code ec;
  owner.assign(protocol, fd, ec);
  if (ec) ::close(fd);
  return ec;
}

int new_stream_socket(const boost::asio::ip::tcp& protocol) {
  return ::socket(protocol.family(), SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol.protocol());
}

}  // namespace

error_code open_cloexec(boost::asio::ip::tcp::socket& socket, const boost::asio::ip::tcp& protocol) {
  return hand_over(socket, protocol, new_stream_socket(protocol));
}

error_code open_cloexec(boost::asio::ip::tcp::acceptor& acceptor, const boost::asio::ip::tcp& protocol) {
  return hand_over(acceptor, protocol, new_stream_socket(protocol));
}

error_code accept_cloexec(boost::asio::ip::tcp::acceptor& acceptor, const boost::asio::ip::tcp& protocol,
                          boost::asio::ip::tcp::socket& into) {
  return hand_over(into, protocol, ::accept4(acceptor.native_handle(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
}

}  // namespace zkagent::readiness
