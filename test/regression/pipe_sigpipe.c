/* Writing to a pipe with no reader: EPIPE and SIGPIPE.  Ignored, the
 * write just fails; caught, the handler runs and the write fails; blocked,
 * SIGPIPE stays pending; by default it kills the (non-init) writer.  A
 * blocked writer is woken by the last reader's close.  A write of zero
 * bytes never fails. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <time.h>
#include "check.h"

static volatile sig_atomic_t hits;

static volatile sig_atomic_t code, from;

static void on_pipe(int sig, siginfo_t *si, void *uc)
{
    hits++;
    code = si->si_code;
    from = si->si_pid;
}

static int broken(int p[2])
{
    if (pipe(p))
        return -1;
    close(p[0]);
    return 0;
}

int main(void)
{
    int p[2], status;
    pid_t child;
    sigset_t set, pend;

    /* ignored */
    signal(SIGPIPE, SIG_IGN);
    CHECK(broken(p) == 0, "pipe");
    errno = 0;
    CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE, "ignored: errno %d", errno);
    CHECK(write(p[1], "x", 0) == 0, "zero-length write");
    close(p[1]);

    /* caught: from the writer itself, SI_USER */
    {
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = on_pipe;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGPIPE, &sa, NULL);
    }
    CHECK(broken(p) == 0, "pipe");
    errno = 0;
    CHECK(write(p[1], "xyz", 3) == -1 && errno == EPIPE && hits == 1,
          "caught: errno %d hits %d", errno, hits);
    CHECK(code == SI_USER && from == getpid(), "siginfo: code %d pid %d", code, from);
    close(p[1]);

    /* blocked: pending afterwards */
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    sigprocmask(SIG_BLOCK, &set, NULL);
    CHECK(broken(p) == 0, "pipe");
    errno = 0;
    CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE, "blocked: errno %d", errno);
    sigpending(&pend);
    CHECK(sigismember(&pend, SIGPIPE) && hits == 1, "pending, hits %d", hits);
    sigprocmask(SIG_UNBLOCK, &set, NULL); /* the handler runs now */
    CHECK(hits == 2, "delivered on unblock: hits %d", hits);
    close(p[1]);

    /* default: the writer dies of it */
    CHECK(broken(p) == 0, "pipe");
    child = fork();
    if (child == 0) {
        signal(SIGPIPE, SIG_DFL);
        write(p[1], "x", 1);
        _exit(3);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) &&
              WTERMSIG(status) == SIGPIPE,
          "default action: status %#x", status);
    close(p[1]);

    /* a writer blocked on a full pipe gets EPIPE when the reader goes */
    CHECK(pipe(p) == 0, "pipe");
    child = fork();
    if (child == 0) {
        static char big[100000];

        signal(SIGPIPE, SIG_IGN);
        close(p[0]);
        errno = 0;
        /* partly written before the reader left: the count, else EPIPE */
        long r = write(p[1], big, sizeof(big));
        long r2 = write(p[1], big, 1);
        _exit(r == 65536 && r2 == -1 && errno == EPIPE ? 0 : 1);
    }
    close(p[1]);
    {
        char c;

        /* wait until the child has filled the pipe, then leave */
        for (int i = 0; i < 2000; i++) {
            int n = 0;
            struct timespec ts = { 0, 1000000 };

            if (ioctl(p[0], FIONREAD, &n) == 0 && n == 65536)
                break;
            nanosleep(&ts, NULL);
        }
        (void)c;
    }
    close(p[0]);
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "blocked writer: status %#x", status);
    return check_result("pipe_sigpipe");
}
