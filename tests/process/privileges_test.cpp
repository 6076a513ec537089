// take_ownership and drop_privileges for real. Dropping root is done in a forked child, which
// reports what it sees as key=value lines over a pipe; the test process keeps its root.
// These tests need root (the machine runs them as root); without it they are reported as skipped.
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "entrypoint/privileges.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using zkagent::entrypoint::drop_privileges;
using zkagent::entrypoint::hand_over;
using zkagent::entrypoint::take_ownership;

constexpr auto patience = 10s;
constexpr int poll_step_ms = 10;
constexpr uid_t user = 1000;
constexpr gid_t group = 1000;

// scripts/test runs as root (it installs packages); without root these tests fail loudly.
#define REQUIRE_ROOT() ASSERT_EQ(::geteuid(), 0u) << "needs root to change owners and drop privileges"

// A field of /proc/self/status without its label and surrounding blanks.
std::string own_status_field(std::string_view key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  const std::string label = std::string(key) + ":";
  while (std::getline(status, line)) {
    if (!line.starts_with(label)) continue;
    const auto first = line.find_first_not_of(" \t", label.size());
    const auto last = line.find_last_not_of(" \t");
    return first == std::string::npos ? std::string() : line.substr(first, last - first + 1);
  }
  return "<missing>";
}

using report = std::map<std::string, std::string>;
using reporter = std::function<void(const std::string& key, const std::string& value)>;

// Runs body in a forked child and returns what it reported. The child is killed if the test
// gives up on it.
report run_forked(const std::function<void(const reporter&)>& body) {
  std::array<int, 2> pipe_fds{-1, -1};
  if (::pipe(pipe_fds.data()) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid == -1) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(pipe_fds[0]);
    const int out = pipe_fds[1];
    const reporter say = [out](const std::string& key, const std::string& value) {
      const std::string line = key + "=" + value + "\n";
      if (::write(out, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::_Exit(2);
    };
    try {
      body(say);
    } catch (...) {
      std::_Exit(1);
    }
    std::_Exit(0);
  }
  ::close(pipe_fds[1]);

  struct guard {
    pid_t pid;
    int fd;
    bool reaped = false;
    ~guard() {
      if (!reaped) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
      }
      ::close(fd);
    }
  } child{pid, pipe_fds[0]};

  std::string text;
  const auto deadline = steady::now() + patience;
  for (bool eof = false; !eof;) {
    if (steady::now() > deadline) throw std::runtime_error("forked child did not finish reporting");
    pollfd fd{child.fd, POLLIN, 0};
    if (::poll(&fd, 1, poll_step_ms) <= 0) continue;
    std::array<char, 4096> chunk{};
    const ssize_t n = ::read(child.fd, chunk.data(), chunk.size());
    if (n > 0) text.append(chunk.data(), static_cast<std::size_t>(n));
    eof = n == 0 || (n < 0 && errno != EINTR);
  }
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (steady::now() > deadline) throw std::runtime_error("forked child did not exit");
    ::poll(nullptr, 0, poll_step_ms);
  }
  child.reaped = true;

  report values;
  values["exit"] = WIFEXITED(status) ? std::to_string(WEXITSTATUS(status)) : "signal";
  std::size_t start = 0;
  for (std::size_t end = text.find('\n'); end != std::string::npos; start = end + 1, end = text.find('\n', start)) {
    const std::string line = text.substr(start, end - start);
    const auto eq = line.find('=');
    values[line.substr(0, eq)] = eq == std::string::npos ? std::string() : line.substr(eq + 1);
  }
  return values;
}

std::string errno_after(int result) { return std::to_string(result) + " errno " + std::to_string(errno); }

void become_plain_user(uid_t uid, gid_t gid) {
  if (::setgroups(1, &gid) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) std::_Exit(3);
}

// ---- drop_privileges ----------------------------------------------------------------------------

TEST(drop_privileges, leaves_root_for_good) {
  REQUIRE_ROOT();
  auto seen = run_forked([](const reporter& say) {
    const auto dropped = drop_privileges(user, group);
    say("result", dropped ? "ok" : dropped.err().message);
    for (const auto* key : {"Uid", "Gid", "Groups", "CapPrm", "CapEff"}) say(key, own_status_field(key));
    errno = 0;
    say("setuid(0)", errno_after(::setuid(0)));
    errno = 0;
    say("seteuid(0)", errno_after(::seteuid(0)));
    errno = 0;
    say("setgid(0)", errno_after(::setgid(0)));
  });
  EXPECT_EQ(seen["exit"], "0");
  EXPECT_EQ(seen["result"], "ok");
  EXPECT_EQ(seen["Uid"], "1000\t1000\t1000\t1000");
  EXPECT_EQ(seen["Gid"], "1000\t1000\t1000\t1000");
  EXPECT_EQ(seen["Groups"], "1000");
  EXPECT_EQ(seen["CapPrm"], "0000000000000000");
  EXPECT_EQ(seen["CapEff"], "0000000000000000");
  const std::string refused = "-1 errno " + std::to_string(EPERM);
  EXPECT_EQ(seen["setuid(0)"], refused);
  EXPECT_EQ(seen["seteuid(0)"], refused);
  EXPECT_EQ(seen["setgid(0)"], refused);
}

TEST(drop_privileges, to_uid_0_changes_nothing) {
  REQUIRE_ROOT();
  auto seen = run_forked([](const reporter& say) {
    const auto dropped = drop_privileges(0, group);
    say("result", dropped ? "ok" : dropped.err().message);
    say("Uid", own_status_field("Uid"));
    say("Gid", own_status_field("Gid"));
  });
  EXPECT_EQ(seen["exit"], "0");
  EXPECT_EQ(seen["result"], "ok");
  EXPECT_EQ(seen["Uid"], "0\t0\t0\t0");
  EXPECT_EQ(seen["Gid"], "0\t0\t0\t0");
}

TEST(drop_privileges, as_non_root_does_nothing) {
  REQUIRE_ROOT();  // to become the non-root user first
  auto seen = run_forked([](const reporter& say) {
    become_plain_user(user, group);
    const auto dropped = drop_privileges(2000, 2000);
    say("result", dropped ? "ok" : dropped.err().message);
    say("Uid", own_status_field("Uid"));
    say("Gid", own_status_field("Gid"));
  });
  EXPECT_EQ(seen["exit"], "0");
  EXPECT_EQ(seen["result"], "ok");
  EXPECT_EQ(seen["Uid"], "1000\t1000\t1000\t1000");
  EXPECT_EQ(seen["Gid"], "1000\t1000\t1000\t1000");
}

// ---- take_ownership -----------------------------------------------------------------------------

class temp_dir {
 public:
  temp_dir() {
    std::string name = (fs::temp_directory_path() / "zkagent-owner-XXXXXX").string();
    if (::mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_file(const fs::path& path) {
  std::ofstream(path) << "data\n";
  if (!fs::exists(path)) throw std::runtime_error("cannot write " + path.string());
}

struct owner {
  uid_t uid;
  gid_t gid;
  bool operator==(const owner&) const = default;
};

std::ostream& operator<<(std::ostream& os, const owner& o) { return os << o.uid << ":" << o.gid; }

owner owner_of(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) throw std::runtime_error("lstat failed: " + path.string());
  return {st.st_uid, st.st_gid};
}

// base/tree: files, nested folders, an empty folder, a link inside the tree and links that lead
// out of it; base/outside: what those links point at.
struct ownership_fixture : ::testing::Test {
  temp_dir base;
  fs::path tree = base.path() / "tree";
  fs::path outside = base.path() / "outside";

  void SetUp() override {
    fs::create_directories(tree / "a" / "b");
    fs::create_directories(tree / "empty");
    fs::create_directories(outside);
    write_file(tree / "top.txt");
    write_file(tree / "a" / "b" / "deep.txt");
    write_file(outside / "secret.txt");
    fs::create_symlink("a/b/deep.txt", tree / "inner_link");
    fs::create_symlink(outside / "secret.txt", tree / "outside_file_link");
    fs::create_symlink(outside, tree / "a" / "outside_dir_link");
  }
};

TEST_F(ownership_fixture, owns_the_whole_tree_without_following_links) {
  REQUIRE_ROOT();
  ASSERT_EQ(owner_of(outside / "secret.txt"), (owner{0, 0}));

  const auto owned = take_ownership({tree.string()}, user, group);
  ASSERT_TRUE(owned.ok()) << owned.err().message;

  EXPECT_EQ(owner_of(tree), (owner{user, group}));
  std::size_t entries = 0;
  for (const auto& entry : fs::recursive_directory_iterator(tree)) {  // does not follow links
    ++entries;
    EXPECT_EQ(owner_of(entry.path()), (owner{user, group})) << entry.path();
  }
  // a, a/b, a/b/deep.txt, a/outside_dir_link, empty, top.txt, inner_link, outside_file_link
  EXPECT_EQ(entries, 8U);
  EXPECT_EQ(owner_of(outside), (owner{0, 0}));
  EXPECT_EQ(owner_of(outside / "secret.txt"), (owner{0, 0}));
}

TEST_F(ownership_fixture, running_twice_is_fine) {
  REQUIRE_ROOT();
  ASSERT_TRUE(take_ownership({tree.string()}, user, group).ok());
  const auto again = take_ownership({tree.string()}, user, group);
  ASSERT_TRUE(again.ok()) << again.err().message;
  EXPECT_EQ(owner_of(tree / "a" / "b" / "deep.txt"), (owner{user, group}));
  EXPECT_EQ(owner_of(outside / "secret.txt"), (owner{0, 0}));
}

TEST_F(ownership_fixture, follows_a_folder_given_as_a_link_but_nothing_below) {
  REQUIRE_ROOT();
  const fs::path link = base.path() / "tree_link";
  fs::create_directory_symlink(tree, link);
  const auto owned = take_ownership({link.string()}, user, group);
  ASSERT_TRUE(owned.ok()) << owned.err().message;
  EXPECT_EQ(owner_of(tree), (owner{user, group}));
  EXPECT_EQ(owner_of(tree / "a" / "b" / "deep.txt"), (owner{user, group}));
  EXPECT_EQ(owner_of(link), (owner{0, 0}));
  EXPECT_EQ(owner_of(outside / "secret.txt"), (owner{0, 0}));
}

TEST_F(ownership_fixture, missing_folder_is_an_error_naming_it) {
  REQUIRE_ROOT();
  const fs::path missing = base.path() / "missing";
  const auto owned = take_ownership({tree.string(), missing.string()}, user, group);
  ASSERT_FALSE(owned.ok());
  EXPECT_EQ(owned.err().kind, zkagent::error_kind::io);
  EXPECT_NE(owned.err().message.find(missing.string()), std::string::npos) << owned.err().message;
  EXPECT_NE(owned.err().message.find("No such file or directory"), std::string::npos) << owned.err().message;
}

TEST_F(ownership_fixture, as_non_root_does_nothing) {
  REQUIRE_ROOT();  // to become the non-root user first
  const std::string folder = tree.string();
  auto seen = run_forked([&folder](const reporter& say) {
    become_plain_user(user, group);
    const auto owned = take_ownership({folder}, user, group);
    say("result", owned ? "ok" : owned.err().message);
  });
  EXPECT_EQ(seen["exit"], "0");
  EXPECT_EQ(seen["result"], "ok");
  EXPECT_EQ(owner_of(tree), (owner{0, 0}));
  EXPECT_EQ(owner_of(tree / "top.txt"), (owner{0, 0}));
}

// In a private mount namespace (a forked child's own, gone when it exits): a tmpfs and a bind mount
// of a folder from the same file system below the data folder are left as they are, and what is in
// them; the rest of the tree is handed over.
TEST_F(ownership_fixture, never_walks_into_a_mount_below_the_folder) {
  REQUIRE_ROOT();
  fs::create_directories(tree / "tmpfs");
  fs::create_directories(tree / "bound");
  const std::string top = tree.string();
  const std::string from = outside.string();
  auto seen = run_forked([&](const reporter& say) {
    if (::unshare(CLONE_NEWNS) != 0) return say("setup", "unshare: " + errno_after(-1));
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return say("setup", "private: " + errno_after(-1));
    if (::mount("tmpfs", (top + "/tmpfs").c_str(), "tmpfs", 0, "size=64k,mode=0755") != 0) return say("setup", "tmpfs: " + errno_after(-1));
    write_file(top + "/tmpfs/on-tmpfs");
    if (::mount(from.c_str(), (top + "/bound").c_str(), nullptr, MS_BIND, nullptr) != 0) return say("setup", "bind: " + errno_after(-1));
    say("setup", "ok");
    const auto owned = take_ownership({top}, user, group);
    say("result", owned ? "ok" : owned.err().message);
    if (owned) say("note", owned.value().mount_line().value_or("(none)"));
    for (const auto* name : {"tmpfs", "tmpfs/on-tmpfs", "bound", "bound/secret.txt", "top.txt", "a/b/deep.txt"}) {
      const auto o = owner_of(top + "/" + name);
      say(name, std::to_string(o.uid) + ":" + std::to_string(o.gid));
    }
  });
  ASSERT_EQ(seen["setup"], "ok");
  EXPECT_EQ(seen["exit"], "0");
  EXPECT_EQ(seen["result"], "ok");
  EXPECT_EQ(seen["tmpfs"], "0:0");
  EXPECT_EQ(seen["tmpfs/on-tmpfs"], "0:0");
  EXPECT_EQ(seen["bound"], "0:0") << "a bind mount of the same file system was walked";
  EXPECT_EQ(seen["bound/secret.txt"], "0:0");
  EXPECT_EQ(seen["top.txt"], "1000:1000");
  EXPECT_EQ(seen["a/b/deep.txt"], "1000:1000");
  EXPECT_NE(seen["note"].find(top + "/tmpfs"), std::string::npos) << seen["note"];
  EXPECT_NE(seen["note"].find(top + "/bound"), std::string::npos) << seen["note"];
  EXPECT_EQ(owner_of(outside), (owner{0, 0}));
  EXPECT_EQ(owner_of(outside / "secret.txt"), (owner{0, 0}));
}

// uid 1000 could hard-link a root file into its folder where fs.protected_hardlinks is off (root can
// make such a link anywhere): a file with more than one link keeps its owner, and is named.
TEST_F(ownership_fixture, leaves_a_hard_linked_root_file_as_it_is) {
  REQUIRE_ROOT();
  ASSERT_EQ(::link((outside / "secret.txt").c_str(), (tree / "a" / "linked").c_str()), 0) << std::strerror(errno);
  const auto owned = take_ownership({tree.string()}, user, group);
  ASSERT_TRUE(owned.ok()) << owned.err().message;
  EXPECT_EQ(owner_of(outside / "secret.txt"), (owner{0, 0}));
  EXPECT_EQ(owner_of(tree / "a" / "linked"), (owner{0, 0}));
  EXPECT_EQ(owner_of(tree / "top.txt"), (owner{user, group}));
  ASSERT_EQ(owned.value().hard_linked, (std::vector<std::string>{(tree / "a" / "linked").string()}));
  const auto line = owned.value().hard_link_line().value_or("");
  EXPECT_NE(line.find((tree / "a" / "linked").string()), std::string::npos) << line;
  EXPECT_FALSE(owned.value().mount_line());
}

// A tree deeper than ZooKeeper ever writes (uid 1000 could build one to exhaust descriptors): the walk
// stops 32 folders down, leaves the rest as it is and names where it stopped.
TEST_F(ownership_fixture, stops_more_than_32_folders_deep_and_names_where) {
  REQUIRE_ROOT();
  fs::path deep = tree / "d";
  for (int level = 1; level < 40; ++level) deep /= "d";
  fs::create_directories(deep);
  write_file(deep / "bottom.txt");
  const auto owned = take_ownership({tree.string()}, user, group);
  ASSERT_TRUE(owned.ok()) << owned.err().message;
  fs::path at_limit = tree;
  for (int level = 0; level < 32; ++level) at_limit /= "d";
  EXPECT_EQ(owner_of(at_limit), (owner{user, group}));
  EXPECT_EQ(owner_of(at_limit / "d"), (owner{0, 0}));
  EXPECT_EQ(owner_of(deep / "bottom.txt"), (owner{0, 0}));
  ASSERT_EQ(owned.value().too_deep, (std::vector<std::string>{(at_limit / "d").string()}));
  EXPECT_NE(owned.value().too_deep_line().value_or("").find("more than 32 folders deep"), std::string::npos);
}

TEST_F(ownership_fixture, hand_over_changes_the_path_itself_but_never_a_link_target_or_a_hard_linked_file) {
  REQUIRE_ROOT();
  ASSERT_EQ(::link((outside / "secret.txt").c_str(), (tree / "myid").c_str()), 0) << std::strerror(errno);
  const auto handed = hand_over({tree.string(), (tree / "myid").string(), (tree / "outside_file_link").string()}, user, group);
  ASSERT_TRUE(handed.ok()) << handed.err().message;
  EXPECT_EQ(owner_of(tree), (owner{user, group}));
  EXPECT_EQ(owner_of(tree / "top.txt"), (owner{0, 0})) << "hand_over walked the folder";
  EXPECT_EQ(owner_of(tree / "myid"), (owner{0, 0}));
  EXPECT_EQ(owner_of(tree / "outside_file_link"), (owner{user, group}));
  EXPECT_EQ(owner_of(outside / "secret.txt"), (owner{0, 0}));
  EXPECT_EQ(handed.value().hard_linked, (std::vector<std::string>{(tree / "myid").string()}));
}

}  // namespace
