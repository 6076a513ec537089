#pragma once
// JVM settings: the heap (explicit, from java.env, or derived from the container's memory
// limit) and the flags zkagent passes before the user's. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entrypoint/setting_specs.hpp"

namespace zkagent::entrypoint {

// memory.max (cgroup v2) or memory.limit_in_bytes (v1): nullopt for "max" or the v1 "unlimited"
// sentinel (a number near 2^63).
std::optional<std::uint64_t> parse_cgroup_limit(std::string_view text);

// "512M", "2g", "1048576k", "1024" (MiB): size in MiB; nullopt when malformed or under 1 MiB.
std::optional<std::uint64_t> parse_size_mib(std::string_view text);

struct heap_choice {
  std::uint64_t mib = 0;
  std::string reason;  // for the summary: "--heap", "half the 512 MiB container limit", ...
};

struct heap_inputs {
  std::optional<std::uint64_t> explicit_mib;
  std::string explicit_origin;
  std::optional<std::uint64_t> java_env_mib;
  std::optional<std::uint64_t> memory_limit_bytes;
  invocation invoked_as = invocation::zkagent;
};
heap_choice choose_heap(const heap_inputs& in);

std::vector<std::string> split_jvm_flags(std::string_view text);
bool sets_max_heap(const std::vector<std::string>& flags);

// The heap zkagent accepts, in MiB: ZooKeeper's JVM does not start in less, and more than a TiB
// is a typo (99999999999G).
inline constexpr std::uint64_t min_heap_mib = 32;
inline constexpr std::uint64_t max_heap_mib = 1024 * 1024;

// The last -Xmx<size> or -XX:MaxHeapSize=<size> in flags (the one the JVM takes): the flag and its
// size in MiB in the JVM's syntax (a plain number is bytes), nullopt size when the JVM would refuse it.
struct max_heap_flag {
  std::string flag;
  std::optional<std::uint64_t> mib;
};
std::optional<max_heap_flag> last_max_heap(const std::vector<std::string>& flags);
// The same for the initial heap (-Xms<size>, -XX:InitialHeapSize=<size>): the JVM refuses to start
// when it exceeds the maximum.
std::optional<max_heap_flag> last_initial_heap(const std::vector<std::string>& flags);

// Tokens that are not options ("-..."), nor the value of an option that takes one as the next token
// (--add-opens X): the launcher would pass them to java, which takes the first as its main class.
std::vector<std::string> non_option_tokens(const std::vector<std::string>& flags);
// java's options that may take their value as the next token (-cp X, --add-opens X).
bool takes_next_value(std::string_view flag);

struct jvm_flag_inputs {
  heap_choice heap;
  std::string conf_dir, log_dir, log_level;
  std::vector<std::string> java_env_flags;
  std::vector<std::string> user_flags;  // JVMFLAGS / --jvm-flags
};
// zkagent's flags first, then java.env's, then the user's: the JVM takes the last -Xmx, so the
// user's wins. Heap flags are left out when a later flag sets the heap anyway.
std::vector<std::string> build_jvm_flags(const jvm_flag_inputs& in);

}  // namespace zkagent::entrypoint
