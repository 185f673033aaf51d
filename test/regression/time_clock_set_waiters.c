/* Sleepers and timerfds on the wall clock when it is set: an absolute
 * CLOCK_REALTIME clock_nanosleep wakes when the clock is set past its
 * time and sleeps on when it is set back; an absolute CLOCK_REALTIME
 * timerfd expires when the clock is set past it, and with
 * TFD_TIMER_CANCEL_ON_SET a read after a clock set fails once with
 * ECANCELED (poll shows it readable) while the timer stays armed; a
 * relative CLOCK_REALTIME timerfd is not moved; TFD_IOC_SET_TICKS on a
 * canceled timer fails once with ECANCELED.  Waits are bounded by
 * poll timeouts: a sleeper that does not follow the clock fails the
 * check rather than hanging.  The clock is put back at the end. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>

#include "check.h"
#include "time_util.h"

/* Linux's, from <linux/timerfd.h>, which the C library does not give */
#ifndef TFD_IOC_SET_TICKS
#define TFD_IOC_SET_TICKS _IOW('T', 0, uint64_t)
#endif

/* Move the wall clock by @delta ns. */
static void shift_clock(int64_t delta)
{
    CHECK(set_realtime(now_ns(CLOCK_REALTIME) + delta) == 0, "clock_settime errno %d", errno);
}

/* Whether @fd becomes readable within @ms milliseconds. */
static int readable_within(int fd, int ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };

    return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/* ---- absolute clock_nanosleep in a thread ---- */

struct sleeper {
    int64_t until; /* CLOCK_REALTIME ns */
    int ret;       /* clock_nanosleep's return */
    int done[2];   /* a pipe: a byte when the sleep ended */
};

static void *sleep_thread(void *arg)
{
    struct sleeper *s = arg;
    struct timespec ts = { s->until / SEC, s->until % SEC };

    s->ret = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
    if (write(s->done[1], "x", 1) != 1)
        s->ret = -1;
    return NULL;
}

static void start_sleeper(struct sleeper *s, pthread_t *th, int64_t from_now)
{
    CHECK(pipe(s->done) == 0, "pipe");
    s->ret = -1;
    s->until = now_ns(CLOCK_REALTIME) + from_now;
    CHECK(pthread_create(th, NULL, sleep_thread, s) == 0, "pthread_create");
    usleep(100000); /* let it fall asleep */
}

/* Join a sleeper that has ended. */
static void finish_sleeper(struct sleeper *s, pthread_t th)
{
    pthread_join(th, NULL);
    CHECK(s->ret == 0, "clock_nanosleep returned %d", s->ret);
    close(s->done[0]);
    close(s->done[1]);
}

static void test_nanosleep(void)
{
    struct sleeper s;
    pthread_t th;

    /* set forward past the sleeper's time: it wakes */
    start_sleeper(&s, &th, 60 * SEC);
    CHECK(!readable_within(s.done[0], 0), "the 60 s sleep ended at once");
    shift_clock(61 * SEC);
    if (!readable_within(s.done[0], 10000)) {
        CHECK(0, "clock_nanosleep(TIMER_ABSTIME) did not wake when the clock passed its time");
        return; /* the thread sleeps on; exit ends it */
    }
    finish_sleeper(&s, th);

    /* set back: it sleeps on; forward again: it wakes */
    start_sleeper(&s, &th, 1 * SEC);
    shift_clock(-3600 * SEC);
    CHECK(!readable_within(s.done[0], 2000),
          "clock_nanosleep(TIMER_ABSTIME) ended although the clock went back an hour");
    shift_clock(3600 * SEC);
    if (!readable_within(s.done[0], 10000)) {
        CHECK(0, "clock_nanosleep(TIMER_ABSTIME) did not wake when the clock came back");
        return;
    }
    finish_sleeper(&s, th);
}

/* ---- timerfd ---- */

static int arm(int fd, int flags, int64_t value)
{
    struct itimerspec its;

    memset(&its, 0, sizeof(its));
    its.it_value.tv_sec = value / SEC;
    its.it_value.tv_nsec = value % SEC;
    return timerfd_settime(fd, flags, &its, NULL);
}

static int64_t left(int fd)
{
    struct itimerspec its;

    if (timerfd_gettime(fd, &its) != 0)
        return -1;
    return (int64_t)its.it_value.tv_sec * SEC + its.it_value.tv_nsec;
}

static void test_timerfd(void)
{
    int abs_fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    int cancel_fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    int rel_fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    uint64_t v = 0;
    int64_t l;

    CHECK(abs_fd >= 0 && cancel_fd >= 0 && rel_fd >= 0, "timerfd_create errno %d", errno);

    /* absolute: the clock set past it makes it expire */
    CHECK(arm(abs_fd, TFD_TIMER_ABSTIME, now_ns(CLOCK_REALTIME) + 60 * SEC) == 0, "arm abs");
    /* cancel-on-set: the clock set cancels it, and it stays armed */
    CHECK(arm(cancel_fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET,
              now_ns(CLOCK_REALTIME) + 600 * SEC) == 0,
          "arm cancel-on-set");
    /* relative: not moved by the clock */
    CHECK(arm(rel_fd, 0, 3 * SEC) == 0, "arm rel");
    CHECK(read(cancel_fd, &v, sizeof(v)) == -1 && errno == EAGAIN,
          "cancel-on-set before a clock set: errno %d", errno);

    shift_clock(61 * SEC);
    CHECK(readable_within(abs_fd, 10000), "absolute realtime timerfd did not expire");
    CHECK(read(abs_fd, &v, sizeof(v)) == sizeof(v) && v == 1, "abs: %llu expirations",
          (unsigned long long)v);
    CHECK(readable_within(cancel_fd, 1000), "cancel-on-set timerfd is not readable");
    errno = 0;
    CHECK(read(cancel_fd, &v, sizeof(v)) == -1 && errno == ECANCELED,
          "cancel-on-set: read errno %d, not ECANCELED", errno);
    errno = 0;
    CHECK(read(cancel_fd, &v, sizeof(v)) == -1 && errno == EAGAIN,
          "cancel-on-set, second read: errno %d", errno);
    l = left(cancel_fd);
    CHECK(l > 500 * SEC && l <= 539 * SEC, "cancel-on-set timer: %lld ns left", (long long)l);
    /* TFD_IOC_SET_TICKS on a canceled timer: ECANCELED, once */
    shift_clock(1 * SEC);
    v = 3;
    errno = 0;
    CHECK(ioctl(cancel_fd, TFD_IOC_SET_TICKS, &v) == -1 && errno == ECANCELED,
          "SET_TICKS after a clock set: errno %d", errno);
    CHECK(ioctl(cancel_fd, TFD_IOC_SET_TICKS, &v) == 0, "SET_TICKS again: errno %d", errno);
    CHECK(read(cancel_fd, &v, sizeof(v)) == sizeof(v) && v == 3, "after SET_TICKS: %llu",
          (unsigned long long)v);
    CHECK(!readable_within(rel_fd, 500), "relative realtime timerfd moved with the clock");
    l = left(rel_fd);
    CHECK(l > 1 * SEC && l <= 3 * SEC, "relative realtime timerfd: %lld ns left", (long long)l);

    /* a clock set back moves the absolute timer away */
    CHECK(arm(abs_fd, TFD_TIMER_ABSTIME, now_ns(CLOCK_REALTIME) + 1 * SEC) == 0, "re-arm abs");
    shift_clock(-3600 * SEC);
    l = left(abs_fd);
    CHECK(l > 3500 * SEC, "after -1 h: %lld ns left", (long long)l);
    CHECK(!readable_within(abs_fd, 1500), "absolute timerfd expired although the clock went back");
    shift_clock(3600 * SEC);
    CHECK(readable_within(abs_fd, 10000), "absolute timerfd did not expire once due again");

    close(abs_fd);
    close(cancel_fd);
    close(rel_fd);
}

int main(void)
{
    int64_t real0 = now_ns(CLOCK_REALTIME), mono0 = now_ns(CLOCK_MONOTONIC);

    CHECK(set_realtime(real0) == 0, "clock_settime failed");
    test_nanosleep();
    test_timerfd();
    /* the clock as it would have been */
    set_realtime(real0 + now_ns(CLOCK_MONOTONIC) - mono0);
    return check_result("time_clock_set_waiters");
}
