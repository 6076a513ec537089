#include "entrypoint/host_names.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "common/text.hpp"

namespace zkagent::entrypoint {
namespace {

bool is_ipv4(const std::string& text_value) {
  unsigned char buffer[4];
  return ::inet_pton(AF_INET, text_value.c_str(), buffer) == 1;
}

bool is_ipv6(const std::string& text_value) {
  unsigned char buffer[16];
  return ::inet_pton(AF_INET6, text_value.c_str(), buffer) == 1;
}

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

std::optional<std::string> host_name_problem(std::string_view name, bool allow_underscore) {
  if (name.empty()) return "it is empty";
  if (name.size() > 253) return "it is " + std::to_string(name.size()) + " characters long";
  if (const auto bad = std::find_if_not(name.begin(), name.end(), [&](char c) { return is_label_char(c) || c == '.' || (allow_underscore && c == '_'); });
      bad != name.end()) {
    return text::quote(std::string_view(&*bad, 1)) + " is not allowed";
  }
  bool all_numeric = true;
  for (const auto& label : text::split(name, ".", false)) {
    if (label.empty()) return "it has an empty label (a dot at the start or end, or two in a row)";
    if (label.size() > 63) {
      return "the label " + text::quote(label.substr(0, 20)) + "... is " + std::to_string(label.size()) +
             " characters long";
    }
    if (label.front() == '-' || label.back() == '-') {
      return "the label " + text::quote(label) + " starts or ends with a hyphen";
    }
    all_numeric = all_numeric && label.find_first_not_of("0123456789") == std::string::npos;
  }
  // RFC 1123 2.1: a name never has the dotted-decimal form, so 10.0.0.256 is a bad address, not a name.
  if (all_numeric) return "it looks like an IPv4 address but is not one";
  return std::nullopt;
}

std::optional<std::string> address_problem(std::string_view text_value, ipv6_form form) {
  if (text_value.empty()) return "it is empty";
  // inet_pton reads up to a NUL: "::1\0junk" would pass as ::1.
  if (text::find_control_char(text_value)) return "it contains a control character";
  const std::string value(text_value);
  if (value.front() == '[' || value.back() == ']') {
    if (value.size() > 2 && value.front() == '[' && value.back() == ']' && is_ipv6(value.substr(1, value.size() - 2))) {
      return std::nullopt;
    }
    return "brackets hold only an IPv6 address, as in [::1]";
  }
  if (value.find(':') != std::string::npos) {
    if (!is_ipv6(value)) return "it is not an IPv6 address (and ':' is not allowed in a host name)";
    if (form == ipv6_form::bracketed) return "an IPv6 address here needs brackets, as in [" + text::printable(value) + "]";
    return std::nullopt;
  }
  if (is_ipv4(value)) return std::nullopt;
  // One trailing dot makes a fully qualified name absolute (no search domains tried), as in
  // zk-0.zk-hs.default.svc.cluster.local.; Java and c-ares resolve it as the same name.
  std::string_view name = value;
  if (name.size() > 1 && name.back() == '.') name.remove_suffix(1);
  return host_name_problem(name, true);
}

std::string address_rule(ipv6_form form) {
  return std::string("a numeric IPv4 address, an IPv6 address") +
         (form == ipv6_form::bracketed ? " in brackets" : " (with or without brackets)") + ", or " +
         std::string(host_name_rule) + "; underscores are allowed";
}

}  // namespace zkagent::entrypoint
