#include "common/system_facts.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <ctime>
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

std::chrono::steady_clock::time_point process_started() {
  const auto now = std::chrono::steady_clock::now();
  // A plain read into a stack buffer: the kernel writes this file, so the guarded walk (several
  // system calls) buys nothing here, and every exec probe runs it. The fields up to the start
  // time fit in 1 KiB whatever the command name.
  char buffer[1024];
  const int fd = ::open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return now;
  const auto got = ::read(fd, buffer, sizeof buffer);
  ::close(fd);
  timespec boot{};
  const long ticks = ::sysconf(_SC_CLK_TCK);
  if (got <= 0 || ticks <= 0 || ::clock_gettime(CLOCK_BOOTTIME, &boot) != 0) return now;
  const std::string_view stat(buffer, static_cast<std::size_t>(got));
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string_view::npos) return now;
  constexpr std::size_t starttime_index = 19;  // field 22 of proc(5); field 3 (state) is index 0
  std::string_view rest = stat.substr(close + 1);
  std::string_view field;
  for (std::size_t i = 0; i <= starttime_index; ++i) {
    const auto begin = rest.find_first_not_of(' ');
    if (begin == std::string_view::npos) return now;
    rest.remove_prefix(begin);
    const auto end = std::min(rest.find(' '), rest.size());
    field = rest.substr(0, end);
    rest.remove_prefix(end);
  }
  const auto start_ticks = text::parse_uint(field, 0, UINT64_MAX);
  if (!start_ticks) return now;
  const auto since_boot = std::chrono::seconds(boot.tv_sec) + std::chrono::nanoseconds(boot.tv_nsec);
  // The kernel truncates to a tick: the start lies within the tick after, so its end is taken, and a
  // deadline counted from here never ends before the full timeout has passed since the exec.
  const auto at_start = std::chrono::nanoseconds(static_cast<std::int64_t>(*start_ticks + 1) * 1'000'000'000 / ticks);
  const auto elapsed = since_boot - at_start;
  // A clock step or a wrong reading must not eat the deadline: at most a second is counted back.
  if (elapsed <= std::chrono::nanoseconds::zero() || elapsed > std::chrono::seconds(1)) return now;
  return now - std::chrono::duration_cast<std::chrono::steady_clock::duration>(elapsed);
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
