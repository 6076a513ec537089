#include "cli/options.hpp"

#include <boost/program_options.hpp>

#include "common/text.hpp"
#include "entrypoint/settings.hpp"
#include "zkagent/version.hpp"

namespace zkagent::cli {
namespace po = boost::program_options;
using entrypoint::all_settings;
using entrypoint::value_type;

parsed_flags parse_flags(const std::vector<std::string>& args, diagnostics& diag) {
  parsed_flags out;
  po::options_description desc;
  desc.add_options()("help,h", "")("version", "");
  for (const auto& spec : all_settings()) {
    const std::string name(spec.name);
    if (spec.type == value_type::toggle) {
      desc.add_options()(name.c_str(), po::value<std::string>()->implicit_value("true"), "");
    } else {
      desc.add_options()(name.c_str(), po::value<std::string>(), "");
    }
  }
  std::vector<std::string> canonical;
  canonical.reserve(args.size());
  for (const auto& arg : args) {
    auto flag = entrypoint::canonical_flag(arg);
    // Boost rejects "--name=" although an empty value means something (--domain=): pass it as "--name" "".
    if (flag.starts_with("--") && flag.find('=') == flag.size() - 1) {
      flag.pop_back();
      const auto* spec = entrypoint::find_setting(std::string_view(flag).substr(2));
      if (spec != nullptr && spec->type != value_type::toggle) {
        canonical.push_back(std::move(flag));
        canonical.emplace_back();
        continue;
      }
      flag.push_back('=');
    }
    canonical.push_back(std::move(flag));
  }

  po::parsed_options parsed(&desc);
  try {
    parsed = po::command_line_parser(canonical)
                 .options(desc)
                 .style(po::command_line_style::unix_style & ~po::command_line_style::allow_guessing)
                 .allow_unregistered()
                 .run();
  } catch (const po::error& e) {
    const std::string what = e.what();  // names the argument as given: quoted when it holds a control byte
    diag.fail(error_kind::usage, text::find_control_char(what) ? text::quote(what) : what);
    return out;
  }

  std::vector<std::string_view> names;
  for (const auto& spec : all_settings()) names.push_back(spec.name);
  for (const auto& option : parsed.options) {
    if (option.unregistered || option.position_key >= 0) {
      const std::string shown = option.original_tokens.empty() ? option.string_key : option.original_tokens.front();
      if (option.position_key >= 0) {
        diag.fail(error_kind::usage, "unexpected argument " + text::quote(shown) + ": options take the form --name=value");
        continue;
      }
      std::string key = option.string_key;
      // Quoted only when it holds a control byte: the message stays one line of plain text.
      std::string message = "unknown option " + (text::find_control_char(key) ? text::quote("--" + key) : "--" + key);
      if (auto near = text::closest(key, names)) message += "; did you mean --" + *near + "?";
      diag.fail(error_kind::usage, message);
      continue;
    }
    if (option.string_key == "help") {
      out.help = true;
      continue;
    }
    if (option.string_key == "version") {
      out.version = true;
      continue;
    }
    const auto* spec = entrypoint::find_setting(option.string_key);
    std::string value = option.value.empty() ? std::string("true") : option.value.front();
    if (spec != nullptr && spec->type != value_type::toggle && option.value.empty()) {
      diag.fail(error_kind::usage, "--" + option.string_key + " needs a value");
      continue;
    }
    out.flags.emplace_back(option.string_key, std::move(value));
  }
  return out;
}

namespace {

std::string_view group_title(entrypoint::group g) {
  switch (g) {
    case entrypoint::group::directories: return "Folders";
    case entrypoint::group::network: return "Network";
    case entrypoint::group::timing: return "Timing and housekeeping";
    case entrypoint::group::ensemble: return "Ensemble members";
    case entrypoint::group::identity: return "Identity (myid)";
    case entrypoint::group::jvm: return "JVM and ZooKeeper installation";
    case entrypoint::group::files: return "Existing and extra configuration";
    case entrypoint::group::agent: return "zkagent itself";
  }
  return "";
}

std::string_view placeholder(value_type t) {
  switch (t) {
    case value_type::number: return "=N";
    case value_type::port: return "=PORT";
    case value_type::boolean: return "=BOOL";
    case value_type::path: return "=PATH";
    case value_type::text: return "=TEXT";
    case value_type::size: return "=SIZE";
    case value_type::level: return "=LEVEL";
    case value_type::toggle: return "";
  }
  return "";
}

std::string_view summary(std::string_view command) {
  if (command == "start") {
    return "Write ZooKeeper's configuration and myid, then run ZooKeeper and supervise it as PID 1\n"
           "(signals forwarded, zombies reaped, its exit status passed on).";
  }
  if (command == "config") {
    return "Write exactly what `start` would write (zoo.cfg, logging config, java.env, myid), print\n"
           "what was written where, and exit without starting anything.";
  }
  return "Write only the myid file, from --myid or the StatefulSet host name ordinal. Idempotent.\n"
         "Run it in an init container: a postStart hook runs concurrently with the entrypoint.";
}

}  // namespace

std::string help_text(std::string_view command, entrypoint::invocation how) {
  std::string out;
  if (how == entrypoint::invocation::start_zookeeper) {
    out += "Usage: start-zookeeper [options]\n\nzkagent under the name of the Kubernetes tutorial's script: `zkagent start` with that\n"
           "script's defaults (shown in the third column where they differ).\n\n";
  } else {
    out += "Usage: zkagent " + std::string(command) + " [options]\n\n" + std::string(summary(command)) + "\n\n";
  }
  out += "Every option is also read from its environment variable (in brackets). Precedence: the flag,\n"
         "then the zoo.cfg key in --cfg-extra, then the variable, then the key in ZOO_CFG_EXTRA, then the\n"
         "key in --config-template, then the default. <VAR>_FILE reads a variable's value from a file.\n"
         "--name=value and --name value both work, and --data_dir is --data-dir.\n";
  auto current = static_cast<entrypoint::group>(-1);
  for (const auto& spec : all_settings()) {
    if (spec.section != current) {
      current = spec.section;
      // Appended piece by piece: `"\n" + std::string(...)` trips GCC 12's false -Wrestrict (GCC bug 105329).
      out.append("\n").append(group_title(current)).append(":\n");
    }
    std::string line = "  --";
    line.append(spec.name).append(placeholder(spec.type));
    if (const auto names = entrypoint::env_names(spec); !names.empty()) {
      std::string joined;
      for (const auto name : names) joined += (joined.empty() ? "" : ", ") + std::string(name);
      line += "  [" + joined + "]";
    }
    const auto def = entrypoint::default_for(spec, how);
    if (!def.empty()) line += "  default: " + std::string(def);
    out += line + "\n      " + std::string(spec.help) + "\n";
  }
  out += "\nGeneral:\n  --help     this text\n  --version  zkagent's version\n";
  out += "\nExit codes: 0 ok; 2 bad flag, variable or config (nothing written); 1 a file or system call\n"
         "failed; 126/127 java cannot be run / not found; 68 this member's own DNS name did not resolve in\n"
         "time (see --dns-wait; ZooKeeper not started); otherwise ZooKeeper's own status (128+N: signal N).\n";
  return out;
}

std::string top_help() {
  return std::string("zkagent ") + version +
         ": configure, launch, supervise and probe Apache ZooKeeper in containers.\n\n"
         "Usage: zkagent COMMAND [options]\n\n"
         "Commands:\n"
         "  start    write zoo.cfg, logging config, JVM settings and myid; run ZooKeeper as PID 1\n"
         "  config   write what start would write, print a summary, start nothing\n"
         "  myid     write only the myid file (for init containers)\n"
         "  ready    readiness probe: srvr shows the member serving (leader, follower, observer, standalone)\n"
         "  live     liveness probe: ruok answers imok; never depends on quorum\n"
         "  status   the member's role, zxid, connections, latency and version\n"
         "  serve    the HTTP health endpoint alone (/livez /readyz /metrics /status), for a sidecar\n\n"
         "`zkagent COMMAND --help` lists every option with its environment variable and default.\n"
         "Called as `start-zookeeper` it is `zkagent start` with the Kubernetes tutorial script's defaults;\n"
         "as `zookeeper-ready [PORT]` it exits 0 iff ruok answers imok, as the tutorial's script did.\n";
}

}  // namespace zkagent::cli
