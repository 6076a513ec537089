#pragma once
// ZooKeeper's four-letter-word replies -> verdicts. Pure: bytes and transport outcomes in, a
// verdict with a one-line reason out. `ruok` answers `imok` whenever the process runs, so it
// decides liveness only; readiness needs `srvr`'s Mode line.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zkagent::readiness {

// What the connection did, as the probe client saw it.
enum class transport_outcome {
  complete,              // the server closed after its reply (EOF), or the reply is known complete
  refused,               // nothing listens
  reset_before_reply,    // reset, no byte received
  reset_after_reply,     // reset after some bytes (ZooKeeper resets when it closes with input unread)
  timeout,               // the deadline passed before EOF
  closed_without_reply,  // EOF with no byte
  failed,                // any other socket error
};

// Every outcome, for tables and fuzzers that try each one.
inline constexpr std::array all_transport_outcomes{
    transport_outcome::complete,          transport_outcome::refused, transport_outcome::reset_before_reply,
    transport_outcome::reset_after_reply, transport_outcome::timeout, transport_outcome::closed_without_reply,
    transport_outcome::failed};

struct exchange {
  transport_outcome outcome = transport_outcome::failed;
  std::string reply;
  std::string detail;  // the socket error's text, when there was one
};

enum class server_mode { standalone, leader, follower, observer, read_only };
std::string_view describe(server_mode mode);
// "standalone", "leader", "follower", "observer", "read-only" (srvr's Mode, the AdminServer's server_state).
std::optional<server_mode> parse_mode(std::string_view word);

// The facts `srvr` reports. Fields ZooKeeper did not send stay empty.
struct srvr_facts {
  std::string version;  // "3.8.0-..., built on ..." as sent
  server_mode mode = server_mode::standalone;
  std::string zxid;     // "0x100000002"
  std::string latency;  // "min/avg/max" in ms, as sent
  std::optional<std::uint64_t> received, sent, connections, outstanding, node_count;
};

inline constexpr std::string_view not_serving_text = "This ZooKeeper instance is not currently serving requests";

// nullopt unless the reply is a complete srvr reply: version first, Mode, then the "Node count" line
// ending in its newline (cut anywhere before, even inside that number, it is not). A 3.6+ leader
// adds "Proposal sizes" after it; older versions do not, so that line is not required.
std::optional<srvr_facts> parse_srvr(std::string_view reply);
// mntr's "key<TAB>value" lines, in order; malformed lines are skipped.
std::vector<std::pair<std::string, std::string>> parse_mntr(std::string_view reply);
// "ruok is not executed because it is not in the whitelist."
bool is_whitelist_refusal(std::string_view reply, std::string_view command);

struct verdict {
  bool ok = false;
  std::string reason;
  std::optional<srvr_facts> facts;
};

// Ready: serving as leader, follower, observer or standalone (read-only only when allowed).
verdict judge_ready(const exchange& ex, bool allow_read_only);
// The verdict on a server that reported these facts (srvr, or the AdminServer's srvr): shared by
// both paths so they give the same verdicts and reasons.
verdict judge_serving(srvr_facts facts, bool allow_read_only);
// The reason for a server that answers "not serving requests" (no quorum, or still starting).
inline constexpr std::string_view not_serving_reason = "not serving requests: no quorum yet, or still starting";
// Live: the process answers. `imok`, or a whitelist refusal of ruok (it answered all the same).
verdict judge_live(const exchange& ex);
// The reason for a transport failure, shared by both judges ("connection refused", ...).
std::string describe_failure(const exchange& ex);
// A reply's first 80 bytes for a reason: trimmed and quoted, control and non-ASCII bytes escaped
// (\xNN), so the probe's line stays one line of plain text whatever came back.
std::string excerpt(std::string_view reply);

}  // namespace zkagent::readiness
