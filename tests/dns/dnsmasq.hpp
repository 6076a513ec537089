#pragma once
// A real DNS server on loopback for the --dns-wait tests: dnsmasq (Debian's dnsmasq-base) on
// 127.0.0.1:<free port>, reading nothing of the host's (--no-resolv --no-hosts, no config file).
// It answers the names of a hosts file the test rewrites (re-read on SIGHUP: a record published
// late, or a stale record replaced), fixed answers given at start (--address=/name/ip: a wrong
// answer), NXDOMAIN for every other name under zkagent.test, and REFUSED for the rest.
// Also here: a "DNS server" that never answers (a UDP socket nobody reads).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace zkagent::testing {

inline constexpr const char* test_domain = "zkagent.test";
inline const std::string dnsmasq_binary = "/usr/sbin/dnsmasq";

// "" when dnsmasq is installed; else what to install. Tests FAIL on it: they never skip.
std::string missing_dnsmasq();

class dnsmasq {
 public:
  // Starts it in dir (its hosts file and log go there) and waits until it answers (bounded).
  // Throws std::runtime_error, with dnsmasq's log, when it cannot be started.
  explicit dnsmasq(const std::string& dir, std::vector<std::pair<std::string, std::string>> fixed = {},
                   const std::string& hosts = "");
  ~dnsmasq();
  dnsmasq(const dnsmasq&) = delete;
  dnsmasq& operator=(const dnsmasq&) = delete;

  // Rewrites the hosts file ("ADDRESS NAME" lines) and makes dnsmasq re-read it (SIGHUP); returns
  // once its log says it did (bounded: throws after 5 s).
  void set_hosts(const std::string& text);

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string server() const { return "127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::string log() const;

 private:
  [[nodiscard]] std::size_t reads() const;  // "read <hosts file>" lines in the log so far

  std::string dir_, hosts_path_, log_path_;
  std::uint16_t port_ = 0;
  std::unique_ptr<background_process> process_;
};

// A UDP socket on 127.0.0.1:<free port> that receives queries and never answers.
class silent_dns_server {
 public:
  silent_dns_server();
  ~silent_dns_server();
  silent_dns_server(const silent_dns_server&) = delete;
  silent_dns_server& operator=(const silent_dns_server&) = delete;
  [[nodiscard]] std::string server() const { return "127.0.0.1:" + std::to_string(port_); }
  // Queries that arrived so far (read without answering).
  std::size_t queries();

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::size_t queries_ = 0;
};

// A loopback UDP port nothing listens on (the kernel answers queries with "port unreachable").
std::uint16_t closed_udp_port();

}  // namespace zkagent::testing
