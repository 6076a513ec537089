#pragma once
// Waiting for this member's own DNS name, the pure half: which name to wait for (if any), how to
// judge one lookup's answer, how long to pause between lookups, and the --dns-server syntax.
// The I/O half (c-ares queries with deadlines) is dns_wait. Nothing here touches the network,
// the clock or a file: host facts come in as values.
//
// Why: ZooKeeper binds its quorum and election ports to the address its own server.N entry
// resolves to. A StatefulSet pod's name can resolve late (or still to the previous pod's address),
// and ZooKeeper then fails to bind ("Cannot assign requested address", UnknownHostException) and
// exits: a crash loop. zkagent waits, bounded, before starting the JVM.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zkagent::entrypoint {

struct settings;

// The name to wait for.
struct dns_target {
  std::string name;          // as written in the server.N entry, without brackets
  std::uint32_t id = 0;      // N of that entry
  bool require_local = true; // the answer must include an address of this host
};

// What to wait for, or why there is nothing to wait for.
struct dns_plan {
  std::optional<dns_target> target;
  std::string reason;  // one line: what is waited for, or why not
};

// The own server.N entry's host, when ZooKeeper will bind it: an ensemble member (more than one
// voter, or standaloneEnabled=false) whose entry names a host by a DNS name. Numeric addresses and
// localhost (and *.localhost) need no lookup; --dns-wait=0 turns the wait off. With
// quorumListenOnAllIPs the ports bind every address, so the name must only resolve (it may be a
// Service that routes here); otherwise it must resolve to an address of this host.
dns_plan plan_dns_wait(const settings& s);

// One lookup's outcome, as the I/O half reports it.
enum class lookup_status {
  found,         // addresses (from /etc/hosts or DNS)
  no_such_name,  // NXDOMAIN, or no A/AAAA record
  timeout,       // no answer within the per-try timeout
  refused,       // the server refused or failed (REFUSED, SERVFAIL, connection refused)
  error,         // anything else (bad resolv.conf, out of memory, ...)
};

struct lookup_answer {
  lookup_status status = lookup_status::error;
  std::vector<std::string> addresses;  // numeric, in the order received (found only)
  std::string detail;                  // the resolver's own words, for messages
};

struct dns_judgment {
  bool done = false;    // stop waiting: the name is usable
  std::string summary;  // short, for a line per lookup: "resolves to 10.0.0.5 (this host)", "no such name yet"
  std::string hint;     // longer, for the final message ("" when none): this host's addresses, likely causes
};

// Judges one answer. A name that resolves only to addresses of other hosts keeps the wait going:
// it is a stale record (a previous pod's address) or the wrong name, and ZooKeeper could not bind
// it. When this host's addresses are unknown (empty list), any answer counts.
dns_judgment judge_answer(const dns_target& target, const lookup_answer& answer,
                          const std::vector<std::string>& local_addresses);

// True when address (numeric IPv4 or IPv6) is one of local_addresses (compared as addresses, not
// text), or a loopback address (127.0.0.0/8, ::1, ::ffff:127.x): those bind on any Linux host.
bool is_local_address(std::string_view address, const std::vector<std::string>& local_addresses);

// The pause before lookup number `attempt + 1` (attempt counts from 1): 250 ms doubling to 2 s.
// Short enough that a record published late is seen within 2 s, long enough that 90 s of waiting
// sends about 50 lookups.
std::chrono::milliseconds retry_delay(int attempt);

// --dns-server: "127.0.0.1", "127.0.0.1:5353", "::1", "[::1]:5353" -> c-ares' form
// ("127.0.0.1:53", "[::1]:5353"); nullopt when it is not a numeric address with an optional port 1-65535.
std::optional<std::string> parse_dns_server(std::string_view text);

// --dns-wait: text::parse_duration's forms ("800ms", "90s", "2.5s", "2m", "3"),
// from 0 to 1 hour; nullopt otherwise.
std::optional<std::chrono::milliseconds> parse_dns_wait(std::string_view text);

}  // namespace zkagent::entrypoint
