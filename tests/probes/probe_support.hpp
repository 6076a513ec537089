#pragma once
// Shared by the probe tests: run the real zkagent binary as a probe and time it, check its one
// output line, a `zookeeper-ready` symlink, and a fixture with real ZooKeeper members.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "zk_cluster.hpp"

namespace zkagent::testing {

using ms = std::chrono::milliseconds;

struct probe_run {
  run_result result;
  ms wall{};  // measured around the process: start, probe, exit
  std::vector<std::string> lines;
};

// Runs `program args...` (program: zkagent, or a link to it) and times it.
inline probe_run run_probe(const std::string& program, std::vector<std::string> args, const env_vars& env = minimal_env()) {
  args.insert(args.begin(), program);
  const auto started = std::chrono::steady_clock::now();
  probe_run out;
  out.result = run(args, env, 20s);
  out.wall = std::chrono::duration_cast<ms>(std::chrono::steady_clock::now() - started);
  out.lines = lines_of(out.result.out);
  return out;
}

inline probe_run probe(std::vector<std::string> args, const env_vars& env = minimal_env()) {
  return run_probe(ZKAGENT_BINARY, std::move(args), env);
}

// "ready: FAIL: srvr to 127.0.0.1:PORT: REASON (N ms)": exactly one line, nothing on stderr.
inline ::testing::AssertionResult one_verdict_line(const probe_run& run, const std::string& probe_name,
                                                   const std::string& command, std::uint16_t port, bool pass,
                                                   const std::string& reason) {
  const auto& r = run.result;
  if (run.lines.size() != 1 || !r.out.ends_with("\n")) {
    return ::testing::AssertionFailure() << "expected exactly one line on stdout, got: [" << r.out << "]" << r.err;
  }
  if (!r.err.empty()) return ::testing::AssertionFailure() << "stderr is not empty: " << r.err;
  const std::string head = probe_name + ": " + (pass ? "pass" : "FAIL") + ": " + command + " to 127.0.0.1:" +
                           std::to_string(port) + ": ";
  const auto& line = run.lines.front();
  if (!line.starts_with(head)) return ::testing::AssertionFailure() << "expected [" << head << "...], got: " << line;
  if (line.find(reason, head.size()) == std::string::npos) {
    return ::testing::AssertionFailure() << "expected the reason [" << reason << "] in: " << line;
  }
  if (!line.ends_with(" ms)")) return ::testing::AssertionFailure() << "no duration at the end of: " << line;
  return ::testing::AssertionSuccess() << line;
}

// A link named zookeeper-ready to zkagent, in dir: how images install the tutorial's script name.
inline std::string zookeeper_ready_link(const temp_dir& dir) {
  const auto link = dir / "zookeeper-ready";
  if (::symlink(ZKAGENT_BINARY, link.c_str()) != 0 && errno != EEXIST) ADD_FAILURE() << "symlink " << link;
  return link;
}

// Real ZooKeeper members for a test; their output is printed when the test fails.
class zookeeper_probes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto missing = missing_zookeeper_prerequisites(); !missing.empty()) {
      FAIL() << "cannot run ZooKeeper: " << missing;
    }
  }
  void TearDown() override {
    if (HasFailure()) std::cout << cluster_.report();
    cluster_.kill_all();
  }

  temp_dir root_;  // first member: removed after every process is gone
  zk_cluster cluster_{root_.path()};
};

}  // namespace zkagent::testing
