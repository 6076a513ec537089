// srvr and mntr replies -> facts, metric pairs, the Prometheus text (/metrics) and the status JSON
// (/status, `zkagent status --json`). The bytes are the reply.
//
// Oracles: nothing crashes; /metrics is well-formed exposition text whatever mntr sent (names of
// the grammar, label values escaped, one sample per line); /status is one line of valid JSON whose
// reason is the verdict's.
#include <cstdint>
#include <set>
#include <sstream>
#include <string>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include "fuzz_support.hpp"
#include "readiness/four_letter.hpp"
#include "readiness/metrics.hpp"
#include "readiness/status_json.hpp"

namespace {

using namespace zkagent;
using namespace zkagent::readiness;

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

// One line of the exposition format: "# HELP", "# TYPE" or name{label="value",...} value.
void check_exposition_line(std::string_view line, const std::string& all) {
  fuzz::require(!line.empty(), "no empty line in /metrics", all);
  if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
    auto rest = line.substr(7);
    fuzz::require(!rest.empty() && name_start(rest.front()), "a family name is valid", std::string(line));
    return;
  }
  std::size_t i = 0;
  fuzz::require(name_start(line[0]), "a metric name is valid", std::string(line));
  while (i < line.size() && name_char(line[i])) ++i;
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      const auto start = i;
      while (i < line.size() && name_char(line[i]) && line[i] != ':') ++i;
      fuzz::require(i > start && i + 1 < line.size() && line[i] == '=' && line[i + 1] == '"', "a label is name=\"",
                    std::string(line));
      i += 2;
      for (; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\') {
          fuzz::require(i + 1 < line.size() && std::string_view("\\\"n").find(line[i + 1]) != std::string_view::npos,
                        "a label value escapes only \\\\, \\\" and \\n", std::string(line));
          ++i;
        }
      }
      fuzz::require(i < line.size(), "a label value is closed", std::string(line));
      ++i;
      if (i < line.size() && line[i] == ',') ++i;
    }
    fuzz::require(i < line.size(), "labels are closed", std::string(line));
    ++i;
  }
  fuzz::require(i < line.size() && line[i] == ' ', "a space before the value", std::string(line));
  const auto value = line.substr(i + 1);
  fuzz::require(!value.empty() && value.find(' ') == std::string_view::npos, "one value", std::string(line));
  fuzz::require(value.find_first_not_of("0123456789.eE+-InfNa") == std::string_view::npos, "the value is a number",
                std::string(line));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto reply = fuzz::as_text(data, size);

  const auto facts = parse_srvr(reply);
  const auto pairs = parse_mntr(reply);
  for (const auto& [key, value] : pairs) {
    fuzz::require(!key.empty() && key.find('\n') == std::string::npos && key.find('\t') == std::string::npos,
                  "an mntr key is one field", key);
    fuzz::require(value.find('\n') == std::string::npos, "an mntr value is one line", value);
  }

  agent_counters counters;
  counters.record(probe_command::mntr, pairs.empty() ? std::optional(failure_reason::garbage) : std::nullopt,
                  std::chrono::milliseconds(size));
  const auto metrics = render_metrics(pairs.empty() ? std::nullopt : std::optional(pairs), counters);
  fuzz::require(!metrics.empty() && metrics.back() == '\n', "/metrics ends with a newline", metrics);
  const std::string_view body(metrics.data(), metrics.size() - 1);
  for (const auto line : fuzz::lines(body)) {
    // Label values may hold any byte but a newline (escaped); HELP text is ours and printable.
    if (line.starts_with("# ")) fuzz::require(fuzz::one_printable_line(line), "HELP and TYPE lines are printable", std::string(line));
    check_exposition_line(line, metrics);
  }

  verdict v;
  v.ok = facts.has_value();
  v.reason = facts ? "serving" : "unexpected reply to srvr: " + excerpt(reply);
  v.facts = facts;
  const auto json = render_status_json(v, {"127.0.0.1:2181", std::chrono::milliseconds(3)});
  fuzz::require(json.find('\n') == std::string::npos, "/status is one line", json);
  boost::property_tree::ptree tree;
  std::istringstream in(json);
  try {
    boost::property_tree::read_json(in, tree);
  } catch (const boost::property_tree::ptree_error& e) {
    fuzz::broken("/status is valid JSON", json + "\n" + e.what());
  }
  fuzz::require(tree.get<std::string>("reason", "") == v.reason || !fuzz::one_printable_line(v.reason),
                "/status carries the reason", json);
  return 0;
}
