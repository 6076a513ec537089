#include "entrypoint/identity.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <iterator>

#include "common/text.hpp"

namespace zkagent::entrypoint {

std::string domain_from_hosts(std::string_view hosts_file, std::string_view hostname) {
  if (hostname.empty()) return {};
  // DNS names compare without regard to case: ZK-01 is zk-01 in /etc/hosts.
  const auto short_lower = text::to_lower(hostname);
  const std::string_view short_hostname = short_lower;
  for (const auto& raw_line : text::split(text::to_lower(hosts_file), "\n", true)) {
    std::string_view line = raw_line;
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto fields = text::split(line, " \t\r", true);  // \r: a hosts file with CRLF line ends
    if (fields.size() < 2) continue;
    // fields[0] is the address, fields[1] the canonical name, the rest aliases.
    bool mentions = false;
    for (std::size_t i = 1; i < fields.size(); ++i) {
      const std::string_view name = fields[i];
      if (name == short_hostname || (name.starts_with(short_hostname) && name.size() > short_hostname.size() &&
                                     name[short_hostname.size()] == '.')) {
        mentions = true;
      }
    }
    if (!mentions) continue;
    const std::string_view canonical = fields[1];
    if (canonical.starts_with(short_hostname) && canonical.size() > short_hostname.size() + 1 &&
        canonical[short_hostname.size()] == '.') {
      return std::string(canonical.substr(short_hostname.size() + 1));
    }
  }
  return {};
}

bool names_this_host_by_name(std::string_view host_in, std::string_view hostname_in, std::string_view domain_in) {
  // DNS names compare without regard to case.
  auto host = text::to_lower(host_in);
  const auto hostname = text::to_lower(hostname_in);
  const auto domain = text::to_lower(domain_in);
  if (hostname.empty()) return false;
  if (host == hostname) return true;
  // An absolute name (a trailing dot) skips the search domains: only the full name is this host.
  if (host.size() > 1 && host.back() == '.') {
    host.pop_back();
    return !domain.empty() && host == hostname + "." + domain;
  }
  if (host == hostname) return true;
  if (!domain.empty() && host == hostname + "." + domain) return true;
  // zk-0.zk-hs when the domain is zk-hs.default.svc.cluster.local: a shorter search-domain form.
  return host.starts_with(hostname) && host.size() > hostname.size() && host[hostname.size()] == '.' &&
         !domain.empty() && domain.starts_with(host.substr(hostname.size() + 1) + ".");
}

std::optional<std::string> canonical_address(std::string_view text_value) {
  if (text_value.find('\0') != std::string_view::npos) return std::nullopt;  // inet_pton stops at a NUL
  std::string value(text_value);
  if (value.size() > 2 && value.front() == '[' && value.back() == ']') value = value.substr(1, value.size() - 2);
  unsigned char bytes[16];
  char out[INET6_ADDRSTRLEN];
  if (::inet_pton(AF_INET, value.c_str(), bytes) == 1) return ::inet_ntop(AF_INET, bytes, out, sizeof out);
  if (::inet_pton(AF_INET6, value.c_str(), bytes) != 1) return std::nullopt;
  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d as an IPv6 socket sees it.
  static constexpr unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(std::begin(v4_mapped), std::end(v4_mapped), bytes)) {
    return ::inet_ntop(AF_INET, bytes + 12, out, sizeof out);
  }
  return ::inet_ntop(AF_INET6, bytes, out, sizeof out);
}

bool names_this_host(std::string_view host_in, std::string_view hostname, std::string_view domain,
                     const std::vector<std::string>& addresses) {
  const auto host = text::to_lower(host_in);
  if (host == "localhost" || names_this_host_by_name(host, hostname, domain)) return true;
  const auto address = canonical_address(host);
  if (!address) return false;
  if (*address == "0.0.0.0" || *address == "::" || *address == "::1" || address->starts_with("127.")) return true;
  return std::any_of(addresses.begin(), addresses.end(),
                     [&](const std::string& local) { return canonical_address(local) == address; });
}

}  // namespace zkagent::entrypoint
