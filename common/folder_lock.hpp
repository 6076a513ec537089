#pragma once
// One writer at a time: `start`, `config` and `myid` hold an exclusive lock on each folder they
// write (conf, data) for the whole read-plan-write sequence, so two runs at once never interleave
// their writes or leave a zoo.cfg its ownership marker does not vouch for. The lock is flock(2) on
// the folder itself: no lock file that another user could plant, replace or delete. I/O.
#include <chrono>
#include <functional>
#include <string_view>

#include "common/guarded_fs.hpp"
#include "common/result.hpp"

namespace zkagent::files {

class folder_lock {
 public:
  folder_lock() = default;
  explicit folder_lock(unique_fd fd) : fd_(std::move(fd)) {}
  [[nodiscard]] bool held() const { return fd_.valid(); }

 private:
  unique_fd fd_;  // closing it releases the lock
};

// Called once when the lock is busy and the run starts waiting (to log it).
using lock_waiting = std::function<void(std::string_view folder)>;

// Locks dir, waiting up to budget while another run holds it. Past the budget: an error (io) that
// names the folder. A folder that is the same as one already locked by this run (same device and
// inode, e.g. conf and data in one folder) must not be locked twice: see same_folder().
result<folder_lock> lock_folder(const folder& dir, std::chrono::milliseconds budget, const lock_waiting& waiting);

// Whether two open folders are one (same device and inode).
bool same_folder(const folder& a, const folder& b);

}  // namespace zkagent::files
