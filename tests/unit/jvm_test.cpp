// jvm_settings and java_env: memory limits and sizes, the heap choice, the JVM flag order, and the
// few java.env assignments zkagent honours (it runs no shell). Pure.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/text.hpp"
#include "entrypoint/java_env.hpp"
#include "entrypoint/jvm_settings.hpp"

namespace zkagent::entrypoint {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += item + "\n";
  return out;
}

bool any_contains(const std::vector<std::string>& items, const std::string& part) {
  for (const auto& item : items) {
    if (item.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST(jvm_parse_cgroup_limit, reads_v1_and_v2_files) {
  const std::vector<std::pair<std::string, std::optional<std::uint64_t>>> cases{
      {"max", std::nullopt},
      {"max\n", std::nullopt},
      {"9223372036854771712", std::nullopt},    // cgroup v1 "unlimited"
      {"9223372036854771712\n", std::nullopt},
      {"9223372036854775807", std::nullopt},
      {"536870912\n", 536'870'912},
      {"536870912", 536'870'912},
      {"1073741824", 1'073'741'824},
      {"137438953472\n", 137'438'953'472},  // 128 GiB is a limit, not a sentinel
      {"", std::nullopt},
      {"\n", std::nullopt},
      {"0", std::nullopt},
      {"-1", std::nullopt},
      {"512M", std::nullopt},
      {"garbage", std::nullopt},
  };
  for (const auto& [input, expected] : cases) {
    SCOPED_TRACE("input: " + text::quote(input));
    EXPECT_EQ(parse_cgroup_limit(input), expected);
  }
}

TEST(jvm_parse_size_mib, reads_jvm_style_sizes_in_mib) {
  const std::vector<std::pair<std::string, std::optional<std::uint64_t>>> cases{
      {"512M", 512},
      {"512m", 512},
      {"2g", 2048},
      {"2G", 2048},
      {"1t", 1024 * 1024},
      {"1048576k", 1024},
      {"1048576K", 1024},
      {"1536k", 1},  // rounds down to whole MiB
      {"1024", 1024},
      {" 256M ", 256},
      {"0", std::nullopt},
      {"0M", std::nullopt},
      {"512k", std::nullopt},  // under 1 MiB
      {"-1", std::nullopt},
      {"-1G", std::nullopt},
      {"12X", std::nullopt},
      {"1.5G", std::nullopt},
      {"G", std::nullopt},
      {"", std::nullopt},
      {"  ", std::nullopt},
      {"512MB", std::nullopt},
      {"99999999999999999999G", std::nullopt},
  };
  for (const auto& [input, expected] : cases) {
    SCOPED_TRACE("input: " + text::quote(input));
    EXPECT_EQ(parse_size_mib(input), expected);
  }
}

TEST(jvm_choose_heap, explicit_then_java_env_then_half_the_limit_then_the_default) {
  constexpr std::uint64_t mib = 1024 * 1024;
  struct heap_case {
    std::string name;
    std::optional<std::uint64_t> explicit_mib;
    std::string explicit_origin;
    std::optional<std::uint64_t> java_env_mib;
    std::optional<std::uint64_t> memory_limit_bytes;
    invocation invoked_as;
    std::uint64_t expected_mib;
    std::string reason_part;
  };
  const std::vector<heap_case> cases{
      {"explicit wins over everything", 700, "--heap", 300, 512 * mib, invocation::start_zookeeper, 700, "--heap"},
      {"explicit from the environment", 600, "ZOO_HEAP_SIZE", std::nullopt, std::nullopt, invocation::zkagent, 600,
       "ZOO_HEAP_SIZE"},
      {"java.env over the limit", std::nullopt, "", 300, 512 * mib, invocation::zkagent, 300, "java.env"},
      {"half the limit", std::nullopt, "", std::nullopt, 512 * mib, invocation::zkagent, 256,
       "half the container memory limit of 512 MiB"},
      {"half the limit as start-zookeeper too", std::nullopt, "", std::nullopt, 512 * mib, invocation::start_zookeeper,
       256, "half"},
      {"half an odd limit", std::nullopt, "", std::nullopt, 1000 * mib + 12345, invocation::zkagent, 500, "1000 MiB"},
      {"at least 32 MiB", std::nullopt, "", std::nullopt, 40 * mib, invocation::zkagent, 32, "40 MiB"},
      {"at least 32 MiB under a tiny limit", std::nullopt, "", std::nullopt, 10 * mib, invocation::zkagent, 32, "half"},
      {"no limit: 1G", std::nullopt, "", std::nullopt, std::nullopt, invocation::zkagent, 1024, "default"},
      {"no limit as start-zookeeper: its 2G", std::nullopt, "", std::nullopt, std::nullopt, invocation::start_zookeeper,
       2048, "start-zookeeper"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    heap_inputs in;
    in.explicit_mib = c.explicit_mib;
    in.explicit_origin = c.explicit_origin;
    in.java_env_mib = c.java_env_mib;
    in.memory_limit_bytes = c.memory_limit_bytes;
    in.invoked_as = c.invoked_as;
    const auto got = choose_heap(in);
    EXPECT_EQ(got.mib, c.expected_mib);
    EXPECT_NE(got.reason.find(c.reason_part), std::string::npos) << got.reason;
  }
}

TEST(jvm_sets_max_heap, recognises_every_way_to_set_the_maximum_heap) {
  const std::vector<std::pair<std::vector<std::string>, bool>> cases{
      {{}, false},
      {{"-Xmx512m"}, true},
      {{"-XX:+UseG1GC", "-Xmx1g"}, true},
      {{"-XX:MaxRAMPercentage=50"}, true},
      {{"-XX:MaxHeapSize=1g"}, true},
      {{"-Xms512m"}, false},
      {{"-Dfoo=-Xmx1g"}, false},
      {{"-XX:+ExitOnOutOfMemoryError"}, false},
  };
  for (const auto& [flags, expected] : cases) {
    SCOPED_TRACE(joined(flags));
    EXPECT_EQ(sets_max_heap(flags), expected);
  }
  EXPECT_EQ(split_jvm_flags("  -Xmx1g \t -Dzookeeper.x=y  "), (std::vector<std::string>{"-Xmx1g", "-Dzookeeper.x=y"}));
  EXPECT_TRUE(split_jvm_flags("").empty());
}

TEST(jvm_build_flags, zkagents_flags_then_java_env_then_the_users) {
  jvm_flag_inputs in;
  in.heap = {512, "--heap"};
  in.conf_dir = "/conf";
  in.log_dir = "/logs";
  in.log_level = "INFO";
  in.java_env_flags = {"-Djava.env=1"};
  in.user_flags = {"-XX:+UseG1GC", "-Dzookeeper.user=1"};
  const std::vector<std::string> expected{
      "-Xmx512m",
      "-Xms512m",
      "-XX:+ExitOnOutOfMemoryError",
      "-Dzookeeper.log.dir=/logs",
      "-Dzookeeper.root.logger=INFO,CONSOLE",
      "-Dzookeeper.console.threshold=INFO",
      "-Dlog4j.configuration=file:/conf/log4j.properties",
      "-Dlogback.configurationFile=/conf/logback.xml",
      "-Djava.env=1",
      "-XX:+UseG1GC",
      "-Dzookeeper.user=1",
  };
  EXPECT_EQ(build_jvm_flags(in), expected) << joined(build_jvm_flags(in));
}

TEST(jvm_build_flags, leaves_out_the_heap_when_a_later_flag_sets_it) {
  struct override_case {
    std::string name;
    std::vector<std::string> java_env_flags;
    std::vector<std::string> user_flags;
    bool heap_flags_expected;
  };
  const std::vector<override_case> cases{
      {"nothing overrides", {}, {"-XX:+UseG1GC"}, true},
      {"JVMFLAGS sets -Xmx", {}, {"-Xmx300m"}, false},
      {"JVMFLAGS sets MaxRAMPercentage", {}, {"-XX:MaxRAMPercentage=75"}, false},
      {"java.env sets -Xmx", {"-Xmx400m"}, {}, false},
      {"only -Xms in JVMFLAGS", {}, {"-Xms64m"}, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    jvm_flag_inputs in;
    in.heap = {1024, "default"};
    in.conf_dir = "/opt/zookeeper/conf";
    in.log_dir = "/var/log/zookeeper";
    in.log_level = "WARN";
    in.java_env_flags = c.java_env_flags;
    in.user_flags = c.user_flags;
    const auto flags = build_jvm_flags(in);
    EXPECT_EQ(any_contains(flags, "-Xmx1024m"), c.heap_flags_expected) << joined(flags);
    EXPECT_EQ(any_contains(flags, "-Xms1024m"), c.heap_flags_expected) << joined(flags);
    // The user's flags are always last, in their order.
    std::vector<std::string> tail(flags.end() - static_cast<std::ptrdiff_t>(c.user_flags.size()), flags.end());
    EXPECT_EQ(tail, c.user_flags);
    EXPECT_TRUE(any_contains(flags, "-Dzookeeper.root.logger=WARN,CONSOLE")) << joined(flags);
    EXPECT_TRUE(any_contains(flags, "-Dlog4j.configuration=file:/opt/zookeeper/conf/log4j.properties"));
  }
}

TEST(java_env_parse, reads_jvm_flags_and_the_heap_with_export_and_quotes) {
  const auto got = parse_java_env(
      "# java.env from an older image\n"
      "\n"
      "export JVMFLAGS=\"-Xmx300m -XX:+UseG1GC\"\n"
      "SERVER_JVMFLAGS='-Dzookeeper.x=1'\n"
      "  export   ZK_SERVER_HEAP=700  \n"
      "JVMFLAGS=-Dplain=1\n",
      "/conf/java.env");
  EXPECT_EQ(got.jvm_flags, (std::vector<std::string>{"-Xmx300m", "-XX:+UseG1GC", "-Dzookeeper.x=1", "-Dplain=1"}));
  EXPECT_EQ(got.heap_mib, std::optional<std::uint64_t>{700});
  EXPECT_TRUE(got.warnings.empty()) << joined(got.warnings);
}

TEST(java_env_parse, warns_about_every_line_it_ignores) {
  struct warning_case {
    std::string line;
    std::vector<std::string> warning_parts;
  };
  const std::vector<warning_case> cases{
      {"JVMFLAGS=\"$JVMFLAGS -Dx=1\"", {"/conf/java.env:1", "JVMFLAGS", "shell expansion"}},
      {"SERVER_JVMFLAGS=\"${SERVER_JVMFLAGS} -Dx=1\"", {"/conf/java.env:1", "SERVER_JVMFLAGS", "shell expansion"}},
      {"ZK_SERVER_HEAP=`nproc`", {"ZK_SERVER_HEAP", "shell expansion"}},
      {"JAVA_HOME=/usr/lib/jvm/java-17", {"/conf/java.env:1", "not JAVA_HOME"}},
      {"export ZOO_LOG4J_PROP=INFO,ROLLINGFILE", {"not ZOO_LOG4J_PROP"}},
      {"ZK_SERVER_HEAP=2g", {"ZK_SERVER_HEAP must be a number of MiB", "'2g'"}},
      {"ZK_SERVER_HEAP=", {"ZK_SERVER_HEAP must be a number of MiB", "''"}},
      {"ZK_SERVER_HEAP=0", {"ZK_SERVER_HEAP must be a number of MiB"}},
      {"if [ -x /bin/true ]; then", {"/conf/java.env:1", "runs no shell"}},
      {"export JVMFLAGS", {"runs no shell"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.line);
    const auto got = parse_java_env(c.line + "\n", "/conf/java.env");
    EXPECT_TRUE(got.jvm_flags.empty()) << joined(got.jvm_flags);
    EXPECT_FALSE(got.heap_mib.has_value());
    ASSERT_EQ(got.warnings.size(), 1U) << joined(got.warnings);
    for (const auto& part : c.warning_parts) {
      EXPECT_NE(got.warnings[0].find(part), std::string::npos) << got.warnings[0] << " lacks " << part;
    }
  }
}

TEST(java_env_parse, line_numbers_count_blank_and_comment_lines) {
  const auto got = parse_java_env("# one\n\nJVMFLAGS=-Dok=1\nUNKNOWN=1\n", "/opt/zookeeper/conf/java.env");
  EXPECT_EQ(got.jvm_flags, std::vector<std::string>{"-Dok=1"});
  ASSERT_EQ(got.warnings.size(), 1U);
  EXPECT_NE(got.warnings[0].find("/opt/zookeeper/conf/java.env:4"), std::string::npos) << got.warnings[0];
}

}  // namespace
}  // namespace zkagent::entrypoint
