#include "entrypoint/identity.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace zkagent::entrypoint {

std::string domain_from_hosts(std::string_view hosts_file, std::string_view short_hostname) {
  if (short_hostname.empty()) return {};
  for (const auto& raw_line : text::split(hosts_file, "\n", true)) {
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

bool names_this_host(std::string_view host_in, std::string_view hostname, std::string_view domain,
                     const std::vector<std::string>& addresses) {
  const auto host_lower = text::to_lower(host_in);
  std::string_view host = host_lower;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost" || host == "0.0.0.0" || host == "::" || host == "::1" || host.starts_with("127.")) {
    return true;
  }
  if (names_this_host_by_name(host, hostname, domain)) return true;
  return std::find(addresses.begin(), addresses.end(), host) != addresses.end();
}

}  // namespace zkagent::entrypoint
