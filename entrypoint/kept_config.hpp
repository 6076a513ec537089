#pragma once
// --keep-config: ZooKeeper reads the kept zoo.cfg, so the folders zkagent prepares for it (myid,
// ownership) must be the ones that file names, not zkagent's own --data-dir and --data-log-dir.
// Pure: reads a zoo.cfg's text the way java.util.Properties does for single lines (escapes undone;
// no line continuations: ZooKeeper's own and hand-written files do not use them).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entrypoint/settings.hpp"

namespace zkagent::entrypoint {

// The value of key in a zoo.cfg's text: the last line that sets it wins, as in Properties; the key
// ends at an unescaped '=', ':' or blank, the value is trimmed (ZooKeeper trims what it reads).
std::optional<std::string> zoo_cfg_value(std::string_view zoo_cfg_text, std::string_view key);

struct kept_note {
  bool warning = false;  // ZooKeeper will likely not start as configured
  std::string text;
};

struct kept_folders {
  std::vector<kept_note> notes;
  // Folders taken from the kept file that differ from zkagent's settings: your layout. zkagent
  // hands over only these folders themselves (and myid), never what is inside them.
  std::vector<std::string> adopted;
};

// Points s.data_dir and s.data_log_dir at the kept file's dataDir and dataLogDir (ZooKeeper's
// default for dataLogDir is dataDir), when they are absolute and not "/".
kept_folders adopt_kept_folders(settings& s, std::string_view kept_zoo_cfg);

}  // namespace zkagent::entrypoint
