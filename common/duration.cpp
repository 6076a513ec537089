#include "common/duration.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace zkagent::text {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text_value) {
  std::string_view number = text_value;
  double scale = 1000.0;
  if (number.ends_with("ms")) {
    scale = 1.0;
    number.remove_suffix(2);
  } else if (number.ends_with("s")) {
    number.remove_suffix(1);
  } else if (number.ends_with("m")) {
    scale = 60'000.0;
    number.remove_suffix(1);
  } else if (number.ends_with("h")) {
    scale = 3'600'000.0;
    number.remove_suffix(1);
  }
  // At most 12 characters: the largest value (a trillion hours) still fits a 64-bit count.
  if (number.empty() || number.size() > 12 || number.front() == '.' || number.back() == '.' ||
      number.find_first_not_of("0123456789.") != std::string_view::npos ||
      std::count(number.begin(), number.end(), '.') > 1) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size()) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(value * scale + 0.5));
}

}  // namespace zkagent::text
