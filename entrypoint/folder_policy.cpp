#include "entrypoint/folder_policy.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/text.hpp"
#include "entrypoint/kept_config.hpp"
#include "entrypoint/ownership.hpp"

namespace zkagent::entrypoint {
namespace {

constexpr std::array<std::string_view, 23> system_folder_list{
    "/",     "/etc",  "/usr",    "/usr/local", "/bin",  "/sbin", "/lib",  "/lib32",
    "/lib64", "/libx32", "/boot", "/dev",      "/proc", "/sys",  "/run",  "/opt",
    "/srv",  "/mnt",  "/tmp",    "/var",       "/var/lib", "/root", "/home"};

// The forms a path is compared in: as given and as resolved, both normalised.
std::vector<std::string> forms(const seen_path& p) {
  std::vector<std::string> out{lexically_normal(p.path)};
  if (p.resolved) {
    auto resolved = lexically_normal(*p.resolved);
    if (resolved != out.front()) out.push_back(std::move(resolved));
  }
  return out;
}

// "--data-dir (default)" for a default, else where the value came from: "ZOO_DATA_DIR".
std::string setting_name(const settings& s, const std::string& name) {
  const auto it = s.folder_origins.find(name);
  if (it == s.folder_origins.end() || it->second.empty()) return "--" + name;
  if (it->second == "default") return "--" + name + " (default)";
  return it->second;
}

std::string octal(mode_t mode) {
  std::array<char, 8> buf{};
  std::snprintf(buf.data(), buf.size(), "%04o", static_cast<unsigned>(mode & 07777));
  return buf.data();
}

}  // namespace

std::span<const std::string_view> system_folders() { return system_folder_list; }

std::string lexically_normal(std::string_view path) {
  const bool absolute = !path.empty() && path.front() == '/';
  std::vector<std::string> parts;
  for (const auto& part : text::split(path, "/", true)) {
    if (part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!absolute) parts.push_back(part);  // "/.." is "/"
      continue;
    }
    parts.push_back(part);
  }
  std::string out = absolute ? "/" : "";
  for (const auto& part : parts) {
    if (!out.empty() && out.back() != '/') out += '/';
    out += part;
  }
  return out.empty() ? "." : out;
}

bool holds(std::string_view folder, std::string_view path) {
  if (folder == path) return true;
  if (!path.starts_with(folder)) return false;
  return folder.ends_with('/') || path[folder.size()] == '/';
}

std::optional<std::string> hand_over_refusal(const folder_setting& candidate, const folder_facts& facts) {
  const auto mine = forms(candidate.folder);
  // How the candidate is named in the reason: "/etc" as given, or "it leads to /etc".
  const auto seen_as = [&](const std::string& form) {
    return form == mine.front() ? std::string() : " (it leads to " + text::printable(form) + ")";
  };
  for (const auto& system : facts.system) {
    for (const auto& theirs : forms(system)) {
      for (const auto& form : mine) {
        if (form != theirs) continue;
        const auto name = lexically_normal(system.path);
        return form == "/" ? "it is the root folder /" + seen_as(form)
                           : "it is the system folder " + name + (theirs != name ? " (" + theirs + ")" : "") + seen_as(form);
      }
    }
  }
  for (const auto& held : facts.held) {
    for (const auto& theirs : forms(held.where)) {
      for (const auto& form : mine) {
        if (holds(form, theirs)) return "it holds " + held.what + " (" + text::printable(theirs) + ")" + seen_as(form);
      }
    }
  }
  return std::nullopt;
}

diagnostics check_hand_over(const std::vector<folder_setting>& candidates, const folder_facts& facts, uid_t uid) {
  diagnostics diag;
  for (const auto& candidate : candidates) {
    const auto why = hand_over_refusal(candidate, facts);
    if (!why) continue;
    diag.fail(error_kind::config,
              candidate.setting + "=" + text::quote(candidate.folder.path) + ": refused: " + *why +
                  "; zkagent runs as root and would hand this folder to uid " + std::to_string(uid) +
                  " (the ZooKeeper user), who could then replace what is in it; expected a folder of ZooKeeper's "
                  "own, such as /data");
  }
  return diag;
}

hand_over_plan plan_hand_over(const settings& s, bool everything, bool kept_zoo_cfg) {
  hand_over_plan plan;
  std::vector<folder_setting> named{{setting_name(s, "data-dir"), {s.data_dir, std::nullopt}}};
  if (everything) {
    named.push_back({setting_name(s, "data-log-dir"), {s.data_log_dir, std::nullopt}});
    named.push_back({setting_name(s, "log-dir"), {s.log_dir, std::nullopt}});
    plan.conf_dir_kept = s.keep_config && kept_zoo_cfg;
    if (!plan.conf_dir_kept) named.push_back({setting_name(s, "conf-dir"), {s.conf_dir, std::nullopt}});
  }
  const auto kept_cfg = "the kept zoo.cfg (" + text::printable(s.zoo_cfg_path()) + ")";
  for (auto& f : named) {
    const auto is_kept = std::find(s.kept_folders.begin(), s.kept_folders.end(), f.folder.path) != s.kept_folders.end();
    auto& into = is_kept ? plan.itself : plan.walked;
    const bool seen = std::any_of(into.begin(), into.end(), [&](const folder_setting& o) { return o.folder.path == f.folder.path; });
    if (seen) continue;  // dataLogDir defaults to dataDir: one hand-over
    if (is_kept) f.setting = kept_cfg + (f.folder.path == s.data_dir ? "'s dataDir" : "'s dataLogDir");
    into.push_back(std::move(f));
  }
  return plan;
}

std::vector<std::string> folders_zookeeper_writes(const settings& s, std::string_view zoo_cfg_text) {
  std::vector<std::string> out;
  const auto add = [&](const std::string& folder) {
    if (std::find(out.begin(), out.end(), folder) == out.end()) out.push_back(folder);
  };
  add(s.data_dir);
  add(s.data_log_dir);
  add(s.log_dir);
  const auto reconfig = zoo_cfg_value(zoo_cfg_text, "reconfigEnabled");
  if ((reconfig && text::parse_bool(*reconfig).value_or(false)) || dynamic_pointer(zoo_cfg_text)) add(s.conf_dir);
  return out;
}

std::string unwritable_message(const unwritable& found, uid_t uid, gid_t gid) {
  const auto ids = std::to_string(uid) + ":" + std::to_string(gid);
  std::string out = "ZooKeeper (uid " + std::to_string(uid) + ", gid " + std::to_string(gid) + ") cannot write " +
                    text::printable(found.folder) + ": could not " + found.step + " it as uid " +
                    std::to_string(uid) + ": " + std::strerror(found.error_number) + " (errno " +
                    std::to_string(found.error_number) + ")";
  if (found.owner && found.group && found.mode) {
    out += "; the folder is owned by " + std::to_string(*found.owner) + ":" + std::to_string(*found.group) +
           " with mode " + octal(*found.mode);
  }
  if (found.error_number == EROFS) {
    out += "; it is on a read-only file system: mount it read-write for ZooKeeper";
  } else {
    out += "; fix: chown -R " + ids + " " + text::printable(found.folder) +
           " (on Kubernetes: set the pod's securityContext.fsGroup: " + std::to_string(gid) + ")";
  }
  return out + "; ZooKeeper was not started";
}

}  // namespace zkagent::entrypoint
