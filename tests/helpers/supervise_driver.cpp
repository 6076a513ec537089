// Runs the real supervisor code in a real process, so tests can signal it and read its exit code:
//   supervise_driver [--exec] [--clear-env] [--env KEY=VALUE]... [--late-signal N] [--] PROGRAM [ARGS...]
// --exec uses exec_replace instead of supervise; --clear-env starts the child's environment empty
// instead of from ours; --late-signal sends us signal N after the child is gone, as a runtime's
// SIGTERM may arrive just then. Logs at debug level to stderr.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "entrypoint/supervisor.hpp"

int main(int argc, char** argv, char** envp) {
  // First, before anything could start a thread.
  const zkagent::entrypoint::signal_block signals;

  auto sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
  spdlog::logger log("supervise_driver", sink);
  log.set_level(spdlog::level::debug);
  log.flush_on(spdlog::level::debug);

  bool exec_mode = false;
  bool clear_env = false;
  std::vector<std::string> extra_env;
  int late_signal = 0;
  int i = 1;
  for (; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--exec") {
      exec_mode = true;
    } else if (arg == "--clear-env") {
      clear_env = true;
    } else if (arg == "--env" && i + 1 < argc) {
      extra_env.emplace_back(argv[++i]);
    } else if (arg == "--late-signal" && i + 1 < argc) {
      late_signal = std::atoi(argv[++i]);
    } else if (arg == "--") {
      ++i;
      break;
    } else {
      break;
    }
  }
  if (i >= argc) {
    log.error("usage: supervise_driver [--exec] [--clear-env] [--env KEY=VALUE]... [--late-signal N] [--] PROGRAM [ARGS...]");
    return 2;
  }

  zkagent::entrypoint::child_command cmd;
  cmd.program = argv[i];
  cmd.argv.assign(argv + i, argv + argc);
  if (!clear_env) {
    for (char** entry = envp; *entry != nullptr; ++entry) cmd.env.emplace_back(*entry);
  }
  cmd.env.insert(cmd.env.end(), extra_env.begin(), extra_env.end());

  const int code = exec_mode ? zkagent::entrypoint::exec_replace(cmd, signals, log)
                             : zkagent::entrypoint::supervise(cmd, signals, log);
  if (late_signal != 0) ::kill(::getpid(), late_signal);  // pending until signals goes out of scope
  return code;
}
