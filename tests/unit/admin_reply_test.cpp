// The AdminServer path: --admin-url parsing, the HTTP reply parser (complete / incomplete / bad at
// every cut), the JSON of /commands/srvr and /commands/ruok recorded from a real ZooKeeper 3.8.0,
// and verdicts that match the four-letter words' for the same server state.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "readiness/admin_reply.hpp"
#include "recorded_replies.hpp"

namespace zkagent::readiness {
namespace {

using testing::one_line;
using testing::recorded;
using outcome = transport_outcome;

std::string http_200(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nServer: Jetty(9.4.57.v20241219)\r\n\r\n" + body;
}

exchange delivered(std::string reply, outcome o = outcome::complete) { return {o, std::move(reply), ""}; }

TEST(admin_url, accepted_forms) {
  const struct {
    const char* text;
    const char* address;
    std::uint16_t port;
    const char* base;
    const char* authority;
  } cases[] = {
      {"http://127.0.0.1:8080", "127.0.0.1", 8080, "/commands", "127.0.0.1:8080"},
      {"http://127.0.0.1", "127.0.0.1", 8080, "/commands", "127.0.0.1:8080"},
      {"http://10.1.2.3:9090/", "10.1.2.3", 9090, "/commands", "10.1.2.3:9090"},
      {"HTTP://127.0.0.1:1/commands/", "127.0.0.1", 1, "/commands", "127.0.0.1:1"},
      {"http://127.0.0.1:8080/admin/cmds", "127.0.0.1", 8080, "/admin/cmds", "127.0.0.1:8080"},
      {"http://[::1]:8081", "::1", 8081, "/commands", "[::1]:8081"},
      {"http://[::1]", "::1", 8080, "/commands", "[::1]:8080"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto url = parse_admin_url(c.text);
    ASSERT_TRUE(url.ok()) << url.err().message;
    EXPECT_EQ(url->address, c.address);
    EXPECT_EQ(url->port, c.port);
    EXPECT_EQ(url->base_path, c.base);
    EXPECT_EQ(authority(*url), c.authority);
  }
}

TEST(admin_url, refused_forms_say_why) {
  const struct {
    const char* text;
    const char* why;
  } cases[] = {
      {"https://127.0.0.1:8443", "https is not supported: zkagent has no TLS stack"},
      {"ftp://127.0.0.1:8080", "expected http://ADDR:PORT"},
      {"127.0.0.1:8080", "expected http://ADDR:PORT"},
      {"", "expected http://ADDR:PORT"},
      {"http://", "no address"},
      {"http://:8080", "no address"},
      {"http://localhost:8080", "'localhost' is not a numeric IPv4 or IPv6 address"},
      {"http://zk-0.zk-hs:8080", "not a numeric"},
      {"http://::1:8080", "an IPv6 address goes in brackets"},
      {"http://[::1:8080", "unclosed ["},
      {"http://[::1]8080", "expected :PORT after the ]"},
      {"http://127.0.0.1:", "expected a port number from 1 to 65535"},
      {"http://127.0.0.1:0", "expected a port number from 1 to 65535"},
      {"http://127.0.0.1:65536", "expected a port number from 1 to 65535"},
      {"http://127.0.0.1:80x", "expected a port number from 1 to 65535"},
      {"http://user@127.0.0.1:8080", "without spaces, user, query or fragment"},
      {"http://127.0.0.1:8080/commands?x=1", "without spaces, user, query or fragment"},
      {"http://127.0.0.1:8080/a b", "without spaces, user, query or fragment"},
      {"http://127.0.0.1:8080/\r\nX: y", "without spaces, user, query or fragment"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto url = parse_admin_url(c.text);
    ASSERT_FALSE(url.ok());
    EXPECT_EQ(url.err().kind, error_kind::usage);
    EXPECT_NE(url.err().message.find(c.why), std::string::npos) << url.err().message;
  }
}

TEST(admin_url, the_request_is_one_get_that_closes) {
  const auto url = parse_admin_url("http://[::1]:8080/commands");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(admin_target(*url, "srvr"), "/commands/srvr");
  EXPECT_EQ(admin_request(*url, "ruok"),
            "GET /commands/ruok HTTP/1.1\r\nHost: [::1]:8080\r\nAccept: application/json\r\nUser-Agent: zkagent\r\n"
            "Connection: close\r\n\r\n");
}

TEST(http_reply, a_recorded_reply_is_incomplete_at_every_cut_and_complete_whole) {
  const auto raw = recorded("admin_http_srvr_standalone.http");
  ASSERT_GT(raw.size(), 900u);
  for (std::size_t cut = 0; cut < raw.size(); ++cut) {
    for (const bool at_eof : {false, true}) {
      const auto reply = parse_http_reply(std::string_view(raw).substr(0, cut), at_eof);
      ASSERT_EQ(reply.status, http_reply::state::incomplete) << "cut at " << cut << ", at_eof " << at_eof;
    }
  }
  const auto whole = parse_http_reply(raw, false);
  ASSERT_EQ(whole.status, http_reply::state::complete);
  EXPECT_EQ(whole.code, 200);
  EXPECT_TRUE(whole.body.starts_with("{\n  \"version\" : \"3.8.0-"));
  EXPECT_TRUE(whole.body.ends_with("\"error\" : null\n}"));
  const auto srvr = parse_admin_srvr(whole.body);
  ASSERT_TRUE(srvr.facts) << srvr.problem;
  EXPECT_EQ(srvr.facts->mode, server_mode::standalone);
  // Bytes after the Content-Length are not part of the reply.
  EXPECT_EQ(parse_http_reply(raw + "junk", false).body, whole.body);
}

TEST(http_reply, chunked_bodies_are_joined) {
  const std::string raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\nB;ext=1\r\n:1,\"b\":\"x\"}\r\n0\r\n\r\n";
  for (std::size_t cut = 0; cut < raw.size(); ++cut) {
    ASSERT_EQ(parse_http_reply(raw.substr(0, cut), false).status, http_reply::state::incomplete) << "cut at " << cut;
  }
  const auto reply = parse_http_reply(raw, false);
  ASSERT_EQ(reply.status, http_reply::state::complete);
  EXPECT_EQ(reply.body, "{\"a\":1,\"b\":\"x\"}");
  const auto trailer = parse_http_reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX: y\r\n\r\n", false);
  EXPECT_EQ(trailer.status, http_reply::state::complete);
  EXPECT_EQ(trailer.body, "x");
}

TEST(http_reply, a_body_without_length_ends_at_eof) {
  const std::string raw = "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"command\":\"ruok\",\"error\":null}";
  EXPECT_EQ(parse_http_reply(raw, false).status, http_reply::state::incomplete);
  const auto reply = parse_http_reply(raw, true);
  ASSERT_EQ(reply.status, http_reply::state::complete);
  EXPECT_EQ(reply.body, "{\"command\":\"ruok\",\"error\":null}");
  EXPECT_EQ(parse_http_reply("HTTP/1.1 204 No Content\r\n\r\n", false).status, http_reply::state::complete);
}

TEST(http_reply, bad_replies_say_why) {
  const struct {
    std::string raw;
    const char* why;
  } cases[] = {
      {"imok", "'imok'"},
      {"Zookeeper version: 3.8.0\n", "'Zookeeper version"},
      {std::string("\x16\x03\x01", 3), "\\x16"},
      {"HTTP/1.1 abc OK\r\n\r\n", "bad status line"},
      {"HTTP/1.1 2000 OK\r\n\r\n", "bad status line"},
      {"HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "bad header line"},
      {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n", "chunk not followed by CRLF"},
      {"HTTP/1.1 200 OK\r\nX: " + std::string(70000, 'a'), "headers longer than 64 KiB"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.raw.substr(0, 40));
    const auto reply = parse_http_reply(c.raw, true);
    EXPECT_EQ(reply.status, http_reply::state::bad);
    EXPECT_NE(reply.problem.find(c.why), std::string::npos) << reply.problem;
  }
  // A prefix of "HTTP/1." is not yet wrong.
  EXPECT_EQ(parse_http_reply("HTTP", false).status, http_reply::state::incomplete);
}

TEST(admin_srvr, facts_from_recorded_json_in_srvr_form) {
  const struct {
    const char* file;
    server_mode mode;
    const char* zxid;
  } cases[] = {
      {"admin_srvr_standalone.json", server_mode::standalone, "0x0"},
      {"admin_srvr_leader.json", server_mode::leader, "0x100000000"},
      {"admin_srvr_follower.json", server_mode::follower, "0x0"},
      {"admin_srvr_observer.json", server_mode::observer, "0x100000000"},
      {"admin_srvr_read_only.json", server_mode::read_only, "0x0"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const auto srvr = parse_admin_srvr(recorded(c.file));
    ASSERT_TRUE(srvr.facts) << srvr.problem;
    EXPECT_FALSE(srvr.error);
    EXPECT_EQ(srvr.facts->mode, c.mode);
    EXPECT_EQ(srvr.facts->zxid, c.zxid);
    EXPECT_EQ(srvr.facts->version, "3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC");
    EXPECT_EQ(srvr.facts->latency, "0/0.0/0");
    EXPECT_EQ(srvr.facts->node_count, 5u);
    EXPECT_TRUE(srvr.facts->received && srvr.facts->sent && srvr.facts->connections && srvr.facts->outstanding);
  }
  const auto not_serving = parse_admin_srvr(recorded("admin_srvr_not_serving.json"));
  EXPECT_FALSE(not_serving.facts);
  EXPECT_EQ(not_serving.error, std::string(not_serving_text));
  const auto unknown = parse_admin_srvr(recorded("admin_unknown_command.json"));
  EXPECT_FALSE(unknown.facts);
  EXPECT_EQ(unknown.error, "Unknown command: nosuch");
  for (const auto* bad : {"", "{", "[1,2]", "{}", "imok", "{\"command\":\"srvr\",\"error\":null}",
                          "{\"command\":\"srvr\",\"error\":null,\"version\":\"3.8\",\"node_count\":5,"
                          "\"server_stats\":{\"server_state\":\"candidate\"}}"}) {
    SCOPED_TRACE(bad);
    const auto srvr = parse_admin_srvr(bad);
    EXPECT_FALSE(srvr.facts);
    EXPECT_FALSE(srvr.error);
    EXPECT_TRUE(one_line(srvr.problem));
  }
}

// The AdminServer path and the four-letter path give the same verdict and reason for the same state.
TEST(admin_verdicts, ready_matches_the_four_letter_words) {
  const struct {
    const char* json;
    const char* srvr;
  } pairs[] = {
      {"admin_srvr_standalone.json", "srvr_standalone.txt"}, {"admin_srvr_leader.json", "srvr_leader.txt"},
      {"admin_srvr_follower.json", "srvr_follower.txt"},     {"admin_srvr_observer.json", "srvr_observer.txt"},
      {"admin_srvr_read_only.json", "srvr_read_only.txt"},   {"admin_srvr_not_serving.json", "srvr_not_serving.txt"},
  };
  for (const auto& p : pairs) {
    for (const bool allow_read_only : {false, true}) {
      for (const auto o : {outcome::complete, outcome::reset_after_reply}) {
        SCOPED_TRACE(std::string(p.json) + (allow_read_only ? " (read-only allowed)" : ""));
        const auto admin = judge_admin_ready(delivered(http_200(recorded(p.json)), o), allow_read_only);
        const auto four = judge_ready(delivered(recorded(p.srvr), o), allow_read_only);
        EXPECT_EQ(admin.ok, four.ok);
        EXPECT_EQ(admin.reason, four.reason);
        EXPECT_EQ(admin.facts.has_value(), four.facts.has_value());
        EXPECT_TRUE(one_line(admin.reason));
      }
    }
  }
  const auto not_serving = judge_admin_ready(delivered(http_200(recorded("admin_srvr_not_serving.json"))), false);
  EXPECT_FALSE(not_serving.ok);
  EXPECT_EQ(not_serving.reason, not_serving_reason);
}

TEST(admin_verdicts, transport_failures_read_as_over_four_letter_words) {
  for (const auto o : {outcome::refused, outcome::reset_before_reply, outcome::timeout, outcome::closed_without_reply,
                       outcome::failed}) {
    const exchange ex{o, "", "detail"};
    EXPECT_FALSE(judge_admin_ready(ex, true).ok);
    EXPECT_EQ(judge_admin_ready(ex, true).reason, judge_ready(ex, true).reason);
    EXPECT_FALSE(judge_admin_live(ex).ok);
    EXPECT_EQ(judge_admin_live(ex).reason, judge_live(ex).reason);
  }
}

TEST(admin_verdicts, http_problems_fail_and_name_them) {
  const auto whole = http_200(recorded("admin_srvr_leader.json"));
  const struct {
    std::string name;
    exchange ex;
    const char* reason;
  } cases[] = {
      {"empty", delivered(""), "connection closed without a reply"},
      {"four-letter reply", delivered(recorded("srvr_leader.txt")), "not an HTTP reply: 'Zookeeper version"},
      {"cut by EOF", delivered(whole.substr(0, 300)), "HTTP reply cut short: 'HTTP/1.1 200 OK"},
      {"cut by a reset", delivered(whole.substr(0, 300), outcome::reset_after_reply),
       "HTTP reply cut short by a connection reset"},
      {"404", delivered("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nNot Found"),
       "HTTP 404 from the AdminServer: 'Not Found'"},
      {"500", delivered("HTTP/1.1 500 Server Error\r\nContent-Length: 0\r\n\r\n"), "HTTP 500 from the AdminServer"},
      {"not JSON", delivered(http_200("<html>hello</html>")), "unexpected reply to srvr: not JSON: '<html>"},
      {"unknown command", delivered(http_200(recorded("admin_unknown_command.json"))),
       "AdminServer error for srvr: 'Unknown command: nosuch'"},
      {"ruok's JSON", delivered(http_200(recorded("admin_ruok.json"))), "unexpected reply to srvr"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto v = judge_admin_ready(c.ex, true);
    EXPECT_FALSE(v.ok);
    EXPECT_TRUE(one_line(v.reason));
    EXPECT_NE(v.reason.find(c.reason), std::string::npos) << v.reason;
  }
}

TEST(admin_verdicts, every_cut_of_a_recorded_reply_fails) {
  const auto raw = recorded("admin_http_srvr_standalone.http");
  for (std::size_t cut = 0; cut < raw.size(); ++cut) {
    for (const auto o : {outcome::complete, outcome::reset_after_reply}) {
      const auto v = judge_admin_ready(delivered(raw.substr(0, cut), o), true);
      ASSERT_FALSE(v.ok) << "cut at " << cut << ": " << v.reason;
    }
  }
  EXPECT_TRUE(judge_admin_ready(delivered(raw), false).ok);
  EXPECT_TRUE(judge_admin_ready(delivered(raw, outcome::reset_after_reply), false).ok);
}

TEST(admin_verdicts, live_passes_when_the_server_answers_with_or_without_quorum) {
  const auto ok = judge_admin_live(delivered(http_200(recorded("admin_ruok.json"))));
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.reason, "the AdminServer answers ruok");
  // Over HTTP ruok reports "not serving" where the four-letter ruok says imok: live all the same.
  const auto no_quorum = judge_admin_live(delivered(http_200(recorded("admin_ruok_not_serving.json"))));
  EXPECT_TRUE(no_quorum.ok);
  EXPECT_NE(no_quorum.reason.find("not serving requests"), std::string::npos) << no_quorum.reason;
  EXPECT_TRUE(one_line(no_quorum.reason));

  const struct {
    std::string name;
    exchange ex;
    const char* reason;
  } failing[] = {
      {"srvr's JSON", delivered(http_200(recorded("admin_srvr_leader.json"))), "unexpected reply to ruok"},
      {"unknown command", delivered(http_200("{\"command\":\"ruok\",\"error\":\"Unknown command: ruok\"}")),
       "AdminServer error for ruok: 'Unknown command: ruok'"},
      {"not JSON", delivered(http_200("imok")), "unexpected reply to ruok: not JSON: 'imok'"},
      {"404", delivered("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"), "HTTP 404 from the AdminServer"},
      {"four-letter imok", delivered("imok"), "not an HTTP reply: 'imok'"},
  };
  for (const auto& c : failing) {
    SCOPED_TRACE(c.name);
    const auto v = judge_admin_live(c.ex);
    EXPECT_FALSE(v.ok);
    EXPECT_TRUE(one_line(v.reason));
    EXPECT_NE(v.reason.find(c.reason), std::string::npos) << v.reason;
  }
}

// Size and nesting are bounded before any parser runs: a reply nested 100,000 deep (which
// Boost.PropertyTree's recursive reader, used before, overflowed the stack on) and an oversized one
// fail in one line. Nesting inside strings does not count; the limits themselves still pass.
TEST(admin_json_bounds, deep_nesting_fails_in_one_line_before_parsing) {
  constexpr std::size_t deep = 100000;
  const auto nested = [](std::size_t depth, char open, char close) {
    return std::string(depth, open) + std::string(depth, close);
  };
  const auto objects = [](std::size_t depth) {
    std::string json;
    for (std::size_t i = 0; i < depth; ++i) json += "{\"a\":";
    json += "1";
    return json + std::string(depth, '}');
  };
  const struct {
    std::string name;
    std::string json;
  } cases[] = {
      {"arrays 100,000 deep", nested(deep, '[', ']')},
      {"objects 40,000 deep (100,000 would be over the size limit)", objects(40000)},
      {"unclosed arrays 100,000 deep", std::string(deep, '[')},
      {"one level too deep", "{\"command\":\"srvr\",\"error\":null,\"x\":" + nested(max_admin_json_depth, '[', ']') + "}"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto srvr = parse_admin_srvr(c.json);
    EXPECT_FALSE(srvr.facts);
    EXPECT_FALSE(srvr.error);
    EXPECT_EQ(srvr.problem, "JSON nested deeper than 32 levels");
    const auto ready = judge_admin_ready(delivered(http_200(c.json)), false);
    EXPECT_FALSE(ready.ok);
    EXPECT_EQ(ready.reason, "unexpected reply to srvr: JSON nested deeper than 32 levels");
    const auto live = judge_admin_live(delivered(http_200(c.json)));
    EXPECT_FALSE(live.ok);
    EXPECT_EQ(live.reason, "unexpected reply to ruok: JSON nested deeper than 32 levels");
  }

  // At the limit it is parsed (and is simply not srvr's reply); brackets in strings are text.
  const auto at_limit = parse_admin_srvr("{\"command\":\"srvr\",\"error\":null,\"x\":" +
                                         nested(max_admin_json_depth - 1, '[', ']') + "}");
  EXPECT_NE(at_limit.problem.find("no server_stats.server_state"), std::string::npos) << at_limit.problem;
  auto recorded_json = recorded("admin_srvr_leader.json");
  recorded_json.replace(recorded_json.find("\"version\" : \"") + 13, 0, std::string(1000, '[') + "\\\"{");
  const auto in_strings = parse_admin_srvr(recorded_json);
  ASSERT_TRUE(in_strings.facts) << in_strings.problem;
  EXPECT_TRUE(in_strings.facts->version.starts_with(std::string(1000, '[') + "\"{3.8.0")) << in_strings.facts->version;
}

TEST(admin_json_bounds, an_oversized_reply_fails_in_one_line_before_parsing) {
  // srvr's real reply with 300 KiB of padding in a field: valid JSON, too large.
  auto big = recorded("admin_srvr_leader.json");
  big.insert(1, "\"padding\":\"" + std::string(300 * 1024, 'x') + "\",");
  const auto srvr = parse_admin_srvr(big);
  EXPECT_FALSE(srvr.facts);
  EXPECT_EQ(srvr.problem, "JSON of " + std::to_string(big.size()) + " bytes, more than the 256 KiB an AdminServer reply needs");
  const auto ready = judge_admin_ready(delivered(http_200(big)), false);
  EXPECT_FALSE(ready.ok);
  EXPECT_TRUE(one_line(ready.reason)) << ready.reason;
  EXPECT_TRUE(ready.reason.starts_with("unexpected reply to srvr: JSON of ")) << ready.reason;
  // Under the limit, the same padding is harmless.
  auto fits = recorded("admin_srvr_leader.json");
  fits.insert(1, "\"padding\":\"" + std::string(200 * 1024, 'x') + "\",");
  EXPECT_TRUE(parse_admin_srvr(fits).facts) << parse_admin_srvr(fits).problem;
}

}  // namespace
}  // namespace zkagent::readiness
