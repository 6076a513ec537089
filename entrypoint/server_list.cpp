#include "entrypoint/server_list.hpp"

#include <algorithm>
#include <map>

#include "common/text.hpp"
#include "entrypoint/host_names.hpp"
#include "myid/ordinal.hpp"

namespace zkagent::entrypoint {
namespace {

std::string where(std::string_view source, std::string_view entry) {
  return std::string(source) + " entry " + text::quote(entry);
}

// "'zk-0..x' is not a host: it has an empty label (...); expected ..."; nullopt for a usable host.
std::optional<std::string> host_problem(std::string_view host) {
  const auto problem = address_problem(host, ipv6_form::bracketed);
  if (!problem) return std::nullopt;
  return text::quote(host) + " is not a host: " + *problem + "; expected " + address_rule(ipv6_form::bracketed);
}

std::optional<std::uint16_t> port_of(std::string_view text_value) {
  const auto value = text::parse_uint(text_value, 1, 65535);
  if (!value) return std::nullopt;
  return static_cast<std::uint16_t>(*value);
}

// Splits "host:p:p:role" where host may be a bracketed IPv6 address.
std::vector<std::string> split_address(std::string_view s) {
  std::vector<std::string> parts;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos) return {std::string(s)};
    parts.emplace_back(s.substr(0, close + 1));
    s.remove_prefix(close + 1);
    if (s.empty()) return parts;
    if (s.front() != ':') return {};
    s.remove_prefix(1);
  }
  for (auto& piece : text::split(s, ":", false)) parts.push_back(std::move(piece));
  return parts;
}

// The part of an entry after the quorum address: "host:qp:ep[:role]".
bool parse_address_part(std::string_view address, server_entry& entry, const std::string& context,
                        diagnostics& diag) {
  const auto parts = split_address(address);
  if (parts.size() < 3 || parts.size() > 4) {
    diag.fail(error_kind::config, context + ": expected host:quorumPort:electionPort[:participant|:observer]");
    return false;
  }
  bool good = true;
  if (const auto problem = host_problem(parts[0])) {
    diag.fail(error_kind::config, context + ": " + *problem);
    good = false;
  }
  const auto qp = port_of(parts[1]);
  const auto ep = port_of(parts[2]);
  if (!qp || !ep) {
    diag.fail(error_kind::config, context + ": ports must be whole numbers from 1 to 65535");
    good = false;
  } else if (*qp == *ep) {
    diag.fail(error_kind::config, context + ": quorum and election ports must differ");
    good = false;
  }
  if (parts.size() == 4) {
    // ZooKeeper reads the role case-insensitively.
    const auto role = text::to_lower(parts[3]);
    if (role == "observer") entry.observer = true;
    else if (role != "participant") {
      diag.fail(error_kind::config, context + ": role " + text::quote(parts[3]) + " must be participant or observer");
      good = false;
    }
  }
  if (!good) return false;
  entry.host = parts[0];
  entry.quorum_port = *qp;
  entry.election_port = *ep;
  return true;
}

}  // namespace

std::optional<server_entry> parse_server_line(std::string_view key, std::string_view value,
                                              std::string_view source, diagnostics& diag) {
  const auto context = where(source, std::string(key) + "=" + std::string(value));
  server_entry entry;
  const auto id = key.starts_with("server.") ? text::parse_uint(key.substr(7), myid::min_id, myid::max_id)
                                             : std::nullopt;
  if (!id) {
    diag.fail(error_kind::config, context + ": the id after 'server.' must be a whole number from 1 to 255");
    return std::nullopt;
  }
  entry.id = static_cast<std::uint32_t>(*id);
  const auto semicolon = value.find(';');
  const auto address = value.substr(0, semicolon);
  if (!parse_address_part(address, entry, context, diag)) return std::nullopt;
  if (semicolon != std::string_view::npos) {
    const auto client = value.substr(semicolon + 1);
    const auto colon = client.rfind(':');
    const auto port_text = colon == std::string_view::npos ? client : client.substr(colon + 1);
    const auto port = port_of(port_text);
    if (!port) {
      diag.fail(error_kind::config, context + ": the client port after ';' must be a whole number from 1 to 65535");
      return std::nullopt;
    }
    entry.client_port = *port;
    if (colon != std::string_view::npos) {
      entry.client_address = std::string(client.substr(0, colon));
      if (const auto problem = host_problem(entry.client_address)) {
        diag.fail(error_kind::config, context + ": the client address " + *problem);
        return std::nullopt;
      }
    }
  }
  return entry;
}

std::vector<server_entry> parse_server_list(std::string_view text_value, std::string_view source,
                                            diagnostics& diag) {
  std::vector<server_entry> entries;
  const auto trimmed = text::trim(text_value);
  if (trimmed.empty()) {
    diag.fail(error_kind::config, std::string(source) + " is empty; expected at least one member");
    return entries;
  }
  // Official form when it starts like one: a Bitnami host may contain "server." (zk-0.zk-server.ns).
  if (trimmed.starts_with("server.")) {
    // Official form: whitespace- (or comma-) separated server.N=... entries.
    for (const auto& token : text::split(trimmed, " \t\r\n,", true)) {
      const auto eq = token.find('=');
      if (eq == std::string::npos) {
        diag.fail(error_kind::config, where(source, token) + ": expected server.N=host:quorumPort:electionPort[;clientPort]");
        continue;
      }
      if (auto entry = parse_server_line(token.substr(0, eq), token.substr(eq + 1), source, diag)) {
        entries.push_back(std::move(*entry));
      }
    }
  } else {
    // Bitnami form: host:qp:ep[:role][::id].
    std::uint32_t position = 0;
    for (const auto& token : text::split(trimmed, " \t\r\n,;", true)) {
      ++position;
      server_entry entry;
      entry.id = position;
      std::string_view address = token;
      // "::id" follows the address; a bracketed IPv6 address has its own "::" inside the brackets.
      const auto close = address.front() == '[' ? address.find(']') : 0;
      if (const auto marker = address.find("::", close); marker != std::string_view::npos) {
        const auto id = text::parse_uint(address.substr(marker + 2), myid::min_id, myid::max_id);
        if (!id) {
          diag.fail(error_kind::config, where(source, token) + ": the id after '::' must be a whole number from 1 to 255");
          continue;
        }
        entry.id = static_cast<std::uint32_t>(*id);
        address = address.substr(0, marker);
      }
      if (parse_address_part(address, entry, where(source, token), diag)) entries.push_back(std::move(entry));
    }
    if (position == 0) {
      diag.fail(error_kind::config, std::string(source) + " " + text::quote(trimmed) + " names no member; expected host:quorumPort:electionPort entries");
    }
  }
  return entries;
}

std::vector<server_entry> servers_from_hosts(std::string_view text_value, std::string_view source,
                                             std::uint16_t quorum_port, std::uint16_t election_port,
                                             diagnostics& diag) {
  std::vector<server_entry> entries;
  std::uint32_t id = 0;
  for (const auto& host : text::split(text_value, ", \t\r\n", true)) {
    ++id;
    if (const auto problem = host_problem(host)) {
      diag.fail(error_kind::config, std::string(source) + " entry " + *problem);
      continue;
    }
    entries.push_back(server_entry{id, host, quorum_port, election_port, false, "", std::nullopt});
  }
  if (id == 0) diag.fail(error_kind::config, std::string(source) + " is empty; expected host names separated by commas");
  return entries;
}

std::vector<server_entry> generate_statefulset(const statefulset_shape& shape) {
  std::vector<server_entry> entries;
  const auto total = shape.voters + shape.observers;
  for (std::uint32_t ordinal = 0; ordinal < total; ++ordinal) {
    std::string host = shape.base + "-" + std::to_string(ordinal);
    if (!shape.domain.empty()) host += "." + shape.domain;
    entries.push_back(server_entry{ordinal + shape.offset, std::move(host), shape.quorum_port, shape.election_port,
                                   ordinal >= shape.voters, "", shape.client_port});
  }
  return entries;
}

void check_server_list(const std::vector<server_entry>& entries, std::string_view source, diagnostics& diag) {
  std::map<std::uint32_t, int> ids;
  std::map<std::pair<std::string, std::uint16_t>, std::uint32_t> endpoints;
  for (const auto& entry : entries) {
    if (entry.id < myid::min_id || entry.id > myid::max_id) {
      diag.fail(error_kind::config, std::string(source) + ": server id " + std::to_string(entry.id) +
                                        " is outside 1..255");
    }
    if (++ids[entry.id] == 2) {
      diag.fail(error_kind::config, std::string(source) + ": server id " + std::to_string(entry.id) +
                                        " appears more than once; every member needs its own id");
    }
    for (const auto port : {entry.quorum_port, entry.election_port}) {
      const auto [it, fresh] = endpoints.emplace(std::pair{entry.host, port}, entry.id);
      if (!fresh && it->second != entry.id) {
        diag.fail(error_kind::config, std::string(source) + ": servers " + std::to_string(it->second) + " and " +
                                          std::to_string(entry.id) + " both use " + entry.host + ":" +
                                          std::to_string(port));
      }
    }
  }
  const auto voters = std::count_if(entries.begin(), entries.end(), [](const auto& e) { return !e.observer; });
  if (!entries.empty() && voters == 0) {
    diag.fail(error_kind::config, std::string(source) + ": every member is an observer; an ensemble needs voters");
  }
}

std::string render_server_value(const server_entry& entry) {
  std::string value = entry.host + ":" + std::to_string(entry.quorum_port) + ":" + std::to_string(entry.election_port);
  if (entry.observer) value += ":observer";
  if (entry.client_port) {
    value += ";";
    if (!entry.client_address.empty()) value += entry.client_address + ":";
    value += std::to_string(*entry.client_port);
  }
  return value;
}

}  // namespace zkagent::entrypoint
