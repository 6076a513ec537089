// installation: versions from strings and jar names, the supported range, and the classpath of
// both layouts. Pure, so every case is a row in a table.
#include "entrypoint/installation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace zkagent::entrypoint {
namespace {

struct version_case {
  std::string input;
  std::optional<zookeeper_version> expected;
};

TEST(parse_version, accepts_what_zookeeper_and_its_packagers_write) {
  const std::vector<version_case> cases{
      {"3.8.0", zookeeper_version{3, 8, 0, "3.8.0"}},
      {"  3.5.10\n", zookeeper_version{3, 5, 10, "3.5.10"}},
      {"3.10.1", zookeeper_version{3, 10, 1, "3.10.1"}},
      // Debian's build never expanded the Maven placeholder.
      {"3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC", zookeeper_version{3, 8, 0, "3.8.0"}},
      {"3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c, built on 2024-02-12 22:16 UTC",
       zookeeper_version{3, 8, 4, "3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c"}},
      // The first line of a srvr reply.
      {"Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC",
       zookeeper_version{3, 8, 0, "3.8.0"}},
      {"zookeeper-3.8.0.jar", zookeeper_version{3, 8, 0, "3.8.0"}},
      {"zookeeper-3.9.2-SNAPSHOT.jar", zookeeper_version{3, 9, 2, "3.9.2-SNAPSHOT"}},
      {"zookeeper-3.4.14.jar", zookeeper_version{3, 4, 14, "3.4.14"}},
      {"zookeeper-3.8.0", zookeeper_version{3, 8, 0, "3.8.0"}},
      {"apache-zookeeper-3.8.4-bin", zookeeper_version{3, 8, 4, "3.8.4"}},
      {"apache-zookeeper-3.9.2", zookeeper_version{3, 9, 2, "3.9.2"}},
      // Not versions, or other artifacts of the same release.
      {"", std::nullopt},
      {"   ", std::nullopt},
      {"zookeeper-jute-3.8.0.jar", std::nullopt},
      {"zookeeper-it-3.8.0.jar", std::nullopt},
      {"zookeeper-recipes-lock-3.8.0.jar", std::nullopt},
      {"zookeeper.jar", std::nullopt},
      {"3", std::nullopt},
      {"3.8", std::nullopt},
      {"3.8.", std::nullopt},
      {"3..0", std::nullopt},
      {"3.8.x", std::nullopt},
      {"3.8.0.1", std::nullopt},
      {"3.8.0beta", std::nullopt},
      {"v3.8.0", std::nullopt},
      {"-3.8.0", std::nullopt},
      {"3.8.99999999999999999999", std::nullopt},
      {"This ZooKeeper instance is not currently serving requests", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("input: '" + c.input + "'");
    const auto got = parse_version(c.input);
    ASSERT_EQ(got.has_value(), c.expected.has_value());
    if (got) {
      EXPECT_EQ(*got, *c.expected);
    }
  }
}

// What Debian's zookeeper packages put in /usr/share/java next to the server jar.
const std::vector<std::string> debian_names{
    "log4j-1.2-1.2.17.jar",       "log4j-1.2.jar",
    "servlet-api-4.0.1.jar",      "servlet-api.jar",
    "slf4j-api-1.7.32.jar",       "slf4j-api.jar",
    "slf4j-log4j12-1.7.32.jar",   "slf4j-log4j12.jar",
    "zookeeper-3.8.0.jar",        "zookeeper-contrib-loggraph-3.8.0.jar",
    "zookeeper-contrib-loggraph.jar", "zookeeper-it-3.8.0.jar",
    "zookeeper-jute-3.8.0.jar",   "zookeeper-jute.jar",
    "zookeeper-recipes-lock-3.8.0.jar", "zookeeper.jar",
    "logback-classic-1.2.11.jar", "logback-classic.jar",
    "logback-core-1.2.11.jar",    "logback-core.jar",
};

// lib/ of an upstream 3.8 tarball, in directory order (not sorted).
const std::vector<std::string> upstream_38_lib{
    "zookeeper-jute-3.8.4.jar",
    "netty-handler-4.1.105.Final.jar",
    "logback-core-1.2.13.jar",
    "zookeeper-3.8.4.jar",
    "slf4j-api-1.7.30.jar",
    "logback-classic-1.2.13.jar",
    "jetty-server-9.4.53.v20231009.jar",
    "zookeeper-prometheus-metrics-3.8.4.jar",
    "netty-handler-4.1.105.Final.LICENSE.txt",
    "commons-io-2.11.0.jar",
};

// lib/ of an upstream 3.7 tarball: log4j 1.2 through slf4j, no logback.
const std::vector<std::string> upstream_37_lib{
    "zookeeper-3.7.2.jar",  "zookeeper-jute-3.7.2.jar", "slf4j-api-1.7.30.jar",
    "slf4j-reload4j-1.7.35.jar", "reload4j-1.2.19.jar",  "netty-handler-4.1.94.Final.jar",
};

struct jar_names_case {
  std::string name;
  std::vector<std::string> files;
  std::optional<std::string> expected_text;
};

TEST(version_from_jar_names, finds_the_server_jar_only) {
  const std::vector<jar_names_case> cases{
      {"debian", debian_names, "3.8.0"},
      {"upstream 3.8", upstream_38_lib, "3.8.4"},
      {"upstream 3.7", upstream_37_lib, "3.7.2"},
      {"snapshot", {"zookeeper-jute-3.9.2-SNAPSHOT.jar", "zookeeper-3.9.2-SNAPSHOT.jar"}, "3.9.2-SNAPSHOT"},
      {"only other artifacts", {"zookeeper-jute-3.8.0.jar", "zookeeper-it-3.8.0.jar", "zookeeper.jar"}, std::nullopt},
      {"build by-products", {"zookeeper-3.8.0-tests.jar", "zookeeper-3.8.0-sources.jar",
                             "zookeeper-3.8.0-javadoc.jar"}, std::nullopt},
      {"not a jar", {"zookeeper-3.8.0.pom", "zookeeper-3.8.0.jar.sha512"}, std::nullopt},
      {"several: the highest", {"zookeeper-3.8.0.jar", "zookeeper-3.10.0.jar", "zookeeper-3.9.1.jar"}, "3.10.0"},
      {"empty", {}, std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto got = version_from_jar_names(c.files);
    ASSERT_EQ(got.has_value(), c.expected_text.has_value());
    if (got) {
      EXPECT_EQ(got->text, *c.expected_text);
    }
  }
}

TEST(check_supported, refuses_3_4_and_older_with_the_reason) {
  for (const auto& text : {"3.4.14", "3.4.6", "3.3.6", "2.0.0"}) {
    SCOPED_TRACE(text);
    const auto v = parse_version(text);
    ASSERT_TRUE(v);
    const auto verdict = check_supported(*v);
    ASSERT_FALSE(verdict.ok());
    EXPECT_EQ(verdict.err().kind, error_kind::config);
    const auto& message = verdict.err().message;
    EXPECT_NE(message.find(text), std::string::npos) << message;
    EXPECT_NE(message.find("3.4 and older are end of life"), std::string::npos) << message;
    EXPECT_NE(message.find("3.5 server syntax"), std::string::npos) << message;
    EXPECT_NE(message.find("use ZooKeeper 3.5 or newer"), std::string::npos) << message;
  }
}

TEST(check_supported, accepts_3_5_to_3_9_silently) {
  for (const auto& text : {"3.5.0", "3.5.10", "3.6.4", "3.7.2", "3.8.0", "3.9.2", "3.9.3-SNAPSHOT"}) {
    SCOPED_TRACE(text);
    const auto verdict = check_supported(*parse_version(text));
    ASSERT_TRUE(verdict.ok());
    EXPECT_FALSE(verdict.value().has_value());
  }
}

TEST(check_supported, accepts_newer_than_3_9_with_a_warning) {
  for (const auto& text : {"3.10.0", "4.0.0"}) {
    SCOPED_TRACE(text);
    const auto verdict = check_supported(*parse_version(text));
    ASSERT_TRUE(verdict.ok());
    ASSERT_TRUE(verdict.value().has_value());
    EXPECT_NE(verdict.value()->find(text), std::string::npos) << *verdict.value();
    EXPECT_NE(verdict.value()->find("newer than 3.9"), std::string::npos) << *verdict.value();
  }
}

TEST(upstream_installation, classpath_is_every_lib_jar_sorted_then_home_server_jars) {
  const auto found = upstream_installation("/opt/zookeeper/", upstream_38_lib, {"README.md", "NOTICE.txt"},
                                           "--zookeeper-home");
  ASSERT_TRUE(found.ok()) << found.err().message;
  EXPECT_EQ(found->kind, layout::upstream);
  EXPECT_EQ(found->home, "/opt/zookeeper");
  EXPECT_EQ(found->version, (zookeeper_version{3, 8, 4, "3.8.4"}));
  EXPECT_EQ(found->logging, logging_backend::logback);
  const std::vector<std::string> expected{
      "/opt/zookeeper/lib/commons-io-2.11.0.jar",
      "/opt/zookeeper/lib/jetty-server-9.4.53.v20231009.jar",
      "/opt/zookeeper/lib/logback-classic-1.2.13.jar",
      "/opt/zookeeper/lib/logback-core-1.2.13.jar",
      "/opt/zookeeper/lib/netty-handler-4.1.105.Final.jar",
      "/opt/zookeeper/lib/slf4j-api-1.7.30.jar",
      "/opt/zookeeper/lib/zookeeper-3.8.4.jar",
      "/opt/zookeeper/lib/zookeeper-jute-3.8.4.jar",
      "/opt/zookeeper/lib/zookeeper-prometheus-metrics-3.8.4.jar",
  };
  EXPECT_EQ(found->classpath, expected);
}

TEST(upstream_installation, the_classpath_does_not_depend_on_listing_order) {
  auto reversed = upstream_38_lib;
  std::reverse(reversed.begin(), reversed.end());
  const auto a = upstream_installation("/zk", upstream_38_lib, {}, "ZOOKEEPER_HOME");
  const auto b = upstream_installation("/zk", reversed, {}, "ZOOKEEPER_HOME");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->classpath, b->classpath);
}

struct logging_case {
  std::string name;
  std::vector<std::string> lib;
  logging_backend expected;
};

TEST(upstream_installation, logback_only_when_logback_classic_is_in_lib) {
  const std::vector<logging_case> cases{
      {"3.8 tarball", upstream_38_lib, logging_backend::logback},
      {"3.7 tarball (reload4j)", upstream_37_lib, logging_backend::log4j},
      {"3.5 tarball (log4j)", {"zookeeper-3.5.10.jar", "log4j-1.2.17.jar", "slf4j-log4j12-1.7.25.jar"},
       logging_backend::log4j},
      {"logback-core alone is not a backend", {"zookeeper-3.8.0.jar", "logback-core-1.2.11.jar"},
       logging_backend::log4j},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto found = upstream_installation("/zk", c.lib, {}, "--zookeeper-home");
    ASSERT_TRUE(found.ok()) << found.err().message;
    EXPECT_EQ(found->logging, c.expected);
  }
}

TEST(upstream_installation, a_3_4_tarball_keeps_the_server_jar_in_home_and_is_then_refused) {
  const auto found = upstream_installation(
      "/opt/zookeeper-3.4.14", {"log4j-1.2.17.jar", "slf4j-api-1.7.25.jar", "netty-3.10.6.Final.jar"},
      {"zookeeper-3.4.14.jar", "build.xml", "ivy.xml", "other.jar"}, "ZOOKEEPER_HOME");
  ASSERT_TRUE(found.ok()) << found.err().message;
  EXPECT_EQ(found->version.text, "3.4.14");
  const std::vector<std::string> expected{
      "/opt/zookeeper-3.4.14/lib/log4j-1.2.17.jar",
      "/opt/zookeeper-3.4.14/lib/netty-3.10.6.Final.jar",
      "/opt/zookeeper-3.4.14/lib/slf4j-api-1.7.25.jar",
      "/opt/zookeeper-3.4.14/zookeeper-3.4.14.jar",
  };
  EXPECT_EQ(found->classpath, expected);
  EXPECT_FALSE(check_supported(found->version).ok());
}

struct upstream_error_case {
  std::string name;
  std::vector<std::string> lib;
  error_kind kind;
  std::vector<std::string> message_parts;
};

TEST(upstream_installation, says_what_is_wrong_with_the_home) {
  const std::vector<upstream_error_case> cases{
      {"empty lib", {}, error_kind::not_found, {"ZOOKEEPER_HOME=/zk", "no ZooKeeper server jar", "/zk/lib"}},
      {"only jute", {"zookeeper-jute-3.8.0.jar", "slf4j-api-1.7.30.jar"}, error_kind::not_found,
       {"ZOOKEEPER_HOME=/zk", "zookeeper-X.Y.Z.jar"}},
      {"two server jars", {"zookeeper-3.8.0.jar", "zookeeper-3.8.4.jar"}, error_kind::config,
       {"ZOOKEEPER_HOME=/zk", "zookeeper-3.8.0.jar, zookeeper-3.8.4.jar"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto found = upstream_installation("/zk", c.lib, {}, "ZOOKEEPER_HOME");
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.err().kind, c.kind);
    for (const auto& part : c.message_parts) {
      EXPECT_NE(found.err().message.find(part), std::string::npos) << found.err().message << "\nlacks " << part;
    }
  }
}

TEST(debian_installation, uses_the_package_jars_and_log4j) {
  const auto found = debian_installation("/usr/share/java", debian_names);
  ASSERT_TRUE(found.ok()) << found.err().message;
  EXPECT_EQ(found->kind, layout::debian);
  EXPECT_EQ(found->home, "/usr/share/java");
  EXPECT_EQ(found->version, (zookeeper_version{3, 8, 0, "3.8.0"}));
  // Even with liblogback-java installed next to it: Debian's ZooKeeper logs through log4j 1.2.
  EXPECT_EQ(found->logging, logging_backend::log4j);
  const std::vector<std::string> expected{
      "/usr/share/java/zookeeper.jar",
      "/usr/share/java/slf4j-log4j12.jar",
      "/usr/share/java/log4j-1.2.jar",
      "/usr/share/java/servlet-api.jar",
  };
  EXPECT_EQ(found->classpath, expected);
}

struct debian_error_case {
  std::string name;
  std::vector<std::string> files;
  std::vector<std::string> message_parts;
};

TEST(debian_installation, names_what_is_missing_and_the_package_to_install) {
  const std::vector<debian_error_case> cases{
      {"no zookeeper.jar", {"slf4j-log4j12.jar", "zookeeper-3.8.0.jar"}, {"no zookeeper.jar in /j"}},
      {"no versioned name", {"zookeeper.jar", "slf4j-log4j12.jar", "log4j-1.2.jar", "servlet-api.jar"},
       {"zookeeper-X.Y.Z.jar", "version"}},
      {"no logging jars", {"zookeeper.jar", "zookeeper-3.8.0.jar", "servlet-api.jar"},
       {"slf4j-log4j12.jar, log4j-1.2.jar", "apt-get install libslf4j-java liblog4j1.2-java"}},
      {"no servlet api", {"zookeeper.jar", "zookeeper-3.8.0.jar", "slf4j-log4j12.jar", "log4j-1.2.jar"},
       {"servlet-api.jar", "libservlet-api-java"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto found = debian_installation("/j/", c.files);
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.err().kind, error_kind::not_found);
    for (const auto& part : c.message_parts) {
      EXPECT_NE(found.err().message.find(part), std::string::npos) << found.err().message << "\nlacks " << part;
    }
  }
}

TEST(describe, names_layouts_and_backends) {
  EXPECT_EQ(describe(layout::debian), "debian");
  EXPECT_EQ(describe(layout::upstream), "upstream");
  EXPECT_EQ(describe(logging_backend::log4j), "log4j");
  EXPECT_EQ(describe(logging_backend::logback), "logback");
}

}  // namespace
}  // namespace zkagent::entrypoint
