#include "entrypoint/dns_target.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "common/duration.hpp"
#include "common/text.hpp"
#include "entrypoint/settings.hpp"

namespace zkagent::entrypoint {
namespace {

// An address in its binary form: 4 or 16 bytes, IPv4-mapped IPv6 folded to IPv4.
struct address_bytes {
  std::array<unsigned char, 16> bytes{};
  std::size_t size = 0;
  bool operator==(const address_bytes&) const = default;
};

std::optional<address_bytes> to_bytes(std::string_view text_value) {
  const std::string text_copy(text_value);
  address_bytes out;
  if (::inet_pton(AF_INET, text_copy.c_str(), out.bytes.data()) == 1) {
    out.size = 4;
    return out;
  }
  // A zone ("fe80::1%eth0") is not part of the address.
  const std::string without_zone = text_copy.substr(0, text_copy.find('%'));
  if (::inet_pton(AF_INET6, without_zone.c_str(), out.bytes.data()) == 1) {
    static constexpr std::array<unsigned char, 12> mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(mapped.begin(), mapped.end(), out.bytes.begin())) {
      std::memmove(out.bytes.data(), out.bytes.data() + 12, 4);
      std::fill(out.bytes.begin() + 4, out.bytes.end(), 0);
      out.size = 4;
    } else {
      out.size = 16;
    }
    return out;
  }
  return std::nullopt;
}

bool is_loopback(const address_bytes& a) {
  if (a.size == 4) return a.bytes[0] == 127;
  static constexpr std::array<unsigned char, 16> one{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return std::equal(one.begin(), one.end(), a.bytes.begin());
}

std::string strip_brackets(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::string(host);
}

std::string listed(const std::vector<std::string>& items, std::size_t at_most) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < at_most; ++i) out += (i == 0 ? "" : ", ") + items[i];
  if (items.size() > at_most) out += ", ... (" + std::to_string(items.size()) + " in all)";
  return out;
}

}  // namespace

dns_plan plan_dns_wait(const settings& s) {
  dns_plan plan;
  if (s.servers.empty()) {
    plan.reason = "a standalone server binds no quorum address";
    return plan;
  }
  if (!s.myid) {
    plan.reason = "this member has no id";
    return plan;
  }
  const auto own = std::find_if(s.servers.begin(), s.servers.end(), [&](const server_entry& e) { return e.id == *s.myid; });
  if (own == s.servers.end()) {
    plan.reason = "no server." + std::to_string(*s.myid) + " entry names this member";
    return plan;
  }
  const auto voters = std::count_if(s.servers.begin(), s.servers.end(), [](const server_entry& e) { return !e.observer; });
  const std::string entry = "server." + std::to_string(own->id) + "=" + own->host;
  if (voters <= 1 && s.standalone_enabled) {
    plan.reason = "one voting member with standaloneEnabled=true runs standalone: " + entry + " is not bound";
    return plan;
  }
  const auto host = strip_brackets(own->host);
  if (to_bytes(host)) {
    plan.reason = entry + " is a numeric address";
    return plan;
  }
  const auto lower = text::to_lower(host);
  if (lower == "localhost" || lower.ends_with(".localhost") || lower == "localhost.") {
    plan.reason = entry + " is localhost";
    return plan;
  }
  if (s.dns_wait.count() == 0) {
    plan.reason = "--dns-wait is 0: not waiting for " + entry + " to resolve";
    return plan;
  }
  dns_target target;
  target.name = host;
  target.id = own->id;
  target.require_local = !s.quorum_listen_on_all_ips;
  plan.reason = entry + " (this member) must resolve" +
                (target.require_local ? std::string(" to an address of this host")
                                      : std::string(" (quorumListenOnAllIPs: to any address)"));
  plan.target = std::move(target);
  return plan;
}

dns_judgment judge_answer(const dns_target& target, const lookup_answer& answer,
                          const std::vector<std::string>& local_addresses) {
  switch (answer.status) {
    case lookup_status::found: {
      if (answer.addresses.empty()) return {false, "an answer without addresses", {}};
      const std::string to = "resolves to " + listed(answer.addresses, 4);
      if (!target.require_local) return {true, to, {}};
      if (local_addresses.empty()) return {true, to + " (this host's addresses are unknown: not compared)", {}};
      for (const auto& address : answer.addresses) {
        if (is_local_address(address, local_addresses)) {
          return {true, to + (answer.addresses.size() == 1 ? " (this host)" : " (" + address + " is this host)"), {}};
        }
      }
      return {false, to + ", not to this host",
              "this host's addresses are " + listed(local_addresses, 6) +
                  ": a stale record of a previous pod, or the name of another host"};
    }
    case lookup_status::no_such_name:
      return {false, "no such name yet" + (answer.detail.empty() ? std::string() : " (" + answer.detail + ")"), {}};
    case lookup_status::timeout:
      return {false, "no answer" + (answer.detail.empty() ? std::string() : " (" + answer.detail + ")"), {}};
    case lookup_status::refused:
      return {false, "the DNS server refused or failed" +
                         (answer.detail.empty() ? std::string() : " (" + answer.detail + ")"), {}};
    case lookup_status::error:
      return {false, "lookup failed" + (answer.detail.empty() ? std::string() : ": " + answer.detail), {}};
  }
  return {false, "lookup failed", {}};
}

bool is_local_address(std::string_view address, const std::vector<std::string>& local_addresses) {
  const auto bytes = to_bytes(address);
  if (!bytes) return false;
  if (is_loopback(*bytes)) return true;
  return std::any_of(local_addresses.begin(), local_addresses.end(), [&](const std::string& local) {
    const auto other = to_bytes(local);
    return other && *other == *bytes;
  });
}

std::chrono::milliseconds retry_delay(int attempt) {
  using std::chrono::milliseconds;
  if (attempt < 1) attempt = 1;
  const int shift = std::min(attempt - 1, 3);  // 250, 500, 1000, 2000, 2000, ...
  return milliseconds(250 << shift);
}

std::optional<std::string> parse_dns_server(std::string_view text_value) {
  std::string_view address = text_value;
  std::string_view port_text;
  bool bracketed = false;
  if (address.starts_with("[")) {
    const auto close = address.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const auto rest = address.substr(close + 1);
    address = address.substr(1, close - 1);
    bracketed = true;
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port_text = rest.substr(1);
      if (port_text.empty()) return std::nullopt;
    }
  } else if (std::count(address.begin(), address.end(), ':') == 1) {
    const auto colon = address.find(':');
    port_text = address.substr(colon + 1);
    address = address.substr(0, colon);
    if (port_text.empty()) return std::nullopt;
  }
  const auto bytes = to_bytes(address);
  if (!bytes || address.find('%') != std::string_view::npos) return std::nullopt;
  const bool v6 = address.find(':') != std::string_view::npos;
  if (bracketed && !v6) return std::nullopt;
  std::uint64_t port = 53;
  if (!port_text.empty()) {
    const auto parsed = text::parse_uint(port_text, 1, 65535);
    if (!parsed) return std::nullopt;
    port = *parsed;
  }
  const std::string host(address);
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<std::chrono::milliseconds> parse_dns_wait(std::string_view text_value) {
  const auto parsed = text::parse_duration(text_value);
  if (!parsed || *parsed > std::chrono::hours(1)) return std::nullopt;
  return parsed;
}

}  // namespace zkagent::entrypoint
