#pragma once
// Which folders a root zkagent may hand to the ZooKeeper user, and which ones that user must be able
// to write. Pure: the I/O side (folder_check) opens the folders, resolves links and passes the paths in.
//
// Trust boundary: the uid ZooKeeper runs as must never get, through zkagent, a folder that holds
// the system or what root later runs (zkagent itself, java, ZooKeeper's jars): owning a folder lets
// that user rename and replace whatever is in it.
#include <sys/types.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "entrypoint/settings.hpp"

namespace zkagent::entrypoint {

// "/" and the system folders themselves (not what is below them): never handed over.
std::span<const std::string_view> system_folders();

// "//etc/", "/var/../etc", "/etc/." -> "/etc": lexical only (no link is followed); a relative path
// stays relative.
std::string lexically_normal(std::string_view path);

// a == b, or b is below a ("/" holds everything).
bool holds(std::string_view folder, std::string_view path);

// A path as given and where it really leads (nullopt: it does not exist, or could not be resolved).
struct seen_path {
  std::string path;
  std::optional<std::string> resolved;
};

// A folder setting zkagent would hand over: "--data-dir", "the kept zoo.cfg's dataDir (/conf/zoo.cfg)".
struct folder_setting {
  std::string setting;
  seen_path folder;
};

// Something no handed-over folder may hold: "the zkagent binary", "the java found", "JAVA_HOME", ...
struct held_path {
  std::string what;
  seen_path where;
};

struct folder_facts {
  std::vector<seen_path> system;  // system_folders(), each with where it leads (/bin -> /usr/bin)
  std::vector<held_path> held;
};

// Why this folder must not be handed to uid, or nullopt when it may. Compared as given (normalised)
// and as resolved, so a root-placed link /data -> /etc is refused as /etc would be.
std::optional<std::string> hand_over_refusal(const folder_setting& candidate, const folder_facts& facts);

// Every refusal, one config error each (exit 2), naming the setting, the value and why.
diagnostics check_hand_over(const std::vector<folder_setting>& candidates, const folder_facts& facts, uid_t uid);

// What a root zkagent hands to the ZooKeeper user (as root with uid != 0; otherwise nothing).
struct hand_over_plan {
  std::vector<folder_setting> walked;  // chown -R (take_ownership)
  std::vector<folder_setting> itself;  // the folder alone, and myid in it (hand_over)
  // The kept zoo.cfg's conf folder: the layout is the user's, so neither it nor zoo.cfg is handed
  // over; the files zkagent wrote in it are, each by itself.
  bool conf_dir_kept = false;
};

// everything: `config` and `start` (all four folders); otherwise `myid` (the data folder).
// kept_zoo_cfg: --keep-config found a zoo.cfg to keep.
hand_over_plan plan_hand_over(const settings& s, bool everything, bool kept_zoo_cfg);

// The folders ZooKeeper itself writes: dataDir, dataLogDir, the log folder, and the conf folder when
// the zoo.cfg it reads turns on reconfig or names a dynamicConfigFile (ZooKeeper then rewrites it).
std::vector<std::string> folders_zookeeper_writes(const settings& s, std::string_view zoo_cfg_text);

// A folder that ZooKeeper's user cannot write, with what the preflight saw.
struct unwritable {
  std::string folder;
  int error_number = 0;         // from creating (or removing) a file there as uid:gid
  std::string step;             // "create a file in", "remove a file from"
  std::optional<uid_t> owner;   // the folder's owner, group and mode, when it could be read
  std::optional<gid_t> group;
  std::optional<mode_t> mode;
};

// One line: the folder, its owner and mode, the uid that needs it, what failed and the fix.
std::string unwritable_message(const unwritable& found, uid_t uid, gid_t gid);

}  // namespace zkagent::entrypoint
