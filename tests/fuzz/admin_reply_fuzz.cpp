// The AdminServer path of the exec probes: the --admin-url text, the HTTP reply parser (Content-Length,
// chunked, to EOF) and the JSON of /commands/srvr and /commands/ruok, over every transport outcome.
// The bytes are the reply; the first line of it is also tried as an --admin-url.
//
// Oracles: nothing crashes; reasons and problems are one printable line; a complete reply has a
// status code and a body within the bytes; an accepted URL gives a request of exactly the promised
// lines (no header injection); ready passes only on a reply, with the facts of a serving mode.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "readiness/admin_reply.hpp"

namespace {

using namespace zkagent;
using namespace zkagent::readiness;

void check_url(std::string_view text) {
  const auto url = parse_admin_url(text);
  if (!url.ok()) {
    fuzz::require(fuzz::one_printable_line(url.err().message), "a URL error is one line", url.err().message);
    return;
  }
  const auto request = admin_request(url.value(), "srvr");
  const auto header_end = request.find("\r\n\r\n");
  fuzz::require(header_end != std::string::npos && header_end + 4 == request.size(), "one request head", request);
  const auto lines = fuzz::records(std::string_view(request).substr(0, header_end), '\n');
  fuzz::require(lines.size() == 5, "the request has exactly its five lines", request);
  for (auto line : lines) {
    if (line.ends_with('\r')) line.remove_suffix(1);
    fuzz::require(fuzz::one_printable_line(line), "no control byte in the request", request);
  }
  const auto first = lines.front();
  fuzz::require(first.starts_with("GET /") && first.ends_with(" HTTP/1.1\r") &&
                    std::count(first.begin(), first.end(), ' ') == 2,
                "the request line is GET target HTTP/1.1", request);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = fuzz::as_text(data, size);
  check_url(bytes.substr(0, bytes.find('\n')));

  for (const bool at_eof : {false, true}) {
    const auto reply = parse_http_reply(bytes, at_eof);
    if (reply.status == http_reply::state::bad) {
      fuzz::require(fuzz::one_printable_line(reply.problem), "a reply problem is one line", reply.problem);
    }
    if (reply.status == http_reply::state::complete) {
      fuzz::require(reply.code >= 100 && reply.code <= 599, "a complete reply has a status code", bytes);
      fuzz::require(reply.body.size() <= bytes.size(), "the body is within the reply", bytes);
    }
  }
  if (const auto srvr = parse_admin_srvr(bytes); srvr.facts) {
    const auto& f = *srvr.facts;
    fuzz::require(fuzz::one_printable_line(f.version) && fuzz::one_printable_line(f.zxid) &&
                      fuzz::one_printable_line(f.latency),
                  "the AdminServer's facts are printable (`zkagent status` prints them)", bytes);
  }

  for (const auto outcome : all_transport_outcomes) {
    const exchange ex{outcome, std::string(bytes), ""};
    for (const bool allow_read_only : {false, true}) {
      const auto ready = judge_admin_ready(ex, allow_read_only);
      fuzz::require(fuzz::one_printable_line(ready.reason) && !ready.reason.empty(), "a reason is one line", ready.reason);
      if (ready.ok) {
        fuzz::require(outcome == transport_outcome::complete || outcome == transport_outcome::reset_after_reply,
                      "ready needs a reply", bytes);
        fuzz::require(ready.facts.has_value(), "ready carries the facts", bytes);
        fuzz::require(allow_read_only || ready.facts->mode != server_mode::read_only, "read-only only when allowed", bytes);
      }
    }
    const auto live = judge_admin_live(ex);
    fuzz::require(fuzz::one_printable_line(live.reason) && !live.reason.empty(), "a reason is one line", live.reason);
    if (live.ok) {
      fuzz::require(outcome == transport_outcome::complete || outcome == transport_outcome::reset_after_reply,
                    "live needs a reply", bytes);
    }
  }
  return 0;
}
