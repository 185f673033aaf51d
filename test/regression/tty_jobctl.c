/* Job control on a terminal: a background group reading its terminal is
 * stopped by SIGTTIN (EIO when it ignores SIGTTIN), writing with TOSTOP
 * is stopped by SIGTTOU (goes through without TOSTOP), the foreground
 * group reads; ^Z stops the foreground group with SIGTSTP and ^\ sends
 * SIGQUIT; setsid leaves the terminal behind. */
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

/* Fork a child in a new background group that runs @what on @s. */
static pid_t background(int s, int what)
{
    pid_t pid = fork();
    char c = 0;

    if (what == 4) { /* setsid: not as a group leader */
        if (pid == 0) {
            if (setsid() < 0)
                _exit(3);
            _exit(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO ? 0 : 1);
        }
        return pid;
    }
    if (pid != 0) {
        setpgid(pid, pid);
        return pid;
    }
    setpgid(0, 0);
    switch (what) {
    case 0: /* read: SIGTTIN stops us */
        read(s, &c, 1);
        _exit(0);
    case 1: /* read with SIGTTIN ignored: EIO */
        signal(SIGTTIN, SIG_IGN);
        _exit(read(s, &c, 1) == -1 && errno == EIO ? 0 : 1);
    case 2: /* write without TOSTOP: goes through */
        _exit(write(s, "bg\n", 3) == 3 ? 0 : 1);
    case 3: /* write with TOSTOP: SIGTTOU stops us */
        write(s, "bg\n", 3);
        _exit(0);
    }
    _exit(2);
}

/* Whether @pid stopped with @sig (reported by WUNTRACED). */
static int stopped_by(pid_t pid, int sig)
{
    int status;

    if (waitpid(pid, &status, WUNTRACED) != pid)
        return 0;
    if (!WIFSTOPPED(status) || WSTOPSIG(status) != sig) {
        printf("status %#x\n", status);
        return 0;
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return 1;
}

static int exited_ok(pid_t pid)
{
    int status;

    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
}

static void drain(int m)
{
    struct pollfd p = { .fd = m, .events = POLLIN };
    char buf[256];

    while (poll(&p, 1, 100) == 1 && read(m, buf, sizeof(buf)) > 0)
        ;
}

static int leader(const char *name, int m)
{
    struct termios t;
    char buf[16];
    pid_t pid;
    int s, status;

    setsid();
    s = open(name, O_RDWR);
    CHECK(s >= 0 && tcgetpgrp(s) == getpid(), "the slave is our terminal");

    CHECK(stopped_by(background(s, 0), SIGTTIN), "background read: SIGTTIN");
    CHECK(exited_ok(background(s, 1)), "background read, SIGTTIN ignored: EIO");
    CHECK(exited_ok(background(s, 2)), "background write without TOSTOP");
    tcgetattr(s, &t);
    t.c_lflag |= TOSTOP;
    tcsetattr(s, TCSANOW, &t);
    CHECK(stopped_by(background(s, 3), SIGTTOU), "background write with TOSTOP: SIGTTOU");
    CHECK(exited_ok(background(s, 4)), "setsid drops the terminal");
    drain(m);

    /* the foreground group reads */
    write(m, "fg\n", 3);
    CHECK(read(s, buf, sizeof(buf)) == 3, "foreground read");

    /* ^Z stops the foreground group, ^\ quits it */
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        for (;;)
            pause();
    }
    setpgid(pid, pid);
    CHECK(tcsetpgrp(s, pid) == 0, "tcsetpgrp: errno %d", errno);
    CHECK(tcgetpgrp(s) == pid, "the child's group is in the foreground");
    write(m, "\032", 1);
    CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
              WSTOPSIG(status) == SIGTSTP,
          "^Z: status %#x", status);
    kill(pid, SIGCONT);
    write(m, "\034", 1);
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
              WTERMSIG(status) == SIGQUIT,
          "^\\: status %#x", status);
    signal(SIGTTOU, SIG_IGN);
    tcsetpgrp(s, getpid());
    return failures;
}

int main(void)
{
    char name[64];
    int m, status;
    pid_t pid;

    setup_dev();
    m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0, "posix_openpt: errno %d", errno);
    if (m < 0)
        return check_result("tty_jobctl");
    unlockpt(m);
    ptsname_r(m, name, sizeof(name));
    pid = fork();
    if (pid == 0)
        _exit(leader(name, m));
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the session's checks: status %#x", status);
    close(m);
    return check_result("tty_jobctl");
}
