// One duration grammar for every command: `ready`, `live` and `status --timeout`, `serve
// --timeout` and `--cache-window`, `config`/`start --dns-wait` and `--cache-window` refuse the same
// look-alikes (exit 2, naming the flag and the value) and take the same forms.
#include "cli_fixture.hpp"

namespace zkagent::cli_tests {
namespace {


// Each way a duration reaches zkagent: the command and its arguments around the value.
struct duration_flag {
  std::string name;
  std::vector<std::string> before;  // the value is appended as --<flag>=<value>
  std::string flag;
};

class durations : public cli_test {
 protected:
  [[nodiscard]] std::vector<duration_flag> flags() const {
    const auto dirs = dir_flags();
    std::vector<std::string> config{"config"};
    config.insert(config.end(), dirs.begin(), dirs.end());
    config.insert(config.end(), {"--servers=3", "--hostname=zk-1", "--domain=zk-hs"});
    return {{"ready", {"ready", "--port=1"}, "timeout"},
            {"live", {"live", "--port=1"}, "timeout"},
            {"status", {"status", "--port=1"}, "timeout"},
            {"serve --timeout", {"serve", "--health-address=127.0.0.1", "--health-port=" + taken_port(), "--port=1"}, "timeout"},
            {"serve --cache-window", {"serve", "--health-address=127.0.0.1", "--health-port=" + taken_port(), "--port=1"},
             "cache-window"},
            {"config --dns-wait", config, "dns-wait"},
            {"config --cache-window", config, "cache-window"}};
  }

  // A loopback port this test holds, so that `serve` exits 1 (port taken) once it has parsed its flags.
  testing::held_port taken_;
  [[nodiscard]] std::string taken_port() const { return std::to_string(taken_.port()); }
};

TEST_F(durations, every_command_refuses_the_same_look_alikes) {
  for (const auto& f : flags()) {
    for (const std::string value : {"1e2ms", "0x10", ".5", " 5", "5 ", "-1s", "2h", "inf", "1,5s", ""}) {
      SCOPED_TRACE(f.name + " '" + value + "'");
      auto args = f.before;
      args.push_back("--" + f.flag + "=" + value);
      const auto r = zkagent(args);
      EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
      // An empty value may be refused by Boost.Program_options itself, naming the option.
      const bool by_boost = contains(r.err, "'--" + f.flag + "' should follow immediately after the equal sign");
      EXPECT_TRUE(by_boost ? value.empty() : contains(r.err, "--" + f.flag + "='" + value + "': expected a duration"))
          << r.err;
    }
  }
}

// The forms every command takes: a probe then fails to connect to port 1 (exit 1), serve to bind the
// port this test holds (exit 1), config writes its files (exit 0); none exits 2 or names the value.
TEST_F(durations, every_command_takes_the_same_forms) {
  for (const auto& f : flags()) {
    for (const std::string value : {"200ms", "0.5s", "1", "1.5s", "0.01m"}) {
      SCOPED_TRACE(f.name + " '" + value + "'");
      auto args = f.before;
      args.push_back("--" + f.flag + "=" + value);
      const auto r = zkagent(args);
      EXPECT_EQ(r.exit_code, f.before.front() == "config" ? 0 : 1) << r.out << r.err;
      EXPECT_FALSE(contains(r.err, "--" + f.flag + "='" + value + "'")) << r.err;
    }
  }
}

}  // namespace
}  // namespace zkagent::cli_tests
