#pragma once
// Prometheus text exposition format 0.0.4: ZooKeeper's mntr values and zkagent's own probe counters.
// Pure: counters are plain values the caller updates; rendering reads no clock and no map order.
//
// From mntr: zk_up (1 when mntr answered, else 0); zk_info{version,server_state} 1 from its two
// text values; every numeric value as a gauge under its own name (mntr's keys start with zk_; any
// other is given the prefix, characters a metric name may not hold become _), labelled with
// server_state, sorted by name. Other text values are skipped.
// From zkagent: zkagent_probes_total{command}, zkagent_probe_failures_total{command,reason},
// zkagent_probe_duration_seconds{command} (a histogram), zkagent_fourletter_connections_total,
// zkagent_http_connections_rejected_total, zkagent_http_connections_evicted_total.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "readiness/four_letter.hpp"

namespace zkagent::readiness {

enum class probe_command { mntr, ruok, srvr };  // alphabetical: the order of the output
inline constexpr std::array all_probe_commands{probe_command::mntr, probe_command::ruok, probe_command::srvr};
std::string_view command_name(probe_command command);

// Why an exchange did not bring the command's proper answer. A small fixed set: label values.
enum class failure_reason {
  refused,      // nothing listens
  timeout,      // no complete reply before the deadline
  reset,        // reset before any reply
  closed,       // closed without a reply
  not_serving,  // "This ZooKeeper instance is not currently serving requests"
  read_only,    // srvr: read-only mode (unless read-only is accepted)
  whitelist,    // refused by 4lw.commands.whitelist
  garbage,      // a reply that is not the command's (truncated included)
  error,        // any other socket error
};
inline constexpr std::array all_failure_reasons{
    failure_reason::refused,   failure_reason::timeout,   failure_reason::reset,
    failure_reason::closed,    failure_reason::not_serving, failure_reason::read_only,
    failure_reason::whitelist, failure_reason::garbage,   failure_reason::error};
std::string_view reason_name(failure_reason reason);

// nullopt when the exchange brought the command's proper answer: imok for ruok (a whitelist
// refusal counts as a failure here, though `live` passes on it), a serving srvr reply, mntr lines.
std::optional<failure_reason> classify(probe_command command, const exchange& ex, bool allow_read_only);

struct duration_histogram {
  static constexpr std::array<double, 11> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                 0.1,   0.25,   0.5,   1.0,  2.5};
  std::array<std::uint64_t, bounds.size()> at_most{};  // per bucket, not cumulative
  std::uint64_t count = 0;
  double sum = 0;
  void observe(double seconds);
};

struct agent_counters {
  struct per_command {
    std::uint64_t probes = 0;
    std::array<std::uint64_t, all_failure_reasons.size()> failures{};
    duration_histogram duration;
  };
  std::array<per_command, all_probe_commands.size()> commands{};  // by probe_command's value
  std::uint64_t fourletter_connections = 0;
  std::uint64_t http_connections_rejected = 0;  // refused at the limit: every open one busy answering
  std::uint64_t http_connections_evicted = 0;   // closed at the limit to make room: the longest idle

  // One exchange of command that took `took` and failed for `failed` (nullopt: it did not fail).
  void record(probe_command command, std::optional<failure_reason> failed, std::chrono::nanoseconds took);
  [[nodiscard]] const per_command& of(probe_command command) const {
    return commands[static_cast<std::size_t>(command)];
  }
};

using mntr_pairs = std::vector<std::pair<std::string, std::string>>;

// mntr: the parsed reply, or nullopt when mntr failed (zk_up 0 and the agent's counters only).
std::string render_metrics(const std::optional<mntr_pairs>& mntr, const agent_counters& counters);

// Prometheus label value escaping: backslash, double quote, newline.
std::string escape_label_value(std::string_view value);

}  // namespace zkagent::readiness
