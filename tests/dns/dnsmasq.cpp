#include "dnsmasq.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "entrypoint/dns_wait.hpp"

namespace zkagent::testing {
namespace {

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// Does a server on this port answer? The fixed name ready.zkagent.test is always 127.0.0.1.
bool answers(const std::string& server) {
  const auto answer = entrypoint::lookup_once(std::string("ready.") + test_domain, server, 200ms,
                                              std::chrono::steady_clock::now() + 300ms, {});
  return answer.status == entrypoint::lookup_status::found;
}

std::uint16_t bound_udp_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

int udp_socket_on_loopback() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("cannot bind a UDP socket on 127.0.0.1");
  }
  return fd;
}

}  // namespace

std::string missing_dnsmasq() {
  if (::access(dnsmasq_binary.c_str(), X_OK) == 0) return "";
  return dnsmasq_binary + " is missing: apt-get install dnsmasq-base (scripts/install-deps installs it)";
}

dnsmasq::dnsmasq(const std::string& dir, std::vector<std::pair<std::string, std::string>> fixed,
                 const std::string& hosts)
    : dir_(dir), hosts_path_(dir + "/dns-hosts"), log_path_(dir + "/dnsmasq.log") {
  if (const auto missing = missing_dnsmasq(); !missing.empty()) throw std::runtime_error(missing);
  write_file(hosts_path_, hosts);
  fixed.emplace_back(std::string("ready.") + test_domain, "127.0.0.1");
  // A free TCP port may still be taken for UDP (or the other way round): try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_port();
    std::vector<std::string> argv{dnsmasq_binary,
                                  "--keep-in-foreground",
                                  "--conf-file=/dev/null",
                                  "--no-resolv",
                                  "--no-hosts",
                                  "--no-negcache",
                                  "--pid-file",
                                  "--listen-address=127.0.0.1",
                                  "--bind-interfaces",
                                  "--port=" + std::to_string(port_),
                                  "--addn-hosts=" + hosts_path_,
                                  "--local=/" + std::string(test_domain) + "/",
                                  "--log-queries",
                                  "--log-facility=" + log_path_};
    // As root dnsmasq would switch to nobody, who cannot read a hosts file in a 0700 temp folder.
    if (::geteuid() == 0) argv.emplace_back("--user=root");
    for (const auto& [name, address] : fixed) argv.push_back("--address=/" + name + "/" + address);
    process_ = std::make_unique<background_process>(argv, minimal_env(), dir + "/dnsmasq.out");
    const bool up = wait_until([&] { return answers(server()) || !process_->running(); }, 5s);
    if (up && process_->running()) return;
    process_.reset();  // SIGKILL and reap
  }
  throw std::runtime_error("dnsmasq did not start answering on 127.0.0.1 within 5 s, 5 times: " + log() +
                           read_file(dir + "/dnsmasq.out"));
}

dnsmasq::~dnsmasq() = default;  // background_process SIGKILLs and reaps it

std::string dnsmasq::log() const { return exists(log_path_) ? read_file(log_path_) : std::string(); }

std::size_t dnsmasq::reads() const { return count_of(log(), "read " + hosts_path_); }

void dnsmasq::set_hosts(const std::string& text) {
  const auto before = reads();
  write_file(hosts_path_ + ".tmp", text);
  if (::rename((hosts_path_ + ".tmp").c_str(), hosts_path_.c_str()) != 0) throw std::runtime_error("rename");
  process_->signal(SIGHUP);
  if (!wait_until([&] { return reads() > before; }, 5s)) {
    throw std::runtime_error("dnsmasq did not re-read " + hosts_path_ + " within 5 s of SIGHUP: " + log());
  }
}

silent_dns_server::silent_dns_server() : fd_(udp_socket_on_loopback()), port_(bound_udp_port(fd_)) {}

silent_dns_server::~silent_dns_server() { ::close(fd_); }

std::size_t silent_dns_server::queries() {
  char buffer[1500];
  while (::recv(fd_, buffer, sizeof buffer, 0) > 0) ++queries_;
  return queries_;
}

std::uint16_t closed_udp_port() {
  const int fd = udp_socket_on_loopback();
  const auto port = bound_udp_port(fd);
  ::close(fd);
  return port;
}

}  // namespace zkagent::testing
