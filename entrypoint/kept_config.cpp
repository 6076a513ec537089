#include "entrypoint/kept_config.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace zkagent::entrypoint {
namespace {

// Properties' escapes in a key or value: "\:" is ':', "\\" is '\', "\t" a tab, and so on.
std::string unescape(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 == raw.size()) {
      out += raw[i];
      continue;
    }
    const char c = raw[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 'f' ? '\f' : c;
  }
  return out;
}

// Where a key ends: the first '=', ':' or blank that no backslash escapes.
std::size_t key_end(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') ++i;
    else if (line[i] == '=' || line[i] == ':' || line[i] == ' ' || line[i] == '\t') return i;
  }
  return line.size();
}

// A kept file's folder as zkagent's settings hold folders: absolute, no trailing slash; nullopt for a
// relative one (ZooKeeper would resolve it against its working directory) or "/".
// "." or ".." parts are refused too: as root zkagent compares the folder with the ones it was given by
// its text, and ".." would lead wherever the folder before it has been moved meanwhile.
std::optional<std::string> usable_folder(std::string folder) {
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  if (folder.empty() || folder.front() != '/' || folder == "/") return std::nullopt;
  for (const auto& part : text::split(folder, "/", true)) {
    if (part == "." || part == "..") return std::nullopt;
  }
  return folder;
}

}  // namespace

std::optional<std::string> zoo_cfg_value(std::string_view zoo_cfg_text, std::string_view key) {
  std::optional<std::string> found;
  for (const auto& raw : text::split(zoo_cfg_text, "\n", true)) {
    const auto line = text::trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == '!') continue;
    const auto end = key_end(line);
    if (unescape(line.substr(0, end)) != key) continue;
    auto rest = text::trim(line.substr(end));
    if (!rest.empty() && (rest.front() == '=' || rest.front() == ':')) rest = text::trim(rest.substr(1));
    found = unescape(rest);
  }
  return found;
}

kept_folders adopt_kept_folders(settings& s, std::string_view kept_zoo_cfg) {
  kept_folders out;
  const auto raw_data = zoo_cfg_value(kept_zoo_cfg, "dataDir");
  const auto data_dir = raw_data ? usable_folder(*raw_data) : std::nullopt;
  if (!data_dir) {
    out.notes.push_back({true, "--keep-config: the kept zoo.cfg names no usable dataDir (" +
                                   (raw_data ? text::quote(*raw_data) : std::string("none")) +
                                   ": an absolute folder other than /, without . or .. parts, is needed); myid goes to " + s.data_dir +
                                   " (--data-dir), where ZooKeeper will not look for it"});
    return out;
  }
  const auto raw_log = zoo_cfg_value(kept_zoo_cfg, "dataLogDir");
  auto log_dir = raw_log ? usable_folder(*raw_log) : data_dir;  // ZooKeeper's default: dataDir
  if (raw_log && !log_dir) {
    out.notes.push_back({true, "--keep-config: the kept zoo.cfg's dataLogDir " + text::quote(*raw_log) +
                                   " is not an absolute folder other than / without . or .. parts; zkagent prepares " + *data_dir +
                                   " for the transaction log, ZooKeeper will resolve it on its own"});
    log_dir = data_dir;
  }
  if (*data_dir != s.data_dir) {
    out.notes.push_back({false, "--keep-config: myid goes to " + text::printable(*data_dir) + " (the kept zoo.cfg's dataDir), not " +
                                    s.data_dir});
    s.data_dir = *data_dir;
    out.adopted.push_back(*data_dir);
  }
  if (*log_dir != s.data_log_dir) {
    out.notes.push_back({false, "--keep-config: the transaction log folder is " + text::printable(*log_dir) +
                                    " (the kept zoo.cfg's " + (raw_log && usable_folder(*raw_log) ? "dataLogDir" : "dataDir") +
                                    "), not " + s.data_log_dir});
    s.data_log_dir = *log_dir;
    if (std::find(out.adopted.begin(), out.adopted.end(), *log_dir) == out.adopted.end()) out.adopted.push_back(*log_dir);
  }
  return out;
}

}  // namespace zkagent::entrypoint
