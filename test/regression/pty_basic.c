/* Pseudo-terminals: /dev/ptmx and its slave in devpts; a canonical line
 * through the pair with echo and line editing, end of file, output
 * processing, raw mode with VMIN/VTIME, ^C as SIGINT to the foreground
 * group of a session whose controlling terminal is the slave, and the
 * hangup when the master closes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include "check.h"
#include "pty_util.h"

/* /dev/pts with devpts, /dev/ptmx and /dev/tty, as a system has them. */
/* Read what arrives within @ms milliseconds, NUL-terminated (without
 * poll(2): non-blocking reads, until 50 ms pass without a byte). */
static int read_wait(int fd, char *buf, size_t len, int ms)
{
    int flags = fcntl(fd, F_GETFL);
    size_t got = 0;
    int idle = 0;

    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    while (got < len - 1 && idle < ms) {
        ssize_t n = read(fd, buf + got, len - 1 - got);

        if (n > 0) {
            got += n;
            ms = 50; /* the rest follows quickly */
            idle = 0;
        } else {
            usleep(10000);
            idle += 10;
        }
    }
    fcntl(fd, F_SETFL, flags);
    buf[got] = '\0';
    return (int)got;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
    char name[64], buf[256];
    struct termios t;
    int m, s, status;
    ssize_t n;
    pid_t pid;
    double t0;

    setup_dev();
    m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0, "posix_openpt: errno %d", errno);
    if (m < 0)
        return check_result("pty_basic");
    CHECK(isatty(m), "the master is a terminal");
    CHECK(grantpt(m) == 0, "grantpt: errno %d", errno);
    CHECK(ptsname_r(m, name, sizeof(name)) == 0, "ptsname: errno %d", errno);
    CHECK(strncmp(name, "/dev/pts/", 9) == 0, "slave name %s", name);
    printf("slave %s\n", name);

    /* locked until unlockpt */
    s = open(name, O_RDWR | O_NOCTTY);
    CHECK(s < 0 && errno == EIO, "open of a locked slave: %d errno %d", s, errno);
    CHECK(unlockpt(m) == 0, "unlockpt: errno %d", errno);
    s = open(name, O_RDWR | O_NOCTTY);
    CHECK(s >= 0, "open %s: errno %d", name, errno);
    if (s < 0)
        return check_result("pty_basic");
    CHECK(isatty(s), "the slave is a terminal");

    /* Linux's default settings */
    CHECK(tcgetattr(s, &t) == 0, "tcgetattr: errno %d", errno);
    CHECK((t.c_lflag & (ICANON | ECHO | ISIG | ECHOE | ECHOK | ECHOCTL | IEXTEN)) ==
              (ICANON | ECHO | ISIG | ECHOE | ECHOK | ECHOCTL | IEXTEN),
          "default lflag %#o", t.c_lflag);
    CHECK((t.c_iflag & ICRNL) && (t.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR),
          "default iflag %#o oflag %#o", t.c_iflag, t.c_oflag);
    CHECK(t.c_cc[VINTR] == 3 && t.c_cc[VERASE] == 0177 && t.c_cc[VEOF] == 4 &&
              t.c_cc[VKILL] == 025 && t.c_cc[VSUSP] == 032 && t.c_cc[VMIN] == 1,
          "default control characters");

    /* a canonical line: CR becomes NL, echo with ONLCR */
    CHECK(write(m, "hello\r", 6) == 6, "write to the master");
    n = read(s, buf, sizeof(buf));
    CHECK(n == 6 && memcmp(buf, "hello\n", 6) == 0, "slave read %zd", n);
    read_wait(m, buf, sizeof(buf), 1000);
    CHECK(strcmp(buf, "hello\r\n") == 0, "echo '%s'", buf);

    /* line editing: erase, kill, word erase */
    CHECK(write(m, "ab\177c\n", 5) == 5, "write");
    n = read(s, buf, sizeof(buf));
    CHECK(n == 3 && memcmp(buf, "ac\n", 3) == 0, "erase: read %zd", n);
    read_wait(m, buf, sizeof(buf), 1000);
    CHECK(strcmp(buf, "ab\b \bc\r\n") == 0, "erase echo '%s'", buf);
    CHECK(write(m, "junk\025foo bar\027baz\n", 17) == 17, "write");
    n = read(s, buf, sizeof(buf));
    CHECK(n == 8 && memcmp(buf, "foo baz\n", 8) == 0, "kill/werase: read %zd", n);
    read_wait(m, buf, sizeof(buf), 1000);

    /* a line read in pieces */
    CHECK(write(m, "hello\n", 6) == 6, "write");
    n = read(s, buf, 2);
    CHECK(n == 2 && memcmp(buf, "he", 2) == 0, "first piece: %zd", n);
    n = read(s, buf, sizeof(buf));
    CHECK(n == 4 && memcmp(buf, "llo\n", 4) == 0, "the rest of the line: %zd", n);
    read_wait(m, buf, sizeof(buf), 1000);

    /* two lines: one per read */
    CHECK(write(m, "one\ntwo\n", 8) == 8, "write");
    n = read(s, buf, sizeof(buf));
    CHECK(n == 4 && memcmp(buf, "one\n", 4) == 0, "first line: %zd", n);
    n = read(s, buf, sizeof(buf));
    CHECK(n == 4 && memcmp(buf, "two\n", 4) == 0, "second line: %zd", n);
    read_wait(m, buf, sizeof(buf), 1000);

    /* ^D: pushes a partial line, alone it is end of file */
    CHECK(write(m, "ab\004", 3) == 3, "write");
    n = read(s, buf, sizeof(buf));
    CHECK(n == 2 && memcmp(buf, "ab", 2) == 0, "^D after text: %zd", n);
    CHECK(write(m, "\004", 1) == 1, "write");
    n = read(s, buf, sizeof(buf));
    CHECK(n == 0, "^D alone: read %zd", n);
    read_wait(m, buf, sizeof(buf), 300);

    /* output processing of the slave */
    CHECK(write(s, "out\n", 4) == 4, "slave write");
    read_wait(m, buf, sizeof(buf), 1000);
    CHECK(strcmp(buf, "out\r\n") == 0, "ONLCR: '%s'", buf);

    /* raw mode: no echo, VMIN bytes */
    cfmakeraw(&t);
    t.c_cc[VMIN] = 3;
    t.c_cc[VTIME] = 0;
    CHECK(tcsetattr(s, TCSANOW, &t) == 0, "tcsetattr raw: errno %d", errno);
    CHECK(write(m, "x\r", 2) == 2, "write");
    pid = fork();
    if (pid == 0) {
        usleep(200000);
        write(m, "z", 1);
        _exit(0);
    }
    t0 = now();
    n = read(s, buf, sizeof(buf));
    CHECK(n == 3 && memcmp(buf, "x\rz", 3) == 0, "VMIN=3 read %zd", n);
    CHECK(now() - t0 > 0.1, "VMIN=3 waited for the third byte");
    waitpid(pid, NULL, 0);
    CHECK(read_wait(m, buf, sizeof(buf), 200) == 0, "no echo in raw mode: '%s'", buf);
    /* a read smaller than what is there takes only what it asks */
    t.c_cc[VMIN] = 1;
    tcsetattr(s, TCSANOW, &t);
    CHECK(write(m, "abc", 3) == 3, "write");
    n = read(s, buf, 1);
    CHECK(n == 1 && buf[0] == 'a', "raw read of 1: %zd", n);
    n = read(s, buf, sizeof(buf));
    CHECK(n == 2 && memcmp(buf, "bc", 2) == 0, "raw read of the rest: %zd", n);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    tcsetattr(s, TCSANOW, &t);
    n = read(s, buf, sizeof(buf));
    CHECK(n == 0, "VMIN=0 VTIME=0 with nothing: %zd", n);
    t.c_cc[VTIME] = 2;
    tcsetattr(s, TCSANOW, &t);
    t0 = now();
    n = read(s, buf, sizeof(buf));
    CHECK(n == 0 && now() - t0 > 0.1, "VTIME=2 timed out: %zd after %.2fs", n, now() - t0);
    fcntl(s, F_SETFL, O_NONBLOCK);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(s, TCSANOW, &t);
    n = read(s, buf, sizeof(buf));
    CHECK(n == -1 && errno == EAGAIN, "O_NONBLOCK: %zd errno %d", n, errno);
    fcntl(s, F_SETFL, 0);

    /* ^C: SIGINT to the foreground group of the slave's session */
    tcgetattr(s, &t);
    t.c_lflag |= ISIG | ICANON | ECHO | ECHOCTL;
    tcsetattr(s, TCSANOW, &t);
    pid = fork();
    if (pid == 0) {
        int fd, tty;

        setsid();
        tty = open("/dev/tty", O_RDWR);
        if (tty >= 0 || errno != ENXIO)
            _exit(10); /* no controlling terminal yet */
        fd = open(name, O_RDWR); /* a session leader acquires it */
        if (fd < 0)
            _exit(11);
        if (tcgetpgrp(fd) != getpid() || tcgetsid(fd) != getpid())
            _exit(12);
        tty = open("/dev/tty", O_RDWR);
        if (tty < 0 || tcgetpgrp(tty) != getpid())
            _exit(13);
        write(fd, "ready\n", 6);
        for (;;)
            pause();
    }
    read_wait(m, buf, sizeof(buf), 5000);
    CHECK(strcmp(buf, "ready\n") == 0, "child ready (no OPOST): '%s'", buf);
    CHECK(tcgetpgrp(m) == pid, "master sees the foreground group %d", tcgetpgrp(m));
    CHECK(write(m, "\003", 1) == 1, "write ^C");
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT,
          "child status %#x, expected killed by SIGINT", status);
    read_wait(m, buf, sizeof(buf), 1000);
    CHECK(strcmp(buf, "^C") == 0, "^C echo '%s'", buf);

    /* the slave closed: the master reads EIO; the master closed: the
     * slave hangs up (end of file, EIO on write) */
    close(s);
    n = read(m, buf, sizeof(buf));
    CHECK(n == -1 && errno == EIO, "master read after slave close: %zd errno %d", n, errno);
    s = open(name, O_RDWR | O_NOCTTY);
    CHECK(s >= 0, "reopen slave: errno %d", errno);
    close(m);
    n = read(s, buf, sizeof(buf));
    CHECK(n == 0, "slave read after master close: %zd errno %d", n, errno);
    n = write(s, "x", 1);
    CHECK(n == -1 && errno == EIO, "slave write after master close: %zd errno %d", n, errno);
    close(s);
    return check_result("pty_basic");
}
