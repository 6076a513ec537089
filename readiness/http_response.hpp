#pragma once
// HTTP/1.1 responses as bytes. Pure. Every response carries Content-Type, Content-Length,
// Cache-Control: no-store (a probe's answer is never reusable) and Connection; a HEAD response has
// the same headers and no body.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zkagent::readiness::http {

inline constexpr std::string_view text_plain = "text/plain; charset=utf-8";
inline constexpr std::string_view prometheus_text = "text/plain; version=0.0.4; charset=utf-8";
inline constexpr std::string_view application_json = "application/json";

struct response {
  int status = 200;
  std::string content_type = std::string(text_plain);
  std::string body;
  // Instead of body, when set: a body many responses share (the /metrics page, rendered once per
  // exchange with ZooKeeper, not once per request: 1000 scrapers hold one copy, not 1000).
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones, e.g. Allow

  [[nodiscard]] std::string_view body_bytes() const { return shared_body ? std::string_view(*shared_body) : body; }
};

// "OK", "Not Found", ...; "Unknown" for a code not used here.
std::string_view reason_phrase(int status);

// The status line, headers and blank line; Content-Length is the body's, HEAD or not.
std::string render_head(const response& r, bool keep_alive);

// render_head and (unless head_only) the body.
std::string render(const response& r, bool keep_alive, bool head_only);

// A plain-text response for an error status: "<status> <reason phrase>: <detail>\n".
response error_response(int status, std::string_view detail = {});

}  // namespace zkagent::readiness::http
