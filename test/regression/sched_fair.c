/* The fair class shares the processors fairly: more busy threads than
 * CPUs (2 * CPUs + 1) each get a share of the CPU time they used together
 * within a generous tolerance of the mean; two busy threads on one CPU,
 * at nice 0 and nice 10, get shares in that order, the first clearly more
 * (about 9 to 1 by Linux's weights).  Only ratios of CPU times are
 * checked (from /proc/self/task/TID/stat), never how long anything took,
 * so a loaded host does not matter. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

#define MAX_THREADS 129
#define TICK_MS 10 /* the unit of /proc's times (USER_HZ 100) */

struct busy {
    pthread_t th;
    int nice;
    long ticks; /* its utime + stime when it stopped */
};

static atomic_int stop;

/* utime + stime of /proc/@path's stat, in ticks. */
static long cpu_ticks(const char *path)
{
    char buf[1024], *p;
    FILE *f = fopen(path, "r");
    long utime = -1, stime = -1;
    size_t len;

    if (!f)
        return -1;
    len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[len] = 0;
    p = strrchr(buf, ')');
    for (int field = 2; p && field < 14; field++)
        p = strchr(p + 1, ' ');
    if (p && sscanf(p + 1, "%ld %ld", &utime, &stime) == 2)
        return utime + stime;
    return -1;
}

static void *busy_fn(void *arg)
{
    struct busy *b = arg;
    char path[64];
    unsigned long spins = 0;

    snprintf(path, sizeof(path), "/proc/self/task/%d/stat", gettid());
    if (b->nice)
        setpriority(PRIO_PROCESS, 0, b->nice);
    while (!atomic_load_explicit(&stop, memory_order_relaxed))
        spins++;
    b->ticks = cpu_ticks(path);
    return (void *)spins;
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Run @n busy threads (nices from @b) until together they used @target_ms
 * of CPU time or @max_ms passed; their CPU times are in b[i].ticks.
 */
static void run_busy(struct busy *b, int n, long target_ms, long max_ms)
{
    long long end = now_ms() + max_ms;
    long start = cpu_ticks("/proc/self/stat");

    atomic_store(&stop, 0);
    for (int i = 0; i < n; i++)
        pthread_create(&b[i].th, NULL, busy_fn, &b[i]);
    while (now_ms() < end &&
           (cpu_ticks("/proc/self/stat") - start) * TICK_MS < target_ms)
        usleep(100000);
    atomic_store(&stop, 1);
    for (int i = 0; i < n; i++)
        pthread_join(b[i].th, NULL);
}

static void many_threads(int ncpus)
{
    static struct busy b[MAX_THREADS];
    int n = 2 * ncpus + 1;
    long total = 0, mean;

    if (n > MAX_THREADS)
        n = MAX_THREADS;
    /* about a second of CPU time each */
    run_busy(b, n, n * 1000L, 25000);
    for (int i = 0; i < n; i++)
        total += b[i].ticks;
    mean = total / n;
    printf("%d threads on %d CPUs: %ld ticks in all\n", n, ncpus, total);
    CHECK(total >= n * 20L, "too little CPU time to judge: %ld ticks", total);
    for (int i = 0; i < n; i++) {
        printf("  thread %d: %ld ticks\n", i, b[i].ticks);
        CHECK(b[i].ticks * 2 >= mean && b[i].ticks <= mean * 3 / 2 + 2,
              "thread %d had %ld ticks, the mean is %ld", i, b[i].ticks, mean);
    }
}

static void nice_pair(void)
{
    static struct busy b[2] = { { .nice = 0 }, { .nice = 10 } };
    unsigned long long cpu0 = 1;

    /* both on one CPU (the main thread too: it sleeps) */
    CHECK(syscall(SYS_sched_setaffinity, 0, sizeof(cpu0), &cpu0) == 0,
          "pin to CPU 0: %s", strerror(errno));
    run_busy(b, 2, 1500, 20000);
    printf("nice 0: %ld ticks, nice 10: %ld ticks\n", b[0].ticks, b[1].ticks);
    CHECK(b[0].ticks >= 50, "too little CPU time to judge: %ld ticks", b[0].ticks);
    CHECK(b[0].ticks > 3 * b[1].ticks,
          "nice 0 had %ld ticks, nice 10 %ld: not clearly more", b[0].ticks, b[1].ticks);
}

int main(void)
{
    unsigned long long mask = 0;
    int ncpus;

    setvbuf(stdout, NULL, _IOLBF, 0);
    mkdir("/proc", 0555);
    if (access("/proc/self/stat", R_OK) != 0 &&
        mount("proc", "/proc", "proc", 0, NULL) != 0)
        printf("mount proc: %s\n", strerror(errno));
    syscall(SYS_sched_getaffinity, 0, sizeof(mask), &mask);
    ncpus = __builtin_popcountll(mask);
    CHECK(ncpus >= 1, "no CPU in %#llx", mask);
    if (ncpus < 1)
        return 1;
    many_threads(ncpus);
    nice_pair();
    return check_result("sched_fair");
}
