#include "cli/probes.hpp"

#include "cli/probe_target.hpp"

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include <boost/program_options.hpp>
#include <spdlog/logger.h>

#include "cli/env_files.hpp"
#include "common/duration.hpp"
#include "common/exit_codes.hpp"
#include "common/system_facts.hpp"
#include "common/text.hpp"
#include "entrypoint/settings.hpp"
#include "readiness/admin_client.hpp"
#include "readiness/admin_reply.hpp"
#include "readiness/four_letter.hpp"
#include "readiness/probe_client.hpp"
#include "readiness/status_json.hpp"

namespace zkagent::cli {
namespace {

namespace po = boost::program_options;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

// Under the kubelet's default timeoutSeconds of 1 s, so the verdict is printed before it kills us.
constexpr auto default_timeout = 800ms;

enum class probe_kind { ready, live, status };

struct probe_options {
  std::optional<std::string> host;
  std::optional<std::uint16_t> port;
  std::optional<readiness::admin_url> admin;  // --admin-url: the AdminServer instead of four-letter words
  std::chrono::milliseconds timeout = default_timeout;
  bool allow_read_only = false;
  bool json = false;
};


std::string help(probe_kind kind) {
  std::string out;
  switch (kind) {
    case probe_kind::ready:
      out = "Usage: zkagent ready [options]\n\nReadiness: sends srvr and passes only when the server serves as leader, follower,\n"
            "observer or standalone. Not serving (no quorum, still starting), read-only, refused, reset,\n"
            "timeout, truncated or garbage replies fail. Use it as the readinessProbe.\n";
      break;
    case probe_kind::live:
      out = "Usage: zkagent live [options]\n\nLiveness: sends ruok and passes on imok. Never depends on quorum: a running member\n"
            "without quorum is live and not ready. A whitelist refusal also proves the process answers,\n"
            "so it passes and says ruok is not whitelisted. Use it as the livenessProbe.\n";
      break;
    case probe_kind::status:
      out = "Usage: zkagent status [options]\n\nThe member's role and key facts (mode, zxid, connections, latency, version) from srvr,\n"
            "like `zkServer.sh status`; --json for a JSON document.\n";
      break;
  }
  out += "\nOptions:\n"
         "  --host=ADDR     numeric address to probe (default: where the zoo.cfg that start wrote or kept, its\n"
         "                  dynamic file and this member's server line say; loopback for 0.0.0.0 and ::; a host\n"
         "                  name is looked up in /etc/hosts, then DNS)\n"
         "  --port=N        client port (default: the same files; without a zoo.cfg, the port configured through\n"
         "                  the same environment as start, e.g. ZOO_CLIENT_PORT; else 2181)\n"
"  --timeout=D     one deadline for connect, write and read: 800ms, 2s, 3 (seconds); default 800ms\n"
         "  --admin-url=URL ask the AdminServer instead of four-letter words (installs that turned them\n"
         "                  off): http://ADDR:PORT[/PATH], numeric address, PATH default /commands.\n"
         "                  http only: https is not supported (zkagent has no TLS stack)\n";
  if (kind == probe_kind::ready) out += "  --allow-read-only  pass when the server is in read-only mode\n";
  if (kind == probe_kind::status) out += "  --json          print one line of JSON (the health endpoint's /status document)\n";
  out += "\nExit codes: 0 pass, 1 fail, 2 usage error. One line on stdout says what was sent, what came back\n"
         "and how long it took.\n";
  return out;
}

std::optional<probe_options> parse(const command_context& ctx, probe_kind kind, int& code) {
  po::options_description desc;
  desc.add_options()("help,h", "")("host", po::value<std::string>(), "")("port", po::value<std::string>(), "")(
      "timeout", po::value<std::string>(), "")("admin-url", po::value<std::string>(), "");
  if (kind == probe_kind::ready) desc.add_options()("allow-read-only", "");
  if (kind == probe_kind::status) desc.add_options()("json", "");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(ctx.args).options(desc).run(), vm);
  } catch (const po::error& e) {
    ctx.log->error("{} (see --help)", e.what());
    code = exit_code::usage;
    return std::nullopt;
  }
  if (vm.count("help") != 0U) {
    std::fputs(help(kind).c_str(), stdout);
    code = exit_code::ok;
    return std::nullopt;
  }
  probe_options out;
  bool good = true;
  if (vm.count("host") != 0U) {
    const auto host = vm["host"].as<std::string>();
    if (!readiness::numeric_address(host)) {
      ctx.log->error("--host={}: expected a numeric IPv4 or IPv6 address (zkagent does not resolve names)",
                     text::quote(host));
      good = false;
    }
    out.host = host;
  }
  if (vm.count("port") != 0U) {
    const auto port = text::parse_uint(vm["port"].as<std::string>(), 1, 65535);
    if (!port) {
      ctx.log->error("--port={}: expected a port number from 1 to 65535", text::quote(vm["port"].as<std::string>()));
      good = false;
    } else {
      out.port = static_cast<std::uint16_t>(*port);
    }
  }
  if (vm.count("timeout") != 0U) {
    const auto timeout = text::parse_duration(vm["timeout"].as<std::string>());
    if (!timeout || timeout->count() < 1 || *timeout > std::chrono::hours(1)) {
      ctx.log->error("--timeout={}: expected a duration from 1ms to 1 hour such as 800ms, 2s or 3 (seconds)",
                     text::quote(vm["timeout"].as<std::string>()));
      good = false;
    } else {
      out.timeout = *timeout;
    }
  }
  if (vm.count("admin-url") != 0U) {
    const auto text_value = vm["admin-url"].as<std::string>();
    auto url = readiness::parse_admin_url(text_value);
    if (!url) {
      ctx.log->error("--admin-url={}: {}", text::quote(text_value), url.err().message);
      good = false;
    } else if (out.host || out.port) {
      ctx.log->error("--admin-url replaces --host and --port: give one or the other");
      good = false;
    } else {
      out.admin = std::move(url).value();
    }
  }
  out.allow_read_only = vm.count("allow-read-only") != 0U;
  out.json = vm.count("json") != 0U;
  if (!good) {
    code = exit_code::usage;
    return std::nullopt;
  }
  return out;
}

struct probe_run {
  std::string what;   // "srvr", or "GET /commands/srvr" over the AdminServer
  std::string where;  // "127.0.0.1:2181"
  readiness::exchange ex;
  std::chrono::milliseconds took{};
  std::optional<std::string> target_error;  // no place to knock: the configuration says why
};

// The deadline counts from the start of the command, so the whole run stays within it.
std::chrono::milliseconds time_left(const probe_options& opts, clock_type::time_point started) {
  return std::max(1ms, opts.timeout - std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - started));
}

probe_run exchange_with(const command_context& ctx, const probe_options& opts, const char* command,
                        clock_type::time_point started) {
  if (opts.admin) {
    probe_run run;
    run.what = "GET " + readiness::admin_target(*opts.admin, command);
    run.where = readiness::authority(*opts.admin);
    run.ex = readiness::run_admin_get(*opts.admin, command, time_left(opts, started));
    run.took = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - started);
    return run;
  }
  probe_run run;
  run.what = command;
  const auto target = find_probe_target(ctx, {opts.host, opts.port}, started + opts.timeout);
  if (!target.ok()) {
    run.where = "ZooKeeper";
    run.target_error = target.err().message;
    run.took = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - started);
    return run;
  }
  const auto& where = target.value().where;
  run.where = target.value().text;
  run.ex = readiness::run_exchange(where, command, time_left(opts, started));
  run.took = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - started);
  return run;
}

// A probe with no place to knock fails with the configuration's reason.
readiness::verdict or_target_error(const probe_run& run, readiness::verdict v) {
  if (run.target_error) return {false, *run.target_error, std::nullopt};
  return v;
}

int print_verdict(std::string_view name, const probe_run& run, const readiness::verdict& v) {
  std::printf("%.*s: %s: %s to %s: %s (%lld ms)\n", static_cast<int>(name.size()), name.data(),
              v.ok ? "pass" : "FAIL", run.what.c_str(), run.where.c_str(), v.reason.c_str(),
              static_cast<long long>(run.took.count()));
  std::fflush(stdout);
  return v.ok ? exit_code::ok : exit_code::probe_failed;
}

readiness::verdict judge_ready(const probe_options& opts, const readiness::exchange& ex, bool allow_read_only) {
  return opts.admin ? readiness::judge_admin_ready(ex, allow_read_only) : readiness::judge_ready(ex, allow_read_only);
}

}  // namespace

int run_ready(const command_context& ctx) {
  const auto started = system::process_started();  // the kubelet counts its timeout from the exec
  int code = exit_code::ok;
  const auto opts = parse(ctx, probe_kind::ready, code);
  if (!opts) return code;
  const auto run = exchange_with(ctx, *opts, "srvr", started);
  return print_verdict("ready", run, or_target_error(run, judge_ready(*opts, run.ex, opts->allow_read_only)));
}

int run_live(const command_context& ctx) {
  const auto started = system::process_started();  // the kubelet counts its timeout from the exec
  int code = exit_code::ok;
  const auto opts = parse(ctx, probe_kind::live, code);
  if (!opts) return code;
  const auto run = exchange_with(ctx, *opts, "ruok", started);
  return print_verdict("live", run,
                       or_target_error(run, opts->admin ? readiness::judge_admin_live(run.ex) : readiness::judge_live(run.ex)));
}

int run_status(const command_context& ctx) {
  const auto started = system::process_started();  // the kubelet counts its timeout from the exec
  int code = exit_code::ok;
  const auto opts = parse(ctx, probe_kind::status, code);
  if (!opts) return code;
  const auto run = exchange_with(ctx, *opts, "srvr", started);
  const auto v = or_target_error(run, judge_ready(*opts, run.ex, true));
  if (opts->json) {
    std::printf("%s\n", readiness::render_status_json(v, {run.where, run.took}).c_str());
    std::fflush(stdout);
    return v.ok ? exit_code::ok : exit_code::probe_failed;
  }
  if (!v.facts) return print_verdict("status", run, v);
  const auto& f = *v.facts;
  const auto optional_number = [](const std::optional<std::uint64_t>& n) {
    return n ? std::to_string(*n) : std::string("?");
  };
  std::printf("Mode: %s\nAddress: %s\nZooKeeper version: %s\nZxid: %s\nConnections: %s\nOutstanding: %s\n"
              "Latency min/avg/max (ms): %s\nReceived: %s\nSent: %s\nNode count: %s\n",
              std::string(readiness::describe(f.mode)).c_str(), run.where.c_str(), f.version.c_str(), f.zxid.c_str(),
              optional_number(f.connections).c_str(), optional_number(f.outstanding).c_str(), f.latency.c_str(),
              optional_number(f.received).c_str(), optional_number(f.sent).c_str(),
              optional_number(f.node_count).c_str());
  return exit_code::ok;
}

int run_zookeeper_ready(const command_context& ctx) {
  // The tutorial's script: `zookeeper-ready PORT`, exit 0 iff ruok answers imok. Manifests use it
  // for liveness too, so it must not start depending on quorum.
  const auto started = system::process_started();  // the kubelet counts its timeout from the exec
  probe_options opts;
  if (ctx.args.size() > 1) {
    ctx.log->error("usage: zookeeper-ready [PORT]");
    return exit_code::usage;
  }
  if (ctx.args.size() == 1) {
    const auto port = text::parse_uint(ctx.args.front(), 1, 65535);
    if (!port) {
      ctx.log->error("zookeeper-ready {}: expected a port number from 1 to 65535", text::quote(ctx.args.front()));
      return exit_code::usage;
    }
    opts.port = static_cast<std::uint16_t>(*port);
    opts.host = "127.0.0.1";
  }
  const auto run = exchange_with(ctx, opts, "ruok", started);
  auto v = or_target_error(run, readiness::judge_live(run.ex));
  if (v.ok && run.ex.reply != "imok") v.ok = false;  // the script's meaning: imok and nothing else
  return print_verdict("zookeeper-ready", run, v);
}

}  // namespace zkagent::cli
