#pragma once
// Shared values for the tests of the pure core: the hosts a pod and a compose container see,
// inputs built from argv-like flags, and message searches over diagnostics.
#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "entrypoint/settings.hpp"

namespace zkagent::testing {

inline constexpr std::string_view kube_domain = "zk-hs.default.svc.cluster.local";

// /etc/hosts as kubelet writes it for pod zk-<ordinal> of a StatefulSet with headless service zk-hs.
inline std::string kube_hosts(std::string_view pod, std::string_view address = "10.1.2.3") {
  return "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
         std::string(address) + "\t" + std::string(pod) + "." + std::string(kube_domain) + "\t" + std::string(pod) +
         "\n";
}

// A pod of the tutorial StatefulSet: host name zk-<n>, the headless service domain, no addresses.
inline entrypoint::inputs pod_inputs(std::string_view pod = "zk-1",
                                     entrypoint::invocation how = entrypoint::invocation::zkagent) {
  entrypoint::inputs in;
  in.invoked_as = how;
  in.host.hostname = std::string(pod);
  in.host.hosts_file = kube_hosts(pod);
  return in;
}

// A docker-compose container: the service name is the host name, no domain.
inline entrypoint::inputs compose_inputs(std::string_view service) {
  entrypoint::inputs in;
  in.host.hostname = std::string(service);
  in.host.hosts_file = "127.0.0.1\tlocalhost\n172.18.0.3\t" + std::string(service) + "\n";
  return in;
}

// argv-style flags ("--data_dir=/x") into the resolver's form: canonical name, value.
inline std::vector<std::pair<std::string, std::string>> flags_from(std::initializer_list<std::string_view> args) {
  std::vector<std::pair<std::string, std::string>> flags;
  for (const auto arg : args) {
    const auto canonical = entrypoint::canonical_flag(arg);
    const auto eq = canonical.find('=');
    flags.emplace_back(canonical.substr(2, eq == std::string::npos ? std::string::npos : eq - 2),
                       eq == std::string::npos ? std::string("true") : canonical.substr(eq + 1));
  }
  return flags;
}

inline std::string describe(const diagnostics& diag) {
  std::string out;
  for (const auto& e : diag.errors) out += "error: " + e.message + "\n";
  for (const auto& w : diag.warnings) out += "warning: " + w + "\n";
  return out.empty() ? "(no diagnostics)" : out;
}

inline bool contains_all(std::string_view message, const std::vector<std::string>& parts) {
  for (const auto& part : parts) {
    if (message.find(part) == std::string_view::npos) return false;
  }
  return true;
}

// The first error whose message holds every part, or nullptr.
inline const error* find_error(const diagnostics& diag, const std::vector<std::string>& parts) {
  for (const auto& e : diag.errors) {
    if (contains_all(e.message, parts)) return &e;
  }
  return nullptr;
}

inline bool has_warning(const diagnostics& diag, const std::vector<std::string>& parts) {
  for (const auto& w : diag.warnings) {
    if (contains_all(w, parts)) return true;
  }
  return false;
}

// A table row of inputs the resolver must refuse: one error of this kind holds every part.
struct refused_case {
  std::string name;
  std::function<void(entrypoint::inputs&)> setup;  // applied to pod_inputs()
  error_kind kind;
  std::vector<std::string> parts;
};

inline void expect_each_refused(const std::vector<refused_case>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto in = pod_inputs();
    c.setup(in);
    const auto r = entrypoint::resolve(in);
    ASSERT_FALSE(r.diag.ok()) << describe(r.diag);
    const auto* found = find_error(r.diag, c.parts);
    ASSERT_NE(found, nullptr) << describe(r.diag);
    EXPECT_EQ(found->kind, c.kind) << found->message;
  }
}

// True when any message mentions text (for secrets that must never appear).
inline bool mentions(const diagnostics& diag, std::string_view text) {
  for (const auto& e : diag.errors) {
    if (e.message.find(text) != std::string::npos) return true;
  }
  for (const auto& w : diag.warnings) {
    if (w.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace zkagent::testing
