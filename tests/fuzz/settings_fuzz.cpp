// Flags and environment -> settings -> the files zkagent writes. The bytes are records, one a line;
// a record's first byte says what it is (see apply below; "\n", "\t", "\r", "\\", "\0" in a record
// are escapes, so values can hold any byte). The flags go through the binary's own argv parser.
//
// Oracles: nothing crashes or leaks; every diagnostic is one line; a secret's value (a variable
// from <VAR>_FILE) never appears in a diagnostic; when the settings are valid, zoo.cfg, the dynamic
// file, the logging configs and java.env read back (as ZooKeeper's java.util.Properties and a shell
// that sources java.env read them) to exactly the values zkagent decided: no injected or swallowed
// line.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "entrypoint/config_writer.hpp"
#include "entrypoint/settings.hpp"
#include "entrypoint/zoo_cfg.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace zkagent;
using namespace zkagent::entrypoint;

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    switch (s[++i]) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '0': out += '\0'; break;
      default: out += s[i];
    }
  }
  return out;
}

struct built {
  std::vector<std::string> argv;
  inputs in;
};

void put_env(built& b, std::string_view record, bool secret) {
  const auto eq = record.find('=');
  if (eq == std::string_view::npos || eq == 0) return;
  const std::string name(record.substr(0, eq));
  // Variable names come from a container spec (Kubernetes allows [-._a-zA-Z0-9]) and reach the
  // resolver's messages unquoted (near-miss warnings): names with control bytes are not generated.
  if (fuzz::has_control(name)) return;
  b.in.env[name] = unescape(record.substr(eq + 1));
  if (secret) b.in.secret_env.insert(name);
}

built build(std::string_view data) {
  built b;
  const auto specs = all_settings();
  std::string tpl, java_env;
  bool has_tpl = false, has_java_env = false;
  for (const auto record : fuzz::records(data, '\n')) {
    if (record.empty()) continue;
    const char kind = record.front();
    auto rest = record.substr(1);
    const auto pick = [&](std::string_view& r) -> const setting_spec& {
      const auto k = r.empty() ? 0U : static_cast<unsigned char>(r.front());
      if (!r.empty()) r.remove_prefix(1);
      return specs[k % specs.size()];
    };
    switch (kind) {
      case '-': b.argv.push_back(unescape(record)); break;          // an argument as given
      case '+': b.argv.push_back(unescape(rest)); break;            // a bare argument
      case 'f': {                                                   // a known flag by index
        const auto& spec = pick(rest);
        b.argv.push_back("--" + std::string(spec.name) + "=" + unescape(rest));
        break;
      }
      case 'e': {                                                   // a known variable by index
        const auto& spec = pick(rest);
        const auto name = spec.env.empty() ? spec.env_alias : spec.env;
        if (!name.empty()) b.in.env[std::string(name)] = unescape(rest);
        break;
      }
      case 'c': {                                                   // a zoo.cfg key in ZOO_CFG_EXTRA
        const auto& spec = pick(rest);
        if (spec.cfg_key.empty()) break;
        auto& extra = b.in.env["ZOO_CFG_EXTRA"];
        extra += (extra.empty() ? "" : " ") + std::string(spec.cfg_key) + "=" + unescape(rest);
        break;
      }
      case '$': put_env(b, rest, false); break;
      case 'S': put_env(b, rest, true); break;                      // from <VAR>_FILE: never shown
      case 'h': {  // the kernel's host name: set by the runtime from a validated pod or container name
        auto name = unescape(rest);
        if (!fuzz::has_control(name)) b.in.host.hostname = std::move(name);
        break;
      }
      case 'H': {  // a line of /etc/hosts, as kubelet or the runtime writes it: tabs and CR, no other control byte
        auto line = unescape(rest);
        if (std::all_of(line.begin(), line.end(), [](char c) { return c == '\t' || c == '\r' || !fuzz::has_control(std::string_view(&c, 1)); })) {
          b.in.host.hosts_file += line + "\n";
        }
        break;
      }
      case 'a': b.in.host.addresses.push_back(unescape(rest)); break;
      case 'm': {
        std::uint64_t v = 0;
        for (const char c : rest) v = v * 10 + static_cast<unsigned char>(c) % 10;
        b.in.host.memory_limit = v;
        break;
      }
      case 'T': tpl += unescape(rest) + "\n"; has_tpl = true; break;
      case 'J': java_env += unescape(rest) + "\n"; has_java_env = true; break;
      case 'z': b.in.invoked_as = invocation::start_zookeeper; break;
      default: put_env(b, record, false);
    }
  }
  if (has_tpl) b.in.template_text = tpl;
  if (has_java_env) b.in.java_env_text = java_env;
  return b;
}

// Every input that is not a secret's value, to tell a leak from a coincidence.
bool appears_elsewhere(const built& b, const std::string& secret_name, const std::string& value) {
  const auto has = [&](std::string_view s) { return s.find(value) != std::string_view::npos; };
  for (const auto& a : b.argv) if (has(a)) return true;
  for (const auto& [k, v] : b.in.env) {
    if (has(k)) return true;
    if (k != secret_name && !b.in.secret_env.contains(k) && has(v)) return true;
  }
  if (b.in.template_text && has(*b.in.template_text)) return true;
  if (b.in.java_env_text && has(*b.in.java_env_text)) return true;
  if (has(b.in.host.hostname) || has(b.in.host.hosts_file)) return true;
  for (const auto& a : b.in.host.addresses) if (has(a)) return true;
  // Values zkagent makes up itself (defaults, paths, setting names) are not leaks either.
  for (const auto& spec : all_settings()) {
    if (std::string_view(spec.default_value).find(value) != std::string_view::npos) return true;
    if (std::string_view(spec.tutorial_default).find(value) != std::string_view::npos) return true;
  }
  return false;
}

// The fuzzer copies message text into inputs (a "secret" of "stname, or list the members with"):
// a secret found in a message is zkagent's own text, not a leak, when the same run with another value
// for the secret shows it too.
bool in_own_text(built b, const std::string& name, const std::string& value) {
  b.in.env[name] = "zkagent fuzz stand-in";
  const auto again = resolve(b.in);
  for (const auto& e : again.diag.errors) if (e.message.find(value) != std::string::npos) return true;
  for (const auto& w : again.diag.warnings) if (w.find(value) != std::string::npos) return true;
  return false;
}

// resolved: diag is the resolver's (for b.in); the flag parser's never sees the variables.
void check_messages(const built& b, const diagnostics& diag, bool resolved) {
  for (const auto& e : diag.errors) fuzz::require(fuzz::one_printable_line(e.message), "an error is one line", e.message);
  for (const auto& w : diag.warnings) fuzz::require(fuzz::one_printable_line(w), "a warning is one line", w);
  if (!resolved) return;
  for (const auto& name : b.in.secret_env) {
    const auto it = b.in.env.find(name);
    if (it == b.in.env.end() || it->second.size() < 8 || appears_elsewhere(b, name, it->second)) continue;
    const auto& secret = it->second;
    const auto shown = [&](std::string_view message) {
      return message.find(secret) != std::string_view::npos && !in_own_text(b, name, secret);
    };
    for (const auto& e : diag.errors) fuzz::require(!shown(e.message), "a secret is never shown", e.message);
    for (const auto& w : diag.warnings) fuzz::require(!shown(w), "a secret is never shown", w);
  }
}

// zoo.cfg as ZooKeeper reads it must hold exactly what zkagent decided, one line per entry.
void check_zoo_cfg(const settings& s, const rendered_zoo_cfg& r) {
  const auto parsed = fuzz::java_properties(r.zoo_cfg);
  fuzz::require(parsed.has_value(), "zoo.cfg is readable by java.util.Properties", r.zoo_cfg);
  std::map<std::string, std::string> read;
  for (const auto& e : *parsed) {
    fuzz::require(e.physical_lines == 1, "every zoo.cfg entry is one line", r.zoo_cfg);
    fuzz::require(read.emplace(e.key, e.value).second, "no zoo.cfg key is written twice", e.key);
  }
  const auto expect = [&](const std::string& key, const std::string& value) {
    const auto it = read.find(key);
    fuzz::require(it != read.end(), "zoo.cfg holds every key zkagent decided", key + "\n" + r.zoo_cfg);
    fuzz::require(it->second == value, "ZooKeeper reads the value zkagent decided", key + "=" + value + "\n" + r.zoo_cfg);
  };
  expect("dataDir", s.data_dir);
  expect("dataLogDir", s.data_log_dir);
  expect("4lw.commands.whitelist", s.four_letter_whitelist);
  if (!s.client_port_address.empty()) expect("clientPortAddress", s.client_port_address);
  if (s.admin_enabled && !s.admin_address.empty()) expect("admin.serverAddress", s.admin_address);
  for (const auto& [key, value] : s.extra_cfg) {
    if (key != "dynamicConfigFile") expect(key, value);
  }
  if (r.dynamic_path) {
    expect("dynamicConfigFile", *r.dynamic_path);
    const auto members = fuzz::java_properties(r.dynamic_content);
    fuzz::require(members && members->size() == s.servers.size(), "the dynamic file holds every member",
                  r.dynamic_content);
  } else {
    for (const auto& e : s.servers) expect("server." + std::to_string(e.id), render_server_value(e));
  }
}

// java.env as a shell that sources it reads it: SERVER_JVMFLAGS="..." gives back the flags.
void check_java_env(const settings& s, const std::string& content) {
  constexpr std::string_view prefix = "SERVER_JVMFLAGS=\"";
  const auto at = content.find(prefix);
  fuzz::require(at != std::string::npos, "java.env sets SERVER_JVMFLAGS", content);
  std::string value;
  std::size_t i = at + prefix.size();
  for (; i < content.size() && content[i] != '"'; ++i) {
    if (content[i] == '\\' && i + 1 < content.size() &&
        std::string_view("$`\"\\\n").find(content[i + 1]) != std::string_view::npos) {
      value += content[++i];
      continue;
    }
    fuzz::require(content[i] != '$' && content[i] != '`', "java.env expands nothing in a shell", content);
    value += content[i];
  }
  fuzz::require(i + 2 == content.size() && content.substr(i) == "\"\n", "java.env's value ends its last line", content);
  std::string flags;
  for (const auto& f : s.jvm_flags) flags += (flags.empty() ? "" : " ") + f;
  fuzz::require(value == flags, "a shell reads java.env's flags as zkagent passes them", content);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto b = build(fuzz::as_text(data, size));
  diagnostics flag_diag;
  const auto flags = cli::parse_flags(b.argv, flag_diag);
  check_messages(b, flag_diag, false);
  b.in.flags = flags.flags;
  const auto res = resolve(b.in);
  check_messages(b, res.diag, true);
  (void)unknown_variable_warnings(b.in.env);
  if (!res.diag.ok()) return 0;

  const auto& s = res.value;
  check_zoo_cfg(s, render_zoo_cfg(s, "0.0.0-fuzz"));
  // What `config` would write into an empty conf dir.
  const auto plan = make_plan(s, conf_snapshot{}, "0.0.0-fuzz", write_scope::everything);
  if (!plan.ok()) {
    fuzz::require(fuzz::one_printable_line(plan.err().message), "a plan error is one line", plan.err().message);
    return 0;
  }
  for (const auto& f : plan.value().files) {
    if (f.path.ends_with("/java.env")) check_java_env(s, f.content);
    if (f.path.ends_with("/myid")) fuzz::require(f.content == std::to_string(s.myid.value_or(0)) + "\n", "myid is the id", f.content);
  }
  return 0;
}
