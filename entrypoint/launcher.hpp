#pragma once
// Finds what the JVM launch needs on this machine: the java binary and the ZooKeeper installation.
// A thin I/O shell: it checks files and lists folders, and leaves every decision about jar names,
// versions and classpaths to installation.hpp.
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/text.hpp"
#include "entrypoint/installation.hpp"

namespace zkagent::entrypoint {

// The java to run, in this order:
//  1. explicit_java (the --java flag): a path, or a bare name looked up on PATH; an error names --java.
//  2. $JAVA_HOME/bin/java when JAVA_HOME is set and not empty; if that file is missing (not_found)
//     or not executable (launch) it is an error naming JAVA_HOME and the path, not a silent fallback.
//  3. The first executable regular file `java` in PATH (from env; when PATH is unset, /usr/bin:/bin
//     as execvp would use). Empty PATH entries are skipped: they would mean the working directory.
// Otherwise not_found, saying to install a Java 11+ runtime or set JAVA_HOME.
result<std::string> find_java(const env_map& env, std::optional<std::string> explicit_java);

// The ZooKeeper installation:
//  - explicit_home (from --zookeeper-home or ZOOKEEPER_HOME; home_source says which, for messages):
//    an upstream home, made absolute; reads <home>/lib and <home>. Errors name home_source and the
//    path when the folder or its lib/ is missing or holds no zookeeper-X.Y.Z.jar.
//  - else Debian's layout in java_dir.
//  - else not_found naming --zookeeper-home, ZOOKEEPER_HOME and the Debian package.
// The version is not judged here: call check_supported on the result.
result<installation> find_zookeeper(std::optional<std::string> explicit_home, std::string_view home_source,
                                    const std::string& java_dir = "/usr/share/java");

}  // namespace zkagent::entrypoint
