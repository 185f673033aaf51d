/* alarm, setitimer and getitimer send SIGALRM on time; sigtimedwait
 * times out with EAGAIN; a pending alarm is reported and replaced. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
#include "check.h"

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    alarms++;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
    struct itimerval it, old;
    sigset_t set;
    struct timespec ts = { 0, 200 * 1000 * 1000 };
    double t0, t1;

    signal(SIGALRM, on_alarm);

    /* alarm(1) and pause: about one second later */
    t0 = now();
    CHECK(alarm(1) == 0, "no alarm was pending");
    pause();
    t1 = now();
    CHECK(alarms == 1 && t1 - t0 >= 0.95 && t1 - t0 < 3.0,
          "alarm: %d signals after %.3f s", alarms, t1 - t0);

    /* a pending alarm is reported (rounded) and replaced; 0 cancels */
    CHECK(alarm(100) == 0, "second alarm");
    CHECK(alarm(5) == 100, "alarm did not report the 100 s pending");
    CHECK(alarm(0) == 5, "alarm(0) did not report the 5 s pending");
    CHECK(alarm(0) == 0, "a cancelled alarm is still pending");

    /* a repeating timer: three signals 100 ms apart */
    memset(&it, 0, sizeof(it));
    it.it_value.tv_usec = 100000;
    it.it_interval.tv_usec = 100000;
    alarms = 0;
    t0 = now();
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer errno %d", errno);
    while (alarms < 3)
        pause();
    t1 = now();
    CHECK(t1 - t0 >= 0.29 && t1 - t0 < 2.0, "three 100 ms periods took %.3f s", t1 - t0);
    CHECK(getitimer(ITIMER_REAL, &old) == 0 && old.it_interval.tv_usec == 100000 &&
          old.it_value.tv_sec == 0 && old.it_value.tv_usec <= 100000,
          "getitimer: value %ld.%06ld interval %ld.%06ld", (long)old.it_value.tv_sec,
          (long)old.it_value.tv_usec, (long)old.it_interval.tv_sec,
          (long)old.it_interval.tv_usec);
    memset(&it, 0, sizeof(it));
    CHECK(setitimer(ITIMER_REAL, &it, &old) == 0 && old.it_interval.tv_usec == 100000,
          "stopping the timer: old interval %ld", (long)old.it_interval.tv_usec);
    CHECK(getitimer(ITIMER_REAL, &old) == 0 && !old.it_value.tv_sec && !old.it_value.tv_usec,
          "timer still armed");

    /* sigtimedwait gives up after its timeout */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    t0 = now();
    errno = 0;
    CHECK(sigtimedwait(&set, NULL, &ts) == -1 && errno == EAGAIN, "sigtimedwait errno %d", errno);
    t1 = now();
    CHECK(t1 - t0 >= 0.19 && t1 - t0 < 2.0, "sigtimedwait waited %.3f s", t1 - t0);

    /* bad arguments */
    it.it_value.tv_usec = 1000000;
    errno = 0;
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == -1 && errno == EINVAL, "usec 1e6: errno %d", errno);
    errno = 0;
    CHECK(setitimer(7, &it, NULL) == -1 && errno == EINVAL, "which 7: errno %d", errno);
    errno = 0;
    CHECK(getitimer(7, &old) == -1 && errno == EINVAL, "getitimer 7: errno %d", errno);
    return check_result("signal_alarm");
}
