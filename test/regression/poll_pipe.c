/* poll(2) and ppoll(2) on pipes: POLLOUT on an empty pipe's write end,
 * POLLIN once data is in, POLLHUP when the writer closed (with POLLIN
 * while data is left), POLLERR on the write end once the reader closed;
 * POLLNVAL for a closed fd, a negative fd ignored; a timeout that passes;
 * a sleeping poll woken by another process's write; EINTR by a signal even
 * with SA_RESTART; ppoll's signal mask (a pending signal it unblocks
 * interrupts it, the old mask is back afterwards) and its time left;
 * EINVAL above RLIMIT_NOFILE; a file without readiness of its own (a
 * regular file) is always ready. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
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

static void nap(int ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

int main(void)
{
    int p[2], fd, status;
    struct pollfd pf[4];
    struct timespec t0, ts;
    struct sigaction sa;
    struct rlimit rl;
    sigset_t set, old, cur;
    pid_t child;
    char c;

    CHECK(pipe(p) == 0, "pipe");
    pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
    pf[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
    CHECK(poll(pf, 2, 0) == 1, "one ready");
    CHECK(pf[0].revents == 0 && pf[1].revents == POLLOUT, "empty: %#x %#x", pf[0].revents, pf[1].revents);
    CHECK(write(p[1], "a", 1) == 1, "write");
    CHECK(poll(pf, 2, 0) == 2 && pf[0].revents == POLLIN, "data: %#x", pf[0].revents);
    pf[0].events = POLLIN | POLLRDNORM | POLLOUT;
    CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == (POLLIN | POLLRDNORM), "rdnorm: %#x", pf[0].revents);

    /* bad and negative fds */
    pf[2] = (struct pollfd){ .fd = 99, .events = POLLIN };
    pf[3] = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 0x7 };
    CHECK(poll(pf + 2, 2, 0) == 1 && pf[2].revents == POLLNVAL && pf[3].revents == 0,
          "nval: %#x %#x", pf[2].revents, pf[3].revents);

    /* writer gone: POLLIN | POLLHUP, then POLLHUP alone */
    close(p[1]);
    pf[0].events = POLLIN;
    CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == (POLLIN | POLLHUP), "hup+data: %#x", pf[0].revents);
    CHECK(read(p[0], &c, 1) == 1, "read");
    pf[0].events = 0; /* POLLHUP comes whatever was asked */
    CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == POLLHUP, "hup: %#x", pf[0].revents);
    close(p[0]);

    /* reader gone: POLLERR on the write end (with POLLOUT) */
    CHECK(pipe(p) == 0, "pipe");
    close(p[0]);
    pf[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
    CHECK(poll(pf + 1, 1, 0) == 1 && pf[1].revents == (POLLOUT | POLLERR), "err: %#x", pf[1].revents);
    pf[1].events = 0;
    CHECK(poll(pf + 1, 1, 0) == 1 && pf[1].revents == POLLERR, "err alone: %#x", pf[1].revents);
    close(p[1]);

    /* a timeout passes */
    CHECK(pipe(p) == 0, "pipe");
    pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(poll(pf, 1, 150) == 0 && pf[0].revents == 0, "timeout");
    CHECK(ms_since(&t0) >= 150 && ms_since(&t0) < 2000, "waited %ld ms", ms_since(&t0));
    /* no fds at all: a plain sleep */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(poll(NULL, 0, 50) == 0 && ms_since(&t0) >= 50, "empty poll %ld ms", ms_since(&t0));

    /* woken by another process's write */
    child = fork();
    if (child == 0) {
        nap(100);
        _exit(write(p[1], "z", 1) == 1 ? 0 : 1);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(poll(pf, 1, 5000) == 1 && pf[0].revents == POLLIN, "woken: %#x", pf[0].revents);
    CHECK(ms_since(&t0) < 4000, "woken after %ld ms", ms_since(&t0));
    waitpid(child, &status, 0);
    CHECK(read(p[0], &c, 1) == 1 && c == 'z', "read z");

    /* a writer's close wakes a poll for POLLIN with POLLHUP */
    child = fork();
    if (child == 0) {
        nap(100);
        _exit(0); /* closes its copy of the write end */
    }
    close(p[1]);
    CHECK(poll(pf, 1, 5000) == 1 && pf[0].revents == POLLHUP, "close wakes: %#x", pf[0].revents);
    waitpid(child, &status, 0);
    close(p[0]);

    /* EINTR, even with SA_RESTART */
    CHECK(pipe(p) == 0, "pipe");
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sig;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
    alarm(1);
    errno = 0;
    CHECK(poll(pf, 1, -1) == -1 && errno == EINTR && hits == 1, "EINTR: errno %d hits %d", errno, hits);

    /* ppoll: SIGUSR1 blocked and pending; the wait's mask lets it in */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    kill(getpid(), SIGUSR1);
    CHECK(hits == 1, "blocked");
    ts = (struct timespec){ 5, 0 };
    errno = 0;
    CHECK(ppoll(pf, 1, &ts, &old) == -1 && errno == EINTR && hits == 2,
          "ppoll EINTR: errno %d hits %d", errno, hits);
    sigprocmask(SIG_SETMASK, NULL, &cur);
    CHECK(sigismember(&cur, SIGUSR1), "mask restored");
    /* a mask that keeps it blocked: a plain timeout */
    kill(getpid(), SIGUSR1);
    ts = (struct timespec){ 0, 50000000 };
    CHECK(ppoll(pf, 1, &ts, &set) == 0 && hits == 2, "ppoll blocked: hits %d", hits);
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(hits == 3, "delivered after: %d", hits);
    /* bad sigset size */
    errno = 0;
    CHECK(syscall(SYS_ppoll, pf, 1, NULL, &set, 4) == -1 && errno == EINVAL, "sigsetsize: errno %d", errno);
    errno = 0;
    ts = (struct timespec){ 0, 1000000000 };
    CHECK(syscall(SYS_ppoll, pf, 1, &ts, NULL, 8) == -1 && errno == EINVAL, "bad ns: errno %d", errno);
    /* the time left is written back */
    ts = (struct timespec){ 0, 100000000 };
    CHECK(write(p[1], "q", 1) == 1, "write");
    CHECK(syscall(SYS_ppoll, pf, 1, &ts, NULL, 8) == 1, "ppoll ready");
    CHECK(ts.tv_sec == 0 && ts.tv_nsec > 0 && ts.tv_nsec <= 100000000, "left %ld.%09ld",
          (long)ts.tv_sec, ts.tv_nsec);
    ts = (struct timespec){ 0, 20000000 };
    CHECK(read(p[0], &c, 1) == 1, "read");
    CHECK(syscall(SYS_ppoll, pf, 1, &ts, NULL, 8) == 0, "ppoll timeout");
    CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0, "nothing left %ld.%09ld", (long)ts.tv_sec, ts.tv_nsec);

    /* more entries than RLIMIT_NOFILE */
    getrlimit(RLIMIT_NOFILE, &rl);
    errno = 0;
    CHECK(poll(pf, rl.rlim_cur + 1, 0) == -1 && errno == EINVAL, "nfds > limit: errno %d", errno);
    errno = 0;
    CHECK(poll((void *)8, 1, 0) == -1 && errno == EFAULT, "EFAULT: errno %d", errno);

    /* a regular file is always ready */
    mkdir("/tmp", 0777);
    CHECK(mount("tmpfs", "/tmp", "tmpfs", 0, 0) == 0, "mount: errno %d", errno);
    fd = open("/tmp/r", O_CREAT | O_RDWR, 0600);
    pf[0] = (struct pollfd){ .fd = fd, .events = POLLIN | POLLOUT };
    CHECK(poll(pf, 1, -1) == 1 && pf[0].revents == (POLLIN | POLLOUT), "file: %#x", pf[0].revents);

    /* many descriptors: beyond the inline wait entries */
    {
        int q[20][2], n = 0;
        struct pollfd many[20];

        for (int i = 0; i < 20; i++) {
            if (pipe(q[i]))
                break;
            many[i] = (struct pollfd){ .fd = q[i][0], .events = POLLIN };
            n++;
        }
        child = fork();
        if (child == 0) {
            nap(100);
            _exit(write(q[17][1], "m", 1) == 1 ? 0 : 1);
        }
        CHECK(poll(many, n, 5000) == 1 && many[17].revents == POLLIN && many[3].revents == 0,
              "many: %#x", many[17].revents);
        waitpid(child, &status, 0);
    }
    return check_result("poll_pipe");
}
