#include "cli/probe_target.hpp"

#include <spdlog/logger.h>

#include "cli/env_files.hpp"
#include "common/system_facts.hpp"
#include "entrypoint/settings.hpp"
#include "readiness/probe_client.hpp"

namespace zkagent::cli {

probe_target configured_target(const command_context& ctx, bool warn_when_unknown) {
  diagnostics ignored;
  auto env = resolve_file_variables(ctx.env, ignored);
  entrypoint::inputs in;
  in.env = std::move(env.env);
  if (auto name = system::short_hostname(); name.ok()) in.host.hostname = name.value();
  in.host.hosts_file = system::read_optional("/etc/hosts").value_or("");
  const auto resolved = entrypoint::resolve(in);
  if (!resolved.diag.ok()) {
    if (warn_when_unknown) {
      ctx.log->warn("the environment's configuration does not resolve ({}): the client port is unknown, "
                    "probing 2181 (--port gives it)",
                    resolved.diag.errors.front().message);
    }
    return {};
  }
  probe_target target;
  const auto& address = resolved.value.client_port_address;
  if (!address.empty() && address != "0.0.0.0" && address != "::" && readiness::numeric_address(address)) {
    target.host = address;
  }
  target.port = resolved.value.client_port;
  return target;
}

}  // namespace zkagent::cli
