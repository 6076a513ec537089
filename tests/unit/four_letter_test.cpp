// Four-letter-word verdicts over recorded real replies (tests/golden/replies/, ZooKeeper 3.8.0):
// every transport outcome with every reply, every cut of a srvr reply, the whitelist refusal, and
// reasons that fit on the probe's one line and name the problem.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "readiness/four_letter.hpp"
#include "recorded_replies.hpp"

namespace zkagent::readiness {
namespace {

using testing::one_line;
using testing::recorded;
using outcome = transport_outcome;

const std::vector<outcome> all_outcomes = {
    outcome::complete, outcome::refused, outcome::reset_before_reply, outcome::reset_after_reply,
    outcome::timeout,  outcome::closed_without_reply, outcome::failed,
};

const char* name_of(outcome o) {
  switch (o) {
    case outcome::complete: return "complete";
    case outcome::refused: return "refused";
    case outcome::reset_before_reply: return "reset_before_reply";
    case outcome::reset_after_reply: return "reset_after_reply";
    case outcome::timeout: return "timeout";
    case outcome::closed_without_reply: return "closed_without_reply";
    case outcome::failed: return "failed";
  }
  return "?";
}

// Outcomes that delivered the bytes the server sent: EOF, or a reset after them.
bool delivers(outcome o) { return o == outcome::complete || o == outcome::reset_after_reply; }

// The reason a failed transport gives, whatever bytes came before it.
std::string transport_reason(outcome o, const std::string& reply) {
  switch (o) {
    case outcome::refused: return "connection refused";
    case outcome::reset_before_reply: return "connection reset before any reply";
    case outcome::timeout: return reply.empty() ? "no reply before the deadline" : "reply incomplete at the deadline";
    case outcome::closed_without_reply: return "connection closed without a reply";
    case outcome::failed: return "connection failed";
    case outcome::complete:
    case outcome::reset_after_reply: break;
  }
  return "";
}

exchange make(outcome o, std::string reply, std::string detail = "") { return {o, std::move(reply), std::move(detail)}; }

struct reply_case {
  std::string name;
  std::string bytes;
  bool ok;              // the verdict when the bytes were delivered
  std::string reason;   // a fragment of the reason then
};

// Replies to srvr: the recorded ones, cuts of them, refusals and garbage.
std::vector<reply_case> srvr_replies() {
  const auto leader = recorded("srvr_leader.txt");
  const auto standalone = recorded("srvr_standalone.txt");
  return {
      {"standalone", standalone, true, "serving as standalone, zxid 0x0"},
      {"leader", leader, true, "serving as leader, zxid 0x100000000"},
      {"follower", recorded("srvr_follower.txt"), true, "serving as follower, zxid 0x0"},
      {"observer", recorded("srvr_observer.txt"), true, "serving as observer, zxid 0x100000000"},
      {"read-only", recorded("srvr_read_only.txt"), false, "read-only mode"},
      {"not serving", recorded("srvr_not_serving.txt"), false, "not serving requests"},
      {"refused by the whitelist", "srvr is not executed because it is not in the whitelist.\n", false,
       "srvr is refused by 4lw.commands.whitelist"},
      {"empty", "", false, "connection closed without a reply"},
      {"a newline", "\n", false, "unexpected reply to srvr: ''"},
      {"cut after one byte", "Z", false, "srvr reply cut short"},
      {"cut in the version line", standalone.substr(0, 30), false, "srvr reply cut short"},
      {"cut before Mode", standalone.substr(0, standalone.find("Mode:")), false, "srvr reply cut short"},
      {"cut in the Mode", standalone.substr(0, standalone.find("Mode:") + 10), false, "srvr reply cut short"},
      {"cut before Node count", leader.substr(0, leader.find("Node count")), false, "srvr reply cut short"},
      {"cut after 'Node count: '", leader.substr(0, leader.find("Node count") + 12), false, "srvr reply cut short"},
      {"cut in the Node count", standalone.substr(0, standalone.size() - 2), false, "srvr reply cut short"},
      {"cut before the last newline", standalone.substr(0, standalone.size() - 1), false, "srvr reply cut short"},
      {"imok", recorded("ruok_imok.txt"), false, "unexpected reply to srvr: 'imok'"},
      {"ruok refusal", recorded("ruok_not_whitelisted.txt"), false, "unexpected reply to srvr"},
      {"TLS record", std::string("\x16\x03\x01\x00\x05hello", 10), false, "unexpected reply to srvr: '\\x16\\x03"},
      {"HTTP", "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", false, "unexpected reply to srvr: 'HTTP/1.1 400"},
      {"binary", std::string("\x00\xff\xfe\x01", 4), false, "unexpected reply to srvr: '\\x00\\xff\\xfe\\x01'"},
      {"a Mode line alone", "Mode: leader\n", false, "unexpected reply to srvr"},
      {"unknown mode", [&] {
         auto changed = leader;
         changed.replace(changed.find("leader"), 6, "candidate");
         return changed;
       }(), false, "srvr"},
  };
}

TEST(four_letter_ready, every_outcome_with_every_reply) {
  for (const auto o : all_outcomes) {
    for (const auto& r : srvr_replies()) {
      SCOPED_TRACE(std::string(name_of(o)) + " with " + r.name);
      const auto v = judge_ready(make(o, r.bytes), false);
      EXPECT_TRUE(one_line(v.reason));
      if (delivers(o)) {
        EXPECT_EQ(v.ok, r.ok) << v.reason;
        EXPECT_NE(v.reason.find(r.reason), std::string::npos) << v.reason;
        EXPECT_EQ(v.facts.has_value(), r.ok || r.name == "read-only");
      } else {
        EXPECT_FALSE(v.ok) << v.reason;
        EXPECT_NE(v.reason.find(transport_reason(o, r.bytes)), std::string::npos) << v.reason;
        EXPECT_FALSE(v.facts);
      }
    }
  }
}

TEST(four_letter_ready, a_reset_after_a_complete_reply_passes) {
  for (const auto* name : {"srvr_standalone.txt", "srvr_leader.txt", "srvr_follower.txt", "srvr_observer.txt"}) {
    SCOPED_TRACE(name);
    const auto v = judge_ready(make(outcome::reset_after_reply, recorded(name), "Connection reset by peer"), false);
    EXPECT_TRUE(v.ok) << v.reason;
    EXPECT_NE(v.reason.find("serving as "), std::string::npos) << v.reason;
  }
}

TEST(four_letter_ready, read_only_fails_unless_allowed) {
  const auto reply = recorded("srvr_read_only.txt");
  for (const auto o : {outcome::complete, outcome::reset_after_reply}) {
    SCOPED_TRACE(name_of(o));
    const auto refused = judge_ready(make(o, reply), false);
    EXPECT_FALSE(refused.ok);
    EXPECT_EQ(refused.reason, "read-only mode: serving reads without quorum (--allow-read-only accepts it)");
    ASSERT_TRUE(refused.facts);
    EXPECT_EQ(refused.facts->mode, server_mode::read_only);

    const auto allowed = judge_ready(make(o, reply), true);
    EXPECT_TRUE(allowed.ok);
    EXPECT_EQ(allowed.reason, "serving as read-only, zxid 0x0");
  }
  // Allowing read-only changes nothing else.
  for (const auto& r : srvr_replies()) {
    if (r.name == "read-only") continue;
    SCOPED_TRACE(r.name);
    EXPECT_EQ(judge_ready(make(outcome::complete, r.bytes), true).ok, r.ok);
  }
}

// Every prefix of every recorded srvr reply that ends before the "Node count" line's newline,
// delivered by EOF or cut by a reset: never ready.
TEST(four_letter_ready, every_cut_of_a_recorded_reply_fails) {
  for (const auto* name : {"srvr_standalone.txt", "srvr_leader.txt", "srvr_follower.txt", "srvr_observer.txt",
                           "srvr_read_only.txt"}) {
    const auto reply = recorded(name);
    ASSERT_GT(reply.size(), 100u) << name;
    const auto whole_through_node_count = reply.find('\n', reply.find("Node count:")) + 1;
    for (std::size_t cut = 0; cut < whole_through_node_count; ++cut) {
      for (const auto o : {outcome::complete, outcome::reset_after_reply}) {
        const auto v = judge_ready(make(o, reply.substr(0, cut)), true);
        ASSERT_FALSE(v.ok) << name << " cut at " << cut << " (" << name_of(o) << "): " << v.reason;
        ASSERT_TRUE(one_line(v.reason));
        if (cut > 0) {
          ASSERT_NE(v.reason.find("srvr reply cut short"), std::string::npos) << name << " cut at " << cut << ": " << v.reason;
        }
        if (cut > 0 && o == outcome::reset_after_reply) {
          ASSERT_NE(v.reason.find("by a connection reset"), std::string::npos) << v.reason;
        }
      }
    }
    EXPECT_TRUE(judge_ready(make(outcome::complete, reply), true).ok) << name;
  }
}

// A 3.8 leader sends "Proposal sizes last/min/max" after "Node count"; 3.5 does not. Every fact
// the verdict rests on is there once the Node count line is whole.
TEST(four_letter_ready, a_leader_reply_cut_after_node_count_passes) {
  const auto leader = recorded("srvr_leader.txt");
  const auto after_count = leader.find('\n', leader.find("Node count:")) + 1;
  ASSERT_TRUE(leader.substr(after_count).starts_with("Proposal sizes last/min/max:")) << leader;
  for (auto cut = after_count; cut <= leader.size(); ++cut) {
    const auto v = judge_ready(make(outcome::reset_after_reply, leader.substr(0, cut)), false);
    ASSERT_TRUE(v.ok) << "cut at " << cut << ": " << v.reason;
    ASSERT_EQ(v.reason, "serving as leader, zxid 0x100000000");
  }
}

TEST(four_letter_ready, a_whole_reply_at_the_deadline_without_eof_fails) {
  // ZooKeeper closes after srvr; a server that does not has not finished as far as the probe knows.
  const auto v = judge_ready(make(outcome::timeout, recorded("srvr_leader.txt")), false);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("reply incomplete at the deadline: 'Zookeeper version: 3.8.0"), std::string::npos) << v.reason;
}

TEST(four_letter_ready, transport_failures_keep_the_socket_error) {
  const auto v = judge_ready(make(outcome::failed, "", "Network is unreachable"), false);
  EXPECT_EQ(v.reason, "connection failed (Network is unreachable)");
  EXPECT_EQ(judge_ready(make(outcome::refused, "", "Connection refused"), false).reason,
            "connection refused: nothing listens there");
}

// Replies to ruok.
std::vector<reply_case> ruok_replies() {
  return {
      {"imok", recorded("ruok_imok.txt"), true, "imok"},
      {"imok without quorum", recorded("ruok_no_quorum.txt"), true, "imok"},
      {"refused by the whitelist", recorded("ruok_not_whitelisted.txt"), true, "ruok is not in 4lw.commands.whitelist"},
      {"mntr refused by the whitelist", recorded("mntr_not_whitelisted.txt"), false, "unexpected reply to ruok"},
      {"not serving", recorded("srvr_not_serving.txt"), false, "unexpected reply to ruok: 'This ZooKeeper instance"},
      {"srvr reply", recorded("srvr_standalone.txt"), false, "unexpected reply to ruok: 'Zookeeper version"},
      {"empty", "", false, "connection closed without a reply"},
      {"imok and a newline", "imok\n", false, "unexpected reply to ruok"},
      {"garbage", std::string("\x16\x03\x01\x00", 4), false, "unexpected reply to ruok: '\\x16\\x03\\x01\\x00'"},
      {"cut", "im", false, "ruok"},
  };
}

TEST(four_letter_live, every_outcome_with_every_reply) {
  for (const auto o : all_outcomes) {
    for (const auto& r : ruok_replies()) {
      SCOPED_TRACE(std::string(name_of(o)) + " with " + r.name);
      const auto v = judge_live(make(o, r.bytes));
      EXPECT_TRUE(one_line(v.reason));
      EXPECT_FALSE(v.facts);
      if (delivers(o)) {
        EXPECT_EQ(v.ok, r.ok) << v.reason;
        EXPECT_NE(v.reason.find(r.reason), std::string::npos) << v.reason;
      } else {
        EXPECT_FALSE(v.ok) << v.reason;
        EXPECT_NE(v.reason.find(transport_reason(o, r.bytes)), std::string::npos) << v.reason;
      }
    }
  }
}

TEST(four_letter_live, a_whitelist_refusal_passes_and_says_ruok_is_not_whitelisted) {
  const auto v = judge_live(make(outcome::complete, recorded("ruok_not_whitelisted.txt")));
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.reason, "the server answers, but ruok is not in 4lw.commands.whitelist: add ruok");
}

TEST(four_letter_live, a_reply_cut_by_a_reset_says_so) {
  EXPECT_EQ(judge_live(make(outcome::reset_after_reply, "im")).reason, "ruok reply cut short by a connection reset: 'im'");
  EXPECT_EQ(judge_live(make(outcome::complete, "im")).reason, "unexpected reply to ruok: 'im'");
  EXPECT_TRUE(judge_live(make(outcome::reset_after_reply, "imok")).ok);
}

TEST(four_letter_parse, srvr_facts_from_recorded_replies) {
  const auto standalone = parse_srvr(recorded("srvr_standalone.txt"));
  ASSERT_TRUE(standalone);
  EXPECT_EQ(standalone->version, "3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC");
  EXPECT_EQ(standalone->mode, server_mode::standalone);
  EXPECT_EQ(standalone->zxid, "0x0");
  EXPECT_EQ(standalone->latency, "0/0.0/0");
  EXPECT_EQ(standalone->received, 2u);
  EXPECT_EQ(standalone->sent, 1u);
  EXPECT_EQ(standalone->connections, 1u);
  EXPECT_EQ(standalone->outstanding, 0u);
  EXPECT_EQ(standalone->node_count, 5u);

  const struct {
    const char* file;
    server_mode mode;
    const char* zxid;
  } modes[] = {
      {"srvr_leader.txt", server_mode::leader, "0x100000000"},
      {"srvr_follower.txt", server_mode::follower, "0x0"},
      {"srvr_observer.txt", server_mode::observer, "0x100000000"},
      {"srvr_read_only.txt", server_mode::read_only, "0x0"},  // with its extra "READ-ONLY mode" line
  };
  for (const auto& m : modes) {
    SCOPED_TRACE(m.file);
    const auto facts = parse_srvr(recorded(m.file));
    ASSERT_TRUE(facts);
    EXPECT_EQ(facts->mode, m.mode);
    EXPECT_EQ(facts->zxid, m.zxid);
    EXPECT_EQ(facts->node_count, 5u);
  }
  EXPECT_FALSE(parse_srvr(recorded("srvr_not_serving.txt")));
}

TEST(four_letter_parse, modes_by_name) {
  for (const auto mode : {server_mode::standalone, server_mode::leader, server_mode::follower, server_mode::observer,
                          server_mode::read_only}) {
    EXPECT_EQ(parse_mode(describe(mode)), mode) << describe(mode);
  }
  EXPECT_FALSE(parse_mode("Leader"));
  EXPECT_FALSE(parse_mode(""));
}

TEST(four_letter_parse, mntr_recorded) {
  const auto standalone = parse_mntr(recorded("mntr_standalone.txt"));
  ASSERT_EQ(standalone.size(), 485u);  // REFERENCE.md: 485 lines on 3.8.0 standalone
  EXPECT_EQ(standalone.front().first, "zk_version");
  EXPECT_EQ(standalone[1], (std::pair<std::string, std::string>{"zk_server_state", "standalone"}));
  const auto leader = parse_mntr(recorded("mntr_leader.txt"));
  EXPECT_EQ(leader.size(), 543u);
  EXPECT_NE(std::find(leader.begin(), leader.end(), std::pair<std::string, std::string>{"zk_server_state", "leader"}),
            leader.end());
  EXPECT_TRUE(parse_mntr(recorded("mntr_not_serving.txt")).empty());
  EXPECT_TRUE(parse_mntr(recorded("mntr_not_whitelisted.txt")).empty());
}

TEST(four_letter_parse, a_whitelist_refusal_names_its_command) {
  EXPECT_TRUE(is_whitelist_refusal(recorded("ruok_not_whitelisted.txt"), "ruok"));
  EXPECT_FALSE(is_whitelist_refusal(recorded("ruok_not_whitelisted.txt"), "srvr"));
  EXPECT_TRUE(is_whitelist_refusal(recorded("mntr_not_whitelisted.txt"), "mntr"));
  EXPECT_FALSE(is_whitelist_refusal(recorded("ruok_imok.txt"), "ruok"));
  EXPECT_FALSE(is_whitelist_refusal(recorded("srvr_not_serving.txt"), "srvr"));
}

}  // namespace
}  // namespace zkagent::readiness
