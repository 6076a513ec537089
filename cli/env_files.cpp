#include "cli/env_files.hpp"

#include <algorithm>

#include "common/guarded_fs.hpp"
#include "entrypoint/setting_specs.hpp"

namespace zkagent::cli {

resolved_env resolve_file_variables(env_map env, diagnostics& diag) {
  resolved_env out;
  // Most environments have no <VAR>_FILE at all: the known names are listed only when one is set
  // (every exec probe runs this).
  const bool any_file_variable =
      std::any_of(env.begin(), env.end(), [](const auto& entry) { return entry.first.ends_with("_FILE"); });
  std::vector<std::string> names;
  if (any_file_variable) {
    names.emplace_back("ZOO_CFG_EXTRA");
    for (const auto& spec : entrypoint::all_settings()) {
      for (const auto name : entrypoint::env_names(spec)) names.emplace_back(name);
    }
    for (const auto& variable : entrypoint::partly_honoured_variables()) names.emplace_back(variable.env);
  }
  for (const auto& name : names) {
    const auto file_var = name + "_FILE";
    const auto it = env.find(file_var);
    // ZOO_CFG_EXTRA is listed above and in the table: resolved once, it must not count as "both set".
    if (it == env.end() || out.secret.contains(name)) continue;
    if (env.contains(name)) {
      diag.fail(error_kind::config, name + " and " + file_var + " are both set: use one");
      continue;
    }
    // A regular file of bounded size, links followed only where root placed them (a Secret's
    // key -> ..data/key): a FIFO, a device or a planted link is refused, not read.
    auto content = files::read_file(it->second, files::max_config_bytes);
    if (!content.ok() || !content.value()) {
      diag.fail(error_kind::config, file_var + "=" + text::quote(it->second) + ": cannot read that file" +
                                        (content.ok() ? std::string(": it does not exist") : ": " + content.err().message));
      continue;
    }
    // Every trailing line end goes, as with a shell's $(<file) (and CRLF, as an editor may leave
    // it); any other control byte stays and is refused by the settings as in any value.
    std::string value = std::move(*content.value());
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    out.secret.insert(name);
    env[name] = std::move(value);
  }
  out.env = std::move(env);
  return out;
}

}  // namespace zkagent::cli
