// ZOO_CFG_EXTRA, --cfg-extra and --config-template text, and the other texts zkagent reads from the
// conf dir (a java.env of yours, the ownership marker, a zoo.cfg ZooKeeper rewrote). The bytes are
// up to four parts separated by NUL: ZOO_CFG_EXTRA, the template, --cfg-extra, a java.env.
//
// Oracles: nothing crashes; every diagnostic is one line; when accepted, zoo.cfg as ZooKeeper reads it
// (java.util.Properties) holds exactly the extra keys zkagent decided, one line each; the marker
// round-trips.
#include <cstdint>
#include <map>
#include <string>

#include "entrypoint/java_env.hpp"
#include "entrypoint/ownership.hpp"
#include "entrypoint/settings.hpp"
#include "entrypoint/zoo_cfg.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace zkagent;
using namespace zkagent::entrypoint;

void one_line_each(const diagnostics& diag) {
  for (const auto& e : diag.errors) fuzz::require(fuzz::one_printable_line(e.message), "an error is one line", e.message);
  for (const auto& w : diag.warnings) fuzz::require(fuzz::one_printable_line(w), "a warning is one line", w);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::records(fuzz::as_text(data, size), '\0');
  inputs in;
  in.host.hostname = "zk-0";
  in.flags = {{"conf-dir", "/conf"}};
  if (!parts[0].empty()) in.env["ZOO_CFG_EXTRA"] = std::string(parts[0]);
  if (parts.size() > 1) in.template_text = std::string(parts[1]);
  if (parts.size() > 2) in.flags.emplace_back("cfg-extra", std::string(parts[2]));
  if (parts.size() > 3) in.java_env_text = std::string(parts[3]);

  const auto res = resolve(in);
  one_line_each(res.diag);
  if (res.diag.ok()) {
    const auto& s = res.value;
    const auto r = render_zoo_cfg(s, "0.0.0-fuzz");
    const auto read = fuzz::java_properties(r.zoo_cfg);
    fuzz::require(read.has_value(), "zoo.cfg is readable by java.util.Properties", r.zoo_cfg);
    std::map<std::string, std::string> keys;
    for (const auto& e : *read) {
      fuzz::require(e.physical_lines == 1, "every zoo.cfg entry is one line", r.zoo_cfg);
      fuzz::require(keys.emplace(e.key, e.value).second, "no zoo.cfg key is written twice", e.key + "\n" + r.zoo_cfg);
    }
    for (const auto& [key, value] : s.extra_cfg) {
      if (key == "dynamicConfigFile") continue;
      const auto it = keys.find(key);
      fuzz::require(it != keys.end() && it->second == value, "ZooKeeper reads every extra key as zkagent decided",
                    key + "=" + value + "\n" + r.zoo_cfg);
    }
    // What ZooKeeper's rewrite would look like: the same text, read back for its dynamic pointer.
    (void)dynamic_pointer(r.zoo_cfg);
  }

  // The texts read from the conf dir, each over the whole input.
  const auto whole = fuzz::as_text(data, size);
  const auto env = parse_java_env(whole, "/conf/java.env");
  for (const auto& w : env.warnings) fuzz::require(fuzz::one_printable_line(w), "a java.env warning is one line", w);
  const auto marker = parse_marker(whole);
  fuzz::require(parse_marker(render_marker(marker)) == marker, "the ownership marker round-trips", whole);
  (void)dynamic_pointer(whole);
  (void)classify(std::string(whole), marker, "zoo.cfg");
  return 0;
}
