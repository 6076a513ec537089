#include "entrypoint/jvm_settings.hpp"

#include <algorithm>
#include <iterator>

#include "common/text.hpp"

namespace zkagent::entrypoint {

std::optional<std::uint64_t> parse_cgroup_limit(std::string_view text_value) {
  const auto value = text::trim(text_value);
  if (value == "max") return std::nullopt;
  const auto bytes = text::parse_uint(value, 1, UINT64_MAX);
  // cgroup v1 reports "no limit" as the largest page-aligned 63-bit number.
  if (!bytes || *bytes >= (std::uint64_t{1} << 60)) return std::nullopt;
  return bytes;
}

std::optional<std::uint64_t> parse_size_mib(std::string_view text_value) {
  const auto value = text::trim(text_value);
  if (value.empty()) return std::nullopt;
  std::uint64_t divisor = 1;
  std::uint64_t multiplier = 1;
  std::string_view digits = value;
  switch (value.back()) {
    case 'k': case 'K': divisor = 1024; digits.remove_suffix(1); break;
    case 'm': case 'M': digits.remove_suffix(1); break;
    case 'g': case 'G': multiplier = 1024; digits.remove_suffix(1); break;
    case 't': case 'T': multiplier = 1024 * 1024; digits.remove_suffix(1); break;
    default: break;
  }
  const auto number = text::parse_uint(digits, 1, std::uint64_t{1} << 40);
  if (!number) return std::nullopt;
  const auto mib = *number * multiplier / divisor;
  if (mib < 1) return std::nullopt;
  return mib;
}

heap_choice choose_heap(const heap_inputs& in) {
  if (in.explicit_mib) return {*in.explicit_mib, in.explicit_origin};
  if (in.java_env_mib) return {*in.java_env_mib, "ZK_SERVER_HEAP in java.env"};
  if (in.memory_limit_bytes) {
    // Half the limit leaves room for metaspace, thread stacks and Netty's direct buffers.
    const auto limit_mib = *in.memory_limit_bytes / (1024 * 1024);
    const auto mib = std::max<std::uint64_t>(limit_mib / 2, 32);
    return {mib, "half the container memory limit of " + std::to_string(limit_mib) + " MiB"};
  }
  if (in.invoked_as == invocation::start_zookeeper) return {2048, "start-zookeeper's default (no memory limit found)"};
  return {1024, "default (no memory limit found)"};
}

std::vector<std::string> split_jvm_flags(std::string_view text_value) { return text::split(text_value, " \t", true); }

bool sets_max_heap(const std::vector<std::string>& flags) {
  for (const auto& flag : flags) {
    if (flag.starts_with("-Xmx") || flag.starts_with("-XX:MaxRAMPercentage") || flag.starts_with("-XX:MaxHeapSize")) {
      return true;
    }
  }
  return false;
}

namespace {

// The last flag in `flags` starting with either prefix, and its size in the JVM's syntax.
std::optional<max_heap_flag> last_size_flag(const std::vector<std::string>& flags, std::string_view short_prefix,
                                            std::string_view long_prefix) {
  std::optional<max_heap_flag> found;
  for (const auto& flag : flags) {
    std::string_view size;
    if (flag.starts_with(short_prefix)) size = std::string_view(flag).substr(short_prefix.size());
    else if (flag.starts_with(long_prefix)) size = std::string_view(flag).substr(long_prefix.size());
    else continue;
    found = max_heap_flag{flag, std::nullopt};
    if (size.empty()) continue;
    std::uint64_t unit = 1;  // the JVM reads a plain number as bytes
    switch (size.back()) {
      case 'k': case 'K': unit = std::uint64_t{1} << 10; size.remove_suffix(1); break;
      case 'm': case 'M': unit = std::uint64_t{1} << 20; size.remove_suffix(1); break;
      case 'g': case 'G': unit = std::uint64_t{1} << 30; size.remove_suffix(1); break;
      case 't': case 'T': unit = std::uint64_t{1} << 40; size.remove_suffix(1); break;
      default: break;
    }
    // Bounded so that the product stays in 64 bits: 2^20 T is far beyond any heap.
    if (const auto number = text::parse_uint(size, 0, std::uint64_t{1} << 20 << 20)) {
      const auto bytes = static_cast<long double>(*number) * static_cast<long double>(unit);
      found->mib = static_cast<std::uint64_t>(std::min<long double>(bytes / (1 << 20), 1e18L));
    }
  }
  return found;
}

}  // namespace

std::optional<max_heap_flag> last_max_heap(const std::vector<std::string>& flags) {
  return last_size_flag(flags, "-Xmx", "-XX:MaxHeapSize=");
}

std::optional<max_heap_flag> last_initial_heap(const std::vector<std::string>& flags) {
  return last_size_flag(flags, "-Xms", "-XX:InitialHeapSize=");
}

bool takes_next_value(std::string_view flag) {
  // java's options whose value may follow as the next token.
  static constexpr std::string_view takes_value[] = {"-cp", "-classpath", "--class-path", "--add-opens",
                                                     "--add-exports", "--add-reads", "--add-modules",
                                                     "--limit-modules", "--patch-module", "--module-path", "-p",
                                                     "--upgrade-module-path", "--enable-native-access"};
  return std::find(std::begin(takes_value), std::end(takes_value), flag) != std::end(takes_value);
}

std::vector<std::string> non_option_tokens(const std::vector<std::string>& flags) {
  std::vector<std::string> out;
  bool value_expected = false;
  for (const auto& flag : flags) {
    if (value_expected) {
      value_expected = false;
      continue;
    }
    // @file is the launcher's argument file (JDK 9+), expanded into options before the main class;
    // @@x is the literal argument @x.
    const bool arg_file = flag.starts_with("@") && !flag.starts_with("@@") && flag.size() > 1;
    if (!flag.starts_with("-") && !arg_file) {
      out.push_back(flag);
      continue;
    }
    value_expected = takes_next_value(flag);
  }
  return out;
}

std::vector<std::string> build_jvm_flags(const jvm_flag_inputs& in) {
  std::vector<std::string> flags;
  const bool overridden = sets_max_heap(in.java_env_flags) || sets_max_heap(in.user_flags);
  if (!overridden) {
    const auto heap = std::to_string(in.heap.mib) + "m";
    flags.push_back("-Xmx" + heap);
    flags.push_back("-Xms" + heap);
  }
  // No shell is left to catch an OutOfMemoryError: the JVM must exit so the pod restarts.
  flags.emplace_back("-XX:+ExitOnOutOfMemoryError");
  flags.push_back("-Dzookeeper.log.dir=" + in.log_dir);
  flags.push_back("-Dzookeeper.root.logger=" + in.log_level + ",CONSOLE");
  flags.push_back("-Dzookeeper.console.threshold=" + in.log_level);
  flags.push_back("-Dlog4j.configuration=file:" + in.conf_dir + "/log4j.properties");
  flags.push_back("-Dlogback.configurationFile=" + in.conf_dir + "/logback.xml");
  for (const auto& flag : in.java_env_flags) flags.push_back(flag);
  for (const auto& flag : in.user_flags) flags.push_back(flag);
  return flags;
}

}  // namespace zkagent::entrypoint
