#include "cli/client_target.hpp"

#include <algorithm>

#include "common/text.hpp"
#include "entrypoint/kept_config.hpp"
#include "entrypoint/server_list.hpp"
#include "readiness/probe_client.hpp"

namespace zkagent::cli {
namespace {

bool same_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return text::to_lower(std::string_view(&x, 1)) == text::to_lower(std::string_view(&y, 1));
         });
}

// Whether a Properties text sets any server.N key (the members may live in zoo.cfg itself).
bool has_server_lines(std::string_view cfg) {
  for (const auto& line : text::split(cfg, "\n")) {
    if (text::trim(line).starts_with("server.")) return true;
  }
  return false;
}

std::string port_text_of(std::string_view cfg, std::string_view key) {
  return text::quote(entrypoint::zoo_cfg_value(cfg, key).value_or(""));
}

}  // namespace

client_target address_to_probe(std::string_view configured) {
  std::string_view address = text::trim(configured);
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);
  client_target t;
  if (address.empty() || address == "0.0.0.0") t.host = "127.0.0.1";
  else if (address == "::") t.host = "::1";
  else if (readiness::numeric_address(address)) t.host = std::string(address);
  else {
    t.host = std::string(address);
    t.is_name = true;
  }
  return t;
}

std::optional<std::string> hosts_file_address(std::string_view hosts_text, std::string_view name) {
  for (const auto& line : text::split(hosts_text, "\n")) {
    const auto fields = text::split(line.substr(0, line.find('#')), " \t\r");
    if (fields.size() < 2 || !readiness::numeric_address(fields[0])) continue;
    for (std::size_t i = 1; i < fields.size(); ++i) {
      if (same_ci(fields[i], name)) return fields[0];
    }
  }
  return std::nullopt;
}

bool needs_myid(const target_sources& in) {
  if (!in.zoo_cfg) return false;
  return in.dynamic_cfg ? has_server_lines(*in.dynamic_cfg) : has_server_lines(*in.zoo_cfg);
}

result<client_target> effective_target(const target_sources& in) {
  client_target t;
  std::optional<std::uint16_t> port;
  if (!in.zoo_cfg) {
    t = address_to_probe(in.settings_address);
    port = in.settings_port;
    t.origin = "the settings (no " + in.zoo_cfg_path + " yet)";
  } else {
    const std::string_view cfg = *in.zoo_cfg;
    t = address_to_probe(entrypoint::zoo_cfg_value(cfg, "clientPortAddress").value_or(""));
    std::optional<std::string> bad_port;
    if (const auto value = entrypoint::zoo_cfg_value(cfg, "clientPort")) {
      if (const auto n = text::parse_uint(*value, 1, 65535)) {
        port = static_cast<std::uint16_t>(*n);
        t.origin = "clientPort in " + in.zoo_cfg_path;
      } else {
        bad_port = "clientPort=" + text::quote(*value) + " in " + in.zoo_cfg_path + " is not a port from 1 to 65535";
      }
    }
    // This member's server.N line wins, as in ZooKeeper: with dynamic membership it is the only
    // place the client port is written.
    std::string key;  // "server.<myid>", "" without a usable myid
    if (in.myid) {
      if (const auto id = text::parse_uint(text::trim(*in.myid), 1, 0x7fffffff)) key = "server." + std::to_string(*id);
    }
    if (!key.empty()) {
      const auto& members = in.dynamic_cfg ? *in.dynamic_cfg : *in.zoo_cfg;
      const auto& members_path = in.dynamic_cfg ? in.dynamic_path : in.zoo_cfg_path;
      if (const auto value = entrypoint::zoo_cfg_value(members, key)) {
        diagnostics ignored;  // a line ZooKeeper could not read leaves the other sources
        const auto entry = entrypoint::parse_server_line(key, *value, members_path, ignored);
        if (entry && entry->client_port) {
          port = *entry->client_port;
          bad_port.reset();
          t.origin = key + " in " + members_path;
          if (!entry->client_address.empty()) {
            auto origin = std::move(t.origin);
            t = address_to_probe(entry->client_address);
            t.origin = std::move(origin);
          }
        }
      }
    }
    if (!port && !in.port) {
      if (bad_port) return error{error_kind::config, *bad_port + " (--port gives the port to probe)"};
      if (entrypoint::zoo_cfg_value(cfg, "secureClientPort")) {
        return error{error_kind::config,
                     in.zoo_cfg_path + " has only secureClientPort=" + port_text_of(cfg, "secureClientPort") +
                         " and no plain clientPort: zkagent does not probe over TLS (it has no TLS stack). Add a "
                         "plain clientPort on loopback, or give --port"};
      }
      return error{error_kind::config, in.zoo_cfg_path + " sets no clientPort" +
                                           (key.empty() ? std::string() : " and this member's " + key + " line names none") +
                                           ": ZooKeeper serves no clients there (--port gives the port to probe)"};
    }
  }
  if (in.host) {
    t.host = *in.host;
    t.is_name = false;
  }
  if (in.port) {
    port = in.port;
    t.origin = "--port";
  }
  t.port = *port;
  return t;
}

}  // namespace zkagent::cli
