#pragma once
// Where the probes and the endpoint find ZooKeeper: the I/O shell around client_target (pure). It
// reads the zoo.cfg that `start` wrote or kept, the dynamic file it names and myid (guarded_fs: no
// link uid 1000 planted, no FIFO, no big file), and looks a host name up (/etc/hosts, then c-ares)
// within the deadline. Explicit --host/--port win; the settings count only when there is no zoo.cfg.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "cli/commands.hpp"
#include "common/result.hpp"
#include "entrypoint/settings.hpp"

namespace zkagent::cli {

struct probe_overrides {
  std::optional<std::string> host;    // --host (numeric)
  std::optional<std::uint16_t> port;  // --port
};

struct probe_endpoint {
  boost::asio::ip::tcp::endpoint where;
  std::string text;    // "127.0.0.1:2181", "[::1]:2191", "zk-0.zk-hs (10.0.0.5):2181"
  std::string origin;  // where the port came from
};

// From resolved settings (the health endpoint in `start`, `serve`).
result<probe_endpoint> find_probe_target(const entrypoint::settings& s, const probe_overrides& overrides,
                                         std::chrono::steady_clock::time_point deadline,
                                         const std::string& hosts_text);

// From the environment, resolved as `start` resolves it (the exec probes). When the environment
// does not resolve and no --port is given, a warning says so and 127.0.0.1:2181 is probed.
result<probe_endpoint> find_probe_target(const command_context& ctx, const probe_overrides& overrides,
                                         std::chrono::steady_clock::time_point deadline);

}  // namespace zkagent::cli
