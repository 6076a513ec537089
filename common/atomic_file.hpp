#pragma once
// Every file zkagent writes goes through here: temp file in the same folder, fsync, rename,
// fsync of the folder. A failure at any point leaves the previous file as it was.
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace zkagent::files {

enum class write_outcome { created, replaced, unchanged };

// Writes content to path atomically. A file that already holds exactly this content is not
// touched (its mtime and inode stay), so restarts do not churn the conf dir.
result<write_outcome> write_atomic(const std::string& path, std::string_view content, mode_t mode);

// The file's content, or nullopt when it does not exist. Other failures are errors.
result<std::optional<std::string>> read_if_exists(const std::string& path);

// mkdir -p; existing folders are fine.
status ensure_directory(const std::string& path, mode_t mode = 0755);

std::string_view describe(write_outcome outcome);

}  // namespace zkagent::files
