// A child for supervisor tests, in the manner of dumb-init's: it runs the actions given as
// arguments, in order, and reports on stdout one line per event so a test can wait for it.
//   status            print the SigBlk and SigIgn lines of /proc/self/status
//   pid               print "pid <pid> ppid <ppid>"
//   fds               print "fds" and the numbers of the open file descriptors, ascending
//   env NAME          print "env NAME=<value>" or "env NAME unset"
//   ignore N          ignore signal N
//   orphans N         leave N orphaned grandchildren that exit at once, each printing
//                     "orphan <pid> ppid <ppid>" after it was reparented
//   exit N            exit with status N
//   kill-self N       die of signal N
//   wait              print "ready", then sleep until a signal's default action ends us
//   echo-until N      print "ready", then print "signal <n>" for each signal received (every one
//                     that can be blocked: real-time ones, SIGCONT, SIGTSTP, ...); exit 0 after signal N
// Output goes through write(2) unbuffered, so lines appear at once and nothing is duplicated by fork.
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

void say(const std::string& line) {
  const std::string text = line + "\n";
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(3);
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void fail(const std::string& why) {
  const std::string text = "signal_child: " + why + "\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, text.data(), text.size());
  std::_Exit(3);
}

int number(const std::vector<std::string>& args, std::size_t& i) {
  if (i + 1 >= args.size()) fail("missing number after " + args[i]);
  ++i;
  char* end = nullptr;
  const long value = std::strtol(args[i].c_str(), &end, 10);
  if (end == args[i].c_str() || *end != '\0' || value < 0 || value > 1000) fail("bad number " + args[i]);
  return static_cast<int>(value);
}

void print_status() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("SigBlk:") || line.starts_with("SigIgn:")) say(line);
  }
}

void leave_orphans(int count) {
  // The orphans wait on a pipe until their parent is dead and reaped, so that when they report,
  // they have been reparented to the nearest subreaper (the supervisor under test).
  int gate[2];
  if (::pipe(gate) != 0) fail("pipe failed");
  const pid_t middle = ::fork();
  if (middle == -1) fail("fork failed");
  if (middle == 0) {
    for (int i = 0; i < count; ++i) {
      const pid_t orphan = ::fork();
      if (orphan == -1) std::_Exit(4);
      if (orphan == 0) {
        ::close(gate[1]);
        char byte = 0;
        while (::read(gate[0], &byte, 1) == -1 && errno == EINTR) {
        }
        say("orphan " + std::to_string(::getpid()) + " ppid " + std::to_string(::getppid()));
        std::_Exit(0);
      }
    }
    std::_Exit(0);
  }
  ::close(gate[0]);
  int status = 0;
  while (::waitpid(middle, &status, 0) == -1 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("could not fork every orphan");
  ::close(gate[1]);  // EOF releases them all at once
}

void print_fds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) fail("cannot list /proc/self/fd");
  std::vector<int> fds;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    const int fd = std::stoi(name);
    if (fd != ::dirfd(dir)) fds.push_back(fd);
  }
  ::closedir(dir);
  std::sort(fds.begin(), fds.end());
  std::string line = "fds";
  for (const int fd : fds) {
    line += ' ';  // two appends: GCC 12 warns (-Wrestrict, falsely) on " " + to_string
    line += std::to_string(fd);
  }
  say(line);
}

// Everything that can be blocked; glibc's sigfillset leaves out the two it keeps for threads.
sigset_t echoed_signals() {
  sigset_t set;
  sigfillset(&set);
  return set;
}

[[noreturn]] void echo_until(int last) {
  // Blocked and taken with sigwaitinfo: no handler races, and every signal is seen exactly once.
  const sigset_t set = echoed_signals();
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  say("ready");
  for (;;) {
    const int sig = ::sigwaitinfo(&set, nullptr);
    if (sig == -1) continue;
    say("signal " + std::to_string(sig));
    if (sig == last) std::exit(0);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view action = args[i];
    if (action == "status") {
      print_status();
    } else if (action == "pid") {
      say("pid " + std::to_string(::getpid()) + " ppid " + std::to_string(::getppid()));
    } else if (action == "fds") {
      print_fds();
    } else if (action == "env") {
      if (i + 1 >= args.size()) fail("missing name after env");
      const std::string& name = args[++i];
      const char* value = std::getenv(name.c_str());
      say(value != nullptr ? "env " + name + "=" + value : "env " + name + " unset");
    } else if (action == "ignore") {
      ::signal(number(args, i), SIG_IGN);
    } else if (action == "orphans") {
      leave_orphans(number(args, i));
    } else if (action == "exit") {
      std::exit(number(args, i));
    } else if (action == "kill-self") {
      const int sig = number(args, i);
      ::signal(sig, SIG_DFL);
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, sig);
      ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
      ::kill(::getpid(), sig);
      fail("still alive after signal " + std::to_string(sig));
    } else if (action == "wait") {
      say("ready");
      for (;;) ::pause();
    } else if (action == "echo-until") {
      echo_until(number(args, i));
    } else {
      fail("unknown action " + std::string(action));
    }
  }
  return 0;
}
