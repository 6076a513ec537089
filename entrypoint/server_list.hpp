#pragma once
// The ensemble's member list: parsed from every form users write it in, generated for
// StatefulSets, checked, and rendered as ZooKeeper 3.5+ `server.N=` values. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace zkagent::entrypoint {

struct server_entry {
  std::uint32_t id = 0;
  std::string host;
  std::uint16_t quorum_port = 0;
  std::uint16_t election_port = 0;
  bool observer = false;
  std::string client_address;              // "" when the entry names none
  std::optional<std::uint16_t> client_port; // from ";[addr:]port"

  bool operator==(const server_entry&) const = default;
};

// ZOO_SERVERS in the official image's form ("server.1=zoo1:2888:3888;2181 server.2=...") or
// the Bitnami form ("zoo1:2888:3888[:observer][::id]", separated by commas, semicolons or
// spaces; ids count from 1 when not given). Every problem is reported against `source`.
std::vector<server_entry> parse_server_list(std::string_view text, std::string_view source, diagnostics& diag);

// One official entry: key "server.3", value "zoo3:2888:3888:observer;0.0.0.0:2181".
std::optional<server_entry> parse_server_line(std::string_view key, std::string_view value,
                                              std::string_view source, diagnostics& diag);

// SERVERS=zk1,zk2,zk3 of hand-built images: ids 1..n, the given quorum and election ports.
std::vector<server_entry> servers_from_hosts(std::string_view text, std::string_view source,
                                             std::uint16_t quorum_port, std::uint16_t election_port,
                                             diagnostics& diag);

struct statefulset_shape {
  std::string base;        // pod name without the ordinal: "zk"
  std::string domain;      // headless service domain: "zk-hs.default.svc.cluster.local" ("" = bare names)
  std::uint32_t voters = 0;
  std::uint32_t observers = 0;
  std::uint32_t offset = 1; // id of ordinal 0
  std::uint16_t quorum_port = 2888;
  std::uint16_t election_port = 3888;
  std::uint16_t client_port = 2181;
};
std::vector<server_entry> generate_statefulset(const statefulset_shape& shape);

// Duplicate ids, ids out of 1..255, two members on one host and port.
void check_server_list(const std::vector<server_entry>& entries, std::string_view source, diagnostics& diag);

// "host:2888:3888[:observer][;[addr:]port]"
std::string render_server_value(const server_entry& entry);

}  // namespace zkagent::entrypoint
