#pragma once
// Who this host is, from values: the domain as `hostname -d` reports it (the FQDN /etc/hosts
// gives the host name) and whether a server entry names this host. Pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zkagent::entrypoint {

// The domain part of the canonical name /etc/hosts gives short_hostname ("" when none).
std::string domain_from_hosts(std::string_view hosts_file, std::string_view short_hostname);

// One text per address: "[::ffff:10.0.0.2]" and "10.0.0.2" give "10.0.0.2", "0:0::1" gives "::1";
// nullopt for a name.
std::optional<std::string> canonical_address(std::string_view text);

// True when host is this machine's name: its short name, its FQDN, or a shorter search-domain form
// of it (zk-0.zk-hs in zk-hs.default.svc.cluster.local). Addresses are not compared.
bool names_this_host_by_name(std::string_view host, std::string_view hostname, std::string_view domain);

// True when host is this machine: its short name, its FQDN, a local address, a loopback or
// wildcard address.
bool names_this_host(std::string_view host, std::string_view hostname, std::string_view domain,
                     const std::vector<std::string>& addresses);

}  // namespace zkagent::entrypoint
