// zkagent's reading of myid against ZooKeeper's own: tests/integration/MyidHarness.java, compiled here
// at run time, runs QuorumPeerConfig.parse on the real jar (Debian's 3.8.0, the classpath zkagent
// launches it with) over a zoo.cfg with two server.N lines and a dataDir holding each content.
// ASCII contents must be read alike; non-ASCII digits are read by ZooKeeper according to the JVM's
// locale, so zkagent refuses them and decide() never keeps them. Missing java, javac or
// ZooKeeper fail the test, naming the package.
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/text.hpp"
#include "myid/myid_file.hpp"
#include "test_support.hpp"

namespace {

namespace zt = zkagent::testing;

// ZooKeeper's classpath as zkagent builds it for Debian's package (entrypoint/installation.cpp).
const std::vector<std::string> zookeeper_jars{"/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-log4j12.jar",
                                              "/usr/share/java/log4j-1.2.jar", "/usr/share/java/servlet-api.jar"};

struct row {
  std::string label;
  std::string content;
};

const std::vector<row> ascii_rows{
    {"1", "1"},           {"plus 1", "+1"},       {"01", "01"},
    {"space 1", " 1"},    {"1 space", "1 "},      {"newline 1", "\n1"},
    {"1 CRLF", "1\r\n"},  {"1 CR", "1\r"},        {"1 then garbage", "1\ngarbage"},
    {"empty", ""},        {"minus 1", "-1"},      {"0", "0"},
    {"256", "256"},       {"minus 5", "-5"},      {"tab 1", "\t1"},
    {"plus minus 1", "+-1"}, {"20 nines", "99999999999999999999"}, {"long max", "9223372036854775807"},
    {"1.0", "1.0"},       {"1 NUL", std::string("1\0", 2)},
};

const std::vector<row> non_ascii_rows{
    {"U+0661", "\xd9\xa1"},      // ARABIC-INDIC DIGIT ONE
    {"U+FF11", "\xef\xbc\x91"},  // FULLWIDTH DIGIT ONE
};

std::string zkagent_reading(const std::string& content) {
  const auto id = zkagent::myid::id_as_zookeeper_reads(content);
  return id ? std::to_string(*id) : "refused";
}

// The JDK the `java` on PATH belongs to: ZooKeeper runs on that one here.
std::string jdk_bin() {
  std::istringstream path(zt::minimal_env().at("PATH"));
  for (std::string dir; std::getline(path, dir, ':');) {
    const std::string java = dir + "/java";
    if (::access(java.c_str(), X_OK) != 0) continue;
    char resolved[PATH_MAX];
    if (::realpath(java.c_str(), resolved) == nullptr) continue;
    const std::string real = resolved;
    return real.substr(0, real.rfind('/'));
  }
  return "";
}

class myid_differential : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = jdk_bin();
    ASSERT_FALSE(bin_.empty()) << "java is not on PATH (apt-get install default-jre-headless)";
    for (const auto* tool : {"javac", "java"}) {
      ASSERT_EQ(::access((bin_ + "/" + tool).c_str(), X_OK), 0)
          << bin_ << "/" << tool << " is missing: the harness is compiled with the JDK of the java ZooKeeper "
          << "runs on (apt-get install openjdk-17-jdk-headless)";
    }
    for (const auto& jar : zookeeper_jars) {
      ASSERT_TRUE(zt::exists(jar)) << jar << " is missing (apt-get install zookeeper)";
    }
    const auto version = zt::run({bin_ + "/java", "-version"});
    ASSERT_EQ(version.exit_code, 0) << version.err;
    // The locale-dependent reading below is Java 17's (JEP 400 made UTF-8 the default in 18).
    ASSERT_NE(version.err.find("version \"17."), std::string::npos) << version.err;
    const auto compiled = zt::run({bin_ + "/javac", "-cp", zookeeper_jars.front(), "-d", dir_.path(),
                                   std::string(ZKAGENT_SOURCE_DIR) + "/tests/integration/MyidHarness.java"},
                                  zt::minimal_env(), std::chrono::seconds(120));
    ASSERT_EQ(compiled.exit_code, 0) << "javac failed:\n" << compiled.out << compiled.err;
  }

  // A zoo.cfg whose dataDir holds a myid with this content; returns its path.
  std::string config_with_myid(std::size_t index, const std::string& content) {
    const std::string dir = dir_ / ("case" + std::to_string(index));
    zt::write_file(dir + "/data/myid", content);
    zt::write_file(dir + "/zoo.cfg", "tickTime=2000\ninitLimit=5\nsyncLimit=2\ndataDir=" + dir +
                                         "/data\nclientPort=2181\nserver.1=127.0.0.1:2888:3888\n"
                                         "server.2=127.0.0.1:2889:3889\n");
    return dir + "/zoo.cfg";
  }

  // ZooKeeper's reading of each content, under the locale given (LC_ALL): one JVM for all rows.
  std::vector<std::string> zookeeper_readings(const std::vector<row>& rows, const std::string& locale) {
    std::string classpath = dir_.path();
    for (const auto& jar : zookeeper_jars) classpath += ":" + jar;
    std::vector<std::string> argv{bin_ + "/java", "-cp", classpath, "MyidHarness"};
    for (std::size_t i = 0; i < rows.size(); ++i) argv.push_back(config_with_myid(next_case_++, rows[i].content));
    auto env = zt::minimal_env();
    env["LC_ALL"] = locale;
    const auto r = zt::run(argv, env, std::chrono::seconds(120));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto lines = zt::lines_of(r.out);
    EXPECT_EQ(lines.size(), rows.size()) << r.out << r.err;
    lines.resize(rows.size(), "(no line)");
    harness_log_ += r.err;
    return lines;
  }

  std::string bin_;
  zt::temp_dir dir_;
  std::size_t next_case_ = 0;
  std::string harness_log_;
};

TEST_F(myid_differential, ascii_contents_are_read_as_zookeeper_reads_them) {
  for (const auto* locale : {"C", "C.UTF-8"}) {
    const auto theirs = zookeeper_readings(ascii_rows, locale);
    for (std::size_t i = 0; i < ascii_rows.size(); ++i) {
      SCOPED_TRACE(std::string("locale ") + locale + ", myid " + zkagent::text::quote(ascii_rows[i].content));
      EXPECT_EQ(zkagent_reading(ascii_rows[i].content), theirs[i]) << harness_log_;
    }
  }
}

TEST_F(myid_differential, non_ascii_digits_depend_on_the_locale_so_zkagent_refuses_them) {
  const auto under_c = zookeeper_readings(non_ascii_rows, "C");
  const auto under_utf8 = zookeeper_readings(non_ascii_rows, "C.UTF-8");
  for (std::size_t i = 0; i < non_ascii_rows.size(); ++i) {
    const auto& content = non_ascii_rows[i].content;
    SCOPED_TRACE(non_ascii_rows[i].label);
    // The premise: the same bytes are refused under one locale and read as 1 under another.
    EXPECT_EQ(under_c[i], "refused") << harness_log_;
    EXPECT_EQ(under_utf8[i], "1") << harness_log_;
    EXPECT_EQ(zkagent_reading(content), "refused");
    const auto decided = zkagent::myid::decide(content, 1, false, "the test", "/data/myid");
    EXPECT_FALSE(decided.ok() && decided.value() == zkagent::myid::myid_action::keep);
  }
}

TEST_F(myid_differential, a_file_is_kept_only_when_zookeeper_reads_our_id_from_it) {
  const auto theirs = zookeeper_readings(ascii_rows, "C");
  for (std::size_t i = 0; i < ascii_rows.size(); ++i) {
    SCOPED_TRACE("myid " + zkagent::text::quote(ascii_rows[i].content));
    const auto decided = zkagent::myid::decide(ascii_rows[i].content, 1, false, "the test", "/data/myid");
    const bool kept = decided.ok() && decided.value() == zkagent::myid::myid_action::keep;
    EXPECT_EQ(kept, theirs[i] == "1") << (decided.ok() ? std::string("kept") : decided.err().message);
  }
}

}  // namespace
