// The health endpoint's HTTP request parser over arbitrary bytes, fed whole, byte by byte and in
// chunks the first byte's bits choose, request after request (pipelining) as the connection does.
//
// Oracles: nothing crashes; the outcome and every parsed field do not depend on how the bytes were
// cut; a good head is within the size limit and its fields hold no control byte; a bad one carries
// one of the statuses the parser promises and a one-line reason; consumed bytes never exceed input.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "readiness/http_request.hpp"

namespace {

using namespace zkagent;
using namespace zkagent::readiness::http;

struct one_request {
  parse_state state;
  std::size_t consumed;
  std::string method, target, path;
  unsigned major, minor;
  std::vector<std::pair<std::string, std::string>> headers;
  bool keep_alive;
  int status;
  std::string reason;
  bool operator==(const one_request&) const = default;
};

// Parses requests from data, cutting it into pieces of the sizes `cut` gives.
template <class Cut>
std::vector<one_request> parse_all(std::string_view data, Cut cut) {
  std::vector<one_request> out;
  request_parser parser;
  std::size_t at = 0, consumed = 0;
  while (at < data.size()) {
    const auto piece = data.substr(at, cut());
    const auto step = parser.feed(piece);
    fuzz::require(step.consumed <= piece.size(), "a feed consumes at most what it was given");
    at += step.consumed;
    consumed += step.consumed;
    if (step.state == parse_state::need_more) continue;
    const auto& r = parser.get();
    out.push_back({step.state, consumed, r.method, r.target, r.path, r.version_major, r.version_minor, r.headers,
                   r.keep_alive, parser.error_status(), parser.error_reason()});
    consumed = 0;
    if (step.state == parse_state::bad) return out;
    fuzz::require(parser.feed("GET / HTTP/1.1\r\n").consumed == 0, "a finished parser consumes nothing until reset");
    parser.reset();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned seed = data[0];
  const auto bytes = fuzz::as_text(data + 1, size - 1);

  const auto whole = parse_all(bytes, [&] { return bytes.size(); });
  const auto single = parse_all(bytes, [] { return std::size_t{1}; });
  unsigned state = seed * 2654435761U + 1U;
  const auto chunked = parse_all(bytes, [&] {
    state = state * 1103515245U + 12345U;
    return std::size_t{1} + (state >> 16U) % 97U;
  });
  fuzz::require(whole == single && whole == chunked, "the outcome does not depend on how the bytes arrive", bytes);

  const limits defaults;
  for (const auto& r : whole) {
    if (r.state == parse_state::bad) {
      fuzz::require(r.status == 400 || r.status == 413 || r.status == 414 || r.status == 431 || r.status == 505,
                    "a bad request has a promised status", r.reason);
      fuzz::require(!r.reason.empty() && fuzz::one_printable_line(r.reason), "a bad request's reason is one line", r.reason);
      continue;
    }
    fuzz::require(r.consumed <= defaults.max_head_bytes, "a good head is within the limit", bytes);
    fuzz::require(r.headers.size() <= defaults.max_headers, "at most max_headers fields", bytes);
    fuzz::require(!r.method.empty() && !r.target.empty() && r.major == 1, "a good request has a method, a target, HTTP/1",
                  bytes);
    fuzz::require(fuzz::one_printable_line(r.target) && fuzz::one_printable_line(r.path), "the target is one line", bytes);
    for (const auto& [name, value] : r.headers) {
      fuzz::require(!name.empty() && fuzz::one_printable_line(name), "a header name is a token", name);
      for (const char c : value) fuzz::require(c == '\t' || static_cast<unsigned char>(c) >= 0x20, "no control byte in a value", value);
    }
  }
  return 0;
}
