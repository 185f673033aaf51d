/* Process groups and sessions: setpgid, getpgid, getpgrp, setsid, getsid
 * with Linux's rules and errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include "check.h"

int main(void)
{
    pid_t self = getpid(), child;
    int status, pipe_done = 0;

    CHECK(getpgrp() == getpgid(0) && getpgid(0) == getpgid(self), "getpgrp/getpgid disagree");
    CHECK(getsid(0) == getsid(self), "getsid(0) != getsid(self)");

    child = fork();
    if (child == 0) {
        int bad = 0;

        if (getpgrp() != getpgid(getppid()))
            bad |= 1; /* children start in the parent's group */
        if (getsid(0) != getsid(getppid()))
            bad |= 2;
        /* setsid makes a new session and group led by us */
        if (setsid() != getpid() || getsid(0) != getpid() || getpgrp() != getpid())
            bad |= 4;
        /* a session leader cannot change group, nor setsid again */
        errno = 0;
        if (setpgid(0, 0) != -1 || errno != EPERM)
            bad |= 8;
        errno = 0;
        if (setsid() != -1 || errno != EPERM)
            bad |= 16;
        _exit(bad);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "child checks: status %#x", status);

    /* we may lead a group of our own (we lead no session) */
    CHECK(setpgid(0, 0) == 0 && getpgrp() == self, "setpgid(0, 0): errno %d", errno);
    child = fork();
    if (child == 0) {
        for (;;)
            pause();
    }
    /* the parent may move its child into a new group of its own */
    CHECK(setpgid(child, child) == 0 && getpgid(child) == child, "setpgid child errno %d", errno);
    /* and back into ours */
    CHECK(setpgid(child, getpgrp()) == 0 && getpgid(child) == getpgrp(), "back: errno %d", errno);
    errno = 0;
    CHECK(setpgid(child, 99999) == -1 && errno == EPERM, "missing group: errno %d", errno);
    errno = 0;
    CHECK(setpgid(child, -1) == -1 && errno == EINVAL, "negative pgid: errno %d", errno);
    errno = 0;
    CHECK(setpgid(99999, 0) == -1 && errno == ESRCH, "missing pid: errno %d", errno);
    errno = 0;
    CHECK(getpgid(99999) == -1 && errno == ESRCH, "getpgid missing: errno %d", errno);
    errno = 0;
    CHECK(getsid(99999) == -1 && errno == ESRCH, "getsid missing: errno %d", errno);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);

    /* a child that has exec'd cannot be moved; it tells us with SIGUSR1 */
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    child = fork();
    if (child == 0) {
        char *argv[] = { "exec_target", "pause", NULL };
        execve("/test/exec_target", argv, argv + 2);
        _exit(127);
    }
    CHECK(sigwaitinfo(&usr1, NULL) == SIGUSR1, "sigwaitinfo errno %d", errno);
    errno = 0;
    CHECK(setpgid(child, child) == -1 && errno == EACCES, "after exec: errno %d", errno);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    (void)pipe_done;
    return check_result("pgrp_session");
}
