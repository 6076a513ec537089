/* Runs commands many times, alternating between them, and records each run's cost as the kernel
 * accounts it to the child (wait4's rusage covers the child and the descendants it waited for):
 *   wall_us  user_us  sys_us  maxrss_kib  exit_status  minor_faults
 * one line per run in DIR/NAME.runs. The commands take turns, round after round, so a drift of the
 * machine (another load, a warming cache) spreads over all of them alike. stdin, stdout and stderr of
 * the commands are /dev/null. Exit status 128+N stands for signal N.
 * Usage: runstat ROUNDS DIR NAME CMD [ARG...] [::: NAME CMD [ARG...]]...
 * Exits 0 when every run could be started (whatever the runs' own statuses), 1 otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

struct command {
  const char* name;
  char** argv;
  FILE* out;
};

static long long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static long long tv_us(struct timeval tv) { return (long long)tv.tv_sec * 1000000LL + tv.tv_usec; }

int main(int argc, char** argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: runstat ROUNDS DIR NAME CMD [ARG...] [::: NAME CMD [ARG...]]...\n");
    return 2;
  }
  const long rounds = strtol(argv[1], NULL, 10);
  const char* dir = argv[2];
  struct command commands[32];
  int count = 0;
  for (int i = 3; i < argc;) {
    if (count == 32 || i + 1 >= argc) {
      fprintf(stderr, "runstat: each command needs a NAME and a CMD (at most 32 commands)\n");
      return 2;
    }
    commands[count].name = argv[i];
    commands[count].argv = &argv[i + 1];
    int end = i + 1;
    while (end < argc && strcmp(argv[end], ":::") != 0) ++end;
    argv[end < argc ? end : argc] = NULL; /* argv[argc] is NULL already */
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.runs", dir, commands[count].name);
    commands[count].out = fopen(path, "w");
    if (!commands[count].out) {
      fprintf(stderr, "runstat: %s: %s\n", path, strerror(errno));
      return 1;
    }
    ++count;
    i = end + 1;
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);

  for (long round = 0; round < rounds; ++round) {
    for (int c = 0; c < count; ++c) {
      const long long start = now_us();
      pid_t pid;
      int err = posix_spawnp(&pid, commands[c].argv[0], &actions, NULL, commands[c].argv, environ);
      if (err != 0) {
        fprintf(stderr, "runstat: cannot run %s: %s\n", commands[c].argv[0], strerror(err));
        return 1;
      }
      int status = 0;
      struct rusage usage;
      while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
          fprintf(stderr, "runstat: wait4: %s\n", strerror(errno));
          return 1;
        }
      }
      const long long wall = now_us() - start;
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      fprintf(commands[c].out, "%lld %lld %lld %ld %d %ld\n", wall, tv_us(usage.ru_utime), tv_us(usage.ru_stime),
              usage.ru_maxrss, code, usage.ru_minflt);
    }
  }
  for (int c = 0; c < count; ++c) {
    if (fclose(commands[c].out) != 0) {
      fprintf(stderr, "runstat: writing %s.runs: %s\n", commands[c].name, strerror(errno));
      return 1;
    }
  }
  return 0;
}
