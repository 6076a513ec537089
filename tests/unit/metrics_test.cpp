// Prometheus text from a recorded real mntr reply (ZooKeeper 3.8.0 standalone, tests/golden/
// mntr_3.8.0_standalone.txt) compared with tests/golden/mntr_3.8.0_standalone.prom, and every
// rendering checked against the exposition format 0.0.4 by a small checker: each line a HELP, TYPE
// or sample line of the grammar, each family one TYPE line before its samples and its samples
// together, no series twice, histograms cumulative. Plus value and name rules, escaping, the
// failure classification and the counters.
//
// After an intended change of the rendering: ZKAGENT_UPDATE_GOLDEN=1 unit_tests --gtest_filter='metrics*'
#include "readiness/metrics.hpp"

#include <gtest/gtest.h>

#include "../helpers/prometheus_check.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace zkagent::readiness {
namespace {

using namespace std::chrono_literals;
using testing::check_exposition;

std::string read_golden(const std::string& name) {
  std::ifstream in(std::string(ZKAGENT_GOLDEN_DIR) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool updating() {
  const char* update = std::getenv("ZKAGENT_UPDATE_GOLDEN");  // test code may read the environment
  return update != nullptr && std::string_view(update) == "1";
}

TEST(metrics_checker, catches_what_it_should) {
  EXPECT_TRUE(check_exposition("# TYPE a gauge\na 1\n").problems.empty());
  EXPECT_TRUE(check_exposition("# HELP a x \\n y\n# TYPE a gauge\na{b=\"q\\\"\\\\\\n\",c=\"\"} -1.5e3\n").problems.empty());
  for (const auto* bad : {"a 1\n", "# TYPE a gauge\na 1", "# TYPE a gauge\na one\n", "# TYPE a gauge\na{b=c} 1\n",
                          "# TYPE a gauge\n# TYPE a gauge\na 1\n", "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n",
                          "# TYPE a gauge\na 1\na 1\n", "# TYPE 1a gauge\n1a 1\n", "# TYPE a gauge\na{b=\"x\ny\"} 1\n",
                          "# TYPE a gauge\na  1\n", "# TYPE a wrong\na 1\n",
                          "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0\n"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(check_exposition(bad).problems.empty());
  }
}

// ---- rendering -------------------------------------------------------------------------------

agent_counters sample_counters() {
  agent_counters c;
  c.record(probe_command::mntr, std::nullopt, 2ms);
  c.record(probe_command::srvr, std::nullopt, 1ms);
  c.record(probe_command::srvr, failure_reason::not_serving, 3ms);
  c.record(probe_command::srvr, std::nullopt, 700us);
  c.record(probe_command::ruok, failure_reason::refused, 150us);
  c.record(probe_command::ruok, std::nullopt, 4s);
  c.http_connections_rejected = 7;
  c.http_connections_evicted = 11;
  return c;
}

TEST(metrics, golden_text_from_a_recorded_mntr_reply) {
  const auto reply = read_golden("mntr_3.8.0_standalone.txt");
  ASSERT_GT(reply.size(), 10000U) << "missing or short recorded reply tests/golden/mntr_3.8.0_standalone.txt";
  const auto pairs = parse_mntr(reply);
  ASSERT_EQ(pairs.size(), 485U);
  const auto text = render_metrics(pairs, sample_counters());
  const auto golden = std::string(ZKAGENT_GOLDEN_DIR) + "/mntr_3.8.0_standalone.prom";
  if (updating()) {
    std::ofstream(golden, std::ios::binary | std::ios::trunc) << text;
  }
  const auto expected = read_golden("mntr_3.8.0_standalone.prom");
  ASSERT_FALSE(expected.empty()) << "missing " << golden << "; create it with ZKAGENT_UPDATE_GOLDEN=1";
  EXPECT_EQ(text, expected) << "differs from " << golden << " (ZKAGENT_UPDATE_GOLDEN=1 regenerates it)";
}

TEST(metrics, the_recorded_reply_renders_valid_exposition_text) {
  const auto pairs = parse_mntr(read_golden("mntr_3.8.0_standalone.txt"));
  const auto text = render_metrics(pairs, sample_counters());
  const auto e = check_exposition(text);
  EXPECT_TRUE(e.problems.empty()) << e.report();

  const std::map<std::string, std::string> standalone{{"server_state", "standalone"}};
  ASSERT_NE(e.find("zk_up"), nullptr);
  EXPECT_EQ(e.find("zk_up")->value, "1");
  ASSERT_NE(e.find("zk_avg_latency", standalone), nullptr);
  EXPECT_EQ(e.find("zk_avg_latency", standalone)->value, "0.0");
  ASSERT_NE(e.find("zk_znode_count", standalone), nullptr);
  EXPECT_EQ(e.find("zk_znode_count", standalone)->value, "5");
  EXPECT_NE(e.find("zk_info", {{"version", "3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC"},
                               {"server_state", "standalone"}}),
            nullptr);
  EXPECT_EQ(e.find("zk_version", standalone), nullptr) << "text values are no gauges";
  EXPECT_EQ(e.find("zk_server_state", standalone), nullptr);

  // Every numeric mntr value is there, as a gauge, under its own name.
  std::size_t numeric = 0;
  for (const auto& [key, value] : pairs) {
    if (key == "zk_version" || key == "zk_server_state") continue;
    ++numeric;
    SCOPED_TRACE(key);
    const auto* s = e.find(key, standalone);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->value, value);
    EXPECT_EQ(e.types.at(key), "gauge");
  }
  EXPECT_EQ(numeric, 483U);

  EXPECT_EQ(e.find("zkagent_probes_total", {{"command", "srvr"}})->value, "3");
  EXPECT_EQ(e.find("zkagent_probe_failures_total", {{"command", "srvr"}, {"reason", "not_serving"}})->value, "1");
  EXPECT_EQ(e.find("zkagent_probe_failures_total", {{"command", "ruok"}, {"reason", "refused"}})->value, "1");
  EXPECT_EQ(e.find("zkagent_probe_failures_total", {{"command", "mntr"}, {"reason", "timeout"}})->value, "0");
  EXPECT_EQ(e.find("zkagent_fourletter_connections_total")->value, "6");
  EXPECT_EQ(e.find("zkagent_http_connections_rejected_total")->value, "7");
  EXPECT_EQ(e.find("zkagent_http_connections_evicted_total")->value, "11");
  EXPECT_EQ(e.types.at("zkagent_probe_duration_seconds"), "histogram");
  EXPECT_EQ(e.find("zkagent_probe_duration_seconds_count", {{"command", "srvr"}})->value, "3");
  EXPECT_EQ(e.find("zkagent_probe_duration_seconds_bucket", {{"command", "srvr"}, {"le", "0.001"}})->value, "2");
  EXPECT_EQ(e.find("zkagent_probe_duration_seconds_bucket", {{"command", "srvr"}, {"le", "0.005"}})->value, "3");
  EXPECT_EQ(e.find("zkagent_probe_duration_seconds_bucket", {{"command", "ruok"}, {"le", "2.5"}})->value, "1");
  EXPECT_EQ(e.find("zkagent_probe_duration_seconds_bucket", {{"command", "ruok"}, {"le", "+Inf"}})->value, "2");
  EXPECT_NEAR(std::stod(e.find("zkagent_probe_duration_seconds_sum", {{"command", "srvr"}})->value), 0.0047, 1e-12);
}

TEST(metrics, without_mntr_only_zk_up_0_and_the_agents_counters) {
  const auto text = render_metrics(std::nullopt, sample_counters());
  const auto e = check_exposition(text);
  EXPECT_TRUE(e.problems.empty()) << e.report();
  ASSERT_NE(e.find("zk_up"), nullptr);
  EXPECT_EQ(e.find("zk_up")->value, "0");
  for (const auto& s : e.samples) {
    EXPECT_TRUE(s.name == "zk_up" || s.name.starts_with("zkagent_")) << s.name;
  }
  EXPECT_EQ(e.find("zkagent_probes_total", {{"command", "mntr"}})->value, "1");
}

TEST(metrics, fresh_counters_render_every_series_at_zero) {
  const auto e = check_exposition(render_metrics(std::nullopt, {}));
  EXPECT_TRUE(e.problems.empty()) << e.report();
  EXPECT_EQ(e.samples.size(), 1 + 3 + 3 * 9 + 3 * (12 + 2) + 3U);  // + fourletter, rejected, evicted
  for (const auto& s : e.samples) {
    if (s.name != "zk_up") {
      EXPECT_EQ(s.value, "0") << s.name;
    }
  }
}

TEST(metrics, values_numbers_pass_text_is_skipped) {
  struct value_case {
    std::string text;
    std::optional<std::string> expected;
  };
  const std::vector<value_case> cases{
      {"12", "12"},      {"0.0", "0.0"},          {"-1", "-1"},      {"+3", "+3"},         {"1.0E-4", "1.0E-4"},
      {"2.5e10", "2.5e10"}, {".5", ".5"},       {"5.", "5."},      {"NaN", "NaN"},       {"Infinity", "+Inf"},
      {"-Infinity", "-Inf"}, {"", std::nullopt}, {"abc", std::nullopt}, {"1.2.3", std::nullopt},
      {"0x10", std::nullopt}, {"1e", std::nullopt}, {".", std::nullopt}, {"-", std::nullopt},
      {"12 ms", std::nullopt}, {"true", std::nullopt}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto e = check_exposition(render_metrics(mntr_pairs{{"zk_server_state", "leader"}, {"zk_x", c.text}}, {}));
    EXPECT_TRUE(e.problems.empty()) << e.report();
    const auto* s = e.find("zk_x", {{"server_state", "leader"}});
    if (c.expected) {
      ASSERT_NE(s, nullptr);
      EXPECT_EQ(s->value, *c.expected);
    } else {
      EXPECT_EQ(s, nullptr);
    }
  }
}

TEST(metrics, names_are_made_valid_and_sorted_and_the_first_of_a_name_wins) {
  const mntr_pairs pairs{{"zk_b", "2"},     {"zk_a-b.c", "1"}, {"learners", "3"}, {"zk_a_b_c", "9"},
                         {"zk_up", "5"},    {"zk_info", "6"},  {"zk_b", "7"}};
  const auto text = render_metrics(pairs, {});
  const auto e = check_exposition(text);
  EXPECT_TRUE(e.problems.empty()) << e.report();
  EXPECT_EQ(e.find("zk_a_b_c")->value, "1");
  EXPECT_EQ(e.find("zk_learners")->value, "3");
  EXPECT_EQ(e.find("zk_b")->value, "2");
  EXPECT_EQ(e.find("zk_up")->value, "1") << "zk_up is the agent's";
  EXPECT_EQ(e.find("zk_info"), nullptr) << "no version or state given: no zk_info, and mntr's zk_info is skipped";
  EXPECT_LT(text.find("\nzk_a_b_c "), text.find("\nzk_b "));
  EXPECT_LT(text.find("\nzk_b "), text.find("\nzk_learners "));
  EXPECT_EQ(text.find("{server_state"), std::string::npos) << "no state: no label";
}

TEST(metrics, label_values_are_escaped) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  const auto text = render_metrics(mntr_pairs{{"zk_version", "3.9 \"x\"\\\nbuilt"}, {"zk_server_state", "follower"}}, {});
  EXPECT_NE(text.find("zk_info{version=\"3.9 \\\"x\\\"\\\\\\nbuilt\",server_state=\"follower\"} 1\n"), std::string::npos)
      << text;
  const auto e = check_exposition(text);
  EXPECT_TRUE(e.problems.empty()) << e.report();
  EXPECT_NE(e.find("zk_info", {{"version", "3.9 \"x\"\\\nbuilt"}, {"server_state", "follower"}}), nullptr);
}

TEST(metrics, classify_names_why_an_exchange_failed) {
  using to = transport_outcome;
  const std::string srvr_reply =
      "Zookeeper version: 3.8.0-abc, built on 2024-12-29 17:54 UTC\nLatency min/avg/max: 0/0.0/0\nReceived: 1\n"
      "Sent: 0\nConnections: 1\nOutstanding: 0\nZxid: 0x0\nMode: standalone\nNode count: 5\n";
  std::string read_only = srvr_reply;
  read_only.replace(read_only.find("standalone"), 10, "read-only");
  struct classify_case {
    std::string name;
    probe_command command;
    exchange ex;
    bool allow_read_only;
    std::optional<failure_reason> expected;
  };
  const std::vector<classify_case> cases{
      {"imok", probe_command::ruok, {to::complete, "imok", ""}, false, std::nullopt},
      {"imok then reset", probe_command::ruok, {to::reset_after_reply, "imok", ""}, false, std::nullopt},
      {"refused", probe_command::ruok, {to::refused, "", "Connection refused"}, false, failure_reason::refused},
      {"timeout", probe_command::srvr, {to::timeout, "Zookeeper", ""}, false, failure_reason::timeout},
      {"reset", probe_command::srvr, {to::reset_before_reply, "", ""}, false, failure_reason::reset},
      {"closed", probe_command::mntr, {to::closed_without_reply, "", ""}, false, failure_reason::closed},
      {"other error", probe_command::mntr, {to::failed, "", "Network is unreachable"}, false, failure_reason::error},
      {"not serving", probe_command::srvr,
       {to::complete, "This ZooKeeper instance is not currently serving requests\n", ""}, false,
       failure_reason::not_serving},
      {"mntr not serving", probe_command::mntr,
       {to::complete, "This ZooKeeper instance is not currently serving requests\n", ""}, false,
       failure_reason::not_serving},
      {"whitelist", probe_command::ruok,
       {to::complete, "ruok is not executed because it is not in the whitelist.\n", ""}, false,
       failure_reason::whitelist},
      {"garbage", probe_command::ruok, {to::complete, "HTTP/1.1 400 Bad Request", ""}, false, failure_reason::garbage},
      {"srvr serving", probe_command::srvr, {to::complete, srvr_reply, ""}, false, std::nullopt},
      {"srvr cut short", probe_command::srvr, {to::complete, srvr_reply.substr(0, 60), ""}, false,
       failure_reason::garbage},
      {"read-only", probe_command::srvr, {to::complete, read_only, ""}, false, failure_reason::read_only},
      {"read-only allowed", probe_command::srvr, {to::complete, read_only, ""}, true, std::nullopt},
      {"mntr lines", probe_command::mntr, {to::complete, "zk_version\t3.8.0\nzk_up\t1\n", ""}, false, std::nullopt},
      {"mntr garbage", probe_command::mntr, {to::complete, "no tabs here\n", ""}, false, failure_reason::garbage},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(classify(c.command, c.ex, c.allow_read_only), c.expected);
  }
}

TEST(metrics, names_of_commands_and_reasons_are_label_values) {
  std::set<std::string_view> names;
  for (const auto r : all_failure_reasons) {
    const auto name = reason_name(r);
    EXPECT_TRUE(std::regex_match(std::string(name), std::regex("[a-z_]+"))) << name;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), all_failure_reasons.size());
  EXPECT_EQ(command_name(probe_command::mntr), "mntr");
  EXPECT_EQ(command_name(probe_command::ruok), "ruok");
  EXPECT_EQ(command_name(probe_command::srvr), "srvr");
}

}  // namespace
}  // namespace zkagent::readiness
