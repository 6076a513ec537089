#include "myid/ordinal.hpp"

#include "common/text.hpp"

namespace zkagent::myid {

std::optional<ordinal_name> parse_ordinal(std::string_view short_hostname) {
  const auto dash = short_hostname.rfind('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  const auto digits = short_hostname.substr(dash + 1);
  // Ordinals are small; anything longer than 9 digits is not a pod name we generated.
  const auto value = text::parse_uint(digits, 0, 999'999'999);
  if (!value) return std::nullopt;
  return ordinal_name{std::string(short_hostname.substr(0, dash)), static_cast<std::uint32_t>(*value),
                      digits.size() > 1 && digits.front() == '0'};
}

}  // namespace zkagent::myid
