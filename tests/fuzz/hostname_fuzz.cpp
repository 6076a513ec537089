// Host names, StatefulSet ordinals and the domain from /etc/hosts. The bytes: the host name, a NUL,
// the hosts file; a second NUL, then a server entry's host to compare.
//
// Oracles: nothing crashes; an ordinal is the host name's "-<digits>" suffix and its base the rest;
// a domain found is the tail of a name in the hosts file that starts with "<hostname>.".
#include <cstdint>
#include <string>

#include "common/text.hpp"
#include "entrypoint/identity.hpp"
#include "fuzz_support.hpp"
#include "myid/ordinal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace zkagent;
  const auto parts = fuzz::records(fuzz::as_text(data, size), '\0');
  const auto name = parts[0];

  if (const auto parsed = myid::parse_ordinal(name)) {
    const auto dash = name.rfind('-');
    fuzz::require(dash != std::string_view::npos && dash > 0, "an ordinal follows a dash", name);
    fuzz::require(parsed->base == name.substr(0, dash), "the base is everything before the last dash", name);
    const auto digits = name.substr(dash + 1);
    fuzz::require(!digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos,
                  "the ordinal is digits only", name);
    fuzz::require(std::to_string(parsed->ordinal) == digits.substr(std::min(digits.find_first_not_of('0'), digits.size() - 1)),
                  "the ordinal is the number the digits spell", name);
  }

  if (parts.size() > 1) {
    const auto hosts = parts[1];
    const auto domain = entrypoint::domain_from_hosts(hosts, name);
    if (!domain.empty()) {
      // Names compare without regard to case: the domain is found in the lower-cased hosts file.
      const auto fqdn = text::to_lower(std::string(name) + "." + domain);
      fuzz::require(text::to_lower(hosts).find(fqdn) != std::string::npos, "the domain comes from a name in the hosts file",
                    fqdn);
    }
    const std::vector<std::string> addresses{"10.0.0.7", "fe80::1"};
    const auto host = parts.size() > 2 ? parts[2] : name;
    (void)entrypoint::names_this_host(host, name, domain, addresses);
    const bool plain_name = !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == std::string_view::npos;
    fuzz::require(!plain_name || entrypoint::names_this_host(name, name, domain, addresses), "a host name names this host",
                  name);
  }
  return 0;
}
