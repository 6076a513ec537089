#pragma once
// Where the probes and the health endpoint knock: the client address and port of the configuration
// ZooKeeper runs with, not a second opinion. Pure: the texts of zoo.cfg, the dynamic file it names
// and myid (read by probe_target, the I/O shell), the --host/--port overrides and the settings'
// own values (used only when there is no zoo.cfg) go in; a target or the reason there is none
// comes out.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace zkagent::cli {

struct target_sources {
  std::optional<std::string> zoo_cfg;      // nullopt: there is no zoo.cfg
  std::string zoo_cfg_path;                // for messages
  std::optional<std::string> dynamic_cfg;  // the dynamicConfigFile's text, when zoo.cfg names one that exists
  std::string dynamic_path;                // for messages
  std::optional<std::string> myid;         // the data folder's myid text, when read
  std::optional<std::string> host;         // --host (numeric)
  std::optional<std::uint16_t> port;       // --port
  std::string settings_address;            // the settings' clientPortAddress ("" = all)
  std::uint16_t settings_port = 2181;      // the settings' client port
};

struct client_target {
  std::string host;           // a numeric address, or a host name when is_name
  bool is_name = false;       // to be looked up (/etc/hosts first) before knocking
  std::uint16_t port = 2181;
  std::string origin;         // where the port came from: "zoo.cfg clientPort", ...
};

// Errors are of kind config: a zoo.cfg with only a secureClientPort (zkagent does not probe over
// TLS), or with no client port at all.
result<client_target> effective_target(const target_sources& in);

// A configured client address as a place to knock: brackets dropped, "" / 0.0.0.0 -> 127.0.0.1,
// :: -> ::1 (loopback of the family ZooKeeper listens on); a name stays a name.
client_target address_to_probe(std::string_view configured);

// The first address /etc/hosts lists for name (case-insensitive, as the resolver), or nullopt.
std::optional<std::string> hosts_file_address(std::string_view hosts_text, std::string_view name);

// Whether the reading shell needs myid: a server.N line may carry this member's client address.
bool needs_myid(const target_sources& in);

}  // namespace zkagent::cli
