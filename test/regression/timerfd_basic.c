/* timerfd_create, timerfd_settime, timerfd_gettime: the clocks and flags
 * accepted (EINVAL otherwise), "anon_inode:[timerfd]"; settime's checks
 * in Linux's order (EFAULT, EINVAL for flags and timespecs before EBADF,
 * EINVAL for another file); a disarmed timer reads EAGAIN and gets 0; a
 * one-shot timer expires once, not before its time, and is disarmed
 * after; gettime's time left and interval, settime's old setting;
 * expirations read as a u64 count (EINVAL below 8 bytes), dropped by a
 * new setting; a periodic timer counts the intervals that passed,
 * relative or absolute (TFD_TIMER_ABSTIME, a start in the past),
 * on CLOCK_MONOTONIC, CLOCK_REALTIME and CLOCK_BOOTTIME; poll (POLLIN
 * only) and epoll; a blocking read interrupted by a signal;
 * TFD_IOC_SET_TICKS (the expirations to read; EINVAL for 0, EFAULT,
 * ENOTTY on another file or for another request). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include "check.h"
#include "time_util.h"

/* Linux's, from <linux/timerfd.h>, which the C library does not give */
#ifndef TFD_IOC_SET_TICKS
#define TFD_IOC_SET_TICKS _IOW('T', 0, uint64_t)
#endif


static volatile sig_atomic_t hits;

static void on_sig(int sig)
{
    hits++;
}

static int64_t ns_of(const struct timespec *t)
{
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static struct timespec ts_of(int64_t ns)
{
    return (struct timespec){ ns / 1000000000, ns % 1000000000 };
}

static int arm(int fd, int flags, int64_t value, int64_t interval)
{
    struct itimerspec its = { .it_value = ts_of(value), .it_interval = ts_of(interval) };

    return timerfd_settime(fd, flags, &its, NULL);
}

/* The expirations read (blocking unless the file is O_NONBLOCK), or 0. */
static uint64_t ticks(int fd)
{
    uint64_t v = 0;

    return read(fd, &v, sizeof(v)) == sizeof(v) ? v : 0;
}

int main(void)
{
    char link[64], text[64];
    struct itimerspec its, old;
    struct epoll_event ev;
    struct sigaction sa;
    struct pollfd pf;
    int64_t t0, t1;
    uint64_t v;
    int fd, nb, p[2], ep;
    ssize_t n;

    mkdir("/proc", 0555);
    if (access("/proc/self/fd", R_OK) != 0)
        CHECK(mount("proc", "/proc", "proc", 0, 0) == 0, "mount proc: errno %d", errno);

    /* creation */
    errno = 0;
    CHECK(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0) == -1 && errno == EINVAL, "cpu clock: errno %d", errno);
    errno = 0;
    CHECK(timerfd_create(99, 0) == -1 && errno == EINVAL, "clock 99: errno %d", errno);
    errno = 0;
    CHECK(timerfd_create(CLOCK_MONOTONIC, 1) == -1 && errno == EINVAL, "flags: errno %d", errno);
    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    nb = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    CHECK(fd >= 0 && nb >= 0, "create: errno %d", errno);
    CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC && !(fcntl(fd, F_GETFL) & O_NONBLOCK), "cloexec");
    CHECK(fcntl(nb, F_GETFD) == 0 && (fcntl(nb, F_GETFL) & O_NONBLOCK), "nonblock");
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, text, sizeof(text));
    CHECK(n == 20 && !memcmp(text, "anon_inode:[timerfd]", 20), "link %.*s", (int)(n > 0 ? n : 0), text);

    /* a disarmed timer */
    memset(&its, 0x55, sizeof(its));
    CHECK(timerfd_gettime(fd, &its) == 0 && ns_of(&its.it_value) == 0 && ns_of(&its.it_interval) == 0,
          "disarmed: zero");
    errno = 0;
    CHECK(read(nb, &v, 8) == -1 && errno == EAGAIN, "nothing to read: errno %d", errno);
    errno = 0;
    CHECK(read(nb, &v, 4) == -1 && errno == EINVAL, "short read: errno %d", errno);

    /* settime's and gettime's errors */
    CHECK(pipe(p) == 0, "pipe");
    its = (struct itimerspec){ .it_value = { 1, 0 } };
    errno = 0;
    CHECK(timerfd_settime(fd, 0, (void *)1, NULL) == -1 && errno == EFAULT, "efault: errno %d", errno);
    errno = 0;
    CHECK(timerfd_settime(-1, 4, &its, NULL) == -1 && errno == EINVAL, "flags before fd: errno %d", errno);
    its.it_value.tv_nsec = 1000000000;
    errno = 0;
    CHECK(timerfd_settime(-1, 0, &its, NULL) == -1 && errno == EINVAL, "nsec before fd: errno %d", errno);
    its = (struct itimerspec){ .it_value = { 1, 0 }, .it_interval = { -1, 0 } };
    errno = 0;
    CHECK(timerfd_settime(fd, 0, &its, NULL) == -1 && errno == EINVAL, "negative interval: errno %d", errno);
    its = (struct itimerspec){ .it_value = { 1, 0 } };
    errno = 0;
    CHECK(timerfd_settime(-1, 0, &its, NULL) == -1 && errno == EBADF, "ebadf: errno %d", errno);
    errno = 0;
    CHECK(timerfd_settime(p[0], 0, &its, NULL) == -1 && errno == EINVAL, "a pipe: errno %d", errno);
    errno = 0;
    CHECK(timerfd_gettime(p[0], &its) == -1 && errno == EINVAL, "gettime pipe: errno %d", errno);
    errno = 0;
    CHECK(timerfd_gettime(99, &its) == -1 && errno == EBADF, "gettime ebadf: errno %d", errno);
    errno = 0;
    CHECK(timerfd_gettime(fd, (void *)1) == -1 && errno == EFAULT, "gettime efault: errno %d", errno);

    /* time left, and the old setting */
    CHECK(arm(fd, 0, 10000 * MS, 3000 * MS) == 0, "arm 10 s");
    CHECK(timerfd_gettime(fd, &its) == 0, "gettime");
    CHECK(ns_of(&its.it_value) > 0 && ns_of(&its.it_value) <= 10000 * MS &&
          ns_of(&its.it_interval) == 3000 * MS, "left %lld", (long long)ns_of(&its.it_value));
    its = (struct itimerspec){ .it_value = { 20, 0 } };
    CHECK(timerfd_settime(fd, 0, &its, &old) == 0, "re-arm");
    CHECK(ns_of(&old.it_value) > 0 && ns_of(&old.it_value) <= 10000 * MS &&
          ns_of(&old.it_interval) == 3000 * MS, "old %lld", (long long)ns_of(&old.it_value));
    /* disarm: 0, and the interval is kept */
    its = (struct itimerspec){ .it_interval = { 1, 0 } };
    CHECK(timerfd_settime(fd, 0, &its, &old) == 0 && old.it_value.tv_sec >= 19 && old.it_interval.tv_sec == 0,
          "disarm");
    CHECK(timerfd_gettime(fd, &its) == 0 && ns_of(&its.it_value) == 0 && its.it_interval.tv_sec == 1,
          "disarmed with an interval");

    /* one-shot, relative: not before its time, once */
    pf = (struct pollfd){ .fd = fd, .events = POLLIN | POLLRDNORM | POLLOUT };
    CHECK(arm(fd, 0, 10000 * MS, 0) == 0 && poll(&pf, 1, 0) == 0, "not yet");
    t0 = now_ns(CLOCK_MONOTONIC);
    CHECK(arm(fd, 0, 50 * MS, 0) == 0, "arm 50 ms");
    CHECK(ticks(fd) == 1, "one expiry");
    t1 = now_ns(CLOCK_MONOTONIC);
    CHECK(t1 - t0 >= 50 * MS, "after %lld ns", (long long)(t1 - t0));
    CHECK(timerfd_gettime(fd, &its) == 0 && ns_of(&its.it_value) == 0, "done: disarmed");
    CHECK(poll(&pf, 1, 0) == 0, "read: not readable");

    /* a new setting drops unread expirations */
    CHECK(arm(nb, 0, 1 * MS, 0) == 0, "arm 1 ms");
    CHECK(poll(&(struct pollfd){ .fd = nb, .events = POLLIN }, 1, 5000) == 1, "expired");
    pf = (struct pollfd){ .fd = nb, .events = POLLIN | POLLRDNORM | POLLOUT };
    CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "POLLIN only: %#x", pf.revents);
    CHECK(arm(nb, 0, 10000 * MS, 0) == 0, "re-arm");
    errno = 0;
    CHECK(read(nb, &v, 8) == -1 && errno == EAGAIN, "dropped: errno %d", errno);

    /* periodic: the intervals that passed are counted at the read */
    {
        int64_t before = now_ns(CLOCK_MONOTONIC), after;

        CHECK(arm(fd, 0, 20 * MS, 20 * MS) == 0, "arm periodic");
        after = now_ns(CLOCK_MONOTONIC);
        usleep(200000);
        t1 = now_ns(CLOCK_MONOTONIC);
        v = ticks(fd);
        /* at least the intervals since it was armed, at most those since
         * before the call */
        CHECK(v + 1 >= (uint64_t)((t1 - after) / (20 * MS)), "periodic: %llu after %lld ms",
              (unsigned long long)v, (long long)((t1 - after) / MS));
        t1 = now_ns(CLOCK_MONOTONIC);
        CHECK(v <= (uint64_t)((t1 - before) / (20 * MS)), "not more: %llu", (unsigned long long)v);
    }
    CHECK(ticks(fd) >= 1, "and goes on");
    CHECK(timerfd_gettime(fd, &its) == 0 && ns_of(&its.it_value) <= 20 * MS &&
          ns_of(&its.it_interval) == 20 * MS, "next one within an interval: %lld",
          (long long)ns_of(&its.it_value));

    /* absolute, started in the past: every second since then counts */
    t0 = now_ns(CLOCK_MONOTONIC);
    CHECK(arm(nb, TFD_TIMER_ABSTIME, 1, 1000 * MS) == 0, "abs in the past");
    CHECK(poll(&(struct pollfd){ .fd = nb, .events = POLLIN }, 1, 5000) == 1, "expired at once");
    v = ticks(nb);
    t1 = now_ns(CLOCK_MONOTONIC);
    CHECK(v >= (uint64_t)(t0 / 1000000000) && v <= (uint64_t)(t1 / 1000000000) + 1,
          "abs: %llu ticks at %lld s", (unsigned long long)v, (long long)(t1 / 1000000000));

    /* absolute on CLOCK_REALTIME; relative on CLOCK_BOOTTIME */
    close(nb);
    nb = timerfd_create(CLOCK_REALTIME, 0);
    t0 = now_ns(CLOCK_MONOTONIC);
    CHECK(arm(nb, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, now_ns(CLOCK_REALTIME) + 100 * MS, 0) == 0,
          "abs realtime");
    CHECK(ticks(nb) == 1, "realtime expiry");
    CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 99 * MS, "realtime: after %lld ms",
          (long long)((now_ns(CLOCK_MONOTONIC) - t0) / MS));
    close(nb);
    nb = timerfd_create(CLOCK_BOOTTIME, 0);
    t0 = now_ns(CLOCK_MONOTONIC);
    CHECK(arm(nb, 0, 30 * MS, 0) == 0 && ticks(nb) == 1, "boottime");
    CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 30 * MS, "boottime: after %lld", (long long)(now_ns(CLOCK_MONOTONIC) - t0));

    /* epoll */
    ep = epoll_create1(0);
    ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 42 };
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, nb, &ev) == 0, "add");
    CHECK(epoll_wait(ep, &ev, 1, 0) == 0, "nothing");
    CHECK(arm(nb, 0, 30 * MS, 0) == 0, "arm");
    CHECK(epoll_wait(ep, &ev, 1, -1) == 1 && ev.data.u32 == 42 && ev.events == EPOLLIN, "epoll: expiry");
    CHECK(ticks(nb) == 1, "read");
    CHECK(epoll_wait(ep, &ev, 1, 0) == 0, "read: gone");
    close(ep);

    /* a blocked read and a signal: restarted with SA_RESTART, EINTR without */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sig;
    sigaction(SIGALRM, &sa, NULL);
    CHECK(arm(nb, 0, 10000 * MS, 0) == 0, "arm 10 s");
    setitimer(ITIMER_REAL, &(struct itimerval){ .it_value = { 0, 50000 } }, NULL);
    errno = 0;
    CHECK(read(nb, &v, 8) == -1 && errno == EINTR && hits == 1, "eintr: errno %d", errno);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    CHECK(arm(nb, 0, 200 * MS, 0) == 0, "arm 200 ms");
    setitimer(ITIMER_REAL, &(struct itimerval){ .it_value = { 0, 50000 } }, NULL);
    CHECK(ticks(nb) == 1 && hits == 2, "restarted: %d", hits);

    /* TFD_IOC_SET_TICKS: expirations to read, as checkpoint/restore sets */
    {
        uint64_t set = 5;
        int efd = eventfd(0, 0);

        CHECK(arm(nb, 0, 0, 0) == 0, "disarm");
        CHECK(ioctl(nb, TFD_IOC_SET_TICKS, &set) == 0, "SET_TICKS errno %d", errno);
        CHECK(poll(&(struct pollfd){ .fd = nb, .events = POLLIN }, 1, 0) == 1,
              "readable after SET_TICKS");
        CHECK(ticks(nb) == 5, "SET_TICKS 5");
        set = 0;
        errno = 0;
        CHECK(ioctl(nb, TFD_IOC_SET_TICKS, &set) == -1 && errno == EINVAL,
              "SET_TICKS 0: errno %d", errno);
        errno = 0;
        CHECK(ioctl(nb, TFD_IOC_SET_TICKS, (void *)8) == -1 && errno == EFAULT,
              "SET_TICKS bad pointer: errno %d", errno);
        set = 1;
        errno = 0;
        CHECK(ioctl(efd, TFD_IOC_SET_TICKS, &set) == -1 && errno == ENOTTY,
              "SET_TICKS on an eventfd: errno %d", errno);
        errno = 0;
        CHECK(ioctl(nb, TFD_IOC_SET_TICKS + 1, &set) == -1 && errno == ENOTTY,
              "another request: errno %d", errno);
        close(efd);
    }

    close(nb);
    close(fd);
    close(p[0]);
    close(p[1]);
    return check_result("timerfd_basic");
}
