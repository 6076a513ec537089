#pragma once
// The HTTP health endpoint from the command line: `zkagent serve` runs it alone (a sidecar next to
// a ZooKeeper container), `zkagent start --health-port` runs it beside the JVM it supervises.
#include <memory>

#include <spdlog/fwd.h>

#include "cli/commands.hpp"
#include "entrypoint/settings.hpp"
#include "readiness/health_server.hpp"

namespace zkagent::cli {

// zkagent serve --health-port P [--health-address A] [--host ADDR] [--port N] [--cache-window D]
//               [--timeout D] [--allow-read-only]: serves until SIGTERM or SIGINT, then exits 0.
int run_serve(const command_context& ctx);

// For start: the endpoint the settings ask for, bound (so a port below 1024 can be taken before
// privileges are dropped) but not serving yet. nullptr with code ok when --health-port is not
// set; nullptr with code set (logged) when it cannot bind. Call start_thread() after signal_block
// exists and stop() once supervise() returns.
std::unique_ptr<readiness::health_endpoint> open_health_endpoint(const entrypoint::settings& s, spdlog::logger& log,
                                                                 int& code);

}  // namespace zkagent::cli
