#pragma once
// The exec probes: `zkagent ready`, `live`, `status`, and the `zookeeper-ready PORT` name.
// Each prints one line with its verdict and reason (kubelet keeps it in the pod's events) and
// exits 0 (pass), 1 (fail) or 2 (usage).
#include "cli/commands.hpp"

namespace zkagent::cli {

int run_ready(const command_context& ctx);
int run_live(const command_context& ctx);
int run_status(const command_context& ctx);
int run_zookeeper_ready(const command_context& ctx);

}  // namespace zkagent::cli
