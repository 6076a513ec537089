#pragma once
// StatefulSet pod names end in "-<ordinal>": zk-0, zk-1, ... Pure parsing, no system access.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zkagent::myid {

struct ordinal_name {
  std::string base;      // "zk" for "zk-2"
  std::uint32_t ordinal; // 2 for "zk-2"
  // "zk-01": a StatefulSet never pads its ordinals, so such a name is someone's own scheme.
  bool zero_padded = false;
};

// Parses "<base>-<digits>" (the `(.*)-([0-9]+)$` rule of start-zookeeper); nullopt otherwise.
std::optional<ordinal_name> parse_ordinal(std::string_view short_hostname);

inline constexpr std::uint32_t min_id = 1;
inline constexpr std::uint32_t max_id = 255;

}  // namespace zkagent::myid
