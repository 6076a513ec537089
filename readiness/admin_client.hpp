#pragma once
// One HTTP GET of an AdminServer command (/commands/srvr, /commands/ruok) with one deadline for
// connect, write and read: the four-letter words' exchange with an HTTP request as the command,
// ended by the reply's own length (Content-Length or chunked encoding) or by EOF. http only,
// numeric addresses only. I/O; the verdict is admin_reply's.
#include <chrono>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "readiness/admin_reply.hpp"
#include "readiness/probe_client.hpp"

namespace zkagent::readiness {

// The endpoint of a parsed admin_url (its address is numeric by construction).
boost::asio::ip::tcp::endpoint admin_endpoint(const admin_url& url);

// Starts the GET on io; done runs exactly once, on io's thread, with the raw HTTP reply.
void async_admin_get(boost::asio::io_context& io, const admin_url& url, std::string_view command,
                     std::chrono::milliseconds deadline, exchange_handler done);

// Runs one GET on a private io_context and returns its outcome.
exchange run_admin_get(const admin_url& url, std::string_view command, std::chrono::milliseconds deadline);

}  // namespace zkagent::readiness
