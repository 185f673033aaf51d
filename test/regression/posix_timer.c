/* POSIX timers (timer_create(2) and the calls after it) on the wall
 * clocks: a timer without sigevent sends SIGALRM with si_code SI_TIMER,
 * its id as si_timerid and si_value; a signal of one's choice carries the
 * sigevent's si_value to a SA_SIGINFO handler; interval timers repeat;
 * while the signal is blocked the expiries become overruns (si_overrun,
 * then timer_getoverrun); timer_gettime's time left decreases and a zero
 * value disarms (old_value reports the former setting); TIMER_ABSTIME on
 * the monotonic and realtime clocks; SIGEV_NONE timers count down
 * without a signal; SIGEV_THREAD_ID signals one thread; every wall clock
 * with timers works; timers are per process (ids start again at 0 in a
 * child, which does not get the parent's timers or their signals) and
 * execve deletes them; bad clocks, sigevents, values, ids and pointers
 * give EINVAL, EOPNOTSUPP and EFAULT, and the alarm clocks EPERM to an
 * unprivileged process.  Raw system calls are used, so the
 * ids are the kernel's.  Only lower bounds on times are checked. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "check.h"

#define MS 1000000LL
#define BAD_PTR ((void *)8)

/* A raw system call: its result, or -errno. */
static long raw(long nr, long a, long b, long c, long d)
{
    long r = syscall(nr, a, b, c, d);

    return r == -1 ? -errno : r;
}

static long t_create(clockid_t clk, struct sigevent *sev, int *id)
{
    return raw(SYS_timer_create, clk, (long)sev, (long)id, 0);
}

static long t_set(int id, int flags, int64_t value, int64_t interval,
                  struct itimerspec *old)
{
    struct itimerspec its = {
        .it_interval = { interval / 1000000000, interval % 1000000000 },
        .it_value = { value / 1000000000, value % 1000000000 },
    };

    return raw(SYS_timer_settime, id, flags, (long)&its, (long)old);
}

static int64_t ns_of(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static int64_t now_ns(clockid_t clk)
{
    struct timespec ts;

    clock_gettime(clk, &ts);
    return ns_of(&ts);
}

static int64_t left_ns(int id, int64_t *interval)
{
    struct itimerspec its;

    memset(&its, 0xff, sizeof(its));
    if (raw(SYS_timer_gettime, id, (long)&its, 0, 0) != 0)
        return -1;
    if (interval)
        *interval = ns_of(&its.it_interval);
    return ns_of(&its.it_value);
}

static void sleep_ns(int64_t ns)
{
    struct timespec ts = { ns / 1000000000, ns % 1000000000 };

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void block(int sig)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Wait for @sig (blocked) up to 10 s; 0 when it did not come. */
static int wait_sig(int sig, siginfo_t *si)
{
    struct timespec limit = { 10, 0 };
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, sig);
    memset(si, 0, sizeof(*si));
    return sigtimedwait(&set, si, &limit) == sig;
}

static int is_pending(int sig)
{
    sigset_t set;

    sigpending(&set);
    return sigismember(&set, sig);
}

/* A timer without sigevent: SIGALRM, SI_TIMER, its id as si_value. */
static void check_default_event(void)
{
    int64_t t0;
    siginfo_t si;
    int id = -1;

    block(SIGALRM);
    CHECK(t_create(CLOCK_MONOTONIC, NULL, &id) == 0 && id >= 0,
          "timer_create(MONOTONIC, NULL) id %d", id);
    t0 = now_ns(CLOCK_MONOTONIC);
    CHECK(t_set(id, 0, 50 * MS, 0, NULL) == 0, "timer_settime errno");
    CHECK(wait_sig(SIGALRM, &si), "no SIGALRM from the timer");
    CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 50 * MS, "SIGALRM came early");
    CHECK(si.si_signo == SIGALRM && si.si_code == SI_TIMER,
          "signo %d code %d, expected SIGALRM, SI_TIMER", si.si_signo, si.si_code);
    CHECK(si.si_timerid == id && si.si_value.sival_int == id && si.si_overrun == 0,
          "si_timerid %d si_value %d si_overrun %d, timer %d", si.si_timerid,
          si.si_value.sival_int, si.si_overrun, id);
    /* a one-shot timer that fired is disarmed */
    CHECK(left_ns(id, NULL) == 0, "a fired one-shot timer is still armed");
    CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == 0, "timer_delete");
    CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == -EINVAL, "second timer_delete");
}

static volatile sig_atomic_t hits;
static siginfo_t last_info;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    last_info = *si;
    hits++;
}

/* SIGEV_SIGNAL with a real-time signal and a pointer; an interval. */
static void check_interval(void)
{
    struct sigaction sa;
    struct sigevent sev;
    int64_t t0, interval, left;
    sigset_t none;
    int id = -1, sig = SIGRTMIN + 1;
    static int cookie;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
    block(sig);
    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = sig;
    sev.sigev_value.sival_ptr = &cookie;
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id) == 0, "timer_create(RT signal)");
    hits = 0;
    t0 = now_ns(CLOCK_MONOTONIC);
    CHECK(t_set(id, 0, 30 * MS, 30 * MS, NULL) == 0, "timer_settime(30 ms, 30 ms)");
    sigemptyset(&none);
    while (hits < 3)
        sigsuspend(&none);
    CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 90 * MS, "three 30 ms periods took less");
    CHECK(last_info.si_signo == sig && last_info.si_code == SI_TIMER &&
          last_info.si_timerid == id && last_info.si_value.sival_ptr == &cookie,
          "handler saw signo %d code %d timer %d value %p", last_info.si_signo,
          last_info.si_code, last_info.si_timerid, last_info.si_value.sival_ptr);
    left = left_ns(id, &interval);
    CHECK(interval == 30 * MS && left > 0 && left <= 30 * MS,
          "timer_gettime: %lld left, interval %lld", (long long)left, (long long)interval);
    CHECK(raw(SYS_timer_getoverrun, id, 0, 0, 0) >= 0, "timer_getoverrun");
    CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == 0, "timer_delete");
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = 0;
    sigaction(sig, &sa, NULL);
}

/* Expiries while the signal is blocked are overruns. */
static void check_overrun(void)
{
    struct sigevent sev;
    siginfo_t si;
    int id = -1;
    long ov;

    block(SIGUSR1);
    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    sev.sigev_value.sival_int = 77;
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id) == 0, "timer_create(SIGUSR1)");
    CHECK(t_set(id, 0, 10 * MS, 10 * MS, NULL) == 0, "timer_settime(10 ms, 10 ms)");
    CHECK(raw(SYS_timer_getoverrun, id, 0, 0, 0) == 0, "overrun before any signal");
    sleep_ns(250 * MS);
    CHECK(is_pending(SIGUSR1), "SIGUSR1 not pending after 250 ms");
    CHECK(wait_sig(SIGUSR1, &si), "no SIGUSR1");
    /* at least 24 expiries after the first in 250 ms; some slack */
    CHECK(si.si_code == SI_TIMER && si.si_value.sival_int == 77 && si.si_overrun >= 15,
          "code %d value %d overrun %d after 250 ms of 10 ms periods", si.si_code,
          si.si_value.sival_int, si.si_overrun);
    ov = raw(SYS_timer_getoverrun, id, 0, 0, 0);
    CHECK(ov == si.si_overrun, "timer_getoverrun %ld, the signal said %d", ov,
          si.si_overrun);
    /* the signal is queued once: another one comes with its own count */
    CHECK(wait_sig(SIGUSR1, &si) && si.si_overrun >= 0 && si.si_code == SI_TIMER,
          "the next SIGUSR1: code %d overrun %d", si.si_code, si.si_overrun);
    /* setting the timer again resets the count */
    CHECK(t_set(id, 0, 0, 0, NULL) == 0, "disarm");
    CHECK(raw(SYS_timer_getoverrun, id, 0, 0, 0) == 0, "overrun after timer_settime");
    CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == 0, "timer_delete");
    while (is_pending(SIGUSR1))
        wait_sig(SIGUSR1, &si);
}

/* timer_gettime counts down; a zero value disarms; old_value. */
static void check_gettime(void)
{
    struct itimerspec old;
    int64_t a, b, interval;
    int id = -1;

    block(SIGALRM);
    CHECK(t_create(CLOCK_BOOTTIME, NULL, &id) == 0, "timer_create(BOOTTIME)");
    CHECK(left_ns(id, &interval) == 0 && interval == 0, "a new timer is armed");
    CHECK(t_set(id, 0, 5000 * MS, 700 * MS, NULL) == 0, "timer_settime(5 s, 0.7 s)");
    a = left_ns(id, &interval);
    CHECK(a > 0 && a <= 5000 * MS && interval == 700 * MS, "left %lld interval %lld",
          (long long)a, (long long)interval);
    sleep_ns(50 * MS);
    b = left_ns(id, NULL);
    CHECK(b > 0 && a - b >= 50 * MS, "after 50 ms: %lld then %lld left", (long long)a,
          (long long)b);
    memset(&old, 0, sizeof(old));
    CHECK(t_set(id, 0, 0, 0, &old) == 0, "disarming");
    CHECK(ns_of(&old.it_value) > 0 && ns_of(&old.it_value) <= b &&
          ns_of(&old.it_interval) == 700 * MS,
          "old_value %lld interval %lld", (long long)ns_of(&old.it_value),
          (long long)ns_of(&old.it_interval));
    CHECK(left_ns(id, &interval) == 0 && interval == 0, "still armed after a zero value");
    memset(&old, 0xff, sizeof(old));
    CHECK(t_set(id, 0, 0, 0, &old) == 0 && ns_of(&old.it_value) == 0 &&
          ns_of(&old.it_interval) == 0, "old_value of a disarmed timer");
    CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == 0, "timer_delete");
}

/* Absolute times on the monotonic and the realtime clock. */
static void check_abstime(void)
{
    static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_TAI,
                                        CLOCK_BOOTTIME };
    siginfo_t si;
    int64_t when;
    int id = -1;

    block(SIGALRM);
    for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
        clockid_t clk = clocks[i];

        CHECK(t_create(clk, NULL, &id) == 0, "timer_create(clock %d)", (int)clk);
        when = now_ns(clk) + 60 * MS;
        CHECK(t_set(id, TIMER_ABSTIME, when, 0, NULL) == 0, "absolute timer_settime");
        CHECK(wait_sig(SIGALRM, &si) && si.si_timerid == id,
              "no SIGALRM from the absolute timer of clock %d", (int)clk);
        CHECK(now_ns(clk) >= when, "clock %d: the absolute timer fired %lld ns early",
              (int)clk, (long long)(when - now_ns(clk)));
        /* a time already past fires at once */
        CHECK(t_set(id, TIMER_ABSTIME, 1, 0, NULL) == 0, "timer_settime(past)");
        CHECK(wait_sig(SIGALRM, &si) && si.si_timerid == id,
              "no SIGALRM from a timer set in the past (clock %d)", (int)clk);
        CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == 0, "timer_delete");
    }
}

/* SIGEV_NONE: the time left counts down, nothing is sent. */
static void check_sigev_none(void)
{
    struct sigevent sev;
    int64_t a, b, interval;
    int id = -1;

    block(SIGUSR2);
    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_NONE;
    sev.sigev_signo = SIGUSR2;
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id) == 0, "timer_create(SIGEV_NONE)");
    CHECK(t_set(id, 0, 3000 * MS, 0, NULL) == 0, "timer_settime(3 s)");
    a = left_ns(id, NULL);
    sleep_ns(30 * MS);
    b = left_ns(id, NULL);
    CHECK(a > 0 && b > 0 && a - b >= 30 * MS, "SIGEV_NONE: %lld then %lld left",
          (long long)a, (long long)b);
    CHECK(t_set(id, 0, 30 * MS, 0, NULL) == 0, "timer_settime(30 ms)");
    sleep_ns(80 * MS);
    CHECK(left_ns(id, NULL) == 0, "an expired SIGEV_NONE one-shot is still armed");
    CHECK(t_set(id, 0, 20 * MS, 20 * MS, NULL) == 0, "timer_settime(20 ms, 20 ms)");
    sleep_ns(70 * MS);
    a = left_ns(id, &interval);
    CHECK(a > 0 && a <= 20 * MS && interval == 20 * MS,
          "periodic SIGEV_NONE: %lld left, interval %lld", (long long)a, (long long)interval);
    CHECK(!is_pending(SIGUSR2), "a SIGEV_NONE timer sent its signal");
    CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == 0, "timer_delete");
}

/* SIGEV_THREAD_ID: the signal goes to that thread. */
static volatile pid_t waiter_tid;
static siginfo_t waiter_info;
static int waiter_got;

static void *waiter(void *arg)
{
    waiter_tid = gettid();
    waiter_got = wait_sig(SIGUSR1, &waiter_info);
    return NULL;
}

static void check_thread_id(void)
{
    struct sigevent sev;
    pthread_t th;
    int id = -1;

    block(SIGUSR1);
    waiter_tid = 0;
    CHECK(pthread_create(&th, NULL, waiter, NULL) == 0, "pthread_create");
    while (!waiter_tid)
        sched_yield();
    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = SIGUSR1;
    sev.sigev_value.sival_int = 5;
    sev.sigev_notify_thread_id = waiter_tid;
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id) == 0, "timer_create(SIGEV_THREAD_ID)");
    CHECK(t_set(id, 0, 40 * MS, 0, NULL) == 0, "timer_settime");
    pthread_join(th, NULL);
    CHECK(waiter_got && waiter_info.si_code == SI_TIMER && waiter_info.si_timerid == id &&
          waiter_info.si_value.sival_int == 5,
          "the thread got %d: code %d timer %d value %d", waiter_got, waiter_info.si_code,
          waiter_info.si_timerid, waiter_info.si_value.sival_int);
    CHECK(!is_pending(SIGUSR1), "the signal reached the process too");
    CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == 0, "timer_delete");
    /* a thread that does not exist */
    sev.sigev_notify_thread_id = 99999;
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id) == -EINVAL,
          "SIGEV_THREAD_ID of no thread did not give EINVAL");
}

/* Timers are the process's: a child has none of the parent's. */
static void check_fork(void)
{
    struct sigevent sev;
    int ids[3], status = -1;
    pid_t pid;

    block(SIGUSR1);
    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    for (int i = 0; i < 3; i++)
        CHECK(t_create(CLOCK_MONOTONIC, &sev, &ids[i]) == 0, "timer_create");
    CHECK(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2], "ids %d %d %d",
          ids[0], ids[1], ids[2]);
    CHECK(t_set(ids[2], 0, 20 * MS, 20 * MS, NULL) == 0, "timer_settime");
    pid = fork();
    if (pid == 0) {
        siginfo_t si;
        int id = -1, bad = 0;

        while (is_pending(SIGUSR1))
            wait_sig(SIGUSR1, &si); /* what fork inherited */
        for (int i = 0; i < 3; i++)
            bad += left_ns(ids[i], NULL) != -1;
        if (t_create(CLOCK_MONOTONIC, NULL, &id) != 0 || id != 0)
            bad += 10;
        sleep_ns(150 * MS);
        if (is_pending(SIGUSR1))
            bad += 100;
        _exit(bad);
    }
    CHECK(pid > 0, "fork");
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "child: status %#x (1: a parent's timer, 10: first id not 0, 100: a "
          "parent's signal)", status);
    for (int i = 0; i < 3; i++)
        CHECK(raw(SYS_timer_delete, ids[i], 0, 0, 0) == 0, "timer_delete");
    while (is_pending(SIGUSR1)) {
        siginfo_t si;

        wait_sig(SIGUSR1, &si);
    }
    /* a child that ends with armed timers */
    pid = fork();
    if (pid == 0) {
        int id;

        for (int i = 0; i < 4; i++)
            if (t_create(CLOCK_MONOTONIC, NULL, &id) == 0)
                t_set(id, 0, 1 * MS, 1 * MS, NULL);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child with timers: %#x", status);
}

/* Every wall clock with timers, and those without. */
static void check_clocks(void)
{
    static const clockid_t with[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME,
                                      CLOCK_TAI, CLOCK_REALTIME_ALARM,
                                      CLOCK_BOOTTIME_ALARM };
    static const clockid_t without[] = { CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
                                         CLOCK_MONOTONIC_COARSE };
    static const clockid_t invalid[] = { 10, 12, 16, 1000 };
    siginfo_t si;
    int id;

    block(SIGALRM);
    for (unsigned i = 0; i < sizeof(with) / sizeof(with[0]); i++) {
        /* run as root: the alarm clocks are allowed */
        id = -1;
        CHECK(t_create(with[i], NULL, &id) == 0, "timer_create(clock %d)", (int)with[i]);
        CHECK(t_set(id, 0, 20 * MS, 0, NULL) == 0, "timer_settime(clock %d)", (int)with[i]);
        CHECK(wait_sig(SIGALRM, &si) && si.si_timerid == id,
              "no signal from the timer of clock %d", (int)with[i]);
        CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == 0, "timer_delete");
    }
    for (unsigned i = 0; i < sizeof(without) / sizeof(without[0]); i++)
        CHECK(t_create(without[i], NULL, &id) == -EOPNOTSUPP,
              "timer_create(clock %d) did not give EOPNOTSUPP", (int)without[i]);
    for (unsigned i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
        CHECK(t_create(invalid[i], NULL, &id) == -EINVAL,
              "timer_create(clock %d) did not give EINVAL", (int)invalid[i]);
    /* the alarm clocks need privilege (CAP_WAKE_ALARM) */
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(65534) != 0)
            _exit(1);
        _exit((t_create(CLOCK_REALTIME_ALARM, NULL, &id) == -EPERM ? 0 : 2) +
              (t_create(CLOCK_BOOTTIME_ALARM, NULL, &id) == -EPERM ? 0 : 4) +
              (t_create(CLOCK_MONOTONIC, NULL, &id) == 0 ? 0 : 8));
    }
    int status = -1;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "unprivileged alarm timers: status %#x (1: setuid, 2/4: no EPERM, 8: "
          "no timer at all)", status);
}

static void check_errors(void)
{
    struct itimerspec its;
    struct sigevent sev;
    int id = -1, id2 = -1;

    CHECK(t_create(CLOCK_MONOTONIC, BAD_PTR, &id) == -EFAULT, "bad sigevent");
    CHECK(t_create(CLOCK_MONOTONIC, NULL, BAD_PTR) == -EFAULT, "bad timer id pointer");
    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = 99;
    sev.sigev_signo = SIGUSR1;
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id) == -EINVAL, "sigev_notify 99");
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = 0;
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id) == -EINVAL, "sigev_signo 0");
    sev.sigev_signo = 65;
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id) == -EINVAL, "sigev_signo 65");
    sev.sigev_notify = SIGEV_NONE;
    sev.sigev_signo = 0;
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id) == 0, "SIGEV_NONE needs no signal");

    CHECK(raw(SYS_timer_settime, id, 0, 0, 0) == -EINVAL, "timer_settime(NULL)");
    CHECK(raw(SYS_timer_settime, id, 0, (long)BAD_PTR, 0) == -EFAULT,
          "timer_settime(bad pointer)");
    memset(&its, 0, sizeof(its));
    its.it_value.tv_nsec = 1000000000;
    CHECK(raw(SYS_timer_settime, id, 0, (long)&its, 0) == -EINVAL, "tv_nsec 1e9");
    its.it_value.tv_nsec = 0;
    its.it_value.tv_sec = -1;
    CHECK(raw(SYS_timer_settime, id, 0, (long)&its, 0) == -EINVAL, "tv_sec -1");
    its.it_value.tv_sec = 1;
    its.it_interval.tv_nsec = -1;
    CHECK(raw(SYS_timer_settime, id, 0, (long)&its, 0) == -EINVAL, "interval tv_nsec -1");
    its.it_interval.tv_nsec = 0;
    CHECK(raw(SYS_timer_settime, id + 1000, 0, (long)&its, 0) == -EINVAL,
          "timer_settime(no timer)");
    CHECK(raw(SYS_timer_settime, -1, 0, (long)&its, 0) == -EINVAL, "timer_settime(-1)");
    /* a bad old_value: the timer is set all the same */
    CHECK(raw(SYS_timer_settime, id, 0, (long)&its, (long)BAD_PTR) == -EFAULT,
          "timer_settime(bad old_value)");
    CHECK(left_ns(id, NULL) > 0, "the setting was lost with a bad old_value");
    CHECK(raw(SYS_timer_gettime, id, (long)BAD_PTR, 0, 0) == -EFAULT,
          "timer_gettime(bad pointer)");
    CHECK(raw(SYS_timer_gettime, id + 1000, (long)&its, 0, 0) == -EINVAL,
          "timer_gettime(no timer)");
    CHECK(raw(SYS_timer_getoverrun, id + 1000, 0, 0, 0) == -EINVAL,
          "timer_getoverrun(no timer)");
    CHECK(raw(SYS_timer_delete, id + 1000, 0, 0, 0) == -EINVAL, "timer_delete(no timer)");
    /* ids are not reused while taken */
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id2) == 0 && id2 != id, "second id %d, first %d",
          id2, id);
    CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == 0, "timer_delete");
    CHECK(raw(SYS_timer_delete, id2, 0, 0, 0) == 0, "timer_delete");
}

/* After execve the timer is gone. */
static int exec_check(const char *idstr)
{
    int id = atoi(idstr);

    CHECK(left_ns(id, NULL) == -1, "timer %d survived execve", id);
    CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == -EINVAL, "timer_delete after execve");
    return check_result("posix_timer (after execve)");
}

static void check_exec(const char *self)
{
    int id = -1, status = -1;
    char idstr[16];
    pid_t pid;

    pid = fork();
    if (pid == 0) {
        block(SIGALRM);
        if (t_create(CLOCK_MONOTONIC, NULL, &id) != 0 || t_set(id, 0, 5000 * MS, 0, NULL))
            _exit(20);
        snprintf(idstr, sizeof(idstr), "%d", id);
        execl(self, self, "exec-check", idstr, (char *)NULL);
        _exit(21);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "execve child: status %#x",
          status);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "exec-check"))
        return exec_check(argv[2]);
    check_default_event();
    check_interval();
    check_overrun();
    check_gettime();
    check_abstime();
    check_sigev_none();
    check_thread_id();
    check_fork();
    check_clocks();
    check_errors();
    check_exec(argv[0]);
    return check_result("posix_timer");
}
