/* Clocks and sleeps: every clock of clock_gettime(2) reads a valid time,
 * clocks advance across nanosleep(2) by at least the time slept, sleeps
 * (relative and TIMER_ABSTIME) last at least what was asked, bad
 * timespecs give EINVAL and bad pointers EFAULT, clock_getres(2) reports
 * a resolution of at most 10 ms, and gettimeofday(2) and time(2) agree
 * with CLOCK_REALTIME.  Raw system calls are used where a bad pointer is
 * passed (the C library would go through the vDSO and fault). */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "check.h"

#define MS 1000000LL
#define BAD_PTR ((void *)8)
#define KERNEL_PTR ((void *)0xffffffff80000000UL)

static int64_t ns_of(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static int64_t now_ns(clockid_t clk)
{
    struct timespec ts;

    if (clock_gettime(clk, &ts) != 0) {
        printf("FAIL: clock_gettime(%d) errno %d\n", (int)clk, errno);
        failures++;
        return 0;
    }
    return ns_of(&ts);
}

/* A raw system call: its result, or -errno. */
static long raw(long nr, long a, long b, long c, long d)
{
    long r = syscall(nr, a, b, c, d);

    return r == -1 ? -errno : r;
}

static void check_clocks(void)
{
    static const struct { clockid_t id; const char *name; } clocks[] = {
        { CLOCK_REALTIME, "REALTIME" },
        { CLOCK_MONOTONIC, "MONOTONIC" },
        { CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID" },
        { CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID" },
        { CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW" },
        { CLOCK_REALTIME_COARSE, "REALTIME_COARSE" },
        { CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE" },
        { CLOCK_BOOTTIME, "BOOTTIME" },
        { CLOCK_TAI, "TAI" },
    };
    static const clockid_t invalid[] = { 10 /* SGI_CYCLE */, 12, 15, 16, 1000 };
    struct timespec ts, res;
    clockid_t cpu;

    for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
        ts.tv_sec = -5;
        ts.tv_nsec = -5;
        CHECK(raw(SYS_clock_gettime, clocks[i].id, (long)&ts, 0, 0) == 0,
              "clock_gettime(%s) failed", clocks[i].name);
        CHECK(ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000,
              "clock_gettime(%s) = %lld.%09ld", clocks[i].name,
              (long long)ts.tv_sec, ts.tv_nsec);
        res.tv_sec = -1;
        res.tv_nsec = -1;
        CHECK(raw(SYS_clock_getres, clocks[i].id, (long)&res, 0, 0) == 0,
              "clock_getres(%s) failed", clocks[i].name);
        CHECK(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 10 * MS,
              "clock_getres(%s) = %lld.%09ld, expected (0, 10 ms]",
              clocks[i].name, (long long)res.tv_sec, res.tv_nsec);
        CHECK(raw(SYS_clock_getres, clocks[i].id, 0, 0, 0) == 0,
              "clock_getres(%s, NULL) failed", clocks[i].name);
        CHECK(raw(SYS_clock_gettime, clocks[i].id, (long)BAD_PTR, 0, 0) == -EFAULT,
              "clock_gettime(%s, bad pointer) did not give EFAULT", clocks[i].name);
        CHECK(raw(SYS_clock_gettime, clocks[i].id, (long)KERNEL_PTR, 0, 0) == -EFAULT,
              "clock_gettime(%s, kernel pointer) did not give EFAULT", clocks[i].name);
        CHECK(raw(SYS_clock_getres, clocks[i].id, (long)BAD_PTR, 0, 0) == -EFAULT,
              "clock_getres(%s, bad pointer) did not give EFAULT", clocks[i].name);
    }
    for (unsigned i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
        CHECK(raw(SYS_clock_gettime, invalid[i], (long)&ts, 0, 0) == -EINVAL,
              "clock_gettime(%d) did not give EINVAL", (int)invalid[i]);
        CHECK(raw(SYS_clock_getres, invalid[i], (long)&res, 0, 0) == -EINVAL,
              "clock_getres(%d) did not give EINVAL", (int)invalid[i]);
    }
    /* the process's CPU clock by id (pid 0 and its own pid) */
    CHECK(clock_getcpuclockid(0, &cpu) == 0, "clock_getcpuclockid(0) failed");
    CHECK(clock_gettime(cpu, &ts) == 0, "clock_gettime(cpu clock of 0) errno %d", errno);
    CHECK(clock_getcpuclockid(getpid(), &cpu) == 0, "clock_getcpuclockid(self) failed");
    CHECK(clock_gettime(cpu, &ts) == 0, "clock_gettime(own cpu clock) errno %d", errno);
    /* another process's CPU clock, and one of no process */
    pid_t child = fork();
    if (child == 0) {
        struct timespec nap = { 0, 200 * MS };

        nanosleep(&nap, NULL);
        _exit(0);
    }
    CHECK(child > 0, "fork errno %d", errno);
    CHECK(clock_getcpuclockid(child, &cpu) == 0 && clock_gettime(cpu, &ts) == 0,
          "the child's CPU clock cannot be read");
    waitpid(child, NULL, 0);
    cpu = (clockid_t)((-99999 - 1) * 8U + 2); /* the CPU clock of pid 99999 */
    CHECK(raw(SYS_clock_getres, cpu, (long)&res, 0, 0) == -EINVAL,
          "the CPU clock of no process did not give EINVAL");
    CHECK(raw(SYS_clock_gettime, cpu, (long)&ts, 0, 0) == -EINVAL,
          "reading the CPU clock of no process did not give EINVAL");
    /* the boot clock never runs behind the monotonic one */
    int64_t mono = now_ns(CLOCK_MONOTONIC), boot = now_ns(CLOCK_BOOTTIME);
    CHECK(boot >= mono, "BOOTTIME %lld behind MONOTONIC %lld", (long long)boot,
          (long long)mono);
}

static void check_advance(void)
{
    static const clockid_t ids[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME,
                                     CLOCK_MONOTONIC_RAW, CLOCK_PROCESS_CPUTIME_ID };
    int64_t before[5], after[5], prev = 0;
    struct timespec req = { 0, 30 * MS };

    for (int i = 0; i < 5; i++)
        before[i] = now_ns(ids[i]);
    CHECK(nanosleep(&req, NULL) == 0, "nanosleep(30 ms) errno %d", errno);
    for (int i = 0; i < 5; i++)
        after[i] = now_ns(ids[i]);
    /* a sleeping process uses no CPU: only its wall-clock-like clocks */
    for (int i = 0; i < 4; i++)
        CHECK(after[i] - before[i] >= 30 * MS,
              "clock %d advanced %lld ns across a 30 ms sleep", (int)ids[i],
              (long long)(after[i] - before[i]));
    CHECK(after[4] >= before[4], "the CPU clock went back");
    /* never backwards, over many reads */
    for (int i = 0; i < 1000; i++) {
        int64_t t = now_ns(CLOCK_MONOTONIC);

        CHECK(t >= prev, "CLOCK_MONOTONIC went back: %lld then %lld",
              (long long)prev, (long long)t);
        if (t < prev)
            break;
        prev = t;
    }
}

static void check_sleeps(void)
{
    static const long asked[] = { 1 * MS, 15 * MS, 50 * MS };
    struct timespec req, rem, abs;
    int64_t t0, t1, deadline;
    int err;

    for (unsigned i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
        req.tv_sec = 0;
        req.tv_nsec = asked[i];
        rem.tv_sec = 77;
        t0 = now_ns(CLOCK_MONOTONIC);
        CHECK(nanosleep(&req, &rem) == 0, "nanosleep errno %d", errno);
        t1 = now_ns(CLOCK_MONOTONIC);
        CHECK(t1 - t0 >= asked[i], "nanosleep(%ld ns) lasted %lld ns", asked[i],
              (long long)(t1 - t0));
        CHECK(t1 - t0 < 2000 * MS, "nanosleep(%ld ns) lasted %lld ns", asked[i],
              (long long)(t1 - t0));
        CHECK(rem.tv_sec == 77, "nanosleep wrote rem without being interrupted");
    }
    /* zero: returns at once */
    req.tv_sec = 0;
    req.tv_nsec = 0;
    CHECK(nanosleep(&req, NULL) == 0, "nanosleep(0) errno %d", errno);

    /* clock_nanosleep, relative, on the clocks it sleeps on */
    req.tv_nsec = 20 * MS;
    t0 = now_ns(CLOCK_MONOTONIC);
    err = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
    t1 = now_ns(CLOCK_MONOTONIC);
    CHECK(err == 0 && t1 - t0 >= 20 * MS, "clock_nanosleep(MONOTONIC, 20 ms): %d, %lld ns",
          err, (long long)(t1 - t0));
    t0 = now_ns(CLOCK_MONOTONIC);
    err = clock_nanosleep(CLOCK_REALTIME, 0, &req, NULL);
    t1 = now_ns(CLOCK_MONOTONIC);
    CHECK(err == 0 && t1 - t0 >= 20 * MS, "clock_nanosleep(REALTIME, 20 ms): %d, %lld ns",
          err, (long long)(t1 - t0));
    t0 = now_ns(CLOCK_MONOTONIC);
    err = clock_nanosleep(CLOCK_BOOTTIME, 0, &req, NULL);
    t1 = now_ns(CLOCK_MONOTONIC);
    CHECK(err == 0 && t1 - t0 >= 20 * MS, "clock_nanosleep(BOOTTIME, 20 ms): %d, %lld ns",
          err, (long long)(t1 - t0));

    /* TIMER_ABSTIME: until the clock reads the deadline */
    deadline = now_ns(CLOCK_MONOTONIC) + 40 * MS;
    abs.tv_sec = deadline / 1000000000LL;
    abs.tv_nsec = deadline % 1000000000LL;
    err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
    t1 = now_ns(CLOCK_MONOTONIC);
    CHECK(err == 0 && t1 >= deadline, "absolute MONOTONIC sleep: %d, %lld ns early", err,
          (long long)(deadline - t1));
    deadline = now_ns(CLOCK_REALTIME) + 40 * MS;
    abs.tv_sec = deadline / 1000000000LL;
    abs.tv_nsec = deadline % 1000000000LL;
    err = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL);
    t1 = now_ns(CLOCK_REALTIME);
    CHECK(err == 0 && t1 >= deadline, "absolute REALTIME sleep: %d, %lld ns early", err,
          (long long)(deadline - t1));
    /* a deadline already past returns at once */
    abs.tv_sec = 0;
    abs.tv_nsec = 5;
    t0 = now_ns(CLOCK_MONOTONIC);
    err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
    t1 = now_ns(CLOCK_MONOTONIC);
    CHECK(err == 0 && t1 - t0 < 1000 * MS, "past absolute deadline: %d, %lld ns", err,
          (long long)(t1 - t0));
}

static void check_errors(void)
{
    static const struct timespec bad[] = {
        { 0, 1000000000 }, { 0, -1 }, { -1, 0 }, { -1, 500 }, { 1, 2000000000 },
    };
    struct timespec ok = { 0, 1000 }, rem;

    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK(raw(SYS_nanosleep, (long)&bad[i], 0, 0, 0) == -EINVAL,
              "nanosleep({%lld, %ld}) did not give EINVAL", (long long)bad[i].tv_sec,
              bad[i].tv_nsec);
        CHECK(raw(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)&bad[i], 0) == -EINVAL,
              "clock_nanosleep({%lld, %ld}) did not give EINVAL",
              (long long)bad[i].tv_sec, bad[i].tv_nsec);
        CHECK(raw(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, (long)&bad[i], 0) ==
                  -EINVAL,
              "absolute clock_nanosleep({%lld, %ld}) did not give EINVAL",
              (long long)bad[i].tv_sec, bad[i].tv_nsec);
    }
    CHECK(raw(SYS_nanosleep, 0, 0, 0, 0) == -EFAULT, "nanosleep(NULL) did not give EFAULT");
    CHECK(raw(SYS_nanosleep, (long)BAD_PTR, (long)&rem, 0, 0) == -EFAULT,
          "nanosleep(bad pointer) did not give EFAULT");
    CHECK(raw(SYS_nanosleep, (long)KERNEL_PTR, 0, 0, 0) == -EFAULT,
          "nanosleep(kernel pointer) did not give EFAULT");
    CHECK(raw(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, 0, 0) == -EFAULT,
          "clock_nanosleep(NULL) did not give EFAULT");
    /* clocks it cannot sleep on, and clocks that do not exist */
    CHECK(raw(SYS_clock_nanosleep, 12, 0, (long)&ok, 0) == -EINVAL,
          "clock_nanosleep(clock 12) did not give EINVAL");
    CHECK(raw(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, (long)&ok, 0) == -EOPNOTSUPP,
          "clock_nanosleep(MONOTONIC_RAW) did not give EOPNOTSUPP");
    CHECK(raw(SYS_clock_nanosleep, CLOCK_MONOTONIC_COARSE, 0, (long)&ok, 0) == -EOPNOTSUPP,
          "clock_nanosleep(MONOTONIC_COARSE) did not give EOPNOTSUPP");
    CHECK(raw(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, (long)&ok, 0) == -EOPNOTSUPP,
          "clock_nanosleep(THREAD_CPUTIME_ID) did not give EOPNOTSUPP");
    /* the C library returns the error instead of setting errno */
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad[0], NULL) == EINVAL,
          "clock_nanosleep() did not return EINVAL");
}

static void check_realtime_calls(void)
{
    struct timeval tv;
    struct timezone tz = { 99, 99 };
    time_t t, stored = 0;
    int64_t rt0, rt1;

    rt0 = now_ns(CLOCK_REALTIME);
    CHECK(raw(SYS_gettimeofday, (long)&tv, (long)&tz, 0, 0) == 0,
          "gettimeofday failed");
    t = raw(SYS_time, (long)&stored, 0, 0, 0);
    rt1 = now_ns(CLOCK_REALTIME);
    CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000, "tv_usec %ld", (long)tv.tv_usec);
    CHECK((int64_t)tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL >= rt0 - 1000 &&
              (int64_t)tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL <= rt1,
          "gettimeofday %lld.%06ld outside [%lld, %lld] ns", (long long)tv.tv_sec,
          (long)tv.tv_usec, (long long)rt0, (long long)rt1);
    CHECK(t == stored, "time() returned %lld but stored %lld", (long long)t,
          (long long)stored);
    CHECK(t >= rt0 / 1000000000LL && t <= rt1 / 1000000000LL,
          "time() %lld outside [%lld, %lld]", (long long)t,
          (long long)(rt0 / 1000000000LL), (long long)(rt1 / 1000000000LL));
    /* the realtime clock reads a date after 2020 */
    CHECK(t > 1577836800, "time() %lld is before 2020", (long long)t);
    /* NULL arguments are fine, bad ones fault */
    CHECK(raw(SYS_gettimeofday, 0, 0, 0, 0) == 0, "gettimeofday(NULL, NULL) failed");
    CHECK(raw(SYS_time, 0, 0, 0, 0) > 0, "time(NULL) failed");
    CHECK(raw(SYS_gettimeofday, (long)BAD_PTR, 0, 0, 0) == -EFAULT,
          "gettimeofday(bad tv) did not give EFAULT");
    CHECK(raw(SYS_gettimeofday, (long)&tv, (long)BAD_PTR, 0, 0) == -EFAULT,
          "gettimeofday(bad tz) did not give EFAULT");
    CHECK(raw(SYS_time, (long)BAD_PTR, 0, 0, 0) == -EFAULT, "time(bad) did not give EFAULT");
}

int main(void)
{
    check_clocks();
    check_advance();
    check_sleeps();
    check_errors();
    check_realtime_calls();
    return check_result("time_basic");
}
