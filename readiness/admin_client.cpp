#include "readiness/admin_client.hpp"

namespace zkagent::readiness {
namespace {

bool http_reply_complete(std::string_view reply) {
  return parse_http_reply(reply, false).status == http_reply::state::complete;
}

}  // namespace

boost::asio::ip::tcp::endpoint admin_endpoint(const admin_url& url) {
  return {boost::asio::ip::make_address(url.address), url.port};
}

void async_admin_get(boost::asio::io_context& io, const admin_url& url, std::string_view command,
                     std::chrono::milliseconds deadline, exchange_handler done) {
  async_exchange(io, admin_endpoint(url), admin_request(url, command), deadline, std::move(done), http_reply_complete);
}

exchange run_admin_get(const admin_url& url, std::string_view command, std::chrono::milliseconds deadline) {
  return run_exchange(admin_endpoint(url), admin_request(url, command), deadline, http_reply_complete);
}

}  // namespace zkagent::readiness
