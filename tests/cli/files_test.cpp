// What lands on disk: a second identical run changes nothing (same bytes, same inodes, every
// file "unchanged"); `zkagent myid` writes only myid, idempotently, and refuses a mismatch; a
// zoo.cfg left by another entrypoint is never replaced silently.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "cli_fixture.hpp"

namespace zkagent::cli_tests {
namespace {

namespace fs = std::filesystem;
using testing::minimal_env;
using testing::read_file;
using testing::snapshot_tree;

std::map<std::string, ino_t> inodes(const std::string& root) {
  std::map<std::string, ino_t> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) out[entry.path().string()] = inode_of(entry.path().string());
  }
  return out;
}

// The summary lines of `config`: "  <path>   <outcome>".
std::map<std::string, std::string> outcomes(const std::string& out) {
  std::map<std::string, std::string> result;
  for (const auto& line : testing::lines_of(out)) {
    if (!line.starts_with("  /")) continue;
    const auto gap = line.find(' ', 2);
    const auto outcome = line.find_first_not_of(' ', gap);
    if (gap == std::string::npos || outcome == std::string::npos) continue;
    result[line.substr(2, gap - 2)] = line.substr(outcome);
  }
  return result;
}

class files : public cli_test {
 protected:
  [[nodiscard]] std::vector<std::string> statefulset() const {
    return {"--servers=3", "--hostname=zk-1", std::string("--domain=") + tutorial_domain};
  }
  // An explicit id, host name and domain given too, so the host's own never matter.
  static std::vector<std::string> with_id(const std::string& id, std::vector<std::string> more = {}) {
    std::vector<std::string> args{"--myid=" + id, "--hostname=zoo", "--domain=example.internal"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
};

TEST_F(files, ASecondConfigRunChangesNothing) {
  const auto first = command("config", statefulset());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto first_outcomes = outcomes(first.out);
  ASSERT_EQ(first_outcomes.size(), 5U) << first.out;
  for (const auto& [path, outcome] : first_outcomes) {
    EXPECT_EQ(outcome, "created") << path;
  }
  const auto bytes = snapshot_tree(root());
  const auto nodes = inodes(root());

  const auto second = command("config", statefulset());
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto second_outcomes = outcomes(second.out);
  ASSERT_EQ(second_outcomes.size(), first_outcomes.size()) << second.out;
  for (const auto& [path, outcome] : second_outcomes) {
    EXPECT_TRUE(first_outcomes.contains(path)) << path;
    EXPECT_EQ(outcome, "unchanged") << path;
  }
  EXPECT_EQ(snapshot_tree(root()), bytes);
  EXPECT_EQ(inodes(root()), nodes);
  EXPECT_EQ(second.err, "");
}

TEST_F(files, AChangedSettingReplacesOnlyTheFilesItAffects) {
  ASSERT_EQ(command("config", statefulset()).exit_code, 0);
  const auto myid_inode = inode_of(myid_file());
  auto args = statefulset();
  args.emplace_back("--tick-time=3000");
  const auto r = command("config", args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = outcomes(r.out);
  EXPECT_EQ(result.at(zoo_cfg()), "replaced");
  EXPECT_EQ(result.at(myid_file()), "unchanged");
  EXPECT_EQ(result.at(conf() + "/log4j.properties"), "unchanged");
  EXPECT_EQ(inode_of(myid_file()), myid_inode);
  EXPECT_EQ(parse_cfg(read_file(zoo_cfg())).at("tickTime"), "3000");
}

TEST_F(files, MyidCommandWritesOnlyMyid) {
  const auto r = command("myid", with_id("3"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "created")) << r.out;
  EXPECT_EQ(myid_value(myid_file()), "3");
  const auto tree = snapshot_tree(root());
  ASSERT_EQ(tree.size(), 1U) << "more than myid was written";
  EXPECT_TRUE(tree.contains(myid_file()));
  EXPECT_FALSE(testing::exists(zoo_cfg()));
}

TEST_F(files, MyidCommandIsIdempotent) {
  ASSERT_EQ(command("myid", statefulset()).exit_code, 0);
  EXPECT_EQ(myid_value(myid_file()), "2");
  const auto before = inode_of(myid_file());
  const auto again = command("myid", statefulset());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "unchanged")) << again.out;
  EXPECT_EQ(inode_of(myid_file()), before);
  EXPECT_EQ(myid_value(myid_file()), "2");
}

TEST_F(files, MyidCommandRefusesAMismatch) {
  ASSERT_EQ(command("myid", with_id("3")).exit_code, 0);
  const auto before = snapshot_tree(root());
  const auto r = command("myid", with_id("4"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--force-myid")) << r.err;
  EXPECT_TRUE(contains(r.err, myid_file())) << r.err;
  EXPECT_EQ(snapshot_tree(root()), before);

  const auto forced = command("myid", with_id("4", {"--force-myid"}));
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(myid_value(myid_file()), "4");
}

TEST_F(files, MyidCommandAgreesWithConfig) {
  ASSERT_EQ(command("myid", statefulset()).exit_code, 0);
  const auto r = command("config", statefulset());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(outcomes(r.out).at(myid_file()), "unchanged");
}

// zk-01 is no StatefulSet name: it is not read as ordinal 1 (id 2) but takes the id of the entry naming
// it, and the output says where the id came from; with no such entry nothing is written.
TEST_F(files, AZeroPaddedHostNameTakesTheIdItsEntryHas) {
  const std::vector<std::string> padded{"--hostname=zk-01", "--domain=example.internal",
                                        "--server-list=zk-01:2888:3888,zk-02:2888:3888,zk-03:2888:3888"};
  for (const auto* name : {"myid", "config"}) {
    SCOPED_TRACE(name);
    const auto r = command(name, padded);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(myid_value(myid_file()), "1");
    EXPECT_TRUE(contains(r.out + r.err, "server.1 in --server-list, which names this host zk-01")) << r.out << r.err;
  }
  const auto before = snapshot_tree(root());
  const auto r = command("config", {"--hostname=zk-04", "--domain=example.internal",
                                    "--server-list=zk-01:2888:3888,zk-02:2888:3888,zk-03:2888:3888"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "no member in --server-list names it")) << r.err;
  EXPECT_EQ(snapshot_tree(root()), before);
}

// The official image's entrypoint left a zoo.cfg: zkagent does not replace it silently.
TEST_F(files, AZooCfgFromAnotherEntrypointIsRefused) {
  const std::string theirs = "dataDir=" + data() + "\ntickTime=2000\nserver.1=localhost:2888:3888;2181\n";
  testing::write_file(zoo_cfg(), theirs);
  const auto before = snapshot_tree(root());
  auto env = minimal_env();
  env["ZOO_MY_ID"] = "1";
  const auto r = command("config", {"--hostname=zoo1", "--domain=example.internal"}, env);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  for (const auto* flag : {"--overwrite-config", "--keep-config", "--config-template"}) {
    EXPECT_TRUE(contains(r.err, flag)) << r.err;
  }
  EXPECT_EQ(snapshot_tree(root()), before);

  const auto kept = command("config", {"--hostname=zoo1", "--domain=example.internal", "--keep-config"}, env);
  EXPECT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_EQ(read_file(zoo_cfg()), theirs);
  EXPECT_EQ(myid_value(myid_file()), "1");
  // Kept again: still theirs, byte for byte.
  const auto again = command("config", {"--hostname=zoo1", "--domain=example.internal", "--keep-config"}, env);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_file(zoo_cfg()), theirs);

  const auto replaced = command("config", {"--hostname=zoo1", "--domain=example.internal", "--overwrite-config"}, env);
  EXPECT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_NE(read_file(zoo_cfg()), theirs);
  EXPECT_EQ(parse_cfg(read_file(zoo_cfg())).at("dataDir"), data());
  // Once replaced it is zkagent's: a plain run now works without either flag.
  const auto plain = command("config", {"--hostname=zoo1", "--domain=example.internal"}, env);
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
}

// --keep-config with a zoo.cfg whose dataDir is not --data-dir: ZooKeeper reads myid from the kept
// file's dataDir, so that is where it goes (and nothing is written to --data-dir).
TEST_F(files, KeepConfigWritesMyidIntoTheKeptDataDir) {
  ASSERT_EQ(::geteuid(), 0U) << "run the CLI tests as root (CI does): this one checks the hand-over to uid 1000";
  const auto elsewhere = root() + "/their-data";
  const std::string theirs = "dataDir=" + elsewhere + "\ntickTime=2000\nserver.1=localhost:2888:3888;2181\n";
  testing::write_file(zoo_cfg(), theirs);
  // Something of theirs inside that folder, owned by root: zkagent hands over the folder and myid only.
  testing::write_file(elsewhere + "/theirs/keep-root", "x");
  auto env = minimal_env();
  env["ZOO_MY_ID"] = "1";
  const auto r = command("config", {"--hostname=zoo1", "--domain=example.internal", "--keep-config"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "myid goes to " + elsewhere + " (the kept zoo.cfg's dataDir)")) << r.err;
  EXPECT_EQ(myid_value(elsewhere + "/myid"), "1");
  EXPECT_FALSE(testing::exists(myid_file()));
  EXPECT_EQ(read_file(zoo_cfg()), theirs);
  const auto owner = [](const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 ? st.st_uid : ~0U;
  };
  EXPECT_EQ(owner(elsewhere), 1000U);
  EXPECT_EQ(owner(elsewhere + "/myid"), 1000U);
  EXPECT_EQ(owner(elsewhere + "/theirs"), 0U) << "a kept folder's content was walked";
  EXPECT_EQ(owner(elsewhere + "/theirs/keep-root"), 0U) << "a kept folder's content was walked";
}

// The kept dataDir is read like --data-dir's: a myid there that cannot be read is an error naming it,
// not a fallback to what --data-dir holds.
TEST_F(files, KeepConfigWithAnUnreadableMyidInTheKeptDataDirIsRefused) {
  const auto elsewhere = root() + "/their-data";
  testing::write_file(zoo_cfg(), "dataDir=" + elsewhere + "\ntickTime=2000\n");
  ASSERT_TRUE(std::filesystem::create_directories(elsewhere + "/myid"));  // a folder where the file should be
  testing::write_file(myid_file(), "1\n");
  auto env = minimal_env();
  env["ZOO_MY_ID"] = "1";
  const auto r = command("config", {"--hostname=zoo1", "--domain=example.internal", "--keep-config"}, env);
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, elsewhere + "/myid")) << r.err;
  EXPECT_FALSE(contains(r.out, "unchanged")) << r.out;
}

}  // namespace
}  // namespace zkagent::cli_tests
