// A stop signal while `start` prepares ends it with 128+N before any JVM is launched. The signal is
// made pending before zkagent's first instruction (pending_signal_launcher), so the test does not
// race the steps; the recording fake java proves no JVM ran.
#include <signal.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_fixture.hpp"

namespace zkagent::cli_tests {
namespace {

using testing::snapshot_tree;

class early_stop : public cli_test, public ::testing::WithParamInterface<int> {
 protected:
  // `zkagent start <dirs> <fake launch flags>`, with `sig` pending from the start when non-zero.
  run_result start(int sig) {
    std::vector<std::string> argv;
    if (sig != 0) argv = {PENDING_SIGNAL_LAUNCHER_BINARY, std::to_string(sig)};
    argv.insert(argv.end(), {ZKAGENT_BINARY, "start"});
    const auto dirs = dir_flags();
    argv.insert(argv.end(), dirs.begin(), dirs.end());
    const auto launch = fake_launch_flags();
    argv.insert(argv.end(), launch.begin(), launch.end());
    return testing::run(argv);
  }
};

std::string stop_name(int sig) {
  std::string name = "SIG";
  name += ::sigabbrev_np(sig);
  return name;
}

INSTANTIATE_TEST_SUITE_P(signals, early_stop, ::testing::Values(SIGTERM, SIGINT, SIGQUIT, SIGHUP),
                         [](const auto& p) { return std::string(::sigabbrev_np(p.param)); });

TEST_P(early_stop, APendingStopSignalEndsStartBeforeTheJvm) {
  const int sig = GetParam();
  const auto r = start(sig);
  EXPECT_EQ(r.exit_code, 128 + sig) << r.err;
  EXPECT_FALSE(java_ran()) << "a JVM was started; log:\n" << r.err;
  EXPECT_TRUE(contains(r.err, "stopped by " + stop_name(sig) + " before ZooKeeper was started")) << r.err;
  // Caught at the first step boundary: nothing was written yet.
  EXPECT_FALSE(testing::exists(zoo_cfg())) << r.err;

  // Without the signal, the next start proceeds.
  const auto next = start(0);
  EXPECT_EQ(next.exit_code, 0) << next.err;
  EXPECT_TRUE(java_ran()) << next.err;
  EXPECT_EQ(parse_cfg(testing::read_file(zoo_cfg())).at("dataDir"), data());
}

TEST_F(early_stop, AStopAfterAStartLeavesItsFilesWhole) {
  const auto first = start(0);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_TRUE(java_ran()) << first.err;
  std::filesystem::remove(record_path());
  const auto before = snapshot_tree(conf());
  ASSERT_FALSE(before.empty());

  const auto stopped = start(SIGTERM);
  EXPECT_EQ(stopped.exit_code, 143) << stopped.err;
  EXPECT_FALSE(java_ran()) << stopped.err;
  EXPECT_EQ(snapshot_tree(conf()), before);
  EXPECT_EQ(parse_cfg(testing::read_file(zoo_cfg())).at("dataDir"), data());

  const auto again = start(0);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(java_ran()) << again.err;
}

}  // namespace
}  // namespace zkagent::cli_tests
