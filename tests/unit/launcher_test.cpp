// launcher: java and ZooKeeper found on disk. Every case builds its own folders under a fresh temp
// directory (fake java scripts, empty jar files), plus one look at Debian's real /usr/share/java.
#include "entrypoint/launcher.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <string>
#include <vector>

namespace zkagent::entrypoint {
namespace {

namespace fs = std::filesystem;

class temp_dir {
 public:
  temp_dir() {
    auto pattern = (fs::temp_directory_path() / "zkagent-launcher-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }

  [[nodiscard]] std::string path(const std::string& relative = "") const {
    return relative.empty() ? path_ : path_ + "/" + relative;
  }

  // Creates the file (and its folders) with the given mode; returns its full path.
  std::string file(const std::string& relative, mode_t mode = 0644, const std::string& content = "") const {
    const auto full = path(relative);
    fs::create_directories(fs::path(full).parent_path());
    std::ofstream(full) << content;
    if (::chmod(full.c_str(), mode) != 0) throw std::runtime_error("chmod failed");
    return full;
  }
  std::string folder(const std::string& relative) const {
    const auto full = path(relative);
    fs::create_directories(full);
    return full;
  }
  std::string executable(const std::string& relative) const { return file(relative, 0755, "#!/bin/sh\n"); }

 private:
  std::string path_;
};

void expect_mentions(const error& e, const std::vector<std::string>& parts) {
  for (const auto& part : parts) {
    EXPECT_NE(e.message.find(part), std::string::npos) << e.message << "\nlacks: " << part;
  }
}

// --- find_java --------------------------------------------------------------------------------

TEST(find_java, explicit_path_wins_over_java_home_and_path) {
  const temp_dir t;
  const auto chosen = t.executable("chosen/java");
  t.executable("jdk/bin/java");
  t.executable("bin/java");
  const env_map env{{"JAVA_HOME", t.path("jdk")}, {"PATH", t.path("bin")}};
  const auto java = find_java(env, chosen);
  ASSERT_TRUE(java.ok()) << java.err().message;
  EXPECT_EQ(*java, chosen);
}

TEST(find_java, explicit_bare_name_is_looked_up_on_path) {
  const temp_dir t;
  const auto java17 = t.executable("bin/java17");
  const auto java = find_java({{"PATH", t.path("bin")}}, "java17");
  ASSERT_TRUE(java.ok()) << java.err().message;
  EXPECT_EQ(*java, java17);
}

struct explicit_error_case {
  std::string name;
  std::string java;  // relative to the temp dir unless it has no slash
  error_kind kind;
};

TEST(find_java, explicit_problems_name_the_flag) {
  const temp_dir t;
  t.file("plain/java", 0644);
  t.folder("folder/java");
  const std::vector<explicit_error_case> cases{
      {"missing", t.path("nowhere/java"), error_kind::not_found},
      {"not executable", t.path("plain/java"), error_kind::launch},
      {"a folder", t.path("folder/java"), error_kind::launch},
      {"bare name not on PATH", "java-that-is-not-there", error_kind::not_found},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto java = find_java({{"PATH", t.path("plain")}}, c.java);
    ASSERT_FALSE(java.ok());
    EXPECT_EQ(java.err().kind, c.kind);
    expect_mentions(java.err(), {"--java", c.java});
  }
  const auto empty = find_java({}, std::string{});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.err().kind, error_kind::config);
}

TEST(find_java, java_home_wins_over_path) {
  const temp_dir t;
  const auto jdk_java = t.executable("jdk/bin/java");
  t.executable("bin/java");
  for (const auto& home : {t.path("jdk"), t.path("jdk") + "/"}) {
    SCOPED_TRACE(home);
    const auto java = find_java({{"JAVA_HOME", home}, {"PATH", t.path("bin")}}, std::nullopt);
    ASSERT_TRUE(java.ok()) << java.err().message;
    EXPECT_EQ(*java, jdk_java);
  }
}

struct java_home_case {
  std::string name;
  std::string home;  // relative to the temp dir
  error_kind kind;
};

TEST(find_java, a_broken_java_home_is_an_error_not_a_fallback) {
  const temp_dir t;
  t.file("plain-jdk/bin/java", 0644);
  t.folder("folder-jdk/bin/java");
  t.folder("empty-jdk");
  t.executable("bin/java");  // on PATH, and still not used
  const std::vector<java_home_case> cases{
      {"no bin/java", "empty-jdk", error_kind::not_found},
      {"no such folder", "nowhere", error_kind::not_found},
      {"bin/java not executable", "plain-jdk", error_kind::launch},
      {"bin/java is a folder", "folder-jdk", error_kind::launch},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto home = t.path(c.home);
    const auto java = find_java({{"JAVA_HOME", home}, {"PATH", t.path("bin")}}, std::nullopt);
    ASSERT_FALSE(java.ok());
    EXPECT_EQ(java.err().kind, c.kind);
    expect_mentions(java.err(), {"JAVA_HOME", home + "/bin/java"});
  }
}

TEST(find_java, an_empty_java_home_counts_as_unset) {
  const temp_dir t;
  const auto path_java = t.executable("bin/java");
  const auto java = find_java({{"JAVA_HOME", ""}, {"PATH", t.path("bin")}}, std::nullopt);
  ASSERT_TRUE(java.ok()) << java.err().message;
  EXPECT_EQ(*java, path_java);
}

TEST(find_java, path_gives_the_first_executable_java) {
  const temp_dir t;
  t.folder("empty");
  t.file("plain/java", 0644);
  t.folder("folder/java");
  const auto good = t.executable("good/java");
  t.executable("later/java");
  // Empty entries (leading and doubled colons) would mean the working directory: skipped.
  std::string path;
  for (const auto& entry : {std::string{}, t.path("missing"), t.path("empty"), t.path("plain"), std::string{},
                            t.path("folder"), t.path("good") + "/", t.path("later")}) {
    path.append(entry).append(":");
  }
  const auto java = find_java({{"PATH", path}}, std::nullopt);
  ASSERT_TRUE(java.ok()) << java.err().message;
  EXPECT_EQ(*java, good);
}

TEST(find_java, no_java_anywhere_says_what_to_install) {
  const temp_dir t;
  t.file("plain/java", 0644);
  for (const auto& env : {env_map{{"PATH", t.path("plain")}}, env_map{{"PATH", ""}}}) {
    SCOPED_TRACE(env.at("PATH"));
    const auto java = find_java(env, std::nullopt);
    ASSERT_FALSE(java.ok());
    EXPECT_EQ(java.err().kind, error_kind::not_found);
    expect_mentions(java.err(), {"Java 11+", "JAVA_HOME"});
  }
}

TEST(find_java, finds_this_machines_java_on_a_usual_path) {
  // The test command installs a Java runtime; its absence is a broken setup, not a reason to pass.
  ASSERT_EQ(::access("/usr/bin/java", X_OK), 0) << "no /usr/bin/java: install default-jre-headless";
  const auto java = find_java({{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
                              std::nullopt);
  ASSERT_TRUE(java.ok()) << java.err().message;
  EXPECT_TRUE(*java == "/usr/bin/java" || *java == "/usr/local/bin/java" || *java == "/usr/local/sbin/java" ||
              *java == "/usr/sbin/java")
      << *java;
}

// --- find_zookeeper ---------------------------------------------------------------------------

TEST(find_zookeeper, reads_an_upstream_home) {
  const temp_dir t;
  for (const auto* jar : {"zookeeper-3.8.4.jar", "zookeeper-jute-3.8.4.jar", "slf4j-api-1.7.30.jar",
                          "logback-core-1.2.13.jar", "logback-classic-1.2.13.jar"}) {
    t.file(std::string("zk/lib/") + jar);
  }
  t.file("zk/lib/README.txt");
  t.folder("zk/lib/licenses.jar");  // a folder, whatever its name, is not a jar
  t.file("zk/conf/zoo_sample.cfg");
  const auto found = find_zookeeper(t.path("zk") + "/", "--zookeeper-home");
  ASSERT_TRUE(found.ok()) << found.err().message;
  EXPECT_EQ(found->kind, layout::upstream);
  EXPECT_EQ(found->home, t.path("zk"));
  EXPECT_EQ(found->version, (zookeeper_version{3, 8, 4, "3.8.4"}));
  EXPECT_EQ(found->logging, logging_backend::logback);
  const auto lib = t.path("zk/lib/");
  const std::vector<std::string> expected{lib + "logback-classic-1.2.13.jar", lib + "logback-core-1.2.13.jar",
                                          lib + "slf4j-api-1.7.30.jar", lib + "zookeeper-3.8.4.jar",
                                          lib + "zookeeper-jute-3.8.4.jar"};
  EXPECT_EQ(found->classpath, expected);
}

TEST(find_zookeeper, makes_a_relative_home_absolute) {
  const temp_dir t;
  t.file("zk/lib/zookeeper-3.9.2.jar");
  const auto previous = fs::current_path();
  fs::current_path(t.path());
  const auto found = find_zookeeper("zk", "ZOOKEEPER_HOME");
  fs::current_path(previous);
  ASSERT_TRUE(found.ok()) << found.err().message;
  EXPECT_EQ(found->home, t.path("zk"));
  EXPECT_EQ(found->classpath, std::vector<std::string>{t.path("zk/lib/zookeeper-3.9.2.jar")});
  EXPECT_EQ(found->logging, logging_backend::log4j);
}

TEST(find_zookeeper, a_3_4_home_is_found_and_then_refused) {
  const temp_dir t;
  t.file("zk/zookeeper-3.4.14.jar");
  t.file("zk/lib/log4j-1.2.17.jar");
  const auto found = find_zookeeper(t.path("zk"), "ZOOKEEPER_HOME");
  ASSERT_TRUE(found.ok()) << found.err().message;
  EXPECT_EQ(found->version.text, "3.4.14");
  EXPECT_EQ(found->classpath.back(), t.path("zk/zookeeper-3.4.14.jar"));
  const auto verdict = check_supported(found->version);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.err().kind, error_kind::config);
}

struct home_error_case {
  std::string name;
  std::string home;  // relative to the temp dir
  error_kind kind;
  std::vector<std::string> message_parts;
};

TEST(find_zookeeper, a_bad_home_names_its_source_and_path) {
  const temp_dir t;
  t.folder("no-lib/bin");
  t.file("no-jar/lib/slf4j-api-1.7.30.jar");
  t.file("no-jar/lib/zookeeper-jute-3.8.0.jar");
  t.file("a-file");
  const std::vector<home_error_case> cases{
      {"no lib/", "no-lib", error_kind::not_found, {"lib/"}},
      {"no server jar", "no-jar", error_kind::not_found, {"zookeeper-X.Y.Z.jar"}},
      {"no such folder", "nowhere", error_kind::not_found, {"no such folder"}},
      {"not a folder", "a-file", error_kind::not_found, {"not a folder"}},
  };
  for (const auto& source : {"--zookeeper-home", "ZOOKEEPER_HOME"}) {
    for (const auto& c : cases) {
      SCOPED_TRACE(std::string(source) + ": " + c.name);
      const auto home = t.path(c.home);
      const auto found = find_zookeeper(home, source);
      ASSERT_FALSE(found.ok());
      EXPECT_EQ(found.err().kind, c.kind);
      expect_mentions(found.err(), {std::string(source) + "=" + home});
      expect_mentions(found.err(), c.message_parts);
    }
  }
  const auto empty = find_zookeeper(std::string{}, "ZOOKEEPER_HOME");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.err().kind, error_kind::config);
  expect_mentions(empty.err(), {"ZOOKEEPER_HOME"});
}

TEST(find_zookeeper, an_explicit_home_wins_over_debian) {
  const temp_dir t;
  t.file("zk/lib/zookeeper-3.7.2.jar");
  t.file("java/zookeeper.jar");
  t.file("java/zookeeper-3.8.0.jar");
  t.file("java/slf4j-log4j12.jar");
  t.file("java/log4j-1.2.jar");
  t.file("java/servlet-api.jar");
  const auto found = find_zookeeper(t.path("zk"), "ZOOKEEPER_HOME", t.path("java"));
  ASSERT_TRUE(found.ok()) << found.err().message;
  EXPECT_EQ(found->kind, layout::upstream);
  EXPECT_EQ(found->version.text, "3.7.2");
}

TEST(find_zookeeper, debian_layout_in_a_given_folder_with_symlinks) {
  const temp_dir t;
  t.file("java/zookeeper.jar");
  ASSERT_EQ(::symlink("zookeeper.jar", t.path("java/zookeeper-3.8.0.jar").c_str()), 0);
  ASSERT_EQ(::symlink("missing.jar", t.path("java/zookeeper-3.9.9.jar").c_str()), 0);  // dangling: ignored
  for (const auto* jar : {"slf4j-log4j12.jar", "log4j-1.2.jar", "servlet-api.jar"}) t.file(std::string("java/") + jar);
  const auto found = find_zookeeper(std::nullopt, "ZOOKEEPER_HOME", t.path("java"));
  ASSERT_TRUE(found.ok()) << found.err().message;
  EXPECT_EQ(found->kind, layout::debian);
  EXPECT_EQ(found->version.text, "3.8.0");
  EXPECT_EQ(found->classpath.front(), t.path("java/zookeeper.jar"));
}

TEST(find_zookeeper, debian_with_a_missing_dependency_names_the_package) {
  const temp_dir t;
  t.file("java/zookeeper.jar");
  t.file("java/zookeeper-3.8.0.jar");
  t.file("java/slf4j-log4j12.jar");
  t.file("java/log4j-1.2.jar");
  const auto found = find_zookeeper(std::nullopt, "ZOOKEEPER_HOME", t.path("java"));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.err().kind, error_kind::not_found);
  expect_mentions(found.err(), {"servlet-api.jar", "libservlet-api-java"});
}

TEST(find_zookeeper, nothing_found_names_both_options) {
  const temp_dir t;
  t.file("java/slf4j-api.jar");
  for (const auto& java_dir : {t.path("java"), t.path("nowhere")}) {
    SCOPED_TRACE(java_dir);
    const auto found = find_zookeeper(std::nullopt, "ZOOKEEPER_HOME", java_dir);
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.err().kind, error_kind::not_found);
    expect_mentions(found.err(), {"--zookeeper-home", "ZOOKEEPER_HOME", "zookeeper package", java_dir});
  }
}

TEST(find_zookeeper, the_real_debian_install_is_3_8_0) {
  // scripts/test installs the package: missing, the setup is broken and the test says so.
  ASSERT_EQ(::access("/usr/share/java/zookeeper.jar", R_OK), 0)
      << "Debian's zookeeper package is not installed: apt-get install zookeeper";
  const auto found = find_zookeeper(std::nullopt, "ZOOKEEPER_HOME");
  ASSERT_TRUE(found.ok()) << found.err().message;
  EXPECT_EQ(found->kind, layout::debian);
  EXPECT_EQ(found->home, "/usr/share/java");
  EXPECT_EQ(found->version, (zookeeper_version{3, 8, 0, "3.8.0"}));
  EXPECT_EQ(found->logging, logging_backend::log4j);
  const std::vector<std::string> expected{"/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-log4j12.jar",
                                          "/usr/share/java/log4j-1.2.jar", "/usr/share/java/servlet-api.jar"};
  EXPECT_EQ(found->classpath, expected);
  EXPECT_TRUE(check_supported(found->version).ok());
}

}  // namespace
}  // namespace zkagent::entrypoint
