#pragma once
// <conf>/java.env is a shell fragment people keep heap and JVM flags in. zkagent runs no shell,
// so it reads the few assignments that matter and says which lines it ignores. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zkagent::entrypoint {

struct java_env {
  std::vector<std::string> jvm_flags;       // JVMFLAGS and SERVER_JVMFLAGS, split on spaces
  std::optional<std::uint64_t> heap_mib;    // ZK_SERVER_HEAP (MiB)
  std::vector<std::string> warnings;
};

java_env parse_java_env(std::string_view text, std::string_view path);

}  // namespace zkagent::entrypoint
