#include "readiness/http_request.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace zkagent::readiness::http {
namespace {

// RFC 9110 tchar: the characters of methods and header names.
bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Visible ASCII: what a request target may hold.
bool is_vchar(char c) { return c > 0x20 && c < 0x7F; }

// Field values: visible characters, space, tab and obs-text (bytes >= 0x80); no other controls.
bool is_field_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u == '\t') return true;
  return u >= 0x20U && u != 0x7FU;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

// "/a?b" -> "/a"; "http://host:1/a?b" -> "/a"; "http://host" -> "/"; "*" -> "*".
std::string path_of(std::string_view target) {
  if (!target.empty() && target.front() != '/' && target != "*") {
    const auto scheme = target.find("://");
    if (scheme != std::string_view::npos) {
      const auto slash = target.find('/', scheme + 3);
      const auto query = target.find('?', scheme + 3);
      if (slash == std::string_view::npos || (query != std::string_view::npos && query < slash)) return "/";
      target = target.substr(slash);
    }
  }
  return std::string(target.substr(0, target.find('?')));
}

}  // namespace

std::optional<std::string_view> request::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

void request_parser::reset() {
  state_ = parse_state::need_more;
  stage_ = stage::line_start;
  head_bytes_ = 0;
  version_.clear();
  name_.clear();
  value_.clear();
  request_ = request{};
  error_status_ = 0;
  error_reason_.clear();
}

request_parser::step request_parser::feed(std::string_view data) {
  if (state_ != parse_state::need_more) return {state_, 0};
  for (std::size_t i = 0; i < data.size(); ++i) {
    ++head_bytes_;
    state_ = consume(data[i]);
    if (state_ == parse_state::need_more && head_bytes_ >= limits_.max_head_bytes) {
      const bool in_line = stage_ == stage::line_start || stage_ == stage::method || stage_ == stage::target ||
                           stage_ == stage::version || stage_ == stage::line_lf;
      state_ = in_line ? fail(414, "the request line is longer than " + std::to_string(limits_.max_head_bytes) + " bytes")
                       : fail(431, "the request head is larger than " + std::to_string(limits_.max_head_bytes) + " bytes");
    }
    if (state_ != parse_state::need_more) return {state_, i + 1};
  }
  return {state_, data.size()};
}

parse_state request_parser::fail(int status, std::string reason) {
  error_status_ = status;
  error_reason_ = std::move(reason);
  return parse_state::bad;
}

parse_state request_parser::consume(char c) {
  switch (stage_) {
    case stage::line_start:
      if (c == '\r' || c == '\n') {
        // Empty lines before a request are ignored (RFC 9112 2.2); a lone CR is still caught:
        // the next byte must then be LF or start the method, and "\rGET" fails below.
        if (c == '\r') stage_ = stage::line_lf;
        return parse_state::need_more;
      }
      if (!is_tchar(c)) return fail(400, "the request line does not start with a method");
      request_.method.push_back(c);
      stage_ = stage::method;
      return parse_state::need_more;
    case stage::method:
      if (c == ' ') {
        stage_ = stage::target;
        return parse_state::need_more;
      }
      if (!is_tchar(c)) return fail(400, "the method holds a character a token may not");
      request_.method.push_back(c);
      return parse_state::need_more;
    case stage::target:
      if (c == ' ') {
        if (request_.target.empty()) return fail(400, "the request target is empty");
        stage_ = stage::version;
        return parse_state::need_more;
      }
      if (!is_vchar(c)) return fail(400, "the request target holds a control character or a non-ASCII byte");
      request_.target.push_back(c);
      return parse_state::need_more;
    case stage::version:
      if (c == '\r') {
        stage_ = stage::line_lf;
        return parse_state::need_more;
      }
      if (c == '\n') return finish_line();
      if (version_.size() >= 8) return fail(400, "the request line does not end with HTTP/1.0 or HTTP/1.1");
      version_.push_back(c);
      return parse_state::need_more;
    case stage::line_lf:
      if (c != '\n') return fail(400, "a CR without LF");
      if (request_.method.empty()) {  // an empty line before the request
        stage_ = stage::line_start;
        return parse_state::need_more;
      }
      return finish_line();
    case stage::field_start:
      if (c == '\r') {
        stage_ = stage::end_lf;
        return parse_state::need_more;
      }
      if (c == '\n') return finish_head();
      if (c == ' ' || c == '\t') return fail(400, "a folded header line (obsolete line folding is not accepted)");
      if (!is_tchar(c)) return fail(400, "a header name holds a character a token may not");
      name_.push_back(c);
      stage_ = stage::field_name;
      return parse_state::need_more;
    case stage::field_name:
      if (c == ':') {
        stage_ = stage::field_value;
        return parse_state::need_more;
      }
      if (!is_tchar(c)) return fail(400, "a header name holds a character a token may not (or lacks its colon)");
      name_.push_back(c);
      return parse_state::need_more;
    case stage::field_value:
      if (c == '\r') {
        stage_ = stage::field_lf;
        return parse_state::need_more;
      }
      if (c == '\n') return finish_field();
      if (!is_field_char(c)) return fail(400, "a header value holds a control character");
      value_.push_back(c);
      return parse_state::need_more;
    case stage::field_lf:
      if (c != '\n') return fail(400, "a CR without LF");
      return finish_field();
    case stage::end_lf:
      if (c != '\n') return fail(400, "a CR without LF");
      return finish_head();
  }
  return fail(400, "parser state lost");
}

parse_state request_parser::finish_line() {
  const std::string_view v = version_;
  if (v.size() != 8 || !v.starts_with("HTTP/") || v[6] != '.' || v[5] < '0' || v[5] > '9' || v[7] < '0' ||
      v[7] > '9') {
    return fail(400, "the request line does not end with HTTP/1.0 or HTTP/1.1");
  }
  request_.version_major = static_cast<unsigned>(v[5] - '0');
  request_.version_minor = static_cast<unsigned>(v[7] - '0');
  if (request_.version_major != 1) return fail(505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
  stage_ = stage::field_start;
  return parse_state::need_more;
}

parse_state request_parser::finish_field() {
  if (request_.headers.size() >= limits_.max_headers) {
    return fail(431, "more than " + std::to_string(limits_.max_headers) + " header fields");
  }
  request_.headers.emplace_back(std::move(name_), std::string(text::trim(value_)));
  name_.clear();
  value_.clear();
  stage_ = stage::field_start;
  return parse_state::need_more;
}

parse_state request_parser::finish_head() {
  auto& r = request_;
  const bool http11 = r.version_minor >= 1;
  std::size_t hosts = 0;
  std::optional<std::string> length;
  bool transfer_encoding = false;
  bool close = false;
  bool keep_alive = false;
  for (const auto& [name, value] : r.headers) {
    if (iequals(name, "Host")) {
      ++hosts;
    } else if (iequals(name, "Content-Length")) {
      for (const auto& part : text::split(value, ",", false)) {
        const std::string item(text::trim(part));
        if (item.empty() || !std::all_of(item.begin(), item.end(), [](char d) { return d >= '0' && d <= '9'; })) {
          return fail(400, "Content-Length is not a number");
        }
        if (length && *length != item) return fail(400, "Content-Length is given twice with different values");
        length = item;
      }
    } else if (iequals(name, "Transfer-Encoding")) {
      transfer_encoding = true;
    } else if (iequals(name, "Connection")) {
      for (const auto& token : text::split(value, ", \t", true)) {
        if (iequals(token, "close")) close = true;
        if (iequals(token, "keep-alive")) keep_alive = true;
      }
    }
  }
  if (http11 && hosts != 1) return fail(400, hosts == 0 ? "an HTTP/1.1 request without Host" : "more than one Host");
  if (transfer_encoding && length) return fail(400, "both Transfer-Encoding and Content-Length");
  if (transfer_encoding) return fail(413, "a request body (Transfer-Encoding): no route takes one");
  if (length && length->find_first_not_of('0') != std::string::npos) {
    return fail(413, "a request body (Content-Length " + *length + "): no route takes one");
  }
  r.keep_alive = !close && (http11 || keep_alive);
  r.path = path_of(r.target);
  return parse_state::good;
}

}  // namespace zkagent::readiness::http
