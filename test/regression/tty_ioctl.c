/* Terminal ioctls on a pty: TCGETS/TCSETS round trip, TCSETSF flushing,
 * FIONREAD, TCFLSH, TIOCGWINSZ/TIOCSWINSZ with SIGWINCH to the foreground
 * group, TIOCSCTTY, TIOCGPGRP/TIOCSPGRP/TIOCGSID and their errors,
 * TIOCNOTTY, and ENOTTY on a regular file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include "check.h"
#include "pty_util.h"

static volatile sig_atomic_t winches;

/* Wait until @fd has input: Linux hands pty input to the line discipline
 * from a worker that may run on another CPU after write() returns. */
static void wait_input(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };

    CHECK(poll(&p, 1, 10000) == 1, "no input on fd %d", fd);
}

static void on_winch(int sig)
{
    winches++;
}

/* The checks made by a session leader whose terminal is the slave;
 * returns its number of failures as exit status. */
static int in_session(const char *name, int m, pid_t stranger)
{
    struct winsize ws = { .ws_row = 24, .ws_col = 80 }, got;
    int s, pg, sid, bad;
    pid_t other;

    setsid();
    s = open(name, O_RDWR | O_NOCTTY);
    CHECK(s >= 0, "open slave: errno %d", errno);
    errno = 0;
    CHECK(ioctl(s, TIOCGPGRP, &pg) == -1 && errno == ENOTTY,
          "TIOCGPGRP before TIOCSCTTY: errno %d", errno);
    CHECK(ioctl(s, TIOCSCTTY, 0) == 0, "TIOCSCTTY: errno %d", errno);
    CHECK(ioctl(s, TIOCSCTTY, 0) == 0, "TIOCSCTTY again: errno %d", errno);
    CHECK(ioctl(s, TIOCGPGRP, &pg) == 0 && pg == getpid(), "TIOCGPGRP %d", pg);
    CHECK(ioctl(s, TIOCGSID, &sid) == 0 && sid == getpid(), "TIOCGSID %d", sid);

    /* TIOCSPGRP: Linux's checks */
    bad = -1;
    errno = 0;
    CHECK(ioctl(s, TIOCSPGRP, &bad) == -1 && errno == EINVAL, "pgrp -1: errno %d", errno);
    bad = 0x3ffffff0;
    errno = 0;
    CHECK(ioctl(s, TIOCSPGRP, &bad) == -1 && errno == ESRCH, "no such pgrp: errno %d", errno);
    bad = stranger; /* another session's group */
    errno = 0;
    CHECK(ioctl(s, TIOCSPGRP, &bad) == -1 && errno == EPERM,
          "another session's group: errno %d", errno);
    other = fork();
    if (other == 0) {
        setpgid(0, 0);
        pause();
        _exit(0);
    }
    setpgid(other, other);
    CHECK(ioctl(s, TIOCSPGRP, &other) == 0, "TIOCSPGRP to a group of the session: errno %d", errno);
    CHECK(tcgetpgrp(s) == other, "foreground is now %d", tcgetpgrp(s));
    /* from the background now: SIGTTOU ignored, so it goes through */
    signal(SIGTTOU, SIG_IGN);
    pg = getpid();
    CHECK(ioctl(s, TIOCSPGRP, &pg) == 0, "back to the foreground: errno %d", errno);
    signal(SIGTTOU, SIG_DFL);
    kill(other, SIGKILL);
    waitpid(other, NULL, 0);

    /* window size: SIGWINCH to the foreground group when it changes */
    signal(SIGWINCH, on_winch);
    CHECK(ioctl(s, TIOCGWINSZ, &got) == 0 && got.ws_row == 0 && got.ws_col == 0,
          "initial size %dx%d", got.ws_row, got.ws_col);
    CHECK(ioctl(m, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ on the master: errno %d", errno);
    CHECK(winches == 1, "SIGWINCH count %d after a change", (int)winches);
    CHECK(ioctl(s, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ: errno %d", errno);
    CHECK(winches == 1, "no SIGWINCH for the same size (%d)", (int)winches);
    CHECK(ioctl(s, TIOCGWINSZ, &got) == 0 && got.ws_row == 24 && got.ws_col == 80,
          "size %dx%d", got.ws_row, got.ws_col);

    /* TIOCNOTTY by the leader: the terminal is gone */
    signal(SIGHUP, SIG_IGN);
    CHECK(ioctl(s, TIOCNOTTY) == 0, "TIOCNOTTY: errno %d", errno);
    errno = 0;
    CHECK(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO, "/dev/tty after TIOCNOTTY: errno %d", errno);
    errno = 0;
    CHECK(ioctl(s, TIOCGSID, &sid) == -1 && errno == ENOTTY, "TIOCGSID after: errno %d", errno);
    return failures;
}

int main(void)
{
    char name[64];
    struct termios t, u;
    int m, s, n, fd, status, pg;
    pid_t pid, stranger;

    setup_dev();
    m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0, "posix_openpt: errno %d", errno);
    if (m < 0)
        return check_result("tty_ioctl");
    unlockpt(m);
    ptsname_r(m, name, sizeof(name));
    s = open(name, O_RDWR | O_NOCTTY);
    CHECK(s >= 0, "open %s: errno %d", name, errno);

    /* TCGETS/TCSETS round trip; the master shows the slave's settings */
    CHECK(ioctl(s, TCGETS, &t) == 0, "TCGETS: errno %d", errno);
    t.c_lflag &= ~(ECHO | ECHOE);
    t.c_cc[VMIN] = 5;
    t.c_cc[VERASE] = 8;
    CHECK(ioctl(s, TCSETS, &t) == 0, "TCSETS: errno %d", errno);
    memset(&u, 0, sizeof(u));
    CHECK(ioctl(s, TCGETS, &u) == 0, "TCGETS: errno %d", errno);
    CHECK(u.c_lflag == t.c_lflag && u.c_iflag == t.c_iflag && u.c_oflag == t.c_oflag &&
              u.c_cc[VMIN] == 5 && u.c_cc[VERASE] == 8,
          "round trip lflag %#o", u.c_lflag);
    memset(&u, 0, sizeof(u));
    CHECK(ioctl(m, TCGETS, &u) == 0 && u.c_cc[VERASE] == 8 && !(u.c_lflag & ECHO),
          "TCGETS on the master gives the slave's settings");

    /* FIONREAD counts complete lines; TCSETSF and TCFLSH flush */
    write(m, "abc\nde", 6);
    wait_input(s);
    CHECK(ioctl(s, FIONREAD, &n) == 0 && n == 4, "FIONREAD %d", n);
    CHECK(ioctl(s, TCFLSH, TCIFLUSH) == 0, "TCFLSH: errno %d", errno);
    CHECK(ioctl(s, FIONREAD, &n) == 0 && n == 0, "FIONREAD after flush %d", n);
    errno = 0;
    CHECK(ioctl(s, TCFLSH, 7) == -1 && errno == EINVAL, "TCFLSH 7: errno %d", errno);
    write(m, "xyz\n", 4);
    wait_input(s);
    CHECK(ioctl(s, TCSETSF, &t) == 0, "TCSETSF: errno %d", errno);
    CHECK(ioctl(s, FIONREAD, &n) == 0 && n == 0, "FIONREAD after TCSETSF %d", n);
    CHECK(ioctl(s, TCXONC, TCOON) == 0, "TCXONC: errno %d", errno);
    CHECK(tcdrain(s) == 0, "tcdrain: errno %d", errno);

    /* TIOCGPTPEER opens the slave from the master */
    fd = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    CHECK(fd >= 0, "TIOCGPTPEER: errno %d", errno);
    if (fd >= 0) {
        write(fd, "peer\n", 5);
        wait_input(m);
        n = 0;
        CHECK(ioctl(m, FIONREAD, &n) == 0 && n == 6, "the peer's output on the master: %d", n);
        tcflush(m, TCIFLUSH);
        CHECK(ioctl(m, FIONREAD, &n) == 0 && n == 0, "flushed: %d", n);
        close(fd);
    }

    /* not our controlling terminal */
    errno = 0;
    CHECK(ioctl(s, TIOCGPGRP, &pg) == -1 && errno == ENOTTY, "TIOCGPGRP: errno %d", errno);
    pg = getpgrp();
    errno = 0;
    CHECK(ioctl(s, TIOCSPGRP, &pg) == -1 && errno == ENOTTY, "TIOCSPGRP: errno %d", errno);
    errno = 0;
    CHECK(ioctl(s, TIOCNOTTY) == -1 && errno == ENOTTY, "TIOCNOTTY: errno %d", errno);
    CHECK(ioctl(m, TIOCGPGRP, &pg) == 0 && pg == 0, "TIOCGPGRP on the master: %d", pg);

    stranger = fork();
    if (stranger == 0) {
        setsid();
        for (;;)
            pause();
    }
    while (getsid(stranger) != stranger)
        usleep(1000);
    pid = fork();
    if (pid == 0)
        _exit(in_session(name, m, stranger));
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the session's checks: status %#x", status);
    kill(stranger, SIGKILL);
    waitpid(stranger, NULL, 0);

    /* a regular file is not a terminal */
    mkdir("/tmp", 0777);
    mount("tmpfs", "/tmp", "tmpfs", 0, 0);
    fd = open("/tmp/plain", O_RDWR | O_CREAT, 0644);
    CHECK(fd >= 0, "create /tmp/plain: errno %d", errno);
    errno = 0;
    CHECK(ioctl(fd, TCGETS, &t) == -1 && errno == ENOTTY, "TCGETS on a file: errno %d", errno);
    errno = 0;
    CHECK(ioctl(fd, TIOCGWINSZ, &n) == -1 && errno == ENOTTY, "TIOCGWINSZ on a file: errno %d", errno);
    CHECK(!isatty(fd), "isatty on a file");
    close(fd);
    close(s);
    close(m);
    return check_result("tty_ioctl");
}
