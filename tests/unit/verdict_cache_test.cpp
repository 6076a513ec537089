// verdict_cache with an injected clock and a fake starter that records each exchange it is asked
// to start and completes it when the test says: N lookups in one window start one exchange, a
// lookup after the window starts a new one, lookups during an exchange wait for it (coalesced),
// failures are cached too, commands are independent. No sockets, no sleeps.
#include "readiness/verdict_cache.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace zkagent::readiness {
namespace {

using namespace std::chrono_literals;

class fake_zookeeper {
 public:
  verdict_cache::starter starter() {
    return [this](probe_command command, verdict_cache::done_handler done) {
      started.push_back(command);
      if (answer_at_once) {
        done(probe_result{exchange{transport_outcome::complete, reply_for(command), ""}, 1ms});
        return;
      }
      pending.push_back(std::move(done));
    };
  }

  // Completes the oldest exchange still in flight with this reply.
  void complete(std::string reply, transport_outcome outcome = transport_outcome::complete) {
    ASSERT_FALSE(pending.empty());
    auto done = std::move(pending.front());
    pending.erase(pending.begin());
    done(probe_result{exchange{outcome, std::move(reply), ""}, 3ms});
  }

  static std::string reply_for(probe_command command) { return std::string(command_name(command)) + " reply"; }

  std::vector<probe_command> started;
  std::vector<verdict_cache::done_handler> pending;
  bool answer_at_once = false;
};

class verdict_cache_test : public ::testing::Test {
 protected:
  verdict_cache::time_point now_{std::chrono::seconds(1000)};
  fake_zookeeper zk_;
  std::unique_ptr<verdict_cache> cache_ =
      std::make_unique<verdict_cache>(1s, zk_.starter(), [this] { return now_; });
  std::vector<std::string> answers_;

  void get(probe_command command) {
    cache_->get(command, [this](const probe_result& r) { answers_.push_back(r.ex.reply); });
  }
};

TEST_F(verdict_cache_test, many_lookups_in_one_window_start_one_exchange) {
  get(probe_command::srvr);
  zk_.complete("Mode: standalone");
  for (int i = 0; i < 100; ++i) {
    now_ += 9ms;  // up to 900 ms after the exchange began
    get(probe_command::srvr);
  }
  EXPECT_EQ(zk_.started.size(), 1U);
  EXPECT_EQ(cache_->started(probe_command::srvr), 1U);
  ASSERT_EQ(answers_.size(), 101U);
  for (const auto& a : answers_) EXPECT_EQ(a, "Mode: standalone");
}

TEST_F(verdict_cache_test, a_lookup_after_the_window_starts_a_new_exchange) {
  get(probe_command::srvr);
  zk_.complete("first");
  now_ += 999ms;
  get(probe_command::srvr);
  EXPECT_EQ(zk_.started.size(), 1U);
  now_ += 1ms;  // the window is measured from the start of the exchange: 1 s now
  get(probe_command::srvr);
  EXPECT_EQ(zk_.started.size(), 2U);
  EXPECT_EQ(answers_.size(), 2U) << "the new lookup waits for the new exchange";
  zk_.complete("second");
  EXPECT_EQ(answers_, (std::vector<std::string>{"first", "first", "second"}));
}

TEST_F(verdict_cache_test, lookups_during_an_exchange_wait_for_it) {
  for (int i = 0; i < 50; ++i) {
    get(probe_command::srvr);
    now_ += 100ms;  // 5 s pass while the exchange hangs: still no second one
  }
  EXPECT_EQ(zk_.started.size(), 1U);
  EXPECT_TRUE(answers_.empty());
  zk_.complete("late");
  ASSERT_EQ(answers_.size(), 50U);
  for (const auto& a : answers_) EXPECT_EQ(a, "late");
  // The exchange began 5 s ago: stale already, so the next lookup starts another.
  get(probe_command::srvr);
  EXPECT_EQ(zk_.started.size(), 2U);
}

TEST_F(verdict_cache_test, failures_are_cached_too) {
  get(probe_command::ruok);
  zk_.complete("", transport_outcome::refused);
  for (int i = 0; i < 10; ++i) get(probe_command::ruok);
  EXPECT_EQ(zk_.started.size(), 1U);
  EXPECT_EQ(answers_.size(), 11U);
}

TEST_F(verdict_cache_test, each_command_has_its_own_entry) {
  get(probe_command::srvr);
  get(probe_command::ruok);
  get(probe_command::mntr);
  get(probe_command::srvr);
  EXPECT_EQ(zk_.started, (std::vector<probe_command>{probe_command::srvr, probe_command::ruok, probe_command::mntr}));
  zk_.complete("srvr answer");
  EXPECT_EQ(answers_, (std::vector<std::string>{"srvr answer", "srvr answer"}));
  zk_.complete("ruok answer");
  zk_.complete("mntr answer");
  EXPECT_EQ(answers_.size(), 4U);
  EXPECT_EQ(cache_->started(probe_command::srvr), 1U);
  EXPECT_EQ(cache_->started(probe_command::ruok), 1U);
}

TEST_F(verdict_cache_test, a_starter_that_completes_at_once_works) {
  zk_.answer_at_once = true;
  get(probe_command::mntr);
  get(probe_command::mntr);
  EXPECT_EQ(answers_, (std::vector<std::string>{"mntr reply", "mntr reply"}));
  EXPECT_EQ(zk_.started.size(), 1U);
}

TEST_F(verdict_cache_test, a_handler_may_look_up_again) {
  std::vector<std::string> nested;
  cache_->get(probe_command::srvr, [&](const probe_result& r) {
    answers_.push_back(r.ex.reply);
    cache_->get(probe_command::srvr, [&](const probe_result& again) { nested.push_back(again.ex.reply); });
  });
  get(probe_command::srvr);
  zk_.complete("one");
  EXPECT_EQ(answers_, (std::vector<std::string>{"one", "one"}));
  EXPECT_EQ(nested, (std::vector<std::string>{"one"})) << "the result is fresh: given at once";
  EXPECT_EQ(zk_.started.size(), 1U);
}

TEST_F(verdict_cache_test, window_zero_still_coalesces_concurrent_lookups) {
  cache_ = std::make_unique<verdict_cache>(0ms, zk_.starter(), [this] { return now_; });
  get(probe_command::srvr);
  get(probe_command::srvr);
  EXPECT_EQ(zk_.started.size(), 1U);
  zk_.complete("x");
  get(probe_command::srvr);
  EXPECT_EQ(zk_.started.size(), 2U) << "nothing is reused after the exchange";
  zk_.complete("y");
  EXPECT_EQ(answers_, (std::vector<std::string>{"x", "x", "y"}));
}

TEST_F(verdict_cache_test, a_result_after_the_cache_is_gone_is_dropped) {
  get(probe_command::srvr);
  cache_.reset();
  zk_.complete("too late");  // must not touch the destroyed cache
  EXPECT_TRUE(answers_.empty());
}

TEST_F(verdict_cache_test, the_result_carries_how_long_the_exchange_took) {
  std::chrono::milliseconds took{};
  cache_->get(probe_command::srvr, [&](const probe_result& r) { took = r.took; });
  zk_.complete("x");
  EXPECT_EQ(took, 3ms);
}

}  // namespace
}  // namespace zkagent::readiness
