#pragma once
// How zkagent knows a file in the conf dir is its own. A header comment is not enough: with
// reconfig ZooKeeper rewrites zoo.cfg and drops comments. So <conf>/.zkagent-owned records a
// fingerprint of each file zkagent wrote; a file whose content still matches is ours, and a
// zoo.cfg that ZooKeeper rewrote (it now names a dynamicConfigFile) is ours too. Pure.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace zkagent::entrypoint {

inline constexpr std::string_view marker_name = ".zkagent-owned";

// file name -> fingerprint; "old,new" while a write is under way (a kill then leaves either file ours)
using ownership_marker = std::map<std::string, std::string>;

std::string fingerprint(std::string_view content);  // FNV-1a 64, hex: change detection, not security
ownership_marker parse_marker(std::string_view text);
std::string render_marker(const ownership_marker& marker);

enum class file_state { absent, ours, rewritten_by_zookeeper, foreign };

file_state classify(const std::optional<std::string>& content, const ownership_marker& marker,
                    std::string_view file_name);

// The dynamicConfigFile value in a zoo.cfg's text, if any.
std::optional<std::string> dynamic_pointer(std::string_view zoo_cfg_text);

}  // namespace zkagent::entrypoint
