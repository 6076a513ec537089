#include "entrypoint/settings.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "common/duration.hpp"
#include "entrypoint/dns_target.hpp"
#include "entrypoint/dynamic_file_rule.hpp"
#include "entrypoint/host_names.hpp"
#include "entrypoint/identity.hpp"
#include "entrypoint/java_env.hpp"
#include "entrypoint/jvm_settings.hpp"
#include "entrypoint/zookeeper_keys.hpp"
#include "myid/ordinal.hpp"

namespace zkagent::entrypoint {
namespace {

// A raw value with where it came from.
struct raw_value {
  std::string value;
  origin from;
};

// key=value pairs from ZOO_CFG_EXTRA, --cfg-extra or a template, with where each came from.
struct cfg_layer {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string source;  // "ZOO_CFG_EXTRA", "--cfg-extra", "template /x/zoo.cfg"
  std::vector<std::pair<std::string, std::string>> server_lines;

  [[nodiscard]] const std::string* find(std::string_view key) const {
    const std::string* found = nullptr;
    for (const auto& [k, v] : pairs) {
      if (k == key) found = &v;
    }
    return found;
  }
};

constexpr std::array<std::string_view, 18> four_letter_words{"conf", "cons", "crst", "dirs", "dump", "envi",
                                                              "gtmk", "hash", "isro", "mntr", "ruok", "srst",
                                                              "srvr", "stat", "stmk", "wchc", "wchp", "wchs"};

// Keys zkagent derives itself; a user value for them would contradict the server list.
constexpr std::array<std::string_view, 1> derived_keys{"peerType"};

bool looks_like_service_link(std::string_view value) {
  return value.starts_with("tcp://") || value.starts_with("udp://") || value.starts_with("sctp://");
}

std::string show(const std::string& value, const origin& from, const std::set<std::string>& secrets) {
  // "ZOO_CFG_EXTRA tickTime" is a key inside the variable ZOO_CFG_EXTRA: secret when the variable is.
  const auto variable = from.name.substr(0, from.name.find(' '));
  if (secrets.contains(variable)) return "(value from " + variable + "_FILE)";
  return text::quote(value);
}

class resolver {
 public:
  explicit resolver(const inputs& in) : in_(in) {}

  resolution run(resolve_scope scope) {
    check_control_characters();
    // A value with a control byte is refused before anything else can echo it into another message.
    if (!diag_.ok()) return {std::move(out_), std::move(diag_)};
    load_layers();
    if (scope == resolve_scope::probe_folders) {
      resolve_folders();
      out_.keep_config = boolean("keep-config");
      return {std::move(out_), std::move(diag_)};
    }
    resolve_scalars();
    resolve_optional_keys();
    resolve_servers();
    resolve_identity();
    resolve_jvm();
    resolve_health();
    resolve_dns();
    check_ports();
    check_whitelist();
    check_dynamic_file();
    check_modes();
    check_partly_honoured();
    for (auto& warning : unknown_variable_warnings(in_.env)) diag_.warn(std::move(warning));
    if (out_.strict) {
      // --strict: a warning stops the start like an error, before anything is written.
      for (auto& warning : diag_.warnings) {
        diag_.fail(error_kind::config, std::move(warning) + " (an error with --strict, ZKAGENT_STRICT)");
      }
      diag_.warnings.clear();
    }
    return {std::move(out_), std::move(diag_)};
  }

 private:
  // ---- inputs ---------------------------------------------------------------------------
  std::optional<raw_value> flag(std::string_view name) const {
    std::optional<raw_value> found;
    for (const auto& [k, v] : in_.flags) {
      if (k == name) found = raw_value{v, {"--" + k, false}};
    }
    return found;
  }

  // One variable's value, or none: unset, or a Kubernetes service link in a port variable.
  std::optional<raw_value> env_value(const setting_spec& spec, std::string_view name) {
    if (name.empty()) return std::nullopt;
    const auto it = in_.env.find(std::string(name));
    if (it == in_.env.end()) return std::nullopt;
    if (spec.type == value_type::port && looks_like_service_link(it->second)) {
      // A Service named e.g. "zoo-client" makes Kubernetes set ZOO_CLIENT_PORT=tcp://ip:port.
      diag_.warn(it->first + "=" + text::quote(it->second) +
                 " looks like a Kubernetes service link, not a setting; ignored (set enableServiceLinks: false "
                 "to stop Kubernetes from adding it)");
      return std::nullopt;
    }
    return raw_value{it->second, {std::string(name), false}};
  }

  // Two spellings of one value agree: the same text, or for a yes/no setting the same answer.
  static bool same_meaning(const setting_spec& spec, const std::string& a, const std::string& b) {
    if (a == b) return true;
    if (spec.type != value_type::boolean && spec.type != value_type::toggle) return false;
    const auto x = text::parse_bool(a), y = text::parse_bool(b);
    return x && y && *x == *y;
  }

  std::optional<raw_value> env(const setting_spec& spec) {
    const auto primary = env_value(spec, spec.env);
    const auto alias = env_value(spec, spec.env_alias);
    if (primary && alias && primary->value != alias->value) {
      diag_.warn(std::string(spec.env) + " and " + std::string(spec.env_alias) + " disagree; " + std::string(spec.env) +
                 " wins");
    }
    const auto own = primary ? primary : alias;
    // Bitnami's name for the same setting: a second answer that differs is a contradiction, not an order.
    const auto bitnami = env_value(spec, bitnami_name(spec));
    if (own && bitnami && !same_meaning(spec, own->value, bitnami->value)) {
      const auto message = own->from.name + "=" + show(own->value, own->from, in_.secret_env) + " and " +
                           bitnami->from.name + "=" + show(bitnami->value, bitnami->from, in_.secret_env) +
                           " (Bitnami's name for the same setting) disagree: set one of them";
      if (std::find_if(diag_.errors.begin(), diag_.errors.end(), [&](const error& e) { return e.message == message; }) ==
          diag_.errors.end()) {
        diag_.fail(error_kind::config, message);
      }
    }
    return own ? own : bitnami;
  }

  // The value of a setting by precedence: flag, --cfg-extra key, env, ZOO_CFG_EXTRA key, template key.
  std::optional<raw_value> lookup(const setting_spec& spec) {
    auto from_flag = flag(spec.name);
    auto from_env = env(spec);
    std::optional<raw_value> from_flag_extra, from_env_extra, from_template;
    if (!spec.cfg_key.empty()) {
      if (const auto* v = flag_extra_.find(spec.cfg_key)) from_flag_extra = raw_value{*v, {"--cfg-extra " + std::string(spec.cfg_key), false}};
      if (const auto* v = env_extra_.find(spec.cfg_key)) from_env_extra = raw_value{*v, {"ZOO_CFG_EXTRA " + std::string(spec.cfg_key), false}};
      if (const auto* v = template_.find(spec.cfg_key)) from_template = raw_value{*v, {template_.source + " " + std::string(spec.cfg_key), false}};
    }
    const auto shadow = [&](const std::optional<raw_value>& winner, const std::optional<raw_value>& loser) {
      if (winner && loser && winner->value != loser->value) {
        diag_.warn(loser->from.name + "=" + show(loser->value, loser->from, in_.secret_env) + " is overridden by " +
                   winner->from.name);
      }
    };
    shadow(from_flag, from_flag_extra);
    shadow(from_env, from_env_extra);
    for (const auto* candidate : {&from_flag, &from_flag_extra, &from_env, &from_env_extra, &from_template}) {
      if (*candidate) return *candidate;
    }
    return std::nullopt;
  }

  raw_value value_of(std::string_view name) {
    const auto* spec = find_setting(name);
    if (auto found = lookup(*spec)) return *found;
    return raw_value{std::string(default_for(*spec, in_.invoked_as)), {"default", true}};
  }

  // "X='v': <problem>; expected <expected>"
  void bad_because(const raw_value& raw, std::string_view problem, std::string_view expected) {
    diag_.fail(error_kind::config, raw.from.name + "=" + show(raw.value, raw.from, in_.secret_env) + ": " +
                                       std::string(problem) + "; expected " + std::string(expected));
  }

  void check_host_name(const raw_value& raw) {
    if (const auto problem = host_name_problem(raw.value)) bad_because(raw, *problem, host_name_rule);
  }

  // An address ZooKeeper binds: "" (all addresses) or an address or a host name.
  void check_address(const raw_value& raw) {
    if (raw.value.empty()) return;
    if (const auto problem = address_problem(raw.value, ipv6_form::bare_or_bracketed)) {
      bad_because(raw, *problem, address_rule(ipv6_form::bare_or_bracketed));
    }
  }

  void bad(const raw_value& raw, std::string_view expected) {
    diag_.fail(error_kind::config, raw.from.name + "=" + show(raw.value, raw.from, in_.secret_env) + ": expected " +
                                       std::string(expected));
  }

  // ---- typed accessors ------------------------------------------------------------------
  std::uint32_t number(std::string_view name) {
    const auto* spec = find_setting(name);
    const auto raw = value_of(name);
    const auto parsed = text::parse_uint(raw.value, spec->min, spec->max);
    if (!parsed) {
      bad(raw, "a whole number from " + std::to_string(spec->min) + " to " + std::to_string(spec->max));
      return static_cast<std::uint32_t>(spec->min);
    }
    return static_cast<std::uint32_t>(*parsed);
  }

  std::optional<std::uint32_t> optional_number(std::string_view name, origin* from = nullptr) {
    const auto* spec = find_setting(name);
    const auto raw = lookup(*spec);
    if (!raw) return std::nullopt;
    if (from) *from = raw->from;
    const auto parsed = text::parse_uint(raw->value, spec->min, spec->max);
    if (!parsed) {
      bad(*raw, "a whole number from " + std::to_string(spec->min) + " to " + std::to_string(spec->max));
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(*parsed);
  }

  std::uint16_t port(std::string_view name, origin* from = nullptr) {
    const auto raw = value_of(name);
    if (from) *from = raw.from;
    const auto parsed = text::parse_uint(raw.value, 1, 65535);
    if (!parsed) {
      bad(raw, "a port number from 1 to 65535");
      return 1;
    }
    return static_cast<std::uint16_t>(*parsed);
  }

  bool boolean(std::string_view name) {
    const auto raw = value_of(name);
    const auto parsed = text::parse_bool(raw.value);
    if (!parsed) {
      bad(raw, "true or false");
      return false;
    }
    return *parsed;
  }

  std::string path(std::string_view name) {
    const auto raw = value_of(name);
    out_.folder_origins[std::string(name)] = raw.from.name;
    if (raw.value.empty() || raw.value.front() != '/') {
      bad(raw, "an absolute path");
      return raw.value;
    }
    std::string value = raw.value;
    while (value.size() > 1 && value.back() == '/') value.pop_back();
    return value;
  }

  std::optional<std::string> optional_path(std::string_view name, origin* from = nullptr) {
    const auto raw = lookup(*find_setting(name));
    if (!raw || raw->value.empty()) return std::nullopt;
    if (from) *from = raw->from;
    if (raw->value.front() != '/') {
      bad(*raw, "an absolute path");
      return std::nullopt;
    }
    return raw->value;
  }

  std::string level(std::string_view name, bool upper) {
    const auto raw = value_of(name);
    const auto normal = text::to_upper(raw.value);
    static constexpr std::array<std::string_view, 8> levels{"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF", "CRITICAL"};
    if (std::find(levels.begin(), levels.end(), normal) == levels.end()) {
      bad(raw, "one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
      return upper ? "INFO" : "info";
    }
    return upper ? normal : text::to_lower(normal);
  }

  // ---- steps ----------------------------------------------------------------------------
  // Lists are split on whitespace, newlines included (the official image's loop splits ZOO_CFG_EXTRA
  // the same way, and YAML block scalars give one entry per line): in ZOO_SERVERS and SERVERS only
  // other control bytes are refused here; ZOO_CFG_EXTRA and --cfg-extra are checked entry by entry
  // in parse_extra, for a message that names the key. Every other value is one line.
  static bool has_control_char(std::string_view setting, std::string_view value) {
    if (setting == "cfg-extra") return false;
    if (setting == "server-list" || setting == "server-hosts") {
      return std::any_of(value.begin(), value.end(), [](char c) {
        return c != '\t' && c != '\r' && c != '\n' && text::find_control_char(std::string_view(&c, 1));
      });
    }
    return text::find_control_char(value).has_value();
  }

  void check_control_characters() {
    for (const auto& [name, value] : in_.flags) {
      if (has_control_char(name, value)) {
        diag_.fail(error_kind::config, "--" + name + "=" + text::quote(value) +
                                           ": contains a control character (newline, tab, ...), which would inject "
                                           "configuration lines");
      }
    }
    // By the environment's variables (a few), not the table's names (hundreds): every probe runs this.
    for (const auto& [var, value] : in_.env) {
      const auto* spec = find_setting_by_env(var);
      if (spec == nullptr || !has_control_char(spec->name, value)) continue;
      const std::string shown = in_.secret_env.contains(var) ? "(value from " + var + "_FILE)" : text::quote(value);
      diag_.fail(error_kind::config, var + "=" + shown +
                                         ": contains a control character (newline, tab, ...), which would "
                                         "inject configuration lines");
    }
  }

  void parse_extra(std::string_view text_value, cfg_layer& layer) {
    for (const auto& token : text::split(text_value, " \t\r\n", true)) {
      const auto eq = token.find('=');
      if (eq == std::string::npos || eq == 0) {
        diag_.fail(error_kind::config, layer.source + " entry " + show(token, origin{layer.source, false}, in_.secret_env) +
                                           ": expected key=value");
        continue;
      }
      if (text::find_control_char(token.substr(0, eq))) {
        diag_.fail(error_kind::config, layer.source + " key " + text::quote(token.substr(0, eq)) +
                                           ": contains a control character");
        continue;
      }
      // Here, before any key is taken: a key zkagent maps to its own setting (dataDir, tickTime) is
      // read from these pairs too, not only the ones passed through.
      if (text::find_control_char(token.substr(eq + 1))) {
        diag_.fail(error_kind::config, layer.source + " " + token.substr(0, eq) + "=" +
                                           show(token.substr(eq + 1), origin{layer.source, false}, in_.secret_env) +
                                           ": contains a control character");
        continue;
      }
      layer.pairs.emplace_back(token.substr(0, eq), token.substr(eq + 1));
    }
  }

  void parse_template(std::string_view text_value) {
    int line_number = 0;
    for (const auto& raw : text::split(text_value, "\n", false)) {
      ++line_number;
      const auto line = text::trim(raw);
      if (line.empty() || line.front() == '#' || line.front() == '!') continue;
      const auto sep = line.find_first_of("=:");
      if (sep == std::string_view::npos) {
        diag_.fail(error_kind::config, template_.source + " line " + std::to_string(line_number) + " " +
                                           text::quote(line) + ": expected key=value");
        continue;
      }
      std::string key(text::trim(line.substr(0, sep)));
      std::string value(text::trim(line.substr(sep + 1)));
      if (text::find_control_char(key)) {
        diag_.fail(error_kind::config, template_.source + " line " + std::to_string(line_number) + " key " +
                                           text::quote(key) + ": contains a control character");
        continue;
      }
      if (text::find_control_char(value)) {
        diag_.fail(error_kind::config, template_.source + " line " + std::to_string(line_number) + " " + key + "=" +
                                           text::quote(value) + ": contains a control character");
        continue;
      }
      if (key.starts_with("server.")) template_.server_lines.emplace_back(std::move(key), std::move(value));
      else template_.pairs.emplace_back(std::move(key), std::move(value));
    }
  }

  void load_layers() {
    template_.source = "template";
    if (auto t = flag("config-template")) template_.source = "template " + text::printable(t->value);
    else if (auto e = env(*find_setting("config-template"))) template_.source = "template " + text::printable(e->value);
    if (in_.template_text) parse_template(*in_.template_text);

    env_extra_.source = "ZOO_CFG_EXTRA";
    if (const auto it = in_.env.find("ZOO_CFG_EXTRA"); it != in_.env.end()) parse_extra(it->second, env_extra_);
    flag_extra_.source = "--cfg-extra";
    for (const auto& [k, v] : in_.flags) {
      if (k == "cfg-extra") parse_extra(v, flag_extra_);
    }

    // Keys that are not first-class settings pass through, the higher layer winning.
    std::map<std::string, std::pair<std::string, std::string>> passthrough;  // key -> value, source
    for (const auto* layer : {&template_, &env_extra_, &flag_extra_}) {
      for (const auto& [key, value] : layer->pairs) {
        if (find_setting_by_cfg_key(key)) continue;
        if (key.starts_with("server.")) {
          diag_.fail(error_kind::config, layer->source + " sets " + key +
                                             ": list members with ZOO_SERVERS or --server-list instead");
          continue;
        }
        if (std::find(derived_keys.begin(), derived_keys.end(), key) != derived_keys.end()) {
          diag_.warn(layer->source + " sets " + key + ", which zkagent derives from the server list; ignored");
          continue;
        }
        if (!is_known_zookeeper_key(key)) {
          std::string message = layer->source + " sets " + key + ", which ZooKeeper does not know (it would be "
                                "ignored silently)";
          if (auto near = suggest_zookeeper_key(key)) message += "; did you mean " + *near + "?";
          diag_.warn(std::move(message));
        }
        passthrough[key] = {value, layer->source};
        extra_sources_[key] = layer->source;
      }
    }
    for (auto& [key, entry] : passthrough) out_.extra_cfg.emplace_back(key, entry.first);
  }

  void resolve_folders() {
    out_.invoked_as = in_.invoked_as;
    out_.conf_dir = path("conf-dir");
    out_.data_dir = path("data-dir");
    out_.data_log_dir = path("data-log-dir");
    out_.log_dir = path("log-dir");
  }

  void resolve_scalars() {
    resolve_folders();
    out_.client_port = port("client-port", &client_port_origin_);
    const auto address = value_of("client-port-address");
    check_address(address);
    out_.client_port_address = address.value;
    client_address_origin_ = address.from;
    out_.server_port = port("server-port");
    out_.election_port = port("election-port");
    out_.admin_enabled = boolean("admin-server-enabled");
    out_.admin_port = port("admin-server-port");
    const auto admin_address = value_of("admin-server-address");
    check_address(admin_address);
    out_.admin_address = admin_address.value;
    out_.quorum_listen_on_all_ips = boolean("quorum-listen-on-all-ips");
    out_.four_letter_whitelist = value_of("4lw-commands-whitelist").value;
    out_.max_client_cnxns = number("max-client-cnxns");
    out_.tick_time = number("tick-time");
    out_.init_limit = number("init-limit");
    out_.sync_limit = number("sync-limit");
    origin min_origin, max_origin;
    const auto min_timeout = optional_number("min-session-timeout", &min_origin);
    const auto max_timeout = optional_number("max-session-timeout", &max_origin);
    out_.min_session_timeout = min_timeout.value_or(2 * out_.tick_time);
    out_.max_session_timeout = max_timeout.value_or(20 * out_.tick_time);
    if (out_.min_session_timeout > out_.max_session_timeout) {
      diag_.fail(error_kind::config,
                 "min session timeout " + std::to_string(out_.min_session_timeout) + " (" +
                     (min_timeout ? min_origin.name : std::string("2 x tick-time")) + ") is above max session timeout " +
                     std::to_string(out_.max_session_timeout) + " (" +
                     (max_timeout ? max_origin.name : std::string("20 x tick-time")) + "): expected min <= max");
    }
    out_.snap_retain_count = number("snap-retain-count");
    out_.purge_interval = number("purge-interval");
    out_.standalone_enabled = boolean("standalone-enabled");
    out_.force_myid = boolean("force-myid");
    myid_offset_ = number("myid-offset");
    out_.log_level = level("log-level", true);
    out_.agent_log_level = level("agent-log-level", false);
    // A path, or a bare name the launcher looks up on PATH.
    if (auto raw = lookup(*find_setting("java")); raw && !raw->value.empty()) out_.java = raw->value;
    origin home_origin;
    out_.zookeeper_home = optional_path("zookeeper-home", &home_origin);
    out_.zookeeper_home_origin = home_origin.name;
    out_.exec = boolean("exec");
    out_.uid = number("uid");
    out_.gid = number("gid");
    out_.config_template = optional_path("config-template");
    out_.overwrite_config = boolean("overwrite-config");
    out_.keep_config = boolean("keep-config");
    out_.strict = boolean("strict");

    const auto host_override = value_of("hostname");
    out_.hostname = host_override.from.is_default ? in_.host.hostname : host_override.value;
    // A host name given as an FQDN (VMs, hostNetwork pods): its first label is the short name and
    // the rest its domain, unless --domain says otherwise.
    std::string fqdn_domain;
    if (const auto dot = out_.hostname.find('.'); dot != std::string::npos && dot > 0) {
      fqdn_domain = out_.hostname.substr(dot + 1);
      out_.hostname.resize(dot);
    }
    const auto domain_override = value_of("domain");
    out_.domain = !domain_override.from.is_default ? domain_override.value
                  : !fqdn_domain.empty()           ? fqdn_domain
                                                   : domain_from_hosts(in_.host.hosts_file, out_.hostname);
    // The system's own names are facts; given ones must be names DNS and ZooKeeper can use.
    if (!host_override.from.is_default) check_host_name(host_override);
    if (!domain_override.from.is_default && !domain_override.value.empty()) check_host_name(domain_override);
  }

  void resolve_servers() {
    // Each level may name the members one way; two ways at the same level is ambiguous.
    struct candidate {
      std::string name;
      std::string value;
      std::string kind;
    };
    const auto gather = [&](bool flags_level) {
      std::vector<candidate> found;
      for (const auto name : {"servers", "server-list", "server-hosts"}) {
        const auto* spec = find_setting(name);
        if (flags_level) {
          if (auto f = flag(name)) found.push_back({f->from.name, f->value, name});
        } else if (auto e = env(*spec)) {
          found.push_back({e->from.name, e->value, name});
        }
      }
      return found;
    };
    auto chosen = gather(true);
    if (chosen.empty()) chosen = gather(false);
    if (chosen.size() > 1) {
      diag_.fail(error_kind::config, "the members are given twice, by " + chosen[0].name + " and " + chosen[1].name +
                                         ": use one of them");
      return;
    }
    origin observers_origin;
    const auto observers = optional_number("observers", &observers_origin).value_or(0);
    if (chosen.empty()) {
      if (observers > 0) diag_.fail(error_kind::config, observers_origin.name + " needs --servers (ZOO_SERVER_COUNT)");
      if (!template_.server_lines.empty()) {
        for (const auto& [key, value] : template_.server_lines) {
          if (auto entry = parse_server_line(key, value, template_.source, diag_)) out_.servers.push_back(*entry);
        }
        out_.servers_origin = template_.source;
      }
    } else {
      const auto& c = chosen.front();
      out_.servers_origin = c.name;
      if (c.kind == "servers") {
        const auto* spec = find_setting("servers");
        const auto count = text::parse_uint(c.value, spec->min, spec->max);
        if (!count) {
          bad(raw_value{c.value, {c.name, false}}, "a whole number from 1 to 255");
          return;
        }
        generate(static_cast<std::uint32_t>(*count), observers, c.name);
      } else {
        if (observers > 0) diag_.fail(error_kind::config, observers_origin.name + " works only with --servers; mark observers with :observer in " + c.name);
        diagnostics parsed;
        if (c.kind == "server-list") out_.servers = parse_server_list(c.value, c.name, parsed);
        else out_.servers = servers_from_hosts(c.value, c.name, out_.server_port, out_.election_port, parsed);
        if (in_.secret_env.contains(c.name) && !parsed.errors.empty()) {
          // The parser's messages quote the entries; a value from <VAR>_FILE is never shown.
          const auto kind = parsed.errors.front().kind;
          const auto problems = parsed.errors.size();
          parsed.errors = {{kind, c.name + "=(value from " + c.name + "_FILE): not a valid member list (" +
                                      std::to_string(problems) + (problems == 1 ? " problem" : " problems") +
                                      ", not shown: they would quote the file); expected " +
                                      (c.kind == "server-list"
                                           ? "server.N=host:quorumPort:electionPort[;clientPort] entries, ids 1 to 255, "
                                             "ports 1 to 65535, quorum and election ports different"
                                           : "host names separated by commas")}};
        }
        diag_.merge(std::move(parsed));
      }
    }
    check_server_list(out_.servers, out_.servers_origin, diag_);
    std::sort(out_.servers.begin(), out_.servers.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    const auto voters = std::count_if(out_.servers.begin(), out_.servers.end(), [](const auto& e) { return !e.observer; });
    if (voters > 1 && voters % 2 == 0) {
      diag_.warn(out_.servers_origin + " gives " + std::to_string(voters) +
                 " voting members: an even ensemble tolerates no more failures than one member fewer");
    }
  }

  void generate(std::uint32_t voters, std::uint32_t observers, const std::string& source) {
    const auto parsed = myid::parse_ordinal(out_.hostname);
    if (!parsed) {
      diag_.fail(error_kind::identity, source + " generates member names from a StatefulSet host name "
                                                "(<name>-<ordinal>), but the host name " + text::quote(out_.hostname) +
                                                " has none: set --hostname, or list the members with ZOO_SERVERS");
      return;
    }
    if (parsed->zero_padded) {
      diag_.fail(error_kind::identity, source + " generates member names from a StatefulSet host name, but " +
                                           text::quote(out_.hostname) + " ends in a zero-padded number, which a "
                                           "StatefulSet never gives (its pods are " + parsed->base + "-0, " +
                                           parsed->base + "-1, ...): list the members with ZOO_SERVERS instead");
      return;
    }
    if (voters + observers > 255) {
      diag_.fail(error_kind::config, source + " with " + std::to_string(observers) + " observers gives more than 255 members");
      return;
    }
    if (myid_offset_ == 0) {
      diag_.fail(error_kind::config, source + " numbers pods from " + parsed->base + "-0, so myid offset 0 would give "
                                              "it id 0; ids start at 1 (the default offset)");
      return;
    }
    statefulset_shape shape;
    shape.base = parsed->base;
    shape.domain = out_.domain;
    shape.voters = voters;
    shape.observers = observers;
    shape.offset = myid_offset_;
    shape.quorum_port = out_.server_port;
    shape.election_port = out_.election_port;
    shape.client_port = out_.client_port;
    if (shape.offset + voters + observers - 1 > 255) {
      diag_.fail(error_kind::config, "myid offset " + std::to_string(shape.offset) + " with " +
                                         std::to_string(voters + observers) + " members gives ids above 255");
      return;
    }
    out_.servers = generate_statefulset(shape);
    for (const auto& entry : out_.servers) {
      if (const auto problem = host_name_problem(entry.host)) {
        diag_.fail(error_kind::config, source + " generates the member name " + text::quote(entry.host) +
                                           " from the host name " + text::quote(out_.hostname) + " and the domain " +
                                           text::quote(out_.domain) + ", which is not a host name: " + *problem +
                                           "; set --hostname or --domain (ZKAGENT_DOMAIN) so that each member name is " + std::string(host_name_rule));
        break;
      }
    }
  }

  void resolve_identity() {
    origin id_origin;
    const auto explicit_id = optional_number("myid", &id_origin);
    if (explicit_id) {
      out_.myid = explicit_id;
      out_.myid_origin = id_origin.name;
    } else if (!out_.servers.empty()) {
      const auto parsed = myid::parse_ordinal(out_.hostname);
      if (!parsed || parsed->zero_padded) {
        identify_by_member_list(parsed.has_value());
        return;
      }
      const auto offset = myid_offset_;
      const auto id = parsed->ordinal + offset;
      if (id < myid::min_id || id > myid::max_id) {
        diag_.fail(error_kind::identity, "host name " + text::quote(out_.hostname) + " (ordinal " +
                                             std::to_string(parsed->ordinal) + ") with myid offset " +
                                             std::to_string(offset) + " gives id " + std::to_string(id) +
                                             ": expected 1 to 255");
        return;
      }
      out_.myid = id;
      out_.myid_origin = "host name " + text::printable(out_.hostname) + " (ordinal " + std::to_string(parsed->ordinal) + " + offset " +
                         std::to_string(offset) + ")";
    }
    if (!explicit_id && out_.servers.empty()) {
      // No member list: the id is not needed to run, but `zkagent myid` writes it from the ordinal.
      const auto parsed = myid::parse_ordinal(out_.hostname);
      if (parsed && parsed->zero_padded) {
        diag_.warn("the host name " + text::quote(out_.hostname) + " ends in a zero-padded number, which a "
                   "StatefulSet never gives: it is not read as an ordinal, so this host has no id of its own");
      } else if (parsed) {
        const auto id = parsed->ordinal + myid_offset_;
        if (id >= myid::min_id && id <= myid::max_id) {
          out_.ordinal_id = id;
          out_.ordinal_id_origin = "host name " + text::printable(out_.hostname) + " (ordinal " + std::to_string(parsed->ordinal) +
                                   " + offset " + std::to_string(id - parsed->ordinal) + ")";
        }
      }
    }
    if (out_.servers.empty() || !out_.myid) return;

    const auto own = std::find_if(out_.servers.begin(), out_.servers.end(),
                                  [&](const auto& e) { return e.id == *out_.myid; });
    if (own == out_.servers.end()) {
      std::string ids;
      for (const auto& e : out_.servers) ids += (ids.empty() ? "" : ", ") + std::to_string(e.id);
      diag_.fail(error_kind::identity, "this member's id " + std::to_string(*out_.myid) + " (from " + out_.myid_origin +
                                           ") is not in the server list (ids " + ids + " from " + out_.servers_origin +
                                           ")");
      return;
    }
    if (!names_this_host(own->host, out_.hostname, out_.domain, in_.host.addresses)) {
      // Another entry names this host: the id is wrong (every member given the same ZOO_MY_ID, or
      // an offset that does not match the list), and ZooKeeper would join as someone else.
      for (const auto& e : out_.servers) {
        if (e.id == own->id || !names_this_host_by_name(e.host, out_.hostname, out_.domain)) continue;
        diag_.fail(error_kind::identity,
                   "server." + std::to_string(e.id) + " in " + out_.servers_origin + " names this host (" +
                       e.host + "), but this member's id is " + std::to_string(own->id) + " (from " +
                       out_.myid_origin + "), whose entry names " + own->host +
                       ": give this member the id its entry has (ZOO_MY_ID), or fix the list" + offset_hint(e.id));
        return;
      }
    }
    out_.observer = own->observer;
    if (own->client_port) {
      if (client_port_origin_.is_default) out_.client_port = *own->client_port;
      else if (*own->client_port != out_.client_port) {
        diag_.fail(error_kind::config, client_port_origin_.name + "=" + std::to_string(out_.client_port) +
                                           " disagrees with this member's entry server." + std::to_string(own->id) +
                                           " in " + out_.servers_origin + ", which gives client port " +
                                           std::to_string(*own->client_port));
      }
    }
    if (!own->client_address.empty() && client_address_origin_.is_default) {
      out_.client_port_address = own->client_address;
    } else if (own->client_address.empty() && own->client_port && !out_.client_port_address.empty()) {
      // ZooKeeper binds the address in this member's server line (";2181" = all addresses) and
      // refuses to start when clientPortAddress differs from it: carry the address into the line.
      own->client_address = out_.client_port_address;
    }
    if (!names_this_host(own->host, out_.hostname, out_.domain, in_.host.addresses) && !out_.quorum_listen_on_all_ips) {
      diag_.warn("server." + std::to_string(own->id) + " (this member, id from " + out_.myid_origin + ") names host " +
                 own->host + ", but this host is " + text::quote(out_.hostname) +
                 (out_.domain.empty() ? std::string() : " in " + text::printable(out_.domain)) +
                 ". If every member was given the same id, give each its own (ZOO_MY_ID); if " + own->host +
                 " is a Service name that routes here, set --quorum-listen-on-all-ips");
    }
  }

  // When the id came from the ordinal: the offset that would give this host the id its entry has
  // (compose services zoo-1, zoo-2, ... numbered from 1 need --myid-offset=0).
  std::string offset_hint(std::uint32_t wanted) const {
    if (!out_.myid_origin.starts_with("host name ")) return "";
    const auto parsed = myid::parse_ordinal(out_.hostname);
    if (!parsed || wanted < parsed->ordinal) return "";
    return "; if the ordinals are numbered so, --myid-offset=" + std::to_string(wanted - parsed->ordinal) +
           " (ZOO_MY_ID_OFFSET) gives it " + std::to_string(wanted);
  }

  // A member list with no id for this host by its ordinal: a host name without one (zoo1 in a
  // compose file) or a zero-padded one (zk-01, never a StatefulSet's): the entry naming this host
  // gives the id, and without exactly one such entry there is none.
  void identify_by_member_list(bool zero_padded) {
    std::vector<const server_entry*> named;
    for (const auto& e : out_.servers) {
      if (names_this_host_by_name(e.host, out_.hostname, out_.domain)) named.push_back(&e);
    }
    const std::string padded_note =
        zero_padded ? " ends in a zero-padded number, which a StatefulSet never gives, so it is not read as an ordinal"
                    : " has no ordinal (<name>-<n>)";
    if (named.size() == 1) {
      out_.myid = named.front()->id;
      out_.myid_origin = "server." + std::to_string(named.front()->id) + " in " + out_.servers_origin +
                         ", which names this host " + text::printable(out_.hostname) + " (the host name" +
                         padded_note + ")";
      return;
    }
    if (named.size() > 1) {
      std::string ids;
      for (const auto* e : named) ids += (ids.empty() ? "server." : " and server.") + std::to_string(e->id);
      diag_.fail(error_kind::identity, "this member's id is ambiguous: " + ids + " in " + out_.servers_origin +
                                           " all name this host " + text::quote(out_.hostname) +
                                           ": set --myid (ZOO_MY_ID)");
      return;
    }
    diag_.fail(error_kind::identity,
               "this member is one of " + std::to_string(out_.servers.size()) + " (" + out_.servers_origin +
                   ") but has no id: the host name " + text::quote(out_.hostname) + padded_note + ", no member in " +
                   out_.servers_origin + " names it, and neither --myid, ZOO_MY_ID nor MYID is set");
  }

  void resolve_jvm() {
    java_env parsed_env;
    const auto java_env_path = out_.conf_dir + "/java.env";
    if (in_.java_env_text) {
      parsed_env = parse_java_env(*in_.java_env_text, java_env_path);
      for (auto& w : parsed_env.warnings) diag_.warn(std::move(w));
    }
    static const std::string heap_expected = "a JVM memory size such as 512M or 2G (a plain number is MiB), from " +
                                             std::to_string(min_heap_mib) + "M to 1T";
    const auto in_bounds = [](std::uint64_t mib) { return mib >= min_heap_mib && mib <= max_heap_mib; };
    heap_inputs heap;
    heap.invoked_as = in_.invoked_as;
    heap.memory_limit_bytes = in_.host.memory_limit;
    if (parsed_env.heap_mib && !in_bounds(*parsed_env.heap_mib)) {
      diag_.fail(error_kind::config, "ZK_SERVER_HEAP=" + std::to_string(*parsed_env.heap_mib) + " in " + java_env_path +
                                         ": expected a heap in MiB from " + std::to_string(min_heap_mib) + " to " +
                                         std::to_string(max_heap_mib));
    } else {
      heap.java_env_mib = parsed_env.heap_mib;
    }
    if (auto raw = lookup(*find_setting("heap"))) {
      heap.explicit_origin = raw->from.name;
      if (const auto mib = parse_size_mib(raw->value); mib && in_bounds(*mib)) heap.explicit_mib = mib;
      else bad(*raw, heap_expected);
    }
    const auto choice = choose_heap(heap);
    out_.heap_reason = std::to_string(choice.mib) + " MiB: " + choice.reason;

    const auto user = value_of("jvm-flags");
    const auto user_flags = split_jvm_flags(user.value);
    check_jvm_tokens(user_flags, user.from.name + "=" + show(user.value, user.from, in_.secret_env));
    check_jvm_tokens(parsed_env.jvm_flags, "the JVM flags in " + java_env_path);
    const auto user_sets = sets_max_heap(user_flags);
    if (user_sets || sets_max_heap(parsed_env.jvm_flags)) {
      out_.heap_reason = "set by the JVM flags in " + (user_sets ? user.from.name : std::string("java.env"));
    }
    const auto& sizing_flags = user_sets ? user_flags : parsed_env.jvm_flags;
    const auto sizing = std::find_if(sizing_flags.rbegin(), sizing_flags.rend(),
                                     [](const std::string& f) { return sets_max_heap({f}); });
    if (heap.explicit_mib && sizing != sizing_flags.rend()) {
      diag_.warn("the heap from " + heap.explicit_origin + " is overridden by " +
                 (sizing->starts_with("-Xmx") ? std::string("an -Xmx") : text::printable(*sizing)) + " in " +
                 (user_sets ? user.from.name : std::string("java.env")) + " (JVM flags come last and win)");
    }

    // The heap the JVM will get (the last -Xmx wins; the user's flags come after java.env's) is
    // checked like --heap: a JVM that cannot start, or that the kernel kills at the limit, is refused now.
    // 0: not known here (refused just now, or -XX:MaxRAMPercentage alone: zkagent adds no -Xmx and
    // the JVM sizes the heap from the limit itself).
    std::uint64_t max_mib = choice.mib;
    std::string effective_origin = choice.reason;
    const auto user_max = last_max_heap(user_flags);
    const auto env_max = user_max ? user_max : last_max_heap(parsed_env.jvm_flags);
    if (env_max) {
      max_mib = env_max->mib.value_or(0);
      effective_origin = text::printable(env_max->flag) + " in " + (user_max ? user.from.name : java_env_path);
      if (!in_bounds(max_mib)) {
        diag_.fail(error_kind::config, effective_origin + ": expected a maximum heap from " +
                                           std::to_string(min_heap_mib) + "m to 1t, such as -Xmx512m or -Xmx2g");
        max_mib = 0;
      }
    } else if (sizing != sizing_flags.rend()) {
      // -XX:MaxRAMPercentage=P: the JVM takes P% of the limit (unless -XX:MaxRAM says otherwise).
      max_mib = 0;
      effective_origin = text::printable(*sizing) + " in " + (user_sets ? user.from.name : java_env_path);
      const auto percent_text = std::string_view(*sizing).substr(sizing->find('=') + 1);
      double percent = -1;
      const auto [end, ec] = std::from_chars(percent_text.data(), percent_text.data() + percent_text.size(), percent);
      if (ec != std::errc() || end != percent_text.data() + percent_text.size() || !(percent >= 0 && percent <= 100)) {
        diag_.fail(error_kind::config, effective_origin + ": expected a percentage of the memory limit from 0 to 100");
      } else if (in_.host.memory_limit && std::none_of(sizing_flags.begin(), sizing_flags.end(), [](const auto& f) {
                   return f.starts_with("-XX:MaxRAM=");
                 })) {
        max_mib = static_cast<std::uint64_t>(static_cast<double>(*in_.host.memory_limit / (1024 * 1024)) * percent / 100);
      }
    }
    // An initial heap above the maximum (-Xms8g after zkagent's -Xmx512m, or -Xms4g -Xmx2g): the JVM
    // refuses to start ("Initial heap size set to a larger value than the maximum heap size").
    const auto user_initial = last_initial_heap(user_flags);
    const auto initial = user_initial ? user_initial : last_initial_heap(parsed_env.jvm_flags);
    if (initial && (!initial->mib || (max_mib > 0 && *initial->mib > max_mib))) {
      diag_.fail(error_kind::config,
                 text::printable(initial->flag) + " in " + (user_initial ? user.from.name : java_env_path) +
                     ": expected an initial heap" +
                     (!initial->mib ? std::string(" in the JVM's syntax, such as -Xms512m")
                                    : " of at most the maximum heap of " + std::to_string(max_mib) + " MiB (" +
                                          effective_origin + "): the JVM refuses to start with a larger one"));
    }
    if (max_mib > 0 && in_.host.memory_limit && max_mib * 1024 * 1024 >= *in_.host.memory_limit) {
      diag_.fail(error_kind::config,
                 "the heap of " + std::to_string(max_mib) + " MiB (" + effective_origin +
                     ") is not below the container memory limit of " +
                     std::to_string(*in_.host.memory_limit / (1024 * 1024)) +
                     " MiB: the JVM would be OOM-killed. Set a smaller heap (--heap, ZOO_HEAP_SIZE) or raise the "
                     "limit; about half the limit leaves room for the JVM's other memory");
    }
    out_.jvm_flags = build_jvm_flags({choice, out_.conf_dir, out_.log_dir, out_.log_level, parsed_env.jvm_flags, user_flags});
  }

  void check_jvm_tokens(const std::vector<std::string>& flags, const std::string& where) {
    // Last with no value, it would take the next flag: zkagent's own -cp, leaving the class path as
    // the main class.
    if (!flags.empty() && takes_next_value(flags.back())) {
      diag_.fail(error_kind::config, where + ": " + text::quote(flags.back()) +
                                         " is last and has no value; expected it followed by its value, as in "
                                         "--add-opens java.base/java.lang=ALL-UNNAMED");
    }
    const auto strays = non_option_tokens(flags);
    if (strays.empty()) return;
    std::string listed;
    for (const auto& token : strays) listed += (listed.empty() ? "" : ", ") + text::quote(token);
    diag_.fail(error_kind::config, where + ": " + listed + (strays.size() == 1 ? " is" : " are") +
                                       " not a JVM option (options start with '-'); java would take the first as "
                                       "its main class. The flags are split on spaces without shell quoting: "
                                       "write -Dkey=value without spaces or quotes");
  }

  void resolve_health() {
    if (const auto port = optional_number("health-port")) out_.health_port = static_cast<std::uint16_t>(*port);
    const auto address = value_of("health-address");
    if (!is_numeric_address(address.value)) {
      bad(address, "a numeric IPv4 or IPv6 address such as 0.0.0.0, 127.0.0.1 or :: (names are not resolved)");
    } else {
      out_.health_address = address.value;
    }
    const auto window = value_of("cache-window");
    const auto parsed = text::parse_duration(window.value);
    if (!parsed || *parsed > std::chrono::hours(1)) {
      bad(window, "a duration from 0 to 1 hour such as 500ms, 1s or 2.5s");
    } else {
      out_.cache_window = *parsed;
    }
  }

  void resolve_dns() {
    const auto wait = value_of("dns-wait");
    if (const auto parsed = parse_dns_wait(wait.value)) {
      out_.dns_wait = *parsed;
    } else {
      bad(wait, "a duration from 0 to 1 hour such as 90s, 2m or 0 (do not wait)");
    }
    if (auto server = lookup(*find_setting("dns-server")); server && !server->value.empty()) {
      if (auto parsed = parse_dns_server(server->value)) {
        out_.dns_server = std::move(*parsed);
      } else {
        bad(*server, "a numeric address with an optional port, such as 10.96.0.10, 127.0.0.1:5353 or [::1]:53 "
                     "(names are not resolved)");
      }
    }
  }

  static bool is_numeric_address(const std::string& text_value) {
    unsigned char buffer[16];
    return ::inet_pton(AF_INET, text_value.c_str(), buffer) == 1 || ::inet_pton(AF_INET6, text_value.c_str(), buffer) == 1;
  }

  void check_ports() {
    std::vector<std::pair<std::uint16_t, std::string>> used{{out_.client_port, "client port"}};
    if (out_.health_port) used.emplace_back(*out_.health_port, "health endpoint port");
    if (!out_.servers.empty() && out_.myid) {
      for (const auto& e : out_.servers) {
        if (e.id != *out_.myid) continue;
        used.emplace_back(e.quorum_port, "quorum port");
        used.emplace_back(e.election_port, "election port");
        break;  // a duplicate id is reported by check_server_list, not as a port clash with itself
      }
    }
    if (out_.admin_enabled) used.emplace_back(out_.admin_port, "AdminServer port");
    for (std::size_t i = 0; i < used.size(); ++i) {
      for (std::size_t j = i + 1; j < used.size(); ++j) {
        if (used[i].first == used[j].first) {
          diag_.fail(error_kind::config, "the " + used[i].second + " and the " + used[j].second + " are both " +
                                             std::to_string(used[i].first) + ": each needs its own port");
        }
      }
    }
  }

  void check_whitelist() {
    const auto& list = out_.four_letter_whitelist;
    if (text::trim(list) == "*") return;
    // No check for srvr, which readiness sends: ZooKeeper 3.5+ adds it to every whitelist itself
    // (zkServer.sh status needs it), so a list without it still answers (tests/probes prove it).
    bool has_ruok = false, has_mntr = false;
    for (const auto& raw_word : text::split(list, ", ", true)) {
      const auto word = text::to_lower(raw_word);
      if (word == "ruok") has_ruok = true;
      if (word == "mntr") has_mntr = true;
      if (std::find(four_letter_words.begin(), four_letter_words.end(), word) == four_letter_words.end()) {
        std::string message = "4lw.commands.whitelist names " + text::quote(raw_word) + ", which is no four-letter word";
        if (auto near = text::closest(word, four_letter_words)) message += "; did you mean " + *near + "?";
        diag_.warn(std::move(message));
      }
    }
    if (!has_ruok) diag_.warn("4lw.commands.whitelist lacks ruok: `zkagent live` will report it as not whitelisted");
    if (!has_mntr) diag_.warn("4lw.commands.whitelist lacks mntr: metrics will be missing");
  }

  // Bitnami's yes/no variables zkagent can honour for one value only: the other is refused by name.
  void check_partly_honoured() {
    for (const auto& variable : partly_honoured_variables()) {
      const auto it = in_.env.find(std::string(variable.env));
      if (it == in_.env.end()) continue;
      const raw_value raw{it->second, {it->first, false}};
      const auto parsed = text::parse_bool(it->second);
      if (!parsed) {
        bad(raw, "yes or no");
      } else if (*parsed != variable.honoured) {
        diag_.fail(error_kind::config, raw.from.name + "=" + show(raw.value, raw.from, in_.secret_env) +
                                           " cannot be honoured: " + std::string(variable.reason));
      }
    }
  }

  // Settings that render a zoo.cfg key only when given (ZooKeeper's default otherwise): they go
  // with the passed-through keys, which render in key order.
  void resolve_optional_keys() {
    bool added = false;
    if (const auto cnxns = optional_number("max-cnxns")) {
      out_.extra_cfg.emplace_back("maxCnxns", std::to_string(*cnxns));
      added = true;
    }
    if (const auto raw = lookup(*find_setting("reconfig-enabled"))) {
      if (const auto parsed = text::parse_bool(raw->value)) {
        out_.extra_cfg.emplace_back("reconfigEnabled", *parsed ? "true" : "false");
        added = true;
      } else {
        bad(*raw, "true or false");
      }
    }
    if (added) std::sort(out_.extra_cfg.begin(), out_.extra_cfg.end());
  }

  // The writer applies the same rule to every pointer it reads back; here a setting is refused
  // with the others, before anything is written.
  void check_dynamic_file() {
    const auto pointer = out_.extra("dynamicConfigFile");
    if (!pointer) return;
    if (auto where = dynamic_file_place(out_.conf_dir, out_.data_dir, *pointer); !where.ok()) {
      diag_.fail(where.err().kind, extra_sources_["dynamicConfigFile"] + " " + where.err().message);
    }
  }

  void check_modes() {
    if (out_.overwrite_config && out_.keep_config) {
      diag_.fail(error_kind::usage, "--overwrite-config and --keep-config contradict each other: choose one");
    }
  }

  const inputs& in_;
  settings out_;
  diagnostics diag_;
  cfg_layer template_, env_extra_, flag_extra_;
  std::map<std::string, std::string> extra_sources_;  // passed-through key -> the layer it came from
  origin client_port_origin_, client_address_origin_;
  std::uint32_t myid_offset_ = 1;
};

bool is_service_link(std::string_view name) {
  // Kubernetes adds <SVC>_SERVICE_HOST, <SVC>_SERVICE_PORT[_<NAME>], <SVC>_PORT and
  // <SVC>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR] for every Service in the namespace.
  if (name.find("_SERVICE_HOST") != std::string_view::npos || name.find("_SERVICE_PORT") != std::string_view::npos) {
    return true;
  }
  if (name.ends_with("_PORT")) return true;
  for (const auto proto : {"_TCP", "_UDP", "_SCTP"}) {
    if (name.find(proto) != std::string_view::npos && name.find("_PORT_") != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> settings::extra(std::string_view key) const {
  for (const auto& [k, v] : extra_cfg) {
    if (k == key) return v;
  }
  return std::nullopt;
}

resolution resolve(const inputs& in, resolve_scope scope) { return resolver(in).run(scope); }

std::vector<std::string> unknown_variable_warnings(const env_map& env) {
  const auto is_known = [](std::string_view name) {
    if (name == "ZOO_CFG_EXTRA" || name == "JAVA_HOME" || find_setting_by_env(name) != nullptr) return true;
    const auto partly = partly_honoured_variables();
    return std::any_of(partly.begin(), partly.end(), [&](const auto& v) { return v.env == name; });
  };
  // The list of known names, for "did you mean": built only when a variable needs it (a probe runs
  // this on every exec, and most environments hold none).
  std::vector<std::string_view> known_views;
  const auto known = [&]() -> const std::vector<std::string_view>& {
    if (known_views.empty()) {
      for (const auto& spec : all_settings()) {
        for (const auto name : env_names(spec)) known_views.push_back(name);
      }
      for (const auto& variable : partly_honoured_variables()) known_views.push_back(variable.env);
      known_views.insert(known_views.end(), {"ZOO_CFG_EXTRA", "JAVA_HOME"});
    }
    return known_views;
  };

  std::vector<std::string> warnings;
  for (const auto& [name, value] : env) {
    std::string_view base = name;
    if (base.ends_with("_FILE")) base.remove_suffix(5);
    if (is_known(base)) continue;
    std::string normal = text::to_upper(base);
    for (auto& c : normal) {
      if (c == '0') c = 'O';
    }
    const bool ours = normal.starts_with("ZOO") || normal.starts_with("ZK") || normal == "MYID" || normal == "SERVERS";
    if (!ours || is_service_link(name)) continue;
    if (auto near = text::closest(normal, known())) {
      warnings.push_back("environment variable " + name + " is not used; did you mean " + *near + "?");
    } else if (normal.starts_with("ZOO_") || normal.starts_with("ZKAGENT_") || normal.starts_with("ZK_")) {
      // zkagent's and ZooKeeper's prefixes: a setting meant for some image or script, silently lost here.
      warnings.push_back("environment variable " + text::printable(name) +
                         " is not used: zkagent reads no such variable (`zkagent start --help` lists them; "
                         "docs/compatibility.md has other images' names)");
    }
  }
  return warnings;
}

std::string canonical_flag(std::string_view arg) {
  if (!arg.starts_with("--")) return std::string(arg);
  std::string out(arg);
  const auto end = std::min(out.find('='), out.size());
  std::replace(out.begin() + 2, out.begin() + static_cast<std::ptrdiff_t>(end), '_', '-');
  return out;
}

}  // namespace zkagent::entrypoint
