#pragma once
// The one table of every setting zkagent knows: its flag, its environment variable(s), its
// zoo.cfg key, its defaults and its help line. --help, the README tables, env validation and
// the resolver all read this table, so they cannot disagree.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace zkagent::entrypoint {

// How zkagent was invoked decides the defaults: `zkagent start` uses zkagent's own defaults,
// a link named `start-zookeeper` keeps the Kubernetes tutorial script's.
enum class invocation { zkagent, start_zookeeper };

enum class value_type {
  number,  // whole decimal number within [min, max]
  port,    // 1..65535
  boolean, // true/false/yes/no/1/0
  path,    // absolute path
  text,    // free text (still no control characters)
  size,    // JVM memory size: 512M, 2G, 1024 (MiB)
  level,   // log level
  toggle,  // a switch: given alone it means true
};

enum class group { directories, network, timing, ensemble, identity, jvm, files, agent };

struct setting_spec {
  std::string_view name;              // canonical flag name, without "--", dashes
  std::string_view env;               // environment variable ("" when none)
  std::string_view env_alias;         // older variable name accepted too ("" when none)
  std::string_view cfg_key;           // zoo.cfg key this setting renders ("" when none)
  value_type type;
  group section;
  std::string_view default_value;     // zkagent's default ("" = none or derived, see help)
  std::string_view tutorial_default;  // start-zookeeper's default when it differs ("" = same)
  std::string_view help;
  std::uint64_t min = 0;
  std::uint64_t max = 0;
  bool secret = false;                // value never logged
};

std::span<const setting_spec> all_settings();
const setting_spec* find_setting(std::string_view name);
const setting_spec* find_setting_by_env(std::string_view env_name);
const setting_spec* find_setting_by_cfg_key(std::string_view cfg_key);
std::string_view default_for(const setting_spec& spec, invocation how);

// Bitnami's image reads some of these settings under names of its own (ZOO_PORT_NUMBER for
// client-port). Each is read as the setting's variable; set beside zkagent's name with another
// value, the start is refused naming both (docs/compatibility.md). "" when the setting has none.
std::string_view bitnami_name(const setting_spec& spec);

// Every variable a setting is read from, in precedence order: env, env_alias, Bitnami's name.
std::vector<std::string_view> env_names(const setting_spec& spec);

// A Bitnami yes/no variable zkagent can honour for one value only: the other is refused by name,
// with the reason, rather than ignored.
struct partly_honoured_variable {
  std::string_view env;
  bool honoured;            // the value zkagent does honour
  std::string_view reason;  // why the other one cannot be
};
std::span<const partly_honoured_variable> partly_honoured_variables();

}  // namespace zkagent::entrypoint
