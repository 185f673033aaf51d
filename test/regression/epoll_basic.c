/* epoll: epoll_create/epoll_create1 (EINVAL, EPOLL_CLOEXEC, an anonymous
 * inode "anon_inode:[eventpoll]" of mode 0600, no read, no seek);
 * epoll_ctl's errors in Linux's order (EFAULT, EBADF, EPERM for a regular
 * file, EINVAL for itself, a non-epoll, a bad op or EPOLLEXCLUSIVE misuse,
 * EEXIST, ENOENT, ELOOP); epoll_wait's (EINVAL, EBADF, EFAULT); the data
 * given back as is; level-triggered items reported while ready and in
 * ready order; edge-triggered ones once per change; EPOLLONESHOT until
 * EPOLL_CTL_MOD re-arms it; EPOLLERR and EPOLLHUP always; EPOLL_CTL_DEL;
 * an epoll inside an epoll and poll() of an epoll; an item leaves when
 * its open file does (not when one of its fds closes); a blocked
 * epoll_wait woken by another process; EINTR (never restarted), the
 * masks of epoll_pwait and the timeouts of epoll_pwait2; FIFOs and
 * terminals. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "check.h"
#include "pty_util.h"

#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif

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

static int add(int ep, int fd, unsigned events, unsigned long long data)
{
    struct epoll_event ev = { .events = events, .data.u64 = data };

    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int mod(int ep, int fd, unsigned events, unsigned long long data)
{
    struct epoll_event ev = { .events = events, .data.u64 = data };

    return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* epoll_wait with no timeout: the count, events in @ev. */
static int now(int ep, struct epoll_event *ev, int max)
{
    return epoll_wait(ep, ev, max, 0);
}

static void drain(int fd)
{
    char buf[256];
    int fl = fcntl(fd, F_GETFL);

    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
    fcntl(fd, F_SETFL, fl);
}

static void test_create(void)
{
    char link[64], text[64];
    struct stat st;
    ssize_t n;
    char c;
    int ep;

    errno = 0;
    CHECK(syscall(SYS_epoll_create, 0) == -1 && errno == EINVAL, "create(0): errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_epoll_create, -1) == -1 && errno == EINVAL, "create(-1): errno %d", errno);
    errno = 0;
    CHECK(epoll_create1(1) == -1 && errno == EINVAL, "create1(1): errno %d", errno);
    ep = epoll_create(1);
    CHECK(ep >= 0, "create(1): errno %d", errno);
    CHECK(fcntl(ep, F_GETFD) == 0, "no cloexec");
    close(ep);
    ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0, "create1: errno %d", errno);
    CHECK(fcntl(ep, F_GETFD) == FD_CLOEXEC, "cloexec");
    CHECK((fcntl(ep, F_GETFL) & O_ACCMODE) == O_RDWR, "O_RDWR: %#x", fcntl(ep, F_GETFL));
    snprintf(link, sizeof(link), "/proc/self/fd/%d", ep);
    n = readlink(link, text, sizeof(text));
    CHECK(n == 22 && !memcmp(text, "anon_inode:[eventpoll]", 22), "link %.*s", (int)(n > 0 ? n : 0), text);
    CHECK(fstat(ep, &st) == 0 && st.st_mode == 0600, "mode %#o", st.st_mode);
    errno = 0;
    CHECK(read(ep, &c, 1) == -1 && errno == EINVAL, "read: errno %d", errno);
    /* no position: a seek leaves it at 0 */
    CHECK(lseek(ep, 5, SEEK_SET) == 0 && lseek(ep, 0, SEEK_CUR) == 0, "lseek: errno %d", errno);
    close(ep);
}

static void test_ctl_errors(void)
{
    struct epoll_event ev = { .events = EPOLLIN }, out[2];
    int ep = epoll_create1(0), ep2 = epoll_create1(0), p[2], file;

    CHECK(pipe(p) == 0, "pipe");
    file = open("/tmp/plain", O_RDWR | O_CREAT, 0600);
    CHECK(file >= 0, "open: errno %d", errno);

    /* the event is read first, even before the fds are looked at */
    errno = 0;
    CHECK(epoll_ctl(-1, EPOLL_CTL_ADD, p[0], (void *)1) == -1 && errno == EFAULT,
          "efault first: errno %d", errno);
    errno = 0;
    CHECK(epoll_ctl(ep, 99, p[0], (void *)1) == -1 && errno == EFAULT,
          "efault on a bad op: errno %d", errno);
    errno = 0;
    CHECK(epoll_ctl(-1, EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EBADF, "bad epfd: errno %d", errno);
    errno = 0;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev) == -1 && errno == EBADF, "bad fd: errno %d", errno);
    errno = 0;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev) == -1 && errno == EPERM, "regular file: errno %d", errno);
    errno = 0;
    CHECK(epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EINVAL, "not epoll: errno %d", errno);
    errno = 0;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev) == -1 && errno == EINVAL, "itself: errno %d", errno);
    errno = 0;
    CHECK(epoll_ctl(ep, 0, p[0], &ev) == -1 && errno == EINVAL, "op 0: errno %d", errno);
    errno = 0;
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == -1 && errno == ENOENT, "mod missing: errno %d", errno);
    errno = 0;
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == -1 && errno == ENOENT, "del missing: errno %d", errno);
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "add: errno %d", errno);
    errno = 0;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EEXIST, "twice: errno %d", errno);
    /* DEL needs no event */
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0, "del: errno %d", errno);

    /* EPOLLEXCLUSIVE: at ADD only, with few flags, not on an epoll */
    errno = 0;
    CHECK(add(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0) == -1 && errno == EINVAL,
          "exclusive oneshot: errno %d", errno);
    errno = 0;
    CHECK(add(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLRDHUP, 0) == -1 && errno == EINVAL,
          "exclusive rdhup: errno %d", errno);
    errno = 0;
    CHECK(add(ep, ep2, EPOLLIN | EPOLLEXCLUSIVE, 0) == -1 && errno == EINVAL,
          "exclusive epoll: errno %d", errno);
    CHECK(add(ep, p[0], EPOLLIN, 0) == 0, "add");
    errno = 0;
    CHECK(mod(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 0) == -1 && errno == EINVAL,
          "mod exclusive: errno %d", errno);
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0, "del");
    CHECK(add(ep, p[0], EPOLLIN | EPOLLOUT | EPOLLET | EPOLLEXCLUSIVE, 0) == 0,
          "add exclusive: errno %d", errno);
    errno = 0;
    CHECK(mod(ep, p[0], EPOLLIN, 0) == -1 && errno == EINVAL, "mod of exclusive: errno %d", errno);
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0, "del exclusive");

    /* epoll_wait */
    errno = 0;
    CHECK(epoll_wait(ep, out, 0, 0) == -1 && errno == EINVAL, "maxevents 0: errno %d", errno);
    errno = 0;
    CHECK(epoll_wait(ep, out, -1, 0) == -1 && errno == EINVAL, "maxevents -1: errno %d", errno);
    errno = 0;
    CHECK(epoll_wait(ep, out, 0x7fffffff / 12 + 1, 0) == -1 && errno == EINVAL,
          "maxevents too big: errno %d", errno);
    errno = 0;
    CHECK(epoll_wait(-1, out, 1, 0) == -1 && errno == EBADF, "bad epfd: errno %d", errno);
    errno = 0;
    CHECK(epoll_wait(p[0], out, 1, 0) == -1 && errno == EINVAL, "not epoll: errno %d", errno);
    errno = 0;
    CHECK(epoll_wait(ep, (void *)0xffff800000000000ul, 1, 0) == -1 && errno == EFAULT,
          "kernel address: errno %d", errno);
    /* a user address is only written when there is something to write */
    CHECK(epoll_wait(ep, NULL, 1, 0) == 0, "nothing ready, NULL: errno %d", errno);
    CHECK(add(ep, p[0], EPOLLIN, 7) == 0, "add");
    CHECK(write(p[1], "x", 1) == 1, "write");
    errno = 0;
    CHECK(epoll_wait(ep, NULL, 1, 0) == -1 && errno == EFAULT, "NULL: errno %d", errno);
    /* the event was not lost */
    CHECK(now(ep, out, 2) == 1 && out[0].data.u64 == 7, "after EFAULT");
    close(file);
    close(p[0]);
    close(p[1]);
    close(ep);
    close(ep2);
}

static void test_level_edge_oneshot(void)
{
    struct epoll_event ev[4];
    int ep = epoll_create1(0), p[2], q[2], r[2];
    const unsigned long long data = 0xfedcba9876543210ull;

    CHECK(pipe(p) == 0 && pipe(q) == 0 && pipe(r) == 0, "pipes");

    /* level-triggered: reported while readable, with the data as given */
    CHECK(add(ep, p[0], EPOLLIN, data) == 0, "add");
    CHECK(now(ep, ev, 4) == 0, "empty");
    CHECK(write(p[1], "ab", 2) == 2, "write");
    CHECK(now(ep, ev, 4) == 1 && ev[0].events == EPOLLIN && ev[0].data.u64 == data,
          "ready: %#x %llx", ev[0].events, (unsigned long long)ev[0].data.u64);
    CHECK(now(ep, ev, 4) == 1, "still ready (level)");
    drain(p[0]);
    CHECK(now(ep, ev, 4) == 0, "drained");

    /* edge-triggered: once per write */
    CHECK(mod(ep, p[0], EPOLLIN | EPOLLET, data + 1) == 0, "mod et");
    CHECK(now(ep, ev, 4) == 0, "et empty");
    CHECK(write(p[1], "ab", 2) == 2, "write");
    CHECK(now(ep, ev, 4) == 1 && ev[0].data.u64 == data + 1, "et ready");
    CHECK(now(ep, ev, 4) == 0, "et reported once");
    CHECK(write(p[1], "c", 1) == 1, "write more");
    CHECK(now(ep, ev, 4) == 1 && ev[0].events == EPOLLIN, "et again");
    CHECK(now(ep, ev, 4) == 0, "et once more");
    drain(p[0]);

    /* one-shot: until EPOLL_CTL_MOD re-arms it */
    CHECK(mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 1) == 0, "mod oneshot");
    CHECK(write(p[1], "a", 1) == 1, "write");
    CHECK(now(ep, ev, 4) == 1 && ev[0].data.u64 == 1, "oneshot ready");
    CHECK(now(ep, ev, 4) == 0, "disabled");
    CHECK(write(p[1], "b", 1) == 1, "write");
    CHECK(now(ep, ev, 4) == 0, "still disabled");
    CHECK(mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 2) == 0, "re-arm");
    CHECK(now(ep, ev, 4) == 1 && ev[0].data.u64 == 2, "re-armed, ready at once");
    CHECK(now(ep, ev, 4) == 0, "disabled again");
    drain(p[0]);

    /* several ready: in the order they became ready; level ones go to
     * the back after being reported */
    CHECK(mod(ep, p[0], EPOLLIN, 10) == 0, "mod");
    CHECK(add(ep, q[0], EPOLLIN, 11) == 0 && add(ep, r[0], EPOLLIN, 12) == 0, "add");
    CHECK(write(p[1], "x", 1) == 1 && write(q[1], "x", 1) == 1 && write(r[1], "x", 1) == 1, "writes");
    CHECK(now(ep, ev, 2) == 2 && ev[0].data.u64 == 10 && ev[1].data.u64 == 11,
          "first two: %llu %llu", (unsigned long long)ev[0].data.u64, (unsigned long long)ev[1].data.u64);
    CHECK(now(ep, ev, 2) == 2 && ev[0].data.u64 == 12 && ev[1].data.u64 == 10,
          "then: %llu %llu", (unsigned long long)ev[0].data.u64, (unsigned long long)ev[1].data.u64);
    CHECK(now(ep, ev, 4) == 3, "all three");

    /* DEL: no more events */
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL) == 0, "del");
    CHECK(now(ep, ev, 4) == 2 && ev[0].data.u64 != 11 && ev[1].data.u64 != 11, "deleted");
    drain(p[0]);
    drain(r[0]);

    /* EPOLLERR and EPOLLHUP come without being asked for */
    CHECK(mod(ep, p[0], EPOLLIN | EPOLLRDHUP, 20) == 0, "mod rdhup");
    CHECK(add(ep, q[1], 0, 21) == 0, "add nothing");
    CHECK(now(ep, ev, 4) == 0, "nothing yet");
    close(p[1]);
    CHECK(now(ep, ev, 4) == 1 && ev[0].data.u64 == 20 && ev[0].events == EPOLLHUP,
          "hup: %#x", ev[0].events);
    close(q[0]);
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0, "del");
    CHECK(now(ep, ev, 4) == 1 && ev[0].data.u64 == 21 && ev[0].events == EPOLLERR,
          "err: %#x", ev[0].events);
    /* the write end's EPOLLOUT once asked for */
    CHECK(mod(ep, q[1], EPOLLOUT, 22) == 0, "mod out");
    CHECK(now(ep, ev, 4) == 1 && ev[0].events == (EPOLLOUT | EPOLLERR), "out|err: %#x", ev[0].events);
    close(p[0]);
    close(q[1]);
    close(r[0]);
    close(r[1]);
    close(ep);
}

static void test_nested(void)
{
    struct epoll_event ev[4];
    int a = epoll_create1(0), b = epoll_create1(0), c = epoll_create1(0), p[2];
    struct pollfd pf = { .fd = a, .events = POLLIN };

    CHECK(pipe(p) == 0, "pipe");
    CHECK(add(a, p[0], EPOLLIN, 1) == 0, "a watches p");
    CHECK(add(b, a, EPOLLIN, 2) == 0, "b watches a");
    CHECK(add(c, b, EPOLLIN, 3) == 0, "c watches b");
    CHECK(now(c, ev, 4) == 0 && now(b, ev, 4) == 0, "nothing ready");
    CHECK(poll(&pf, 1, 0) == 0, "poll of a: nothing");
    CHECK(write(p[1], "x", 1) == 1, "write");
    CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "poll of a: %#x", pf.revents);
    CHECK(now(c, ev, 4) == 1 && ev[0].data.u64 == 3 && ev[0].events == EPOLLIN, "c: b ready");
    CHECK(now(b, ev, 4) == 1 && ev[0].data.u64 == 2 && ev[0].events == EPOLLIN, "b: a ready");
    CHECK(now(a, ev, 4) == 1 && ev[0].data.u64 == 1, "a: p ready");
    drain(p[0]);
    CHECK(now(c, ev, 4) == 0 && now(b, ev, 4) == 0 && now(a, ev, 4) == 0, "drained");
    CHECK(poll(&pf, 1, 0) == 0, "poll of a: drained");

    /* loops */
    errno = 0;
    CHECK(add(a, c, EPOLLIN, 0) == -1 && errno == ELOOP, "a in c in b in a: errno %d", errno);
    errno = 0;
    CHECK(add(a, b, EPOLLIN, 0) == -1 && errno == ELOOP, "a in b in a: errno %d", errno);
    CHECK(epoll_ctl(c, EPOLL_CTL_DEL, b, NULL) == 0, "del");
    CHECK(add(b, c, EPOLLIN, 0) == 0, "c in b, not b in c");

    /* the inner epoll going leaves the outer one */
    close(a);
    CHECK(write(p[1], "x", 1) == 1, "write");
    CHECK(now(b, ev, 4) == 0, "a gone from b");
    close(b);
    close(c);
    close(p[0]);
    close(p[1]);
}

static void test_close(void)
{
    struct epoll_event ev[4];
    int ep = epoll_create1(0), p[2], q[2], d, fd;

    CHECK(pipe(p) == 0, "pipe");
    d = dup(p[0]);
    CHECK(add(ep, p[0], EPOLLIN, 5) == 0, "add");
    /* one fd of the open file closes: the item stays, with its data */
    close(p[0]);
    CHECK(write(p[1], "x", 1) == 1, "write");
    CHECK(now(ep, ev, 4) == 1 && ev[0].data.u64 == 5, "still watched");
    errno = 0;
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == -1 && errno == EBADF, "fd closed: errno %d", errno);
    /* the last one: the item goes with the file */
    fd = p[0];
    close(d);
    CHECK(now(ep, ev, 4) == 0, "gone");
    CHECK(pipe(q) == 0, "pipe");
    if (q[0] != fd) {
        dup2(q[0], fd);
        close(q[0]);
    }
    CHECK(add(ep, fd, EPOLLIN, 6) == 0, "same fd, new file: errno %d", errno);
    close(fd);
    close(q[1]);
    close(p[1]);
    close(ep);

    /* the epoll going first is fine too */
    ep = epoll_create1(0);
    CHECK(pipe(p) == 0 && add(ep, p[0], EPOLLIN, 0) == 0, "add");
    close(ep);
    CHECK(write(p[1], "x", 1) == 1, "write after the epoll went");
    close(p[0]);
    close(p[1]);
}

static void test_blocking(void)
{
    struct epoll_event ev[2];
    struct timespec t0, ts;
    struct sigaction sa;
    struct itimerval it = { .it_value = { 0, 50000 } };
    sigset_t set, old, cur;
    int ep = epoll_create1(0), p[2], status;
    pid_t child;

    CHECK(pipe(p) == 0 && add(ep, p[0], EPOLLIN, 9) == 0, "setup");

    /* woken by another process */
    child = fork();
    if (child == 0) {
        usleep(100000);
        _exit(write(p[1], "x", 1) == 1 ? 0 : 1);
    }
    CHECK(epoll_wait(ep, ev, 2, -1) == 1 && ev[0].data.u64 == 9, "woken by the child");
    CHECK(waitpid(child, &status, 0) == child && status == 0, "child");
    drain(p[0]);

    /* a timeout that passes */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(epoll_wait(ep, ev, 2, 100) == 0, "timeout");
    CHECK(ms_since(&t0) >= 99, "slept %ld ms", ms_since(&t0));
    ts = (struct timespec){ 0, 100000000 };
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(syscall(SYS_epoll_pwait2, ep, ev, 2, &ts, NULL, 8) == 0, "pwait2 timeout: errno %d", errno);
    CHECK(ms_since(&t0) >= 99, "pwait2 slept %ld ms", ms_since(&t0));
    ts = (struct timespec){ 0, 1000000000 };
    errno = 0;
    CHECK(syscall(SYS_epoll_pwait2, ep, ev, 2, &ts, NULL, 8) == -1 && errno == EINVAL,
          "pwait2 bad timespec: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_epoll_pwait2, ep, ev, 2, (void *)1, NULL, 8) == -1 && errno == EFAULT,
          "pwait2 bad pointer: errno %d", errno);
    CHECK(write(p[1], "x", 1) == 1, "write");
    CHECK(syscall(SYS_epoll_pwait2, ep, ev, 2, NULL, NULL, 8) == 1, "pwait2 no timeout, ready");
    ts = (struct timespec){ 0, 0 };
    CHECK(syscall(SYS_epoll_pwait2, ep, ev, 2, &ts, NULL, 8) == 1, "pwait2 zero timeout, ready");
    drain(p[0]);

    /* a signal: EINTR even with SA_RESTART */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sig;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    hits = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    errno = 0;
    CHECK(epoll_wait(ep, ev, 2, -1) == -1 && errno == EINTR, "eintr: errno %d", errno);
    CHECK(hits == 1, "handler ran");

    /* epoll_pwait's mask: the pending signal it unblocks interrupts it,
     * and the old mask is back afterwards */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    hits = 0;
    sigemptyset(&set);
    errno = 0;
    CHECK(epoll_pwait(ep, ev, 2, 1000, &set) == -1 && errno == EINTR, "pwait eintr: errno %d", errno);
    CHECK(hits == 1, "pwait handler ran");
    sigprocmask(SIG_SETMASK, NULL, &cur);
    CHECK(sigismember(&cur, SIGUSR1), "mask back");
    errno = 0;
    CHECK(syscall(SYS_epoll_pwait, ep, ev, 2, 0, &set, 4) == -1 && errno == EINVAL,
          "pwait sigsetsize: errno %d", errno);
    /* with the signal blocked by the mask, the wait times out */
    raise(SIGUSR1);
    hits = 0;
    sigaddset(&set, SIGUSR1);
    CHECK(epoll_pwait(ep, ev, 2, 20, &set) == 0 && hits == 0, "pwait masked");
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(hits == 1, "delivered once unblocked");
    close(p[0]);
    close(p[1]);
    close(ep);
}

/* Other pollable files: a FIFO, a terminal. */
static void test_files(void)
{
    struct epoll_event ev[2];
    int ep = epoll_create1(0), rd, wr, master, slave;
    char name[64];

    CHECK(mkfifo("/tmp/fifo", 0600) == 0, "mkfifo: errno %d", errno);
    rd = open("/tmp/fifo", O_RDONLY | O_NONBLOCK);
    wr = open("/tmp/fifo", O_WRONLY);
    CHECK(rd >= 0 && wr >= 0, "fifo open");
    CHECK(add(ep, rd, EPOLLIN, 1) == 0 && add(ep, wr, EPOLLOUT | EPOLLONESHOT, 2) == 0, "add fifo");
    CHECK(now(ep, ev, 2) == 1 && ev[0].data.u64 == 2 && ev[0].events == EPOLLOUT, "fifo writable");
    CHECK(write(wr, "x", 1) == 1, "write");
    CHECK(now(ep, ev, 2) == 1 && ev[0].data.u64 == 1 && ev[0].events == EPOLLIN, "fifo readable");
    close(wr);
    CHECK(now(ep, ev, 2) == 1 && ev[0].events == (EPOLLIN | EPOLLHUP), "fifo hang-up: %#x", ev[0].events);
    close(rd);

    setup_dev();
    master = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    CHECK(master >= 0, "ptmx: errno %d", errno);
    if (master < 0)
        return;
    CHECK(grantpt(master) == 0 && unlockpt(master) == 0 && ptsname_r(master, name, sizeof(name)) == 0,
          "pts");
    slave = open(name, O_RDWR | O_NOCTTY);
    CHECK(slave >= 0, "slave: errno %d", errno);
    CHECK(add(ep, slave, EPOLLIN, 3) == 0 && add(ep, master, EPOLLIN, 4) == 0, "add pty");
    CHECK(now(ep, ev, 2) == 0, "pty quiet");
    CHECK(write(master, "hi\n", 3) == 3, "type a line");
    /* the slave has the line, the master the echo (both may take a
     * moment: Linux moves them in a work queue) */
    for (int i = 0, n = 0; n < 2; i++) {
        n = epoll_wait(ep, ev, 2, 1000);
        if (n == 2 || i == 50) {
            CHECK(n == 2 && ev[0].events == EPOLLIN && ev[1].events == EPOLLIN &&
                  ev[0].data.u64 + ev[1].data.u64 == 7, "both ready: %d", n);
            break;
        }
        usleep(20000);
    }
    close(slave);
    close(master);
    close(ep);
}

static pid_t owner;

/* On Linux the harness reads the output back from /tmp: uncover it. */
static void uncover_tmp(void)
{
    if (getpid() == owner)
        umount2("/tmp", MNT_DETACH);
}

int main(void)
{
    mkdir("/proc", 0555);
    if (access("/proc/self/fd", R_OK) != 0)
        CHECK(mount("proc", "/proc", "proc", 0, 0) == 0, "mount proc: errno %d", errno);
    mkdir("/tmp", 01777);
    CHECK(mount("tmpfs", "/tmp", "tmpfs", 0, 0) == 0, "mount tmpfs: errno %d", errno);
    owner = getpid();
    atexit(uncover_tmp);
    test_create();
    test_ctl_errors();
    test_level_edge_oneshot();
    test_nested();
    test_close();
    test_blocking();
    test_files();
    return check_result("epoll_basic");
}
