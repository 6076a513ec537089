// guarded_fs and folder_lock for real, as root: which links are followed (root's in a folder only
// root can write, any on a read-only mount, root's in a sticky folder) and which are refused (in a
// folder uid 1000 owns, or a group may write); FIFOs, devices, folders and files over the cap are
// refused without blocking; chains past 40 links end. flock serialises two holders of one folder.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "common/atomic_file.hpp"
#include "common/folder_lock.hpp"
#include "common/guarded_fs.hpp"

namespace {

namespace fs = std::filesystem;
using namespace zkagent::files;
using namespace std::chrono_literals;

#define REQUIRE_ROOT() ASSERT_EQ(::geteuid(), 0u) << "needs root to chown folders to uid 1000"

class guarded_fs_test : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/zkagent-guarded-XXXXXX";
    ASSERT_NE(::mkdtemp(name), nullptr);
    root_ = name;
    ::chmod(root_.c_str(), 0755);
  }
  void TearDown() override {
    if (mounted_) ::umount2(mounted_->c_str(), MNT_DETACH);
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string at(const std::string& name) const { return root_ + "/" + name; }
  static void write(const std::string& path, const std::string& content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0) << path;
    ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
    ::close(fd);
  }
  // A folder whose owner and mode are as given, holding link -> target.
  std::string folder_with_link(const std::string& name, uid_t owner, mode_t mode, const std::string& target) {
    const auto dir = at(name);
    fs::create_directories(dir);
    EXPECT_EQ(::chown(dir.c_str(), owner, owner), 0);
    EXPECT_EQ(::chmod(dir.c_str(), mode), 0);
    fs::create_symlink(target, dir + "/link");
    return dir;
  }

  std::string root_;
  std::optional<std::string> mounted_;
};

TEST_F(guarded_fs_test, links_are_followed_only_where_nobody_but_root_could_place_them) {
  REQUIRE_ROOT();
  fs::create_directories(at("secret"));
  write(at("secret/file"), "root's own\n");
  struct row {
    std::string name;
    uid_t owner;
    mode_t mode;
    bool followed;
  };
  for (const auto& r : {row{"root-0755", 0, 0755, true}, row{"uid1000-0755", 1000, 0755, false},
                        row{"root-group-writable", 0, 0775, false}, row{"root-world-writable", 0, 0777, false},
                        row{"root-sticky", 0, 01777, true}}) {
    SCOPED_TRACE(r.name);
    const auto dir = folder_with_link(r.name, r.owner, r.mode, at("secret/file"));
    const auto read = read_file(dir + "/link", max_config_bytes);
    const auto as_folder = open_folder_if_exists(dir + "/link/..");
    if (r.followed) {
      ASSERT_TRUE(read.ok()) << read.err().message;
      ASSERT_TRUE(read.value());
      EXPECT_EQ(*read.value(), "root's own\n");
    } else {
      ASSERT_FALSE(read.ok());
      EXPECT_EQ(read.err().kind, zkagent::error_kind::config);
      EXPECT_NE(read.err().message.find(dir + "/link is a symbolic link in a folder that"), std::string::npos)
          << read.err().message;
      EXPECT_EQ(read.err().message.find("root's own"), std::string::npos) << "content leaked";
      EXPECT_FALSE(as_folder.ok()) << "walked through the link as a folder";
    }
  }
  // In a sticky folder a link is root's only if root owns it.
  const auto sticky = at("root-sticky");
  fs::create_symlink(at("secret/file"), sticky + "/users-link");
  ASSERT_EQ(::lchown((sticky + "/users-link").c_str(), 1000, 1000), 0);
  EXPECT_FALSE(read_file(sticky + "/users-link", max_config_bytes).ok());
}

TEST_F(guarded_fs_test, a_link_on_a_read_only_mount_is_followed_as_kubelet_lays_them_out) {
  REQUIRE_ROOT();
  // A ConfigMap volume: key -> ..data/key, ..data -> ..<timestamp>, on a read-only mount. With an
  // fsGroup the folder is group-writable, so only the read-only mount makes it root's.
  const auto volume = at("configmap");
  fs::create_directories(volume + "/..2026_12_02_10_00_00.1");
  write(volume + "/..2026_12_02_10_00_00.1/zoo.cfg", "tickTime=2000\n");
  fs::create_symlink("..2026_12_02_10_00_00.1", volume + "/..data");
  fs::create_symlink("..data/zoo.cfg", volume + "/zoo.cfg");
  ASSERT_EQ(::chown(volume.c_str(), 0, 1000), 0);
  ASSERT_EQ(::chmod(volume.c_str(), 02775), 0);
  EXPECT_FALSE(read_file(volume + "/zoo.cfg", max_config_bytes).ok()) << "group-writable and writable: refused";
  ASSERT_EQ(::mount(volume.c_str(), volume.c_str(), nullptr, MS_BIND, nullptr), 0) << "bind mount";
  mounted_ = volume;
  ASSERT_EQ(::mount(nullptr, volume.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr), 0);
  const auto read = read_file(volume + "/zoo.cfg", max_config_bytes);
  ASSERT_TRUE(read.ok()) << read.err().message;
  ASSERT_TRUE(read.value());
  EXPECT_EQ(*read.value(), "tickTime=2000\n");
}

TEST_F(guarded_fs_test, fifos_devices_folders_and_big_files_are_refused_without_blocking) {
  REQUIRE_ROOT();
  const auto dir = at("odd");
  fs::create_directories(dir + "/a-folder");
  ASSERT_EQ(::mkfifo((dir + "/fifo").c_str(), 0644), 0);
  fs::create_symlink("/dev/zero", dir + "/zero");
  write(dir + "/big", std::string(max_myid_bytes + 1, '1'));
  const auto started = std::chrono::steady_clock::now();
  struct row {
    std::string name, says;
    std::size_t cap;
  };
  for (const auto& r : {row{"fifo", "is a FIFO, not a regular file", max_config_bytes},
                        row{"zero", "is a character device, not a regular file", max_config_bytes},
                        row{"a-folder", "is a folder, not a regular file", max_config_bytes},
                        row{"big", "is larger than 4096 bytes", max_myid_bytes}}) {
    SCOPED_TRACE(r.name);
    const auto read = read_file(dir + "/" + r.name, r.cap);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.err().kind, zkagent::error_kind::config);
    EXPECT_NE(read.err().message.find(r.says), std::string::npos) << read.err().message;
  }
  // Refused by looking, not by reading: a FIFO with no writer would block an open forever. (A bound
  // on the whole test, not a speed assertion: a hang is the failure.)
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);
  const auto big = read_file(dir + "/big", max_config_bytes);
  ASSERT_TRUE(big.ok()) << big.err().message;
  EXPECT_EQ(big.value()->size(), max_myid_bytes + 1);
}

TEST_F(guarded_fs_test, link_chains_end_and_dangling_links_read_as_absent) {
  REQUIRE_ROOT();
  const auto dir = at("chain");
  fs::create_directories(dir);
  write(dir + "/end", "x");
  fs::create_symlink("end", dir + "/l0");
  for (int i = 1; i <= 45; ++i) fs::create_symlink("l" + std::to_string(i - 1), dir + "/l" + std::to_string(i));
  EXPECT_TRUE(read_file(dir + "/l30", max_config_bytes).ok());
  const auto too_long = read_file(dir + "/l45", max_config_bytes);
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.err().message.find("Too many levels of symbolic links"), std::string::npos)
      << too_long.err().message;
  fs::create_symlink("nowhere/file", dir + "/dangling");
  const auto dangling = read_file(dir + "/dangling", max_config_bytes);
  ASSERT_TRUE(dangling.ok()) << dangling.err().message;
  EXPECT_FALSE(dangling.value());
}

TEST_F(guarded_fs_test, folders_are_created_through_roots_links_but_not_through_others) {
  REQUIRE_ROOT();
  fs::create_directories(at("real"));
  fs::create_symlink(at("real"), at("via-root"));
  const auto made = open_folder(at("via-root/a/b"), true);
  ASSERT_TRUE(made.ok()) << made.err().message;
  EXPECT_TRUE(fs::is_directory(at("real/a/b")));
  EXPECT_EQ(real_path_of(made.value()), fs::canonical(at("real/a/b")).string());

  // The tutorial's layout: the data log folder inside the data folder, which uid 1000 owns. A link
  // planted there leads nowhere: nothing is created at its target.
  const auto data = folder_with_link("data", 1000, 0755, at("elsewhere"));
  const auto refused = open_folder(data + "/link/log", true);
  ASSERT_FALSE(refused.ok());
  EXPECT_FALSE(fs::exists(at("elsewhere"))) << "created through a planted link";
  write(at("a-file"), "");
  const auto not_folder = open_folder(at("a-file/sub"), true);
  ASSERT_FALSE(not_folder.ok());
  EXPECT_NE(not_folder.err().message.find("is a regular file, not a folder"), std::string::npos);
}

TEST_F(guarded_fs_test, writes_never_follow_or_replace_a_link_in_a_folder_of_uid_1000) {
  REQUIRE_ROOT();
  write(at("target"), "outside\n");
  const auto dir = folder_with_link("conf", 1000, 0755, at("target"));
  auto conf = open_folder(dir, false);
  ASSERT_TRUE(conf.ok()) << conf.err().message;
  const auto written = write_atomic(conf.value(), "link", "new\n", 0640);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(fs::read_symlink(dir + "/link"), at("target"));
  const auto after = read_file(at("target"), max_config_bytes);
  ASSERT_TRUE(after.ok() && after.value());
  EXPECT_EQ(*after.value(), "outside\n");
  // restore_mode opens without following: the target's mode stays.
  ASSERT_EQ(::chmod(at("target").c_str(), 0600), 0);
  restore_mode(conf.value(), "link", 0644);
  struct stat st {};
  ASSERT_EQ(::stat(at("target").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600U);
}

TEST_F(guarded_fs_test, only_one_holder_of_a_folder_lock_at_a_time) {
  REQUIRE_ROOT();
  fs::create_directories(at("locked"));
  auto dir = open_folder(at("locked"), false);
  ASSERT_TRUE(dir.ok());
  auto first = lock_folder(dir.value(), 1s, {});
  ASSERT_TRUE(first.ok()) << first.err().message;
  // Another process (flock is per open description; a child has its own after its own open).
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto again = open_folder(root_ + "/locked", false);
    bool waited = false;
    auto second = lock_folder(again.value(), 200ms, [&](std::string_view) { waited = true; });
    ::_exit(!second.ok() && waited && second.err().message.find("another zkagent run has held the lock") !=
                                              std::string::npos
                ? 0
                : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the second holder got the lock, or no message";
  first = folder_lock{};  // released
  auto later = lock_folder(dir.value(), 1s, {});
  EXPECT_TRUE(later.ok());
}

// ".." leads wherever its folder is now: climbing out of a folder uid 1000 could move (into a sticky
// /tmp, say) is refused; out of root's own folders it is fine.
TEST_F(guarded_fs_test, dot_dot_climbs_only_out_of_folders_nobody_else_can_move) {
  REQUIRE_ROOT();
  fs::create_directories(at("roots/sub"));
  const auto fine = open_folder(at("roots/sub/.."), false);
  ASSERT_TRUE(fine.ok()) << fine.err().message;
  EXPECT_EQ(real_path_of(fine.value()), fs::canonical(at("roots")).string());
  fs::create_directories(at("theirs/sub"));
  ASSERT_EQ(::chown(at("theirs/sub").c_str(), 1000, 1000), 0);
  const auto refused = open_folder(at("theirs/sub/../sub"), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.err().message.find("climbs out (\"..\") of a folder that uid 1000"), std::string::npos)
      << refused.err().message;
  EXPECT_FALSE(read_file(at("theirs/sub/../x"), max_config_bytes).ok());
}

// Whether a file is root's alone is judged on the read itself: a root link in a root folder to a file
// in a folder of uid 1000 is not root's alone, whatever the file's owner.
TEST_F(guarded_fs_test, a_read_says_whether_nobody_but_root_could_have_written_it) {
  REQUIRE_ROOT();
  fs::create_directories(at("rconf"));
  write(at("rconf/zoo.cfg"), "dataDir=/x\n");
  fs::create_directories(at("u"));
  ASSERT_EQ(::chown(at("u").c_str(), 1000, 1000), 0);
  write(at("u/zoo.cfg"), "dataDir=/y\n");
  fs::create_symlink(at("u/zoo.cfg"), at("rconf/linked.cfg"));
  write(at("rconf/group.cfg"), "dataDir=/z\n");
  ASSERT_EQ(::chmod(at("rconf/group.cfg").c_str(), 0664), 0);
  auto rconf = open_folder(at("rconf"), false);
  ASSERT_TRUE(rconf.ok());
  struct row {
    std::string name;
    bool root_only;
  };
  for (const auto& r : {row{"zoo.cfg", true}, row{"linked.cfg", false}, row{"group.cfg", false}}) {
    SCOPED_TRACE(r.name);
    const auto read = read_file_at_judged(rconf.value(), r.name, max_config_bytes);
    ASSERT_TRUE(read.ok()) << read.err().message;
    ASSERT_TRUE(read.value().content);
    EXPECT_EQ(read.value().only_root_can_change, r.root_only);
  }
}

}  // namespace
