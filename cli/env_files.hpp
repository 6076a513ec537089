#pragma once
// <VAR>_FILE: a variable's value read from a file (Kubernetes and Docker secrets). I/O.
#include <set>
#include <string>

#include "common/result.hpp"
#include "common/text.hpp"

namespace zkagent::cli {

struct resolved_env {
  env_map env;
  std::set<std::string> secret;  // variables whose value came from a file: never echoed
};

// For every variable zkagent knows: VAR_FILE set -> VAR takes the file's content (one trailing
// line ends removed, as $(<file) does). VAR and VAR_FILE both set, or a file that is not a regular
// file of at most 1 MiB reachable without an untrusted link (guarded_fs), is an error.
resolved_env resolve_file_variables(env_map env, diagnostics& diag);

}  // namespace zkagent::cli
