// The I/O half of --dns-wait (entrypoint/dns_wait) against a real DNS server on loopback (dnsmasq)
// that answers at once, late, wrong, or never, and against a name in the hosts file. Each test
// holds the wait to its bounds: the answer is seen soon after it appears, the overall deadline is
// kept within 500 ms, every failed lookup is logged in one line.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include "dnsmasq.hpp"
#include "entrypoint/dns_target.hpp"
#include "entrypoint/dns_wait.hpp"
#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using namespace zkagent::entrypoint;
namespace zt = zkagent::testing;
using clock_type = std::chrono::steady_clock;
// What the tests prove about time is that every wait is bounded by its budget, not how quickly it
// reacts: the upper bounds allow this much for a loaded 2-core machine (and the ASan build).
constexpr auto slack = 2s;

const std::string name = std::string("zk-0.") + zt::test_domain;
// Not an address of this host: TEST-NET-3 (RFC 5737), checked in SetUp.
const std::string elsewhere = "203.0.113.77";

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

class dns_wait : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto missing = zt::missing_dnsmasq(); !missing.empty()) FAIL() << missing;
    options_.local_addresses = {"127.0.0.1", "::1"};
    ASSERT_FALSE(is_local_address(elsewhere, options_.local_addresses));
    log_ = std::make_shared<spdlog::logger>("dns-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_));
    log_->set_pattern("%l: %v");
  }
  void TearDown() override {
    if (HasFailure()) std::cout << "---- zkagent's log\n" << lines_.str() << (dns_ ? "---- dnsmasq's log\n" + dns_->log() : "");
  }

  zt::dnsmasq& start_dnsmasq(std::vector<std::pair<std::string, std::string>> fixed = {}, const std::string& hosts = "") {
    dns_ = std::make_unique<zt::dnsmasq>(tmp_.path(), std::move(fixed), hosts);
    options_.server = dns_->server();
    return *dns_;
  }

  dns_wait_result wait(const dns_target& target) {
    const auto start = clock_type::now();
    auto result = wait_for_dns(target, options_, *log_);
    took_ = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start);
    return result;
  }

  [[nodiscard]] std::string log() const { return lines_.str(); }

  zt::temp_dir tmp_;
  std::unique_ptr<zt::dnsmasq> dns_;
  dns_wait_options options_;
  std::ostringstream lines_;
  std::shared_ptr<spdlog::logger> log_;
  std::chrono::milliseconds took_{0};
  dns_target target_{name, 1, true};
};

TEST_F(dns_wait, answers_at_once) {
  start_dnsmasq({}, "127.0.0.1 " + name + "\n");
  options_.budget = 10s;
  const auto r = wait(target_);
  EXPECT_EQ(r.outcome, dns_wait_outcome::resolved) << r.message;
  EXPECT_EQ(r.lookups, 1);
  EXPECT_LT(took_, 1s);
  EXPECT_EQ(r.last.addresses, std::vector<std::string>{"127.0.0.1"});
  EXPECT_NE(log().find("info: dns: " + name + " resolves to 127.0.0.1 (this host) (1 lookup"), std::string::npos) << log();
  EXPECT_EQ(count_of(log(), "\n"), 1U) << "one line when the name resolves at once: " << log();
}

TEST_F(dns_wait, answers_late_when_the_record_is_added) {
  auto& dns = start_dnsmasq();
  options_.budget = 20s;
  constexpr auto late = 2s;
  std::thread publisher([&] {
    std::this_thread::sleep_for(late);  // the delay under test, not a wait for something
    dns.set_hosts("127.0.0.1 " + name + "\n");
  });
  const auto r = wait(target_);
  publisher.join();
  EXPECT_EQ(r.outcome, dns_wait_outcome::resolved) << r.message;
  EXPECT_GE(took_, late);
  // Seen at the next lookup: the pause between lookups is at most 2 s.
  EXPECT_LE(took_, late + 2s + slack);
  EXPECT_GE(r.lookups, 3);
  EXPECT_EQ(count_of(log(), ": no such name yet (lookup "), static_cast<std::size_t>(r.lookups - 1)) << log();
  EXPECT_NE(log().find("waiting up to 20 s for " + name + " (server.1, this member) to resolve to an address of this host"),
            std::string::npos)
      << log();
  EXPECT_NE(log().find("asking /etc/hosts, then " + dns.server()), std::string::npos) << log();
}

TEST_F(dns_wait, answers_wrong_keeps_waiting_and_fails_at_the_deadline_naming_the_answer) {
  start_dnsmasq({{name, elsewhere}});
  options_.budget = 3s;
  const auto r = wait(target_);
  EXPECT_EQ(r.outcome, dns_wait_outcome::timed_out) << r.message;
  EXPECT_GE(took_, 3s);
  EXPECT_LE(took_, 3s + slack);
  EXPECT_GE(r.lookups, 4);
  EXPECT_EQ(r.last.addresses, std::vector<std::string>{elsewhere});
  for (const auto* part : {"did not resolve to an address of this host within 3 s", "resolves to 203.0.113.77",
                           "not to this host", "stale record", "127.0.0.1", "ZooKeeper was not started"}) {
    EXPECT_NE(r.message.find(part), std::string::npos) << part << " in: " << r.message;
  }
  EXPECT_NE(log().find("error: dns: " + r.message), std::string::npos) << log();
}

TEST_F(dns_wait, a_stale_record_replaced_by_this_hosts_address_ends_the_wait) {
  auto& dns = start_dnsmasq({}, elsewhere + " " + name + "\n");
  options_.budget = 20s;
  std::thread publisher([&] {
    std::this_thread::sleep_for(1500ms);  // the delay under test
    dns.set_hosts("127.0.0.1 " + name + "\n");
  });
  const auto r = wait(target_);
  publisher.join();
  EXPECT_EQ(r.outcome, dns_wait_outcome::resolved) << r.message;
  EXPECT_GE(took_, 1500ms);
  EXPECT_LE(took_, 1500ms + 2s + slack);
  EXPECT_GE(count_of(log(), "resolves to 203.0.113.77, not to this host (lookup "), 2U) << log();
}

TEST_F(dns_wait, any_address_counts_with_quorum_listen_on_all_ips) {
  start_dnsmasq({{name, elsewhere}});
  options_.budget = 5s;
  const auto r = wait(dns_target{name, 1, false});
  EXPECT_EQ(r.outcome, dns_wait_outcome::resolved) << r.message;
  EXPECT_EQ(r.lookups, 1);
}

TEST_F(dns_wait, no_such_name_until_the_deadline) {
  start_dnsmasq();
  options_.budget = 2s;
  const auto r = wait(target_);
  EXPECT_EQ(r.outcome, dns_wait_outcome::timed_out) << r.message;
  EXPECT_GE(took_, 2s);
  EXPECT_LE(took_, 2s + slack);
  EXPECT_NE(r.message.find("last answer: no such name yet"), std::string::npos) << r.message;
}

TEST_F(dns_wait, never_answers_a_silent_server_each_lookup_times_out_and_the_deadline_holds) {
  zt::silent_dns_server silent;
  options_.server = silent.server();
  options_.try_timeout = 500ms;
  options_.budget = 3s;
  const auto r = wait(target_);
  EXPECT_EQ(r.outcome, dns_wait_outcome::timed_out) << r.message;
  EXPECT_GE(took_, 3s);
  EXPECT_LE(took_, 3s + slack);
  // 500 ms per lookup plus pauses of 250, 500, 1000 ms: 3 or 4 lookups in 3 s.
  EXPECT_GE(r.lookups, 3);
  EXPECT_LE(r.lookups, 5);
  EXPECT_GE(count_of(log(), ": no answer (none within 500 ms) (lookup "), 2U) << log();
  EXPECT_GE(silent.queries(), static_cast<std::size_t>(r.lookups)) << "each lookup reached the server";
}

TEST_F(dns_wait, never_answers_nothing_listens_the_deadline_holds) {
  options_.server = "127.0.0.1:" + std::to_string(zt::closed_udp_port());
  options_.try_timeout = 500ms;
  options_.budget = 2s;
  const auto r = wait(target_);
  EXPECT_EQ(r.outcome, dns_wait_outcome::timed_out) << r.message;
  EXPECT_GE(took_, 2s);
  EXPECT_LE(took_, 2s + slack);
  EXPECT_GE(r.lookups, 2);
}

TEST_F(dns_wait, a_name_in_the_hosts_file_counts_before_dns) {
  // c-ares reads the hosts file named by CARES_HOSTS instead of /etc/hosts: the test's own file.
  const auto hosts = tmp_ / "hosts";
  zt::write_file(hosts, "127.0.0.1 localhost\n127.0.0.1 " + name + "\n");
  ::setenv("CARES_HOSTS", hosts.c_str(), 1);
  zt::silent_dns_server silent;  // DNS would never answer
  options_.server = silent.server();
  options_.budget = 5s;
  const auto r = wait(target_);
  ::unsetenv("CARES_HOSTS");
  EXPECT_EQ(r.outcome, dns_wait_outcome::resolved) << r.message;
  EXPECT_LT(took_, slack);
  EXPECT_EQ(silent.queries(), 0U) << "the hosts file answered first";
}

TEST_F(dns_wait, a_stop_signal_ends_the_wait_promptly) {
  zt::silent_dns_server silent;
  options_.server = silent.server();
  options_.budget = 30s;
  // SIGUSR2 stands for SIGTERM here: blocked in this thread (and the helper thread created after),
  // sent to the process, taken by the wait with sigtimedwait.
  sigset_t stop, old;
  ::sigemptyset(&stop);
  ::sigaddset(&stop, SIGUSR2);
  ::pthread_sigmask(SIG_BLOCK, &stop, &old);
  options_.stop_signals = &stop;
  std::thread sender([] {
    std::this_thread::sleep_for(700ms);  // the delay under test: mid-lookup (lookups take 2 s here)
    ::kill(::getpid(), SIGUSR2);
  });
  const auto r = wait(target_);
  sender.join();
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  EXPECT_EQ(r.outcome, dns_wait_outcome::interrupted) << r.message;
  EXPECT_EQ(r.signal, SIGUSR2);
  EXPECT_LT(took_, 700ms + 300ms);
  EXPECT_NE(r.message.find("stopped by SIGUSR2"), std::string::npos) << r.message;
}

}  // namespace
