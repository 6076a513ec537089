#include "cli/serve.hpp"

#include "cli/probe_target.hpp"

#include <pthread.h>
#include <signal.h>
#include <string.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include <boost/program_options.hpp>
#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "cli/env_files.hpp"
#include "common/duration.hpp"
#include "common/exit_codes.hpp"
#include "common/system_facts.hpp"
#include "common/text.hpp"
#include "readiness/probe_client.hpp"

namespace zkagent::cli {
namespace {

namespace po = boost::program_options;
namespace asio = boost::asio;
using namespace std::chrono_literals;

// Under the kubelet's default timeoutSeconds of 1 s, as the exec probes.
constexpr auto default_probe_timeout = 800ms;
// A client address that is a host name is looked up once, when the endpoint opens.
constexpr auto name_lookup_budget = 5s;

std::string help() {
  return "Usage: zkagent serve --health-port=P [options]\n\n"
         "Serves the HTTP health endpoint alone, for a sidecar container next to ZooKeeper, until SIGTERM or\n"
         "SIGINT (then exits 0). `zkagent start --health-port=P` serves the same endpoint beside the JVM.\n\n"
         "Routes (GET and HEAD): /livez (ruok), /readyz (srvr), /metrics (mntr, Prometheus text), /status\n"
         "(JSON). 200 or 503 with a one-line reason; other methods 405; other paths 404.\n\n"
         "Options:\n"
         "  --health-port=P      port to serve on, 0 for any free one (logged)  [ZKAGENT_HEALTH_PORT]\n"
         "  --health-address=A   numeric address to bind; default 0.0.0.0  [ZKAGENT_HEALTH_ADDRESS]\n"
         "  --host=ADDR          ZooKeeper's numeric address (default: where the zoo.cfg start wrote or kept says,\n"
         "                       as for zkagent ready)\n"
         "  --port=N             ZooKeeper's client port (default: the same; without a zoo.cfg, the port\n"
         "                       configured through the same environment as start; else 2181)\n"
"  --cache-window=D     reuse a four-letter word's answer this long: at most one connection per\n"
         "                       command per window; default 1s  [ZKAGENT_CACHE_WINDOW]\n"
         "  --timeout=D          one deadline per four-letter-word exchange; default 800ms\n"
         "  --allow-read-only    /readyz passes when the server is in read-only mode\n"
         "Durations: 500ms, 1s, 2.5s, 1.5m, 1h, or a plain number of seconds.\n\n"
         "Exit codes: 0 stopped by SIGTERM or SIGINT; 1 the port cannot be bound; 2 usage error.\n";
}

std::shared_ptr<spdlog::logger> endpoint_logger(const spdlog::logger& main_log) {
  // Its own logger: the endpoint logs from its thread, the main logger's sink is single-threaded.
  auto log = std::make_shared<spdlog::logger>("zkagent", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  log->set_pattern("zkagent: %l: %v");
  log->set_level(main_log.level());
  return log;
}

std::string where(const asio::ip::tcp::endpoint& e) {
  const auto address = e.address().to_string();
  return (e.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(e.port());
}

// The value of a serve option: the flag, else its variable, else nothing.
std::optional<std::string> flag_or_env(const po::variables_map& vm, const command_context& ctx, const char* name,
                                       const char* variable, std::string& origin) {
  if (vm.count(name) != 0U) {
    origin = std::string("--") + name;
    return vm[name].as<std::string>();
  }
  if (variable != nullptr) {
    if (const auto it = ctx.env.find(variable); it != ctx.env.end()) {
      origin = variable;
      return it->second;
    }
  }
  return std::nullopt;
}

}  // namespace

std::unique_ptr<readiness::health_endpoint> open_health_endpoint(const entrypoint::settings& s, spdlog::logger& log,
                                                                 int& code) {
  code = exit_code::ok;
  if (!s.health_port) return nullptr;
  readiness::health_options options;
  options.listen = {*readiness::numeric_address(s.health_address), *s.health_port};
  // zoo.cfg is written by now: the endpoint knocks where ZooKeeper listens. Looked up once: the
  // member's own addresses do not change while this process runs.
  const auto target = find_probe_target(s, {}, std::chrono::steady_clock::now() + name_lookup_budget,
                                        system::read_optional("/etc/hosts").value_or(""));
  if (!target.ok()) {
    log.error("the health endpoint cannot tell where ZooKeeper listens: {}", target.err().message);
    code = exit_code::from(target.err().kind);
    return nullptr;
  }
  log.info("the health endpoint probes ZooKeeper on {} ({})", target.value().text, target.value().origin);
  options.zookeeper = target.value().where;
  options.cache_window = s.cache_window;
  options.probe_timeout = default_probe_timeout;
  auto endpoint = std::make_unique<readiness::health_endpoint>(options, endpoint_logger(log));
  if (const auto ec = endpoint->listen()) {
    log.error("the health endpoint cannot listen on {} (--health-port, --health-address): {}", where(options.listen),
              ec.message());
    code = exit_code::runtime_failure;
    return nullptr;
  }
  return endpoint;
}

int run_serve(const command_context& ctx) {
  auto& log = *ctx.log;
  po::options_description desc;
  desc.add_options()("help,h", "")("health-port", po::value<std::string>(), "")(
      "health-address", po::value<std::string>(), "")("host", po::value<std::string>(), "")(
      "port", po::value<std::string>(), "")("cache-window", po::value<std::string>(), "")(
      "timeout", po::value<std::string>(), "")("allow-read-only", "");
  std::vector<std::string> args;
  for (const auto& arg : ctx.args) args.push_back(entrypoint::canonical_flag(arg));
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args)
                  .options(desc)
                  .style(po::command_line_style::unix_style & ~po::command_line_style::allow_guessing)
                  .run(),
              vm);
  } catch (const po::error& e) {
    log.error("{} (see zkagent serve --help)", e.what());
    return exit_code::usage;
  }
  if (vm.count("help") != 0U) {
    std::fputs(help().c_str(), stdout);
    return exit_code::ok;
  }

  bool good = true;
  const auto bad = [&](const std::string& origin, const std::string& value, const std::string& expected) {
    log.error("{}={}: expected {}", origin, text::quote(value), expected);
    good = false;
  };
  readiness::health_options options;
  std::string origin;
  if (const auto port = flag_or_env(vm, ctx, "health-port", "ZKAGENT_HEALTH_PORT", origin)) {
    if (const auto n = text::parse_uint(*port, 0, 65535)) options.listen.port(static_cast<std::uint16_t>(*n));
    else bad(origin, *port, "a port number from 0 to 65535");
  } else {
    log.error("serve needs --health-port (or ZKAGENT_HEALTH_PORT): the port to serve on");
    good = false;
  }
  if (const auto address = flag_or_env(vm, ctx, "health-address", "ZKAGENT_HEALTH_ADDRESS", origin)) {
    if (const auto numeric = readiness::numeric_address(*address)) options.listen.address(*numeric);
    else bad(origin, *address, "a numeric IPv4 or IPv6 address such as 0.0.0.0 or :: (names are not resolved)");
  }
  if (const auto window = flag_or_env(vm, ctx, "cache-window", "ZKAGENT_CACHE_WINDOW", origin)) {
    const auto parsed = text::parse_duration(*window);
    if (parsed && *parsed <= std::chrono::hours(1)) options.cache_window = *parsed;
    else bad(origin, *window, "a duration from 0 to 1 hour such as 500ms, 1s or 2.5s");
  }
  options.probe_timeout = default_probe_timeout;
  if (const auto timeout = flag_or_env(vm, ctx, "timeout", nullptr, origin)) {
    const auto parsed = text::parse_duration(*timeout);
    if (parsed && parsed->count() >= 1 && *parsed <= std::chrono::minutes(1)) options.probe_timeout = *parsed;
    else bad(origin, *timeout, "a duration from 1ms to 1 minute such as 800ms or 2s");
  }
  std::optional<asio::ip::address> host;
  std::optional<std::uint16_t> port;
  if (const auto value = flag_or_env(vm, ctx, "host", nullptr, origin)) {
    host = readiness::numeric_address(*value);
    if (!host) bad(origin, *value, "a numeric IPv4 or IPv6 address (zkagent does not resolve names)");
  }
  if (const auto value = flag_or_env(vm, ctx, "port", nullptr, origin)) {
    if (const auto n = text::parse_uint(*value, 1, 65535)) port = static_cast<std::uint16_t>(*n);
    else bad(origin, *value, "a port number from 1 to 65535");
  }
  options.allow_read_only = vm.count("allow-read-only") != 0U;
  if (!good) return exit_code::usage;
  if (host && port) {
    options.zookeeper = {*host, *port};
  } else {
    probe_overrides overrides;
    if (host) overrides.host = host->to_string();
    overrides.port = port;
    const auto target = find_probe_target(ctx, overrides, std::chrono::steady_clock::now() + name_lookup_budget);
    if (!target.ok()) {
      log.error("cannot tell where ZooKeeper listens: {}", target.err().message);
      return exit_code::from(target.err().kind);
    }
    log.info("probing ZooKeeper on {} ({})", target.value().text, target.value().origin);
    options.zookeeper = target.value().where;
  }

  // SIGTERM and SIGINT are taken here with sigwait, before the endpoint's thread exists (which
  // blocks every signal itself): no handler, no signal_set.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigset_t previous;
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);

  int code = exit_code::ok;
  {
    readiness::health_endpoint endpoint(options, endpoint_logger(log));
    if (const auto ec = endpoint.listen()) {
      log.error("cannot listen on {} (--health-port, --health-address): {}", where(options.listen), ec.message());
      code = exit_code::runtime_failure;
    } else {
      endpoint.start_thread();
      int sig = 0;
      while (::sigwait(&stop_signals, &sig) != 0) {
      }
      log.info("{}: stopping the health endpoint", ::sigabbrev_np(sig) != nullptr ? std::string("SIG") + ::sigabbrev_np(sig) : std::to_string(sig));
      endpoint.stop();
    }
  }
  // Drop a second stop signal that came meanwhile, then restore the mask.
  const timespec no_wait{0, 0};
  while (::sigtimedwait(&stop_signals, nullptr, &no_wait) > 0) {
  }
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return code;
}

}  // namespace zkagent::cli
