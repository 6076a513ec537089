#pragma once
// An incremental HTTP/1.1 request parser: bytes in, good / bad / need more out. Pure: no sockets,
// no clock; the connection feeds it whatever arrived and acts on the state.
//
// Accepted: a request line `METHOD SP target SP HTTP/1.x` and header fields, lines ending in CRLF
// (a bare LF too), empty lines before the request line skipped, the whole head at most
// limits::max_head_bytes. No request bodies: a Content-Length above 0 or any Transfer-Encoding is
// refused (413), since no route takes one. Everything after a complete head belongs to the next
// (pipelined) request.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zkagent::readiness::http {

struct request {
  std::string method;  // as sent, case-sensitive ("GET")
  std::string target;  // as sent ("/readyz?verbose", "http://host/readyz", "*")
  std::string path;    // the target's path, query dropped; absolute-form reduced to its path
  unsigned version_major = 1;
  unsigned version_minor = 1;
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, values trimmed
  // HTTP/1.1: unless `Connection: close`; HTTP/1.0: only with `Connection: keep-alive`.
  bool keep_alive = true;

  // The first header of that name (case-insensitive), if any.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

struct limits {
  std::size_t max_head_bytes = 8 * 1024;  // request line + headers + line ends
  std::size_t max_headers = 100;
};

enum class parse_state { need_more, good, bad };

class request_parser {
 public:
  explicit request_parser(limits l = {}) : limits_(l) {}

  struct step {
    parse_state state;
    std::size_t consumed;  // bytes of the input that belong to this request
  };

  // Consumes data up to the end of the request's head (good), the byte that made it bad (bad),
  // or all of it (need_more). Once good or bad, feeds consume nothing until reset().
  step feed(std::string_view data);

  [[nodiscard]] parse_state state() const { return state_; }
  // Valid when good.
  [[nodiscard]] const request& get() const { return request_; }
  // When bad: the status to answer (400, 413, 414, 431, 505) and why.
  [[nodiscard]] int error_status() const { return error_status_; }
  [[nodiscard]] const std::string& error_reason() const { return error_reason_; }

  void reset();

 private:
  enum class stage {
    line_start,      // before the method; skips empty lines
    method,
    target,
    version,
    line_lf,         // after the request line's CR
    field_start,     // at the start of a header line, or of the empty line ending the head
    field_name,
    field_value,
    field_lf,        // after a header line's CR
    end_lf,          // after the empty line's CR
  };

  parse_state consume(char c);
  parse_state fail(int status, std::string reason);
  parse_state finish_line();
  parse_state finish_field();
  parse_state finish_head();

  limits limits_;
  parse_state state_ = parse_state::need_more;
  stage stage_ = stage::line_start;
  std::size_t head_bytes_ = 0;
  std::string version_;
  std::string name_, value_;
  request request_;
  int error_status_ = 0;
  std::string error_reason_;
};

}  // namespace zkagent::readiness::http
