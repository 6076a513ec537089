// Runs the real supervisor code in a real process, so tests can signal it and read its exit code:
//   supervise_driver [--exec] [--clear-env] [--env KEY=VALUE]... [--late-signal N] [--deny-close-range]
//                    [--] PROGRAM [ARGS...]
// --exec uses exec_replace instead of supervise; --clear-env starts the child's environment empty
// instead of from ours; --late-signal sends us signal N after the child is gone, as a runtime's
// SIGTERM may arrive just then; --deny-close-range makes close_range fail with ENOSYS (a seccomp
// filter), as on a kernel before 5.9, so the fallback runs. Logs at debug level to stderr.
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "entrypoint/supervisor.hpp"

namespace {

#if defined(__x86_64__)
constexpr std::uint32_t own_arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t own_arch = AUDIT_ARCH_AARCH64;
#else
#error "supervise_driver --deny-close-range: add this architecture's AUDIT_ARCH_ value"
#endif

// close_range returns ENOSYS from now on, in us and every process we start. False if that failed.
bool deny_close_range() {
  std::array<sock_filter, 7> program{{
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, own_arch, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_close_range, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  }};
  const sock_fprog filter{static_cast<unsigned short>(program.size()), program.data()};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL) != 0) return false;
  if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) != 0) return false;
  // The premise of every test that uses this: close_range really is gone now.
  return ::syscall(SYS_close_range, 3U, ~0U, 0U) == -1 && errno == ENOSYS;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  // First, before anything could start a thread.
  const zkagent::entrypoint::signal_block signals;

  auto sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
  spdlog::logger log("supervise_driver", sink);
  log.set_level(spdlog::level::debug);
  log.flush_on(spdlog::level::debug);

  bool exec_mode = false;
  bool clear_env = false;
  std::vector<std::string> extra_env;
  int late_signal = 0;
  int i = 1;
  for (; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--exec") {
      exec_mode = true;
    } else if (arg == "--clear-env") {
      clear_env = true;
    } else if (arg == "--env" && i + 1 < argc) {
      extra_env.emplace_back(argv[++i]);
    } else if (arg == "--late-signal" && i + 1 < argc) {
      late_signal = std::atoi(argv[++i]);
    } else if (arg == "--deny-close-range") {
      if (!deny_close_range()) {
        log.error("--deny-close-range: cannot install the seccomp filter, or close_range still works");
        return 2;
      }
    } else if (arg == "--") {
      ++i;
      break;
    } else {
      break;
    }
  }
  if (i >= argc) {
    log.error("usage: supervise_driver [--exec] [--clear-env] [--env KEY=VALUE]... [--late-signal N] [--] PROGRAM [ARGS...]");
    return 2;
  }

  zkagent::entrypoint::child_command cmd;
  cmd.program = argv[i];
  cmd.argv.assign(argv + i, argv + argc);
  if (!clear_env) {
    for (char** entry = envp; *entry != nullptr; ++entry) cmd.env.emplace_back(*entry);
  }
  cmd.env.insert(cmd.env.end(), extra_env.begin(), extra_env.end());

  const int code = exec_mode ? zkagent::entrypoint::exec_replace(cmd, signals, log)
                             : zkagent::entrypoint::supervise(cmd, signals, log);
  if (late_signal != 0) ::kill(::getpid(), late_signal);  // pending until signals goes out of scope
  return code;
}
