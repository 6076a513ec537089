// The health endpoint's settings for `zkagent start`: --health-port, --health-address and
// --cache-window (and their variables) through the resolver (the grammar: duration_test).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core_fixtures.hpp"
#include "entrypoint/settings.hpp"

namespace zkagent::entrypoint {
namespace {

using namespace std::chrono_literals;
using testing::describe;
using testing::find_error;
using testing::flags_from;
using testing::pod_inputs;

TEST(health_settings, off_by_default) {
  const auto r = resolve(pod_inputs());
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.health_port, std::nullopt);
  EXPECT_EQ(r.value.health_address, "0.0.0.0");
  EXPECT_EQ(r.value.cache_window, 1s);
}

TEST(health_settings, from_flags_and_variables) {
  auto in = pod_inputs();
  in.env = {{"ZKAGENT_HEALTH_PORT", "8081"}, {"ZKAGENT_HEALTH_ADDRESS", "::"}, {"ZKAGENT_CACHE_WINDOW", "250ms"}};
  auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.health_port, 8081);
  EXPECT_EQ(r.value.health_address, "::");
  EXPECT_EQ(r.value.cache_window, 250ms);

  in.flags = flags_from({"--health-port=9000", "--health_address=127.0.0.1", "--cache-window=2.5s"});
  r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.health_port, 9000);
  EXPECT_EQ(r.value.health_address, "127.0.0.1");
  EXPECT_EQ(r.value.cache_window, 2500ms);
}

TEST(health_settings, bad_values_are_errors_naming_their_source) {
  struct bad_case {
    std::vector<std::pair<std::string, std::string>> env;
    std::vector<std::string> message;
  };
  const std::vector<bad_case> cases{
      {{{"ZKAGENT_HEALTH_PORT", "0"}}, {"ZKAGENT_HEALTH_PORT='0'", "1 to 65535"}},
      {{{"ZKAGENT_HEALTH_PORT", "http"}}, {"ZKAGENT_HEALTH_PORT='http'"}},
      {{{"ZKAGENT_HEALTH_ADDRESS", "localhost"}}, {"ZKAGENT_HEALTH_ADDRESS='localhost'", "numeric"}},
      {{{"ZKAGENT_HEALTH_ADDRESS", ""}}, {"ZKAGENT_HEALTH_ADDRESS=''", "numeric"}},
      {{{"ZKAGENT_CACHE_WINDOW", "1 s"}}, {"ZKAGENT_CACHE_WINDOW='1 s'", "duration"}},
      {{{"ZKAGENT_CACHE_WINDOW", "2h"}}, {"ZKAGENT_CACHE_WINDOW='2h'"}},
      {{{"ZKAGENT_CACHE_WINDOW", "3601s"}}, {"ZKAGENT_CACHE_WINDOW='3601s'", "1 hour"}},
      {{{"ZKAGENT_HEALTH_PORT", "2181"}}, {"client port", "health endpoint port", "2181"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message.front());
    auto in = pod_inputs();
    for (const auto& [k, v] : c.env) in.env[k] = v;
    const auto r = resolve(in);
    EXPECT_NE(find_error(r.diag, c.message), nullptr) << describe(r.diag);
  }
}

TEST(health_settings, a_service_link_in_the_port_variable_is_ignored) {
  auto in = pod_inputs();
  in.env = {{"ZKAGENT_HEALTH_PORT", "tcp://10.0.0.1:8080"}};
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.health_port, std::nullopt);
}

}  // namespace
}  // namespace zkagent::entrypoint
