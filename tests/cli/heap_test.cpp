// The heap: --heap becomes -Xmx/-Xms in java.env and on java's command line; an -Xmx in JVMFLAGS
// comes last and wins, with a warning; a heap that is no size is refused.
#include <algorithm>

#include "cli_fixture.hpp"

namespace zkagent::cli_tests {
namespace {

using testing::minimal_env;
using testing::read_file;

class heap : public cli_test {
 protected:
  [[nodiscard]] std::vector<std::string> member(std::vector<std::string> more) const {
    std::vector<std::string> args{"--servers=3", "--hostname=zk-1", std::string("--domain=") + tutorial_domain};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
  [[nodiscard]] std::string java_env() const { return read_file(conf() + "/java.env"); }

  static std::vector<std::string> heap_flags(const std::vector<std::string>& argv) {
    std::vector<std::string> out;
    std::copy_if(argv.begin(), argv.end(), std::back_inserter(out),
                 [](const std::string& a) { return a.starts_with("-Xmx") || a.starts_with("-Xms"); });
    return out;
  }
};

TEST_F(heap, HeapFlagBecomesXmxAndXmsInJavaEnv) {
  const auto r = command("config", member({"--heap=512M"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(java_env(), "-Xmx512m")) << java_env();
  EXPECT_TRUE(contains(java_env(), "-Xms512m")) << java_env();
  EXPECT_TRUE(contains(r.out, "heap: 512 MiB")) << r.out;
}

TEST_F(heap, HeapFlagBecomesXmxAndXmsOnJavasCommandLine) {
  auto args = member({"--heap=2G"});
  const auto launch = fake_launch_flags();
  args.insert(args.end(), launch.begin(), launch.end());
  const auto r = command("start", args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(java_ran()) << r.err;
  EXPECT_EQ(heap_flags(recorded_java_argv()), (std::vector<std::string>{"-Xmx2048m", "-Xms2048m"}));
  EXPECT_TRUE(contains(java_env(), "-Xmx2048m")) << java_env();
}

TEST_F(heap, HeapFromTheEnvironment) {
  auto env = minimal_env();
  env["ZOO_HEAP_SIZE"] = "300m";
  const auto r = command("config", member({}), env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(java_env(), "-Xmx300m")) << java_env();
}

TEST_F(heap, JvmflagsXmxWinsOverHeapWithAWarning) {
  auto env = minimal_env();
  env["JVMFLAGS"] = "-Xmx300m";
  auto args = member({"--heap=512M"});
  const auto launch = fake_launch_flags();
  args.insert(args.end(), launch.begin(), launch.end());
  const auto r = command("start", args, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "warning")) << r.err;
  EXPECT_TRUE(contains(r.err, "JVMFLAGS")) << r.err;
  EXPECT_TRUE(contains(r.err, "--heap")) << r.err;
  ASSERT_TRUE(java_ran()) << r.err;
  const auto argv = recorded_java_argv();
  const auto flags = heap_flags(argv);
  ASSERT_FALSE(flags.empty());
  // The JVM takes the last -Xmx: it must be JVMFLAGS', and no -Xms above it may remain.
  std::string last_xmx;
  for (const auto& f : flags) {
    if (f.starts_with("-Xmx")) last_xmx = f;
    EXPECT_NE(f, "-Xms512m") << "an -Xms above the -Xmx makes the JVM refuse to start";
  }
  EXPECT_EQ(last_xmx, "-Xmx300m");
  const auto user = std::find(argv.begin(), argv.end(), "-Xmx300m");
  const auto cp = std::find(argv.begin(), argv.end(), "-cp");
  EXPECT_LT(user, cp);
  EXPECT_TRUE(contains(java_env(), "-Xmx300m")) << java_env();
}

TEST_F(heap, JvmflagsWithoutHeapFlagDoesNotWarn) {
  auto env = minimal_env();
  env["JVMFLAGS"] = "-Xmx300m";
  const auto r = command("config", member({}), env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.err, "overridden")) << r.err;
  EXPECT_TRUE(contains(java_env(), "-Xmx300m")) << java_env();
}

TEST_F(heap, HeapThatIsNoSizeIsRefused) {
  auto env = minimal_env();
  env["ZOO_HEAP_SIZE"] = "abc";
  const auto r = command("config", member({}), env);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "ZOO_HEAP_SIZE='abc'")) << r.err;
  EXPECT_FALSE(testing::exists(conf() + "/java.env"));
}

}  // namespace
}  // namespace zkagent::cli_tests
