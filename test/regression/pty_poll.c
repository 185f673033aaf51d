/* poll(2) on a pty: a canonical slave is readable only with a complete
 * line, a raw one with a byte; a poll that sleeps wakes when the master
 * writes; both sides are writable; the master sees POLLHUP once the slave
 * is closed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include "check.h"
#include "pty_util.h"

static int poll1(int fd, short events, int ms)
{
    struct pollfd p = { .fd = fd, .events = events };
    int n = poll(&p, 1, ms);

    return n == 1 ? p.revents : n;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
    char name[64], buf[64];
    struct termios t;
    int m, s, r;
    pid_t pid;
    double t0;

    setup_dev();
    m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0, "posix_openpt: errno %d", errno);
    if (m < 0)
        return check_result("pty_poll");
    unlockpt(m);
    ptsname_r(m, name, sizeof(name));
    s = open(name, O_RDWR | O_NOCTTY);
    CHECK(s >= 0, "open %s: errno %d", name, errno);

    CHECK(poll1(s, POLLIN | POLLOUT, 0) == POLLOUT, "an idle slave: writable only (%#x)",
          poll1(s, POLLIN | POLLOUT, 0));
    CHECK(poll1(m, POLLIN | POLLOUT, 0) == POLLOUT, "an idle master: writable only");
    write(m, "ab", 2);
    CHECK(poll1(s, POLLIN, 0) == 0, "a partial line is not readable (%#x)", poll1(s, POLLIN, 0));
    CHECK(poll1(m, POLLIN, 0) == POLLIN, "the echo is readable on the master");
    read(m, buf, sizeof(buf));
    write(m, "\n", 1);
    CHECK(poll1(s, POLLIN, 0) == POLLIN, "a complete line is readable");
    CHECK(read(s, buf, sizeof(buf)) == 3, "read the line");
    read(m, buf, sizeof(buf));

    /* a poll that sleeps is woken by the master's write */
    pid = fork();
    if (pid == 0) {
        usleep(200000);
        write(m, "x\n", 2);
        _exit(0);
    }
    t0 = now();
    r = poll1(s, POLLIN, 5000);
    CHECK(r == POLLIN, "woken by the master: %#x", r);
    CHECK(now() - t0 > 0.1, "it slept (%.2fs)", now() - t0);
    waitpid(pid, NULL, 0);
    read(s, buf, sizeof(buf));
    read(m, buf, sizeof(buf));

    /* raw mode: one byte is enough */
    tcgetattr(s, &t);
    cfmakeraw(&t);
    tcsetattr(s, TCSANOW, &t);
    write(m, "k", 1);
    CHECK(poll1(s, POLLIN, 1000) == POLLIN, "raw: one byte is readable");
    read(s, buf, sizeof(buf));
    t0 = now();
    CHECK(poll1(s, POLLIN, 200) == 0, "raw: nothing, timed out");
    CHECK(now() - t0 > 0.1, "the timeout was waited");

    /* the slave closes: the master hangs up */
    close(s);
    r = poll1(m, POLLIN, 1000);
    CHECK(r & POLLHUP, "the master after the slave closed: %#x", r);
    close(m);
    return check_result("pty_poll");
}
