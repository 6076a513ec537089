#include "common/system_facts.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/guarded_fs.hpp"

namespace zkagent::system {

env_map environment(char** envp) {
  env_map env;
  for (char** p = envp; p != nullptr && *p != nullptr; ++p) {
    const std::string_view entry(*p);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

result<std::string> short_hostname() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) {
    return error{error_kind::io, std::string("cannot read the host name: ") + std::strerror(errno)};
  }
  std::string name(buffer);
  // Like `hostname -s`: the part before the first dot.
  if (const auto dot = name.find('.'); dot != std::string::npos) name.resize(dot);
  return name;
}

std::optional<std::string> read_optional(const std::string& path) {
  auto content = files::read_file(path, files::max_config_bytes);
  if (!content.ok()) return std::nullopt;
  return content.value();
}

std::vector<std::string> local_addresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (auto* it = list; it != nullptr; it = it->ifa_next) {
    if (it->ifa_addr == nullptr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (it->ifa_addr->sa_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
      if (::inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text) != nullptr) out.emplace_back(text);
    } else if (it->ifa_addr->sa_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(it->ifa_addr);
      if (::inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text) != nullptr) out.emplace_back(text);
    }
  }
  ::freeifaddrs(list);
  return out;
}

}  // namespace zkagent::system
