// ZOO_SERVERS in every accepted form: the official image's (server.N=host:qp:ep[:role][;[addr:]port],
// separated by spaces or commas), Bitnami's (host:qp:ep[:role][::id] separated by commas, semicolons
// or spaces), SERVERS=host,host (ids 1..n) and one template line (key, value).
//
// Oracles: nothing crashes; every diagnostic is one line; an accepted entry renders to a value that
// parses back to the same entry, and to a server.N line ZooKeeper reads as one entry.
#include <cstdint>
#include <string>

#include "entrypoint/server_list.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace zkagent;
using namespace zkagent::entrypoint;

void check(const std::vector<server_entry>& entries, const diagnostics& diag) {
  for (const auto& e : diag.errors) fuzz::require(fuzz::one_printable_line(e.message), "an error is one line", e.message);
  for (const auto& w : diag.warnings) fuzz::require(fuzz::one_printable_line(w), "a warning is one line", w);
  diagnostics checked;
  check_server_list(entries, "fuzz", checked);
  for (const auto& e : checked.errors) fuzz::require(fuzz::one_printable_line(e.message), "an error is one line", e.message);
  // The round trip is a promise about accepted lists only: SERVERS with 300 hosts parses to ids up
  // to 300, which check_server_list then refuses (ids are 1 to 255).
  if (!diag.ok() || !checked.ok()) return;
  for (const auto& entry : entries) {
    const auto value = render_server_value(entry);
    const auto key = "server." + std::to_string(entry.id);
    diagnostics again;
    const auto parsed = parse_server_line(key, value, "round trip", again);
    fuzz::require(parsed.has_value() && again.ok(), "a rendered entry parses again", key + "=" + value);
    fuzz::require(*parsed == entry, "a rendered entry parses to the same entry", key + "=" + value);
    const auto props = fuzz::java_properties(key + "=" + value + "\n");
    fuzz::require(props && props->size() == 1 && props->front().key == key && props->front().value == value,
                  "ZooKeeper reads a server line as it was written", key + "=" + value);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  {
    diagnostics diag;
    const auto entries = parse_server_list(text, "ZOO_SERVERS", diag);
    if (diag.ok()) fuzz::require(!entries.empty(), "an accepted list has members", text);
    check(entries, diag);
  }
  {
    diagnostics diag;
    const auto entries = servers_from_hosts(text, "SERVERS", 2888, 3888, diag);
    check(entries, diag);
  }
  {
    // One template line: "server.3=zoo3:2888:3888;2181" split at the first '='.
    const auto eq = text.find('=');
    if (eq != std::string_view::npos) {
      diagnostics diag;
      const auto entry = parse_server_line(text.substr(0, eq), text.substr(eq + 1), "template", diag);
      check(entry ? std::vector<server_entry>{*entry} : std::vector<server_entry>{}, diag);
    }
  }
  return 0;
}
