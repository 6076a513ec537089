// server_list: every form users write the member list in, every way it can be wrong (each error
// names the variable and quotes the entry), the StatefulSet generator, the checks and rendering.
#include "entrypoint/server_list.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/text.hpp"

namespace zkagent::entrypoint {

// Readable failure output: gtest finds this by argument-dependent lookup.
void PrintTo(const server_entry& e, std::ostream* os) {
  *os << "server." << e.id << "=" << render_server_value(e);
}

namespace {

std::string describe(const std::vector<server_entry>& entries) {
  std::string out;
  for (const auto& e : entries) out += "server." + std::to_string(e.id) + "=" + render_server_value(e) + " ";
  return out;
}

std::string describe(const diagnostics& diag) {
  std::string out;
  for (const auto& e : diag.errors) out += "error: " + e.message + "\n";
  for (const auto& w : diag.warnings) out += "warning: " + w + "\n";
  return out;
}

server_entry member(std::uint32_t id, std::string host, std::uint16_t qp = 2888, std::uint16_t ep = 3888,
                    bool observer = false, std::string address = "", std::optional<std::uint16_t> client = {}) {
  return server_entry{id, std::move(host), qp, ep, observer, std::move(address), client};
}

struct list_case {
  std::string text;
  std::vector<server_entry> expected;
};

void expect_parses(const std::vector<list_case>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE("ZOO_SERVERS=" + text::quote(c.text));
    diagnostics diag;
    const auto got = parse_server_list(c.text, "ZOO_SERVERS", diag);
    EXPECT_TRUE(diag.errors.empty()) << describe(diag);
    EXPECT_EQ(got, c.expected) << describe(got);
  }
}

TEST(server_list_parse, official_form) {
  expect_parses({
      {"server.1=localhost:2888:3888;2181", {member(1, "localhost", 2888, 3888, false, "", 2181)}},
      {"server.1=zoo1:2888:3888", {member(1, "zoo1")}},
      {"server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181",
       {member(1, "zoo1", 2888, 3888, false, "", 2181), member(2, "zoo2", 2888, 3888, false, "", 2181),
        member(3, "zoo3", 2888, 3888, false, "", 2181)}},
      {"server.1=zoo1:2888:3888;0.0.0.0:2181", {member(1, "zoo1", 2888, 3888, false, "0.0.0.0", 2181)}},
      {"server.7=127.0.0.7:2888:3888;127.0.0.1:2191", {member(7, "127.0.0.7", 2888, 3888, false, "127.0.0.1", 2191)}},
      {"server.4=zoo4:2888:3888:observer;2181", {member(4, "zoo4", 2888, 3888, true, "", 2181)}},
      {"server.4=zoo4:2888:3888:observer", {member(4, "zoo4", 2888, 3888, true)}},
      {"server.2=zoo2:2888:3888:participant;2181", {member(2, "zoo2", 2888, 3888, false, "", 2181)}},
      {"server.1=[::1]:2888:3888;2181", {member(1, "[::1]", 2888, 3888, false, "", 2181)}},
      {"server.1=[2001:db8::1]:2888:3888:observer;[::1]:2181",
       {member(1, "[2001:db8::1]", 2888, 3888, true, "[::1]", 2181)}},
      {"  server.1=a:1:2\t\tserver.2=b:1:2    server.3=c:1:2  \n",
       {member(1, "a", 1, 2), member(2, "b", 1, 2), member(3, "c", 1, 2)}},
      {"server.1=a:1:2,server.2=b:1:2", {member(1, "a", 1, 2), member(2, "b", 1, 2)}},
      {"server.255=zk-254.zk-hs.default.svc.cluster.local:2888:3888;2181",
       {member(255, "zk-254.zk-hs.default.svc.cluster.local", 2888, 3888, false, "", 2181)}},
      {"server.1=zoo_1:1:65535", {member(1, "zoo_1", 1, 65535)}},
      // Order is kept as written; sorting is the resolver's job.
      {"server.3=c:1:2 server.1=a:1:2", {member(3, "c", 1, 2), member(1, "a", 1, 2)}},
  });
}

TEST(server_list_parse, bitnami_form) {
  expect_parses({
      {"zoo1:2888:3888,zoo2:2888:3888,zoo3:2888:3888", {member(1, "zoo1"), member(2, "zoo2"), member(3, "zoo3")}},
      {"zoo1:2888:3888;zoo2:2888:3888;zoo3:2888:3888", {member(1, "zoo1"), member(2, "zoo2"), member(3, "zoo3")}},
      {"zoo1:2888:3888 zoo2:2888:3888\tzoo3:2888:3888", {member(1, "zoo1"), member(2, "zoo2"), member(3, "zoo3")}},
      {"zoo1:2888:3888, zoo2:2888:3888 ;zoo3:2888:3888", {member(1, "zoo1"), member(2, "zoo2"), member(3, "zoo3")}},
      {"zoo1:2888:3888::1,zoo2:2888:3888::5", {member(1, "zoo1"), member(5, "zoo2")}},
      {"zoo1:2888:3888,zoo2:2888:3888,zoo4:2888:3888:observer::4",
       {member(1, "zoo1"), member(2, "zoo2"), member(4, "zoo4", 2888, 3888, true)}},
      {"zoo1:2888:3888:participant,zoo2:2888:3888:observer",
       {member(1, "zoo1"), member(2, "zoo2", 2888, 3888, true)}},
      {"[::1]:2888:3888,[::2]:2888:3888", {member(1, "[::1]"), member(2, "[::2]")}},
      {"[::1]:2888:3888::7", {member(7, "[::1]")}},
      // A domain that contains "server." is still the Bitnami form.
      {"zk-0.zk-server.default.svc:2888:3888,zk-1.zk-server.default.svc:2888:3888",
       {member(1, "zk-0.zk-server.default.svc"), member(2, "zk-1.zk-server.default.svc")}},
  });
}

TEST(server_list_parse, every_malformed_entry_is_an_error_naming_the_variable_and_the_entry) {
  const std::vector<std::string> bad_entries{
      // Official form.
      "server.1=zoo1",
      "server.1=zoo1:2888",
      "server.1=zoo1:2888:",
      "server.1=zoo1::3888",
      "server.1=:2888:3888",
      "server.1=zoo1:abc:3888",
      "server.1=zoo1:2888:x",
      "server.1=zoo1:0:3888",
      "server.1=zoo1:2888:0",
      "server.1=zoo1:65536:3888",
      "server.1=zoo1:2888:99999",
      "server.1=zoo1:-1:3888",
      "server.1=zoo1:2888:2888",
      "server.1=zoo1:2888:3888:witness",
      "server.1=zoo1:2888:3888:observer:extra",
      "server.0=zoo1:2888:3888",
      "server.256=zoo1:2888:3888",
      "server.x=zoo1:2888:3888",
      "server.=zoo1:2888:3888",
      "server.-1=zoo1:2888:3888",
      "server.1=zo$o1:2888:3888",
      "server.1=zoo/1:2888:3888",
      "server.1=zoo1:2888:3888;",
      "server.1=zoo1:2888:3888;abc",
      "server.1=zoo1:2888:3888;0",
      "server.1=zoo1:2888:3888;65536",
      "server.1=zoo1:2888:3888;bad$addr:2181",
      "server.1=zoo1:2888:3888;:2181",
      "server.1=[::1:2888:3888",
      "server.1=[::1]x:2888:3888",
      "server.1=[]:2888:3888",
      "server.1",
      "server.1:zoo1:2888:3888",
      // Bitnami form.
      "zoo1",
      "zoo1:2888",
      "zoo1:2888:3888:observer:extra",
      "zoo1:a:b",
      "zoo1:0:3888",
      "zoo1:2888:65536",
      "zoo1:3888:3888",
      "zoo1:2888:3888:voter",
      "zoo1:2888:3888::0",
      "zoo1:2888:3888::256",
      "zoo1:2888:3888::x",
      "zoo1:2888:3888::",
      "zo!o1:2888:3888",
      "[::1]:2888:3888::0",
  };
  for (const auto& entry : bad_entries) {
    SCOPED_TRACE("ZOO_SERVERS=" + text::quote(entry));
    diagnostics diag;
    const auto got = parse_server_list(entry, "ZOO_SERVERS", diag);
    EXPECT_TRUE(got.empty()) << describe(got);
    ASSERT_FALSE(diag.errors.empty());
    for (const auto& e : diag.errors) {
      EXPECT_EQ(e.kind, error_kind::config);
      EXPECT_NE(e.message.find("ZOO_SERVERS entry " + text::quote(entry)), std::string::npos) << e.message;
    }
  }
}

TEST(server_list_parse, a_bad_entry_does_not_hide_the_good_ones_or_the_other_bad_ones) {
  diagnostics diag;
  const auto got = parse_server_list("server.1=a:2888:3888 server.2=b:2888 server.3=c:1:1 server.4=d:2888:3888",
                                     "--server-list", diag);
  EXPECT_EQ(got, (std::vector<server_entry>{member(1, "a"), member(4, "d")}));
  ASSERT_EQ(diag.errors.size(), 2U) << describe(diag);
  EXPECT_NE(diag.errors[0].message.find("--server-list entry 'server.2=b:2888'"), std::string::npos);
  EXPECT_NE(diag.errors[1].message.find("--server-list entry 'server.3=c:1:1'"), std::string::npos);
  EXPECT_NE(diag.errors[1].message.find("must differ"), std::string::npos);
}

TEST(server_list_parse, an_empty_list_is_an_error_naming_the_variable) {
  for (const std::string text_value : {"", "   ", "\t\n"}) {
    SCOPED_TRACE(text::quote(text_value));
    diagnostics diag;
    const auto got = parse_server_list(text_value, "ZOO_SERVERS", diag);
    EXPECT_TRUE(got.empty());
    ASSERT_EQ(diag.errors.size(), 1U);
    EXPECT_NE(diag.errors[0].message.find("ZOO_SERVERS is empty"), std::string::npos) << diag.errors[0].message;
  }
}

TEST(server_list_parse_line, reads_one_template_line) {
  diagnostics diag;
  const auto got = parse_server_line("server.3", "zoo3:2888:3888:observer;0.0.0.0:2181", "template /t/zoo.cfg", diag);
  ASSERT_TRUE(got.has_value()) << describe(diag);
  EXPECT_EQ(*got, member(3, "zoo3", 2888, 3888, true, "0.0.0.0", 2181));

  const auto bad = parse_server_line("server.3", "zoo3:2888", "template /t/zoo.cfg", diag);
  EXPECT_FALSE(bad.has_value());
  ASSERT_EQ(diag.errors.size(), 1U);
  EXPECT_NE(diag.errors[0].message.find("template /t/zoo.cfg entry 'server.3=zoo3:2888'"), std::string::npos);
}

TEST(server_list_from_hosts, numbers_hosts_from_one_with_the_given_ports) {
  struct hosts_case {
    std::string text;
    std::vector<server_entry> expected;
  };
  const std::vector<hosts_case> cases{
      {"zookeeper1,zookeeper2,zookeeper3",
       {member(1, "zookeeper1", 2888, 3888), member(2, "zookeeper2", 2888, 3888), member(3, "zookeeper3", 2888, 3888)}},
      {"zk1, zk2 ,\tzk3", {member(1, "zk1"), member(2, "zk2"), member(3, "zk3")}},
      {"zk1 zk2", {member(1, "zk1"), member(2, "zk2")}},
      {"10.0.0.1", {member(1, "10.0.0.1")}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("SERVERS=" + text::quote(c.text));
    diagnostics diag;
    EXPECT_EQ(servers_from_hosts(c.text, "SERVERS", 2888, 3888, diag), c.expected);
    EXPECT_TRUE(diag.errors.empty()) << describe(diag);
  }

  diagnostics ports;
  EXPECT_EQ(servers_from_hosts("a,b", "SERVERS", 12888, 13888, ports),
            (std::vector<server_entry>{member(1, "a", 12888, 13888), member(2, "b", 12888, 13888)}));

  for (const std::string empty : {"", ",,,", "  "}) {
    SCOPED_TRACE("SERVERS=" + text::quote(empty));
    diagnostics diag;
    EXPECT_TRUE(servers_from_hosts(empty, "SERVERS", 2888, 3888, diag).empty());
    ASSERT_EQ(diag.errors.size(), 1U);
    EXPECT_NE(diag.errors[0].message.find("SERVERS is empty"), std::string::npos);
  }

  diagnostics bad;
  const auto got = servers_from_hosts("zk1,bad$host,zk3", "SERVERS", 2888, 3888, bad);
  // The bad host keeps its position: zk3 is still id 3.
  EXPECT_EQ(got, (std::vector<server_entry>{member(1, "zk1"), member(3, "zk3")}));
  ASSERT_EQ(bad.errors.size(), 1U);
  EXPECT_NE(bad.errors[0].message.find("SERVERS entry 'bad$host'"), std::string::npos) << bad.errors[0].message;
}

TEST(server_list_generate_statefulset, names_pods_by_ordinal_with_ids_from_the_offset) {
  struct shape_case {
    std::string name;
    statefulset_shape shape;
    std::vector<server_entry> expected;
  };
  const std::string domain = "zk-hs.default.svc.cluster.local";
  const std::vector<shape_case> cases{
      {"bare names", statefulset_shape{"zk", "", 3, 0, 1, 2888, 3888, 2181},
       {member(1, "zk-0", 2888, 3888, false, "", 2181), member(2, "zk-1", 2888, 3888, false, "", 2181),
        member(3, "zk-2", 2888, 3888, false, "", 2181)}},
      {"with the headless service domain", statefulset_shape{"zk", domain, 3, 0, 1, 2888, 3888, 2181},
       {member(1, "zk-0." + domain, 2888, 3888, false, "", 2181),
        member(2, "zk-1." + domain, 2888, 3888, false, "", 2181),
        member(3, "zk-2." + domain, 2888, 3888, false, "", 2181)}},
      {"observers follow the voters", statefulset_shape{"zk", "", 3, 2, 1, 2888, 3888, 2181},
       {member(1, "zk-0", 2888, 3888, false, "", 2181), member(2, "zk-1", 2888, 3888, false, "", 2181),
        member(3, "zk-2", 2888, 3888, false, "", 2181), member(4, "zk-3", 2888, 3888, true, "", 2181),
        member(5, "zk-4", 2888, 3888, true, "", 2181)}},
      {"offset 10", statefulset_shape{"my-zk", "", 3, 0, 10, 2888, 3888, 2181},
       {member(10, "my-zk-0", 2888, 3888, false, "", 2181), member(11, "my-zk-1", 2888, 3888, false, "", 2181),
        member(12, "my-zk-2", 2888, 3888, false, "", 2181)}},
      {"other ports", statefulset_shape{"zk", "", 1, 0, 1, 12888, 13888, 12181},
       {member(1, "zk-0", 12888, 13888, false, "", 12181)}},
      {"nothing", statefulset_shape{"zk", "", 0, 0, 1, 2888, 3888, 2181}, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(generate_statefulset(c.shape), c.expected) << describe(generate_statefulset(c.shape));
  }
}

TEST(server_list_check, finds_duplicate_ids_shared_endpoints_and_observer_only_lists) {
  struct check_case {
    std::string name;
    std::vector<server_entry> entries;
    std::vector<std::string> expected_errors;  // substrings, one per error, in order
  };
  const std::vector<check_case> cases{
      {"a good list", {member(1, "a"), member(2, "b"), member(3, "c")}, {}},
      {"empty", {}, {}},
      {"a pseudo-ensemble on one host with distinct ports",
       {member(1, "127.0.0.1", 2888, 3888), member(2, "127.0.0.1", 2889, 3889), member(3, "127.0.0.1", 2890, 3890)},
       {}},
      {"duplicate ids", {member(1, "a"), member(2, "b"), member(2, "c")},
       {"ZOO_SERVERS: server id 2 appears more than once"}},
      {"an id three times is reported once", {member(2, "a"), member(2, "b"), member(2, "c")},
       {"server id 2 appears more than once"}},
      {"two members on one host and port", {member(1, "zoo1"), member(2, "zoo1")},
       {"servers 1 and 2 both use zoo1:2888", "servers 1 and 2 both use zoo1:3888"}},
      {"a quorum port equal to another member's election port", {member(1, "h", 2888, 3888), member(2, "h", 3888, 4888)},
       {"servers 1 and 2 both use h:3888"}},
      {"every member an observer", {member(1, "a", 2888, 3888, true), member(2, "b", 2888, 3888, true)},
       {"every member is an observer"}},
      {"ids outside 1..255", {member(0, "a"), member(256, "b")},
       {"server id 0 is outside 1..255", "server id 256 is outside 1..255"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    diagnostics diag;
    check_server_list(c.entries, "ZOO_SERVERS", diag);
    ASSERT_EQ(diag.errors.size(), c.expected_errors.size()) << describe(diag);
    for (std::size_t i = 0; i < c.expected_errors.size(); ++i) {
      EXPECT_EQ(diag.errors[i].kind, error_kind::config);
      EXPECT_NE(diag.errors[i].message.find(c.expected_errors[i]), std::string::npos) << diag.errors[i].message;
      EXPECT_NE(diag.errors[i].message.find("ZOO_SERVERS"), std::string::npos) << diag.errors[i].message;
    }
    EXPECT_TRUE(diag.warnings.empty()) << describe(diag);
  }
}

TEST(server_list_render, writes_zookeeper_3_5_server_values) {
  const std::vector<std::pair<server_entry, std::string>> cases{
      {member(1, "zoo1"), "zoo1:2888:3888"},
      {member(1, "zoo1", 2888, 3888, false, "", 2181), "zoo1:2888:3888;2181"},
      {member(1, "zoo1", 2888, 3888, false, "0.0.0.0", 2181), "zoo1:2888:3888;0.0.0.0:2181"},
      {member(4, "zoo4", 2888, 3888, true), "zoo4:2888:3888:observer"},
      {member(4, "zoo4", 2888, 3888, true, "", 2181), "zoo4:2888:3888:observer;2181"},
      {member(1, "[::1]", 12888, 13888, false, "[::1]", 12181), "[::1]:12888:13888;[::1]:12181"},
      // An address without a port says nothing; it is not rendered.
      {member(1, "zoo1", 2888, 3888, false, "10.0.0.1", std::nullopt), "zoo1:2888:3888"},
  };
  for (const auto& [entry, expected] : cases) {
    SCOPED_TRACE(expected);
    EXPECT_EQ(render_server_value(entry), expected);
  }
}

TEST(server_list_render, round_trips_through_the_parser) {
  diagnostics diag;
  const auto text_value = "server.1=zoo1:2888:3888;2181 server.2=[::2]:2888:3888:observer;0.0.0.0:2182 "
                          "server.3=zoo3:12888:13888";
  const auto entries = parse_server_list(text_value, "ZOO_SERVERS", diag);
  ASSERT_TRUE(diag.ok()) << describe(diag);
  std::string rendered;
  for (const auto& e : entries) {
    rendered += (rendered.empty() ? "" : " ") + std::string("server.") + std::to_string(e.id) + "=" +
                render_server_value(e);
  }
  EXPECT_EQ(rendered, text_value);
}

}  // namespace
}  // namespace zkagent::entrypoint
