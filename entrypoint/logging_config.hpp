#pragma once
// ZooKeeper's logging config, console only (container logs), at the chosen level. Both files
// are written: log4j 1.2 properties for the Debian package and 3.5-3.7, logback for upstream
// 3.8+. Each installation reads its own and ignores the other. Pure.
#include <string>
#include <string_view>

namespace zkagent::entrypoint {

std::string render_log4j_properties(std::string_view level, std::string_view version);
std::string render_logback_xml(std::string_view level, std::string_view version);

}  // namespace zkagent::entrypoint
