#pragma once
// HTTP/1.1 responses as bytes. Pure. Every response carries Content-Type, Content-Length,
// Cache-Control: no-store (a probe's answer is never reusable) and Connection; a HEAD response has
// the same headers and no body.
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
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones, e.g. Allow
};

// "OK", "Not Found", ...; "Unknown" for a code not used here.
std::string_view reason_phrase(int status);

// The status line, headers, blank line and (unless head_only) the body.
std::string render(const response& r, bool keep_alive, bool head_only);

// A plain-text response for an error status: "<status> <reason phrase>: <detail>\n".
response error_response(int status, std::string_view detail = {});

}  // namespace zkagent::readiness::http
