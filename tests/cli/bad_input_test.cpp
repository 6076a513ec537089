// Every bad input: exit 2, a message naming the flag or variable, the bad value and what is
// expected; no JVM started; the conf and data tree written by an earlier good run left
// byte-identical. Each case runs as `config` and as `start` (with a recording fake java).
#include <algorithm>
#include <filesystem>

#include "cli_fixture.hpp"

namespace zkagent::cli_tests {
namespace {

using testing::minimal_env;
using testing::read_file;
using testing::snapshot_tree;

// The members of the prepared tree: pod zk-1 of a 3-member StatefulSet, myid 2.
const std::vector<std::string> generated_members{"--servers=3"};

struct bad_case {
  std::string name;
  std::vector<std::string> args;      // after the folders, hostname and domain; "@T" is the temp root
  env_vars env;                       // added to the minimal environment; "@T" as above
  std::vector<std::string> expected;  // all must appear on stderr; "@T" as above
};

std::ostream& operator<<(std::ostream& out, const bad_case& c) { return out << c.name; }

const std::string three_members = "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181";

std::vector<bad_case> bad_cases() {
  const auto servers = [](std::string list) { return env_vars{{"ZOO_MY_ID", "2"}, {"ZOO_SERVERS", std::move(list)}}; };
  return {
      // Numbers: not numbers, out of range, in flag and env form.
      {"FlagNotANumber", {"--servers=3", "--tick-time=abc"}, {}, {"--tick-time", "'abc'", "expected a whole number"}},
      {"EnvNotANumber", {"--servers=3"}, {{"ZOO_TICK_TIME", "abc"}}, {"ZOO_TICK_TIME", "'abc'", "expected a whole number"}},
      {"FlagNegative", {"--servers=3", "--max-client-cnxns=-1"}, {}, {"--max-client-cnxns", "'-1'", "expected a whole number"}},
      {"FlagAboveRange", {"--servers=3", "--init-limit=100001"}, {}, {"--init-limit", "'100001'", "from 1 to 100000"}},
      {"EnvBelowRange", {"--servers=3"}, {{"ZOO_SYNC_LIMIT", "0"}}, {"ZOO_SYNC_LIMIT", "'0'", "from 1 to 100000"}},
      {"FlagOverflows64Bits", {"--servers=3", "--tick-time=99999999999999999999999"}, {},
       {"--tick-time", "'99999999999999999999999'", "expected a whole number"}},
      {"EnvMyidAbove255", {"--servers=3"}, {{"ZOO_MY_ID", "256"}}, {"ZOO_MY_ID", "'256'", "from 1 to 255"}},
      {"EnvNumberWithSpaces", {"--servers=3"}, {{"ZOO_INIT_LIMIT", "1 0"}}, {"ZOO_INIT_LIMIT", "'1 0'", "expected a whole number"}},
      {"ZooTickTimeAbc", {"--servers=3"}, {{"ZOO_TICK_TIME", "abc"}}, {"ZOO_TICK_TIME='abc'"}},
      // Ports.
      {"FlagPortZero", {"--servers=3", "--client-port=0"}, {}, {"--client-port", "'0'", "port number from 1 to 65535"}},
      {"FlagPort65536", {"--servers=3", "--client-port=65536"}, {}, {"--client-port", "'65536'", "port number from 1 to 65535"}},
      {"EnvPortZero", {"--servers=3"}, {{"ZOO_ELECTION_PORT", "0"}}, {"ZOO_ELECTION_PORT", "'0'", "port number from 1 to 65535"}},
      {"EnvPort65536", {"--servers=3"}, {{"ZOO_ADMINSERVER_PORT", "65536"}}, {"ZOO_ADMINSERVER_PORT", "'65536'", "port number from 1 to 65535"}},
      {"ClientPortCollidesWithAdminServer", {"--servers=3", "--client-port=8080"}, {}, {"client port", "AdminServer port", "8080"}},
      {"QuorumPortCollidesWithElectionPort", {"--servers=3", "--server-port=3888"}, {}, {"quorum port", "election port", "3888"}},
      {"ClientPortCollidesWithQuorumPort", {"--servers=3", "--client-port=2888"}, {}, {"client port", "quorum port", "2888"}},
      // Members.
      {"ServersZero", {"--servers=0"}, {}, {"--servers", "'0'", "from 1 to 255"}},
      {"ServersAbove255", {"--servers=256"}, {}, {"--servers", "'256'", "from 1 to 255"}},
      {"MembersGivenTwice", {"--servers=3", "--server-list=" + three_members}, {}, {"--servers", "--server-list", "use one"}},
      {"OwnOrdinalBeyondTheEnsemble", {"--servers=3", "--hostname=zk-3"}, {}, {"id 4", "not in the server list", "ids 1, 2, 3"}},
      {"ZooServersMissingElectionPort", {}, servers("server.1=zoo1:2888;2181 server.2=zoo2:2888:3888;2181"),
       {"ZOO_SERVERS", "server.1=zoo1:2888;2181", "host:quorumPort:electionPort"}},
      {"ZooServersPortOutOfRange", {}, servers("server.1=zoo1:2888:65536 server.2=zoo2:2888:3888"),
       {"ZOO_SERVERS", "server.1=zoo1:2888:65536", "1 to 65535"}},
      {"ZooServersIdNotANumber", {}, servers("server.x=zoo1:2888:3888 server.2=zoo2:2888:3888"),
       {"ZOO_SERVERS", "server.x=zoo1:2888:3888", "whole number from 1 to 255"}},
      {"ZooServersIdZero", {}, servers("server.0=zoo1:2888:3888 server.2=zoo2:2888:3888"),
       {"ZOO_SERVERS", "server.0=zoo1:2888:3888", "whole number from 1 to 255"}},
      {"ZooServersUnknownRole", {}, servers("server.1=zoo1:2888:3888:leader server.2=zoo2:2888:3888"),
       {"ZOO_SERVERS", "'leader'", "participant or observer"}},
      {"ZooServersBadClientPort", {}, servers("server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;99999"),
       {"ZOO_SERVERS", "server.2=zoo2:2888:3888;99999", "1 to 65535"}},
      {"ZooServersEmptyHost", {}, servers("server.1=:2888:3888 server.2=zoo2:2888:3888"),
       {"ZOO_SERVERS", "server.1=:2888:3888", "host name"}},
      {"BitnamiEntryMissingElectionPort", {}, servers("zoo1:2888,zoo2:2888:3888"),
       {"ZOO_SERVERS", "'zoo1:2888'", "host:quorumPort:electionPort"}},
      {"DuplicateServerIds", {}, servers("server.1=zoo1:2888:3888 server.1=zoo2:2888:3888 server.2=zoo3:2888:3888"),
       {"ZOO_SERVERS", "server id 1", "more than once"}},
      {"OwnIdMissingFromTheList", {}, servers("server.1=zoo1:2888:3888 server.3=zoo3:2888:3888 server.4=zoo4:2888:3888"),
       {"id 2", "ZOO_MY_ID", "not in the server list", "ids 1, 3, 4", "ZOO_SERVERS"}},
      {"OwnIdMissingFromServersHosts", {}, {{"MYID", "4"}, {"SERVERS", "zk1,zk2,zk3"}},
       {"id 4", "MYID", "not in the server list", "SERVERS"}},
      // Timeouts.
      {"MinSessionTimeoutAboveMax", {"--servers=3", "--min-session-timeout=50000", "--max-session-timeout=40000"}, {},
       {"--min-session-timeout", "--max-session-timeout", "50000", "40000", "min <= max"}},
      {"MinSessionTimeoutAboveDerivedMax", {"--servers=3", "--tick-time=100", "--min-session-timeout=4000"}, {},
       {"--min-session-timeout", "4000", "2000", "20 x tick-time"}},
      // Control characters would inject zoo.cfg lines.
      {"NewlineInFlag", {"--servers=3", "--4lw-commands-whitelist=ruok,srvr\nserver.9=evil:1:2"}, {},
       {"--4lw-commands-whitelist", "ruok,srvr\\nserver.9=evil:1:2", "control character"}},
      {"NewlineInEnv", {"--servers=3"}, {{"ZOO_ADMINSERVER_ADDRESS", "0.0.0.0\nserver.9=evil:1:2"}},
       {"ZOO_ADMINSERVER_ADDRESS", "0.0.0.0\\nserver.9=evil:1:2", "control character"}},
      // ZOO_CFG_EXTRA and --cfg-extra split on newlines as on spaces (the official image does): each
      // entry is checked, a server line among them is refused, a control byte in one is refused.
      {"ServerLineAfterANewlineInZooCfgExtra", {"--servers=3"},
       {{"ZOO_CFG_EXTRA", "autopurge.purgeInterval=1\nserver.9=evil:1:2"}},
       {"ZOO_CFG_EXTRA sets server.9", "list members with ZOO_SERVERS"}},
      {"ServerLineAfterANewlineInCfgExtraFlag", {"--servers=3", "--cfg-extra=syncEnabled=true\nserver.9=evil:1:2"}, {},
       {"--cfg-extra sets server.9", "list members with ZOO_SERVERS"}},
      {"EscapeInZooCfgExtraValue", {"--servers=3"}, {{"ZOO_CFG_EXTRA", "syncEnabled=true\x1b[2J"}},
       {"ZOO_CFG_EXTRA syncEnabled='true\\x1b[2J'", "control character"}},
      {"EscapeInCfgExtraKey", {"--servers=3", "--cfg-extra=sync\x1b[2JEnabled=true"}, {},
       {"--cfg-extra key 'sync\\x1b[2JEnabled'", "control character"}},
      // The command line itself.
      {"UnknownFlag", {"--servers=3", "--tick-tim=1"}, {}, {"unknown option --tick-tim", "did you mean --tick-time"}},
      {"UnknownFlagWithTheTutorialsTypo", {"--servers=3", "--purge_inteval=1"}, {},
       {"--purge-inteval", "did you mean --purge-interval"}},
      {"StrayPositionalArgument", {"--servers=3", "stray"}, {}, {"unexpected argument", "'stray'"}},
      {"FlagWithoutItsValue", {"--servers=3", "--tick-time"}, {}, {"--tick-time"}},
      {"RelativeDataDirFlag", {"--servers=3", "--data-dir=var/lib/zookeeper"}, {},
       {"--data-dir", "'var/lib/zookeeper'", "absolute path"}},
      {"RelativeConfDirTutorialSpelling", {"--servers=3", "--conf_dir=conf"}, {}, {"--conf-dir", "'conf'", "absolute path"}},
      {"RelativeZookeeperHomeEnv", {"--servers=3"}, {{"ZOOKEEPER_HOME", "opt/zookeeper"}},
       {"ZOOKEEPER_HOME", "'opt/zookeeper'", "absolute path"}},
      {"RelativeTemplateEnv", {"--servers=3"}, {{"ZKAGENT_CONFIG_TEMPLATE", "zoo.cfg"}},
       {"ZKAGENT_CONFIG_TEMPLATE", "'zoo.cfg'", "absolute path"}},
      // Other value types.
      {"BooleanNotABoolean", {"--servers=3"}, {{"ZOO_STANDALONE_ENABLED", "maybe"}}, {"ZOO_STANDALONE_ENABLED", "'maybe'", "true or false"}},
      {"UnknownLogLevel", {"--servers=3", "--log-level=LOUD"}, {}, {"--log-level", "'LOUD'", "INFO"}},
      {"HeapNotASize", {"--servers=3"}, {{"ZOO_HEAP_SIZE", "abc"}}, {"ZOO_HEAP_SIZE", "'abc'", "memory size"}},
      {"HeapFlagNotASize", {"--servers=3", "--heap=lots"}, {}, {"--heap", "'lots'", "memory size"}},
      {"OverwriteAndKeepConfig", {"--servers=3", "--overwrite-config", "--keep-config"}, {},
       {"--overwrite-config", "--keep-config"}},
      // <VAR>_FILE.
      {"VarAndVarFileBothSet", {"--servers=3"}, {{"ZOO_TICK_TIME", "2000"}, {"ZOO_TICK_TIME_FILE", "@T/tick-time"}},
       {"ZOO_TICK_TIME", "ZOO_TICK_TIME_FILE", "both set"}},
      {"VarFileNamesAMissingFile", {"--servers=3"}, {{"ZOO_MY_ID_FILE", "@T/no-such-file"}},
       {"ZOO_MY_ID_FILE", "@T/no-such-file", "does not exist"}},
      {"VarFileNamesAFolder", {"--servers=3"}, {{"ZOO_MY_ID_FILE", "@T/data"}}, {"ZOO_MY_ID_FILE", "@T/data"}},
      // Files on disk.
      {"TemplateMissing", {"--servers=3", "--config-template=@T/no-such-template.cfg"}, {},
       {"--config-template", "@T/no-such-template.cfg", "does not exist"}},
      {"TemplateIsAFolder", {"--servers=3", "--config-template=@T/data"}, {}, {"--config-template", "@T/data"}},
      {"TemplateLineWithoutValue", {"--servers=3", "--config-template=@T/broken-template.cfg"}, {},
       {"@T/broken-template.cfg", "line 2", "'thisIsNoKeyValue'", "key=value"}},
      {"ZooCfgExtraEntryWithoutValue", {"--servers=3"}, {{"ZOO_CFG_EXTRA", "syncEnabled=true justAWord"}},
       {"ZOO_CFG_EXTRA", "'justAWord'", "key=value"}},
      {"ZooCfgExtraSetsAServer", {"--servers=3"}, {{"ZOO_CFG_EXTRA", "server.9=evil:2888:3888"}},
       {"ZOO_CFG_EXTRA", "server.9", "ZOO_SERVERS"}},
      // Inputs ZooKeeper cannot use (issue 12): refused here, not in the JVM or the DNS wait.
      {"DomainWithASpaceAndAPort", {"--servers=3", "--domain=zk-hs x:1"}, {}, {"--domain='zk-hs x:1'", "RFC 1123"}},
      {"DomainWithAnEmptyLabel", {"--servers=3", "--domain=zk-0..zk-hs"}, {}, {"--domain='zk-0..zk-hs'", "empty label"}},
      {"DomainWithA70CharacterLabel", {"--servers=3", "--domain=" + std::string(70, 'a') + ".svc"}, {},
       {"--domain=", "70 characters long"}},
      {"ClientAddressBracketedColon", {"--servers=3", "--client-port-address=[:]"}, {},
       {"--client-port-address='[:]'", "brackets hold only an IPv6 address"}},
      {"AdminAddressNotAnAddress", {"--servers=3"}, {{"ZOO_ADMINSERVER_ADDRESS", "not an address"}},
       {"ZOO_ADMINSERVER_ADDRESS='not an address'", "expected a numeric IPv4 address"}},
      {"HeapBeyondAnyMachine", {"--servers=3", "--heap=99999999999G"}, {}, {"--heap='99999999999G'", "from 32M to 1T"}},
      {"DynamicConfigFileEmpty", {"--servers=3", "--cfg-extra=dynamicConfigFile="}, {}, {"dynamicConfigFile=''", "it is empty"}},
      {"DynamicConfigFileRelative", {"--servers=3"}, {{"ZOO_CFG_EXTRA", "dynamicConfigFile=zoo.cfg.dynamic"}},
       {"dynamicConfigFile='zoo.cfg.dynamic'", "not an absolute path"}},
      {"DynamicConfigFileIsZooCfg", {"--servers=3", "--cfg-extra=dynamicConfigFile=@T/conf/zoo.cfg"}, {},
       {"'zoo.cfg' is a file zkagent writes itself"}},
      {"DynamicConfigFileIsMyid", {"--servers=3", "--cfg-extra=dynamicConfigFile=@T/data/myid"}, {},
       {"'myid' is a file zkagent writes itself"}},
      {"JvmFlagsTokenThatIsNoOption", {"--servers=3"}, {{"JVMFLAGS", "-Xss1m foo"}},
       {"JVMFLAGS='-Xss1m foo'", "'foo' is not a JVM option"}},
      {"ZeroPaddedOrdinalNotInTheList", {"--hostname=zk-01", "--server-list=zk-1:2888:3888,zk-2:2888:3888,zk-3:2888:3888"}, {},
       {"'zk-01' ends in a zero-padded number", "no member in --server-list names it"}},
      {"ExplicitIdContradictsTheList", {"--servers=3"}, {{"ZOO_MY_ID", "3"}},
       {"server.2 in --servers names this host", "this member's id is 3 (from ZOO_MY_ID)"}},
      {"StrictWithAWhitelistWithoutRuok", {"--servers=3", "--strict", "--4lw-commands-whitelist=srvr,mntr"}, {},
       {"lacks ruok", "an error with --strict"}},
  };
}

class bad_input : public cli_test, public ::testing::WithParamInterface<std::tuple<std::string, bad_case>> {
 protected:
  void SetUp() override {
    java_ = fake_java(0);
    home_ = fake_zookeeper_home();
    testing::write_file(at("tick-time"), "2000\n");
    testing::write_file(at("broken-template.cfg"), "tickTime=2000\nthisIsNoKeyValue\n");
    const auto first = command("config", base_args(generated_members));
    ASSERT_EQ(first.exit_code, 0) << first.err;
    ASSERT_EQ(myid_value(myid_file()), "2");
    before_ = snapshot_tree(root());
    ASSERT_GE(before_.size(), 6U);
  }

  [[nodiscard]] std::vector<std::string> base_args(const std::vector<std::string>& extra) const {
    std::vector<std::string> args{"--hostname=zk-1", std::string("--domain=") + tutorial_domain};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  [[nodiscard]] std::string fill(const std::string& text) const { return replace_all(text, "@T", root()); }

  // Runs the case as `command`; `start` gets the fake java and home through the environment, so
  // a case's own variables can still replace them.
  testing::run_result run_case(const std::string& name, const bad_case& c) {
    auto env = minimal_env();
    if (name == "start") {
      env["ZKAGENT_JAVA"] = java_;
      env["ZOOKEEPER_HOME"] = home_;
      env["ZKAGENT_UID"] = "0";
      env["ZKAGENT_GID"] = "0";
      env["ZKAGENT_DNS_WAIT"] = "0";  // member names here do not resolve; tests/dns covers the wait
    }
    for (const auto& [k, v] : c.env) env[k] = fill(v);
    std::vector<std::string> args;
    for (const auto& a : c.args) args.push_back(fill(a));
    return command(name, base_args(args), env);
  }

  void expect_refused(const testing::run_result& r, const std::vector<std::string>& expected) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    for (const auto& e : expected) {
      EXPECT_TRUE(contains(r.err, fill(e))) << "missing '" << fill(e) << "' in:\n" << r.err;
    }
    EXPECT_TRUE(contains(r.err, "error")) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_FALSE(java_ran()) << "a JVM was started";
    EXPECT_EQ(snapshot_tree(root()), before_) << "the tree changed";
  }

  std::string java_, home_;
  std::map<std::string, std::string> before_;
};

TEST_P(bad_input, ExitsTwoNamesTheProblemAndChangesNothing) {
  const auto& [name, c] = GetParam();
  expect_refused(run_case(name, c), c.expected);
}

INSTANTIATE_TEST_SUITE_P(cases, bad_input,
                         ::testing::Combine(::testing::Values("config", "start"), ::testing::ValuesIn(bad_cases())),
                         [](const auto& p) { return std::get<0>(p.param) + "_" + std::get<1>(p.param).name; });

// The fixture for single-scenario refusals: a prepared tree, and a run per command.
class refusal : public bad_input {};

TEST_P(refusal, AllErrorsAreReportedInOneRun) {
  const auto& [name, unused] = GetParam();
  const bad_case c{"", {"--servers=3", "--tick-time=abc", "--client-port=0"}, {{"ZOO_SYNC_LIMIT", "xyz"}}, {}};
  expect_refused(run_case(name, c), {"--tick-time='abc'", "--client-port='0'", "ZOO_SYNC_LIMIT='xyz'"});
}

TEST_P(refusal, UnknownFlagsAndStrayArgumentsAreAllReported) {
  const auto& [name, unused] = GetParam();
  const bad_case c{"", {"--servers=3", "--tick-tim=1", "--sync-limt=2", "stray"}, {}, {}};
  expect_refused(run_case(name, c), {"--tick-tim", "--sync-limt", "'stray'"});
}

TEST_P(refusal, ADuplicateOwnIdIsNotAlsoReportedAsAPortCollision) {
  const auto& [name, unused] = GetParam();
  const bad_case c{"", {}, {{"ZOO_MY_ID", "2"}, {"ZOO_SERVERS", "server.1=zoo1:2888:3888 server.2=zoo2:2888:3888 server.2=zoo3:2888:3888"}}, {}};
  const auto r = run_case(name, c);
  expect_refused(r, {"server id 2", "more than once"});
  EXPECT_FALSE(contains(r.err, "are both")) << r.err;
}

TEST_P(refusal, AnExistingMyidWithAnotherIdIsRefusedUntilForced) {
  const auto& [name, unused] = GetParam();
  const bad_case other{"", {"--servers=3", "--hostname=zk-0"}, {}, {}};
  expect_refused(run_case(name, other), {myid_file(), "id 2", "id 1", "--force-myid"});

  const bad_case forced{"", {"--servers=3", "--hostname=zk-0", "--force-myid"}, {}, {}};
  const auto r = run_case(name, forced);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(myid_value(myid_file()), "1");
  EXPECT_EQ(java_ran(), name == "start");
}

TEST_P(refusal, AForeignZooCfgIsRefusedUnlessKeptOrOverwritten) {
  const auto& [name, unused] = GetParam();
  const std::string foreign = "# written by hand\ntickTime=3000\ndataDir=" + data() + "\nclientPort=2181\n";
  testing::write_file(zoo_cfg(), foreign);
  before_ = snapshot_tree(root());
  const bad_case plain{"", {"--servers=3"}, {}, {}};
  expect_refused(run_case(name, plain), {zoo_cfg(), "--overwrite-config", "--keep-config", "--config-template"});

  // --keep-config: zoo.cfg stays byte-identical, myid is still written.
  std::filesystem::remove(myid_file());
  const bad_case keep{"", {"--servers=3", "--keep-config"}, {}, {}};
  const auto kept = run_case(name, keep);
  EXPECT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_EQ(read_file(zoo_cfg()), foreign);
  EXPECT_EQ(myid_value(myid_file()), "2");

  // --overwrite-config: zkagent's zoo.cfg replaces it.
  const bad_case overwrite{"", {"--servers=3", "--overwrite-config"}, {}, {}};
  const auto replaced = run_case(name, overwrite);
  EXPECT_EQ(replaced.exit_code, 0) << replaced.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  EXPECT_EQ(cfg.at("tickTime"), "2000");
  EXPECT_EQ(cfg.at("dataDir"), data());
  EXPECT_TRUE(cfg.contains("server.3"));
  EXPECT_TRUE(contains(replaced.err, "--overwrite-config")) << replaced.err;
}

TEST_P(refusal, KeepConfigWithoutAZooCfgIsRefused) {
  const auto& [name, unused] = GetParam();
  std::filesystem::remove(zoo_cfg());
  before_ = snapshot_tree(root());
  const bad_case keep{"", {"--servers=3", "--keep-config"}, {}, {}};
  expect_refused(run_case(name, keep), {"--keep-config", zoo_cfg()});
}

TEST_P(refusal, AnEvenEnsembleOnlyWarns) {
  const auto& [name, unused] = GetParam();
  const bad_case even{"", {"--servers=4"}, {}, {}};
  const auto r = run_case(name, even);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "warning")) << r.err;
  EXPECT_TRUE(contains(r.err, "4 voting members")) << r.err;
  EXPECT_TRUE(parse_cfg(read_file(zoo_cfg())).contains("server.4"));
}

INSTANTIATE_TEST_SUITE_P(commands, refusal,
                         ::testing::Combine(::testing::Values("config", "start"), ::testing::Values(bad_case{})),
                         [](const auto& p) { return std::get<0>(p.param); });

}  // namespace
}  // namespace zkagent::cli_tests
