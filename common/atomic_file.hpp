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
// rewritten (its mtime and inode stay, so restarts do not churn the conf dir); it only gets mode
// back if it lost it. A symlink at path is never written through nor replaced: unless it already
// leads to exactly this content, that is an error (config), and nothing is written.
result<write_outcome> write_atomic(const std::string& path, std::string_view content, mode_t mode);

// The first half of write_atomic, for writing several files all or nothing: the content is in a
// synced temp file beside path (.<name>.zkagent-XXXXXX), and commit() renames it into place. One
// never committed is removed when destroyed. So a writer stages every file first, and a full disk,
// a read-only folder or a missing permission stops it before any file has changed.
class staged_file {
 public:
  staged_file(std::string path, std::string temp, bool existed);  // temp "": path already holds the content
  staged_file(staged_file&& other) noexcept;
  staged_file& operator=(staged_file&& other) noexcept;
  staged_file(const staged_file&) = delete;
  staged_file& operator=(const staged_file&) = delete;
  ~staged_file();

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] bool unchanged() const { return temp_.empty(); }
  result<write_outcome> commit();

 private:
  void discard();
  std::string path_, temp_;
  bool existed_ = false;
};

// Temp files a killed zkagent left beside path (.<name>.zkagent-XXXXXX) are removed first: each write
// cleans up after the last interrupted one. (Two zkagent processes writing one folder at the same
// moment are not supported: the second's rename could then fail; no file is ever torn.)
result<staged_file> stage(const std::string& path, std::string_view content, mode_t mode);

// Gives a regular file (never a link's target) mode when it has another, as far as allowed: on a
// read-only volume or another owner's file it stays as it is. For a file that is already right.
void restore_mode(const std::string& path, mode_t mode);

// Just that clean-up, for a file left as it is (a myid that already holds the id).
void remove_leftovers(const std::string& path);

// The file's content, or nullopt when it does not exist. Other failures are errors.
result<std::optional<std::string>> read_if_exists(const std::string& path);

// mkdir -p; existing folders are fine.
status ensure_directory(const std::string& path, mode_t mode = 0755);

std::string_view describe(write_outcome outcome);

}  // namespace zkagent::files
