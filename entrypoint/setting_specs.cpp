#include "entrypoint/setting_specs.hpp"

#include <algorithm>
#include <array>

namespace zkagent::entrypoint {
namespace {

using vt = value_type;
using g = group;

// Order here is the order of --help and of the README tables.
constexpr std::array specs{
    // Folders.
    setting_spec{"conf-dir", "ZOO_CONF_DIR", "", "", vt::path, g::directories, "/conf", "/opt/zookeeper/conf",
                 "folder for zoo.cfg, logging config and java.env"},
    setting_spec{"data-dir", "ZOO_DATA_DIR", "", "dataDir", vt::path, g::directories, "/data",
                 "/var/lib/zookeeper/data", "snapshots and myid"},
    setting_spec{"data-log-dir", "ZOO_DATA_LOG_DIR", "", "dataLogDir", vt::path, g::directories, "/datalog",
                 "/var/lib/zookeeper/log", "transaction log; keep it on the persistent volume"},
    setting_spec{"log-dir", "ZOO_LOG_DIR", "", "", vt::path, g::directories, "/logs", "/var/log/zookeeper",
                 "ZooKeeper's log folder (zookeeper.log.dir)"},
    // Network.
    setting_spec{"client-port", "ZOO_CLIENT_PORT", "", "clientPort", vt::port, g::network, "2181", "",
                 "client port; default: this member's ;port in the server list, else 2181", 1, 65535},
    setting_spec{"client-port-address", "ZOO_CLIENT_PORT_ADDRESS", "", "clientPortAddress", vt::text, g::network,
                 "", "", "address the client port binds (default: all)"},
    setting_spec{"server-port", "ZOO_SERVER_PORT", "", "", vt::port, g::network, "2888", "",
                 "quorum port in generated server lines", 1, 65535},
    setting_spec{"election-port", "ZOO_ELECTION_PORT", "", "", vt::port, g::network, "3888", "",
                 "leader election port in generated server lines", 1, 65535},
    setting_spec{"admin-server-enabled", "ZOO_ADMINSERVER_ENABLED", "", "admin.enableServer", vt::boolean,
                 g::network, "true", "", "run ZooKeeper's HTTP AdminServer"},
    setting_spec{"admin-server-port", "ZOO_ADMINSERVER_PORT", "", "admin.serverPort", vt::port, g::network, "8080",
                 "", "AdminServer port", 1, 65535},
    // Loopback by default: the AdminServer answers every command (dump, envi, conf, cons) to anyone,
    // whatever 4lw.commands.whitelist says. kubectl port-forward and exec still reach it.
    setting_spec{"admin-server-address", "ZOO_ADMINSERVER_ADDRESS", "", "admin.serverAddress", vt::text,
                 g::network, "127.0.0.1", "", "AdminServer bind address; 0.0.0.0 for all (it has no authentication)"},
    setting_spec{"quorum-listen-on-all-ips", "ZOO_QUORUM_LISTEN_ON_ALL_IPS", "", "quorumListenOnAllIPs",
                 vt::boolean, g::network, "false", "",
                 "bind quorum and election ports on all addresses (Service names, meshes)"},
    setting_spec{"4lw-commands-whitelist", "ZOO_4LW_COMMANDS_WHITELIST", "", "4lw.commands.whitelist", vt::text,
                 g::network, "ruok,srvr,mntr", "", "four-letter words allowed; the probes need ruok,srvr,mntr"},
    setting_spec{"max-client-cnxns", "ZOO_MAX_CLIENT_CNXNS", "", "maxClientCnxns", vt::number, g::network, "60", "",
                 "connections per client address (0: unlimited)", 0, 1'000'000},
    setting_spec{"max-cnxns", "ZOO_MAX_CNXNS", "", "maxCnxns", vt::number, g::network, "", "",
                 "client connections in all (0: unlimited); default: ZooKeeper's, unlimited", 0, 2'147'483'647},
    setting_spec{"dns-wait", "ZKAGENT_DNS_WAIT", "", "", vt::text, g::network, "90s", "",
                 "wait this long before starting for this member's own server.N name to resolve here (0: don't)"},
    setting_spec{"dns-server", "ZKAGENT_DNS_SERVER", "", "", vt::text, g::network, "", "",
                 "DNS server for --dns-wait, a numeric ADDRESS[:PORT] (default: /etc/resolv.conf's)"},
    // Timing.
    setting_spec{"tick-time", "ZOO_TICK_TIME", "", "tickTime", vt::number, g::timing, "2000", "",
                 "milliseconds per tick", 1, 3'600'000},
    setting_spec{"init-limit", "ZOO_INIT_LIMIT", "", "initLimit", vt::number, g::timing, "10", "",
                 "ticks a follower may take to connect and sync", 1, 100'000},
    setting_spec{"sync-limit", "ZOO_SYNC_LIMIT", "", "syncLimit", vt::number, g::timing, "5", "",
                 "ticks a follower may lag behind the leader", 1, 100'000},
    setting_spec{"min-session-timeout", "ZOO_MIN_SESSION_TIMEOUT", "", "minSessionTimeout", vt::number, g::timing,
                 "", "", "milliseconds; default 2 x tick-time", 1, 2'147'483'647},
    setting_spec{"max-session-timeout", "ZOO_MAX_SESSION_TIMEOUT", "", "maxSessionTimeout", vt::number, g::timing,
                 "", "", "milliseconds; default 20 x tick-time", 1, 2'147'483'647},
    setting_spec{"snap-retain-count", "ZOO_AUTOPURGE_SNAPRETAINCOUNT", "", "autopurge.snapRetainCount", vt::number,
                 g::timing, "3", "", "snapshots autopurge keeps (3 at least)", 3, 1'000'000},
    setting_spec{"purge-interval", "ZOO_AUTOPURGE_PURGEINTERVAL", "", "autopurge.purgeInterval", vt::number,
                 g::timing, "0", "", "hours between autopurge runs (0: off)", 0, 1'000'000},
    // Ensemble.
    setting_spec{"servers", "ZOO_SERVER_COUNT", "", "", vt::number, g::ensemble, "", "",
                 "ensemble size N: server lines for StatefulSet pods <name>-0..<name>-(N-1)", 1, 255},
    setting_spec{"observers", "ZOO_OBSERVER_COUNT", "", "", vt::number, g::ensemble, "0", "",
                 "observers after the N voters (pods <name>-N..), with --servers", 0, 254},
    setting_spec{"server-list", "ZOO_SERVERS", "", "", vt::text, g::ensemble, "", "",
                 "members: 'server.1=host:2888:3888;2181 ...' or 'host:2888:3888[:observer][::id],...'"},
    setting_spec{"server-hosts", "SERVERS", "", "", vt::text, g::ensemble, "", "",
                 "members by host name, comma-separated; ids 1..n in that order"},
    setting_spec{"reconfig-enabled", "ZOO_RECONFIG_ENABLED", "", "reconfigEnabled", vt::boolean, g::ensemble, "",
                 "", "allow dynamic reconfiguration (reconfig); default: ZooKeeper's, off"},
    setting_spec{"standalone-enabled", "ZOO_STANDALONE_ENABLED", "", "standaloneEnabled", vt::boolean, g::ensemble,
                 "true", "", "a single member runs standalone"},
    // Identity.
    setting_spec{"myid", "ZOO_MY_ID", "MYID", "", vt::number, g::identity, "", "",
                 "this member's id (1-255); default: host name ordinal + myid-offset", 1, 255},
    setting_spec{"myid-offset", "ZOO_MY_ID_OFFSET", "", "", vt::number, g::identity, "1", "",
                 "added to the host name's ordinal (0 for hosts numbered from 1)", 0, 254},
    setting_spec{"hostname", "ZKAGENT_HOSTNAME", "", "", vt::text, g::identity, "", "",
                 "short host name (default: the system's)"},
    setting_spec{"domain", "ZKAGENT_DOMAIN", "", "", vt::text, g::identity, "", "",
                 "domain of generated member names, an RFC 1123 name (default: as `hostname -d`, from /etc/hosts)"},
    setting_spec{"force-myid", "ZKAGENT_FORCE_MYID", "", "", vt::toggle, g::identity, "false", "",
                 "replace an existing myid file that names another id"},
    // JVM and ZooKeeper installation.
    setting_spec{"heap", "ZOO_HEAP_SIZE", "", "", vt::size, g::jvm, "", "",
                 "JVM heap (-Xmx/-Xms), 32M to 1T and below the memory limit, e.g. 512M; default: half the "
                 "container memory limit, else 1G (2G as start-zookeeper)"},
    setting_spec{"jvm-flags", "JVMFLAGS", "", "", vt::text, g::jvm, "", "",
                 "extra JVM flags, split on spaces without shell quoting, after zkagent's own (an -Xmx here wins)"},
    setting_spec{"log-level", "ZOO_LOG_LEVEL", "", "", vt::level, g::jvm, "INFO", "",
                 "ZooKeeper's console log level"},
    setting_spec{"java", "ZKAGENT_JAVA", "", "", vt::text, g::jvm, "", "",
                 "java to run, a path or a name on PATH (default: $JAVA_HOME/bin/java, else java on PATH)"},
    setting_spec{"zookeeper-home", "ZOOKEEPER_HOME", "", "", vt::path, g::jvm, "", "",
                 "upstream ZooKeeper release folder (lib/*.jar); default: the Debian package"},
    setting_spec{"exec", "ZKAGENT_EXEC", "", "", vt::toggle, g::jvm, "false", "",
                 "replace zkagent with the JVM instead of supervising it"},
    setting_spec{"uid", "ZKAGENT_UID", "", "", vt::number, g::jvm, "1000", "",
                 "user to run ZooKeeper as when started as root (0: stay root)", 0, 4'294'967'294},
    setting_spec{"gid", "ZKAGENT_GID", "", "", vt::number, g::jvm, "1000", "",
                 "group to run ZooKeeper as when started as root", 0, 4'294'967'294},
    // Files.
    setting_spec{"config-template", "ZKAGENT_CONFIG_TEMPLATE", "", "", vt::path, g::files, "", "",
                 "a zoo.cfg whose keys are used below env and flags (e.g. a ConfigMap)"},
    setting_spec{"cfg-extra", "ZOO_CFG_EXTRA", "", "", vt::text, g::files, "", "",
                 "extra zoo.cfg lines, 'key=value key=value'"},
    setting_spec{"overwrite-config", "ZKAGENT_OVERWRITE_CONFIG", "", "", vt::toggle, g::files, "false", "",
                 "replace a zoo.cfg that zkagent did not write"},
    setting_spec{"keep-config", "ZKAGENT_KEEP_CONFIG", "", "", vt::toggle, g::files, "false", "",
                 "use an existing zoo.cfg as it is (myid goes to its dataDir; logging configs and java.env are still written)"},
    // The agent itself.
    setting_spec{"agent-log-level", "ZKAGENT_LOG_LEVEL", "", "", vt::level, g::agent, "info", "",
                 "zkagent's own log level (trace, debug, info, warn, error)"},
    setting_spec{"health-port", "ZKAGENT_HEALTH_PORT", "", "", vt::port, g::agent, "", "",
                 "serve HTTP /livez /readyz /metrics /status on this port beside ZooKeeper (default: off)", 1,
                 65535},
    setting_spec{"health-address", "ZKAGENT_HEALTH_ADDRESS", "", "", vt::text, g::agent, "0.0.0.0", "",
                 "numeric address the health endpoint binds, e.g. 0.0.0.0 (all IPv4), :: (all), 127.0.0.1"},
    setting_spec{"strict", "ZKAGENT_STRICT", "", "", vt::toggle, g::agent, "false", "",
                 "every warning about the settings is an error (exit 2): unknown variables, typos, overrides"},
    setting_spec{"cache-window", "ZKAGENT_CACHE_WINDOW", "", "", vt::text, g::agent, "1s", "",
                 "the health endpoint reuses a four-letter word's answer this long: 500ms, 1s, 2.5s"},
};

// Bitnami's names for zkagent's settings, from its libzookeeper.sh (docs/compatibility.md).
struct bitnami_alias {
  std::string_view setting;
  std::string_view env;
};
constexpr std::array bitnami_aliases{
    bitnami_alias{"client-port", "ZOO_PORT_NUMBER"},
    bitnami_alias{"admin-server-enabled", "ZOO_ENABLE_ADMIN_SERVER"},
    bitnami_alias{"admin-server-port", "ZOO_ADMIN_SERVER_PORT_NUMBER"},
    bitnami_alias{"quorum-listen-on-all-ips", "ZOO_LISTEN_ALLIPS_ENABLED"},
    bitnami_alias{"snap-retain-count", "ZOO_AUTOPURGE_RETAIN_COUNT"},
    bitnami_alias{"purge-interval", "ZOO_AUTOPURGE_INTERVAL"},
    bitnami_alias{"myid", "ZOO_SERVER_ID"},
};

constexpr std::array partly_honoured{
    // Bitnami refuses to start with it unless ZOO_ENABLE_AUTH=yes; zkagent sets up no SASL.
    partly_honoured_variable{"ALLOW_ANONYMOUS_LOGIN", true,
                             "zkagent configures no client authentication (SASL), so clients connect without logging "
                             "in; only ALLOW_ANONYMOUS_LOGIN=yes describes what runs"},
    partly_honoured_variable{"ZOO_ENABLE_PROMETHEUS_METRICS", false,
                             "the Prometheus metrics provider (zookeeper-prometheus-metrics and its simpleclient jars) "
                             "is not in Debian's zookeeper package; zkagent's /metrics (--health-port) serves mntr "
                             "in Prometheus' format instead"},
};

}  // namespace

std::span<const setting_spec> all_settings() { return specs; }

std::string_view bitnami_name(const setting_spec& spec) {
  for (const auto& alias : bitnami_aliases) {
    if (alias.setting == spec.name) return alias.env;
  }
  return {};
}

std::vector<std::string_view> env_names(const setting_spec& spec) {
  std::vector<std::string_view> names;
  for (const auto name : {spec.env, spec.env_alias, bitnami_name(spec)}) {
    if (!name.empty()) names.push_back(name);
  }
  return names;
}

std::span<const partly_honoured_variable> partly_honoured_variables() { return partly_honoured; }

const setting_spec* find_setting(std::string_view name) {
  for (const auto& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const setting_spec* find_setting_by_env(std::string_view env_name) {
  // No allocation: every exec probe asks this for each variable of its environment.
  if (env_name.empty()) return nullptr;
  for (const auto& spec : specs) {
    if (spec.env == env_name || spec.env_alias == env_name) return &spec;
  }
  for (const auto& alias : bitnami_aliases) {
    if (alias.env == env_name) return find_setting(alias.setting);
  }
  return nullptr;
}

const setting_spec* find_setting_by_cfg_key(std::string_view cfg_key) {
  for (const auto& spec : specs) {
    if (!cfg_key.empty() && spec.cfg_key == cfg_key) return &spec;
  }
  return nullptr;
}

std::string_view default_for(const setting_spec& spec, invocation how) {
  if (how == invocation::start_zookeeper && !spec.tutorial_default.empty()) return spec.tutorial_default;
  return spec.default_value;
}

}  // namespace zkagent::entrypoint
