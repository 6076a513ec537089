// The pure half of --dns-wait (entrypoint/dns_target): which name a member waits for, how one
// lookup's answer is judged, the pause between lookups, and the --dns-wait / --dns-server settings.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core_fixtures.hpp"
#include "entrypoint/dns_target.hpp"
#include "entrypoint/settings.hpp"

namespace {

using namespace std::chrono_literals;
using namespace zkagent::entrypoint;
namespace zt = zkagent::testing;

server_entry member(std::uint32_t id, std::string host, bool observer = false) {
  server_entry e;
  e.id = id;
  e.host = std::move(host);
  e.quorum_port = 2888;
  e.election_port = 3888;
  e.observer = observer;
  return e;
}

// Member 1 of three whose own entry names `own`.
settings ensemble(const std::string& own) {
  settings s;
  s.servers = {member(1, own), member(2, "zk-1.example"), member(3, "zk-2.example")};
  s.myid = 1;
  return s;
}

// ---- what to wait for -------------------------------------------------------------------------

struct plan_case {
  const char* what;
  settings s;
  std::optional<std::string> name;  // nullopt: nothing to wait for
  bool require_local = true;
  std::string reason_part;
};

std::vector<plan_case> plan_cases() {
  std::vector<plan_case> cases;
  cases.push_back({"a DNS name", ensemble("zk-0.zk-hs.default.svc.cluster.local"),
                   "zk-0.zk-hs.default.svc.cluster.local", true, "to an address of this host"});
  cases.push_back({"a bare name (compose)", ensemble("zoo1"), "zoo1", true, "server.1=zoo1"});
  cases.push_back({"IPv4", ensemble("10.1.2.3"), std::nullopt, true, "numeric address"});
  cases.push_back({"IPv6 in brackets", ensemble("[fd00::1]"), std::nullopt, true, "numeric address"});
  cases.push_back({"IPv6", ensemble("::1"), std::nullopt, true, "numeric address"});
  cases.push_back({"localhost", ensemble("localhost"), std::nullopt, true, "localhost"});
  cases.push_back({"LOCALHOST", ensemble("LOCALHOST"), std::nullopt, true, "localhost"});
  cases.push_back({"a .localhost name", ensemble("zk.localhost"), std::nullopt, true, "localhost"});
  {
    auto s = ensemble("zk-0.example");
    s.quorum_listen_on_all_ips = true;
    cases.push_back({"quorumListenOnAllIPs: any address", s, "zk-0.example", false, "to any address"});
  }
  {
    auto s = ensemble("zk-0.example");
    s.dns_wait = 0ms;
    cases.push_back({"--dns-wait=0", s, std::nullopt, true, "--dns-wait is 0"});
  }
  cases.push_back({"standalone", settings{}, std::nullopt, true, "standalone"});
  {
    settings s;
    s.servers = {member(1, "zk-0.example")};
    s.myid = 1;
    cases.push_back({"one member runs standalone", s, std::nullopt, true, "runs standalone"});
    s.standalone_enabled = false;
    cases.push_back({"one member, standaloneEnabled=false", s, "zk-0.example", true, ""});
  }
  {
    settings s;
    s.servers = {member(1, "zk-0.example"), member(2, "zk-1.example", true)};
    s.myid = 1;
    cases.push_back({"one voter and an observer runs standalone", s, std::nullopt, true, "one voting member"});
    s.myid = 2;
    s.standalone_enabled = false;
    cases.push_back({"the observer's own entry", s, "zk-1.example", true, "server.2=zk-1.example"});
  }
  {
    auto s = ensemble("zk-0.example");
    s.myid = 7;
    cases.push_back({"no entry for this id", s, std::nullopt, true, "no server.7"});
    s.myid = std::nullopt;
    cases.push_back({"no id", s, std::nullopt, true, "no id"});
  }
  {
    auto s = ensemble("zk-0.example");
    s.myid = 2;
    cases.push_back({"member 2 waits for its own entry", s, "zk-1.example", true, "server.2="});
  }
  return cases;
}

TEST(dns_plan, waits_only_for_its_own_named_entry_when_zookeeper_binds_it) {
  for (const auto& c : plan_cases()) {
    SCOPED_TRACE(c.what);
    const auto plan = plan_dns_wait(c.s);
    EXPECT_NE(plan.reason.find(c.reason_part), std::string::npos) << plan.reason;
    if (!c.name) {
      EXPECT_FALSE(plan.target) << plan.target->name;
      continue;
    }
    ASSERT_TRUE(plan.target) << plan.reason;
    EXPECT_EQ(plan.target->name, *c.name);
    EXPECT_EQ(plan.target->id, *c.s.myid);
    EXPECT_EQ(plan.target->require_local, c.require_local);
  }
}

TEST(dns_plan, a_tutorial_pod_waits_for_its_statefulset_name) {
  auto in = zt::pod_inputs("zk-1");
  in.flags = zt::flags_from({"--servers=3"});
  const auto r = resolve(in);
  ASSERT_TRUE(r.diag.ok()) << zt::describe(r.diag);
  const auto plan = plan_dns_wait(r.value);
  ASSERT_TRUE(plan.target) << plan.reason;
  EXPECT_EQ(plan.target->name, "zk-1.zk-hs.default.svc.cluster.local");
  EXPECT_EQ(plan.target->id, 2U);
  EXPECT_TRUE(plan.target->require_local);
  EXPECT_EQ(r.value.dns_wait, 90s) << "the default";
  EXPECT_FALSE(r.value.dns_server) << "default: /etc/resolv.conf's servers";
}

// ---- judging one answer -----------------------------------------------------------------------

struct judge_case {
  const char* what;
  lookup_answer answer;
  bool require_local;
  std::vector<std::string> locals;
  bool done;
  std::vector<std::string> summary_parts;
  std::string hint_part;
};

TEST(dns_judge, an_answer_counts_only_when_it_names_this_host) {
  const std::vector<std::string> pod{"127.0.0.1", "10.1.2.3", "::1", "fd00::3"};
  const std::vector<judge_case> cases{
      {"this host", {lookup_status::found, {"10.1.2.3"}, ""}, true, pod, true, {"resolves to 10.1.2.3", "(this host)"}, ""},
      {"this host among others",
       {lookup_status::found, {"10.9.9.9", "fd00::3"}, ""}, true, pod, true, {"fd00::3 is this host"}, ""},
      {"loopback always binds", {lookup_status::found, {"127.0.1.1"}, ""}, true, {"10.1.2.3"}, true, {"this host"}, ""},
      {"a stale record keeps the wait going",
       {lookup_status::found, {"10.1.2.99"}, ""}, true, pod, false, {"resolves to 10.1.2.99", "not to this host"},
       "stale record"},
      {"the stale hint lists this host's addresses",
       {lookup_status::found, {"10.1.2.99"}, ""}, true, pod, false, {"10.1.2.99"}, "10.1.2.3"},
      {"any address with quorumListenOnAllIPs", {lookup_status::found, {"10.1.2.99"}, ""}, false, pod, true,
       {"resolves to 10.1.2.99"}, ""},
      {"unknown local addresses: any answer", {lookup_status::found, {"10.1.2.99"}, ""}, true, {}, true,
       {"not compared"}, ""},
      {"found without addresses", {lookup_status::found, {}, ""}, true, pod, false, {"without addresses"}, ""},
      {"NXDOMAIN", {lookup_status::no_such_name, {}, ""}, true, pod, false, {"no such name yet"}, ""},
      {"no answer", {lookup_status::timeout, {}, "none within 2 s"}, true, pod, false, {"no answer", "2 s"}, ""},
      {"refused", {lookup_status::refused, {}, "Refused"}, true, pod, false, {"refused", "Refused"}, ""},
      {"error", {lookup_status::error, {}, "c-ares: boom"}, true, pod, false, {"lookup failed", "boom"}, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    dns_target target{"zk-1.example", 2, c.require_local};
    const auto j = judge_answer(target, c.answer, c.locals);
    EXPECT_EQ(j.done, c.done) << j.summary;
    EXPECT_TRUE(zt::contains_all(j.summary, c.summary_parts)) << j.summary;
    if (!c.hint_part.empty()) {
      EXPECT_NE(j.hint.find(c.hint_part), std::string::npos) << j.hint;
    }
  }
}

TEST(dns_judge, local_addresses_compare_as_addresses) {
  const std::vector<std::string> locals{"10.1.2.3", "fd00:0:0::3", "fe80::1%eth0"};
  struct row {
    const char* address;
    bool local;
  };
  for (const auto& r : std::vector<row>{{"10.1.2.3", true},
                                        {"10.1.2.4", false},
                                        {"127.0.0.1", true},
                                        {"127.45.6.7", true},
                                        {"::1", true},
                                        {"::ffff:127.0.0.1", true},
                                        {"::ffff:10.1.2.3", true},
                                        {"fd00::3", true},
                                        {"FD00::0:3", true},
                                        {"fe80::1", true},
                                        {"fd00::4", false},
                                        {"10.1.2.3.4", false},
                                        {"zk-0", false},
                                        {"", false}}) {
    SCOPED_TRACE(r.address);
    EXPECT_EQ(is_local_address(r.address, locals), r.local);
  }
}

TEST(dns_retry, pauses_grow_from_250_ms_to_2_s) {
  std::vector<std::chrono::milliseconds> got;
  for (int attempt = 0; attempt <= 7; ++attempt) got.push_back(retry_delay(attempt));
  EXPECT_EQ(got, (std::vector<std::chrono::milliseconds>{250ms, 250ms, 500ms, 1000ms, 2000ms, 2000ms, 2000ms, 2000ms}));
  EXPECT_EQ(retry_delay(1'000'000), 2000ms);
}

// ---- the settings -----------------------------------------------------------------------------

TEST(dns_settings, dns_server_takes_numeric_addresses_and_ports) {
  struct row {
    const char* text;
    std::optional<std::string> parsed;
  };
  for (const auto& r : std::vector<row>{{"127.0.0.1", "127.0.0.1:53"},
                                        {"127.0.0.1:5353", "127.0.0.1:5353"},
                                        {"10.96.0.10:53", "10.96.0.10:53"},
                                        {"::1", "[::1]:53"},
                                        {"[::1]", "[::1]:53"},
                                        {"[fd00::a]:5353", "[fd00::a]:5353"},
                                        {"dns.example", std::nullopt},
                                        {"dns.example:53", std::nullopt},
                                        {"127.0.0.1:", std::nullopt},
                                        {"127.0.0.1:0", std::nullopt},
                                        {"127.0.0.1:65536", std::nullopt},
                                        {"127.0.0.1:53x", std::nullopt},
                                        {"[127.0.0.1]:53", std::nullopt},
                                        {"[::1]:", std::nullopt},
                                        {"[::1", std::nullopt},
                                        {"fe80::1%eth0", std::nullopt},
                                        {"", std::nullopt}}) {
    SCOPED_TRACE(r.text);
    EXPECT_EQ(parse_dns_server(r.text), r.parsed);
  }
}

TEST(dns_settings, dns_wait_takes_seconds_minutes_and_zero) {
  struct row {
    const char* text;
    std::optional<std::chrono::milliseconds> parsed;
  };
  for (const auto& r : std::vector<row>{{"90s", 90s},
                                        {"90", 90s},
                                        {"2m", 120s},
                                        {"1.5m", 90s},
                                        {"500ms", 500ms},
                                        {"0", 0ms},
                                        {"0s", 0ms},
                                        {"60m", 3600s},
                                        {"61m", std::nullopt},
                                        {"3601s", std::nullopt},
                                        {"1h", 3600s},  // one grammar for every duration (common/duration)
                                        {"1.5h", std::nullopt},
                                        {"m", std::nullopt},
                                        {"2 m", std::nullopt},
                                        {"-1s", std::nullopt},
                                        {"", std::nullopt}}) {
    SCOPED_TRACE(r.text);
    EXPECT_EQ(parse_dns_wait(r.text), r.parsed);
  }
}

TEST(dns_settings, flag_and_variable_are_read_and_checked) {
  {
    auto in = zt::pod_inputs("zk-1");
    in.env["ZKAGENT_DNS_WAIT"] = "0";
    in.env["ZKAGENT_DNS_SERVER"] = "10.96.0.10";
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << zt::describe(r.diag);
    EXPECT_EQ(r.value.dns_wait, 0ms);
    EXPECT_EQ(r.value.dns_server, "10.96.0.10:53");
  }
  {
    auto in = zt::pod_inputs("zk-1");
    in.env["ZKAGENT_DNS_WAIT"] = "0";
    in.flags = zt::flags_from({"--dns-wait=2m", "--dns-server=[::1]:5353"});
    const auto r = resolve(in);
    ASSERT_TRUE(r.diag.ok()) << zt::describe(r.diag);
    EXPECT_EQ(r.value.dns_wait, 120s) << "the flag wins";
    EXPECT_EQ(r.value.dns_server, "[::1]:5353");
  }
  {
    auto in = zt::pod_inputs("zk-1");
    in.flags = zt::flags_from({"--dns-wait=forever", "--dns-server=kube-dns.kube-system"});
    const auto r = resolve(in);
    EXPECT_TRUE(zt::find_error(r.diag, {"--dns-wait", "'forever'", "a duration"})) << zt::describe(r.diag);
    EXPECT_TRUE(zt::find_error(r.diag, {"--dns-server", "kube-dns.kube-system", "numeric address"}))
        << zt::describe(r.diag);
  }
}

}  // namespace
