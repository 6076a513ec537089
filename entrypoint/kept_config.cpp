#include "entrypoint/kept_config.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace zkagent::entrypoint {

std::optional<std::string> zoo_cfg_value(std::string_view zoo_cfg_text, std::string_view key) {
  std::optional<std::string> found;
  for (const auto& raw : text::split(zoo_cfg_text, "\n", true)) {
    const auto line = text::trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == '!') continue;
    const auto end = std::min(line.find_first_of("=: \t"), line.size());
    if (line.substr(0, end) != key) continue;
    auto rest = text::trim(line.substr(end));
    if (!rest.empty() && (rest.front() == '=' || rest.front() == ':')) rest = text::trim(rest.substr(1));
    found = std::string(rest);
  }
  return found;
}

std::vector<std::string> adopt_kept_folders(settings& s, std::string_view kept_zoo_cfg) {
  std::vector<std::string> notes;
  const auto data_dir = zoo_cfg_value(kept_zoo_cfg, "dataDir");
  if (!data_dir || data_dir->empty() || data_dir->front() != '/') {
    notes.push_back("--keep-config: the kept zoo.cfg names no absolute dataDir (" +
                    (data_dir ? text::quote(*data_dir) : std::string("none")) + "); myid goes to " + s.data_dir +
                    " (--data-dir)");
    return notes;
  }
  // dataLogDir defaults to dataDir in ZooKeeper, whatever --data-log-dir says.
  auto log_dir = zoo_cfg_value(kept_zoo_cfg, "dataLogDir").value_or(*data_dir);
  if (log_dir.empty() || log_dir.front() != '/') log_dir = *data_dir;
  if (*data_dir != s.data_dir) {
    notes.push_back("--keep-config: myid goes to " + *data_dir + " (the kept zoo.cfg's dataDir), not " + s.data_dir);
    s.data_dir = *data_dir;
  }
  if (log_dir != s.data_log_dir) {
    notes.push_back("--keep-config: the transaction log folder is " + log_dir + " (the kept zoo.cfg's " +
                    (zoo_cfg_value(kept_zoo_cfg, "dataLogDir") ? "dataLogDir" : "dataDir") + "), not " +
                    s.data_log_dir);
    s.data_log_dir = log_dir;
  }
  return notes;
}

}  // namespace zkagent::entrypoint
