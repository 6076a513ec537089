#pragma once
// The HTTP endpoint's shield for ZooKeeper: per four-letter word, at most one connection per window,
// however many requests come. A request gets the last exchange when it began less than a window
// ago; while an exchange is in flight, requests wait for its result (coalesced) instead of
// starting another; otherwise a new exchange starts and they wait for that. Failures are cached
// too: a flood of requests against a dead server opens one connection per window.
//
// No I/O and no clock of its own: the caller passes a function that starts an exchange and a
// now() function, so tests drive it without sockets or sleeps. Not thread-safe: the server calls it
// on its io_context's one thread.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "readiness/four_letter.hpp"
#include "readiness/metrics.hpp"

namespace zkagent::readiness {

struct probe_result {
  exchange ex;
  std::chrono::milliseconds took{};
};

class verdict_cache {
 public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;
  using result_handler = std::function<void(const probe_result&)>;
  using done_handler = std::function<void(probe_result)>;
  // Starts the exchange for a command; calls done exactly once (later, or before returning).
  using starter = std::function<void(probe_command, done_handler)>;

  verdict_cache(std::chrono::milliseconds window, starter start, std::function<time_point()> now);

  // Gives handler the command's result: cached, in flight, or new (see above). The handler runs
  // before get returns when the result is cached.
  void get(probe_command command, result_handler handler);

  // Exchanges started so far for command.
  [[nodiscard]] std::uint64_t started(probe_command command) const;

 private:
  struct entry {
    std::optional<probe_result> last;
    time_point began{};
    bool in_flight = false;
    std::vector<result_handler> waiting;
    std::uint64_t started = 0;
  };
  struct state {
    std::chrono::milliseconds window;
    starter start;
    std::function<time_point()> now;
    std::array<entry, all_probe_commands.size()> entries{};
  };
  static void complete(const std::weak_ptr<state>& weak, probe_command command, probe_result result);

  // Shared with the done handlers, which may outlive the cache (they then do nothing).
  std::shared_ptr<state> state_;
};

}  // namespace zkagent::readiness
