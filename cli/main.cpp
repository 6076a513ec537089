// zkagent's main: pick the command (by subcommand or by the name it was called under), run it,
// return its exit code. Exceptions stop here and become exit codes.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/probes.hpp"
#include "cli/serve.hpp"
#include "common/exit_codes.hpp"
#include "common/system_facts.hpp"
#include "zkagent/version.hpp"

namespace {

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

int dispatch(int argc, char** argv, char** envp, spdlog::logger& log) {
  using zkagent::entrypoint::invocation;
  zkagent::cli::command_context ctx;
  ctx.env = zkagent::system::environment(envp);
  ctx.log = &log;
  const auto name = base_name(argc > 0 ? argv[0] : "zkagent");
  if (name == "start-zookeeper") {
    ctx.how = invocation::start_zookeeper;
    ctx.args.assign(argv + 1, argv + argc);
    return zkagent::cli::run_start(ctx);
  }
  if (name == "zookeeper-ready") {
    ctx.args.assign(argv + 1, argv + argc);
    return zkagent::cli::run_zookeeper_ready(ctx);
  }
  if (argc < 2) {
    std::fputs(zkagent::cli::top_help().c_str(), stderr);
    return zkagent::exit_code::usage;
  }
  const std::string_view command = argv[1];
  ctx.args.assign(argv + 2, argv + argc);
  if (command == "start") return zkagent::cli::run_start(ctx);
  if (command == "config") return zkagent::cli::run_config(ctx);
  if (command == "myid") return zkagent::cli::run_myid(ctx);
  if (command == "ready") return zkagent::cli::run_ready(ctx);
  if (command == "live") return zkagent::cli::run_live(ctx);
  if (command == "status") return zkagent::cli::run_status(ctx);
  if (command == "serve") return zkagent::cli::run_serve(ctx);
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(zkagent::cli::top_help().c_str(), stdout);
    return zkagent::exit_code::ok;
  }
  if (command == "--version" || command == "version") {
    std::printf("zkagent %s\n", zkagent::version);
    return zkagent::exit_code::ok;
  }
  log.error("unknown command '{}': expected start, config, myid, ready, live, status or serve (see zkagent --help)", command);
  return zkagent::exit_code::usage;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
  spdlog::logger log("zkagent", sink);
  log.set_pattern("zkagent: %l: %v");
  log.set_level(spdlog::level::info);
  try {
    return dispatch(argc, argv, envp, log);
  } catch (const std::exception& e) {
    log.critical("{}", e.what());
    return zkagent::exit_code::runtime_failure;
  }
}
