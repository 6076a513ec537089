// `zkagent start` (the static binary) waiting for its own member name against dnsmasq on loopback:
// it starts the (fake) JVM once the name resolves to this host, and when it never does it exits 68
// at the deadline without starting it. A SIGTERM during the wait ends it at once (143).
#include <signal.h>

#include <chrono>
#include <thread>

#include "cli_fixture.hpp"
#include "dnsmasq.hpp"

namespace zkagent::cli_tests {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
namespace zt = zkagent::testing;

const std::string name = std::string("zk-0.") + zt::test_domain;

class dns_start : public cli_test {
 protected:
  void SetUp() override {
    if (const auto missing = zt::missing_dnsmasq(); !missing.empty()) FAIL() << missing;
  }

  // Member 1 of three; its own entry is `name`, the others numeric. The fake java records that it ran.
  [[nodiscard]] std::vector<std::string> args(const std::string& server, const std::string& wait) {
    auto out = dir_flags();
    const auto launch = fake_launch_flags();
    out.insert(out.end(), launch.begin(), launch.end());  // its --dns-wait=0 is overridden below
    out.insert(out.end(), {"--hostname=zk-0", std::string("--domain=") + zt::test_domain, "--dns-server=" + server,
                           "--dns-wait=" + wait});
    out.insert(out.begin(), "start");
    return out;
  }
  [[nodiscard]] static env_vars env() {
    auto e = testing::minimal_env();
    e["ZOO_SERVERS"] = "server.1=" + name + ":2888:3888;127.0.0.1:2181 server.2=127.0.0.2:2888:3888;127.0.0.2:2181 "
                       "server.3=127.0.0.3:2888:3888;127.0.0.3:2181";
    e["ZOO_MY_ID"] = "1";
    return e;
  }

  run_result start(const std::vector<std::string>& argv) {
    const auto begin = clock_type::now();
    auto r = zkagent(argv, env());
    took_ = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - begin);
    return r;
  }

  std::chrono::milliseconds took_{0};
};

TEST_F(dns_start, starts_zookeeper_once_its_name_resolves_to_this_host) {
  zt::dnsmasq dns(root(), {}, "127.0.0.1 " + name + "\n");
  const auto r = start(args(dns.server(), "10s"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(java_ran()) << r.err;
  EXPECT_TRUE(contains(r.err, "dns: " + name + " resolves to 127.0.0.1 (this host) (1 lookup")) << r.err;
  EXPECT_LT(r.err.find("resolves to 127.0.0.1"), r.err.find("starting ZooKeeper")) << r.err;
  EXPECT_LT(took_, 5s);
}

TEST_F(dns_start, waits_for_a_record_published_late) {
  zt::dnsmasq dns(root());
  std::thread publisher([&] {
    std::this_thread::sleep_for(2s);  // the delay under test
    dns.set_hosts("127.0.0.1 " + name + "\n");
  });
  const auto r = start(args(dns.server(), "20s"));
  publisher.join();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(java_ran()) << r.err;
  EXPECT_GE(took_, 2s);
  EXPECT_LE(took_, 2s + 2s + 1s);
  EXPECT_TRUE(contains(r.err, "no such name yet (lookup 1,")) << r.err;
}

TEST_F(dns_start, a_wrong_answer_exits_68_at_the_deadline_without_starting_zookeeper) {
  zt::dnsmasq dns(root(), {{name, "203.0.113.77"}});
  const auto r = start(args(dns.server(), "3s"));
  EXPECT_EQ(r.exit_code, 68) << r.err;
  EXPECT_FALSE(java_ran()) << r.err;
  EXPECT_GE(took_, 3s);
  EXPECT_LE(took_, 3s + 1s);
  EXPECT_TRUE(contains(r.err, "error: dns: " + name + " (server.1, this member) did not resolve to an address of this host within 3 s"))
      << r.err;
  EXPECT_TRUE(contains(r.err, "resolves to 203.0.113.77, not to this host")) << r.err;
  EXPECT_FALSE(contains(r.err, "starting ZooKeeper")) << r.err;
}

TEST_F(dns_start, a_server_that_never_answers_exits_68_at_the_deadline) {
  zt::silent_dns_server silent;
  const auto r = start(args(silent.server(), "3s"));
  EXPECT_EQ(r.exit_code, 68) << r.err;
  EXPECT_FALSE(java_ran()) << r.err;
  EXPECT_GE(took_, 3s);
  EXPECT_LE(took_, 3s + 1s);
  EXPECT_TRUE(contains(r.err, "no answer (none within 2 s) (lookup 1,")) << r.err;
}

TEST_F(dns_start, dns_wait_zero_starts_at_once) {
  zt::silent_dns_server silent;
  const auto r = start(args(silent.server(), "0"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(java_ran()) << r.err;
  EXPECT_LT(took_, 2s);
  EXPECT_EQ(silent.queries(), 0U);
}

TEST_F(dns_start, sigterm_during_the_wait_exits_143_at_once_without_starting_zookeeper) {
  zt::silent_dns_server silent;
  auto argv = args(silent.server(), "60s");
  argv.insert(argv.begin(), ZKAGENT_BINARY);
  const auto log_path = at("zkagent.log");
  testing::background_process agent(argv, env(), log_path);
  ASSERT_TRUE(testing::wait_until([&] { return contains(testing::read_file(log_path), "dns: waiting up to 60 s"); }, 10s))
      << testing::read_file(log_path);
  const auto sent = clock_type::now();
  agent.signal(SIGTERM);
  const auto code = agent.wait_exit(10s);
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - sent);
  EXPECT_EQ(code, 143) << testing::read_file(log_path);
  // Bounded, not fast: the wait ends at the signal, not at the 60 s budget (slack for a loaded machine).
  EXPECT_LT(latency, 5s);
  EXPECT_FALSE(java_ran());
  EXPECT_TRUE(contains(testing::read_file(log_path), "stopped by SIGTERM while waiting for " + name))
      << testing::read_file(log_path);
}

}  // namespace
}  // namespace zkagent::cli_tests
