// The environment: near-miss variable names warn, Kubernetes service links do not, <VAR>_FILE
// reads values (and never echoes them), and --config-template sits below env and flags.
#include <filesystem>

#include "cli_fixture.hpp"

namespace zkagent::cli_tests {
namespace {

using testing::minimal_env;
using testing::read_file;

class environment : public cli_test {
 protected:
  // A valid 3-member StatefulSet run as pod zk-1 plus extra variables.
  testing::run_result config_with(const env_vars& extra, const std::vector<std::string>& args = {"--servers=3"}) {
    auto env = minimal_env();
    for (const auto& [k, v] : extra) env[k] = v;
    std::vector<std::string> all{"--hostname=zk-1", std::string("--domain=") + tutorial_domain};
    all.insert(all.end(), args.begin(), args.end());
    return command("config", all, env);
  }
};

// ---- near misses --------------------------------------------------------------------------

struct near_miss {
  std::string name;
  env_vars env;
  std::vector<std::string> expected;
};

std::ostream& operator<<(std::ostream& out, const near_miss& c) { return out << c.name; }

class near_misses : public environment, public ::testing::WithParamInterface<near_miss> {};

TEST_P(near_misses, WarnAndStillSucceed) {
  const auto& c = GetParam();
  const auto r = config_with(c.env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& e : c.expected) {
    EXPECT_TRUE(contains(r.err, e)) << "missing '" << e << "' in:\n" << r.err;
  }
  EXPECT_TRUE(contains(r.err, "warning")) << r.err;
  // The misspelled variable is not used: the id still comes from the host name.
  EXPECT_EQ(myid_value(myid_file()), "2");
}

INSTANTIATE_TEST_SUITE_P(
    cases, near_misses,
    ::testing::Values(
        near_miss{"ZerosForOs", {{"Z00_MY_ID", "1"}}, {"Z00_MY_ID", "did you mean ZOO_MY_ID"}},
        near_miss{"MissingUnderscore", {{"ZOO_MYID", "1"}}, {"ZOO_MYID", "did you mean ZOO_MY_ID"}},
        near_miss{"TypoInTickTime", {{"ZOO_TICKTIME", "3000"}}, {"ZOO_TICKTIME", "did you mean ZOO_TICK_TIME"}},
        near_miss{"UnknownZooCfgExtraKey", {{"ZOO_CFG_EXTRA", "autopurge.purgeInteval=1"}},
                  {"autopurge.purgeInteval", "did you mean autopurge.purgeInterval"}}),
    [](const auto& p) { return p.param.name; });

TEST_F(environment, UnknownCfgExtraKeyIsStillWrittenForZooKeeper) {
  const auto r = config_with({{"ZOO_CFG_EXTRA", "autopurge.purgeInteval=1"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  EXPECT_EQ(cfg.at("autopurge.purgeInterval"), "0");
}

TEST_F(environment, KubernetesServiceLinksCauseNoWarning) {
  const auto r = config_with({{"ZOO_PORT", "tcp://10.0.0.1:2181"},
                              {"ZOO_PORT_2181_TCP", "tcp://10.0.0.1:2181"},
                              {"ZOO_PORT_2181_TCP_ADDR", "10.0.0.1"},
                              {"ZOO_PORT_2181_TCP_PORT", "2181"},
                              {"ZOO_PORT_2181_TCP_PROTO", "tcp"},
                              {"ZOO_SERVICE_HOST", "10.0.0.1"},
                              {"ZOO_SERVICE_PORT", "2181"},
                              {"ZOO_SERVICE_PORT_CLIENT", "2181"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.err, "did you mean")) << r.err;
  EXPECT_FALSE(contains(r.err, "ZOO_PORT")) << r.err;
  EXPECT_FALSE(contains(r.err, "ZOO_SERVICE")) << r.err;
  EXPECT_EQ(parse_cfg(read_file(zoo_cfg())).at("clientPort"), "2181");
}

// ---- Bitnami's variables, unknown variables, --strict -------------------------------------

TEST_F(environment, BitnamisVariablesReachZooCfg) {
  const auto r = config_with({{"ZOO_AUTOPURGE_INTERVAL", "1"},
                              {"ZOO_AUTOPURGE_RETAIN_COUNT", "5"},
                              {"ZOO_PORT_NUMBER", "2182"},
                              {"ZOO_MAX_CNXNS", "500"},
                              {"ZOO_LISTEN_ALLIPS_ENABLED", "yes"},
                              {"ZOO_ADMIN_SERVER_PORT_NUMBER", "9090"},
                              {"ZOO_RECONFIG_ENABLED", "no"},
                              {"ALLOW_ANONYMOUS_LOGIN", "yes"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.err, "is not used")) << r.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  EXPECT_EQ(cfg.at("autopurge.purgeInterval"), "1");
  EXPECT_EQ(cfg.at("autopurge.snapRetainCount"), "5");
  EXPECT_EQ(cfg.at("clientPort"), "2182");
  EXPECT_EQ(cfg.at("maxCnxns"), "500");
  EXPECT_EQ(cfg.at("quorumListenOnAllIPs"), "true");
  EXPECT_EQ(cfg.at("admin.serverPort"), "9090");
  EXPECT_EQ(cfg.at("reconfigEnabled"), "false");
}

TEST_F(environment, WhatCannotBeHonouredIsRefusedByNameAndNothingIsWritten) {
  for (const env_vars& extra : {env_vars{{"ZOO_ENABLE_PROMETHEUS_METRICS", "yes"}},
                                env_vars{{"ALLOW_ANONYMOUS_LOGIN", "no"}},
                                env_vars{{"ZOO_AUTOPURGE_PURGEINTERVAL", "24"}, {"ZOO_AUTOPURGE_INTERVAL", "1"}}}) {
    const auto& name = extra.rbegin()->first;
    SCOPED_TRACE(name);
    const auto r = config_with(extra);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, name)) << r.err;
    EXPECT_FALSE(testing::exists(zoo_cfg()));
    EXPECT_FALSE(testing::exists(myid_file()));
  }
}

TEST_F(environment, UnknownPrefixedVariablesWarnAndStrictMakesThemExitTwo) {
  const env_vars unknown{{"ZOO_ENABLE_AUTH", "yes"}};
  const auto warned = config_with(unknown);
  ASSERT_EQ(warned.exit_code, 0) << warned.err;  // a typo warning never fails a start without --strict
  EXPECT_TRUE(contains(warned.err, "ZOO_ENABLE_AUTH is not used")) << warned.err;
  std::filesystem::remove(zoo_cfg());
  std::filesystem::remove(myid_file());

  auto strict_env = unknown;
  strict_env["ZKAGENT_STRICT"] = "true";
  for (const auto& [label, r] : {std::pair{"ZKAGENT_STRICT", config_with(strict_env)},
                                 std::pair{"--strict", config_with(unknown, {"--servers=3", "--strict"})}}) {
    SCOPED_TRACE(label);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "ZOO_ENABLE_AUTH is not used")) << r.err;
    EXPECT_TRUE(contains(r.err, "--strict")) << r.err;
    EXPECT_FALSE(testing::exists(zoo_cfg()));
    EXPECT_FALSE(testing::exists(myid_file()));
  }
  const auto clean = config_with({{"ZKAGENT_STRICT", "true"}});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;  // strict with nothing to warn about
}

// ---- <VAR>_FILE ---------------------------------------------------------------------------

TEST_F(environment, MyidFromAFileWithATrailingNewline) {
  testing::write_file(at("myid-secret"), "3\n");
  auto env = minimal_env();
  env["ZOO_MY_ID_FILE"] = at("myid-secret");
  env["ZOO_SERVERS"] = "server.1=zoo1:2888:3888 server.2=zoo2:2888:3888 server.3=zoo3:2888:3888";
  const auto r = command("config", {"--hostname=zoo3", "--domain=example.internal"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(myid_value(myid_file()), "3");
  EXPECT_TRUE(contains(r.out, "id 3, one of 3 members")) << r.out;
}

TEST_F(environment, MyidCommandReadsTheFileToo) {
  testing::write_file(at("myid-secret"), "7\n");
  auto env = minimal_env();
  env["ZOO_MY_ID_FILE"] = at("myid-secret");
  const auto r = command("myid", {"--hostname=zoo7", "--domain=example.internal"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(myid_value(myid_file()), "7");
}

TEST_F(environment, CfgExtraFromAFile) {
  testing::write_file(at("extra"), "syncEnabled=true autopurge.purgeInterval=6\n");
  const auto r = config_with({{"ZOO_CFG_EXTRA_FILE", at("extra")}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  EXPECT_EQ(cfg.at("syncEnabled"), "true");
  EXPECT_EQ(cfg.at("autopurge.purgeInterval"), "6");
}

struct secret_case {
  std::string name;
  std::string variable;  // VAR; the test sets VAR_FILE
  std::string content;   // holds "s3cret"
  std::string expected;  // on stderr besides VAR_FILE
};

std::ostream& operator<<(std::ostream& out, const secret_case& c) { return out << c.name; }

class secrets : public environment, public ::testing::WithParamInterface<secret_case> {};

TEST_P(secrets, AnInvalidValueFromAFileIsNeverEchoed) {
  const auto& c = GetParam();
  testing::write_file(at("secret"), c.content);
  const auto r = config_with({{c.variable + "_FILE", at("secret")}});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, c.variable + "_FILE")) << r.err;
  EXPECT_TRUE(contains(r.err, c.expected)) << r.err;
  EXPECT_FALSE(contains(r.err, "s3cret")) << r.err;
  EXPECT_FALSE(contains(r.out, "s3cret")) << r.out;
  EXPECT_FALSE(testing::exists(zoo_cfg()));
}

INSTANTIATE_TEST_SUITE_P(
    cases, secrets,
    ::testing::Values(secret_case{"TickTime", "ZOO_TICK_TIME", "s3cret-abc\n", "expected a whole number"},
                      secret_case{"TickTimeWithAControlCharacter", "ZOO_TICK_TIME", "s3cret\x01" "abc",
                                  "control character"},
                      secret_case{"Myid", "ZOO_MY_ID", "s3cret-abc\n", "expected a whole number"},
                      secret_case{"Heap", "ZOO_HEAP_SIZE", "s3cret-abc\n", "memory size"},
                      secret_case{"ClientPort", "ZOO_CLIENT_PORT", "s3cret-abc\n", "port number"},
                      secret_case{"CfgExtraEntryWithoutValue", "ZOO_CFG_EXTRA", "s3cret-abc\n", "key=value"},
                      secret_case{"CfgExtraWithAControlCharacter", "ZOO_CFG_EXTRA", "ssl.keyStore.password=s3cret\x01\nx=y",
                                  "control character"}),
    [](const auto& p) { return p.param.name; });

// A member list from a file: its parse errors quote entries, so they are replaced by one that names
// the variable and the expected form, never the content.
TEST_F(environment, AnInvalidMemberListFromAFileIsNeverEchoed) {
  for (const auto& [variable, content] : std::vector<std::pair<std::string, std::string>>{
           {"ZOO_SERVERS", "server.1=s3cret-host:2888 server.2=b:2888:3888\n"},
           {"SERVERS", "zk-0,s3cret!host,zk-2\n"}}) {
    SCOPED_TRACE(variable);
    testing::write_file(at("secret"), content);
    const auto r = config_with({{variable + "_FILE", at("secret")}}, {});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, variable + "=(value from " + variable + "_FILE): not a valid member list (1 problem, not shown"))
        << r.err;
    EXPECT_FALSE(contains(r.err, "s3cret")) << r.err;
    EXPECT_FALSE(contains(r.out, "s3cret")) << r.out;
    EXPECT_FALSE(testing::exists(zoo_cfg()));
  }
}

// ---- --config-template --------------------------------------------------------------------

class config_template : public environment {
 protected:
  void SetUp() override {
    testing::write_file(template_path(), "# a ConfigMap\ntickTime=3000\nsyncLimit=7\nglobalOutstandingLimit=2000\n"
                                         "server.1=tpl1:2888:3888\nserver.2=tpl2:2888:3888\nserver.3=tpl3:2888:3888\n");
  }
  [[nodiscard]] std::string template_path() const { return at("template.cfg"); }

  testing::run_result config(const env_vars& extra, const std::vector<std::string>& args) {
    auto env = minimal_env();
    env["ZOO_MY_ID"] = "2";
    for (const auto& [k, v] : extra) env[k] = v;
    std::vector<std::string> all{"--hostname=tpl2", "--domain=example.internal"};
    all.insert(all.end(), args.begin(), args.end());
    return command("config", all, env);
  }
};

TEST_F(config_template, KeysAreUsedWhenNothingElseSetsThem) {
  const auto r = config({}, {"--config-template=" + template_path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  EXPECT_EQ(cfg.at("tickTime"), "3000");
  EXPECT_EQ(cfg.at("syncLimit"), "7");
  EXPECT_EQ(cfg.at("globalOutstandingLimit"), "2000");
  // The template's server lines are the members when nothing else names them.
  EXPECT_EQ(cfg.at("server.1"), "tpl1:2888:3888");
  EXPECT_EQ(cfg.at("server.2"), "tpl2:2888:3888");
  EXPECT_EQ(cfg.at("server.3"), "tpl3:2888:3888");
  // Derived from the template's tickTime, like ZooKeeper would.
  EXPECT_EQ(cfg.at("minSessionTimeout"), "6000");
  EXPECT_EQ(cfg.at("maxSessionTimeout"), "60000");
}

TEST_F(config_template, EnvWinsOverTheTemplate) {
  const auto r = config({{"ZOO_TICK_TIME", "4000"}}, {"--config-template=" + template_path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  EXPECT_EQ(cfg.at("tickTime"), "4000");
  EXPECT_EQ(cfg.at("syncLimit"), "7");
}

TEST_F(config_template, FlagWinsOverEnvAndTemplate) {
  const auto r = config({{"ZOO_TICK_TIME", "4000"}, {"ZKAGENT_CONFIG_TEMPLATE", template_path()}}, {"--tick-time=5000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  EXPECT_EQ(cfg.at("tickTime"), "5000");
  EXPECT_EQ(cfg.at("syncLimit"), "7");
}

TEST_F(config_template, NamedMembersReplaceTheTemplatesServerLines) {
  const auto r = config({{"ZOO_SERVERS", "server.1=zoo1:2888:3888 server.2=zoo2:2888:3888 server.3=zoo3:2888:3888"}},
                        {"--config-template=" + template_path(), "--hostname=zoo2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  EXPECT_EQ(cfg.at("server.2"), "zoo2:2888:3888");
  EXPECT_EQ(cfg.at("tickTime"), "3000");
}

TEST_F(config_template, AMissingTemplateIsNamed) {
  const auto missing = at("no-such.cfg");
  const auto r = config({}, {"--config-template=" + missing});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--config-template")) << r.err;
  EXPECT_TRUE(contains(r.err, missing)) << r.err;
  EXPECT_FALSE(testing::exists(zoo_cfg()));
}

TEST_F(config_template, AnUnreadableTemplateIsNamed) {
  // A folder cannot be read as a file, even by root.
  const auto folder = at("template-folder");
  testing::write_file(folder + "/placeholder", "");
  const auto r = config({{"ZKAGENT_CONFIG_TEMPLATE", folder}}, {});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, folder)) << r.err;
  EXPECT_FALSE(testing::exists(zoo_cfg()));
}

}  // namespace
}  // namespace zkagent::cli_tests
