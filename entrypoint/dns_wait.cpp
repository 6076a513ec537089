#include "entrypoint/dns_wait.hpp"

#include <arpa/inet.h>
#include <ares.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <vector>

#include <spdlog/logger.h>

#include "entrypoint/signal_name.hpp"

namespace zkagent::entrypoint {
namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Signals and polling: a lookup checks should_stop at least this often.
constexpr milliseconds stop_check_interval{100};

void init_library_once() {
  static std::once_flag once;
  std::call_once(once, [] { ::ares_library_init(ARES_LIB_INIT_ALL); });
}

// A lookup is not started with less time than this left: it could not finish.
constexpr milliseconds min_lookup_time{50};

milliseconds until(clock::time_point t) {
  const auto left = std::chrono::duration_cast<milliseconds>(t - clock::now());
  return left.count() > 0 ? left : milliseconds(0);
}

milliseconds until_ceil(clock::time_point t) {
  const auto left = std::chrono::ceil<milliseconds>(t - clock::now());
  return left.count() > 0 ? left : milliseconds(0);
}

std::string show_duration(milliseconds d) {
  if (d < milliseconds(1000)) return std::to_string(d.count()) + " ms";
  const double seconds = static_cast<double>(d.count()) / 1000.0;
  if (d.count() % 1000 == 0 || d >= milliseconds(10'000)) return std::to_string(std::lround(seconds)) + " s";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f s", seconds);
  return buffer;
}

// The servers a channel will ask, "10.96.0.10:53, [fd00::a]:53".
std::string servers_of(ares_channel channel) {
  ares_addr_port_node* list = nullptr;
  if (::ares_get_servers_ports(channel, &list) != ARES_SUCCESS) return "the configured DNS servers";
  std::string out;
  for (auto* node = list; node != nullptr; node = node->next) {
    char text[INET6_ADDRSTRLEN] = {};
    const int port = node->udp_port != 0 ? node->udp_port : 53;
    if (node->family == AF_INET) {
      ::inet_ntop(AF_INET, &node->addr.addr4, text, sizeof text);
      out += (out.empty() ? "" : ", ") + std::string(text) + ":" + std::to_string(port);
    } else if (node->family == AF_INET6) {
      ::inet_ntop(AF_INET6, &node->addr.addr6, text, sizeof text);
      out += (out.empty() ? "" : ", ") + std::string("[") + text + "]:" + std::to_string(port);
    }
  }
  ::ares_free_data(list);
  return out.empty() ? "no DNS server (none in /etc/resolv.conf)" : out;
}

struct query_state {
  bool done = false;
  bool cut = false;  // cancelled by our own deadline, not timed out by c-ares
  lookup_answer answer;
};

void on_addrinfo(void* arg, int status, int /*timeouts*/, ares_addrinfo* info) {
  auto& state = *static_cast<query_state*>(arg);
  state.done = true;
  auto& answer = state.answer;
  switch (status) {
    case ARES_SUCCESS:
      answer.status = lookup_status::found;
      for (auto* node = info != nullptr ? info->nodes : nullptr; node != nullptr; node = node->ai_next) {
        char text[INET6_ADDRSTRLEN] = {};
        if (node->ai_family == AF_INET) {
          const auto* sin = reinterpret_cast<const sockaddr_in*>(node->ai_addr);
          ::inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
        } else if (node->ai_family == AF_INET6) {
          const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(node->ai_addr);
          ::inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text);
        } else {
          continue;
        }
        if (std::find(answer.addresses.begin(), answer.addresses.end(), text) == answer.addresses.end()) {
          answer.addresses.emplace_back(text);
        }
      }
      if (answer.addresses.empty()) answer.status = lookup_status::no_such_name;
      break;
    case ARES_ENOTFOUND:
    case ARES_ENODATA:
    case ARES_ENONAME:
      answer.status = lookup_status::no_such_name;
      break;
    case ARES_ETIMEOUT:
      answer.status = lookup_status::timeout;
      break;
    case ARES_ECONNREFUSED:
    case ARES_ESERVFAIL:
    case ARES_EREFUSED:
      answer.status = lookup_status::refused;
      answer.detail = ::ares_strerror(status);
      break;
    case ARES_ECANCELLED:
    case ARES_EDESTRUCTION:
      answer.status = lookup_status::timeout;  // cut by our own deadline
      state.cut = true;
      break;
    default:
      answer.status = lookup_status::error;
      answer.detail = std::string("c-ares: ") + ::ares_strerror(status);
      break;
  }
  if (info != nullptr) ::ares_freeaddrinfo(info);
}

// Takes one pending stop signal, if any.
int take_stop_signal(const sigset_t* stop_signals) {
  if (stop_signals == nullptr) return 0;
  const timespec no_wait{0, 0};
  const int sig = ::sigtimedwait(stop_signals, nullptr, &no_wait);
  return sig > 0 ? sig : 0;
}

// Pauses for d, or until a stop signal arrives (taken and returned).
int pause_for(milliseconds d, const sigset_t* stop_signals) {
  const auto end = clock::now() + d;
  for (auto left = until_ceil(end); left.count() > 0; left = until_ceil(end)) {
    timespec ts{static_cast<time_t>(left.count() / 1000), static_cast<long>((left.count() % 1000) * 1'000'000)};
    if (stop_signals != nullptr) {
      const int sig = ::sigtimedwait(stop_signals, nullptr, &ts);
      if (sig > 0) return sig;
    } else {
      ::nanosleep(&ts, nullptr);
    }
  }
  return 0;
}

}  // namespace

lookup_answer lookup_once(const std::string& name, const std::optional<std::string>& server, milliseconds try_timeout,
                          clock::time_point cut, const std::function<bool()>& should_stop, std::string* servers_asked) {
  init_library_once();
  lookup_answer failed;
  failed.status = lookup_status::error;

  ares_options options{};
  // "fb": /etc/hosts first, then DNS (a name in /etc/hosts counts). One try per query: the retries
  // and their pauses are ours, so every attempt is logged and the deadline is ours too.
  char lookups[] = "fb";
  options.lookups = lookups;
  options.timeout = static_cast<int>(std::clamp<long long>(try_timeout.count(), 1, 60'000));
  options.tries = 1;
  ares_channel channel = nullptr;
  if (const int status = ::ares_init_options(&channel, &options, ARES_OPT_LOOKUPS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
      status != ARES_SUCCESS) {
    failed.detail = std::string("c-ares cannot start: ") + ::ares_strerror(status);
    return failed;
  }
  if (server) {
    if (const int status = ::ares_set_servers_ports_csv(channel, server->c_str()); status != ARES_SUCCESS) {
      ::ares_destroy(channel);
      failed.detail = "--dns-server " + *server + ": " + ::ares_strerror(status);
      return failed;
    }
  }
  if (servers_asked != nullptr) *servers_asked = servers_of(channel);

  query_state state;
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  // NOSORT: keep the order received (sorting would open a socket to each address). ENVHOSTS: a
  // CARES_HOSTS variable names another hosts file than /etc/hosts (c-ares' own knob; the tests use it).
  hints.ai_flags = ARES_AI_NOSORT | ARES_AI_ENVHOSTS;
  ::ares_getaddrinfo(channel, name.c_str(), nullptr, &hints, on_addrinfo, &state);

  bool stopped = false;
  while (!state.done) {
    if (should_stop && should_stop()) {
      stopped = true;
      break;
    }
    const auto left = until(cut);
    if (left.count() == 0) break;
    ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
    const int bits = ::ares_getsock(channel, sockets, ARES_GETSOCK_MAXNUM);
    std::vector<pollfd> fds;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short events = 0;
      if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
      if (events != 0) fds.push_back({sockets[i], events, 0});
    }
    auto wait = std::min(left, stop_check_interval);
    timeval max_tv{static_cast<time_t>(wait.count() / 1000), static_cast<suseconds_t>((wait.count() % 1000) * 1000)};
    timeval tv{};
    if (const timeval* next = ::ares_timeout(channel, &max_tv, &tv)) {
      wait = milliseconds(next->tv_sec * 1000 + (next->tv_usec + 999) / 1000);
    }
    const int ready = ::poll(fds.data(), static_cast<nfds_t>(fds.size()), static_cast<int>(wait.count()));
    if (ready < 0 && errno != EINTR) {
      failed.detail = std::string("poll failed: ") + ::strerror(errno);
      ::ares_cancel(channel);
      ::ares_destroy(channel);
      return failed;
    }
    if (ready <= 0) {
      ::ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts
      continue;
    }
    for (const auto& fd : fds) {
      const bool readable = (fd.revents & (POLLIN | POLLERR | POLLHUP)) != 0;
      const bool writable = (fd.revents & POLLOUT) != 0;
      if (readable || writable) {
        ::ares_process_fd(channel, readable ? fd.fd : ARES_SOCKET_BAD, writable ? fd.fd : ARES_SOCKET_BAD);
      }
    }
  }
  if (!state.done) ::ares_cancel(channel);  // the callback runs now, with ARES_ECANCELLED
  ::ares_destroy(channel);
  auto answer = std::move(state.answer);
  if (stopped) {
    answer = failed;
    answer.detail = "stopped";
  } else if (answer.status == lookup_status::timeout && answer.detail.empty()) {
    answer.detail = state.cut ? "none before the deadline" : "none within " + show_duration(try_timeout);
  }
  return answer;
}

dns_wait_result wait_for_dns(const dns_target& target, const dns_wait_options& options, spdlog::logger& log) {
  dns_wait_result result;
  const auto start = clock::now();
  const auto deadline = start + options.budget;
  const std::string what = target.name + " (server." + std::to_string(target.id) + ", this member)";
  const std::string goal = target.require_local ? "resolve to an address of this host" : "resolve";
  bool announced = false;
  std::string last_hint;

  const auto stop = [&] {
    if (result.signal == 0) result.signal = take_stop_signal(options.stop_signals);
    return result.signal != 0;
  };
  const auto finish = [&](dns_wait_outcome outcome) {
    result.outcome = outcome;
    result.elapsed = std::chrono::duration_cast<milliseconds>(clock::now() - start);
    return result;
  };

  for (int attempt = 1;; ++attempt) {
    const auto cut = std::min(deadline, clock::now() + 2 * options.try_timeout);
    std::string servers;
    result.last = lookup_once(target.name, options.server, options.try_timeout, cut, stop, &servers);
    ++result.lookups;
    if (result.servers.empty()) result.servers = servers;
    if (result.signal != 0) break;
    const auto judgment = judge_answer(target, result.last, options.local_addresses);
    result.last_summary = judgment.summary;
    const auto elapsed = std::chrono::duration_cast<milliseconds>(clock::now() - start);
    if (judgment.done) {
      result.message = target.name + " " + judgment.summary + " (" + std::to_string(attempt) +
                       (attempt == 1 ? " lookup, " : " lookups, ") + show_duration(elapsed) + ")";
      log.info("dns: {}", result.message);
      return finish(dns_wait_outcome::resolved);
    }
    if (!announced) {
      log.info("dns: waiting up to {} for {} to {} (--dns-wait), asking /etc/hosts, then {}",
               show_duration(options.budget), what, goal, servers);
      announced = true;
    }
    if (!judgment.hint.empty()) last_hint = judgment.hint;
    // Another lookup only when there is time for one: one cut at the deadline would replace the
    // last real answer with "none before the deadline".
    const auto now = clock::now();
    const auto pause = retry_delay(attempt);
    if (now + pause + min_lookup_time >= deadline) {
      if (now < deadline) {
        if (const int sig = pause_for(until_ceil(deadline), options.stop_signals); sig != 0) {
          result.signal = sig;
          break;
        }
      }
      result.message = what + " did not " + goal + " within " + show_duration(options.budget) +
                       " (--dns-wait; " + std::to_string(result.lookups) + (result.lookups == 1 ? " lookup" : " lookups") +
                       ", asking " + result.servers + "); last answer: " + judgment.summary +
                       (last_hint.empty() ? std::string() : " (" + last_hint + ")") +
                       ". ZooKeeper was not started: it would fail to bind its quorum ports. Check that the name "
                       "exists (a StatefulSet's headless Service, publishNotReadyAddresses: true) and points "
                       "here, or raise --dns-wait";
      log.error("dns: {}", result.message);
      return finish(dns_wait_outcome::timed_out);
    }
    log.info("dns: {}: {} (lookup {}, {} of {}); next lookup in {}", target.name, judgment.summary, attempt,
             show_duration(elapsed), show_duration(options.budget), show_duration(pause));
    if (const int sig = pause_for(pause, options.stop_signals); sig != 0) {
      result.signal = sig;
      break;
    }
  }
  result.message = "stopped by " + signal_name(result.signal) + " while waiting for " + what + " to " + goal +
                   "; ZooKeeper was not started";
  log.warn("dns: {}", result.message);
  return finish(dns_wait_outcome::interrupted);
}

}  // namespace zkagent::entrypoint
