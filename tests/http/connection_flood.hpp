#pragma once
// Hostile clients for the health endpoint's tests: a thread that holds `target` TCP connections to
// 127.0.0.1:port open and reopens each one the server closes, until it is destroyed. Each connection
// sends nothing (idle) or one byte (slowloris) and then stalls. Loopback only; every wait is bounded
// by a poll of 20 ms, so the destructor stops it promptly and closes every descriptor.
#include <sys/resource.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

namespace zkagent::testing {

class connection_flood {
 public:
  connection_flood(std::uint16_t port, std::size_t target, bool one_byte);
  ~connection_flood();
  connection_flood(const connection_flood&) = delete;
  connection_flood& operator=(const connection_flood&) = delete;

  [[nodiscard]] std::size_t open() const { return open_; }                  // connections held right now
  [[nodiscard]] std::size_t opened() const { return opened_; }              // made so far
  [[nodiscard]] std::size_t closed_by_server() const { return closed_; }    // EOF or reset seen
  [[nodiscard]] std::size_t connect_failures() const { return failures_; }  // socket()/connect() errors
  [[nodiscard]] std::string summary() const;

 private:
  void run();

  std::uint16_t port_;
  std::size_t target_;
  bool one_byte_;
  std::atomic<bool> stop_ = false;
  std::atomic<std::size_t> open_ = 0;
  std::atomic<std::size_t> opened_ = 0;
  std::atomic<std::size_t> closed_ = 0;
  std::atomic<std::size_t> failures_ = 0;
  std::thread thread_;
};

// Raises this process's RLIMIT_NOFILE soft limit to its hard limit; an error naming both limits
// when the hard one is below `needed` (then nothing is changed), else empty.
std::string raise_open_files_limit(rlim_t needed);

// VmRSS of a process from /proc/PID/status, in bytes; 0 when it cannot be read.
std::size_t resident_bytes(int pid);

}  // namespace zkagent::testing
