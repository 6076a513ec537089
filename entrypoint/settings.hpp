#pragma once
// Flags + environment + template -> one validated settings value, or every error at once.
// Pure: the caller reads the environment, files and host facts and passes them in.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "common/text.hpp"
#include "entrypoint/server_list.hpp"
#include "entrypoint/setting_specs.hpp"

namespace zkagent::entrypoint {

// Facts about this host the resolver needs, gathered by the caller.
struct host_facts {
  std::string hostname;                 // short host name from the system
  std::string hosts_file;               // /etc/hosts text ("" when unreadable)
  std::vector<std::string> addresses;   // local interface addresses
  std::optional<std::uint64_t> memory_limit; // container memory limit in bytes, if any
};

struct inputs {
  invocation invoked_as = invocation::zkagent;
  // Flags by canonical name, in command-line order (later ones win; cfg-extra accumulates).
  std::vector<std::pair<std::string, std::string>> flags;
  env_map env;                          // after <VAR>_FILE resolution
  std::set<std::string> secret_env;     // variables whose value came from a file: never echoed
  std::optional<std::string> template_text;  // --config-template content
  std::optional<std::string> java_env_text;  // a java.env zkagent did not write, to honour
  host_facts host;
};

// Where a value came from, for messages: "--tick-time", "ZOO_TICK_TIME", "ZOO_CFG_EXTRA", "default".
struct origin {
  std::string name;
  bool is_default = true;
};

struct settings {
  invocation invoked_as = invocation::zkagent;
  // Folders.
  std::string conf_dir, data_dir, data_log_dir, log_dir;
  // Where each folder came from, by setting name ("data-dir" -> "ZOO_DATA_DIR", "--data-dir",
  // "default"), for messages about a folder (folder_policy).
  std::map<std::string, std::string> folder_origins;
  // Network.
  std::uint16_t client_port = 2181;
  std::string client_port_address;
  std::uint16_t server_port = 2888, election_port = 3888;
  bool admin_enabled = true;
  std::uint16_t admin_port = 8080;
  std::string admin_address;
  bool quorum_listen_on_all_ips = false;
  std::string four_letter_whitelist;
  std::uint32_t max_client_cnxns = 60;
  // Before starting a member, wait this long for its own server.N name to resolve (0: off); ask
  // this DNS server ("addr:port", c-ares' form) instead of /etc/resolv.conf's. See dns_target.
  std::chrono::milliseconds dns_wait{90'000};
  std::optional<std::string> dns_server;
  // Timing.
  std::uint32_t tick_time = 2000, init_limit = 10, sync_limit = 5;
  std::uint32_t min_session_timeout = 4000, max_session_timeout = 40000;
  std::uint32_t snap_retain_count = 3, purge_interval = 0;
  // Ensemble and identity.
  bool standalone_enabled = true;
  std::vector<server_entry> servers;    // empty: standalone
  std::string servers_origin;           // where the list came from, for messages
  std::optional<std::uint32_t> myid;    // none for a standalone server without an explicit id
  std::string myid_origin;
  // Standalone with a StatefulSet host name: the id the ordinal gives, for `zkagent myid`.
  std::optional<std::uint32_t> ordinal_id;
  std::string ordinal_id_origin;
  bool observer = false;                // this member is an observer (peerType=observer)
  std::string hostname, domain;
  bool force_myid = false;
  // JVM.
  std::vector<std::string> jvm_flags;   // zkagent's own, then java.env's, then JVMFLAGS
  std::string heap_reason;              // where the heap size came from, for the summary
  std::string log_level = "INFO";
  std::optional<std::string> java;
  std::optional<std::string> zookeeper_home;
  std::string zookeeper_home_origin;
  bool exec = false;
  std::uint32_t uid = 1000, gid = 1000;
  // Files.
  std::optional<std::string> config_template;
  std::vector<std::pair<std::string, std::string>> extra_cfg;  // other zoo.cfg keys, sorted by key
  bool overwrite_config = false, keep_config = false;
  bool strict = false;  // --strict: every warning about the settings is an error
  // --keep-config: folders named by the kept zoo.cfg instead of the settings (kept_config.hpp). Your
  // layout: handed to the ZooKeeper user themselves, never walked.
  std::vector<std::string> kept_folders;
  std::string agent_log_level = "info";
  // The HTTP health endpoint beside the supervised JVM (start --health-port).
  std::optional<std::uint16_t> health_port;  // none: off
  std::string health_address = "0.0.0.0";    // numeric
  std::chrono::milliseconds cache_window{1000};

  [[nodiscard]] std::string zoo_cfg_path() const { return conf_dir + "/zoo.cfg"; }
  [[nodiscard]] std::optional<std::string> extra(std::string_view key) const;
};

struct resolution {
  settings value;
  diagnostics diag;
};

// How much to resolve. probe_folders: only what an exec probe needs to find the zoo.cfg `start`
// wrote and what it points to (the folders and --keep-config), by the same rules and precedence;
// the rest keeps its defaults and is not checked. A probe every few seconds pays for no more.
enum class resolve_scope { everything, probe_folders };

// The whole pipeline: every error is collected; value is meaningful only when diag.ok().
resolution resolve(const inputs& in, resolve_scope scope = resolve_scope::everything);

// Environment variables zkagent does not read: a misspelling of one it knows (Z00_MY_ID, ZOO_MYID)
// with "did you mean", and any other with zkagent's or ZooKeeper's prefix (ZOO_, ZKAGENT_, ZK_).
// Kubernetes service-link variables are never reported.
std::vector<std::string> unknown_variable_warnings(const env_map& env);

// Normalises argv option names: "--data_dir" and "--data-dir" are the same flag.
std::string canonical_flag(std::string_view arg);

}  // namespace zkagent::entrypoint
