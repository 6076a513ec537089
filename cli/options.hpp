#pragma once
// argv -> flags (Boost.Program_options over the setting table) and the --help text.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "entrypoint/setting_specs.hpp"

namespace zkagent::cli {

struct parsed_flags {
  std::vector<std::pair<std::string, std::string>> flags;  // canonical name -> value, in order
  bool help = false;
  bool version = false;
};

// Accepts --name=value and --name value; underscores and dashes are the same (--data_dir).
// Unknown options and stray arguments are all reported.
parsed_flags parse_flags(const std::vector<std::string>& args, diagnostics& diag);

std::string help_text(std::string_view command, entrypoint::invocation how);
std::string top_help();

}  // namespace zkagent::cli
