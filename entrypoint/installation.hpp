#pragma once
// Which ZooKeeper is installed and how to put it on the JVM's classpath. Pure: the I/O side
// (launcher) lists the folders and hands the file names in; nothing here touches the system.
// Two layouts: Debian's (/usr/share/java, log4j 1.2) and the upstream tarball's (<home>/lib/*.jar,
// logback from 3.8 on).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace zkagent::entrypoint {

struct zookeeper_version {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::string text;  // as ZooKeeper names itself, e.g. "3.8.0" or "3.9.2-SNAPSHOT"

  friend bool operator==(const zookeeper_version&, const zookeeper_version&) = default;
};

// Tolerant, because Debian's build reports "3.8.0-${mvngit.commit.id}, built on ...": accepts
// "3.8.0", that string, "zookeeper-3.8.0.jar", "zookeeper-3.9.2-SNAPSHOT.jar",
// "apache-zookeeper-3.8.4-bin". Rejects other artifacts ("zookeeper-jute-3.8.0.jar") and
// anything without major.minor.patch.
std::optional<zookeeper_version> parse_version(std::string_view text);

// The server jar among file names: zookeeper-X.Y.Z[-qualifier].jar, never zookeeper-jute-*,
// zookeeper-recipes-*, *-tests.jar, *-sources.jar or *-javadoc.jar. With several, the highest.
std::optional<zookeeper_version> version_from_jar_names(const std::vector<std::string>& file_names);

enum class layout { debian, upstream };
enum class logging_backend { log4j, logback };  // log4j: log4j.properties; logback: logback.xml

std::string_view describe(layout kind);
std::string_view describe(logging_backend backend);

struct installation {
  layout kind = layout::debian;
  std::string home;  // the upstream home, or Debian's jar folder
  zookeeper_version version;
  std::vector<std::string> classpath;  // absolute jar paths in order; the conf dir is NOT included
  logging_backend logging = logging_backend::log4j;
};

// Supported: 3.5 to 3.9. 3.4 and older are refused (kind config). Newer than 3.9 is accepted
// and the value holds a warning for the log; a supported version gives nullopt.
result<std::optional<std::string>> check_supported(const zookeeper_version& v);

// An upstream (tarball) home. lib_jar_names: file names in <home>/lib; home_jar_names: file names
// in <home> itself, where 3.4-era tarballs kept the server jar. Non-.jar names are ignored.
// Classpath: lib jars sorted, then home jars sorted (as zkEnv.sh adds them), so it is the same on
// every start. Logging is logback when logback-classic is in lib/, else log4j (3.5 to 3.7, reload4j).
// home_source names where home came from ("--zookeeper-home", "ZOOKEEPER_HOME") for messages.
result<installation> upstream_installation(std::string_view home, std::vector<std::string> lib_jar_names,
                                           std::vector<std::string> home_jar_names,
                                           std::string_view home_source);

// Debian's zookeeper package: file names found in java_dir (/usr/share/java). The server jar is
// zookeeper.jar, whose manifest Class-Path brings the other dependencies; the version comes from
// the zookeeper-X.Y.Z.jar symlink next to it. Logging is log4j 1.2 through slf4j-log4j12.
result<installation> debian_installation(std::string_view java_dir, const std::vector<std::string>& file_names);

}  // namespace zkagent::entrypoint
