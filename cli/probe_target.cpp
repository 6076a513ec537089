#include "cli/probe_target.hpp"

#include <spdlog/logger.h>

#include "cli/client_target.hpp"
#include "cli/env_files.hpp"
#include "common/guarded_fs.hpp"
#include "common/system_facts.hpp"
#include "entrypoint/dynamic_file_rule.hpp"
#include "entrypoint/dns_wait.hpp"
#include "entrypoint/kept_config.hpp"
#include "entrypoint/ownership.hpp"
#include "myid/myid_file.hpp"
#include "readiness/probe_client.hpp"

namespace zkagent::cli {
namespace {

using clock_type = std::chrono::steady_clock;

// Reads path under guarded_fs's rules; an unreadable file is an error naming it.
result<std::optional<std::string>> read_small(const std::string& path, std::size_t cap) {
  return files::read_file(path, cap);
}

// The numeric address of a configured name: /etc/hosts first (the static binary has no NSS), then
// c-ares, cut at the deadline. hosts_text null: /etc/hosts is read now (only a name needs it).
result<std::string> look_up(const std::string& name, clock_type::time_point deadline, const std::string* hosts_text) {
  const auto hosts = hosts_text ? *hosts_text : system::read_optional("/etc/hosts").value_or("");
  if (auto listed = hosts_file_address(hosts, name)) return *listed;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
  if (left.count() > 0) {
    const auto answer = entrypoint::lookup_once(name, std::nullopt, left, deadline, [] { return false; });
    if (answer.status == entrypoint::lookup_status::found && !answer.addresses.empty()) return answer.addresses.front();
    return error{error_kind::io, "the client address " + text::quote(name) + " does not resolve (" +
                                     (answer.detail.empty() ? std::string("no address") : answer.detail) + ")"};
  }
  return error{error_kind::io, "the client address " + text::quote(name) + " is not in /etc/hosts and no time is "
                                   "left to look it up (--timeout)"};
}

// zoo_cfg: the zoo.cfg's content when the caller has read it already.
result<probe_endpoint> find_target(const entrypoint::settings& settings, const probe_overrides& overrides,
                                   clock_type::time_point deadline, const std::string* hosts_text,
                                   std::optional<std::string> zoo_cfg) {
  target_sources in;
  in.host = overrides.host;
  in.port = overrides.port;
  in.settings_address = settings.client_port_address;
  in.settings_port = settings.client_port;
  in.zoo_cfg_path = settings.zoo_cfg_path();
  in.zoo_cfg = std::move(zoo_cfg);
  // Both given: nothing to read.
  if (!(overrides.host && overrides.port) && !in.zoo_cfg) {
    auto cfg = read_small(in.zoo_cfg_path, files::max_config_bytes);
    if (!cfg.ok()) return cfg.err();
    in.zoo_cfg = std::move(cfg).value();
  }
  if (in.zoo_cfg) {
    // The folders ZooKeeper reads: a kept zoo.cfg names its own, as in `start`.
    entrypoint::settings s = settings;
    if (s.keep_config) (void)entrypoint::adopt_kept_folders(s, *in.zoo_cfg);
    if (const auto pointer = entrypoint::dynamic_pointer(*in.zoo_cfg)) {
      const auto place = entrypoint::dynamic_file_place(s.conf_dir, s.data_dir, *pointer);
      if (!place.ok()) return place.err();
      auto dynamic = read_small(*pointer, files::max_config_bytes);
      if (!dynamic.ok()) return dynamic.err();
      in.dynamic_cfg = std::move(dynamic).value();
      in.dynamic_path = *pointer;
    }
    if (needs_myid(in)) {
      auto id = read_small(myid::path_in(s.data_dir), files::max_myid_bytes);
      if (!id.ok()) return id.err();
      in.myid = std::move(id).value();
    }
  }
  auto target = effective_target(in);
  if (!target.ok()) return target.err();
  const auto& t = target.value();
  std::string numeric = t.host;
  if (t.is_name) {
    auto found = look_up(t.host, deadline, hosts_text);
    if (!found.ok()) return found.err();
    numeric = found.value();
  }
  const auto address = readiness::numeric_address(numeric);
  if (!address) return error{error_kind::config, "the client address " + text::quote(numeric) + " is not an address"};
  probe_endpoint out;
  out.where = {*address, t.port};
  const auto shown = address->is_v6() ? "[" + numeric + "]" : numeric;
  out.text = (t.is_name ? t.host + " (" + shown + ")" : shown) + ":" + std::to_string(t.port);
  out.origin = t.origin;
  return out;
}

}  // namespace

result<probe_endpoint> find_probe_target(const entrypoint::settings& settings, const probe_overrides& overrides,
                                         clock_type::time_point deadline, const std::string& hosts_text) {
  return find_target(settings, overrides, deadline, &hosts_text, std::nullopt);
}

result<probe_endpoint> find_probe_target(const command_context& ctx, const probe_overrides& overrides,
                                         clock_type::time_point deadline) {
  if (overrides.host && overrides.port) return find_probe_target(entrypoint::settings{}, overrides, deadline, "");
  entrypoint::inputs in;
  diagnostics ignored;
  auto env = resolve_file_variables(ctx.env, ignored);
  in.env = std::move(env.env);
  // The usual case, on every kubelet probe: `start` wrote a zoo.cfg, and finding it takes only the
  // folders. The host name, /etc/hosts and the rest of the settings are read only without one.
  const auto folders = entrypoint::resolve(in, entrypoint::resolve_scope::probe_folders);
  if (folders.diag.ok()) {
    auto cfg = read_small(folders.value.zoo_cfg_path(), files::max_config_bytes);
    if (cfg.ok() && cfg.value()) return find_target(folders.value, overrides, deadline, nullptr, std::move(*cfg.value()));
  }
  in.host.hosts_file = system::read_optional("/etc/hosts").value_or("");
  if (auto name = system::short_hostname(); name.ok()) in.host.hostname = name.value();
  const auto resolved = entrypoint::resolve(in);
  if (!resolved.diag.ok()) {
    if (!overrides.port) {
      ctx.log->warn("the environment's configuration does not resolve ({}): the client port is unknown, "
                    "probing 2181 (--port gives it)",
                    resolved.diag.errors.front().message);
    }
    probe_overrides fallback{overrides.host.value_or("127.0.0.1"), overrides.port.value_or(2181)};
    return find_probe_target(entrypoint::settings{}, fallback, deadline, in.host.hosts_file);
  }
  return find_probe_target(resolved.value, overrides, deadline, in.host.hosts_file);
}

}  // namespace zkagent::cli
