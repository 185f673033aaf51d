/* timer_create(3) with SIGEV_THREAD, as the C library builds it on
 * SIGEV_THREAD_ID: the notify function runs in a thread that is not the
 * caller, with the sigevent's value, once for a one-shot timer and again
 * and again for an interval timer; timer_gettime and timer_getoverrun
 * work on such a timer; after timer_delete the function is no longer
 * called; several such timers run side by side.  Only lower bounds on
 * times are checked. */
// also-glibc
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

#define MS 1000000LL

struct counter {
    int calls;     /* atomic */
    pid_t tid;     /* the thread of the last call */
    void *value;   /* the value of the last call */
};

static struct counter one_shot, periodic, second;

static void notify(union sigval v)
{
    struct counter *c = v.sival_ptr;

    c->tid = (pid_t)syscall(SYS_gettid);
    c->value = v.sival_ptr;
    __atomic_add_fetch(&c->calls, 1, __ATOMIC_SEQ_CST);
}

static int calls(struct counter *c)
{
    return __atomic_load_n(&c->calls, __ATOMIC_SEQ_CST);
}

static void sleep_ns(int64_t ns)
{
    struct timespec ts = { ns / 1000000000, ns % 1000000000 };

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int make_timer(timer_t *t, struct counter *c)
{
    struct sigevent sev;

    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = notify;
    sev.sigev_value.sival_ptr = c;
    return timer_create(CLOCK_MONOTONIC, &sev, t);
}

/* Wait up to 10 s for @c to reach @n calls. */
static int wait_calls(struct counter *c, int n)
{
    for (int i = 0; i < 1000 && calls(c) < n; i++)
        sleep_ns(10 * MS);
    return calls(c) >= n;
}

int main(void)
{
    struct itimerspec its, cur;
    pid_t self = (pid_t)syscall(SYS_gettid);
    timer_t t1, t2, t3;
    int64_t t0;
    int n;

    /* a one-shot timer: one call, in another thread, with the value */
    CHECK(make_timer(&t1, &one_shot) == 0, "timer_create(SIGEV_THREAD) errno %d", errno);
    memset(&its, 0, sizeof(its));
    its.it_value.tv_nsec = 50 * MS;
    t0 = now_ns();
    CHECK(timer_settime(t1, 0, &its, NULL) == 0, "timer_settime errno %d", errno);
    CHECK(wait_calls(&one_shot, 1), "the one-shot timer's function was not called");
    CHECK(now_ns() - t0 >= 50 * MS, "the function ran early");
    CHECK(one_shot.tid != self && one_shot.tid > 0, "the function ran in thread %d (main %d)",
          one_shot.tid, self);
    CHECK(one_shot.value == &one_shot, "the function got %p, expected %p", one_shot.value,
          (void *)&one_shot);
    sleep_ns(120 * MS);
    CHECK(calls(&one_shot) == 1, "a one-shot timer called %d times", calls(&one_shot));
    CHECK(timer_gettime(t1, &cur) == 0 && !cur.it_value.tv_sec && !cur.it_value.tv_nsec,
          "the fired one-shot timer is still armed");
    CHECK(timer_delete(t1) == 0, "timer_delete errno %d", errno);

    /* an interval timer, and a second one beside it */
    CHECK(make_timer(&t2, &periodic) == 0, "timer_create(periodic) errno %d", errno);
    CHECK(make_timer(&t3, &second) == 0, "timer_create(second) errno %d", errno);
    its.it_value.tv_nsec = 20 * MS;
    its.it_interval.tv_nsec = 20 * MS;
    t0 = now_ns();
    CHECK(timer_settime(t2, 0, &its, NULL) == 0, "timer_settime(periodic) errno %d", errno);
    its.it_value.tv_nsec = 30 * MS;
    its.it_interval.tv_nsec = 0;
    CHECK(timer_settime(t3, 0, &its, NULL) == 0, "timer_settime(second) errno %d", errno);
    CHECK(wait_calls(&periodic, 4), "the interval timer's function ran %d times",
          calls(&periodic));
    CHECK(now_ns() - t0 >= 80 * MS, "four 20 ms periods took less than 80 ms");
    CHECK(wait_calls(&second, 1), "the second timer's function was not called");
    CHECK(periodic.value == &periodic && second.value == &second,
          "values %p %p", periodic.value, second.value);
    CHECK(periodic.tid != self && second.tid != self && periodic.tid != second.tid,
          "threads %d %d (main %d)", periodic.tid, second.tid, self);
    CHECK(timer_gettime(t2, &cur) == 0 && cur.it_interval.tv_nsec == 20 * MS &&
          !cur.it_interval.tv_sec,
          "timer_gettime: interval %ld.%09ld", (long)cur.it_interval.tv_sec,
          cur.it_interval.tv_nsec);
    CHECK(timer_getoverrun(t2) >= 0, "timer_getoverrun errno %d", errno);

    /* after timer_delete the function is no longer called */
    CHECK(timer_delete(t2) == 0, "timer_delete(periodic) errno %d", errno);
    sleep_ns(60 * MS); /* one that was on its way */
    n = calls(&periodic);
    sleep_ns(200 * MS);
    CHECK(calls(&periodic) == n, "calls after timer_delete: %d then %d", n,
          calls(&periodic));
    CHECK(timer_delete(t3) == 0, "timer_delete(second) errno %d", errno);
    return check_result("posix_timer_thread");
}
