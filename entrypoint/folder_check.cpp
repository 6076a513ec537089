#include "entrypoint/folder_check.hpp"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <array>

namespace zkagent::entrypoint {
namespace {

std::optional<std::string> read_link(const std::string& link) {
  std::array<char, PATH_MAX + 1> buf{};
  const ssize_t n = ::readlink(link.c_str(), buf.data(), buf.size() - 1);
  if (n <= 0) return std::nullopt;
  return std::string(buf.data(), static_cast<std::size_t>(n));
}

seen_path seen(const std::string& path) { return {path, resolved_path(path)}; }

}  // namespace

std::optional<std::string> resolved_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  auto where = read_link("/proc/self/fd/" + std::to_string(fd));
  ::close(fd);
  // A file removed meanwhile reads back as "... (deleted)": not a place to compare.
  if (where && (where->empty() || where->front() != '/' || where->ends_with(" (deleted)"))) return std::nullopt;
  return where;
}

folder_facts gather_folder_facts(const std::optional<std::string>& java, const env_map& env,
                                 const std::optional<std::string>& zookeeper_home) {
  folder_facts facts;
  for (const auto folder : system_folders()) facts.system.push_back(seen(std::string(folder)));
  if (auto self = read_link("/proc/self/exe")) facts.held.push_back({"the zkagent binary", seen(*self)});
  if (java) facts.held.push_back({"the java zkagent runs", seen(*java)});
  if (const auto home = env.find("JAVA_HOME"); home != env.end() && !home->second.empty()) {
    facts.held.push_back({"JAVA_HOME", seen(home->second)});
  }
  if (zookeeper_home) facts.held.push_back({"the ZooKeeper installation", seen(*zookeeper_home)});
  return facts;
}

void resolve_candidates(std::vector<folder_setting>& candidates) {
  for (auto& c : candidates) c.folder.resolved = resolved_path(c.folder.path);
}

}  // namespace zkagent::entrypoint
