#include "entrypoint/installation.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <iterator>
#include <tuple>
#include <utility>

#include "common/text.hpp"

namespace zkagent::entrypoint {
namespace {

constexpr std::string_view jar_suffix = ".jar";
constexpr std::string_view server_jar_prefix = "zookeeper-";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Leading decimal digits of s as a version component; advances s past them.
std::optional<int> take_number(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && is_digit(s[n])) ++n;
  const auto value = text::parse_uint(s.substr(0, n), 0, 99999);
  if (!value) return std::nullopt;
  s.remove_prefix(n);
  return static_cast<int>(*value);
}

bool take_dot(std::string_view& s) {
  if (s.empty() || s.front() != '.') return false;
  s.remove_prefix(1);
  return true;
}

// zookeeper-X.Y.Z[-qualifier].jar, but no build by-products that share the prefix.
bool is_server_jar_name(std::string_view name) {
  if (!name.starts_with(server_jar_prefix) || !name.ends_with(jar_suffix)) return false;
  for (const std::string_view by_product : {"-tests.jar", "-sources.jar", "-javadoc.jar"}) {
    if (name.ends_with(by_product)) return false;
  }
  return parse_version(name).has_value();
}

auto version_key(const zookeeper_version& v) { return std::tie(v.major, v.minor, v.patch, v.text); }

std::vector<std::string> sorted_jars(std::vector<std::string> names) {
  std::erase_if(names, [](const std::string& n) { return !n.ends_with(jar_suffix); });
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

// "/opt/zk/" and "/opt/zk" must give the same classpath.
std::string without_trailing_slashes(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return std::string(path);
}

std::string child(const std::string& folder, std::string_view name) {
  return folder == "/" ? folder + std::string(name) : folder + "/" + std::string(name);
}

}  // namespace

std::optional<zookeeper_version> parse_version(std::string_view input) {
  auto s = text::trim(input);
  // The first line of a srvr reply, so a probe's recorded reply can be parsed as well.
  constexpr std::string_view srvr_prefix = "zookeeper version:";
  if (text::starts_with_ci(s, srvr_prefix)) s = text::trim(s.substr(srvr_prefix.size()));

  bool tarball_folder = false;
  if (s.starts_with("apache-zookeeper-")) {
    s.remove_prefix(std::string_view("apache-zookeeper-").size());
    tarball_folder = true;
  } else if (s.starts_with(server_jar_prefix)) {
    s.remove_prefix(server_jar_prefix.size());
  }
  if (s.ends_with(jar_suffix)) s.remove_suffix(jar_suffix.size());

  const auto start = s;
  auto rest = s;
  const auto major = take_number(rest);
  if (!major || !take_dot(rest)) return std::nullopt;
  const auto minor = take_number(rest);
  if (!minor || !take_dot(rest)) return std::nullopt;
  const auto patch = take_number(rest);
  if (!patch) return std::nullopt;
  // A qualifier may follow ("-SNAPSHOT", "-<commit>", ", built on"), but not a fourth number
  // or letters glued to the patch: those are not ZooKeeper versions.
  if (!rest.empty() && rest.front() != '-' && rest.front() != ',' && rest.front() != ' ' &&
      rest.front() != '\t' && rest.front() != '+') {
    return std::nullopt;
  }

  // The name ZooKeeper gives itself, without the build date and without a placeholder Maven
  // never filled in (Debian's "3.8.0-${mvngit.commit.id}").
  auto name = start.substr(0, start.find_first_of(" \t,$"));
  if (tarball_folder && name.ends_with("-bin")) name.remove_suffix(std::string_view("-bin").size());
  while (!name.empty() && name.back() == '-') name.remove_suffix(1);

  return zookeeper_version{*major, *minor, *patch, std::string(name)};
}

std::optional<zookeeper_version> version_from_jar_names(const std::vector<std::string>& file_names) {
  std::optional<zookeeper_version> best;
  for (const auto& name : file_names) {
    if (!is_server_jar_name(name)) continue;
    auto v = parse_version(name);
    if (!best || version_key(*v) > version_key(*best)) best = std::move(v);
  }
  return best;
}

std::string_view describe(layout kind) {
  switch (kind) {
    case layout::debian: return "debian";
    case layout::upstream: return "upstream";
  }
  return "unknown";
}

std::string_view describe(logging_backend backend) {
  switch (backend) {
    case logging_backend::log4j: return "log4j";
    case logging_backend::logback: return "logback";
  }
  return "unknown";
}

result<std::optional<std::string>> check_supported(const zookeeper_version& v) {
  if (v.major < 3 || (v.major == 3 && v.minor <= 4)) {
    return error{error_kind::config,
                 "ZooKeeper " + v.text +
                     " is not supported: 3.4 and older are end of life and reject the 3.5 server syntax "
                     "zkagent writes (server.N=host:port:port;clientPort); use ZooKeeper 3.5 or newer"};
  }
  if (v.major > 3 || v.minor > 9) {
    return std::optional<std::string>("ZooKeeper " + v.text +
                                      " is newer than 3.9, the newest version zkagent knows; continuing");
  }
  return std::optional<std::string>{};
}

result<installation> upstream_installation(std::string_view home_path, std::vector<std::string> lib_jar_names,
                                           std::vector<std::string> home_jar_names,
                                           std::string_view home_source) {
  const auto home = without_trailing_slashes(home_path);
  const auto lib_jars = sorted_jars(std::move(lib_jar_names));
  // zkEnv.sh adds only zookeeper-*.jar from the home itself (3.4 kept the server jar there).
  auto home_jars = sorted_jars(std::move(home_jar_names));
  std::erase_if(home_jars, [](const std::string& n) { return !n.starts_with(server_jar_prefix); });

  std::vector<std::string> server_jars;
  for (const auto* jars : std::initializer_list<const std::vector<std::string>*>{&lib_jars, &home_jars}) {
    std::copy_if(jars->begin(), jars->end(), std::back_inserter(server_jars), is_server_jar_name);
  }
  const auto where = std::string(home_source) + "=" + home;
  if (server_jars.empty()) {
    return error{error_kind::not_found,
                 where + ": no ZooKeeper server jar (zookeeper-X.Y.Z.jar) in " + child(home, "lib") +
                     "; expected an unpacked apache-zookeeper-X.Y.Z-bin tarball"};
  }
  // Two server jars on one classpath: whichever the JVM loads first wins, so refuse to guess.
  if (server_jars.size() > 1) {
    return error{error_kind::config,
                 where + ": several ZooKeeper server jars (" + join(server_jars, ", ") + "); keep one"};
  }

  installation found;
  found.kind = layout::upstream;
  found.home = home;
  found.version = *parse_version(server_jars.front());
  const auto lib = child(home, "lib");
  for (const auto& jar : lib_jars) found.classpath.push_back(child(lib, jar));
  for (const auto& jar : home_jars) found.classpath.push_back(child(home, jar));
  const bool has_logback = std::any_of(lib_jars.begin(), lib_jars.end(),
                                       [](const std::string& n) { return n.starts_with("logback-classic"); });
  found.logging = has_logback ? logging_backend::logback : logging_backend::log4j;
  return found;
}

result<installation> debian_installation(std::string_view java_dir_path, const std::vector<std::string>& file_names) {
  const auto java_dir = without_trailing_slashes(java_dir_path);
  const auto has = [&](std::string_view name) {
    return std::find(file_names.begin(), file_names.end(), name) != file_names.end();
  };
  if (!has("zookeeper.jar")) {
    return error{error_kind::not_found,
                 "no zookeeper.jar in " + java_dir + " (Debian's package: apt-get install zookeeper)"};
  }
  auto version = version_from_jar_names(file_names);
  if (!version) {
    return error{error_kind::not_found, java_dir + " has zookeeper.jar but no zookeeper-X.Y.Z.jar next to it "
                                                   "to tell its version; reinstall libzookeeper-java"};
  }

  // The server jar's manifest brings netty, jetty, jute...; logging and the AdminServer's servlet
  // API are not in it: without them ZooKeeper logs nothing and the AdminServer fails.
  struct needed_jar {
    std::string_view name;
    std::string_view package;
  };
  constexpr std::array<needed_jar, 4> needed{{{"zookeeper.jar", "libzookeeper-java"},
                                              {"slf4j-log4j12.jar", "libslf4j-java"},
                                              {"log4j-1.2.jar", "liblog4j1.2-java"},
                                              {"servlet-api.jar", "libservlet-api-java"}}};
  std::vector<std::string> missing;
  std::vector<std::string> packages;
  for (const auto& jar : needed) {
    if (has(jar.name)) continue;
    missing.emplace_back(jar.name);
    packages.emplace_back(jar.package);
  }
  if (!missing.empty()) {
    return error{error_kind::not_found, java_dir + " has zookeeper.jar but not " + join(missing, ", ") +
                                            " (apt-get install " + join(packages, " ") + ")"};
  }

  installation found;
  found.kind = layout::debian;
  found.home = java_dir;
  found.version = std::move(*version);
  for (const auto& jar : needed) found.classpath.push_back(child(java_dir, jar.name));
  found.logging = logging_backend::log4j;
  return found;
}

}  // namespace zkagent::entrypoint
