#include "cli/commands.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <spdlog/logger.h>
#include <spdlog/spdlog.h>

#include "cli/env_files.hpp"
#include "cli/options.hpp"
#include "cli/serve.hpp"
#include "common/atomic_file.hpp"
#include "common/exit_codes.hpp"
#include "common/guarded_fs.hpp"
#include "common/text.hpp"
#include "common/system_facts.hpp"
#include "entrypoint/config_writer.hpp"
#include "entrypoint/dns_wait.hpp"
#include "entrypoint/folder_check.hpp"
#include "entrypoint/folder_policy.hpp"
#include "entrypoint/jvm_settings.hpp"
#include "entrypoint/kept_config.hpp"
#include "entrypoint/launcher.hpp"
#include "entrypoint/privileges.hpp"
#include "entrypoint/settings.hpp"
#include "entrypoint/signal_name.hpp"
#include "entrypoint/supervisor.hpp"
#include "entrypoint/write_preflight.hpp"
#include "myid/myid_file.hpp"
#include "zkagent/version.hpp"

namespace zkagent::cli {
namespace {

using namespace entrypoint;

std::optional<std::uint64_t> container_memory_limit() {
  for (const auto* path : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    if (auto text = system::read_optional(path)) return parse_cgroup_limit(*text);
  }
  return std::nullopt;
}

int report(spdlog::logger& log, const diagnostics& diag) {
  for (const auto& w : diag.warnings) log.warn("{}", w);
  for (const auto& e : diag.errors) log.error("{}", e.message);
  if (diag.errors.empty()) return exit_code::ok;
  return exit_code::from(diag.errors.front().kind);
}

struct prepared {
  settings s;
  workspace ws;  // the conf and data folders, open and locked until the run has written
  conf_snapshot snapshot;
};

std::string normal_folder(const std::string& path) {
  auto text = std::filesystem::path(path).lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

// --keep-config as root: a kept zoo.cfg that uid 1000 can change is a pointer uid 1000 controls. Its
// folders are then used only inside the folders the settings name.
std::optional<std::string> untrusted_kept_folder(const std::vector<std::string>& adopted,
                                                 const std::vector<std::string>& configured) {
  for (const auto& folder : adopted) {
    const auto f = normal_folder(folder);
    const bool inside = std::any_of(configured.begin(), configured.end(), [&](const std::string& c) {
      const auto base = normal_folder(c);
      return f == base || f.starts_with(base == "/" ? base : base + "/");
    });
    if (!inside) return folder;
  }
  return std::nullopt;
}

// As root handing folders to the ZooKeeper user: any folder folder_policy refuses stops the run
// (exit 2) before any folder is created or locked. java and ZooKeeper are looked up here as `start`
// finds them; when they are not found (`config` on a machine without them), the system folders and
// this binary still count.
int refuse_unsafe_folders(const settings& s, write_scope scope, bool kept_zoo_cfg, const env_map& env,
                          spdlog::logger& log) {
  if (::geteuid() != 0 || s.uid == 0) return exit_code::ok;
  std::optional<std::string> java, zookeeper_home;
  if (auto found = find_java(env, s.java); found.ok()) java = found.value();
  if (auto found = find_zookeeper(s.zookeeper_home, s.zookeeper_home_origin); found.ok()) zookeeper_home = found.value().home;
  const auto plan = plan_hand_over(s, scope == write_scope::everything, kept_zoo_cfg);
  auto candidates = plan.walked;
  candidates.insert(candidates.end(), plan.itself.begin(), plan.itself.end());
  resolve_candidates(candidates);
  return report(log, check_hand_over(candidates, gather_folder_facts(java, env, zookeeper_home), s.uid));
}

// Flags + env + host facts -> settings, and what is on disk now, read under the run's locks.
// Nothing is written here; the conf and data folders are created (to be locked) only once the
// settings are valid.
std::optional<prepared> prepare(const command_context& ctx, std::string_view command, write_scope scope, int& code) {
  auto& log = *ctx.log;
  diagnostics diag;
  const auto flags = parse_flags(ctx.args, diag);
  if (flags.help) {
    std::fputs(help_text(command, ctx.how).c_str(), stdout);
    code = exit_code::ok;
    return std::nullopt;
  }
  if (flags.version) {
    std::printf("zkagent %s\n", version);
    code = exit_code::ok;
    return std::nullopt;
  }
  // Problems so far are kept and reported with the settings' own, so one run shows them all.
  auto env = resolve_file_variables(ctx.env, diag);

  inputs in;
  in.invoked_as = ctx.how;
  in.flags = flags.flags;
  in.env = std::move(env.env);
  in.secret_env = std::move(env.secret);
  if (auto name = system::short_hostname(); name.ok()) in.host.hostname = name.value();
  in.host.hosts_file = system::read_optional("/etc/hosts").value_or("");
  in.host.addresses = system::local_addresses();
  in.host.memory_limit = container_memory_limit();

  // First pass: where the conf dir and the template are. Second pass: with their content.
  auto first = resolve(in);
  if (first.value.config_template) {
    auto text = files::read_file(*first.value.config_template, files::max_config_bytes);
    if (!text.ok() || !text.value()) {
      diag.fail(error_kind::config, "the config template " + *first.value.config_template + " (--config-template, ZKAGENT_CONFIG_TEMPLATE) cannot be read" +
                                        (text.ok() ? std::string(": it does not exist") : ": " + text.err().message));
    } else {
      in.template_text = *text.value();
    }
  }
  // A first look, without creating or locking anything: a java.env that is not ours feeds the JVM
  // settings, and a kept zoo.cfg names the folders.
  std::optional<conf_snapshot> peek;
  if (first.diag.ok() && diag.ok()) {
    auto ws = open_workspace(first.value, scope, workspace_mode::peek);
    auto snap = ws.ok() ? read_snapshot(first.value, ws.value()) : result<conf_snapshot>(ws.err());
    if (!snap.ok()) diag.fail(snap.err().kind, snap.err().message);
    else {
      peek = std::move(snap).value();
      const auto& java_env = peek->conf_files["java.env"];
      if (classify(java_env, peek->marker, "java.env") == file_state::foreign) in.java_env_text = java_env;
    }
  }
  auto second = resolve(in);
  diag.merge(std::move(second.diag));
  if (!diag.ok() || !peek) {
    if (diag.ok()) diag.merge(std::move(first.diag));
    code = report(log, diag);
    if (code == exit_code::ok) code = exit_code::usage;
    return std::nullopt;
  }
  report(log, diag);
  if (second.value.keep_config) {
    if (const auto& kept = peek->conf_files["zoo.cfg"]) {
      const std::vector<std::string> configured{second.value.conf_dir, second.value.data_dir,
                                                second.value.data_log_dir, second.value.log_dir};
      auto folders = adopt_kept_folders(second.value, *kept);
      for (const auto& note : folders.notes) {
        if (note.warning) log.warn("{}", note.text);
        else log.info("{}", note.text);
      }
      if (::geteuid() == 0 && !folders.adopted.empty()) {
        const bool trusted = peek->zoo_cfg_only_root_can_change;
        if (const auto outside = untrusted_kept_folder(folders.adopted, configured); outside && !trusted) {
          log.error("--keep-config: {}/zoo.cfg can be changed by a user other than root, so the folder it names, {}, "
                    "is not used as root outside the folders zkagent was given ({}, {}, {}, {}). Make the kept "
                    "zoo.cfg and its folder root's and read-only (a ConfigMap is), or pass that folder as --data-dir",
                    second.value.conf_dir, text::quote(*outside), configured[0], configured[1], configured[2],
                    configured[3]);
          code = exit_code::usage;
          return std::nullopt;
        }
      }
      second.value.kept_folders = std::move(folders.adopted);
    }
  }
  const bool kept_zoo_cfg = second.value.keep_config && peek->conf_files["zoo.cfg"].has_value();
  if (code = refuse_unsafe_folders(second.value, scope, kept_zoo_cfg, ctx.env, log); code != exit_code::ok) return std::nullopt;
  // The run's own view: the folders created if missing and locked, then read again. What is read
  // here is what the plan decides on, so a failure is the run's.
  auto ws = open_workspace(second.value, scope, workspace_mode::lock, [&log](std::string_view folder) {
    log.info("waiting for another zkagent run to finish writing {}", text::printable(folder));
  });
  if (!ws.ok()) {
    log.error("{}", ws.err().message);
    code = exit_code::from(ws.err().kind);
    return std::nullopt;
  }
  auto again = read_snapshot(second.value, ws.value());
  if (!again.ok()) {
    log.error("{}", again.err().message);
    code = exit_code::from(again.err().kind);
    return std::nullopt;
  }
  return prepared{std::move(second.value), std::move(ws).value(), std::move(again).value()};
}

bool has_kept_zoo_cfg(const settings& s, const conf_snapshot& snapshot) {
  const auto it = snapshot.conf_files.find("zoo.cfg");
  return s.keep_config && it != snapshot.conf_files.end() && it->second.has_value();
}

void log_notes(spdlog::logger& log, const ownership_notes& notes) {
  if (auto line = notes.mount_line()) log.info("{}", *line);
  if (auto line = notes.hard_link_line()) log.warn("{}", *line);
  if (auto line = notes.read_only_line()) log.warn("{}", *line);
  if (auto line = notes.too_deep_line()) log.warn("{}", *line);
}

// As root: walks the folders of plan_hand_over, hands kept folders (and myid in them) over themselves,
// and in a kept conf folder only the files zkagent wrote there, never zoo.cfg or the folder.
bool hand_folders_over(const prepared& p, const write_plan& plan, write_scope scope, spdlog::logger& log, int& code) {
  const auto folders = plan_hand_over(p.s, scope == write_scope::everything, has_kept_zoo_cfg(p.s, p.snapshot));
  std::vector<std::string> itself;
  for (const auto& f : folders.itself) itself.push_back(f.folder.path);
  if (p.s.myid && std::find(itself.begin(), itself.end(), p.s.data_dir) != itself.end()) {
    itself.push_back(myid::path_in(p.s.data_dir));
  }
  if (folders.conf_dir_kept) {
    for (const auto& f : plan.files) {
      const bool ours = f.action == file_action::write || f.action == file_action::keep_ours;
      if (ours && !f.marker_name.empty() && f.path != p.s.zoo_cfg_path()) itself.push_back(f.path);
    }
  }
  std::vector<std::string> walked;
  for (const auto& f : folders.walked) walked.push_back(f.folder.path);
  const auto done = [&](const result<ownership_notes>& handed) {
    if (handed.ok()) {
      log_notes(log, handed.value());
      return true;
    }
    log.error("{}", handed.err().message);
    code = exit_code::from(handed.err().kind);
    return false;
  };
  return done(hand_over(itself, p.s.uid, p.s.gid)) && done(take_ownership(walked, p.s.uid, p.s.gid));
}

// Plans and writes; as root, hands the folders to the ZooKeeper user.
std::optional<std::vector<written_file>> write_all(const prepared& p, write_scope scope, spdlog::logger& log,
                                                   int& code) {
  auto plan = make_plan(p.s, p.snapshot, version, scope);
  if (!plan.ok()) {
    log.error("{}", plan.err().message);
    code = exit_code::from(plan.err().kind);
    return std::nullopt;
  }
  for (const auto& w : plan.value().warnings) log.warn("{}", w);
  auto written = execute_plan(p.s, p.ws, plan.value());
  if (!written.ok()) {
    log.error("{}", written.err().message);
    code = exit_code::from(written.err().kind);
    return std::nullopt;
  }
  if (::geteuid() == 0 && p.s.uid != 0 && !hand_folders_over(p, plan.value(), scope, log, code)) return std::nullopt;
  return std::move(plan).value().files.empty() ? std::vector<written_file>{} : std::move(written).value();
}

void print_summary(const prepared& p, const std::vector<written_file>& written) {
  const auto& s = p.s;
  if (s.servers.empty()) {
    std::printf("standalone server");
  } else {
    std::printf("id %u, one of %zu members (%s)%s", s.myid.value_or(0), s.servers.size(), s.servers_origin.c_str(),
                s.observer ? ", observer" : "");
  }
  if (s.myid) std::printf("; id from %s", s.myid_origin.c_str());
  std::printf("\n");
  for (const auto& f : written) std::printf("  %-48s %s\n", f.path.c_str(), f.outcome.c_str());
  std::printf("heap: %s\n", s.heap_reason.c_str());
}

// Before ZooKeeper binds this member's own server.N address, that name must resolve (to this host):
// bounded by --dns-wait. SIGTERM, SIGINT, SIGQUIT or SIGHUP end the wait (they are blocked here and
// taken as the supervisor takes them); ZooKeeper is then not started.
int wait_for_own_name(const settings& s, spdlog::logger& log) {
  const auto plan = plan_dns_wait(s);
  if (!plan.target) {
    log.debug("dns: not waiting: {}", plan.reason);
    return exit_code::ok;
  }
  log.debug("dns: {}", plan.reason);
  dns_wait_options options;
  options.budget = s.dns_wait;
  options.server = s.dns_server;
  options.local_addresses = system::local_addresses();
  const sigset_t stop = stop_signals();
  options.stop_signals = &stop;
  const auto result = wait_for_dns(*plan.target, options, log);
  switch (result.outcome) {
    case dns_wait_outcome::resolved: return exit_code::ok;
    case dns_wait_outcome::timed_out: return exit_code::dns_unresolved;
    case dns_wait_outcome::interrupted: return exit_code::signal_base + result.signal;
  }
  return exit_code::dns_unresolved;
}

// Tries, as the uid:gid ZooKeeper will run as, to write each folder ZooKeeper writes.
int check_zookeeper_can_write(const settings& s, spdlog::logger& log) {
  const bool dropping = ::geteuid() == 0 && s.uid != 0;
  const uid_t uid = dropping ? s.uid : ::geteuid();
  const gid_t gid = dropping ? s.gid : ::getegid();
  const auto cfg = files::read_file(s.zoo_cfg_path(), files::max_config_bytes);
  const auto folders = folders_zookeeper_writes(s, cfg.ok() && cfg.value() ? *cfg.value() : std::string());
  const auto found = first_unwritable(folders, uid, gid);
  if (!found.ok()) {
    log.error("{}", found.err().message);
    return exit_code::from(found.err().kind);
  }
  if (!found.value()) return exit_code::ok;
  log.error("{}", unwritable_message(*found.value(), uid, gid));
  return exit_code::cannot_create;
}

// A stop signal that came while `start` prepared ends it with 128+N before any JVM exists (the
// signals are blocked, so they wait here). Checked at each step boundary of run_start.
std::optional<int> stopped_early(const signal_block& signals, spdlog::logger& log) {
  const auto sig = take_pending_stop(signals);
  if (!sig) return std::nullopt;
  log.info("stopped by {} before ZooKeeper was started", signal_name(*sig));
  return exit_code::signal_base + *sig;
}

spdlog::level::level_enum agent_level(const std::string& name) {
  return spdlog::level::from_str(name == "warn" ? "warning" : name);
}

}  // namespace

int run_config(const command_context& ctx) {
  int code = exit_code::ok;
  auto p = prepare(ctx, "config", write_scope::everything, code);
  if (!p) return code;
  ctx.log->set_level(agent_level(p->s.agent_log_level));
  auto written = write_all(*p, write_scope::everything, *ctx.log, code);
  if (!written) return code;
  print_summary(*p, *written);
  return exit_code::ok;
}

int run_myid(const command_context& ctx) {
  int code = exit_code::ok;
  auto p = prepare(ctx, "myid", write_scope::myid_only, code);
  if (!p) return code;
  if (!p->s.myid && p->s.ordinal_id) {
    p->s.myid = p->s.ordinal_id;
    p->s.myid_origin = p->s.ordinal_id_origin;
  }
  auto written = write_all(*p, write_scope::myid_only, *ctx.log, code);
  if (!written) return code;
  for (const auto& f : *written) std::printf("%s %s (id %u from %s)\n", f.path.c_str(), f.outcome.c_str(), p->s.myid.value_or(0), p->s.myid_origin.c_str());
  return exit_code::ok;
}

int run_start(const command_context& ctx) {
  // Before anything else, and before any thread exists: signals wait for the supervisor.
  const signal_block signals;
  auto& log = *ctx.log;
  int code = exit_code::ok;
  auto p = prepare(ctx, "start", write_scope::everything, code);
  if (!p) return code;
  const auto& s = p->s;
  log.set_level(agent_level(s.agent_log_level));
  if (const auto stopped = stopped_early(signals, log)) return *stopped;

  // Find what we will run before writing anything: a missing java changes no file.
  auto java = find_java(ctx.env, s.java);
  if (!java.ok()) {
    log.error("{}", java.err().message);
    return exit_code::from(java.err().kind);
  }
  auto zookeeper = find_zookeeper(s.zookeeper_home, s.zookeeper_home_origin);
  if (!zookeeper.ok()) {
    log.error("{}", zookeeper.err().message);
    return exit_code::from(zookeeper.err().kind);
  }
  auto supported = check_supported(zookeeper.value().version);
  if (!supported.ok()) {
    log.error("{}", supported.err().message);
    return exit_code::from(supported.err().kind);
  }
  if (supported.value()) log.warn("{}", *supported.value());

  auto written = write_all(*p, write_scope::everything, log, code);
  if (!written) return code;
  for (const auto& f : *written) log.info("{} {}", f.path, f.outcome);
  p->ws.locks.clear();  // written and handed over: another run (zkagent config in the pod) may go on
  if (const auto stopped = stopped_early(signals, log)) return *stopped;

  // This member's own name must resolve before ZooKeeper binds it (--dns-wait; exit 68 if not).
  if (const int dns = wait_for_own_name(s, log); dns != exit_code::ok) return dns;
  if (const auto stopped = stopped_early(signals, log)) return *stopped;
  // ZooKeeper's user must be able to write its folders, or it would die with a stack trace (exit 73).
  if (const int writable = check_zookeeper_can_write(s, log); writable != exit_code::ok) return writable;

  // The health endpoint binds now, before privileges are dropped (a port below 1024), and serves
  // from its own thread while supervise() runs. --exec leaves no zkagent process to serve it.
  if (s.exec && s.health_port) log.warn("--health-port is ignored with --exec: no zkagent process is left to serve it");
  auto health = s.exec ? nullptr : open_health_endpoint(s, log, code);
  if (code != exit_code::ok) return code;

  if (::geteuid() == 0 && s.uid != 0) {
    if (auto dropped = drop_privileges(s.uid, s.gid); !dropped.ok()) {
      log.error("{}", dropped.err().message);
      return exit_code::from(dropped.err().kind);
    }
  }

  child_command cmd;
  cmd.program = java.value();
  cmd.argv.push_back(java.value());
  for (const auto& flag : s.jvm_flags) cmd.argv.push_back(flag);
  std::string classpath = s.conf_dir;
  for (const auto& jar : zookeeper.value().classpath) classpath += ":" + jar;
  cmd.argv.emplace_back("-cp");
  cmd.argv.push_back(classpath);
  cmd.argv.emplace_back("org.apache.zookeeper.server.quorum.QuorumPeerMain");
  cmd.argv.push_back(s.zoo_cfg_path());
  for (const auto& [k, v] : ctx.env) cmd.env.push_back(k + "=" + v);

  if (const auto stopped = stopped_early(signals, log)) return *stopped;  // the last moment before the JVM
  log.info("starting ZooKeeper {} ({}), {}; heap {}", zookeeper.value().version.text,
           describe(zookeeper.value().kind),
           s.servers.empty() ? std::string("standalone")
                             : "id " + std::to_string(s.myid.value_or(0)) + ", one of " +
                                   std::to_string(s.servers.size()) + " members",
           s.heap_reason);
  if (s.exec) return exec_replace(cmd, signals, log);
  if (health) health->start_thread();
  const int status = supervise(cmd, signals, log);
  if (health) health->stop();
  return status;
}

}  // namespace zkagent::cli
