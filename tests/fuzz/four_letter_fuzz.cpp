// Four-letter-word replies -> verdicts: judge_ready (srvr) and judge_live (ruok) over every transport
// outcome, and the metrics classifier over every command. The bytes are the reply; the first byte,
// when there is one, also picks --allow-read-only and the socket error's detail text.
//
// Oracles: nothing crashes; a reason is one printable line of bounded length (kubelet keeps it in
// the pod's events); ready passes only on a complete srvr reply with a serving mode, live only on
// imok or a whitelist refusal of ruok, and never when no reply came; the classifier agrees.
#include <array>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "readiness/four_letter.hpp"
#include "readiness/metrics.hpp"

namespace {

using namespace zkagent;
using namespace zkagent::readiness;

void check_reason(const verdict& v, std::string_view reply) {
  fuzz::require(fuzz::one_printable_line(v.reason), "a reason is one printable line", v.reason);
  fuzz::require(!v.reason.empty() && v.reason.size() <= 600, "a reason is short", v.reason);
  (void)reply;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto reply = fuzz::as_text(data, size);
  const bool allow_read_only = size > 0 && (data[0] & 1U) != 0;
  for (const auto outcome : all_transport_outcomes) {
    exchange ex{outcome, std::string(reply), size > 0 && (data[0] & 2U) != 0 ? "Connection timed out" : ""};
    const bool got_reply = outcome == transport_outcome::complete || outcome == transport_outcome::reset_after_reply;

    const auto ready = judge_ready(ex, allow_read_only);
    check_reason(ready, reply);
    if (ready.facts) {
      const auto& f = *ready.facts;
      fuzz::require(fuzz::one_printable_line(f.version) && fuzz::one_printable_line(f.zxid) &&
                        fuzz::one_printable_line(f.latency),
                    "srvr's facts are printable (`zkagent status` prints them)", reply);
    }
    if (ready.ok) {
      fuzz::require(got_reply, "ready needs a reply", reply);
      fuzz::require(ready.facts.has_value() && parse_srvr(reply).has_value(), "ready needs a complete srvr reply", reply);
      fuzz::require(allow_read_only || ready.facts->mode != server_mode::read_only, "read-only is ready only when allowed",
                    reply);
    }
    fuzz::require(ready.ok == !classify(probe_command::srvr, ex, allow_read_only).has_value(),
                  "the srvr classifier agrees with ready", reply);

    const auto live = judge_live(ex);
    check_reason(live, reply);
    if (live.ok) {
      fuzz::require(got_reply, "live needs a reply", reply);
      fuzz::require(reply == "imok" || is_whitelist_refusal(reply, "ruok"), "live needs imok or a ruok refusal", reply);
    }
    if (!live.ok) fuzz::require(classify(probe_command::ruok, ex, false).has_value(), "ruok's classifier agrees with live", reply);
    (void)classify(probe_command::mntr, ex, allow_read_only);
    fuzz::require(fuzz::one_printable_line(describe_failure(ex)), "a failure is one line", describe_failure(ex));
  }
  const auto shown = excerpt(reply);
  fuzz::require(fuzz::one_printable_line(shown) && shown.size() <= 2 + 4 * 80 + 3, "an excerpt is one short line", shown);
  return 0;
}
