#pragma once
// What every CLI test shares: a temp root holding the folders zkagent writes, the real binary run
// with an exact environment, a recording fake java for `start`, a fake upstream ZooKeeper home,
// and small readers for zoo.cfg and the recorded java argv.
#include <sys/stat.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace zkagent::cli_tests {

using testing::env_vars;
using testing::run_result;

inline constexpr const char* tutorial_domain = "zk-hs.default.svc.cluster.local";

// zoo.cfg as key -> value (comments and blank lines skipped; a repeated key is a test failure).
inline std::map<std::string, std::string> parse_cfg(const std::string& text) {
  std::map<std::string, std::string> out;
  for (const auto& line : testing::lines_of(text)) {
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      ADD_FAILURE() << "zoo.cfg line without '=': " << line;
      continue;
    }
    const auto [it, inserted] = out.emplace(line.substr(0, eq), line.substr(eq + 1));
    if (!inserted) {
      ADD_FAILURE() << "zoo.cfg sets " << it->first << " twice";
    }
  }
  return out;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

inline ino_t inode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    ADD_FAILURE() << "cannot stat " << path;
    return 0;
  }
  return st.st_ino;
}

// The myid file's id: its content without one trailing newline.
inline std::string myid_value(const std::string& path) {
  auto text = testing::read_file(path);
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

class cli_test : public ::testing::Test {
 protected:
  [[nodiscard]] std::string root() const { return tmp_.path(); }
  [[nodiscard]] std::string at(const std::string& name) const { return tmp_ / name; }
  [[nodiscard]] std::string conf() const { return at("conf"); }
  [[nodiscard]] std::string data() const { return at("data"); }
  [[nodiscard]] std::string data_log() const { return at("datalog"); }
  [[nodiscard]] std::string logs() const { return at("logs"); }
  [[nodiscard]] std::string zoo_cfg() const { return conf() + "/zoo.cfg"; }
  [[nodiscard]] std::string myid_file() const { return data() + "/myid"; }

  // The four folders, always inside the temp root.
  [[nodiscard]] std::vector<std::string> dir_flags() const {
    return {"--conf-dir=" + conf(), "--data-dir=" + data(), "--data-log-dir=" + data_log(), "--log-dir=" + logs()};
  }

  // The four folders through the official image's variables instead.
  [[nodiscard]] env_vars dir_env() const {
    auto env = testing::minimal_env();
    env["ZOO_CONF_DIR"] = conf();
    env["ZOO_DATA_DIR"] = data();
    env["ZOO_DATA_LOG_DIR"] = data_log();
    env["ZOO_LOG_DIR"] = logs();
    return env;
  }

  static run_result zkagent(const std::vector<std::string>& args, const env_vars& env = testing::minimal_env()) {
    std::vector<std::string> argv{ZKAGENT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run(argv, env);
  }

  // `zkagent <command> <dir flags> <args>`
  [[nodiscard]] run_result command(const std::string& name, const std::vector<std::string>& args,
                                   const env_vars& env = testing::minimal_env()) const {
    std::vector<std::string> all{name};
    const auto dirs = dir_flags();
    all.insert(all.end(), dirs.begin(), dirs.end());
    all.insert(all.end(), args.begin(), args.end());
    return zkagent(all, env);
  }

  // A java that records its argv (NUL-separated, argv[0] first) and its uid, then exits with code.
  std::string fake_java(int exit_code = 0, const std::string& record_dir = "") {
    record_dir_ = record_dir.empty() ? root() : record_dir;
    const auto path = at("fake-java");
    testing::write_file(path, "#!/bin/sh\n"
                              "printf '%s\\0' \"$0\" \"$@\" > '" + record_dir_ + "/java.argv.tmp'\n"
                              "id -u > '" + record_dir_ + "/java.uid'\n"
                              "mv '" + record_dir_ + "/java.argv.tmp' '" + record_path() + "'\n"
                              "exit " + std::to_string(exit_code) + "\n");
    ::chmod(path.c_str(), 0755);
    return path;
  }

  [[nodiscard]] std::string record_path() const { return (record_dir_.empty() ? root() : record_dir_) + "/java.argv"; }
  [[nodiscard]] bool java_ran() const { return testing::exists(record_path()); }

  [[nodiscard]] std::vector<std::string> recorded_java_argv() const {
    const auto text = testing::read_file(record_path());
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
      const auto end = text.find('\0', start);
      if (end == std::string::npos) break;
      out.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }

  // An upstream-style ZooKeeper home: lib/zookeeper-3.8.0.jar (empty) is all the launcher needs.
  std::string fake_zookeeper_home() {
    const auto home = at("zookeeper-home");
    testing::write_file(home + "/lib/zookeeper-3.8.0.jar", "");
    return home;
  }

  // Flags that make `start` run the fake java as root (no privilege drop, so it can write here), at
  // once: members named zk-N.<domain> do not resolve here, so no --dns-wait (tests/dns covers it).
  std::vector<std::string> fake_launch_flags(int exit_code = 0) {
    return {"--java=" + fake_java(exit_code), "--zookeeper-home=" + fake_zookeeper_home(), "--uid=0", "--gid=0",
            "--dns-wait=0"};
  }

 private:
  testing::temp_dir tmp_;
  std::string record_dir_;
};

}  // namespace zkagent::cli_tests
