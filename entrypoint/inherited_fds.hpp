#pragma once
// Descriptors the JVM must not inherit: every one above stderr (a listening socket or a file someone
// opened without O_CLOEXEC would otherwise live on in ZooKeeper). Runs between fork and exec, so it
// is async-signal-safe: no allocation, no locks, raw system calls into stack buffers.
namespace zkagent::entrypoint {

// Which ways to try, in this order; tests name one to prove each works alone.
enum class fd_sweep {
  any,           // close_range, then the /proc listing, then every number below RLIMIT_NOFILE
  proc_listing,  // only the /proc/self/fd listing (what kernels before 5.11 get)
  number_range,  // only fcntl on 3 .. RLIMIT_NOFILE-1 (no close_range and no /proc)
};

// Marks every descriptor above 2 close-on-exec; it closes at the exec. Marking instead of
// closing keeps working descriptors usable until then (the exec-error pipe) and changes nothing
// if the exec fails. close_range(CLOSE_RANGE_CLOEXEC) needs Linux 5.11 (older kernels: ENOSYS, or
// EINVAL for the flag on 5.9 and 5.10); then /proc/self/fd is read with getdents64; without /proc,
// every number below the soft RLIMIT_NOFILE is tried (slow with a large limit, hence last).
// Returns false only when no way could run: the child then starts with what it inherited.
bool mark_inherited_fds_cloexec(fd_sweep how = fd_sweep::any) noexcept;

}  // namespace zkagent::entrypoint
