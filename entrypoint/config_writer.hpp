#pragma once
// Writes what `start` and `config` produce: zoo.cfg (and its dynamic file), logging configs,
// java.env, myid, and the ownership marker. First everything is read and decided (make_plan is
// pure), and only when no check fails is anything written: a refused start changes nothing.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/atomic_file.hpp"
#include "common/folder_lock.hpp"
#include "common/result.hpp"
#include "entrypoint/dynamic_file_rule.hpp"
#include "entrypoint/ownership.hpp"
#include "entrypoint/settings.hpp"

namespace zkagent::entrypoint {

// What is on disk now, read before deciding anything.
struct conf_snapshot {
  ownership_marker marker;
  std::map<std::string, std::optional<std::string>> conf_files;  // zoo.cfg, java.env, ... -> content
  std::optional<std::string> myid_content;
  // Judged on the same read as its content: nobody but root could have written this zoo.cfg, so the
  // folders a kept one names are the pod author's, not uid 1000's.
  bool zoo_cfg_only_root_can_change = false;
  bool dynamic_file_exists = false;
};

// keep_ours: zkagent's and already right (myid holding this id): only its mode is restored.
enum class file_action { write, keep_theirs, keep_as_is, keep_ours };

struct planned_file {
  place where = place::conf;
  std::string name;  // in that folder
  std::string path;  // for messages and the summary
  std::string marker_name;  // name in the ownership marker ("" for files outside the conf dir)
  std::string content;
  file_action action = file_action::write;
  std::string note;         // why it is kept, for the summary
};

struct write_plan {
  std::vector<planned_file> files;
  std::vector<std::string> warnings;
};

enum class write_scope { everything, myid_only };

result<write_plan> make_plan(const settings& s, const conf_snapshot& snap, std::string_view version, write_scope scope);

// The folders one run works in. Peeked: opened if they exist, nothing created or locked (to read
// what decides the settings). Locked: created if missing and locked (flock) until destroyed, so the
// snapshot, the plan and the writes are one run's alone.
struct workspace {
  std::optional<files::folder> conf, data;
  std::vector<files::folder_lock> locks;
};
enum class workspace_mode { peek, lock };
inline constexpr std::chrono::milliseconds lock_budget{30000};
result<workspace> open_workspace(const settings& s, write_scope scope, workspace_mode mode,
                                 const files::lock_waiting& waiting = {});

// I/O: read the snapshot, for the planner and for honouring a java.env that is not ours. Every
// file is read under guarded_fs's rules: a link another user could have planted, a FIFO, a device,
// a folder or an oversized file is an error (config) naming it; its content is never shown.
result<conf_snapshot> read_snapshot(const settings& s, const workspace& ws);

struct written_file {
  std::string path;
  std::string outcome;  // created, replaced, unchanged, kept (...)
};

// Creates the remaining folders, writes the plan, updates the marker. ws must be locked.
result<std::vector<written_file>> execute_plan(const settings& s, const workspace& ws, const write_plan& plan);

}  // namespace zkagent::entrypoint
