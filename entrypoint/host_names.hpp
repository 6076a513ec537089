#pragma once
// What ZooKeeper can use as a host: RFC 1123 host names (the Kubernetes and DNS rule) and numeric
// addresses. Checked before anything is written, so a name ZooKeeper cannot resolve or bind fails
// with the setting's name instead of minutes later in the JVM or the DNS wait. Pure.
#include <optional>
#include <string>
#include <string_view>

namespace zkagent::entrypoint {

// For messages: what a host name must look like.
inline constexpr std::string_view host_name_rule =
    "a host name (RFC 1123: labels of 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen, "
    "joined by single dots, at most 253 characters)";

// Why `name` is not an RFC 1123 host name; nullopt when it is one. Underscores are refused as the
// RFC and Kubernetes do, unless allowed: a member list or a client address may name a compose
// service such as zoo_1, which Docker's DNS serves and ZooKeeper resolves.
std::optional<std::string> host_name_problem(std::string_view name, bool allow_underscore = false);

enum class ipv6_form {
  bare_or_bracketed,  // clientPortAddress, admin.serverAddress: InetAddress takes "::1" and "[::1]"
  bracketed,          // inside server.N lines, where ':' separates the ports
};

// Why `text` is neither an IPv4 address, an IPv6 address in the given form, nor a host name (RFC
// 1123, underscores allowed); nullopt when it is one of them.
std::optional<std::string> address_problem(std::string_view text, ipv6_form form);

// "a numeric IPv4 or IPv6 address or a host name (...)" for the given form, for messages.
std::string address_rule(ipv6_form form);

}  // namespace zkagent::entrypoint
