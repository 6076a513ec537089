#pragma once
// Writes what `start` and `config` produce: zoo.cfg (and its dynamic file), logging configs,
// java.env, myid, and the ownership marker. First everything is read and decided (make_plan is
// pure), and only when no check fails is anything written: a refused start changes nothing.
#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/atomic_file.hpp"
#include "common/result.hpp"
#include "entrypoint/ownership.hpp"
#include "entrypoint/settings.hpp"

namespace zkagent::entrypoint {

// What is on disk now, read before deciding anything.
struct conf_snapshot {
  ownership_marker marker;
  std::map<std::string, std::optional<std::string>> conf_files;  // zoo.cfg, java.env, ... -> content
  std::optional<std::string> myid_content;
  bool dynamic_file_exists = false;
};

// keep_ours: zkagent's and already right (myid holding this id): only its mode is restored.
enum class file_action { write, keep_theirs, keep_as_is, keep_ours };

struct planned_file {
  std::string path;
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

// The names of the files in the conf dir zkagent manages.
inline constexpr std::string_view managed_files[] = {"zoo.cfg", "log4j.properties", "logback.xml", "java.env"};

result<write_plan> make_plan(const settings& s, const conf_snapshot& snap, std::string_view version, write_scope scope);

// I/O: read the snapshot, for the planner and for honouring a java.env that is not ours.
result<conf_snapshot> read_snapshot(const settings& s);

struct written_file {
  std::string path;
  std::string outcome;  // created, replaced, unchanged, kept (...)
};

// Creates the folders, writes the plan, updates the marker.
result<std::vector<written_file>> execute_plan(const settings& s, const write_plan& plan);

}  // namespace zkagent::entrypoint
