#pragma once
// The one table from error kind to process exit code. Children's statuses pass through
// unchanged; a child killed by signal N gives 128+N, as a shell would report it.
#include "common/result.hpp"

namespace zkagent::exit_code {

inline constexpr int ok = 0;
inline constexpr int probe_failed = 1;
inline constexpr int runtime_failure = 1;
inline constexpr int usage = 2;
// `start`: this member's own DNS name did not resolve (to this host) within --dns-wait; ZooKeeper
// was not started. sysexits' EX_NOHOST: ZooKeeper's own exit codes are 1 to 14, a shell's 126 and up.
inline constexpr int dns_unresolved = 68;
// `start`: the user ZooKeeper runs as cannot create a file in a folder ZooKeeper writes (dataDir,
// dataLogDir, the log folder; the conf folder with reconfig); ZooKeeper was not started. sysexits'
// EX_CANTCREAT, clear of ZooKeeper's 1 to 14, 68 above, a shell's 126/127 and 128+N.
inline constexpr int cannot_create = 73;
inline constexpr int cannot_execute = 126;
inline constexpr int not_found = 127;
inline constexpr int signal_base = 128;

constexpr int from(error_kind kind) {
  switch (kind) {
    case error_kind::usage:
    case error_kind::config:
    case error_kind::identity:
      return usage;
    case error_kind::io:
      return runtime_failure;
    case error_kind::not_found:
      return not_found;
    case error_kind::launch:
      return cannot_execute;
  }
  return runtime_failure;
}

}  // namespace zkagent::exit_code
