#include "entrypoint/launcher.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

namespace zkagent::entrypoint {
namespace {

namespace fs = std::filesystem;

enum class file_state { missing, not_executable, executable };

// A directory named java, or a file without an x bit for us, cannot be exec'd: both count as
// "not executable" so the caller can say what is wrong instead of failing later in execve.
file_state executable_state(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return file_state::missing;
  if (!S_ISREG(st.st_mode) || ::access(path.c_str(), X_OK) != 0) return file_state::not_executable;
  return file_state::executable;
}

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::optional<std::string> search_path(const env_map& env, std::string_view name) {
  const auto path = env.find("PATH");
  // execvp's default when PATH is unset; an empty PATH is a choice and is respected.
  const std::string dirs = path == env.end() ? "/usr/bin:/bin" : path->second;
  for (const auto& dir : text::split(dirs, ":")) {
    auto candidate = without_trailing_slashes(dir) + "/" + std::string(name);
    if (executable_state(candidate) == file_state::executable) return candidate;
  }
  return std::nullopt;
}

// Names of the regular files in dir (symlinks followed: Debian's versioned jar names are links).
// A missing folder gives an empty list; other failures are errors.
result<std::vector<std::string>> file_names(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory) return names;
  if (ec) return error{error_kind::io, "cannot list " + dir + ": " + ec.message()};
  for (; it != fs::directory_iterator{}; it.increment(ec)) {
    std::error_code status_ec;
    if (it->is_regular_file(status_ec)) names.push_back(it->path().filename().string());
  }
  if (ec) return error{error_kind::io, "cannot list " + dir + ": " + ec.message()};
  return names;
}

bool is_directory(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

result<installation> find_upstream(const std::string& given, std::string_view source) {
  const auto where = std::string(source) + "=" + given;
  if (given.empty()) return error{error_kind::config, std::string(source) + " is empty"};
  // The JVM may run in another working directory: keep the classpath absolute.
  std::error_code ec;
  const auto absolute = fs::absolute(given, ec);
  if (ec) return error{error_kind::io, where + ": " + ec.message()};
  const auto home = without_trailing_slashes(absolute.lexically_normal().string());

  if (!fs::exists(home, ec)) return error{error_kind::not_found, where + ": no such folder"};
  if (!is_directory(home)) return error{error_kind::not_found, where + ": not a folder"};
  const auto lib = home + "/lib";
  if (!is_directory(lib)) {
    return error{error_kind::not_found, where + ": no lib/ folder in " + home +
                                            "; expected an upstream ZooKeeper home (an unpacked "
                                            "apache-zookeeper-X.Y.Z-bin tarball)"};
  }
  auto lib_names = file_names(lib);
  if (!lib_names) return lib_names.err();
  auto home_names = file_names(home);
  if (!home_names) return home_names.err();
  return upstream_installation(home, std::move(lib_names).value(), std::move(home_names).value(), source);
}

}  // namespace

result<std::string> find_java(const env_map& env, std::optional<std::string> explicit_java) {
  if (explicit_java) {
    if (explicit_java->empty()) return error{error_kind::config, "--java is empty"};
    if (explicit_java->find('/') == std::string::npos) {
      if (auto found = search_path(env, *explicit_java)) return std::move(*found);
      return error{error_kind::not_found, "--java=" + *explicit_java + ": no such executable on PATH"};
    }
    switch (executable_state(*explicit_java)) {
      case file_state::missing:
        return error{error_kind::not_found, "--java=" + *explicit_java + ": no such file"};
      case file_state::not_executable:
        return error{error_kind::launch, "--java=" + *explicit_java + ": not an executable file"};
      case file_state::executable:
        return std::move(*explicit_java);
    }
  }

  // A set JAVA_HOME is a statement of intent: a broken one is reported, not bypassed.
  if (const auto home = env.find("JAVA_HOME"); home != env.end() && !home->second.empty()) {
    const auto java = without_trailing_slashes(home->second) + "/bin/java";
    switch (executable_state(java)) {
      case file_state::missing:
        return error{error_kind::not_found,
                     "JAVA_HOME is set to " + home->second + " but " + java + " does not exist"};
      case file_state::not_executable:
        return error{error_kind::launch,
                     "JAVA_HOME is set to " + home->second + " but " + java + " is not an executable file"};
      case file_state::executable:
        return java;
    }
  }

  if (auto found = search_path(env, "java")) return std::move(*found);
  return error{error_kind::not_found,
               "no java found on PATH and JAVA_HOME is not set: install a Java 11+ runtime "
               "(apt-get install default-jre-headless) or set JAVA_HOME (or --java)"};
}

result<installation> find_zookeeper(std::optional<std::string> explicit_home, std::string_view home_source,
                                    const std::string& java_dir) {
  if (explicit_home) return find_upstream(*explicit_home, home_source);

  auto names = file_names(java_dir);
  if (!names) return names.err();
  const auto& list = names.value();
  if (std::find(list.begin(), list.end(), "zookeeper.jar") == list.end()) {
    return error{error_kind::not_found,
                 "no ZooKeeper found: set --zookeeper-home or ZOOKEEPER_HOME to an upstream ZooKeeper home "
                 "(an unpacked apache-zookeeper-X.Y.Z-bin tarball), or install Debian's zookeeper package "
                 "(no zookeeper.jar in " + java_dir + ")"};
  }
  return debian_installation(java_dir, list);
}

}  // namespace zkagent::entrypoint
