// Where the probes and the health endpoint knock (cli/client_target, pure): the configuration
// ZooKeeper runs with (zoo.cfg, the dynamic file, this member's server.N line), --host/--port
// first, the settings only without a zoo.cfg.
#include "cli/client_target.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace zkagent::cli {
namespace {

struct row {
  std::string name;
  target_sources in;
  std::string host;  // expected
  bool is_name = false;
  std::uint16_t port = 0;
  std::string origin;  // expected to contain
};

target_sources cfg(std::string zoo_cfg) {
  target_sources in;
  in.zoo_cfg_path = "/conf/zoo.cfg";
  in.zoo_cfg = std::move(zoo_cfg);
  in.settings_port = 2181;  // what a re-run resolver would say: never the answer when zoo.cfg exists
  return in;
}

target_sources dynamic(std::string zoo_cfg, std::string members, std::string myid) {
  auto in = cfg(std::move(zoo_cfg));
  in.dynamic_cfg = std::move(members);
  in.dynamic_path = "/conf/zoo.cfg.dynamic";
  in.myid = std::move(myid);
  return in;
}

target_sources with(target_sources in, std::optional<std::string> host, std::optional<std::uint16_t> port) {
  in.host = std::move(host);
  in.port = port;
  return in;
}

const std::string members =
    "server.1=zk-0:2888:3888:participant;[::1]:2191\n"
    "server.2=zk-1:2888:3888:participant;2192\n"
    "server.3=zk-2:2888:3888:participant;0.0.0.0:2193\n"
    "server.4=zk-3:2888:3888:participant;[::]:2194\n"
    "server.5=zk-4:2888:3888:observer;zk-4.zk-hs:2195\n"
    "server.6=zk-5:2888:3888:participant\n"
    "version=100000000\n";

TEST(client_target, knocks_where_the_effective_configuration_says) {
  target_sources none;
  none.zoo_cfg_path = "/conf/zoo.cfg";
  none.settings_address = "10.0.0.7";
  none.settings_port = 2200;
  const std::vector<row> rows{
      {"no zoo.cfg: the settings", none, "10.0.0.7", false, 2200, "the settings"},
      {"template port", cfg("tickTime=2000\nclientPort=2182\n"), "127.0.0.1", false, 2182, "clientPort in /conf/zoo.cfg"},
      {"kept port, spaces and colon form", cfg("dataDir=/var/lib/zk\nclientPort : 2183\n"), "127.0.0.1", false, 2183,
       "clientPort"},
      {"clientPortAddress 0.0.0.0", cfg("clientPort=2182\nclientPortAddress=0.0.0.0\n"), "127.0.0.1", false, 2182, ""},
      {"clientPortAddress ::", cfg("clientPort=2182\nclientPortAddress=::\n"), "::1", false, 2182, ""},
      {"clientPortAddress [::]", cfg("clientPort=2182\nclientPortAddress=[::]\n"), "::1", false, 2182, ""},
      {"bracketed IPv6", cfg("clientPort=2182\nclientPortAddress=[::1]\n"), "::1", false, 2182, ""},
      {"bare IPv6", cfg("clientPort=2182\nclientPortAddress=::1\n"), "::1", false, 2182, ""},
      {"IPv4", cfg("clientPort=2182\nclientPortAddress=127.0.0.2\n"), "127.0.0.2", false, 2182, ""},
      {"host name", cfg("clientPort=2182\nclientPortAddress=localhost\n"), "localhost", true, 2182, ""},
      {"dynamic ;[::1]:2191", dynamic("dynamicConfigFile=/conf/zoo.cfg.dynamic\n", members, "1\n"), "::1", false, 2191,
       "server.1 in /conf/zoo.cfg.dynamic"},
      {"dynamic ;2192", dynamic("dynamicConfigFile=/conf/zoo.cfg.dynamic\n", members, "2"), "127.0.0.1", false, 2192,
       "server.2"},
      {"dynamic ;2192 keeps zoo.cfg's address", dynamic("clientPortAddress=127.0.0.3\n", members, "2"), "127.0.0.3",
       false, 2192, "server.2"},
      {"dynamic 0.0.0.0", dynamic("", members, "3"), "127.0.0.1", false, 2193, "server.3"},
      {"dynamic [::]", dynamic("", members, "4"), "::1", false, 2194, "server.4"},
      {"dynamic host name", dynamic("", members, "5"), "zk-4.zk-hs", true, 2195, "server.5"},
      {"server line wins over clientPort", dynamic("clientPort=2181\n", members, "2"), "127.0.0.1", false, 2192,
       "server.2"},
      {"server line without client part: zoo.cfg's clientPort", dynamic("clientPort=2186\n", members, "6"),
       "127.0.0.1", false, 2186, "clientPort"},
      {"server lines in zoo.cfg itself",
       [] {
         auto in = cfg("clientPort=2181\nserver.7=zk-6:2888:3888;127.0.0.9:2197\n");
         in.myid = "7";
         return in;
       }(),
       "127.0.0.9", false, 2197, "server.7 in /conf/zoo.cfg"},
      {"secure port beside a plain one", cfg("clientPort=2182\nsecureClientPort=2281\n"), "127.0.0.1", false, 2182, ""},
      {"--port wins over zoo.cfg", with(cfg("clientPort=2182\n"), std::nullopt, 3000), "127.0.0.1", false, 3000,
       "--port"},
      {"--host wins over zoo.cfg", with(cfg("clientPort=2182\nclientPortAddress=zk-0\n"), "::1", std::nullopt), "::1",
       false, 2182, "clientPort"},
      {"--port wins over secure only", with(cfg("secureClientPort=2281\n"), std::nullopt, 2181), "127.0.0.1", false,
       2181, "--port"},
      {"--host and --port win over the settings", with(none, "127.0.0.5", 2999), "127.0.0.5", false, 2999, "--port"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    const auto t = effective_target(r.in);
    ASSERT_TRUE(t.ok()) << t.err().message;
    EXPECT_EQ(t.value().host, r.host);
    EXPECT_EQ(t.value().is_name, r.is_name);
    EXPECT_EQ(t.value().port, r.port);
    EXPECT_NE(t.value().origin.find(r.origin), std::string::npos) << t.value().origin;
  }
}

TEST(client_target, says_why_there_is_no_place_to_knock) {
  struct bad {
    std::string name;
    target_sources in;
    std::string says;
  };
  const std::vector<bad> rows{
      {"secureClientPort only", cfg("secureClientPort=2281\n"), "only secureClientPort='2281'"},
      {"secureClientPort only names TLS", cfg("secureClientPort=2281\n"), "does not probe over TLS"},
      {"no client port at all", cfg("tickTime=2000\n"), "sets no clientPort"},
      {"no client port in the server line either", dynamic("", members, "6"), "server.6 line names none"},
      {"a clientPort that is not a port", cfg("clientPort=21x\n"), "clientPort='21x'"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    const auto t = effective_target(r.in);
    ASSERT_FALSE(t.ok()) << t.value().host << ":" << t.value().port;
    EXPECT_EQ(t.err().kind, error_kind::config);
    EXPECT_NE(t.err().message.find(r.says), std::string::npos) << t.err().message;
  }
}

TEST(client_target, myid_is_read_only_when_a_server_line_may_name_the_port) {
  EXPECT_FALSE(needs_myid(cfg("clientPort=2182\n")));
  EXPECT_TRUE(needs_myid(cfg("clientPort=2181\nserver.1=a:1:2;2181\n")));
  EXPECT_TRUE(needs_myid(dynamic("dynamicConfigFile=/conf/d\n", members, "")));
  target_sources none;
  EXPECT_FALSE(needs_myid(none));
}

TEST(client_target, host_names_are_looked_up_in_etc_hosts_first) {
  const std::string hosts =
      "# kubelet-managed\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
      "10.1.2.3\tzk-0.zk-hs.default.svc.cluster.local\tzk-0  # this pod\nnot-an-address zk-9\n";
  EXPECT_EQ(hosts_file_address(hosts, "localhost"), "127.0.0.1");  // the first line listing it
  EXPECT_EQ(hosts_file_address(hosts, "ip6-loopback"), "::1");
  EXPECT_EQ(hosts_file_address(hosts, "ZK-0"), "10.1.2.3");
  EXPECT_EQ(hosts_file_address(hosts, "zk-0.zk-hs.default.svc.cluster.local"), "10.1.2.3");
  EXPECT_EQ(hosts_file_address(hosts, "zk-9"), std::nullopt);
  EXPECT_EQ(hosts_file_address(hosts, "pod"), std::nullopt);
  EXPECT_EQ(hosts_file_address(hosts, "this"), std::nullopt);  // a comment is not a name
}

}  // namespace
}  // namespace zkagent::cli
