#include "entrypoint/dynamic_file_rule.hpp"

#include <algorithm>
#include <iterator>

#include "common/guarded_fs.hpp"
#include "common/text.hpp"
#include "entrypoint/folder_policy.hpp"
#include "entrypoint/ownership.hpp"

namespace zkagent::entrypoint {

result<std::pair<place, std::string>> dynamic_file_place(std::string_view conf_dir, std::string_view data_dir,
                                                         const std::string& pointer) {
  const auto [parent, name] = files::split_path(lexically_normal(pointer));
  // Not a name zkagent writes itself (the file would be overwritten, or be read as the members), not
  // its temp-file pattern (the next run would remove it as a leftover), not a folder ("x/").
  const bool ours = name == "myid" || name == marker_name || name.find(".zkagent-") != std::string::npos ||
                    std::find(std::begin(managed_files), std::end(managed_files), name) != std::end(managed_files);
  // ZooKeeper keeps its snapshots (and, without a dataLogDir of its own, its transaction logs) in
  // <dataDir>/version-2: a file written there stops it from starting.
  const bool zookeepers = name == "version-2";
  const bool plain_name = !name.empty() && name != "." && name != ".." && !ours && !zookeepers && pointer.back() != '/' &&
                          pointer.find("..") == std::string::npos;
  if (!pointer.empty() && pointer.front() == '/' && plain_name) {
    if (parent == lexically_normal(conf_dir)) return std::pair{place::conf, name};
    if (parent == lexically_normal(data_dir)) return std::pair{place::data, name};
  }
  const std::string why = pointer.empty()              ? "it is empty"
                          : pointer.front() != '/'     ? "it is not an absolute path"
                          : ours                       ? text::quote(name) + " is a file zkagent writes itself"
                          : zookeepers                 ? text::quote(name) + " is the folder ZooKeeper keeps its snapshots in"
                                                       : "it is not a file directly in either folder";
  return error{error_kind::config,
               "dynamicConfigFile=" + text::quote(pointer) + ": " + why +
                   ". It must be a file directly in the conf folder (" + std::string(conf_dir) +
                   ") or the data folder (" + std::string(data_dir) +
                   "): zkagent reads and writes files only there, whoever wrote that line (a setting, or a zoo.cfg "
                   "ZooKeeper or somebody else rewrote). Point it at, for example, " + std::string(conf_dir) +
                   "/zoo.cfg.dynamic"};
}

}  // namespace zkagent::entrypoint
