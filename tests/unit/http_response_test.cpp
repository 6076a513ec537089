// http::render: the exact bytes of responses, HEAD without a body, extra headers, error bodies.
#include "readiness/http_response.hpp"

#include <gtest/gtest.h>

namespace zkagent::readiness::http {
namespace {

TEST(http_response, renders_status_line_headers_and_body) {
  response r;
  r.status = 503;
  r.body = "fail: connection refused: nothing listens there\n";
  EXPECT_EQ(render(r, true, false),
            "HTTP/1.1 503 Service Unavailable\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 48\r\n"
            "Cache-Control: no-store\r\n"
            "Connection: keep-alive\r\n"
            "\r\n"
            "fail: connection refused: nothing listens there\n");
}

TEST(http_response, head_has_the_same_headers_and_no_body) {
  response r;
  r.content_type = std::string(prometheus_text);
  r.body = "zk_up 1\n";
  const auto get = render(r, false, false);
  const auto head = render(r, false, true);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
            "Content-Length: 8\r\n"
            "Cache-Control: no-store\r\n"
            "Connection: close\r\n"
            "\r\n");
  EXPECT_EQ(get, head + "zk_up 1\n");
}

// The /metrics page is shared by every response of one exchange: rendered the same as a body of
// one's own, and render_head is exactly what precedes it.
TEST(http_response, a_shared_body_renders_like_an_own_body) {
  response own;
  own.content_type = std::string(prometheus_text);
  own.body = "zk_up 1\nzk_znode_count 5\n";
  response shared = own;
  shared.body = "ignored when a shared body is set";
  shared.shared_body = std::make_shared<const std::string>(own.body);
  for (const bool keep : {true, false}) {
    EXPECT_EQ(render(shared, keep, false), render(own, keep, false));
    EXPECT_EQ(render(shared, keep, true), render(own, keep, true));
    EXPECT_EQ(render_head(shared, keep) + *shared.shared_body, render(own, keep, false));
  }
}

TEST(http_response, extra_headers_follow_the_fixed_ones) {
  auto r = error_response(405, "only GET and HEAD");
  r.headers.emplace_back("Allow", "GET, HEAD");
  EXPECT_EQ(render(r, true, false),
            "HTTP/1.1 405 Method Not Allowed\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 42\r\n"
            "Cache-Control: no-store\r\n"
            "Connection: keep-alive\r\n"
            "Allow: GET, HEAD\r\n"
            "\r\n"
            "405 Method Not Allowed: only GET and HEAD\n");
}

TEST(http_response, every_status_used_has_its_phrase) {
  const std::vector<std::pair<int, std::string>> phrases{
      {200, "OK"},          {400, "Bad Request"},       {404, "Not Found"},
      {405, "Method Not Allowed"}, {408, "Request Timeout"}, {413, "Content Too Large"},
      {414, "URI Too Long"}, {431, "Request Header Fields Too Large"}, {500, "Internal Server Error"},
      {503, "Service Unavailable"}, {505, "HTTP Version Not Supported"}, {299, "Unknown"}};
  for (const auto& [status, phrase] : phrases) {
    SCOPED_TRACE(status);
    EXPECT_EQ(reason_phrase(status), phrase);
    EXPECT_EQ(error_response(status).body, std::to_string(status) + " " + phrase + "\n");
  }
}

TEST(http_response, empty_body_has_length_zero) {
  response r;
  EXPECT_NE(render(r, true, false).find("\r\nContent-Length: 0\r\n"), std::string::npos);
  EXPECT_TRUE(render(r, true, false).ends_with("\r\n\r\n"));
}

}  // namespace
}  // namespace zkagent::readiness::http
