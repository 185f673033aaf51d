/* POSIX timers and changes of the realtime clock: a CLOCK_REALTIME timer
 * set with TIMER_ABSTIME fires when the clock reaches its time, sooner
 * when the clock is set forward and later when it is set back, and
 * timer_gettime follows; relative CLOCK_REALTIME timers and
 * CLOCK_MONOTONIC ones are not moved.  Ordering is checked, not
 * durations: after the clock is set forward past an absolute timer, it
 * fires before a relative timer of 10 s; after it is set back, a
 * monotonic timer of 1 s fires first.  The clock is put back at the end. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "check.h"
#include "time_util.h"

static timer_t make_timer(clockid_t clk, int sig)
{
    struct sigevent sev;
    timer_t t = 0;

    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = sig;
    CHECK(timer_create(clk, &sev, &t) == 0, "timer_create(%d) errno %d", (int)clk, errno);
    return t;
}

static void arm(timer_t t, int flags, int64_t value)
{
    struct itimerspec its;

    memset(&its, 0, sizeof(its));
    its.it_value.tv_sec = value / SEC;
    its.it_value.tv_nsec = value % SEC;
    CHECK(timer_settime(t, flags, &its, NULL) == 0, "timer_settime errno %d", errno);
}

static int64_t left(timer_t t)
{
    struct itimerspec its;

    if (timer_gettime(t, &its) != 0)
        return -1;
    return (int64_t)its.it_value.tv_sec * SEC + its.it_value.tv_nsec;
}

/* The first of the blocked signals SIGUSR1, SIGUSR2 to come. */
static int first_signal(void)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    return sigwaitinfo(&set, NULL);
}

int main(void)
{
    int64_t real0 = now_ns(CLOCK_REALTIME), mono0 = now_ns(CLOCK_MONOTONIC), l;
    timer_t abs_real, rel_real, mono;
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    CHECK(set_realtime(real0) == 0, "clock_settime failed");

    /* set forward past an absolute timer: it fires first */
    abs_real = make_timer(CLOCK_REALTIME, SIGUSR1);
    rel_real = make_timer(CLOCK_REALTIME, SIGUSR2);
    arm(abs_real, TIMER_ABSTIME, now_ns(CLOCK_REALTIME) + 60 * SEC);
    arm(rel_real, 0, 10 * SEC);
    l = left(abs_real);
    CHECK(l > 50 * SEC && l <= 60 * SEC, "absolute timer: %lld ns left", (long long)l);
    CHECK(set_realtime(now_ns(CLOCK_REALTIME) + 30 * SEC) == 0, "clock_settime");
    l = left(abs_real);
    CHECK(l > 20 * SEC && l <= 30 * SEC, "after +30 s: %lld ns left", (long long)l);
    l = left(rel_real);
    CHECK(l > 5 * SEC && l <= 10 * SEC, "relative timer after +30 s: %lld ns left",
          (long long)l);
    CHECK(set_realtime(now_ns(CLOCK_REALTIME) + 30 * SEC) == 0, "clock_settime");
    CHECK(first_signal() == SIGUSR1,
          "the relative timer fired before the absolute one the clock passed");
    CHECK(timer_delete(rel_real) == 0, "timer_delete");

    /* set back: a monotonic timer of 1 s fires first */
    mono = make_timer(CLOCK_MONOTONIC, SIGUSR2);
    arm(abs_real, TIMER_ABSTIME, now_ns(CLOCK_REALTIME) + 300 * MS);
    arm(mono, 0, 1 * SEC);
    CHECK(set_realtime(now_ns(CLOCK_REALTIME) - 100 * SEC) == 0, "clock_settime");
    CHECK(left(abs_real) > 90 * SEC, "after -100 s: %lld ns left", (long long)left(abs_real));
    CHECK(first_signal() == SIGUSR2,
          "the absolute realtime timer fired although the clock went back");
    /* forward again: it fires */
    CHECK(set_realtime(now_ns(CLOCK_REALTIME) + 100 * SEC) == 0, "clock_settime");
    CHECK(first_signal() == SIGUSR1, "the absolute timer did not fire once due again");

    timer_delete(abs_real);
    timer_delete(mono);
    /* the clock as it would have been */
    set_realtime(real0 + now_ns(CLOCK_MONOTONIC) - mono0);
    return check_result("posix_timer_clock_set");
}
