#pragma once
// Replies recorded from a real ZooKeeper 3.8.0 (four-letter words and AdminServer JSON), kept under
// tests/golden/replies/ (its README says how they were recorded). A missing file fails the test.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace zkagent::testing {

inline std::string recorded(std::string_view name) {
  const std::string path = std::string(ZKAGENT_GOLDEN_DIR) + "/replies/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "missing recorded reply " << path;
    return {};
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A verdict's reason goes on the probe's one output line: one line, not empty, short.
inline ::testing::AssertionResult one_line(const std::string& reason) {
  if (reason.empty()) return ::testing::AssertionFailure() << "empty reason";
  if (reason.find_first_of("\r\n") != std::string::npos) return ::testing::AssertionFailure() << "multi-line: " << reason;
  if (reason.size() > 240) return ::testing::AssertionFailure() << "longer than 240 characters: " << reason;
  return ::testing::AssertionSuccess();
}

}  // namespace zkagent::testing
