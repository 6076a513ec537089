#pragma once
// Where the probes and the endpoint find ZooKeeper when no --host/--port is given: the client
// address and port the member is configured with, read from the environment as `start` reads it.
#include <cstdint>
#include <optional>
#include <string>

#include "cli/commands.hpp"

namespace zkagent::cli {

struct probe_target {
  std::optional<std::string> host;    // a specific numeric clientPortAddress, if configured
  std::optional<std::uint16_t> port;  // the configured client port
};

// Both fields empty when the configuration does not resolve; then, unless the caller has its own
// port, a warning says the port is unknown (probing 2181 for the wrong reason would mislead).
probe_target configured_target(const command_context& ctx, bool warn_when_unknown);

}  // namespace zkagent::cli
