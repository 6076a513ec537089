/* The floor of an exec probe: connect to 127.0.0.1:PORT, send exactly "ruok", read to EOF, and exit 0
 * iff the reply is "imok". No deadline handling, no messages, no library beyond libc: what the cheapest
 * possible ruok probe costs. scripts/bench compiles it with gcc -O2 -static.
 * Usage: ruok_floor PORT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  alarm(2); /* never hang a benchmark run */
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(argv[1]));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr*)&addr, sizeof addr) != 0) return 1;
  if (write(fd, "ruok", 4) != 4) return 1;
  char reply[16];
  size_t got = 0;
  for (;;) {
    ssize_t n = read(fd, reply + got, sizeof reply - got);
    if (n <= 0) break; /* EOF, or a reset after the reply */
    got += (size_t)n;
    if (got == sizeof reply) break;
  }
  return got == 4 && memcmp(reply, "imok", 4) == 0 ? 0 : 1;
}
