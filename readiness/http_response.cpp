#include "readiness/http_response.hpp"

namespace zkagent::readiness::http {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

std::string render_head(const response& r, bool keep_alive) {
  std::string out;
  out.reserve(160);
  out += "HTTP/1.1 " + std::to_string(r.status) + " ";
  out += reason_phrase(r.status);
  out += "\r\nContent-Type: " + r.content_type;
  out += "\r\nContent-Length: " + std::to_string(r.body_bytes().size());
  out += "\r\nCache-Control: no-store";
  out += keep_alive ? "\r\nConnection: keep-alive" : "\r\nConnection: close";
  for (const auto& [name, value] : r.headers) out += "\r\n" + name + ": " + value;
  out += "\r\n\r\n";
  return out;
}

std::string render(const response& r, bool keep_alive, bool head_only) {
  auto out = render_head(r, keep_alive);
  if (!head_only) out += r.body_bytes();
  return out;
}

response error_response(int status, std::string_view detail) {
  response r;
  r.status = status;
  r.body = std::to_string(status) + " " + std::string(reason_phrase(status));
  if (!detail.empty()) r.body += ": " + std::string(detail);
  r.body += "\n";
  return r;
}

}  // namespace zkagent::readiness::http
