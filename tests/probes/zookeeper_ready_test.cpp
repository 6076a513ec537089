// zkagent called through a link named zookeeper-ready, as the tutorial's image calls its script:
// `zookeeper-ready PORT` exits 0 iff ruok answers imok; without a port it probes the configured
// client port, else 2181; a bad argument is a usage error (exit 2).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "probe_support.hpp"

namespace {

namespace zt = zkagent::testing;
using zt::one_verdict_line;
using zookeeper_ready = zt::zookeeper_probes;

TEST_F(zookeeper_ready, a_port_argument_or_the_configured_port_answers_imok) {
  auto& m = cluster_.start_standalone("standalone");
  ASSERT_TRUE(zt::zk_cluster::serves(m, zt::serve_deadline));
  zt::temp_dir bin;
  const auto link = zt::zookeeper_ready_link(bin);

  const auto with_port = zt::run_probe(link, {std::to_string(m.client_port)});
  EXPECT_EQ(with_port.result.exit_code, 0);
  EXPECT_TRUE(one_verdict_line(with_port, "zookeeper-ready", "ruok", m.client_port, true, "imok"));

  auto env = zt::minimal_env();
  env["ZOO_CLIENT_PORT"] = std::to_string(m.client_port);
  const auto configured = zt::run_probe(link, {}, env);
  EXPECT_EQ(configured.result.exit_code, 0);
  EXPECT_TRUE(one_verdict_line(configured, "zookeeper-ready", "ruok", m.client_port, true, "imok"));
}

TEST(zookeeper_ready_link, without_configuration_it_probes_2181) {
  zt::temp_dir bin;
  const auto run = zt::run_probe(zt::zookeeper_ready_link(bin), {});
  // Whatever listens on this machine's 2181 (usually nothing): the line names the address.
  ASSERT_EQ(run.lines.size(), 1u) << run.result.out << run.result.err;
  EXPECT_TRUE(run.lines.front().starts_with("zookeeper-ready: ")) << run.lines.front();
  EXPECT_NE(run.lines.front().find(": ruok to 127.0.0.1:2181: "), std::string::npos) << run.lines.front();
  EXPECT_TRUE(run.result.exit_code == 0 || run.result.exit_code == 1) << run.result.exit_code;
}

TEST(zookeeper_ready_link, a_bad_argument_is_a_usage_error) {
  zt::temp_dir bin;
  const auto link = zt::zookeeper_ready_link(bin);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"abc"}, {"0"}, {"65536"}, {"-1"}, {""}, {"2181x"}, {"2181", "2182"}, {"--port=2181"}}) {
    SCOPED_TRACE(args.front());
    const auto run = zt::run_probe(link, args);
    EXPECT_EQ(run.result.exit_code, 2) << run.result.out << run.result.err;
    EXPECT_TRUE(run.result.out.empty()) << run.result.out;
    EXPECT_NE(run.result.err.find("zookeeper-ready"), std::string::npos) << run.result.err;
  }
}

}  // namespace
