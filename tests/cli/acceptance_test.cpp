// The acceptance cases: the Kubernetes tutorial's StatefulSet flags (as `zkagent config`
// and through a `start-zookeeper` link with a recording fake java), the docker-compose
// environment, hand-built MYID/SERVERS images and Bitnami's ZOO_SERVERS form.
#include <unistd.h>

#include <algorithm>

#include "cli_fixture.hpp"

namespace zkagent::cli_tests {
namespace {

using testing::minimal_env;
using testing::read_file;

// The tutorial StatefulSet's command line, verbatim but for the folders, which are moved under
// root (and the undocumented --log_dir, so nothing lands in /var/log).
std::vector<std::string> tutorial_flags(const std::string& root) {
  return {"--servers=3",
          "--data_dir=" + root + "/var/lib/zookeeper/data",
          "--data_log_dir=" + root + "/var/lib/zookeeper/data/log",
          "--conf_dir=" + root + "/opt/zookeeper/conf",
          "--client_port=2181",
          "--election_port=3888",
          "--server_port=2888",
          "--tick_time=2000",
          "--init_limit=10",
          "--sync_limit=5",
          "--heap=512M",
          "--max_client_cnxns=60",
          "--snap_retain_count=3",
          "--purge_interval=12",
          "--max_session_timeout=40000",
          "--min_session_timeout=4000",
          "--log_level=INFO",
          "--log_dir=" + root + "/var/log/zookeeper"};
}

// What the tutorial's start-zookeeper writes for pod zk-1, key by key (with the purge key spelled
// right), and the server lines with or without the 3.5+ ";2181" suffix.
void expect_tutorial_zoo_cfg(const std::string& root) {
  const auto text = read_file(root + "/opt/zookeeper/conf/zoo.cfg");
  const auto cfg = parse_cfg(text);
  const std::map<std::string, std::string> expected{
      {"clientPort", "2181"},
      {"dataDir", root + "/var/lib/zookeeper/data"},
      {"dataLogDir", root + "/var/lib/zookeeper/data/log"},
      {"tickTime", "2000"},
      {"initLimit", "10"},
      {"syncLimit", "5"},
      {"maxClientCnxns", "60"},
      {"minSessionTimeout", "4000"},
      {"maxSessionTimeout", "40000"},
      {"autopurge.snapRetainCount", "3"},
      {"autopurge.purgeInterval", "12"},
  };
  for (const auto& [key, value] : expected) {
    SCOPED_TRACE(key);
    ASSERT_TRUE(cfg.contains(key)) << text;
    EXPECT_EQ(cfg.at(key), value);
  }
  EXPECT_FALSE(contains(text, "purgeInteval")) << text;
  for (int id = 1; id <= 3; ++id) {
    SCOPED_TRACE(id);
    const auto key = "server." + std::to_string(id);
    ASSERT_TRUE(cfg.contains(key)) << text;
    const auto member = "zk-" + std::to_string(id - 1) + "." + tutorial_domain + ":2888:3888";
    const auto& value = cfg.at(key);
    EXPECT_TRUE(value == member || value == member + ";2181") << key << "=" << value;
  }
  EXPECT_FALSE(cfg.contains("server.0"));
  EXPECT_FALSE(cfg.contains("server.4"));
  EXPECT_EQ(myid_value(root + "/var/lib/zookeeper/data/myid"), "2");
  const auto java_env = read_file(root + "/opt/zookeeper/conf/java.env");
  EXPECT_TRUE(contains(java_env, "-Xmx512m")) << java_env;
  EXPECT_TRUE(contains(java_env, "-Xms512m")) << java_env;
}

class acceptance : public cli_test {};

TEST_F(acceptance, TutorialFlagsWriteTheTutorialsZooCfgAndMyid) {
  auto args = tutorial_flags(root());
  args.insert(args.begin(), "config");
  args.emplace_back("--hostname=zk-1");
  args.emplace_back(std::string("--domain=") + tutorial_domain);
  const auto r = zkagent(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_tutorial_zoo_cfg(root());
  EXPECT_TRUE(contains(r.out, "id 2, one of 3 members")) << r.out;
}

TEST_F(acceptance, TutorialFlagsAlsoWorkInTheSpaceSeparatedForm) {
  std::vector<std::string> args{"config"};
  for (const auto& flag : tutorial_flags(root())) {
    const auto eq = flag.find('=');
    args.push_back(flag.substr(0, eq));
    args.push_back(flag.substr(eq + 1));
  }
  args.insert(args.end(), {"--hostname", "zk-1", "--domain", tutorial_domain});
  const auto r = zkagent(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_tutorial_zoo_cfg(root());
}

// A `start-zookeeper` link to the binary, in its own folder.
class start_zookeeper_link : public cli_test {
 protected:
  void SetUp() override {
    link_ = link_dir_ / "start-zookeeper";
    ASSERT_EQ(::symlink(ZKAGENT_BINARY, link_.c_str()), 0);
  }
  [[nodiscard]] testing::run_result run_link(const std::vector<std::string>& args,
                                             env_vars env = minimal_env()) const {
    std::vector<std::string> argv{link_};
    argv.insert(argv.end(), args.begin(), args.end());
    // The tutorial's members (zk-N.zk-hs...) do not resolve here: no --dns-wait (tests/dns covers it).
    env.emplace("ZKAGENT_DNS_WAIT", "0");
    return testing::run(argv, env);
  }

  testing::temp_dir link_dir_;
  std::string link_;
};

TEST_F(start_zookeeper_link, HelpShowsTheTutorialScriptsDefaults) {
  const auto r = run_link({"--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Usage: start-zookeeper")) << r.out;
  for (const auto* expected : {"default: /opt/zookeeper/conf", "default: /var/lib/zookeeper/data",
                               "default: /var/lib/zookeeper/log", "default: /var/log/zookeeper"}) {
    EXPECT_TRUE(contains(r.out, expected)) << expected << "\n" << r.out;
  }
  EXPECT_FALSE(contains(r.out, "default: /conf\n")) << r.out;
  // zkagent's own defaults stay as they are.
  const auto own = zkagent({"start", "--help"});
  ASSERT_EQ(own.exit_code, 0) << own.err;
  EXPECT_TRUE(contains(own.out, "default: /conf\n")) << own.out;
  EXPECT_FALSE(contains(own.out, "/opt/zookeeper/conf")) << own.out;
}

TEST_F(start_zookeeper_link, TutorialFlagsWriteTheFilesAndLaunchJava) {
  auto env = minimal_env();
  env["ZKAGENT_JAVA"] = fake_java(0);
  auto args = tutorial_flags(root());
  args.emplace_back("--hostname=zk-1");
  args.emplace_back(std::string("--domain=") + tutorial_domain);
  args.emplace_back("--zookeeper-home=" + fake_zookeeper_home());
  args.emplace_back("--uid=0");
  const auto r = run_link(args, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_tutorial_zoo_cfg(root());

  ASSERT_TRUE(java_ran()) << r.err;
  const auto argv = recorded_java_argv();
  ASSERT_GE(argv.size(), 5U);
  EXPECT_EQ(argv.front(), at("fake-java"));
  const auto has = [&](const std::string& arg) { return std::find(argv.begin(), argv.end(), arg) != argv.end(); };
  EXPECT_TRUE(has("-Xmx512m"));
  EXPECT_TRUE(has("-Xms512m"));
  const auto conf = root() + "/opt/zookeeper/conf";
  const auto cp = std::find(argv.begin(), argv.end(), "-cp");
  ASSERT_NE(cp, argv.end());
  ASSERT_NE(cp + 1, argv.end());
  EXPECT_TRUE((cp + 1)->starts_with(conf + ":")) << *(cp + 1);
  EXPECT_TRUE(contains(*(cp + 1), at("zookeeper-home") + "/lib/zookeeper-3.8.0.jar")) << *(cp + 1);
  EXPECT_EQ(argv[argv.size() - 2], "org.apache.zookeeper.server.quorum.QuorumPeerMain");
  EXPECT_EQ(argv.back(), conf + "/zoo.cfg");
  // JVM flags come before the classpath and the main class.
  const auto xmx = std::find(argv.begin(), argv.end(), "-Xmx512m");
  EXPECT_LT(xmx, cp);
}

TEST_F(start_zookeeper_link, JavasExitStatusIsPassedThrough) {
  auto args = tutorial_flags(root());
  args.emplace_back("--hostname=zk-1");
  args.emplace_back(std::string("--domain=") + tutorial_domain);
  args.emplace_back("--java=" + fake_java(3));
  args.emplace_back("--zookeeper-home=" + fake_zookeeper_home());
  args.emplace_back("--uid=0");
  const auto r = run_link(args);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(java_ran());
}

// As root, ZooKeeper runs as uid 1000 by default: the folders it writes are handed over first.
TEST_F(start_zookeeper_link, AsRootJavaRunsAsTheZooKeeperUser) {
  ASSERT_EQ(::geteuid(), 0U) << "run the CLI tests as root (CI does): this one checks the hand-over to uid 1000";
  ASSERT_EQ(::chmod(root().c_str(), 0755), 0);
  const auto record = at("record");
  ASSERT_EQ(::mkdir(record.c_str(), 0777), 0);
  ASSERT_EQ(::chmod(record.c_str(), 0777), 0);
  auto args = tutorial_flags(root());
  args.emplace_back("--hostname=zk-1");
  args.emplace_back(std::string("--domain=") + tutorial_domain);
  args.emplace_back("--java=" + fake_java(0, record));
  args.emplace_back("--zookeeper-home=" + fake_zookeeper_home());
  const auto r = run_link(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(java_ran()) << r.err;
  EXPECT_EQ(read_file(record + "/java.uid"), "1000\n");
  struct stat st {};
  ASSERT_EQ(::stat((root() + "/var/lib/zookeeper/data").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 1000U);
}

TEST_F(acceptance, DockerComposeEnvironment) {
  auto env = dir_env();
  env["ZOO_MY_ID"] = "2";
  env["ZOO_SERVERS"] = "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181";
  env["ZKAGENT_HOSTNAME"] = "zoo2";
  env["ZKAGENT_DOMAIN"] = "example.internal";
  const auto r = zkagent({"config"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.err, "warning")) << r.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  EXPECT_EQ(cfg.at("server.1"), "zoo1:2888:3888;2181");
  EXPECT_EQ(cfg.at("server.2"), "zoo2:2888:3888;2181");
  EXPECT_EQ(cfg.at("server.3"), "zoo3:2888:3888;2181");
  EXPECT_FALSE(cfg.contains("server.4"));
  EXPECT_EQ(cfg.at("clientPort"), "2181");
  EXPECT_EQ(cfg.at("dataDir"), data());
  EXPECT_EQ(cfg.at("dataLogDir"), data_log());
  EXPECT_EQ(myid_value(myid_file()), "2");
}

TEST_F(acceptance, HandBuiltImageMyidAndServers) {
  auto env = minimal_env();
  env["MYID"] = "2";
  env["SERVERS"] = "zk1,zk2,zk3";
  const auto r = command("config", {"--hostname=zk2", "--domain=example.internal"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  EXPECT_EQ(cfg.at("server.1"), "zk1:2888:3888");
  EXPECT_EQ(cfg.at("server.2"), "zk2:2888:3888");
  EXPECT_EQ(cfg.at("server.3"), "zk3:2888:3888");
  EXPECT_FALSE(cfg.contains("server.4"));
  EXPECT_EQ(myid_value(myid_file()), "2");
}

TEST_F(acceptance, BitnamiServerListWithCommas) {
  auto env = minimal_env();
  env["ZOO_MY_ID"] = "3";
  env["ZOO_SERVERS"] = "zoo1:2888:3888,zoo2:2888:3888,zoo3:2888:3888";
  const auto r = command("config", {"--hostname=zoo3", "--domain=example.internal"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  EXPECT_EQ(cfg.at("server.1"), "zoo1:2888:3888");
  EXPECT_EQ(cfg.at("server.2"), "zoo2:2888:3888");
  EXPECT_EQ(cfg.at("server.3"), "zoo3:2888:3888");
  EXPECT_FALSE(cfg.contains("peerType"));
  EXPECT_EQ(myid_value(myid_file()), "3");
}

TEST_F(acceptance, BitnamiServerListWithIdsAndAnObserver) {
  auto env = minimal_env();
  env["ZOO_MY_ID"] = "13";
  env["ZOO_SERVERS"] = "zoo1:2888:3888::10;zoo2:2888:3888::11 zoo3:2888:3888::12,zoo4:2888:3888:observer::13";
  const auto r = command("config", {"--hostname=zoo4", "--domain=example.internal"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto text = read_file(zoo_cfg());
  const auto cfg = parse_cfg(text);
  EXPECT_EQ(cfg.at("server.10"), "zoo1:2888:3888") << text;
  EXPECT_EQ(cfg.at("server.11"), "zoo2:2888:3888") << text;
  EXPECT_EQ(cfg.at("server.12"), "zoo3:2888:3888") << text;
  EXPECT_EQ(cfg.at("server.13"), "zoo4:2888:3888:observer") << text;
  EXPECT_EQ(cfg.at("peerType"), "observer") << text;
  EXPECT_EQ(myid_value(myid_file()), "13");
}

TEST_F(acceptance, BitnamiMinServerIdAsMyidOffset) {
  auto env = minimal_env();
  env["ZOO_MY_ID_OFFSET"] = "10";
  const auto r = command("config", {"--servers=3", "--hostname=zk-2", std::string("--domain=") + tutorial_domain}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cfg = parse_cfg(read_file(zoo_cfg()));
  for (int ordinal = 0; ordinal < 3; ++ordinal) {
    const auto key = "server." + std::to_string(10 + ordinal);
    ASSERT_TRUE(cfg.contains(key)) << key;
    EXPECT_TRUE(cfg.at(key).starts_with("zk-" + std::to_string(ordinal) + "." + tutorial_domain + ":2888:3888"));
  }
  EXPECT_EQ(myid_value(myid_file()), "12");
}

}  // namespace
}  // namespace zkagent::cli_tests
