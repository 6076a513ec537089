// http::request_parser: a table of good requests, each also fed split at every byte boundary and
// one byte at a time; pipelining; bad request lines, oversized heads, bodies, keep-alive rules;
// and random bytes that must end in good, bad or need more, never anything else.
#include "readiness/http_request.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace zkagent::readiness::http {
namespace {

struct parsed {
  parse_state state = parse_state::need_more;
  std::size_t consumed = 0;
};

// Feeds the chunks in order, as a connection would; stops at the first good or bad.
parsed feed_chunks(request_parser& p, const std::vector<std::string>& chunks) {
  parsed out;
  for (const auto& chunk : chunks) {
    const auto step = p.feed(chunk);
    out.consumed += step.consumed;
    out.state = step.state;
    if (step.state != parse_state::need_more) break;
  }
  return out;
}

parsed feed_all(request_parser& p, const std::string& bytes) { return feed_chunks(p, {bytes}); }

struct good_case {
  std::string name;
  std::string bytes;
  std::string method, target, path;
  unsigned minor;
  bool keep_alive;
  std::size_t headers;
};

const std::vector<good_case>& good_cases() {
  static const std::vector<good_case> cases{
      {"curl", "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n",
       "GET", "/readyz", "/readyz", 1, true, 3},
      {"kubelet", "GET /livez HTTP/1.1\r\nHost: 10.1.2.3:8080\r\nUser-Agent: kube-probe/1.29\r\nAccept: */*\r\n"
                  "Connection: close\r\n\r\n",
       "GET", "/livez", "/livez", 1, false, 4},
      {"HEAD", "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n", "HEAD", "/metrics", "/metrics", 1, true, 1},
      {"query dropped from the path", "GET /status?pretty=1&x HTTP/1.1\r\nHost: x\r\n\r\n", "GET",
       "/status?pretty=1&x", "/status", 1, true, 1},
      {"absolute form", "GET http://zk-0:8080/readyz?a HTTP/1.1\r\nHost: zk-0:8080\r\n\r\n", "GET",
       "http://zk-0:8080/readyz?a", "/readyz", 1, true, 1},
      {"absolute form without path", "GET http://zk-0:8080 HTTP/1.1\r\nHost: zk-0\r\n\r\n", "GET",
       "http://zk-0:8080", "/", 1, true, 1},
      {"HTTP/1.0 closes", "GET /livez HTTP/1.0\r\n\r\n", "GET", "/livez", "/livez", 0, false, 0},
      {"HTTP/1.0 keep-alive", "GET /livez HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", "GET", "/livez", "/livez",
       0, true, 1},
      {"HTTP/1.1 close among tokens", "GET / HTTP/1.1\r\nHost: x\r\nConnection: TE, close\r\n\r\n", "GET", "/",
       "/", 1, false, 2},
      {"HTTP/1.1 keep-alive explicit", "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", "GET", "/",
       "/", 1, true, 2},
      {"HTTP/1.2 is 1.x", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", "GET", "/", "/", 2, true, 1},
      {"bare LF line ends", "GET /readyz HTTP/1.1\nHost: x\n\n", "GET", "/readyz", "/readyz", 1, true, 1},
      {"empty lines before the request", "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", "GET", "/", "/", 1, true, 1},
      {"OWS around values, empty value", "GET / HTTP/1.1\r\nHost:x\r\nX-Empty:\r\nX-Pad: \t v \t\r\n\r\n", "GET",
       "/", "/", 1, true, 3},
      {"Content-Length 0 is no body", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", "GET", "/", "/",
       1, true, 2},
      {"other methods parse (the router answers 405)", "DELETE /readyz HTTP/1.1\r\nHost: x\r\n\r\n", "DELETE",
       "/readyz", "/readyz", 1, true, 1},
      {"obs-text in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-Name: caf\xc3\xa9\r\n\r\n", "GET", "/", "/", 1, true,
       2},
  };
  return cases;
}

void expect_request(const request_parser& p, const good_case& c) {
  const auto& r = p.get();
  EXPECT_EQ(r.method, c.method);
  EXPECT_EQ(r.target, c.target);
  EXPECT_EQ(r.path, c.path);
  EXPECT_EQ(r.version_major, 1U);
  EXPECT_EQ(r.version_minor, c.minor);
  EXPECT_EQ(r.keep_alive, c.keep_alive);
  EXPECT_EQ(r.headers.size(), c.headers);
}

TEST(http_request, good_requests_in_one_piece) {
  for (const auto& c : good_cases()) {
    SCOPED_TRACE(c.name);
    request_parser p;
    const auto r = feed_all(p, c.bytes);
    ASSERT_EQ(r.state, parse_state::good) << p.error_reason();
    EXPECT_EQ(r.consumed, c.bytes.size());
    expect_request(p, c);
  }
}

TEST(http_request, good_requests_split_at_every_byte_boundary) {
  for (const auto& c : good_cases()) {
    for (std::size_t cut = 0; cut <= c.bytes.size(); ++cut) {
      SCOPED_TRACE(c.name + ", cut at " + std::to_string(cut));
      request_parser p;
      const auto r = feed_chunks(p, {c.bytes.substr(0, cut), c.bytes.substr(cut)});
      ASSERT_EQ(r.state, parse_state::good) << p.error_reason();
      EXPECT_EQ(r.consumed, c.bytes.size());
      expect_request(p, c);
    }
  }
}

TEST(http_request, good_requests_one_byte_at_a_time) {
  for (const auto& c : good_cases()) {
    SCOPED_TRACE(c.name);
    request_parser p;
    std::vector<std::string> bytes;
    for (const char ch : c.bytes) bytes.emplace_back(1, ch);
    const auto r = feed_chunks(p, bytes);
    ASSERT_EQ(r.state, parse_state::good) << p.error_reason();
    expect_request(p, c);
  }
}

TEST(http_request, header_values_are_trimmed_and_found_case_insensitively) {
  request_parser p;
  ASSERT_EQ(feed_all(p, "GET / HTTP/1.1\r\nhOsT:  zk-0:8080 \t\r\nX-A: 1\r\nx-a: 2\r\n\r\n").state, parse_state::good);
  EXPECT_EQ(p.get().header("Host"), "zk-0:8080");
  EXPECT_EQ(p.get().header("X-A"), "1");  // the first of a name
  EXPECT_EQ(p.get().header("Accept"), std::nullopt);
  EXPECT_EQ(p.get().headers[0].first, "hOsT");  // names as sent
}

TEST(http_request, pipelined_requests_are_taken_one_at_a_time) {
  const std::string first = "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string second = "HEAD /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const std::string third = "GET /met";
  std::string buffer = first + second + third;
  request_parser p;
  auto step = p.feed(buffer);
  ASSERT_EQ(step.state, parse_state::good);
  EXPECT_EQ(step.consumed, first.size());
  EXPECT_EQ(p.get().path, "/livez");
  EXPECT_EQ(p.feed(buffer).consumed, 0U) << "a finished parser consumes nothing until reset";
  buffer.erase(0, step.consumed);

  p.reset();
  step = p.feed(buffer);
  ASSERT_EQ(step.state, parse_state::good);
  EXPECT_EQ(step.consumed, second.size());
  EXPECT_EQ(p.get().method, "HEAD");
  EXPECT_FALSE(p.get().keep_alive);
  buffer.erase(0, step.consumed);

  p.reset();
  step = p.feed(buffer);
  EXPECT_EQ(step.state, parse_state::need_more);
  EXPECT_EQ(step.consumed, third.size());
  step = p.feed("rics HTTP/1.1\r\nHost: x\r\n\r\nGET");
  ASSERT_EQ(step.state, parse_state::good);
  EXPECT_EQ(p.get().path, "/metrics");
  EXPECT_EQ(step.consumed, std::string("rics HTTP/1.1\r\nHost: x\r\n\r\n").size());
}

struct bad_case {
  std::string name;
  std::string bytes;
  int status;
};

TEST(http_request, bad_requests_get_their_status) {
  const std::vector<bad_case> cases{
      {"TLS hello", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11), 400},
      {"space before the method", " GET / HTTP/1.1\r\n\r\n", 400},
      {"two spaces", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"no version", "GET /\r\n\r\n", 400},
      {"HTTP/0.9 style", "GET /readyz\r\n", 400},
      {"lowercase version", "GET / http/1.1\r\nHost: x\r\n\r\n", 400},
      {"trailing space after version", "GET / HTTP/1.1 \r\nHost: x\r\n\r\n", 400},
      {"version garbage", "GET / HTTP/1.x\r\nHost: x\r\n\r\n", 400},
      {"HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505},
      {"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505},
      {"control character in the target", "GET /a\x01 HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"non-ASCII target", "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"separator in the method", "G(ET / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"CR without LF in the request line", "GET / HTTP/1.1\rHost: x\r\n\r\n", 400},
      {"CR without LF in a header", "GET / HTTP/1.1\r\nHost: x\rX: y\r\n\r\n", 400},
      {"CR without LF at the end", "GET / HTTP/1.1\r\nHost: x\r\n\rX", 400},
      {"lone CR before the request", "\rGET / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"header without colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n", 400},
      {"space before the colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400},
      {"folded header", "GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  2\r\n\r\n", 400},
      {"control character in a value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\x7f\r\n\r\n", 400},
      {"NUL in a value", std::string("GET / HTTP/1.1\r\nHost: x\r\nX: a\0b\r\n\r\n", 35), 400},
      {"HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", 400},
      {"two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"a body by Content-Length", "POST /readyz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", 413},
      {"a chunked body", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
       413},
      {"Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                                               "Transfer-Encoding: chunked\r\n\r\n",
       400},
      {"Content-Length not a number", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: five\r\n\r\n", 400},
      {"Content-Length negative", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400},
      {"Content-Length twice, different", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 1\r\n\r\n",
       400},
      {"Content-Length list, different", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 1\r\n\r\n", 400},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    request_parser p;
    const auto r = feed_all(p, c.bytes);
    ASSERT_EQ(r.state, parse_state::bad);
    EXPECT_EQ(p.error_status(), c.status) << p.error_reason();
    EXPECT_FALSE(p.error_reason().empty());
    EXPECT_LE(r.consumed, c.bytes.size());
  }
}

TEST(http_request, bad_requests_are_bad_wherever_they_are_split) {
  const std::string bytes = "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n";
  for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
    SCOPED_TRACE(cut);
    request_parser p;
    ASSERT_EQ(feed_chunks(p, {bytes.substr(0, cut), bytes.substr(cut)}).state, parse_state::bad);
    EXPECT_EQ(p.error_status(), 413);
  }
}

std::string request_with_head_of(std::size_t size) {
  std::string head = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ";
  const std::string end = "\r\n\r\n";
  head.append(size - head.size() - end.size(), 'a');
  return head + end;
}

TEST(http_request, the_head_may_be_8_KiB_and_no_more) {
  {
    request_parser p;
    const auto bytes = request_with_head_of(8192);
    ASSERT_EQ(bytes.size(), 8192U);
    EXPECT_EQ(feed_all(p, bytes).state, parse_state::good) << p.error_reason();
  }
  {
    request_parser p;
    const auto r = feed_all(p, request_with_head_of(8193));
    ASSERT_EQ(r.state, parse_state::bad);
    EXPECT_EQ(p.error_status(), 431);
    EXPECT_EQ(r.consumed, 8192U) << "stops reading at the limit";
  }
  {
    // Many small headers, each fine, together too large: fed in pieces as they would arrive.
    request_parser p;
    std::vector<std::string> chunks{"GET / HTTP/1.1\r\nHost: x\r\n"};
    for (int i = 0; i < 90; ++i) chunks.push_back("X-Header-" + std::to_string(i) + ": " + std::string(80, 'v') + "\r\n");
    EXPECT_EQ(feed_chunks(p, chunks).state, parse_state::bad);
    EXPECT_EQ(p.error_status(), 431);
  }
  {
    request_parser p;
    EXPECT_EQ(feed_all(p, "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n").state, parse_state::bad);
    EXPECT_EQ(p.error_status(), 414);
  }
  {
    request_parser p;  // endless empty lines are no way around the limit
    EXPECT_EQ(feed_all(p, std::string(10000, '\n')).state, parse_state::bad);
  }
}

TEST(http_request, at_most_100_headers) {
  std::string bytes = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 99; ++i) bytes += "X: " + std::to_string(i) + "\r\n";
  {
    request_parser p;
    EXPECT_EQ(feed_all(p, bytes + "\r\n").state, parse_state::good);
  }
  request_parser p;
  EXPECT_EQ(feed_all(p, bytes + "X: 100\r\n\r\n").state, parse_state::bad);
  EXPECT_EQ(p.error_status(), 431);
}

TEST(http_request, reset_makes_it_new) {
  request_parser p;
  ASSERT_EQ(feed_all(p, "BAD\r\n").state, parse_state::bad);
  p.reset();
  EXPECT_EQ(p.state(), parse_state::need_more);
  ASSERT_EQ(feed_all(p, "GET /livez HTTP/1.0\r\n\r\n").state, parse_state::good);
  EXPECT_EQ(p.get().path, "/livez");
  EXPECT_EQ(p.error_status(), 0);
}

TEST(http_request, random_bytes_end_in_good_bad_or_need_more) {
  std::mt19937 rng(20261123);  // fixed seed: the same bytes every run
  const std::string alphabet = "GET /HTP1.0\r\n: \tHost,-ab\x00\xff\x7f";
  for (int round = 0; round < 2000; ++round) {
    std::string bytes;
    const auto length = rng() % 200;
    for (std::uint32_t i = 0; i < length; ++i) {
      bytes.push_back(round % 2 == 0 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() % 256));
    }
    request_parser p;
    const auto r = feed_all(p, bytes);
    EXPECT_LE(r.consumed, bytes.size());
    if (r.state == parse_state::bad) {
      EXPECT_NE(p.error_status(), 0);
    }
  }
}

}  // namespace
}  // namespace zkagent::readiness::http
