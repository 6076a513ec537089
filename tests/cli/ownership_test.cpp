// The trust boundary between a root zkagent and the ZooKeeper user (uid 1000), with the real binary:
// folders that must never be handed over (exit 2, nothing created or changed), a kept zoo.cfg and its
// folder left to their owner, and the write check before the JVM (exit 73) as uid 1000 and as root.
// As root (CI is): these tests change owners and mount in private mount namespaces.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cli_fixture.hpp"

namespace zkagent::cli_tests {
namespace {

namespace fs = std::filesystem;
using testing::minimal_env;
using testing::read_file;

constexpr int cannot_create = 73;  // common/exit_codes.hpp: exit_code::cannot_create

#define REQUIRE_ROOT() ASSERT_EQ(::geteuid(), 0U) << "run the CLI tests as root (CI does): they check owners"

std::string owner_and_mode(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return "missing";
  return std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid) + " " + std::to_string(st.st_mode & 07777);
}

// Every entry below root with its owner and mode: what "nothing created or changed" compares.
std::map<std::string, std::string> owners_below(const std::string& root) {
  std::map<std::string, std::string> out{{root, owner_and_mode(root)}};
  for (const auto& e : fs::recursive_directory_iterator(root)) out[e.path().string()] = owner_and_mode(e.path().string());
  return out;
}

void chown_to(const std::string& path, uid_t uid, gid_t gid, mode_t mode) {
  ASSERT_EQ(::chown(path.c_str(), uid, gid), 0) << path;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0) << path;
}

class ownership : public cli_test {};

// `config` and `start` as root for uid 1000: each folder setting that is /, a system folder (however
// spelt, or through a root-placed link), or that holds zkagent or ZooKeeper is refused before
// anything is created, with a message naming the setting, the value and why.
TEST_F(ownership, FoldersThatMustNeverBeHandedOverAreRefusedBeforeAnythingIsWritten) {
  REQUIRE_ROOT();
  const auto home = fake_zookeeper_home();
  fs::create_directory_symlink("/etc", at("etc-link"));
  const auto binary_folder = fs::path(ZKAGENT_BINARY).parent_path().string();
  struct row {
    std::string name;
    std::vector<std::string> flags;
    env_vars env;
    std::string expected;  // in the message
    std::string watched;   // its owner must not change
  };
  auto env_with = [&](const std::string& k, const std::string& v) {
    auto env = minimal_env();
    env[k] = v;
    return env;
  };
  const std::vector<row> rows{
      {"data dir /etc", {"--data-dir=/etc"}, minimal_env(), "--data-dir='/etc': refused: it is the system folder /etc", "/etc"},
      {"log dir //var/lib/ through its variable", {}, env_with("ZOO_LOG_DIR", "//var/lib/"),
       "ZOO_LOG_DIR='//var/lib': refused: it is the system folder /var/lib", "/var/lib"},
      {"data log dir /tmp/../usr", {"--data-log-dir=/tmp/../usr"}, minimal_env(), "it is the system folder /usr", "/usr"},
      {"a root-placed link to /etc", {"--data-dir=" + at("etc-link")}, minimal_env(),
       "it is the system folder /etc (it leads to /etc)", "/etc"},
      {"conf dir holding the binary", {"--conf-dir=" + binary_folder}, minimal_env(),
       "it holds the zkagent binary", binary_folder},
      {"data dir holding ZooKeeper", {"--data-dir=" + home + "/"}, minimal_env(), "it holds the ZooKeeper installation",
       home},
  };
  for (const auto& command_name : {"config", "start"}) {
    for (const auto& r : rows) {
      SCOPED_TRACE(std::string(command_name) + ": " + r.name);
      const auto before = owners_below(root());
      const auto watched_before = owner_and_mode(r.watched);
      std::vector<std::string> args{command_name};
      for (const auto& f : dir_flags()) {
        if (r.env.size() == minimal_env().size() || !f.starts_with("--log-dir=")) args.push_back(f);  // the variable's row
      }
      for (const auto& f : r.flags) args.push_back(f);  // later flags win
      for (const auto& f : {"--java=" + fake_java(), "--zookeeper-home=" + home, std::string("--dns-wait=0")}) args.push_back(f);
      auto env = r.env;
      const auto result = zkagent(args, env);
      EXPECT_EQ(result.exit_code, 2) << result.err;
      EXPECT_TRUE(contains(result.err, r.expected)) << result.err;
      EXPECT_TRUE(contains(result.err, "uid 1000")) << result.err;
      EXPECT_EQ(owner_and_mode(r.watched), watched_before);
      EXPECT_FALSE(java_ran());
      // fake_java() rewrites its script; otherwise nothing below the temp root was created or changed.
      auto after = owners_below(root());
      after.erase(at("fake-java"));
      auto expected = before;
      expected.erase(at("fake-java"));
      EXPECT_EQ(after, expected);
    }
  }
}

// --keep-config: zoo.cfg is the user's, and so is its folder: neither is handed over (the conf walk
// used to chown the kept zoo.cfg to uid 1000). The files zkagent writes there are, each by itself.
TEST_F(ownership, AKeptZooCfgAndItsFolderKeepTheirOwner) {
  REQUIRE_ROOT();
  testing::write_file(zoo_cfg(), "dataDir=" + data() + "\ntickTime=2000\n");
  chown_to(conf(), 0, 0, 0755);
  chown_to(zoo_cfg(), 0, 0, 0644);
  const auto r = command("config", {"--keep-config"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(owner_and_mode(zoo_cfg()), "0:0 420");  // 0644
  EXPECT_EQ(owner_and_mode(conf()), "0:0 493");     // 0755
  EXPECT_EQ(owner_and_mode(conf() + "/log4j.properties").substr(0, 9), "1000:1000");
  EXPECT_EQ(owner_and_mode(data()).substr(0, 9), "1000:1000");
}

// A kept zoo.cfg only root can change may name any dataDir, but not a system folder: refused (exit 2)
// naming the kept file's key, and the folder keeps its owner.
TEST_F(ownership, AKeptZooCfgNamingASystemFolderIsRefused) {
  REQUIRE_ROOT();
  testing::write_file(zoo_cfg(), "dataDir=/var/lib/\ntickTime=2000\n");
  chown_to(root(), 0, 0, 0755);
  chown_to(conf(), 0, 0, 0755);
  chown_to(zoo_cfg(), 0, 0, 0644);
  const auto before = owner_and_mode("/var/lib");
  auto env = minimal_env();
  env["ZOO_MY_ID"] = "1";
  const auto r = command("config", {"--keep-config", "--hostname=zoo1", "--domain=example.internal"}, env);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "the kept zoo.cfg (" + zoo_cfg() + ")'s dataDir='/var/lib': refused: it is the system folder /var/lib"))
      << r.err;
  EXPECT_EQ(owner_and_mode("/var/lib"), before);
  EXPECT_FALSE(testing::exists("/var/lib/myid"));
}

// The four folders made ready for uid 1000 except data, left root's with mode 0755.
void folders_for_uid_1000_but_data(const std::string& root, const std::vector<std::string>& others,
                                   const std::string& data) {
  chown_to(root, 0, 0, 0755);
  for (const auto& f : others) {
    fs::create_directories(f);
    chown_to(f, 1000, 1000, 0755);
  }
  fs::create_directories(data);
  chown_to(data, 0, 0, 0755);
}

// As the Helm chart runs it (uid 1000 from the start): a data folder it cannot write stops `start`
// with exit 73 and one line naming the folder, its owner and mode, the uid and the fix; no JVM.
TEST_F(ownership, StartAsUid1000WithARootOwnedDataFolderExits73WithoutAJvm) {
  REQUIRE_ROOT();
  const auto java = fake_java();
  const auto home = fake_zookeeper_home();
  folders_for_uid_1000_but_data(root(), {conf(), data_log(), logs()}, data());
  std::vector<std::string> argv{"/usr/bin/setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", ZKAGENT_BINARY, "start"};
  for (const auto& f : dir_flags()) argv.push_back(f);
  for (const auto& f : {"--java=" + java, "--zookeeper-home=" + home, std::string("--dns-wait=0")}) argv.push_back(f);
  const auto r = testing::run(argv, minimal_env());
  EXPECT_EQ(r.exit_code, cannot_create) << r.err;
  EXPECT_TRUE(contains(r.err, "cannot write " + data())) << r.err;
  EXPECT_TRUE(contains(r.err, "owned by 0:0 with mode 0755")) << r.err;
  EXPECT_TRUE(contains(r.err, "uid 1000")) << r.err;
  EXPECT_TRUE(contains(r.err, "chown -R 1000:1000 " + data())) << r.err;
  EXPECT_TRUE(contains(r.err, "securityContext.fsGroup")) << r.err;
  EXPECT_FALSE(contains(r.err, "Exception")) << r.err;
  EXPECT_FALSE(java_ran());
}

// As root for uid 1000, with the data folder on a read-only bind mount (in the child's own mount
// namespace): the hand-over leaves it, and the write check as uid 1000 stops `start` with exit 73.
TEST_F(ownership, StartAsRootWithAReadOnlyDataFolderExits73WithoutAJvm) {
  REQUIRE_ROOT();
  const auto java = fake_java();
  const auto home = fake_zookeeper_home();
  chown_to(root(), 0, 0, 0755);
  fs::create_directories(data());
  chown_to(data(), 1000, 1000, 0755);  // uid 1000's, but read-only
  std::vector<std::string> argv{"/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                                "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift && exec \"$@\"",
                                "sh", data(), ZKAGENT_BINARY, "start"};
  for (const auto& f : dir_flags()) argv.push_back(f);
  for (const auto& f : {"--java=" + java, "--zookeeper-home=" + home, std::string("--dns-wait=0")}) argv.push_back(f);
  const auto r = testing::run(argv, minimal_env());
  EXPECT_EQ(r.exit_code, cannot_create) << r.err;
  EXPECT_TRUE(contains(r.err, "cannot write " + data())) << r.err;
  EXPECT_TRUE(contains(r.err, "read-only file system")) << r.err;
  EXPECT_TRUE(contains(r.err, "owned by 1000:1000 with mode 0755")) << r.err;
  EXPECT_TRUE(contains(r.err, "uid 1000")) << r.err;
  EXPECT_FALSE(java_ran());
}

}  // namespace
}  // namespace zkagent::cli_tests
