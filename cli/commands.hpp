#pragma once
// The subcommands: each reads what it needs from the system, calls the pure core, writes, and
// returns an exit code from the one table.
#include <string>
#include <vector>

#include <spdlog/fwd.h>

#include "common/text.hpp"
#include "entrypoint/setting_specs.hpp"

namespace zkagent::cli {

struct command_context {
  entrypoint::invocation how = entrypoint::invocation::zkagent;
  std::vector<std::string> args;  // after the subcommand
  env_map env;
  spdlog::logger* log = nullptr;
};

int run_start(const command_context& ctx);
int run_config(const command_context& ctx);
int run_myid(const command_context& ctx);

}  // namespace zkagent::cli
