#pragma once
// Every file zkagent writes goes through here: temp file in the same folder, fsync, rename,
// fsync of the folder. A failure at any point leaves the previous file as it was. Everything is
// relative to a folder opened by guarded_fs (open_folder), and the file's own name is never
// followed if it is a link: a folder another user can write cannot redirect a write.
#include <sys/types.h>

#include <string>
#include <string_view>

#include "common/guarded_fs.hpp"
#include "common/result.hpp"

namespace zkagent::files {

enum class write_outcome { created, replaced, unchanged };

// The first half of an atomic write, for writing several files all or nothing: the content is in
// a synced temp file beside the target (.<name>.zkagent-<pid>-<n>), and commit() renames it into
// place. One never committed is removed when destroyed. So a writer stages every file first, and a
// full disk, a read-only folder or a missing permission stops it before any file has changed.
class staged_file {
 public:
  staged_file(unique_fd dir, std::string dir_path, std::string name, std::string temp, bool existed);
  staged_file(staged_file&& other) noexcept = default;
  staged_file& operator=(staged_file&& other) noexcept;
  staged_file(const staged_file&) = delete;
  staged_file& operator=(const staged_file&) = delete;
  ~staged_file();

  [[nodiscard]] std::string path() const;
  [[nodiscard]] bool unchanged() const { return temp_.empty(); }
  result<write_outcome> commit();

 private:
  void discard();
  unique_fd dir_;
  std::string dir_path_, name_, temp_;
  bool existed_ = false;
};

// Stages content for dir/name. A file that already holds exactly this content is not rewritten
// (its mtime and inode stay, so restarts do not churn the conf dir); it only gets mode back if it
// lost it. A link at dir/name is never written through nor replaced: unless guarded_fs may follow
// it and it already leads to exactly this content, that is an error (config), and nothing is
// written. Temp files a killed run left beside the file are removed first: callers hold the
// folder's lock (folder_lock), so no live run owns them.
result<staged_file> stage(const folder& dir, std::string_view name, std::string_view content, mode_t mode);

// stage() and commit() in one.
result<write_outcome> write_atomic(const folder& dir, std::string_view name, std::string_view content, mode_t mode);

// Gives the regular file dir/name (never a link's target) mode when it has another, as far as
// allowed: on a read-only volume or another owner's file it stays as it is.
void restore_mode(const folder& dir, std::string_view name, mode_t mode);

// Just the clean-up of a killed run's temp files, for a file left as it is.
void remove_leftovers(const folder& dir, std::string_view name);

std::string_view describe(write_outcome outcome);

}  // namespace zkagent::files
