#include "entrypoint/zookeeper_keys.hpp"

#include <array>

#include "common/text.hpp"

namespace zkagent::entrypoint {
namespace {

// From the administrator's guide (3.5 to 3.9) and QuorumPeerConfig.
constexpr std::array<std::string_view, 79> known_keys{
    "tickTime", "initLimit", "syncLimit", "dataDir", "dataLogDir", "clientPort", "clientPortAddress",
    "secureClientPort", "secureClientPortAddress", "maxClientCnxns", "maxCnxns", "minSessionTimeout",
    "maxSessionTimeout", "autopurge.snapRetainCount", "autopurge.purgeInterval", "standaloneEnabled",
    "reconfigEnabled", "dynamicConfigFile", "4lw.commands.whitelist", "admin.enableServer", "admin.serverAddress",
    "admin.serverPort", "admin.idleTimeout", "admin.commandURL", "admin.portUnification", "admin.forceHttps",
    "admin.needClientAuth", "quorumListenOnAllIPs", "peerType", "electionAlg", "electionPortBindRetry", "leaderServes",
    "cnxTimeout", "localSessionsEnabled", "localSessionsUpgradingEnabled", "globalOutstandingLimit", "preAllocSize",
    "snapCount", "snapSizeLimitInKb", "txnLogSizeLimitInKb", "commitLogCount", "syncEnabled", "forceSync",
    "fsync.warningthresholdms", "skipACL", "sslQuorum", "sslQuorumReloadCertFiles", "client.portUnification",
    "portUnification", "serverCnxnFactory", "metricsProvider.className", "jute.maxbuffer", "multiAddress.enabled",
    "multiAddress.reachabilityCheckEnabled", "multiAddress.reachabilityCheckTimeoutMs", "quorum.auth.enableSasl",
    "quorum.auth.learnerRequireSasl", "quorum.auth.serverRequireSasl", "quorum.auth.learner.saslLoginContext",
    "quorum.auth.server.saslLoginContext", "quorum.auth.kerberos.servicePrincipal", "quorum.cnxn.threads.size",
    "connectToLearnerMasterLimit", "observerMasterPort", "oraclePath", "audit.enable",
    "sessionRequireClientSASLAuth", "enforce.auth.enabled", "enforce.auth.schemes", "digest.enabled",
    "znode.container.checkIntervalMs", "znode.container.maxPerMinute", "znode.container.maxNeverUsedIntervalMs",
    "clientPortListenBacklog", "learner.asyncSending", "leader.closeSocketAsync", "learner.closeSocketAsync",
    "extendedTypesEnabled", "emulate353TTLNodes"};

// Families whose members are open-ended.
constexpr std::array<std::string_view, 9> known_prefixes{"ssl.",      "authProvider.", "metricsProvider.",
                                                         "zookeeper.", "kerberos.",    "quorum.auth.",
                                                         "admin.",    "server.",      "group."};

}  // namespace

bool is_known_zookeeper_key(std::string_view key) {
  for (const auto known : known_keys) {
    if (known == key) return true;
  }
  for (const auto prefix : known_prefixes) {
    // "admin." and "quorum.auth." are listed in full above; a near miss there is a typo.
    if (prefix == "admin." || prefix == "quorum.auth.") continue;
    if (key.starts_with(prefix) && key.size() > prefix.size()) return true;
  }
  if (key.starts_with("weight.")) return true;
  return false;
}

std::optional<std::string> suggest_zookeeper_key(std::string_view key) {
  return text::closest(key, known_keys);
}

}  // namespace zkagent::entrypoint
