#include "entrypoint/ownership.hpp"

#include <cstdint>

#include "common/text.hpp"
#include "entrypoint/kept_config.hpp"

namespace zkagent::entrypoint {

std::string fingerprint(std::string_view content) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : content) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = hex[hash & 0xf];
    hash >>= 4;
  }
  return out;
}

ownership_marker parse_marker(std::string_view text_value) {
  ownership_marker marker;
  for (const auto& line : text::split(text_value, "\n", true)) {
    if (line.starts_with("#")) continue;
    const auto fields = text::split(line, " ", true);
    if (fields.size() == 2) marker[fields[0]] = fields[1];
  }
  return marker;
}

std::string render_marker(const ownership_marker& marker) {
  std::string out = "# Files in this folder that zkagent wrote, with fingerprints of what it wrote.\n";
  for (const auto& [name, print] : marker) out += name + " " + print + "\n";
  return out;
}

std::optional<std::string> dynamic_pointer(std::string_view zoo_cfg_text) {
  auto value = zoo_cfg_value(zoo_cfg_text, "dynamicConfigFile");
  if (value && value->empty()) return std::nullopt;
  return value;
}

file_state classify(const std::optional<std::string>& content, const ownership_marker& marker,
                    std::string_view file_name) {
  if (!content) return file_state::absent;
  const auto it = marker.find(std::string(file_name));
  if (it == marker.end()) return file_state::foreign;
  // "old,new" while zkagent replaces a file (see execute_plan): either content is its own.
  for (const auto& print : text::split(it->second, ",", true)) {
    if (print == fingerprint(*content)) return file_state::ours;
  }
  if (file_name == "zoo.cfg" && dynamic_pointer(*content)) return file_state::rewritten_by_zookeeper;
  return file_state::foreign;
}

}  // namespace zkagent::entrypoint
