/* POSIX timers under churn: threads create, arm, re-arm and delete
 * timers with 1 ms intervals while others fire, their signals pending or
 * being taken; the process's timers run out at RLIMIT_SIGPENDING with
 * EAGAIN and are all usable again once deleted; a child ends with many
 * armed timers whose signals are pending, and a thread ends that is the
 * target of a SIGEV_THREAD_ID timer.  Nothing may be lost: every timer
 * the calls report is there, and every signal taken is a timer's. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "check.h"

#define MS 1000000LL
#define WORKERS 3
#define ROUNDS 200

static long raw(long nr, long a, long b, long c, long d)
{
    long r = syscall(nr, a, b, c, d);

    return r == -1 ? -errno : r;
}

static long t_create(clockid_t clk, struct sigevent *sev, int *id)
{
    return raw(SYS_timer_create, clk, (long)sev, (long)id, 0);
}

static long t_set(int id, int64_t value, int64_t interval)
{
    struct itimerspec its = {
        .it_interval = { interval / 1000000000, interval % 1000000000 },
        .it_value = { value / 1000000000, value % 1000000000 },
    };

    return raw(SYS_timer_settime, id, 0, (long)&its, 0);
}

static void sleep_ns(int64_t ns)
{
    struct timespec ts = { ns / 1000000000, ns % 1000000000 };

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int bad_calls; /* atomic */

static void *churn(void *arg)
{
    struct sigevent sev;
    int ids[4];

    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGRTMIN + 2;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < 4; i++) {
            if (t_create(CLOCK_MONOTONIC, &sev, &ids[i]) != 0) {
                __atomic_add_fetch(&bad_calls, 1, __ATOMIC_RELAXED);
                ids[i] = -1;
                continue;
            }
            if (t_set(ids[i], 1 * MS, (i + 1) * MS) != 0)
                __atomic_add_fetch(&bad_calls, 1, __ATOMIC_RELAXED);
        }
        if (r % 8 == 0)
            sleep_ns(2 * MS);
        for (int i = 0; i < 4; i++) {
            if (ids[i] < 0)
                continue;
            if (r % 2 && t_set(ids[i], 1, 0) != 0) /* due at once */
                __atomic_add_fetch(&bad_calls, 1, __ATOMIC_RELAXED);
            if (raw(SYS_timer_delete, ids[i], 0, 0, 0) != 0)
                __atomic_add_fetch(&bad_calls, 1, __ATOMIC_RELAXED);
        }
    }
    return NULL;
}

/* Takes the churners' signals as they come. */
static volatile int stop_taking;
static int foreign; /* signals that were not a timer's */

static void *taker(void *arg)
{
    struct timespec tick = { 0, 5 * MS };
    sigset_t set;
    siginfo_t si;

    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 2);
    while (!stop_taking)
        if (sigtimedwait(&set, &si, &tick) > 0 && si.si_code != SI_TIMER)
            foreign++;
    return NULL;
}

static void check_churn(void)
{
    pthread_t workers[WORKERS], take;
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    pthread_create(&take, NULL, taker, NULL);
    for (int i = 0; i < WORKERS; i++)
        pthread_create(&workers[i], NULL, churn, NULL);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(workers[i], NULL);
    stop_taking = 1;
    pthread_join(take, NULL);
    CHECK(bad_calls == 0, "%d timer calls failed during the churn", bad_calls);
    CHECK(foreign == 0, "%d signals were not a timer's", foreign);
}

/* The limit, and every timer usable again after it. */
static void check_limit(void)
{
    struct rlimit old, lim = { 40, 40 };
    struct sigevent sev;
    int ids[64], n = 0, id;
    long err = 0;

    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_NONE;
    getrlimit(RLIMIT_SIGPENDING, &old);
    CHECK(setrlimit(RLIMIT_SIGPENDING, &lim) == 0, "setrlimit(RLIMIT_SIGPENDING)");
    while (n < 64 && (err = t_create(CLOCK_MONOTONIC, &sev, &ids[n])) == 0)
        n++;
    CHECK(err == -EAGAIN && n > 0 && n <= 40, "%d timers, then %ld", n, err);
    for (int i = 0; i < n; i++)
        CHECK(raw(SYS_timer_delete, ids[i], 0, 0, 0) == 0, "timer_delete(%d)", ids[i]);
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id) == 0, "no timer after deleting them all");
    raw(SYS_timer_delete, id, 0, 0, 0);
    setrlimit(RLIMIT_SIGPENDING, &old);
}

/* A child ends with armed timers and pending timer signals. */
static void check_exit(void)
{
    int status = -1;
    pid_t pid = fork();

    if (pid == 0) {
        struct sigevent sev;
        sigset_t set;
        int id;

        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        sigaddset(&set, SIGRTMIN + 4);
        sigprocmask(SIG_BLOCK, &set, NULL);
        memset(&sev, 0, sizeof(sev));
        sev.sigev_notify = SIGEV_SIGNAL;
        for (int i = 0; i < 20; i++) {
            sev.sigev_signo = i % 2 ? SIGUSR1 : SIGRTMIN + 4;
            if (t_create(CLOCK_MONOTONIC, &sev, &id) == 0)
                t_set(id, 1 * MS, 1 * MS);
        }
        sleep_ns(30 * MS);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child with timers: %#x", status);
}

/* The target thread of a SIGEV_THREAD_ID timer ends. */
static volatile pid_t target_tid;

static void *short_lived(void *arg)
{
    target_tid = gettid();
    sleep_ns(30 * MS);
    return NULL;
}

static void check_thread_end(void)
{
    struct sigevent sev;
    struct itimerspec its;
    pthread_t th;
    int id = -1;

    target_tid = 0;
    pthread_create(&th, NULL, short_lived, NULL);
    while (!target_tid)
        sched_yield();
    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = SIGRTMIN + 2; /* blocked everywhere */
    sev.sigev_notify_thread_id = target_tid;
    CHECK(t_create(CLOCK_MONOTONIC, &sev, &id) == 0, "timer_create(SIGEV_THREAD_ID)");
    CHECK(t_set(id, 1 * MS, 1 * MS) == 0, "timer_settime");
    pthread_join(th, NULL);
    sleep_ns(20 * MS);
    CHECK(raw(SYS_timer_gettime, id, (long)&its, 0, 0) == 0,
          "timer_gettime after its thread ended");
    CHECK(t_set(id, 0, 0) == 0, "disarming after its thread ended");
    CHECK(raw(SYS_timer_delete, id, 0, 0, 0) == 0, "timer_delete after its thread ended");
}

int main(void)
{
    check_churn();
    check_limit();
    check_exit();
    check_thread_end();
    return check_result("posix_timer_stress");
}
