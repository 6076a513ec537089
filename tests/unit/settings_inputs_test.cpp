// Inputs ZooKeeper cannot use are refused by the resolver, before anything is written: host names
// and domains (RFC 1123), addresses, the heap, dynamicConfigFile, JVMFLAGS tokens, and a host name
// the member list gives another id. Each row names the setting and what is expected; the rows that
// follow each table show the nearby inputs that must still pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "entrypoint/settings.hpp"
#include "tests/unit/core_fixtures.hpp"

namespace zkagent::entrypoint {
namespace {

using testing::describe;
using testing::find_error;
using testing::has_warning;
using testing::pod_inputs;

constexpr std::uint64_t mib = 1024 * 1024;

using refused = testing::refused_case;

std::function<void(inputs&)> flags(std::vector<std::pair<std::string, std::string>> values) {
  return [values](inputs& in) {
    for (const auto& v : values) in.flags.push_back(v);
  };
}

std::function<void(inputs&)> env(std::string name, std::string value) {
  return [name, value](inputs& in) { in.env[name] = value; };
}

const std::string label70(70, 'a');
// Four 60-character labels and "e": 245 characters; with ".fffffffff", 255.
const std::string long_name = std::string(60, 'a') + "." + std::string(60, 'b') + "." + std::string(60, 'c') + "." +
                              std::string(60, 'd') + ".e";
const std::string too_long_name = long_name + ".fffffffff";

TEST(settings_inputs, what_zookeeper_cannot_use_is_refused_naming_the_setting) {
  const auto ek = error_kind::config;
  const std::vector<refused> cases{
      // Domains and host names (RFC 1123).
      {"domain with a space and a port", flags({{"servers", "3"}, {"domain", "zk-hs x:1"}}), ek,
       {"--domain='zk-hs x:1'", "' ' is not allowed", "expected a host name (RFC 1123"}},
      {"domain with an empty label", flags({{"servers", "3"}, {"domain", "zk-0..zk-hs"}}), ek,
       {"--domain='zk-0..zk-hs'", "empty label"}},
      {"domain with a leading dot", env("ZKAGENT_DOMAIN", ".zk-hs"), ek, {"ZKAGENT_DOMAIN='.zk-hs'", "empty label"}},
      {"domain with a trailing dot", env("ZKAGENT_DOMAIN", "zk-hs."), ek, {"ZKAGENT_DOMAIN='zk-hs.'", "empty label"}},
      {"domain with a 70-character label", flags({{"domain", "zk-hs." + label70}}), ek,
       {"--domain=", "is 70 characters long", "1 to 63"}},
      {"domain of 255 characters", flags({{"domain", too_long_name}}), ek, {"--domain=", "is 255 characters long"}},
      {"domain label ending in a hyphen", flags({{"domain", "zk-.svc"}}), ek,
       {"--domain='zk-.svc'", "'zk-' starts or ends with a hyphen"}},
      {"domain with an underscore", flags({{"domain", "zk_hs.svc"}}), ek, {"--domain='zk_hs.svc'", "'_' is not allowed"}},
      {"host name with a slash", flags({{"hostname", "zk/1"}}), ek, {"--hostname='zk/1'", "'/' is not allowed"}},
      {"host name of 70 characters", flags({{"hostname", label70 + "-1"}}), ek,
       {"--hostname=", "72 characters long"}},
      {"generated member names too long",
       [](inputs& in) {
         in.host.hostname = std::string(61, 'z') + "-1";  // 63 characters: -10 makes 64
         in.flags = {{"servers", "11"}};
       },
       ek, {"--servers generates the member name", "is 64 characters long", "set --hostname or --domain"}},
      // Addresses.
      {"client address [:]", flags({{"client-port-address", "[:]"}}), ek,
       {"--client-port-address='[:]'", "brackets hold only an IPv6 address", "IPv6 address (with or without brackets)"}},
      {"client address with a space", env("ZOO_CLIENT_PORT_ADDRESS", "not an address"), ek,
       {"ZOO_CLIENT_PORT_ADDRESS='not an address'", "' ' is not allowed"}},
      {"client address 10.0.0.256", flags({{"client-port-address", "10.0.0.256"}}), ek,
       {"--client-port-address='10.0.0.256'", "looks like an IPv4 address but is not one"}},
      {"client address with a port", flags({{"client-port-address", "127.0.0.1:2181"}}), ek,
       {"--client-port-address='127.0.0.1:2181'", "is not an IPv6 address"}},
      {"client address in ZOO_CFG_EXTRA", env("ZOO_CFG_EXTRA", "clientPortAddress=a..b"), ek,
       {"ZOO_CFG_EXTRA clientPortAddress='a..b'", "empty label"}},
      {"admin address not an address", flags({{"admin-server-address", "not an address"}}), ek,
       {"--admin-server-address='not an address'", "' ' is not allowed"}},
      {"admin address half bracketed", env("ZOO_ADMINSERVER_ADDRESS", "[::1"), ek,
       {"ZOO_ADMINSERVER_ADDRESS='[::1'", "brackets hold only an IPv6 address"}},
      {"member host with an empty label", env("ZOO_SERVERS", "server.1=zk-0..zk-hs:2888:3888"), ek,
       {"ZOO_SERVERS entry 'server.1=zk-0..zk-hs:2888:3888'", "'zk-0..zk-hs' is not a host", "empty label"}},
      {"member host [:]", env("ZOO_SERVERS", "server.1=[:]:2888:3888"), ek, {"'[:]' is not a host"}},
      {"member client address not an address", env("ZOO_SERVERS", "server.1=zoo1:2888:3888;a..b:2181"), ek,
       {"the client address 'a..b' is not a host", "empty label"}},
      {"SERVERS host with a 70-character label", env("SERVERS", "zk1," + label70), ek,
       {"SERVERS entry '" + label70 + "' is not a host", "70 characters long"}},
      // The heap.
      {"heap of 99999999999G", flags({{"heap", "99999999999G"}}), ek,
       {"--heap='99999999999G'", "a JVM memory size such as 512M", "from 32M to 1T"}},
      {"heap of 2T", env("ZOO_HEAP_SIZE", "2T"), ek, {"ZOO_HEAP_SIZE='2T'", "from 32M to 1T"}},
      {"heap of 8M", flags({{"heap", "8M"}}), ek, {"--heap='8M'", "from 32M to 1T"}},
      {"heap at the memory limit",
       [](inputs& in) {
         in.flags = {{"heap", "512M"}};
         in.host.memory_limit = 512 * mib;
       },
       ek, {"the heap of 512 MiB (--heap) is not below the container memory limit of 512 MiB", "OOM-killed"}},
      {"heap above the memory limit from ZK_SERVER_HEAP",
       [](inputs& in) {
         in.java_env_text = "ZK_SERVER_HEAP=700\n";
         in.host.memory_limit = 512 * mib;
       },
       ek, {"the heap of 700 MiB (ZK_SERVER_HEAP in java.env)", "memory limit of 512 MiB"}},
      {"a memory limit too small for any heap", [](inputs& in) { in.host.memory_limit = 32 * mib; }, ek,
       {"the heap of 32 MiB (half the container memory limit of 32 MiB)", "not below the container memory limit"}},
      {"-Xmx in JVMFLAGS above the memory limit",
       [](inputs& in) {
         in.env["JVMFLAGS"] = "-Xmx1g";
         in.host.memory_limit = 512 * mib;
       },
       ek, {"the heap of 1024 MiB (-Xmx1g in JVMFLAGS)", "memory limit of 512 MiB"}},
      {"-Xmx in JVMFLAGS that the JVM refuses", env("JVMFLAGS", "-Xmxlots"), ek,
       {"-Xmxlots in JVMFLAGS", "expected a maximum heap from 32m to 1t"}},
      {"-Xmx in bytes too small", env("JVMFLAGS", "-Xmx1048576"), ek, {"-Xmx1048576 in JVMFLAGS", "from 32m"}},
      {"-XX:MaxHeapSize in java.env too large", [](inputs& in) { in.java_env_text = "SERVER_JVMFLAGS=\"-XX:MaxHeapSize=2048g\"\n"; },
       ek, {"-XX:MaxHeapSize=2048g in /conf/java.env", "to 1t"}},
      {"-Xms above zkagent's -Xmx",
       [](inputs& in) {
         in.env["JVMFLAGS"] = "-Xms2g";
         in.host.memory_limit = 1024 * mib;
       },
       ek, {"-Xms2g in JVMFLAGS: expected an initial heap of at most the maximum heap of 512 MiB (half the container",
            "the JVM refuses to start"}},
      {"-Xms above the -Xmx beside it", env("JVMFLAGS", "-Xms4g -Xmx2g"), ek,
       {"-Xms4g in JVMFLAGS", "at most the maximum heap of 2048 MiB (-Xmx2g in JVMFLAGS)"}},
      {"-XX:InitialHeapSize in java.env the JVM refuses",
       [](inputs& in) { in.java_env_text = "SERVER_JVMFLAGS=\"-XX:InitialHeapSize=lots\"\n"; }, ek,
       {"-XX:InitialHeapSize=lots in /conf/java.env: expected an initial heap in the JVM's syntax"}},
      {"ZK_SERVER_HEAP out of bounds", [](inputs& in) { in.java_env_text = "ZK_SERVER_HEAP=4\n"; }, ek,
       {"ZK_SERVER_HEAP=4 in /conf/java.env", "from 32 to 1048576"}},
      // dynamicConfigFile.
      {"dynamicConfigFile empty", env("ZOO_CFG_EXTRA", "dynamicConfigFile="), ek,
       {"ZOO_CFG_EXTRA dynamicConfigFile='': it is empty",
        "directly in the conf folder (/conf) or the data folder (/data)"}},
      {"dynamicConfigFile relative", env("ZOO_CFG_EXTRA", "dynamicConfigFile=zoo.cfg.dynamic"), ek,
       {"dynamicConfigFile='zoo.cfg.dynamic': it is not an absolute path"}},
      {"dynamicConfigFile naming zoo.cfg", flags({{"cfg-extra", "dynamicConfigFile=/conf/zoo.cfg"}}), ek,
       {"dynamicConfigFile='/conf/zoo.cfg': 'zoo.cfg' is a file zkagent writes itself"}},
      {"dynamicConfigFile naming myid", [](inputs& in) { in.template_text = "dynamicConfigFile=/data/myid\n"; }, ek,
       {"dynamicConfigFile='/data/myid': 'myid' is a file zkagent writes itself"}},
      {"dynamicConfigFile naming ZooKeeper's snapshot folder", env("ZOO_CFG_EXTRA", "dynamicConfigFile=/data/version-2"),
       ek, {"dynamicConfigFile='/data/version-2': 'version-2' is the folder ZooKeeper keeps its snapshots in"}},
      {"dynamicConfigFile elsewhere", env("ZOO_CFG_EXTRA", "dynamicConfigFile=/etc/zk.dynamic"), ek,
       {"dynamicConfigFile='/etc/zk.dynamic': it is not a file directly in either folder"}},
      // JVMFLAGS.
      {"a JVMFLAGS token that is no option", env("JVMFLAGS", "-Xss1m foo"), ek,
       {"JVMFLAGS='-Xss1m foo': 'foo' is not a JVM option", "main class"}},
      {"a shell-quoted JVMFLAGS value", flags({{"jvm-flags", "-Dname=\"a b\""}}), ek,
       {"--jvm-flags=", "'b\"' is not a JVM option", "without shell quoting"}},
      {"a JVMFLAGS option left without its value", env("JVMFLAGS", "-Xss1m --add-opens"), ek,
       {"JVMFLAGS='-Xss1m --add-opens': '--add-opens' is last and has no value"}},
      {"a stray token in java.env", [](inputs& in) { in.java_env_text = "SERVER_JVMFLAGS=\"-Xss1m org.Main\"\n"; }, ek,
       {"the JVM flags in /conf/java.env: 'org.Main' is not a JVM option"}},
      // Identity against the member list.
      {"ZOO_MY_ID contradicts the list naming this host",
       [](inputs& in) {
         in.flags = {{"servers", "3"}};
         in.env["ZOO_MY_ID"] = "3";
       },
       error_kind::identity,
       {"server.2 in --servers names this host (zk-1.zk-hs.default.svc.cluster.local)", "this member's id is 3 (from "
        "ZOO_MY_ID)", "whose entry names zk-2."}},
      {"every compose member given ZOO_MY_ID=1",
       [](inputs& in) {
         in.host.hostname = "zoo2";
         in.env["ZOO_SERVERS"] = "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181";
         in.env["ZOO_MY_ID"] = "1";
       },
       error_kind::identity, {"server.2 in ZOO_SERVERS names this host (zoo2)", "this member's id is 1"}},
      {"an offset that does not match the list",
       [](inputs& in) {
         in.env["ZOO_SERVERS"] = "zk-0:2888:3888::1,zk-1:2888:3888::2,zk-2:2888:3888::3";
         in.env["ZOO_MY_ID_OFFSET"] = "2";  // zk-1 -> 3
       },
       error_kind::identity, {"server.2 in ZOO_SERVERS names this host (zk-1)", "this member's id is 3"}},
      {"zero-padded ordinal not in the list",
       [](inputs& in) {
         in.host.hostname = "zk-01";
         in.env["ZOO_SERVERS"] = "zk-1:2888:3888,zk-2:2888:3888,zk-3:2888:3888";
       },
       error_kind::identity,
       {"'zk-01' ends in a zero-padded number, which a StatefulSet never gives", "no member in ZOO_SERVERS names it"}},
      {"zero-padded ordinal with --servers",
       [](inputs& in) {
         in.host.hostname = "zk-01";
         in.flags = {{"servers", "3"}};
       },
       error_kind::identity, {"'zk-01' ends in a zero-padded number", "list the members with ZOO_SERVERS"}},
      {"-XX:MaxRAMPercentage=100 under a memory limit",
       [](inputs& in) {
         in.env["JVMFLAGS"] = "-XX:MaxRAMPercentage=100";
         in.host.memory_limit = 1024 * mib;
       },
       ek, {"the heap of 1024 MiB (-XX:MaxRAMPercentage=100 in JVMFLAGS)", "memory limit of 1024 MiB"}},
      {"-XX:MaxRAMPercentage that is no percentage", env("JVMFLAGS", "-XX:MaxRAMPercentage=lots"), ek,
       {"-XX:MaxRAMPercentage=lots in JVMFLAGS: expected a percentage of the memory limit from 0 to 100"}},
      {"compose services counted from 1 without ZOO_MY_ID",
       [](inputs& in) {
         in.host.hostname = "zoo-2";
         in.host.hosts_file = "127.0.0.1\tlocalhost\n172.18.0.3\tzoo-2\n";
         in.env["ZOO_SERVERS"] = "server.1=zoo-1:2888:3888;2181 server.2=zoo-2:2888:3888;2181 server.3=zoo-3:2888:3888;2181";
       },
       error_kind::identity, {"server.2 in ZOO_SERVERS names this host (zoo-2)", "this member's id is 3",
                              "--myid-offset=0 (ZOO_MY_ID_OFFSET) gives it 2"}},
      {"a host named by two entries",
       [](inputs& in) {
         in.host.hostname = "zoo";
         in.env["ZOO_SERVERS"] = "server.1=zoo:2888:3888 server.2=zoo:2889:3889";
       },
       error_kind::identity, {"this member's id is ambiguous: server.1 and server.2 in ZOO_SERVERS all name this host"}},
  };
  testing::expect_each_refused(cases);
}

// The neighbours of the refused inputs: each must still resolve without an error.
TEST(settings_inputs, nearby_inputs_zookeeper_can_use_still_pass) {
  struct accepted {
    std::string name;
    std::function<void(inputs&)> setup;
    std::function<void(const settings&)> check;
  };
  const std::vector<accepted> cases{
      {"IPv6 client address with brackets", flags({{"client-port-address", "[::1]"}}),
       [](const settings& s) { EXPECT_EQ(s.client_port_address, "[::1]"); }},
      {"IPv6 client address without brackets", flags({{"client-port-address", "::1"}}),
       [](const settings& s) { EXPECT_EQ(s.client_port_address, "::1"); }},
      {"host name client address", env("ZOO_CLIENT_PORT_ADDRESS", "zk-1.zk-hs.default.svc.cluster.local"),
       [](const settings& s) { EXPECT_EQ(s.client_port_address, "zk-1.zk-hs.default.svc.cluster.local"); }},
      {"IPv4 admin address", flags({{"admin-server-address", "127.0.0.1"}}),
       [](const settings& s) { EXPECT_EQ(s.admin_address, "127.0.0.1"); }},
      {"a 63-character label in a 244-character domain",
       flags({{"servers", "3"}, {"domain", std::string(63, 'q') + "." + long_name.substr(0, 180)}}),
       [](const settings& s) { EXPECT_EQ(s.servers.size(), 3U); }},
      {"a compose service with an underscore",
       [](inputs& in) {
         in.env["ZOO_SERVERS"] = "server.1=zoo_1:2888:3888;2181";
         in.env["ZOO_MY_ID"] = "1";
       },
       [](const settings& s) { EXPECT_EQ(s.servers.front().host, "zoo_1"); }},
      {"IPv6 members in brackets", env("ZOO_SERVERS", "server.1=[::1]:2888:3888;[::1]:2181 server.2=[::1]:2889:3889;2182"),
       [](const settings& s) { EXPECT_EQ(s.servers.size(), 2U); }},
      {"absolute member names (a trailing dot), this host among them",
       [](inputs& in) {
         in.env["ZOO_SERVERS"] = "server.1=zk-0.zk-hs.default.svc.cluster.local.:2888:3888;2181 "
                                 "server.2=zk-1.zk-hs.default.svc.cluster.local.:2888:3888;2181 "
                                 "server.3=zk-2.zk-hs.default.svc.cluster.local.:2888:3888;2181";
         in.env["ZOO_MY_ID"] = "2";
       },
       [](const settings& s) {
         EXPECT_EQ(s.myid, 2U);
         EXPECT_EQ(s.servers.at(1).host, "zk-1.zk-hs.default.svc.cluster.local.");
       }},
      {"an absolute client address", flags({{"client-port-address", "zk-1.zk-hs.default.svc.cluster.local."}}),
       [](const settings& s) { EXPECT_EQ(s.client_port_address, "zk-1.zk-hs.default.svc.cluster.local."); }},
      {"a launcher argument file in JVMFLAGS", env("JVMFLAGS", "@/conf/jvm.args -Xss1m"), [](const settings& s) {
         EXPECT_NE(std::find(s.jvm_flags.begin(), s.jvm_flags.end(), "@/conf/jvm.args"), s.jvm_flags.end());
       }},
      {"-Xms at the -Xmx", env("JVMFLAGS", "-Xmx2g -Xms2048m"), [](const settings& s) {
         EXPECT_NE(s.heap_reason.find("JVMFLAGS"), std::string::npos);
       }},
      {"--heap at the limit but sized by -XX:MaxRAMPercentage, which wins",
       [](inputs& in) {
         in.flags = {{"heap", "512M"}};
         in.env["JVMFLAGS"] = "-XX:MaxRAMPercentage=50";
         in.host.memory_limit = 512 * mib;
       },
       [](const settings& s) {
         EXPECT_EQ(std::find_if(s.jvm_flags.begin(), s.jvm_flags.end(),
                                [](const std::string& f) { return f.starts_with("-Xm"); }),
                   s.jvm_flags.end());
       }},
      {"heap of 32M and of 1T", flags({{"heap", "32M"}}), [](const settings& s) {
         EXPECT_NE(s.heap_reason.find("32 MiB"), std::string::npos);
       }},
      {"heap just below the limit",
       [](inputs& in) {
         in.flags = {{"heap", "511M"}};
         in.host.memory_limit = 512 * mib;
       },
       [](const settings& s) { EXPECT_NE(s.heap_reason.find("511 MiB"), std::string::npos); }},
      {"-Xmx in bytes", env("JVMFLAGS", "-Xmx536870912"), [](const settings& s) {
         EXPECT_NE(s.heap_reason.find("JVMFLAGS"), std::string::npos);
       }},
      {"an option whose value is the next token", env("JVMFLAGS", "--add-opens java.base/java.lang=ALL-UNNAMED -Xss1m"),
       [](const settings& s) {
         EXPECT_NE(std::find(s.jvm_flags.begin(), s.jvm_flags.end(), "java.base/java.lang=ALL-UNNAMED"), s.jvm_flags.end());
       }},
      {"dynamicConfigFile in the data folder", env("ZOO_CFG_EXTRA", "dynamicConfigFile=/data/zoo.cfg.dynamic"),
       [](const settings& s) { EXPECT_EQ(s.extra("dynamicConfigFile"), "/data/zoo.cfg.dynamic"); }},
      {"ZOO_MY_ID agreeing with the list", [](inputs& in) {
         in.flags = {{"servers", "3"}};
         in.env["ZOO_MY_ID"] = "2";
       },
       [](const settings& s) { EXPECT_EQ(s.myid, 2U); }},
      {"one host running every member by port",
       [](inputs& in) {
         in.host.hostname = "devbox";
         in.env["ZOO_SERVERS"] = "server.1=devbox:2888:3888;2181 server.2=devbox:2889:3889;2182";
         in.env["ZOO_MY_ID"] = "2";
       },
       [](const settings& s) { EXPECT_EQ(s.myid, 2U); }},
      {"a host name given as an FQDN, with short member names",
       [](inputs& in) {
         in.flags = {{"hostname", "zk-1.zk-hs.default.svc.cluster.local"}};
         in.env["ZOO_SERVERS"] = "server.1=zk-0:2888:3888 server.2=zk-1:2888:3888 server.3=zk-2:2888:3888";
       },
       [](const settings& s) {
         EXPECT_EQ(s.myid, 2U);
         EXPECT_EQ(s.hostname, "zk-1");
         EXPECT_EQ(s.domain, "zk-hs.default.svc.cluster.local");
       }},
      {"an FQDN host name generating the members", flags({{"hostname", "zk-2.zk-hs.ns.svc"}, {"servers", "3"}}),
       [](const settings& s) {
         EXPECT_EQ(s.myid, 3U);
         EXPECT_EQ(s.servers.front().host, "zk-0.zk-hs.ns.svc");
       }},
      {"an upper-case host name finds its domain in /etc/hosts",
       [](inputs& in) {
         in.host.hostname = "ZK-01";
         in.host.hosts_file = "127.0.0.1\tlocalhost\n10.1.2.3\tzk-01.zk-hs.default.svc.cluster.local\tzk-01\n";
         in.env["ZOO_SERVERS"] = "zk-01.zk-hs.default.svc.cluster.local:2888:3888,zk-02.zk-hs.default.svc.cluster.local:2888:3888";
       },
       [](const settings& s) { EXPECT_EQ(s.myid, 1U); }},
      {"this host's own entry by an IPv4-mapped address",
       [](inputs& in) {
         in.host.hostname = "zoo";
         in.host.addresses = {"192.0.2.2"};
         in.env["ZOO_MY_ID"] = "2";
         in.env["ZOO_SERVERS"] = "server.1=zoo:2888:3888 server.2=[::ffff:192.0.2.2]:2888:3888";
       },
       [](const settings& s) { EXPECT_EQ(s.myid, 2U); }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto in = pod_inputs();
    c.setup(in);
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
    c.check(r.value);
  }
}

// A host name without a StatefulSet ordinal takes the id its member-list entry has, and says so:
// zk-01 (zero-padded, never a StatefulSet's) is server.1 where the list names zk-01 so, not id 2.
TEST(settings_inputs, a_host_name_without_an_ordinal_takes_the_id_its_entry_has) {
  struct row {
    std::string hostname, list;
    std::uint32_t id;
    std::vector<std::string> origin;
  };
  for (const auto& r : std::vector<row>{
           {"zk-01", "zk-01:2888:3888,zk-02:2888:3888,zk-03:2888:3888", 1,
            {"server.1 in ZOO_SERVERS, which names this host zk-01", "zero-padded number", "not read as an ordinal"}},
           {"zk-02", "server.1=zk-01.zk-hs:2888:3888 server.2=zk-02.zk-hs:2888:3888 server.3=zk-03.zk-hs:2888:3888", 2,
            {"server.2 in ZOO_SERVERS"}},
           {"zoo3", "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181", 3,
            {"server.3 in ZOO_SERVERS, which names this host zoo3", "has no ordinal"}}}) {
    SCOPED_TRACE(r.hostname);
    auto in = pod_inputs(r.hostname);
    in.host.hosts_file = "127.0.0.1\tlocalhost\n10.0.0.5\t" + r.hostname + ".zk-hs.default.svc.cluster.local\t" +
                         r.hostname + "\n";
    in.env["ZOO_SERVERS"] = r.list;
    const auto res = resolve(in);
    ASSERT_TRUE(res.diag.ok()) << describe(res.diag);
    EXPECT_EQ(res.value.myid, r.id);
    for (const auto& part : r.origin) EXPECT_NE(res.value.myid_origin.find(part), std::string::npos) << res.value.myid_origin;
  }
  // Standalone: a zero-padded name gives no id of its own, and says why.
  const auto r = resolve(pod_inputs("zk-01"));
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_EQ(r.value.ordinal_id, std::nullopt);
  EXPECT_TRUE(has_warning(r.diag, {"'zk-01' ends in a zero-padded number", "not read as an ordinal"})) << describe(r.diag);
}

// A whitelist without srvr gets no warning: ZooKeeper 3.5+ always allows srvr (readiness sends it);
// zookeeper_probes_test shows `ready` passing against such a server. The other words are checked.
TEST(settings_inputs, a_whitelist_without_srvr_is_no_problem_but_one_without_ruok_is_warned_about) {
  auto in = pod_inputs();
  in.env["ZOO_4LW_COMMANDS_WHITELIST"] = "ruok,mntr";
  auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << describe(r.diag);
  EXPECT_TRUE(r.diag.warnings.empty()) << describe(r.diag);
  in.env["ZOO_4LW_COMMANDS_WHITELIST"] = "srvr,mntr";
  r = resolve(in);
  EXPECT_TRUE(has_warning(r.diag, {"4lw.commands.whitelist lacks ruok"})) << describe(r.diag);
}

}  // namespace
}  // namespace zkagent::entrypoint
