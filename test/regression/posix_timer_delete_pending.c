/* A POSIX timer deleted while its signal is pending: the signal stays
 * pending and is taken afterwards with the timer's si_code (SI_TIMER),
 * id and value, as Linux 6.1 does (its queue entry becomes an ordinary
 * one at the delete).  A second timer deleted before it fired leaves
 * nothing. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static timer_t make_timer(int sig, int value)
{
    struct sigevent sev;
    timer_t t = 0;

    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = sig;
    sev.sigev_value.sival_int = value;
    CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0, "timer_create errno %d", errno);
    return t;
}

static void arm(timer_t t, long ns)
{
    struct itimerspec its;

    memset(&its, 0, sizeof(its));
    its.it_value.tv_nsec = ns;
    CHECK(timer_settime(t, 0, &its, NULL) == 0, "timer_settime errno %d", errno);
}

int main(void)
{
    struct timespec zero = { 0, 0 };
    sigset_t set, pending;
    siginfo_t info;
    timer_t fired, unfired;

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);

    fired = make_timer(SIGUSR1, 77);
    unfired = make_timer(SIGUSR2, 88);
    arm(fired, 10 * 1000 * 1000);
    arm(unfired, 900 * 1000 * 1000);
    usleep(100 * 1000);
    sigpending(&pending);
    CHECK(sigismember(&pending, SIGUSR1), "the timer's signal is not pending");
    CHECK(timer_delete(fired) == 0, "timer_delete");
    CHECK(timer_delete(unfired) == 0, "timer_delete");
    sigpending(&pending);
    CHECK(sigismember(&pending, SIGUSR1), "the signal went with the timer");
    CHECK(!sigismember(&pending, SIGUSR2), "an unfired timer left a signal");
    memset(&info, 0, sizeof(info));
    CHECK(sigtimedwait(&set, &info, &zero) == SIGUSR1, "sigtimedwait errno %d", errno);
    CHECK(info.si_code == SI_TIMER && info.si_value.sival_int == 77,
          "si_code %d value %d", info.si_code, info.si_value.sival_int);
    CHECK(sigtimedwait(&set, &info, &zero) == -1 && errno == EAGAIN, "a second signal");
    usleep(1000 * 1000);
    sigpending(&pending);
    CHECK(!sigismember(&pending, SIGUSR2), "a deleted timer fired");
    return check_result("posix_timer_delete_pending");
}
