/* Sleeps last at least their time: nanosleep(2) and clock_nanosleep(2),
 * relative and TIMER_ABSTIME, on the monotonic and realtime clocks, from
 * a nanosecond to tens of milliseconds, and sleeps shorter than a tick
 * (200 us) too; an absolute deadline already past returns at once.  A
 * sleep a signal interrupts returns EINTR with the time left in @rem (at
 * least what was asked minus the time it slept, at most what was asked);
 * an absolute one leaves @rem alone.  Nothing checks that a sleep ends
 * soon enough: the machine may be loaded. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>

#include "check.h"

#define NS 1000000000LL
#define US 1000LL
#define MS 1000000LL

static int64_t ns_of(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * NS + ts->tv_nsec;
}

static struct timespec ts_of(int64_t ns)
{
    struct timespec ts = { ns / NS, ns % NS };

    return ts;
}

static int64_t now_ns(clockid_t clk)
{
    struct timespec ts;

    if (clock_gettime(clk, &ts) != 0) {
        CHECK(0, "clock_gettime(%d) errno %d", (int)clk, errno);
        return 0;
    }
    return ns_of(&ts);
}

static void check_relative(void)
{
    static const int64_t asked[] = { 1, 1 * US, 50 * US, 200 * US, 1 * MS, 15 * MS, 30 * MS };
    static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME };

    printf("relative sleeps last at least their time\n");
    for (unsigned i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
        struct timespec req = ts_of(asked[i]), rem = { 77, 77 };
        int64_t t0 = now_ns(CLOCK_MONOTONIC), t1;
        int r = nanosleep(&req, &rem);

        t1 = now_ns(CLOCK_MONOTONIC);
        CHECK(r == 0 && t1 - t0 >= asked[i], "nanosleep(%lld ns): %d, lasted %lld ns",
              (long long)asked[i], r, (long long)(t1 - t0));
        CHECK(rem.tv_sec == 77 && rem.tv_nsec == 77, "nanosleep wrote rem");
        for (unsigned c = 0; c < sizeof(clocks) / sizeof(clocks[0]); c++) {
            int64_t c0 = now_ns(clocks[c]), c1;

            t0 = now_ns(CLOCK_MONOTONIC);
            r = clock_nanosleep(clocks[c], 0, &req, NULL);
            t1 = now_ns(CLOCK_MONOTONIC);
            c1 = now_ns(clocks[c]);
            CHECK(r == 0 && t1 - t0 >= asked[i] && c1 - c0 >= asked[i],
                  "clock_nanosleep(%d, %lld ns): %d, lasted %lld ns (%lld on its clock)",
                  (int)clocks[c], (long long)asked[i], r, (long long)(t1 - t0),
                  (long long)(c1 - c0));
        }
    }
}

static void check_absolute(void)
{
    static const int64_t ahead[] = { 1, 200 * US, 3 * MS, 25 * MS };
    static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME };
    struct timespec abs, rem = { 77, 77 };
    int64_t t0, t1;
    int r;

    printf("absolute sleeps end no sooner than their deadline\n");
    for (unsigned i = 0; i < sizeof(ahead) / sizeof(ahead[0]); i++) {
        for (unsigned c = 0; c < sizeof(clocks) / sizeof(clocks[0]); c++) {
            int64_t deadline = now_ns(clocks[c]) + ahead[i];

            abs = ts_of(deadline);
            r = clock_nanosleep(clocks[c], TIMER_ABSTIME, &abs, &rem);
            t1 = now_ns(clocks[c]);
            CHECK(r == 0 && t1 >= deadline, "clock_nanosleep(%d, TIMER_ABSTIME, +%lld ns): "
                  "%d, %lld ns early", (int)clocks[c], (long long)ahead[i], r,
                  (long long)(deadline - t1));
        }
    }
    CHECK(rem.tv_sec == 77 && rem.tv_nsec == 77, "an absolute sleep wrote rem");
    /* a deadline already past: at once, and nothing written */
    abs.tv_sec = 1;
    abs.tv_nsec = 0;
    t0 = now_ns(CLOCK_MONOTONIC);
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, &rem);
    t1 = now_ns(CLOCK_MONOTONIC);
    CHECK(r == 0, "clock_nanosleep(past deadline): %d", r);
    CHECK(t1 >= t0, "MONOTONIC went back");
}

/* Shorter than a tick (10 ms on Trellis, 4 ms on Linux): each lasts at
 * least 200 us; their average is printed, not checked. */
static void check_sub_tick(void)
{
    struct timespec req = ts_of(200 * US);
    int64_t total = 0, shortest = INT64_MAX;
    const int n = 20;

    printf("sleeps shorter than a tick last at least their time\n");
    for (int i = 0; i < n; i++) {
        int64_t t0 = now_ns(CLOCK_MONOTONIC), t1;
        int r = nanosleep(&req, NULL);

        t1 = now_ns(CLOCK_MONOTONIC);
        CHECK(r == 0 && t1 - t0 >= 200 * US, "nanosleep(200 us): %d, lasted %lld ns", r,
              (long long)(t1 - t0));
        total += t1 - t0;
        if (t1 - t0 < shortest)
            shortest = t1 - t0;
    }
    for (int i = 0; i < n; i++) {
        int64_t deadline = now_ns(CLOCK_MONOTONIC) + 200 * US, t1;
        struct timespec abs = ts_of(deadline);
        int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);

        t1 = now_ns(CLOCK_MONOTONIC);
        CHECK(r == 0 && t1 >= deadline, "absolute 200 us sleep: %d, %lld ns early", r,
              (long long)(deadline - t1));
    }
    printf("(200 us sleeps took %lld us on average, %lld us at least)\n",
           (long long)(total / n / US), (long long)(shortest / US));
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

/* Arm a 50 ms one-shot ITIMER_REAL. */
static void arm_alarm(void)
{
    struct itimerval it = { { 0, 0 }, { 0, 50000 } };

    setitimer(ITIMER_REAL, &it, NULL);
}

static void check_interrupted(void)
{
    struct sigaction sa;
    const int64_t asked = 5 * NS;
    struct timespec req = ts_of(asked), rem;
    int64_t t0, t1;
    int r = 0, tries;

    printf("an interrupted sleep returns EINTR with the time left\n");
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm; /* no SA_RESTART */
    sigaction(SIGALRM, &sa, NULL);
    /* the alarm may come before the sleep begins on a loaded machine:
     * then the sleep is not interrupted, and we try again */
    for (tries = 0; tries < 5; tries++) {
        rem.tv_sec = rem.tv_nsec = -1;
        arm_alarm();
        t0 = now_ns(CLOCK_MONOTONIC);
        r = nanosleep(&req, &rem);
        t1 = now_ns(CLOCK_MONOTONIC);
        if (r != 0)
            break;
    }
    CHECK(r == -1 && errno == EINTR, "nanosleep: %d errno %d, expected EINTR", r, errno);
    CHECK(alarms > 0, "the handler did not run");
    CHECK(rem.tv_nsec >= 0 && rem.tv_nsec < NS && ns_of(&rem) <= asked &&
              ns_of(&rem) >= asked - (t1 - t0),
          "rem %lld.%09ld after %lld ns of a %lld ns sleep", (long long)rem.tv_sec,
          rem.tv_nsec, (long long)(t1 - t0), (long long)asked);

    for (tries = 0; tries < 5; tries++) {
        rem.tv_sec = rem.tv_nsec = -1;
        arm_alarm();
        t0 = now_ns(CLOCK_MONOTONIC);
        r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
        t1 = now_ns(CLOCK_MONOTONIC);
        if (r != 0)
            break;
    }
    CHECK(r == EINTR, "clock_nanosleep: %d, expected EINTR", r);
    CHECK(ns_of(&rem) <= asked && ns_of(&rem) >= asked - (t1 - t0),
          "clock_nanosleep rem %lld.%09ld after %lld ns", (long long)rem.tv_sec, rem.tv_nsec,
          (long long)(t1 - t0));

    /* an absolute sleep: EINTR, rem untouched */
    for (tries = 0; tries < 5; tries++) {
        struct timespec abs = ts_of(now_ns(CLOCK_REALTIME) + asked);

        rem.tv_sec = rem.tv_nsec = 77;
        arm_alarm();
        r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, &rem);
        if (r != 0)
            break;
    }
    CHECK(r == EINTR, "absolute clock_nanosleep: %d, expected EINTR", r);
    CHECK(rem.tv_sec == 77 && rem.tv_nsec == 77, "an absolute sleep wrote rem");
}

int main(void)
{
    check_relative();
    check_absolute();
    check_sub_tick();
    check_interrupted();
    return check_result("time_sleep");
}
