// render_status_json: the document for a serving member, a failing one and a read-only one, keys
// in their fixed order, every string escaped into valid JSON (a small validator checks it).
#include "readiness/status_json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace zkagent::readiness {
namespace {

using namespace std::chrono_literals;

const std::string standalone_reply =
    "Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\nLatency min/avg/max: 0/0.0/0\n"
    "Received: 2\nSent: 1\nConnections: 1\nOutstanding: 0\nZxid: 0x0\nMode: standalone\nNode count: 5\n";

// A strict enough JSON validator for these documents: objects, strings, numbers, true/false/null.
class json_validator {
 public:
  explicit json_validator(std::string_view s) : s_(s) {}
  bool valid() {
    skip();
    if (!value()) return false;
    skip();
    return i_ == s_.size();
  }

 private:
  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n')) ++i_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }
  bool string() {
    if (!literal("\"")) return false;
    while (i_ < s_.size() && s_[i_] != '"') {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c < 0x20) return false;
      if (c == '\\') {
        ++i_;
        if (i_ >= s_.size()) return false;
        if (s_[i_] == 'u') {
          if (i_ + 4 >= s_.size()) return false;
          for (int k = 1; k <= 4; ++k) {
            if (std::string_view("0123456789abcdefABCDEF").find(s_[i_ + static_cast<std::size_t>(k)]) == std::string_view::npos) return false;
          }
          i_ += 4;
        } else if (std::string_view("\"\\/bfnrt").find(s_[i_]) == std::string_view::npos) {
          return false;
        }
      }
      ++i_;
    }
    return literal("\"");
  }
  bool number() {
    const auto start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ >= s_.size() || s_[i_] < '0' || s_[i_] > '9') return false;
    if (s_[i_] == '0' && i_ + 1 < s_.size() && s_[i_ + 1] >= '0' && s_[i_ + 1] <= '9') return false;
    while (i_ < s_.size() && ((s_[i_] >= '0' && s_[i_] <= '9') || s_[i_] == '.')) ++i_;
    return i_ > start && s_[i_ - 1] != '.';
  }
  bool value() {
    skip();
    if (i_ >= s_.size()) return false;
    if (s_[i_] == '{') return object();
    if (s_[i_] == '"') return string();
    if (literal("true") || literal("false") || literal("null")) return true;
    return number();
  }
  bool object() {
    ++i_;
    skip();
    if (literal("}")) return true;
    for (;;) {
      skip();
      if (!string()) return false;
      skip();
      if (!literal(":")) return false;
      if (!value()) return false;
      skip();
      if (literal("}")) return true;
      if (!literal(",")) return false;
    }
  }
  std::string_view s_;
  std::size_t i_ = 0;
};

TEST(status_json, a_serving_member) {
  const auto v = judge_ready(exchange{transport_outcome::complete, standalone_reply, ""}, false);
  const auto json = render_status_json(v, {"127.0.0.1:2181", 3ms});
  EXPECT_EQ(json,
            R"({"ok":true,"reason":"serving as standalone, zxid 0x0","address":"127.0.0.1:2181","mode":"standalone",)"
            R"("version":"3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC","zxid":"0x0","connections":1,)"
            R"("outstanding":0,"received":2,"sent":1,"latency_ms":{"min":0,"avg":0.0,"max":0},"node_count":5,)"
            R"("took_ms":3})");
  EXPECT_TRUE(json_validator(json).valid()) << json;
}

TEST(status_json, a_failing_member_has_every_key_null) {
  const auto v = judge_ready(exchange{transport_outcome::refused, "", "Connection refused"}, false);
  const auto json = render_status_json(v);
  EXPECT_EQ(json, R"({"ok":false,"reason":"connection refused: nothing listens there","address":null,"mode":null,)"
                  R"("version":null,"zxid":null,"connections":null,"outstanding":null,"received":null,"sent":null,)"
                  R"("latency_ms":null,"node_count":null,"took_ms":null})");
  EXPECT_TRUE(json_validator(json).valid()) << json;
}

TEST(status_json, read_only_reports_its_facts_with_ok_false) {
  std::string reply = standalone_reply;
  reply.replace(reply.find("standalone"), 10, "read-only");
  const auto v = judge_ready(exchange{transport_outcome::complete, reply, ""}, false);
  const auto json = render_status_json(v, {"[::1]:2181", std::nullopt});
  EXPECT_TRUE(json.starts_with(R"({"ok":false,"reason":"read-only mode)")) << json;
  EXPECT_NE(json.find(R"("address":"[::1]:2181","mode":"read-only")"), std::string::npos) << json;
  EXPECT_TRUE(json_validator(json).valid()) << json;
}

TEST(status_json, latency_that_is_no_number_is_null) {
  verdict v;
  v.ok = true;
  v.reason = "x";
  v.facts = srvr_facts{};
  for (const auto* latency : {"", "1/2", "a/b/c", "1/2/3/4", "01/2/3", "-1/0/0", "1./2/3"}) {
    SCOPED_TRACE(latency);
    v.facts->latency = latency;
    const auto json = render_status_json(v);
    EXPECT_NE(json.find(R"("latency_ms":null)"), std::string::npos) << json;
    EXPECT_TRUE(json_validator(json).valid()) << json;
  }
  v.facts->latency = "1/22.5/300";
  EXPECT_NE(render_status_json(v).find(R"("latency_ms":{"min":1,"avg":22.5,"max":300})"), std::string::npos);
}

TEST(status_json, strings_are_escaped) {
  struct escape_case {
    std::string in, out;
  };
  const std::vector<escape_case> cases{
      {"plain", R"("plain")"},
      {"q\"b\\s/", R"("q\"b\\s/")"},
      {"\n\r\t\b\f", R"("\n\r\t\b\f")"},
      {std::string("\x01\x1f\x00", 3), R"("\u0001\u001f\u0000")"},
      {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
      {"bad \xff byte", R"("bad \ufffd byte")"},
      {"cut \xc3", R"("cut \ufffd")"},
      {"overlong \xc0\xaf", R"("overlong \ufffd\ufffd")"},
      {"surrogate \xed\xa0\x80", R"("surrogate \ufffd\ufffd\ufffd")"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.out);
    EXPECT_EQ(json_string(c.in), c.out);
    EXPECT_TRUE(json_validator(json_string(c.in)).valid());
  }
  verdict v;
  v.reason = "unexpected reply to srvr: \"\x01\xfe\"";
  EXPECT_TRUE(json_validator(render_status_json(v)).valid()) << render_status_json(v);
}

}  // namespace
}  // namespace zkagent::readiness
