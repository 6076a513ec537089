#pragma once
// settings -> zoo.cfg text, in a fixed key order (never a hash map's). Pure.
#include <optional>
#include <string>
#include <string_view>

#include "entrypoint/settings.hpp"

namespace zkagent::entrypoint {

struct rendered_zoo_cfg {
  std::string zoo_cfg;
  // With dynamicConfigFile the members go to that file instead, written only when absent.
  std::optional<std::string> dynamic_path;
  std::string dynamic_content;
};

// kept_dynamic_pointer: the dynamicConfigFile value ZooKeeper wrote into our zoo.cfg after a
// reconfig; it wins over the configured one so the ensemble keeps its current membership.
rendered_zoo_cfg render_zoo_cfg(const settings& s, std::string_view version,
                                 const std::optional<std::string>& kept_dynamic_pointer = std::nullopt);

}  // namespace zkagent::entrypoint
