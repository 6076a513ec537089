#include "entrypoint/java_env.hpp"

#include "common/text.hpp"

namespace zkagent::entrypoint {
namespace {

// A name as written, quoted only when it holds a control byte: a warning stays one line of text.
std::string shown(std::string_view name) {
  return text::find_control_char(name) ? text::quote(name) : std::string(name);
}

}  // namespace

java_env parse_java_env(std::string_view text_value, std::string_view path) {
  java_env out;
  int line_number = 0;
  for (const auto& raw : text::split(text_value, "\n", false)) {
    ++line_number;
    std::string_view line = text::trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const auto where = std::string(path) + ":" + std::to_string(line_number);
    if (line.starts_with("export ")) line = text::trim(line.substr(7));
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      out.warnings.push_back(where + ": ignored (zkagent runs no shell): " + text::quote(line));
      continue;
    }
    const auto name = line.substr(0, eq);
    std::string_view value = line.substr(eq + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (value.find('$') != std::string_view::npos || value.find('`') != std::string_view::npos) {
      out.warnings.push_back(where + ": ignored: " + shown(name) +
                             " uses shell expansion, which zkagent does not run; write the value out");
      continue;
    }
    if (name == "JVMFLAGS" || name == "SERVER_JVMFLAGS") {
      for (auto& flag : text::split(value, " \t", true)) out.jvm_flags.push_back(std::move(flag));
    } else if (name == "ZK_SERVER_HEAP") {
      if (const auto mib = text::parse_uint(value, 1, 10'000'000)) out.heap_mib = *mib;
      else out.warnings.push_back(where + ": ignored: ZK_SERVER_HEAP must be a number of MiB, got " + text::quote(value));
    } else {
      out.warnings.push_back(where + ": ignored: zkagent reads only JVMFLAGS, SERVER_JVMFLAGS and ZK_SERVER_HEAP "
                                     "from java.env, not " + shown(name));
    }
  }
  return out;
}

}  // namespace zkagent::entrypoint
