#pragma once
// Waiting for this member's own DNS name, the I/O half: c-ares lookups (/etc/hosts first, then DNS)
// with a timeout per lookup, a pause that grows between lookups, and one overall deadline. Every
// failed lookup is logged in one line, and so is the outcome. What to wait for and how an answer is
// judged come from dns_target (pure).
//
// c-ares, not getaddrinfo: the binary is static, and static glibc cannot load the NSS modules
// getaddrinfo needs. c-ares reads /etc/resolv.conf (servers, search, ndots) and /etc/hosts itself.
#include <signal.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/fwd.h>

#include "entrypoint/dns_target.hpp"

namespace zkagent::entrypoint {

struct dns_wait_options {
  std::chrono::milliseconds budget{90'000};       // the overall deadline (--dns-wait)
  std::chrono::milliseconds try_timeout{2'000};   // one DNS query; a lookup is cut at twice this
  std::optional<std::string> server;              // "addr:port" (--dns-server); none: resolv.conf's
  std::vector<std::string> local_addresses;       // this host's, numeric
  // Blocked signals that end the wait (taken with sigtimedwait, as the supervisor takes them);
  // nullptr: none.
  const sigset_t* stop_signals = nullptr;
};

enum class dns_wait_outcome {
  resolved,     // the name is usable: start ZooKeeper
  timed_out,    // the budget passed: do not start ZooKeeper
  interrupted,  // a stop signal arrived: do not start ZooKeeper
};

struct dns_wait_result {
  dns_wait_outcome outcome = dns_wait_outcome::timed_out;
  int lookups = 0;
  std::chrono::milliseconds elapsed{0};
  lookup_answer last;        // the last lookup's answer
  std::string last_summary;  // its judgment, e.g. "no such name yet"
  std::string servers;       // who was asked, for messages: "127.0.0.1:5353" or resolv.conf's list
  int signal = 0;            // the stop signal (interrupted only)
  std::string message;       // the final line, as logged
};

// One lookup of name (A and AAAA; /etc/hosts first), cut at `cut`. should_stop is polled at least
// every 100 ms; when it returns true the lookup is abandoned (status error, detail "stopped").
lookup_answer lookup_once(const std::string& name, const std::optional<std::string>& server,
                          std::chrono::milliseconds try_timeout, std::chrono::steady_clock::time_point cut,
                          const std::function<bool()>& should_stop, std::string* servers_asked = nullptr);

// Looks name up until judge_answer says done, the budget passes or a stop signal arrives. Logs each
// failed lookup at info and the outcome (info when resolved, error otherwise).
dns_wait_result wait_for_dns(const dns_target& target, const dns_wait_options& options, spdlog::logger& log);

}  // namespace zkagent::entrypoint
