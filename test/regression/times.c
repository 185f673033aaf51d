/* times(2): its result counts clock ticks of USER_HZ (100 a second) of
 * elapsed time; tms_utime + tms_stime grow with the processor time the
 * process uses, that of every thread; tms_cutime and tms_cstime hold the
 * time of the children once waited for (and of the children they waited
 * for), not before; the figures agree with getrusage(2) RUSAGE_SELF,
 * RUSAGE_CHILDREN and RUSAGE_THREAD and with CLOCK_PROCESS_CPUTIME_ID;
 * times(NULL) works and a bad buffer gives EFAULT.  Only lower bounds on
 * times are checked, with a tick or two of slack for rounding. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>

#include "check.h"

#define MS 1000000LL

static int64_t now_ns(clockid_t clk)
{
    struct timespec ts;

    clock_gettime(clk, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Compute until this thread has used @ns more processor time (giving up
 * after 30 s of elapsed time: the checks then fail, nothing hangs). */
static void burn_ns(int64_t ns)
{
    int64_t start = now_ns(CLOCK_THREAD_CPUTIME_ID);
    int64_t wall = now_ns(CLOCK_MONOTONIC);

    while (now_ns(CLOCK_THREAD_CPUTIME_ID) - start < ns &&
           now_ns(CLOCK_MONOTONIC) - wall < 30000 * MS)
        for (volatile int i = 0; i < 100000; i++)
            ;
}

static long raw_times(struct tms *t)
{
    long r = syscall(SYS_times, t);

    return r == -1 ? -errno : r;
}

static long busy(const struct tms *t)
{
    return (long)(t->tms_utime + t->tms_stime);
}

static long children(const struct tms *t)
{
    return (long)(t->tms_cutime + t->tms_cstime);
}

static int64_t rusage_ms(int who)
{
    struct rusage ru;

    if (getrusage(who, &ru) != 0)
        return -1;
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000LL +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

static void *worker(void *arg)
{
    burn_ns(150 * MS);
    return NULL;
}

int main(void)
{
    struct timespec nap = { 0, 100 * MS };
    struct tms a, b;
    long r0, r1, self_ticks, children0;
    int64_t self_ms, thread_ms, cpu_ms, children_before_ms;
    pthread_t th;
    siginfo_t si;
    int status;
    pid_t pid;

    /* elapsed time */
    r0 = raw_times(&a);
    CHECK(r0 >= 0, "times() = %ld", r0);
    /* what the process that started this program waited for, if any */
    children0 = children(&a);
    nanosleep(&nap, NULL);
    r1 = raw_times(NULL);
    CHECK(r1 - r0 >= 9, "times() advanced %ld ticks across 100 ms", r1 - r0);
    CHECK(raw_times((struct tms *)8) == -EFAULT, "times(bad pointer) did not give EFAULT");
    CHECK(sysconf(_SC_CLK_TCK) == 100, "_SC_CLK_TCK %ld", sysconf(_SC_CLK_TCK));

    /* the process's own time */
    raw_times(&a);
    burn_ns(200 * MS);
    raw_times(&b);
    CHECK(busy(&b) - busy(&a) >= 17, "200 ms of CPU: %ld ticks", busy(&b) - busy(&a));
    CHECK(b.tms_utime > 0, "no user time after computing");
    CHECK(children(&b) == children0, "children's time %ld without children", children(&b));

    /* another thread's time is the process's too */
    raw_times(&a);
    thread_ms = rusage_ms(RUSAGE_THREAD);
    CHECK(pthread_create(&th, NULL, worker, NULL) == 0, "pthread_create");
    pthread_join(th, NULL);
    raw_times(&b);
    CHECK(busy(&b) - busy(&a) >= 12, "a thread's 150 ms: %ld ticks", busy(&b) - busy(&a));
    CHECK(rusage_ms(RUSAGE_THREAD) - thread_ms < 150,
          "RUSAGE_THREAD counted another thread: %lld ms",
          (long long)(rusage_ms(RUSAGE_THREAD) - thread_ms));

    /* they all agree */
    raw_times(&b);
    self_ticks = busy(&b);
    self_ms = rusage_ms(RUSAGE_SELF);
    cpu_ms = now_ns(CLOCK_PROCESS_CPUTIME_ID) / MS;
    CHECK(self_ms >= self_ticks * 10 - 20 && self_ms <= self_ticks * 10 + 40,
          "RUSAGE_SELF %lld ms, times %ld ticks", (long long)self_ms, self_ticks);
    CHECK(cpu_ms >= self_ticks * 10 - 20, "CLOCK_PROCESS_CPUTIME_ID %lld ms, times %ld ticks",
          (long long)cpu_ms, self_ticks);
    CHECK(rusage_ms(RUSAGE_THREAD) <= self_ms + 10, "RUSAGE_THREAD above RUSAGE_SELF");

    /* a child's time comes once it is waited for */
    children_before_ms = rusage_ms(RUSAGE_CHILDREN);
    pid = fork();
    if (pid == 0) {
        burn_ns(150 * MS);
        _exit(0);
    }
    CHECK(pid > 0, "fork");
    while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) != 0 && errno == EINTR)
        ;
    raw_times(&a);
    CHECK(children(&a) == children0, "a child's time before it was waited for: %ld",
          children(&a));
    CHECK(rusage_ms(RUSAGE_CHILDREN) == children_before_ms, "RUSAGE_CHILDREN before the wait");
    waitpid(pid, &status, 0);
    raw_times(&b);
    CHECK(children(&b) - children0 >= 12, "a waited-for child's 150 ms: %ld ticks",
          children(&b) - children0);
    CHECK(rusage_ms(RUSAGE_CHILDREN) >= children(&b) * 10 - 20 &&
          rusage_ms(RUSAGE_CHILDREN) <= children(&b) * 10 + 40,
          "RUSAGE_CHILDREN %lld ms, times %ld ticks", (long long)rusage_ms(RUSAGE_CHILDREN),
          children(&b));
    CHECK(busy(&b) - self_ticks < 12, "the child's time went to the parent's own");

    /* a grandchild's time, waited for by the child */
    raw_times(&a);
    pid = fork();
    if (pid == 0) {
        pid_t g = fork();

        if (g == 0) {
            burn_ns(150 * MS);
            _exit(0);
        }
        waitpid(g, NULL, 0);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    raw_times(&b);
    CHECK(children(&b) - children(&a) >= 12, "a grandchild's 150 ms: %ld ticks",
          children(&b) - children(&a));
    return check_result("times");
}
