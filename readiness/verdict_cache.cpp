#include "readiness/verdict_cache.hpp"

#include <utility>

namespace zkagent::readiness {

verdict_cache::verdict_cache(std::chrono::milliseconds window, starter start, std::function<time_point()> now)
    : state_(std::make_shared<state>(state{window, std::move(start), std::move(now), {}})) {}

void verdict_cache::get(probe_command command, result_handler handler) {
  auto& e = state_->entries[static_cast<std::size_t>(command)];
  if (e.in_flight) {
    e.waiting.push_back(std::move(handler));
    return;
  }
  if (e.last && state_->now() - e.began < state_->window) {
    handler(*e.last);
    return;
  }
  e.in_flight = true;
  e.began = state_->now();
  ++e.started;
  e.waiting.push_back(std::move(handler));
  std::weak_ptr<state> weak = state_;
  // A copy: the starter may complete at once, and a handler may then call get() again.
  const auto start = state_->start;
  start(command, [weak, command](probe_result result) { complete(weak, command, std::move(result)); });
}

void verdict_cache::complete(const std::weak_ptr<state>& weak, probe_command command, probe_result result) {
  const auto s = weak.lock();
  if (!s) return;
  auto& e = s->entries[static_cast<std::size_t>(command)];
  e.in_flight = false;
  e.last = std::move(result);
  // Handlers may call get() again (and so touch e): hand out copies of what is here now.
  const auto waiting = std::exchange(e.waiting, {});
  const auto delivered = *e.last;
  for (const auto& handler : waiting) handler(delivered);
}

std::uint64_t verdict_cache::started(probe_command command) const {
  return state_->entries[static_cast<std::size_t>(command)].started;
}

}  // namespace zkagent::readiness
