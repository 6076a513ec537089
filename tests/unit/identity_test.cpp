// identity: the domain `hostname -d` would print, from /etc/hosts text, and whether a server entry
// names this host. Pure: the hosts file, host name and addresses are values.
#include "entrypoint/identity.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <utility>
#include <vector>

#include <string>
#include <vector>

#include "common/text.hpp"

namespace zkagent::entrypoint {
namespace {

TEST(identity_domain_from_hosts, reads_the_canonical_name_of_this_host) {
  struct domain_case {
    std::string name;
    std::string hosts;
    std::string hostname;
    std::string expected;
  };
  const std::string kubernetes =
      "# Kubernetes-managed hosts file.\n"
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n"
      "fe00::0\tip6-localnet\n"
      "10.1.2.3\tzk-1.zk-hs.default.svc.cluster.local\tzk-1\n";
  const std::string docker =
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n"
      "172.18.0.3\tzoo2\n";
  const std::vector<domain_case> cases{
      {"kubernetes pod", kubernetes, "zk-1", "zk-hs.default.svc.cluster.local"},
      {"kubernetes pod, another ordinal is not this host", kubernetes, "zk-10", ""},
      {"kubernetes pod, a prefix of the name is not this host", kubernetes, "zk", ""},
      {"docker container: no domain", docker, "zoo2", ""},
      {"docker container with a domain", "172.18.0.3 zoo2.example.org zoo2\n", "zoo2", "example.org"},
      {"the canonical name is the short one", "10.0.0.5 zk-1 zk-1.zk-hs.ns.svc\n", "zk-1", ""},
      {"spaces and a trailing comment", "  10.1.2.3   zk-1.zk-hs.ns.svc   zk-1   # added by kubelet\n", "zk-1",
       "zk-hs.ns.svc"},
      {"commented out", "# 10.1.2.3 zk-1.zk-hs.ns.svc zk-1\n", "zk-1", ""},
      {"a later line matches", "127.0.1.1 zk-1\n10.1.2.3 zk-1.zk-hs.ns.svc zk-1\n", "zk-1", "zk-hs.ns.svc"},
      {"only the FQDN is listed", "10.1.2.3 zk-1.zk-hs.ns.svc\n", "zk-1", "zk-hs.ns.svc"},
      {"no newline at the end", "10.1.2.3 zk-1.zk-hs.ns.svc zk-1", "zk-1", "zk-hs.ns.svc"},
      {"CRLF line ends", "127.0.0.1 localhost\r\n10.1.2.3 zk-1.zk-hs.ns.svc\r\n", "zk-1", "zk-hs.ns.svc"},
      {"no match", docker, "zk-1", ""},
      {"empty hosts file", "", "zk-1", ""},
      {"empty host name", kubernetes, "", ""},
      {"an address alone", "10.1.2.3\n", "zk-1", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(domain_from_hosts(c.hosts, c.hostname), c.expected);
  }
}

TEST(identity_names_this_host, recognises_its_names_and_addresses) {
  struct host_case {
    std::string host;
    bool expected;
  };
  const std::string hostname = "zk-1";
  const std::string domain = "zk-hs.default.svc.cluster.local";
  const std::vector<std::string> addresses{"10.1.2.3", "fd00::3"};
  const std::vector<host_case> cases{
      {"zk-1", true},
      {"zk-1.zk-hs.default.svc.cluster.local", true},
      {"zk-1.zk-hs", true},
      {"zk-1.zk-hs.default", true},
      {"zk-1.zk-hs.default.svc", true},
      {"127.0.0.1", true},
      {"127.0.0.2", true},
      {"localhost", true},
      {"0.0.0.0", true},
      {"::1", true},
      {"[::1]", true},
      {"::", true},
      {"10.1.2.3", true},
      {"fd00::3", true},
      {"[fd00::3]", true},
      {"zk-0", false},
      {"zk-10", false},
      {"zk-2.zk-hs.default.svc.cluster.local", false},
      {"zk-1.other-hs", false},
      {"zk-1.zk-hs.other", false},
      {"zk-1.", false},
      {"zk-1.zk-hs.default.svc.cluster.local.", true},
      {"zk-1.zk-hs.", false},
      {"zoo1", false},
      {"10.1.2.4", false},
      {"[fd00::4]", false},
      {"", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("host: " + text::quote(c.host));
    EXPECT_EQ(names_this_host(c.host, hostname, domain, addresses), c.expected);
  }
}

TEST(identity_names_this_host, without_a_domain_or_host_name) {
  EXPECT_TRUE(names_this_host("zoo2", "zoo2", "", {}));
  EXPECT_FALSE(names_this_host("zoo2.zk-hs", "zoo2", "", {}));
  EXPECT_FALSE(names_this_host("zoo1", "zoo2", "", {}));
  EXPECT_FALSE(names_this_host("zoo1", "", "", {}));
  EXPECT_TRUE(names_this_host("localhost", "", "", {}));
  EXPECT_TRUE(names_this_host("172.18.0.3", "", "", {"172.18.0.3"}));
}

// Addresses compare as addresses, not as text: an IPv4-mapped or a longhand IPv6 form of a local
// address is this host; names are not addresses.
TEST(identity_canonical_address, one_text_per_address) {
  const std::vector<std::pair<std::string, std::optional<std::string>>> cases{
      {"10.0.0.2", "10.0.0.2"},           {"[::ffff:10.0.0.2]", "10.0.0.2"}, {"::ffff:10.0.0.2", "10.0.0.2"},
      {"0:0:0:0:0:0:0:1", "::1"},         {"[::1]", "::1"},                  {"FE80::0:1", "fe80::1"},
      {"zk-0", std::nullopt},             {"[zk-0]", std::nullopt},          {"10.0.0.256", std::nullopt},
      {"", std::nullopt},                 {std::string("10.0.0.2\0x", 10), std::nullopt}};
  for (const auto& [text_value, expected] : cases) {
    SCOPED_TRACE(text_value);
    EXPECT_EQ(canonical_address(text_value), expected);
  }
  EXPECT_TRUE(names_this_host("[::ffff:172.18.0.3]", "zoo", "", {"172.18.0.3"}));
  EXPECT_TRUE(names_this_host("0:0::1", "zoo", "", {}));
  EXPECT_FALSE(names_this_host("[::ffff:172.18.0.4]", "zoo", "", {"172.18.0.3"}));
}

}  // namespace
}  // namespace zkagent::entrypoint
