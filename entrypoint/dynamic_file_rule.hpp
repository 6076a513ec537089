#pragma once
// Where a dynamicConfigFile may be, whoever named it (a setting, or a zoo.cfg ZooKeeper or somebody
// else rewrote): directly in the conf or the data folder, under a name zkagent does not write
// itself. Anything else would have root create or read a file wherever a line of text points. The
// resolver applies it to the settings (exit 2 before anything is written); the writer applies it
// again to every pointer it reads back. Pure.
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"

namespace zkagent::entrypoint {

// The folder a file lives in: every file zkagent reads or writes is directly in the conf or the
// data folder, opened once (guarded_fs) and locked for the run.
enum class place { conf, data };

// The names of the files in the conf dir zkagent manages.
inline constexpr std::string_view managed_files[] = {"zoo.cfg", "log4j.properties", "logback.xml", "java.env"};

// The folder and the name in it, or an error naming the pointer and both folders.
result<std::pair<place, std::string>> dynamic_file_place(std::string_view conf_dir, std::string_view data_dir,
                                                         const std::string& pointer);

}  // namespace zkagent::entrypoint
