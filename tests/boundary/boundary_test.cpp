// The trust boundary, tested as an attacker would. zkagent usually runs as root and writes into
// folders that uid 1000 (the ZooKeeper user) owns after the first run. Between two root runs, uid 1000
// (setpriv, or a forked child that setuid()s) plants what it can in the four folders: links to a
// root-only secret, FIFOs, hard links, huge files, folders, a folder swapped for a link (also while
// the root run walks it), a zoo.cfg naming a dynamicConfigFile outside. The second root run (the real
// binary: config, start with a fake java, myid) must refuse with exit 2 and a message naming the path
// and what it is, change nothing inside when it refuses, and never create, change or chown anything
// outside the four folders, nor print the secret.
// Then inputs as kubelet mounts them (key -> ..data/key, ..data swapped atomically), FIFOs and devices
// named as inputs (refused, never waited on), 100 runs at once (one writer at a time), and
// --keep-config pointers from a zoo.cfg uid 1000 can change.
//
// Layout, as the Kubernetes tutorial has it: <w>/conf, <w>/data, the data log folder inside the data
// folder (<w>/data/log), and the log folder in a folder uid 1000 owns (<w>/home/logs), so that uid
// 1000 can replace both with links. <w> itself is root's. Outside: <w>/../outside, root's, holding a
// 0600 secret, a file root:1000 0660 (uid 1000 may hard-link it: protected_hardlinks lets a user link
// a file it can read and write), a file uid 1000 owns, and a folder.
//
// They switch users, so they run as root with setpriv (util-linux); without either they fail saying so.
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "entrypoint/ownership.hpp"
#include "test_support.hpp"

namespace zkagent::boundary_tests {
namespace {

namespace fs = std::filesystem;
using testing::run_result;
using inventory = std::map<std::string, std::string>;
using namespace std::chrono_literals;

constexpr uid_t zk_uid = 1000;
constexpr gid_t zk_gid = 1000;
constexpr const char* setpriv = "/usr/bin/setpriv";
const std::string secret_text = "TOP-SECRET-boundary-5e1f9c";
const std::string domain = "zk-hs.default.svc.cluster.local";

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// One entry's facts: type, mode, owner, size, times, and its content (regular files, first 64 KiB,
// read without following a link or opening anything else) or its link target. Any change made by
// anyone shows in it: a chown or chmod changes ctime, a new or removed name a folder's mtime.
std::string facts_of(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return "missing";
  std::string out = "mode=" + std::to_string(st.st_mode) + " uid=" + std::to_string(st.st_uid) +
                    " gid=" + std::to_string(st.st_gid) + " size=" + std::to_string(st.st_size) +
                    " nlink=" + std::to_string(st.st_nlink) + " mtime=" + std::to_string(st.st_mtim.tv_sec) + "." +
                    std::to_string(st.st_mtim.tv_nsec) + " ctime=" + std::to_string(st.st_ctim.tv_sec) + "." +
                    std::to_string(st.st_ctim.tv_nsec);
  if (S_ISLNK(st.st_mode)) {
    std::error_code ec;
    out += " -> " + fs::read_symlink(path, ec).string();
  } else if (S_ISREG(st.st_mode)) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      std::string content(64 * 1024, '\0');
      const auto n = ::read(fd, content.data(), content.size());
      ::close(fd);
      content.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
      out += " content=" + content;
    }
  }
  return out;
}

// Every entry at and below root (links not followed).
inventory inventory_of(const std::string& root) {
  inventory out;
  out[root] = facts_of(root);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    out[it->path().string()] = facts_of(it->path().string());
  }
  return out;
}

// The names that differ between two inventories, for a readable failure.
std::string differences(const inventory& before, const inventory& after) {
  std::string out;
  for (const auto& [path, facts] : before) {
    const auto it = after.find(path);
    if (it == after.end()) out += "  removed: " + path + "\n";
    else if (it->second != facts) out += "  changed: " + path + "\n    before: " + facts + "\n    after:  " + it->second + "\n";
  }
  for (const auto& [path, facts] : after) {
    if (!before.contains(path)) out += "  created: " + path + " (" + facts + ")\n";
  }
  return out;
}

bool is_temp_name(const std::string& path) {
  static const std::regex temp_name(R"(\..+\.zkagent-[0-9]+-[0-9a-f]{8})");
  return std::regex_match(fs::path(path).filename().string(), temp_name);
}

std::vector<std::string> temp_files(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
    if (is_temp_name(entry.path().string())) out.push_back(entry.path().string());
  }
  return out;
}

void write_owned(const std::string& path, const std::string& content, mode_t mode, uid_t uid, gid_t gid) {
  testing::write_file(path, content);
  ASSERT_EQ(::chmod(path.c_str(), mode), 0) << path;
  ASSERT_EQ(::chown(path.c_str(), uid, gid), 0) << path;
}

// One installation: the four folders under <w>, and what the runs use.
struct world {
  std::string w, outside;
  [[nodiscard]] std::string conf() const { return w + "/conf"; }
  [[nodiscard]] std::string data() const { return w + "/data"; }
  [[nodiscard]] std::string data_log() const { return w + "/data/log"; }
  [[nodiscard]] std::string home() const { return w + "/home"; }
  [[nodiscard]] std::string logs() const { return w + "/home/logs"; }
  [[nodiscard]] std::string record() const { return w + "/record"; }

  // A member of a 3-member StatefulSet (id 2); zkagent hands the folders to uid 1000 (its default).
  [[nodiscard]] std::vector<std::string> flags() const {
    return {"--conf-dir=" + conf(), "--data-dir=" + data(), "--data-log-dir=" + data_log(), "--log-dir=" + logs(),
            "--hostname=zk-1",     "--domain=" + domain,   "--servers=3"};
  }
  // `start` with a java that only records that it ran, and as whom (it runs as uid 1000).
  [[nodiscard]] std::vector<std::string> start_flags() const {
    return {"--java=" + w + "/bin/java", "--zookeeper-home=" + w + "/zookeeper", "--dns-wait=0"};
  }
  [[nodiscard]] bool java_ran() const { return testing::exists(record() + "/java.uid"); }
};

class boundary : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0U) << "the boundary tests run zkagent as root and act as uid 1000 between runs: run them "
                                  "as root";
    ASSERT_EQ(::access(setpriv, X_OK), 0) << setpriv << " is missing (util-linux): the tests act as uid 1000 through it";
    ASSERT_TRUE(testing::exists(ZKAGENT_BINARY)) << ZKAGENT_BINARY;
    ASSERT_EQ(::chmod(tmp_.path().c_str(), 0755), 0);  // mkdtemp makes it 0700: uid 1000 must traverse it
    outside_ = tmp_ / "outside";
    fs::create_directories(outside_ + "/dir");
    ::chmod(outside_.c_str(), 0755);
    write_owned(outside_ + "/secret", secret_text + "\n", 0600, 0, 0);
    write_owned(outside_ + "/group-rw", "tickTime=1\n", 0660, 0, zk_gid);
    write_owned(outside_ + "/zk-owned", "zk\n", 0600, zk_uid, zk_gid);
    write_owned(outside_ + "/dir/inside", "inside\n", 0644, 0, 0);
  }

  // A fresh installation <tmp>/<name>, root's, with the fake java and ZooKeeper home.
  world make_world(const std::string& name) {
    world wd{tmp_ / name, outside_};
    fs::create_directories(wd.w + "/bin");
    fs::create_directories(wd.home());
    fs::create_directories(wd.record());
    EXPECT_EQ(::chown(wd.home().c_str(), zk_uid, zk_gid), 0);
    EXPECT_EQ(::chown(wd.record().c_str(), zk_uid, zk_gid), 0);
    testing::write_file(wd.w + "/bin/java", "#!/bin/sh\nid -u > '" + wd.record() + "/java.uid'\nexit 0\n");
    ::chmod((wd.w + "/bin/java").c_str(), 0755);
    testing::write_file(wd.w + "/zookeeper/lib/zookeeper-3.8.0.jar", "");
    return wd;
  }

  // Runs the real binary as root, bounded; the secret must never be printed.
  static run_result root_run(const std::string& command, const std::vector<std::string>& args,
                             const testing::env_vars& env = testing::minimal_env(),
                             std::chrono::milliseconds deadline = 30s) {
    std::vector<std::string> argv{ZKAGENT_BINARY, command};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = testing::run(argv, env, deadline);
    EXPECT_FALSE(r.timed_out) << command << " hit its deadline";
    EXPECT_FALSE(contains(r.out, secret_text)) << "the secret reached stdout:\n" << r.out;
    EXPECT_FALSE(contains(r.err, secret_text)) << "the secret reached stderr:\n" << r.err;
    return r;
  }

  static run_result run_in(const world& wd, const std::string& command, std::vector<std::string> more = {}) {
    auto args = wd.flags();
    if (command == "start") {
      const auto start = wd.start_flags();
      args.insert(args.end(), start.begin(), start.end());
    }
    args.insert(args.end(), more.begin(), more.end());
    return root_run(command, args);
  }

  // A shell script run as uid 1000 (no supplementary groups), with $C $D $L $G $O set to the conf,
  // data, data log and log folders and the outside folder.
  static run_result as_zk(const world& wd, const std::string& script) {
    const auto vars = "C='" + wd.conf() + "' D='" + wd.data() + "' L='" + wd.data_log() + "' G='" + wd.logs() +
                      "' O='" + wd.outside + "'; set -e; ";
    return testing::run({setpriv, "--reuid=1000", "--regid=1000", "--clear-groups", "--", "/bin/sh", "-c", vars + script},
                        testing::minimal_env(), 30s);
  }

  // What a first good start leaves: the files, myid, and every folder uid 1000's.
  static void populate(const world& wd) {
    const auto config = run_in(wd, "config");
    ASSERT_EQ(config.exit_code, 0) << config.err;
    const auto myid = run_in(wd, "myid");
    ASSERT_EQ(myid.exit_code, 0) << myid.err;
    ASSERT_EQ(testing::read_file(wd.data() + "/myid"), "2\n");
    for (const auto& dir : {wd.conf(), wd.data(), wd.data_log(), wd.logs()}) {
      struct stat st {};
      ASSERT_EQ(::stat(dir.c_str(), &st), 0) << dir;
      ASSERT_EQ(st.st_uid, zk_uid) << dir << " is not uid 1000's after the first run";
    }
  }

  // Outside the four folders: the outside tree and the installation's own root.
  [[nodiscard]] inventory outside_state(const world& wd) const {
    auto out = inventory_of(outside_);
    out[wd.w] = facts_of(wd.w);
    out[wd.home()] = facts_of(wd.home());
    return out;
  }

  testing::temp_dir tmp_;
  std::string outside_;
};

// ---- 1. What uid 1000 plants between two root runs ---------------------------------------------------

struct plant {
  std::string name;
  std::string script;                 // run as uid 1000 after the first root run
  std::string path;                   // the path the refusal must name ($C, $D, $L, $G expanded)
  std::string what;                   // what the message must say it is
  std::vector<std::string> commands;  // the root runs that must refuse it
};

std::string expand(std::string text, const world& wd) {
  for (const auto& [var, value] : std::vector<std::pair<std::string, std::string>>{
           {"$C", wd.conf()}, {"$D", wd.data()}, {"$L", wd.data_log()}, {"$G", wd.logs()}, {"$O", wd.outside}}) {
    for (auto pos = text.find(var); pos != std::string::npos; pos = text.find(var, pos + value.size())) {
      text.replace(pos, var.size(), value);
    }
  }
  return text;
}

std::vector<plant> plants() {
  std::vector<plant> out;
  const std::vector<std::pair<std::string, std::string>> files{
      {"$C", "zoo.cfg"}, {"$C", ".zkagent-owned"}, {"$C", "java.env"}, {"$C", "log4j.properties"}, {"$D", "myid"}};
  const std::string link_in_their_folder = "is a symbolic link in a folder that uid 1000 (its owner)";
  for (const auto& [dir, name] : files) {
    const auto at = dir + "/" + name;
    const std::vector<std::string> commands =
        dir == "$D" ? std::vector<std::string>{"config", "start", "myid"} : std::vector<std::string>{"config", "start"};
    out.push_back({name + " as a link to a root-only file", "rm -f " + at + "; ln -s $O/secret " + at, at,
                   link_in_their_folder, commands});
    out.push_back({name + " as a FIFO", "rm -f " + at + "; mkfifo " + at, at, "is a FIFO", commands});
    out.push_back({name + " as a hard link to a file uid 1000 may write but not own",
                   "printf '2\\n' > $O/group-rw; rm -f " + at + "; ln $O/group-rw " + at, at, "is a hard link",
                   commands});
    out.push_back({name + " as a hard link to uid 1000's own file outside", "rm -f " + at + "; ln $O/zk-owned " + at, at,
                   "is a hard link", commands});
    const auto size = name == "myid" ? "5000" : "2M";
    out.push_back({name + " as a huge file", "truncate -s " + std::string(size) + " " + at, at, "is larger than", commands});
    out.push_back({name + " as a folder", "rm -f " + at + "; mkdir " + at, at, "is a folder", commands});
  }
  out.push_back({"the data log folder as a link to a folder outside", "rm -rf $L; ln -s $O/dir $L", "$L",
                 "is a symbolic link in a folder that uid 1000 (its owner)", {"config", "start"}});
  out.push_back({"the log folder as a link to a folder outside", "rm -rf $G; ln -s $O/dir $G", "$G",
                 "is a symbolic link in a folder that uid 1000 (its owner)", {"config", "start"}});
  out.push_back({"zoo.cfg naming a dynamicConfigFile outside", "printf 'dynamicConfigFile=$O/x\\n' >> $C/zoo.cfg",
                 "dynamicConfigFile='$O/x'", "It must be a file directly in the conf folder", {"config", "start"}});
  out.push_back({"zoo.cfg naming a dynamicConfigFile that climbs out", "printf 'dynamicConfigFile=$D/../../outside/x\\n' >> $C/zoo.cfg",
                 "dynamicConfigFile=", "It must be a file directly in the conf folder", {"config", "start"}});
  out.push_back({"zoo.cfg naming a dynamicConfigFile that is a link to a root-only file",
                 "printf 'dynamicConfigFile=$C/zoo.cfg.dynamic\\n' >> $C/zoo.cfg; ln -s $O/secret $C/zoo.cfg.dynamic",
                 "$C/zoo.cfg.dynamic", link_in_their_folder, {"config", "start"}});
  return out;
}

// Deep in the data folder zkagent reads nothing: the ownership walk meets a hard link there and leaves
// the file as it is (its other name may be outside), warns naming it, and the run goes on.
TEST_F(boundary, a_hard_link_deep_in_the_data_folder_is_left_to_its_owner_and_named) {
  const auto wd = make_world("deep-link");
  populate(wd);
  if (HasFatalFailure()) return;
  const auto planted = as_zk(wd, expand("printf '2\\n' > $O/group-rw; mkdir -p $D/version-2; ln $O/group-rw $D/version-2/log.1", wd));
  ASSERT_EQ(planted.exit_code, 0) << "uid 1000 could not plant it: " << planted.err;
  for (const auto* command : {"config", "start", "myid"}) {
    SCOPED_TRACE(command);
    const auto outside_before = outside_state(wd);
    const auto r = run_in(wd, command);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, expand("$D/version-2/log.1", wd))) << "the warning does not name the file:\n" << r.err;
    const auto outside_after = outside_state(wd);
    EXPECT_EQ(outside_after, outside_before) << "outside the four folders:\n" << differences(outside_before, outside_after);
  }
}

TEST_F(boundary, what_uid_1000_plants_is_refused_and_nothing_outside_changes) {
  const auto all = plants();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& p = all[i];
    SCOPED_TRACE(p.name);
    const auto wd = make_world("plant-" + std::to_string(i));
    populate(wd);
    if (HasFatalFailure()) return;
    const auto planted = as_zk(wd, expand(p.script, wd));
    ASSERT_EQ(planted.exit_code, 0) << "uid 1000 could not plant it: " << planted.err;
    for (const auto& command : p.commands) {
      SCOPED_TRACE(command);
      const auto outside_before = outside_state(wd);
      const auto inside_before = inventory_of(wd.w);
      const auto r = run_in(wd, command);
      EXPECT_EQ(r.exit_code, 2) << r.err;
      EXPECT_TRUE(contains(r.err, expand(p.path, wd))) << "the message does not name " << expand(p.path, wd) << ":\n" << r.err;
      EXPECT_TRUE(contains(r.err, p.what)) << "the message does not say '" << p.what << "':\n" << r.err;
      const auto outside_after = outside_state(wd);
      EXPECT_EQ(outside_after, outside_before) << "outside the four folders:\n" << differences(outside_before, outside_after);
      const auto inside_after = inventory_of(wd.w);
      EXPECT_EQ(inside_after, inside_before) << "a refused run changed:\n" << differences(inside_before, inside_after);
      EXPECT_FALSE(wd.java_ran()) << "java started after a refusal";
    }
    EXPECT_FALSE(testing::exists(wd.outside + "/x")) << "a dynamicConfigFile outside was created";
  }
}

// What uid 1000 can do without being refused, and what stays out of its reach.
TEST_F(boundary, links_below_the_folders_are_never_followed_and_outside_files_cannot_be_linked_in) {
  const auto wd = make_world("below");
  populate(wd);
  // protected_hardlinks: uid 1000 cannot give a root-only file a name in its folders.
  const auto linked = as_zk(wd, "ln $O/secret $D/secret");
  EXPECT_NE(linked.exit_code, 0) << "uid 1000 hard-linked a root-only file: the tests' premise does not hold";
  // Links below the folders to a root-only file and to a folder outside: chowned as links, never followed.
  const auto planted = as_zk(wd, "mkdir -p $D/version-2 $L/version-2; ln -s $O/secret $D/version-2/snapshot.1; "
                                 "ln -s $O/dir $L/version-2/elsewhere; ln -s $O/secret $G/zookeeper.log");
  ASSERT_EQ(planted.exit_code, 0) << planted.err;
  for (const auto* command : {"config", "myid", "start"}) {
    SCOPED_TRACE(command);
    const auto before = outside_state(wd);
    const auto r = run_in(wd, command);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto after = outside_state(wd);
    EXPECT_EQ(after, before) << differences(before, after);
  }
  EXPECT_TRUE(wd.java_ran());
  EXPECT_EQ(testing::read_file(wd.record() + "/java.uid"), "1000\n") << "java must run as uid 1000";
}

// uid 1000 flips the data log folder with a link to a folder outside (renameat2 RENAME_EXCHANGE, as
// fast as it can) while root runs `config`: a run may be refused, but no run may hand the outside
// folder to uid 1000, whichever moment each step of the run sees.
TEST_F(boundary, a_folder_swapped_for_a_link_while_root_runs_never_leads_outside) {
  const auto wd = make_world("flip");
  populate(wd);
  if (HasFatalFailure()) return;
  const auto planted = as_zk(wd, "ln -s $O/dir $D/log.alt");
  ASSERT_EQ(planted.exit_code, 0) << planted.err;
  const auto before = outside_state(wd);
  const auto folder = wd.data_log(), alt = wd.data() + "/log.alt";
  const pid_t flipper = ::fork();
  ASSERT_GE(flipper, 0);
  if (flipper == 0) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(zk_gid) != 0 || ::setuid(zk_uid) != 0) ::_exit(3);
    for (;;) {
      if (::renameat2(AT_FDCWD, folder.c_str(), AT_FDCWD, alt.c_str(), RENAME_EXCHANGE) != 0) ::_exit(4);
    }
  }
  int refused = 0, succeeded = 0, other = 0;
  std::string last_error;
  // Until both outcomes were seen a few times: a run that saw the link and one that did not.
  for (int run = 0; run < 300 && (refused < 5 || succeeded < 5); ++run) {
    const auto r = run_in(wd, "config");
    if (r.exit_code == 0) ++succeeded;
    else if (r.exit_code == 2) ++refused;
    else {
      ++other;
      last_error = r.err;
    }
  }
  int status = 0;
  const bool flipper_alive = ::waitpid(flipper, &status, WNOHANG) == 0;
  ::kill(flipper, SIGKILL);
  ::waitpid(flipper, &status, 0);
  EXPECT_TRUE(flipper_alive) << "the flipping child stopped early (status " << status << "): the race was not run";
  EXPECT_EQ(other, 0) << "runs neither succeeded nor refused (exit 2); the last said:\n" << last_error;
  EXPECT_GE(refused, 1) << "no run saw the link: the race was not run";
  const auto after = outside_state(wd);
  EXPECT_EQ(after, before) << differences(before, after);
  std::printf("flip race: %d runs succeeded, %d refused (exit 2), %d other\n", succeeded, refused, other);
}

// ---- 2. Inputs as kubelet mounts ConfigMaps and Secrets --------------------------------------------

// <dir>/..<stamp>/<key>, ..data -> ..<stamp>, <key> -> ..data/<key>; all root's.
void publish(const std::string& dir, const std::string& stamp, const std::map<std::string, std::string>& files) {
  const auto version = dir + "/.." + stamp;
  fs::create_directories(version);
  for (const auto& [key, content] : files) {
    testing::write_file(version + "/" + key, content);
    ::chmod((version + "/" + key).c_str(), 0644);
    if (!fs::is_symlink(dir + "/" + key)) fs::create_symlink("..data/" + key, dir + "/" + key);
  }
  // As kubelet's atomic writer: a new link, renamed over ..data in one step.
  fs::create_symlink(".." + stamp, dir + "/..data_tmp");
  fs::rename(dir + "/..data_tmp", dir + "/..data");
}

TEST_F(boundary, configmap_and_secret_volumes_work_and_follow_an_atomic_swap) {
  const auto wd = make_world("kubelet");
  const auto volume = tmp_ / "configmap";
  fs::create_directories(volume);
  ::chmod(volume.c_str(), 0755);
  const auto servers = [](int port) {
    std::string list;
    for (int i = 0; i < 3; ++i) {
      list += "server." + std::to_string(i + 1) + "=zk-" + std::to_string(i) + ".zk-hs.default.svc.cluster.local:" +
              std::to_string(port) + ":3888;2181 ";
    }
    return list;
  };
  publish(volume, "2026_12_02_10_00_00.000000001",
          {{"zoo.cfg", "tickTime=2345\n"}, {"extra", "maxClientCnxns=77\n"}, {"servers", servers(2888) + "\n"}});
  auto env = testing::minimal_env();
  env["ZOO_CFG_EXTRA_FILE"] = volume + "/extra";
  env["ZOO_SERVERS_FILE"] = volume + "/servers";
  const std::vector<std::string> args{"--conf-dir=" + wd.conf(), "--data-dir=" + wd.data(),
                                      "--data-log-dir=" + wd.data_log(), "--log-dir=" + wd.logs(),
                                      "--hostname=zk-1", "--config-template=" + volume + "/zoo.cfg"};
  const auto first = root_run("config", args, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto cfg = testing::read_file(wd.conf() + "/zoo.cfg");
  EXPECT_TRUE(contains(cfg, "tickTime=2345\n")) << cfg;
  EXPECT_TRUE(contains(cfg, "maxClientCnxns=77\n")) << cfg;
  EXPECT_TRUE(contains(cfg, "zk-2.zk-hs.default.svc.cluster.local:2888:3888")) << cfg;

  publish(volume, "2026_12_02_10_05_00.000000002",
          {{"zoo.cfg", "tickTime=3456\n"}, {"extra", "maxClientCnxns=88\n"}, {"servers", servers(2999) + "\n"}});
  const auto second = root_run("config", args, env);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  cfg = testing::read_file(wd.conf() + "/zoo.cfg");
  EXPECT_TRUE(contains(cfg, "tickTime=3456\n")) << cfg;
  EXPECT_TRUE(contains(cfg, "maxClientCnxns=88\n")) << cfg;
  EXPECT_TRUE(contains(cfg, "zk-2.zk-hs.default.svc.cluster.local:2999:3888")) << cfg;
  EXPECT_FALSE(contains(cfg, "2345")) << cfg;
}

TEST_F(boundary, fifos_and_devices_as_inputs_are_refused_at_once) {
  const auto wd = make_world("fifo");
  const auto fifo = tmp_ / "input.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  // A FIFO behind kubelet's links, too.
  const auto volume = tmp_ / "secret-volume";
  fs::create_directories(volume);
  publish(volume, "2026_12_02_10_00_00.000000001", {{"extra", "x\n"}});
  const auto linked_fifo = volume + "/..2026_12_02_10_00_00.000000001/extra";
  fs::remove(linked_fifo);
  ASSERT_EQ(::mkfifo(linked_fifo.c_str(), 0644), 0);
  struct input {
    std::string path, what;
  };
  for (const auto& in : std::vector<input>{{fifo, "is a FIFO"},
                                           {"/dev/zero", "is a character device"},
                                           {volume + "/extra", "is a FIFO"}}) {
    for (const auto* via : {"ZOO_CFG_EXTRA_FILE", "ZOO_SERVERS_FILE", "--config-template"}) {
      SCOPED_TRACE(in.path + " as " + via);
      auto env = testing::minimal_env();
      auto args = wd.flags();
      if (std::string(via) == "--config-template") args.push_back("--config-template=" + in.path);
      else env[via] = in.path;
      if (std::string(via) == "ZOO_SERVERS_FILE") std::erase(args, "--servers=3");
      const auto r = root_run("config", args, env, 10s);
      ASSERT_FALSE(r.timed_out) << "zkagent waited on " << in.path;
      EXPECT_EQ(r.exit_code, 2) << r.err;
      EXPECT_TRUE(contains(r.err, via)) << r.err;
      EXPECT_TRUE(contains(r.err, in.what)) << r.err;
      EXPECT_FALSE(testing::exists(wd.conf() + "/zoo.cfg")) << "a refused run wrote zoo.cfg";
    }
  }
}

// ---- 3. One writer at a time -------------------------------------------------------------------------

pid_t spawn(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t pid = testing::spawn_logged(argv, log);
  EXPECT_GT(pid, 0) << "cannot start " << argv.front();
  return pid;
}

// Starts every command at once, then waits for all (bounded: stragglers are killed and count as
// failures). Returns the failures with their output.
std::vector<std::string> run_all_at_once(const std::vector<std::vector<std::string>>& runs, const std::string& logs) {
  fs::create_directories(logs);
  std::vector<pid_t> pids;
  for (std::size_t i = 0; i < runs.size(); ++i) pids.push_back(spawn(runs[i], logs + "/" + std::to_string(i)));
  std::vector<std::string> failures;
  const auto deadline = std::chrono::steady_clock::now() + 90s;
  for (std::size_t i = 0; i < pids.size(); ++i) {
    int status = 0;
    pid_t got = 0;
    while ((got = ::waitpid(pids[i], &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
    }
    if (got == 0) {
      ::kill(pids[i], SIGKILL);
      ::waitpid(pids[i], &status, 0);
    }
    if (got == 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      failures.push_back(runs[i][1] + " #" + std::to_string(i) + (got == 0 ? " hung" : " failed (status " +
                         std::to_string(status) + ")") + ":\n" + testing::read_file(logs + "/" + std::to_string(i)));
    }
  }
  return failures;
}

void expect_marker_vouches(const world& wd) {
  const auto marker = entrypoint::parse_marker(testing::read_file(wd.conf() + "/" + std::string(entrypoint::marker_name)));
  for (const auto* name : {"zoo.cfg", "log4j.properties", "logback.xml", "java.env"}) {
    EXPECT_EQ(entrypoint::classify(testing::read_file(wd.conf() + "/" + name), marker, name), entrypoint::file_state::ours)
        << name << " is not vouched for by the marker";
  }
  EXPECT_EQ(temp_files(wd.w), std::vector<std::string>{}) << "temp files were left behind";
}

TEST_F(boundary, a_hundred_first_runs_at_once_all_succeed_and_leave_one_consistent_result) {
  const auto wd = make_world("hundred");
  std::vector<std::string> argv{ZKAGENT_BINARY, "config"};
  for (const auto& f : wd.flags()) argv.push_back(f);
  const std::vector<std::vector<std::string>> runs(100, argv);
  const auto failures = run_all_at_once(runs, tmp_ / "hundred-logs");
  EXPECT_EQ(failures.size(), 0U) << failures.front();
  expect_marker_vouches(wd);
  EXPECT_EQ(testing::read_file(wd.data() + "/myid"), "2\n");
}

TEST_F(boundary, myid_racing_config_fifty_each_all_succeed) {
  const auto wd = make_world("race");
  std::vector<std::vector<std::string>> runs;
  for (int i = 0; i < 100; ++i) {
    std::vector<std::string> argv{ZKAGENT_BINARY, i % 2 == 0 ? "config" : "myid"};
    for (const auto& f : wd.flags()) argv.push_back(f);
    runs.push_back(argv);
  }
  const auto failures = run_all_at_once(runs, tmp_ / "race-logs");
  EXPECT_EQ(failures.size(), 0U) << failures.front();
  EXPECT_EQ(testing::read_file(wd.data() + "/myid"), "2\n");
  expect_marker_vouches(wd);
}

// ---- 4. --keep-config --------------------------------------------------------------------------------

TEST_F(boundary, a_kept_zoo_cfg_uid_1000_can_change_may_not_point_root_outside) {
  const auto wd = make_world("keep");
  const auto target = tmp_ / "kept-data";
  const auto cfg = "dataDir=" + target + "\nclientPort=2181\n";
  // The conf folder and zoo.cfg uid 1000's: refused as root, nothing created there.
  fs::create_directories(wd.conf());
  ASSERT_EQ(::chown(wd.conf().c_str(), zk_uid, zk_gid), 0);
  const auto planted = as_zk(wd, "printf '" + cfg + "' > $C/zoo.cfg");
  ASSERT_EQ(planted.exit_code, 0) << planted.err;
  const auto before = outside_state(wd);
  const auto refused = run_in(wd, "config", {"--keep-config"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_TRUE(contains(refused.err, wd.conf() + "/zoo.cfg can be changed by a user other than root")) << refused.err;
  EXPECT_TRUE(contains(refused.err, target)) << refused.err;
  EXPECT_FALSE(testing::exists(target)) << "the folder a refused zoo.cfg names was created";
  EXPECT_EQ(outside_state(wd), before);

  // The same zoo.cfg root's (0644 in a 0755 folder): whoever configured the pod wrote it; accepted.
  ASSERT_EQ(::chown(wd.conf().c_str(), 0, 0), 0);
  ASSERT_EQ(::chmod(wd.conf().c_str(), 0755), 0);
  fs::remove(wd.conf() + "/zoo.cfg");
  write_owned(wd.conf() + "/zoo.cfg", cfg, 0644, 0, 0);
  const auto accepted = run_in(wd, "config", {"--keep-config"});
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_EQ(testing::read_file(target + "/myid"), "2\n");
  EXPECT_EQ(testing::read_file(wd.conf() + "/zoo.cfg"), cfg) << "a kept zoo.cfg changed";
}

}  // namespace
}  // namespace zkagent::boundary_tests
