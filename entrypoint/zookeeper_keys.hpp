#pragma once
// The zoo.cfg keys ZooKeeper 3.5 to 3.9 reads. ZooKeeper silently turns unknown keys into
// system properties, so a typo (purgeInteval) goes unnoticed: we warn, with "did you mean".
#include <optional>
#include <string>
#include <string_view>

namespace zkagent::entrypoint {

bool is_known_zookeeper_key(std::string_view key);
std::optional<std::string> suggest_zookeeper_key(std::string_view key);

}  // namespace zkagent::entrypoint
