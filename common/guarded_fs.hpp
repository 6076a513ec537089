#pragma once
// The trust boundary on disk. zkagent usually runs as root, in folders the ZooKeeper user (uid 1000)
// can write: whatever that user left there is hostile input. Every path zkagent opens goes through
// here, so the rules live in one place:
// - A symbolic link is followed only where nobody but root (or zkagent's own user) could have put
//   it: in a folder owned by root or by us that no group or other user can write, or on a
//   read-only mount (kubelet's ConfigMap and Secret volumes: key -> ..data/key), or a link owned by
//   root or us in a sticky folder (/tmp). Any other link is refused, and so is a link
//   chain longer than 40.
// - Paths are walked one component at a time relative to open folders (openat, O_NOFOLLOW), so a
//   folder renamed or replaced by a link while we walk cannot redirect us.
// - Files are read only when the open descriptor is a regular file (fstat), never blocking (a FIFO
//   is refused, not waited on), and never more than a cap: a device or an endless file is refused.
// - A file with several names (a hard link) is refused where a link would be: uid 1000 can link in a
//   file elsewhere that it may write but not own, and root would then chmod and chown it.
// Errors are values of kind config (exit 2): they name the path and what is wrong with it, never the
// file's content.
#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace zkagent::files {

// Owns a file descriptor; closes it when destroyed.
class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) : fd_(fd) {}
  unique_fd(unique_fd&& other) noexcept;
  unique_fd& operator=(unique_fd&& other) noexcept;
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd();

  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  int release();

 private:
  int fd_ = -1;
};

// An open folder and the path it was asked for (for messages).
struct folder {
  unique_fd fd;
  std::string path;
};

// Opens path as a folder under the rules above. create: missing components are made (mode, as
// mkdir -p). Without create, a missing folder is an error (io).
result<folder> open_folder(const std::string& path, bool create, mode_t mode = 0755);

// Like open_folder without create, but a missing folder anywhere on the way gives nullopt.
result<std::optional<folder>> open_folder_if_exists(const std::string& path);

// Caps: what zkagent reads is small. A file over its cap is refused with a message that names it.
inline constexpr std::size_t max_config_bytes = 1024 * 1024;  // zoo.cfg, templates, secrets, java.env
inline constexpr std::size_t max_myid_bytes = 4096;

// The content of dir/name: nullopt when it does not exist. A link there is followed only under the
// rules above (its target resolved the same way); anything but a regular file of at most cap
// bytes is an error.
result<std::optional<std::string>> read_file_at(const folder& dir, std::string_view name, std::size_t cap);

// read_file_at, and whether nobody but root (or zkagent's own user) can change what was read: the
// folder it sits in and the file itself are owned by root or us and writable by no group or other
// user (or on a read-only mount), judged on the open descriptors. A pointer in such a file (a kept
// zoo.cfg's dataDir) was put there by whoever configured the pod; in any other it may be uid 1000's.
struct guarded_read {
  std::optional<std::string> content;  // nullopt: absent
  bool only_root_can_change = false;
};
result<guarded_read> read_file_at_judged(const folder& dir, std::string_view name, std::size_t cap);

// The same for a path: its folder is opened with open_folder_if_exists (missing: nullopt).
result<std::optional<std::string>> read_file(const std::string& path, std::size_t cap);

// The folder part and the name of a path ("/a/b" -> "/a", "b"; "b" -> ".", "b"; "/b" -> "/", "b").
std::pair<std::string, std::string> split_path(const std::string& path);


// The real path of an open folder (readlink of /proc/self/fd/N), or "" if it cannot be told.
std::string real_path_of(const folder& dir);

}  // namespace zkagent::files
