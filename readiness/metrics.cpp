#include "readiness/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "common/text.hpp"

namespace zkagent::readiness {
namespace {

bool is_name_char(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  return !first && c >= '0' && c <= '9';
}

// mntr key -> metric name: zk_ prefix kept (or added), other characters than [A-Za-z0-9_] -> _.
std::string metric_name(std::string_view key) {
  std::string name = key.starts_with("zk_") ? std::string() : std::string("zk_");
  for (const char c : key) name.push_back(is_name_char(c, false) ? c : '_');
  return name;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ZooKeeper's number text as a Prometheus value ("12", "0.0", "1.0E-4", "NaN", "Infinity"), or
// nullopt when the text is no number.
std::optional<std::string> sample_value(std::string_view v) {
  if (v == "NaN") return "NaN";
  if (v == "Infinity" || v == "+Infinity") return "+Inf";
  if (v == "-Infinity") return "-Inf";
  std::string_view rest = v;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) rest.remove_prefix(1);
  const auto exponent = rest.find_first_of("eE");
  std::string_view mantissa = rest.substr(0, exponent);
  if (exponent != std::string_view::npos) {
    std::string_view power = rest.substr(exponent + 1);
    if (!power.empty() && (power.front() == '-' || power.front() == '+')) power.remove_prefix(1);
    if (!all_digits(power)) return std::nullopt;
  }
  const auto dot = mantissa.find('.');
  if (dot == std::string_view::npos) {
    if (!all_digits(mantissa)) return std::nullopt;
  } else {
    const auto whole = mantissa.substr(0, dot);
    const auto fraction = mantissa.substr(dot + 1);
    if (whole.empty() && fraction.empty()) return std::nullopt;
    if ((!whole.empty() && !all_digits(whole)) || (!fraction.empty() && !all_digits(fraction))) return std::nullopt;
  }
  return std::string(v);
}

std::string format_double(double value) {
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (ec != std::errc()) return "NaN";
  return std::string(buffer.data(), end);
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, std::string_view name, std::string_view labels, std::string_view value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

std::string label(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + escape_label_value(value) + "\"";
}

}  // namespace

std::string_view command_name(probe_command command) {
  switch (command) {
    case probe_command::mntr: return "mntr";
    case probe_command::ruok: return "ruok";
    case probe_command::srvr: return "srvr";
  }
  return "unknown";
}

std::string_view reason_name(failure_reason reason) {
  switch (reason) {
    case failure_reason::refused: return "refused";
    case failure_reason::timeout: return "timeout";
    case failure_reason::reset: return "reset";
    case failure_reason::closed: return "closed";
    case failure_reason::not_serving: return "not_serving";
    case failure_reason::read_only: return "read_only";
    case failure_reason::whitelist: return "whitelist";
    case failure_reason::garbage: return "garbage";
    case failure_reason::error: return "error";
  }
  return "error";
}

std::optional<failure_reason> classify(probe_command command, const exchange& ex, bool allow_read_only) {
  switch (ex.outcome) {
    case transport_outcome::refused: return failure_reason::refused;
    case transport_outcome::timeout: return failure_reason::timeout;
    case transport_outcome::reset_before_reply: return failure_reason::reset;
    case transport_outcome::closed_without_reply: return failure_reason::closed;
    case transport_outcome::failed: return failure_reason::error;
    case transport_outcome::complete:
    case transport_outcome::reset_after_reply: break;
  }
  if (ex.reply.empty()) return failure_reason::closed;
  if (text::trim(ex.reply).starts_with(not_serving_text)) return failure_reason::not_serving;
  if (is_whitelist_refusal(ex.reply, command_name(command))) return failure_reason::whitelist;
  switch (command) {
    case probe_command::ruok:
      return ex.reply == "imok" ? std::nullopt : std::optional(failure_reason::garbage);
    case probe_command::srvr: {
      const auto facts = parse_srvr(ex.reply);
      if (!facts) return failure_reason::garbage;
      if (facts->mode == server_mode::read_only && !allow_read_only) return failure_reason::read_only;
      return std::nullopt;
    }
    case probe_command::mntr:
      return parse_mntr(ex.reply).empty() ? std::optional(failure_reason::garbage) : std::nullopt;
  }
  return failure_reason::garbage;
}

void duration_histogram::observe(double seconds) {
  ++count;
  sum += seconds;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (seconds <= bounds[i]) {
      ++at_most[i];
      break;
    }
  }
}

void agent_counters::record(probe_command command, std::optional<failure_reason> failed, std::chrono::nanoseconds took) {
  auto& c = commands[static_cast<std::size_t>(command)];
  ++c.probes;
  ++fourletter_connections;
  if (failed) ++c.failures[static_cast<std::size_t>(*failed)];
  c.duration.observe(std::chrono::duration<double>(took).count());
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string render_metrics(const std::optional<mntr_pairs>& mntr, const agent_counters& counters) {
  std::string out;
  family(out, "zk_up", "gauge", "1 when ZooKeeper answered mntr, else 0");
  sample(out, "zk_up", "", mntr ? "1" : "0");

  if (mntr) {
    std::optional<std::string> version, state;
    for (const auto& [key, value] : *mntr) {
      if (key == "zk_version" && !version) version = value;
      if (key == "zk_server_state" && !state) state = value;
    }
    if (version || state) {
      std::string labels;
      if (version) labels = label("version", *version);
      if (state) labels += (labels.empty() ? "" : ",") + label("server_state", *state);
      family(out, "zk_info", "gauge", "ZooKeeper's version and server state (from mntr) as labels; always 1");
      sample(out, "zk_info", labels, "1");
    }
    const std::string state_label = state ? label("server_state", *state) : std::string();

    // Numeric values by name; the first of a name wins, and zk_up/zk_info stay ours.
    std::vector<std::pair<std::string, std::string>> gauges;
    std::set<std::string, std::less<>> seen{"zk_up", "zk_info"};
    for (const auto& [key, value] : *mntr) {
      auto number = sample_value(value);
      if (!number) continue;
      auto name = metric_name(key);
      if (!seen.insert(name).second) continue;
      gauges.emplace_back(std::move(name), std::move(*number));
    }
    std::sort(gauges.begin(), gauges.end());
    for (const auto& [name, value] : gauges) {
      family(out, name, "gauge", "ZooKeeper mntr value " + name);
      sample(out, name, state_label, value);
    }
  }

  family(out, "zkagent_probes_total", "counter", "Four-letter-word exchanges zkagent ran, by command");
  for (const auto command : all_probe_commands) {
    sample(out, "zkagent_probes_total", label("command", command_name(command)),
           std::to_string(counters.of(command).probes));
  }
  family(out, "zkagent_probe_failures_total", "counter",
         "Four-letter-word exchanges that did not bring the command's proper answer, by command and reason");
  for (const auto command : all_probe_commands) {
    for (const auto reason : all_failure_reasons) {
      sample(out, "zkagent_probe_failures_total",
             label("command", command_name(command)) + "," + label("reason", reason_name(reason)),
             std::to_string(counters.of(command).failures[static_cast<std::size_t>(reason)]));
    }
  }
  family(out, "zkagent_probe_duration_seconds", "histogram",
         "Time from connect to the end of a four-letter-word exchange, by command");
  for (const auto command : all_probe_commands) {
    const auto& h = counters.of(command).duration;
    const auto command_label = label("command", command_name(command));
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < h.bounds.size(); ++i) {
      cumulative += h.at_most[i];
      sample(out, "zkagent_probe_duration_seconds_bucket", command_label + "," + label("le", format_double(h.bounds[i])),
             std::to_string(cumulative));
    }
    sample(out, "zkagent_probe_duration_seconds_bucket", command_label + ",le=\"+Inf\"", std::to_string(h.count));
    sample(out, "zkagent_probe_duration_seconds_sum", command_label, format_double(h.sum));
    sample(out, "zkagent_probe_duration_seconds_count", command_label, std::to_string(h.count));
  }
  family(out, "zkagent_fourletter_connections_total", "counter",
         "Connections zkagent opened to ZooKeeper's client port for four-letter words");
  sample(out, "zkagent_fourletter_connections_total", "", std::to_string(counters.fourletter_connections));
  family(out, "zkagent_http_connections_rejected_total", "counter",
         "HTTP connections closed at once because the connection limit was reached with every connection busy");
  sample(out, "zkagent_http_connections_rejected_total", "", std::to_string(counters.http_connections_rejected));
  family(out, "zkagent_http_connections_evicted_total", "counter",
         "Idle or slow HTTP connections closed to make room for a new one at the connection limit");
  sample(out, "zkagent_http_connections_evicted_total", "", std::to_string(counters.http_connections_evicted));
  return out;
}

}  // namespace zkagent::readiness
