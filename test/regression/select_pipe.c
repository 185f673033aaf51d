/* select(2) and pselect6(2) on pipes: readable with data or at EOF,
 * writable with room or with the reader gone, the sets rewritten to what
 * is ready; EBADF for a closed fd in a set, EINVAL for a negative count or
 * timeout; a timeout that passes, with the time left written back (zero)
 * and what was left when ready; a sleeping select woken by another
 * process; EINTR even with SA_RESTART; pselect6's signal mask. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "check.h"

static volatile sig_atomic_t hits;

static void on_sig(int sig)
{
    hits++;
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(void)
{
    int p[2], q[2], status;
    fd_set r, w;
    struct timeval tv;
    struct timespec t0, ts;
    struct sigaction sa;
    sigset_t set, old, cur;
    pid_t child;
    char c;

    CHECK(pipe(p) == 0 && pipe(q) == 0, "pipes");
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(q[0], &r);
    FD_SET(p[1], &w);
    tv = (struct timeval){ 0, 0 };
    CHECK(select(q[1] + 1, &r, &w, NULL, &tv) == 1, "only writable");
    CHECK(!FD_ISSET(p[0], &r) && !FD_ISSET(q[0], &r) && FD_ISSET(p[1], &w), "sets");

    CHECK(write(q[1], "x", 1) == 1, "write");
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    FD_SET(q[0], &r);
    FD_ZERO(&w);
    FD_SET(p[1], &w);
    CHECK(select(q[1] + 1, &r, &w, NULL, NULL) == 2, "readable + writable");
    CHECK(!FD_ISSET(p[0], &r) && FD_ISSET(q[0], &r) && FD_ISSET(p[1], &w), "sets 2");

    /* EOF is readable; a write end without reader is writable */
    close(q[1]);
    CHECK(read(q[0], &c, 1) == 1, "read");
    FD_ZERO(&r);
    FD_SET(q[0], &r);
    CHECK(select(q[0] + 1, &r, NULL, NULL, NULL) == 1 && FD_ISSET(q[0], &r), "EOF readable");
    close(q[0]);
    CHECK(pipe(q) == 0, "pipe");
    close(q[0]);
    FD_ZERO(&w);
    FD_SET(q[1], &w);
    CHECK(select(q[1] + 1, NULL, &w, NULL, NULL) == 1 && FD_ISSET(q[1], &w), "no reader writable");
    close(q[1]);

    /* errors */
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    FD_SET(q[1], &r); /* closed */
    errno = 0;
    CHECK(select(q[1] + 1, &r, NULL, NULL, NULL) == -1 && errno == EBADF, "EBADF: errno %d", errno);
    errno = 0;
    CHECK(select(-1, NULL, NULL, NULL, NULL) == -1 && errno == EINVAL, "n < 0: errno %d", errno);
    tv = (struct timeval){ -1, 0 };
    errno = 0;
    CHECK(syscall(SYS_select, 1, NULL, NULL, NULL, &tv) == -1 && errno == EINVAL, "tv < 0: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_select, p[0] + 1, (void *)8, NULL, NULL, NULL) == -1 && errno == EFAULT,
          "EFAULT: errno %d", errno);

    /* a timeout passes; the time left (none) is written back */
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv = (struct timeval){ 0, 150000 };
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv) == 0, "timeout");
    CHECK(ms_since(&t0) >= 150 && ms_since(&t0) < 2000, "waited %ld ms", ms_since(&t0));
    CHECK(tv.tv_sec == 0 && tv.tv_usec == 0, "left %ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);
    CHECK(!FD_ISSET(p[0], &r), "set cleared");
    /* microseconds past a second carry over */
    tv = (struct timeval){ 0, 1000000 };
    CHECK(syscall(SYS_select, 0, NULL, NULL, NULL, &tv) == 0, "usec carry");

    /* woken by another process; the time left is what remained */
    child = fork();
    if (child == 0) {
        struct timespec d = { 0, 100000000 };

        nanosleep(&d, NULL);
        _exit(write(p[1], "y", 1) == 1 ? 0 : 1);
    }
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv = (struct timeval){ 5, 0 };
    CHECK(syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv) == 1 && FD_ISSET(p[0], &r), "woken");
    CHECK(tv.tv_sec >= 3 && tv.tv_sec <= 4, "left %ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);
    waitpid(child, &status, 0);
    CHECK(read(p[0], &c, 1) == 1 && c == 'y', "read y");

    /* EINTR even with SA_RESTART */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sig;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    alarm(1);
    errno = 0;
    CHECK(select(p[0] + 1, &r, NULL, NULL, NULL) == -1 && errno == EINTR && hits == 1,
          "EINTR: errno %d hits %d", errno, hits);

    /* pselect: SIGUSR1 pending and blocked, let in for the wait only */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    kill(getpid(), SIGUSR1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    ts = (struct timespec){ 5, 0 };
    errno = 0;
    CHECK(pselect(p[0] + 1, &r, NULL, NULL, &ts, &old) == -1 && errno == EINTR && hits == 2,
          "pselect EINTR: errno %d hits %d", errno, hits);
    sigprocmask(SIG_SETMASK, NULL, &cur);
    CHECK(sigismember(&cur, SIGUSR1), "mask restored");
    kill(getpid(), SIGUSR1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    ts = (struct timespec){ 0, 50000000 };
    CHECK(pselect(p[0] + 1, &r, NULL, NULL, &ts, &set) == 0 && hits == 2, "still blocked: hits %d", hits);
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(hits == 3, "delivered after: %d", hits);
    /* ready at once: the mask changes nothing */
    CHECK(write(p[1], "w", 1) == 1, "write");
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    CHECK(pselect(p[0] + 1, &r, NULL, NULL, NULL, &set) == 1, "pselect ready");
    sigprocmask(SIG_SETMASK, NULL, &cur);
    CHECK(!sigismember(&cur, SIGUSR1), "old mask back: %d", sigismember(&cur, SIGUSR1));
    /* pselect6 with a bad sigset size */
    {
        struct { const sigset_t *ss; size_t len; } pack = { &set, 4 };

        errno = 0;
        CHECK(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, NULL, &pack) == -1 && errno == EINVAL,
              "sigsetsize: errno %d", errno);
    }
    return check_result("select_pipe");
}
