#pragma once
// Pure text helpers shared by the parsers: splitting, trimming, number parsing, near-miss matching.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zkagent {

// The process environment as a value; ordered so every walk over it is deterministic.
using env_map = std::map<std::string, std::string, std::less<>>;

namespace text {

std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, std::string_view separators, bool skip_empty = true);
bool starts_with_ci(std::string_view s, std::string_view prefix);
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);

// Whole decimal number in [min, max]; nothing else accepted (no sign, no spaces, no suffix).
std::optional<std::uint64_t> parse_uint(std::string_view s, std::uint64_t min, std::uint64_t max);
std::optional<bool> parse_bool(std::string_view s);

// The first control character (newline included) in s, if any: such a value would inject lines.
std::optional<char> find_control_char(std::string_view s);
// Printable form of a value for messages: control characters escaped, long values cut.
std::string quote(std::string_view s);
// A name (a path, a host name) for messages: as it is, unless a control byte would break the
// message's line; then quote()d. Keeps the common message readable.
std::string printable(std::string_view name);

std::size_t edit_distance(std::string_view a, std::string_view b);
// The known word closest to s, if it is close enough to be a typo of it.
std::optional<std::string> closest(std::string_view s, std::span<const std::string_view> known);

}  // namespace text
}  // namespace zkagent
