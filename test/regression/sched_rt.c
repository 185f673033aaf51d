/* Real-time scheduling, as root, everything on CPU 0 and the main thread
 * at SCHED_FIFO 50 (it sleeps, and takes the CPU back when it wakes): a
 * SCHED_FIFO thread takes the CPU from a busy fair thread, which makes
 * (next to) no progress until the real-time one stops (Linux lets it have
 * 5% of the time: RT throttling); of two SCHED_FIFO threads of one
 * priority one keeps the CPU (which one depends on how they were
 * started) and the other gets it only when the first ends; two SCHED_RR
 * threads of one priority take turns.  Progress
 * is measured by counters, and only compared with each other. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "check.h"

struct spinner {
    pthread_t th;
    int id;
    atomic_ulong count;
    atomic_int stop;
};

static atomic_int last_id;   /* which RR thread counted last */
static atomic_ulong switches; /* how often that changed */

static void *spin_fn(void *arg)
{
    struct spinner *s = arg;

    while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
        if (s->id && atomic_load_explicit(&last_id, memory_order_relaxed) != s->id) {
            atomic_store(&last_id, s->id);
            atomic_fetch_add(&switches, 1);
        }
    }
    return NULL;
}

/* Start @s as a thread of @policy and @prio from its first instruction. */
static int start(struct spinner *s, int policy, int prio, int id)
{
    struct sched_param p = { .sched_priority = prio };
    pthread_attr_t a;
    int err;

    s->id = id;
    pthread_attr_init(&a);
    pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&a, policy);
    pthread_attr_setschedparam(&a, &p);
    err = pthread_create(&s->th, &a, spin_fn, s);
    pthread_attr_destroy(&a);
    CHECK(!err, "pthread_create policy %d prio %d: %s", policy, prio, strerror(err));
    return err;
}

static void finish(struct spinner *s)
{
    atomic_store(&s->stop, 1);
    pthread_join(s->th, NULL);
}

static unsigned long count(struct spinner *s)
{
    return atomic_load(&s->count);
}

int main(void)
{
    static struct spinner fair, fifo, a, b, rr1, rr2;
    struct sched_param p = { .sched_priority = 50 };
    unsigned long long cpu0 = 1;
    unsigned long f0, f1, r0, r1, a0, a1, b0, b1, c1, c2, sw;

    setvbuf(stdout, NULL, _IOLBF, 0);
    CHECK(syscall(SYS_sched_setaffinity, 0, sizeof(cpu0), &cpu0) == 0,
          "pin to CPU 0: %s", strerror(errno));
    CHECK(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &p) == 0,
          "main thread at SCHED_FIFO 50: %s", strerror(errno));
    if (failures)
        return check_result("sched_rt");

    /* a fair thread runs when nothing else does */
    if (start(&fair, SCHED_OTHER, 0, 0))
        return check_result("sched_rt");
    usleep(200000);
    f0 = count(&fair);
    CHECK(f0 > 0, "the fair thread did not run");

    /* a SCHED_FIFO thread takes the CPU from it */
    if (start(&fifo, SCHED_FIFO, 10, 0))
        return check_result("sched_rt");
    usleep(100000);
    f0 = count(&fair);
    r0 = count(&fifo);
    usleep(500000);
    f1 = count(&fair);
    r1 = count(&fifo);
    printf("with SCHED_FIFO 10 busy: fifo +%lu, fair +%lu\n", r1 - r0, f1 - f0);
    CHECK(r1 > r0, "the SCHED_FIFO thread did not run");
    CHECK((f1 - f0) * 4 < r1 - r0, "the fair thread went on: +%lu against +%lu",
          f1 - f0, r1 - r0);
    finish(&fifo);
    f0 = count(&fair);
    usleep(200000);
    CHECK(count(&fair) > f0, "the fair thread did not run again");

    /* SCHED_FIFO of one priority: one keeps the CPU */
    start(&a, SCHED_FIFO, 20, 0);
    usleep(100000);
    start(&b, SCHED_FIFO, 20, 0);
    usleep(100000);
    a0 = count(&a);
    b0 = count(&b);
    usleep(500000);
    a1 = count(&a);
    b1 = count(&b);
    printf("two SCHED_FIFO 20: +%lu and +%lu\n", a1 - a0, b1 - b0);
    CHECK((a1 > a0 && b1 == b0) || (b1 > b0 && a1 == a0),
          "+%lu and +%lu: both ran, or neither", a1 - a0, b1 - b0);
    if (a1 > a0) {
        finish(&a);
        b0 = count(&b);
        usleep(200000);
        CHECK(count(&b) > b0, "the other did not run when the first ended");
        finish(&b);
    } else {
        finish(&b);
        a0 = count(&a);
        usleep(200000);
        CHECK(count(&a) > a0, "the other did not run when the first ended");
        finish(&a);
    }

    /* SCHED_RR of one priority: they take turns */
    start(&rr1, SCHED_RR, 20, 1);
    start(&rr2, SCHED_RR, 20, 2);
    usleep(100000);
    c1 = count(&rr1);
    c2 = count(&rr2);
    sw = atomic_load(&switches);
    usleep(1000000);
    c1 = count(&rr1) - c1;
    c2 = count(&rr2) - c2;
    sw = atomic_load(&switches) - sw;
    printf("two SCHED_RR 20 for a second: +%lu and +%lu, %lu turns\n", c1, c2, sw);
    CHECK(c1 > 0 && c2 > 0, "one of them did not run: +%lu, +%lu", c1, c2);
    CHECK(c1 * 4 >= c1 + c2 && c2 * 4 >= c1 + c2, "unequal turns: +%lu, +%lu", c1, c2);
    CHECK(sw >= 3, "only %lu turns in a second of 100 ms slices", sw);
    finish(&rr1);
    finish(&rr2);
    finish(&fair);
    return check_result("sched_rt");
}
