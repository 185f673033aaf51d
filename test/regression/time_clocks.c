/* The clocks: every clock id clock_gettime(2) and clock_getres(2) accept
 * reads a valid time and a resolution (1 ns for the high-resolution
 * clocks, a tick for the coarse ones), bad ids give EINVAL and bad
 * pointers EFAULT; the monotonic and boot clocks never go back, also
 * when two threads read them in turns; the realtime clock agrees with
 * gettimeofday(2) and time(2) and reads a plausible date (the RTC's);
 * clock_settime(2) and settimeofday(2) check their values (EINVAL), need
 * privilege (EPERM for another user), move CLOCK_REALTIME and only it,
 * and keep the time zone.  Raw system calls are used where a bad pointer
 * is passed (the C library would go through the vDSO and fault). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "check.h"

#define NS 1000000000LL
#define MS 1000000LL
#define BAD_PTR ((void *)8)
#define KERNEL_PTR ((void *)0xffffffff80000000UL)
#define NOBODY 65534
#define CLOCK_SGI_CYCLE 10

static int64_t ns_of(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * NS + ts->tv_nsec;
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

/* A raw system call: its result, or -errno. */
static long raw(long nr, long a, long b, long c)
{
    long r = syscall(nr, a, b, c);

    return r == -1 ? -errno : r;
}

static const struct {
    clockid_t id;
    const char *name;
    int hres; /* 1: 1 ns, 0: coarse (a tick), -1: CPU time */
} clocks[] = {
    { CLOCK_REALTIME, "REALTIME", 1 },
    { CLOCK_MONOTONIC, "MONOTONIC", 1 },
    { CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID", -1 },
    { CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID", -1 },
    { CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW", 1 },
    { CLOCK_REALTIME_COARSE, "REALTIME_COARSE", 0 },
    { CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE", 0 },
    { CLOCK_BOOTTIME, "BOOTTIME", 1 },
    { CLOCK_REALTIME_ALARM, "REALTIME_ALARM", 1 },
    { CLOCK_BOOTTIME_ALARM, "BOOTTIME_ALARM", 1 },
    { CLOCK_TAI, "TAI", 1 },
};
#define NCLOCKS (sizeof(clocks) / sizeof(clocks[0]))

static void check_ids(void)
{
    /* SGI_CYCLE, gaps, far ids; a file-descriptor clock of no file and
     * the CPU clock of no process */
    static const clockid_t invalid[] = {
        CLOCK_SGI_CYCLE, 12, 16, 1000, 0x7fffffff,
        (clockid_t)((~0U << 3) | 3), (clockid_t)((~99999U << 3) | 2),
    };
    struct timespec ts, res;

    printf("every clock id reads a time and a resolution\n");
    for (unsigned i = 0; i < NCLOCKS; i++) {
        ts.tv_sec = -5;
        ts.tv_nsec = -5;
        CHECK(raw(SYS_clock_gettime, clocks[i].id, (long)&ts, 0) == 0,
              "clock_gettime(%s) failed", clocks[i].name);
        CHECK(ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < NS,
              "clock_gettime(%s) = %lld.%09ld", clocks[i].name, (long long)ts.tv_sec,
              ts.tv_nsec);
        res.tv_sec = -1;
        res.tv_nsec = -1;
        CHECK(raw(SYS_clock_getres, clocks[i].id, (long)&res, 0) == 0,
              "clock_getres(%s) failed", clocks[i].name);
        if (clocks[i].hres > 0)
            CHECK(res.tv_sec == 0 && res.tv_nsec == 1,
                  "clock_getres(%s) = %lld.%09ld, expected 1 ns", clocks[i].name,
                  (long long)res.tv_sec, res.tv_nsec);
        else if (clocks[i].hres == 0)
            CHECK(res.tv_sec == 0 && res.tv_nsec >= 1000 && res.tv_nsec <= 10 * MS,
                  "clock_getres(%s) = %lld.%09ld, expected a tick", clocks[i].name,
                  (long long)res.tv_sec, res.tv_nsec);
        else
            CHECK(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 10 * MS,
                  "clock_getres(%s) = %lld.%09ld", clocks[i].name, (long long)res.tv_sec,
                  res.tv_nsec);
        /* the C library's answer (the vDSO's for most) is the same */
        CHECK(clock_getres(clocks[i].id, &ts) == 0 && ts.tv_sec == res.tv_sec &&
                  ts.tv_nsec == res.tv_nsec,
              "clock_getres(%s) through the C library differs", clocks[i].name);
        CHECK(raw(SYS_clock_getres, clocks[i].id, 0, 0) == 0,
              "clock_getres(%s, NULL) failed", clocks[i].name);
        CHECK(raw(SYS_clock_gettime, clocks[i].id, (long)BAD_PTR, 0) == -EFAULT,
              "clock_gettime(%s, bad pointer) did not give EFAULT", clocks[i].name);
        CHECK(raw(SYS_clock_gettime, clocks[i].id, (long)KERNEL_PTR, 0) == -EFAULT,
              "clock_gettime(%s, kernel pointer) did not give EFAULT", clocks[i].name);
        CHECK(raw(SYS_clock_getres, clocks[i].id, (long)BAD_PTR, 0) == -EFAULT,
              "clock_getres(%s, bad pointer) did not give EFAULT", clocks[i].name);
    }
    for (unsigned i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
        CHECK(raw(SYS_clock_gettime, invalid[i], (long)&ts, 0) == -EINVAL,
              "clock_gettime(%d) did not give EINVAL", (int)invalid[i]);
        CHECK(raw(SYS_clock_getres, invalid[i], (long)&res, 0) == -EINVAL,
              "clock_getres(%d) did not give EINVAL", (int)invalid[i]);
        errno = 0;
        CHECK(clock_gettime(invalid[i], &ts) == -1 && errno == EINVAL,
              "clock_gettime(%d) through the C library: errno %d", (int)invalid[i], errno);
    }
    /* the coarse clocks run no later than the fine ones */
    int64_t coarse = now_ns(CLOCK_MONOTONIC_COARSE), fine = now_ns(CLOCK_MONOTONIC);
    CHECK(coarse <= fine, "MONOTONIC_COARSE %lld after MONOTONIC %lld", (long long)coarse,
          (long long)fine);
    coarse = now_ns(CLOCK_REALTIME_COARSE);
    fine = now_ns(CLOCK_REALTIME);
    CHECK(coarse <= fine, "REALTIME_COARSE %lld after REALTIME %lld", (long long)coarse,
          (long long)fine);
}

/* ---- never backwards ---- */

#define READS 20000
static int64_t shared_last[2]; /* per clock: the latest value read */
static int thread_failures;

static void *reader(void *arg)
{
    static const clockid_t ids[2] = { CLOCK_MONOTONIC, CLOCK_BOOTTIME };
    int64_t mine[2] = { 0, 0 };

    (void)arg;
    for (int i = 0; i < READS; i++) {
        int k = i & 1;
        int64_t seen = __atomic_load_n(&shared_last[k], __ATOMIC_ACQUIRE);
        int64_t t = now_ns(ids[k]), cur;

        /* after this thread's last read and after any value the other
         * thread published before we looked */
        if (t < mine[k] || t < seen) {
            __atomic_fetch_add(&thread_failures, 1, __ATOMIC_RELAXED);
            printf("FAIL: clock %d went back: %lld after %lld (own) / %lld (seen)\n",
                   (int)ids[k], (long long)t, (long long)mine[k], (long long)seen);
            break;
        }
        mine[k] = t;
        cur = __atomic_load_n(&shared_last[k], __ATOMIC_RELAXED);
        while (cur < t && !__atomic_compare_exchange_n(&shared_last[k], &cur, t, 0,
                                                        __ATOMIC_RELEASE,
                                                        __ATOMIC_RELAXED))
            ;
    }
    return NULL;
}

static void check_monotonic(void)
{
    pthread_t th;
    int64_t prev_m = 0, prev_b = 0;

    printf("the monotonic and boot clocks never go back\n");
    for (int i = 0; i < READS; i++) {
        int64_t m = now_ns(CLOCK_MONOTONIC), b = now_ns(CLOCK_BOOTTIME);

        CHECK(m >= prev_m && b >= prev_b && b >= m,
              "MONOTONIC %lld (was %lld), BOOTTIME %lld (was %lld)", (long long)m,
              (long long)prev_m, (long long)b, (long long)prev_b);
        if (m < prev_m || b < prev_b || b < m)
            break;
        prev_m = m;
        prev_b = b;
    }
    printf("... also from two threads in turns\n");
    CHECK(pthread_create(&th, NULL, reader, NULL) == 0, "pthread_create failed");
    reader(NULL);
    pthread_join(th, NULL);
    failures += thread_failures;
}

/* ---- the wall clock ---- */

static void check_realtime(void)
{
    struct timeval tv;
    struct tm tm;
    time_t t, stored = 0;
    int64_t r0, r1, g;

    printf("realtime agrees with gettimeofday and time, and has a plausible date\n");
    r0 = now_ns(CLOCK_REALTIME);
    CHECK(gettimeofday(&tv, NULL) == 0, "gettimeofday errno %d", errno);
    t = time(&stored);
    r1 = now_ns(CLOCK_REALTIME);
    g = (int64_t)tv.tv_sec * NS + tv.tv_usec * 1000LL;
    CHECK(r1 >= r0, "REALTIME went back with nobody setting it");
    CHECK(g >= r0 - NS && g <= r1 + NS, "gettimeofday %lld.%06ld, REALTIME [%lld, %lld]",
          (long long)tv.tv_sec, (long)tv.tv_usec, (long long)r0, (long long)r1);
    CHECK(t == stored, "time() returned %lld, stored %lld", (long long)t, (long long)stored);
    CHECK(t >= r0 / NS - 1 && t <= r1 / NS + 1, "time() %lld, REALTIME [%lld, %lld] s",
          (long long)t, (long long)(r0 / NS), (long long)(r1 / NS));
    CHECK(gmtime_r(&t, &tm) != NULL, "gmtime failed");
    CHECK(tm.tm_year + 1900 >= 2025 && tm.tm_year + 1900 < 2200,
          "the year is %d", tm.tm_year + 1900);
    /* TAI has no leap-second offset set: it reads the realtime clock */
    r0 = now_ns(CLOCK_REALTIME);
    g = now_ns(CLOCK_TAI);
    r1 = now_ns(CLOCK_REALTIME);
    CHECK(g >= r0 && g <= r1, "TAI %lld outside [%lld, %lld]", (long long)g,
          (long long)r0, (long long)r1);
}

/* ---- setting the time ---- */

static void check_set_invalid(void)
{
    struct timespec ts = { 1000, 0 };
    static const struct timespec bad[] = {
        { 1000, 1000000000 }, { 1000, -1 }, { -1, 0 }, { 0x7fffffffffffffffLL, 0 },
    };
    struct timeval tv = { 1000, 1000001 };

    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK(raw(SYS_clock_settime, CLOCK_REALTIME, (long)&bad[i], 0) == -EINVAL,
              "clock_settime(REALTIME, {%lld, %ld}) did not give EINVAL",
              (long long)bad[i].tv_sec, bad[i].tv_nsec);
    /* clocks that cannot be set, and ids that are no clock */
    CHECK(raw(SYS_clock_settime, CLOCK_MONOTONIC, (long)&ts, 0) == -EINVAL,
          "clock_settime(MONOTONIC) did not give EINVAL");
    CHECK(raw(SYS_clock_settime, CLOCK_BOOTTIME, (long)&ts, 0) == -EINVAL,
          "clock_settime(BOOTTIME) did not give EINVAL");
    CHECK(raw(SYS_clock_settime, CLOCK_TAI, (long)&ts, 0) == -EINVAL,
          "clock_settime(TAI) did not give EINVAL");
    CHECK(raw(SYS_clock_settime, CLOCK_REALTIME_COARSE, (long)&ts, 0) == -EINVAL,
          "clock_settime(REALTIME_COARSE) did not give EINVAL");
    CHECK(raw(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, (long)&ts, 0) == -EINVAL,
          "clock_settime(PROCESS_CPUTIME_ID) did not give EINVAL");
    CHECK(raw(SYS_clock_settime, 12, (long)&ts, 0) == -EINVAL,
          "clock_settime(12) did not give EINVAL");
    CHECK(raw(SYS_clock_settime, CLOCK_MONOTONIC, (long)BAD_PTR, 0) == -EINVAL,
          "clock_settime(MONOTONIC, bad pointer) did not give EINVAL");
    CHECK(raw(SYS_clock_settime, CLOCK_REALTIME, (long)BAD_PTR, 0) == -EFAULT,
          "clock_settime(REALTIME, bad pointer) did not give EFAULT");
    CHECK(raw(SYS_settimeofday, (long)&tv, 0, 0) == -EINVAL,
          "settimeofday(usec 1000001) did not give EINVAL");
    tv.tv_usec = -1;
    CHECK(raw(SYS_settimeofday, (long)&tv, 0, 0) == -EINVAL,
          "settimeofday(usec -1) did not give EINVAL");
    tv.tv_sec = -1;
    tv.tv_usec = 0;
    CHECK(raw(SYS_settimeofday, (long)&tv, 0, 0) == -EINVAL,
          "settimeofday(sec -1) did not give EINVAL");
    CHECK(raw(SYS_settimeofday, (long)BAD_PTR, 0, 0) == -EFAULT,
          "settimeofday(bad tv) did not give EFAULT");
    CHECK(raw(SYS_settimeofday, 0, (long)BAD_PTR, 0) == -EFAULT,
          "settimeofday(bad tz) did not give EFAULT");
}

/* As another user: the checks of the values come first, then EPERM. */
static int unprivileged_child(void)
{
    struct timespec ts;
    struct timeval tv;
    struct timezone tz = { 0, 0 };
    clockid_t cpu;

    failures = 0; /* the parent's are its own */
    if (setgid(NOBODY) != 0 || setuid(NOBODY) != 0) {
        printf("FAIL: cannot become user %d: errno %d\n", NOBODY, errno);
        return 1;
    }
    check_set_invalid();
    clock_gettime(CLOCK_REALTIME, &ts);
    CHECK(raw(SYS_clock_settime, CLOCK_REALTIME, (long)&ts, 0) == -EPERM,
          "clock_settime(REALTIME) as user %d did not give EPERM", NOBODY);
    gettimeofday(&tv, NULL);
    CHECK(raw(SYS_settimeofday, (long)&tv, 0, 0) == -EPERM,
          "settimeofday(tv) as user %d did not give EPERM", NOBODY);
    CHECK(raw(SYS_settimeofday, 0, (long)&tz, 0) == -EPERM,
          "settimeofday(tz) as user %d did not give EPERM", NOBODY);
    CHECK(raw(SYS_settimeofday, 0, 0, 0) == -EPERM,
          "settimeofday(NULL, NULL) as user %d did not give EPERM", NOBODY);
    errno = 0;
    CHECK(clock_settime(CLOCK_REALTIME, &ts) == -1 && errno == EPERM,
          "clock_settime through the C library: errno %d", errno);
    /* a CPU clock is never set */
    CHECK(clock_getcpuclockid(0, &cpu) == 0 &&
              raw(SYS_clock_settime, cpu, (long)&ts, 0) == -EPERM,
          "clock_settime(own CPU clock) did not give EPERM");
    return failures ? 1 : 0;
}

static void check_set_privileged(void)
{
    struct timespec ts, back;
    struct timeval tv;
    struct timezone tz = { 0, 1 }, got = { 7, 7 }, zero = { 0, 0 };
    int64_t m0, m1, r0, r1, t;
    clockid_t cpu;
    pid_t child;
    int status;

    printf("setting the time: EINVAL for bad values, EPERM for another user\n");
    check_set_invalid();
    child = fork();
    if (child == 0)
        _exit(unprivileged_child());
    CHECK(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "the unprivileged checks failed (status %#x)", status);

    printf("root moves the realtime clock, and only it\n");
    CHECK(clock_getcpuclockid(0, &cpu) == 0, "clock_getcpuclockid failed");
    clock_gettime(CLOCK_REALTIME, &ts);
    CHECK(raw(SYS_clock_settime, cpu, (long)&ts, 0) == -EPERM,
          "clock_settime(own CPU clock) as root did not give EPERM");
    m0 = now_ns(CLOCK_MONOTONIC);
    r0 = now_ns(CLOCK_REALTIME);
    ts.tv_sec = r0 / NS + 1000;
    ts.tv_nsec = r0 % NS;
    CHECK(clock_settime(CLOCK_REALTIME, &ts) == 0, "clock_settime(+1000 s) errno %d", errno);
    r1 = now_ns(CLOCK_REALTIME);
    CHECK(raw(SYS_clock_gettime, CLOCK_REALTIME, (long)&back, 0) == 0,
          "clock_gettime(REALTIME) failed");
    m1 = now_ns(CLOCK_MONOTONIC);
    CHECK(r1 >= r0 + 1000 * NS && r1 < r0 + 1000 * NS + (m1 - m0) + NS,
          "REALTIME %lld after setting it to %lld", (long long)r1,
          (long long)(r0 + 1000 * NS));
    CHECK(ns_of(&back) >= r1, "the system call's REALTIME %lld is behind %lld",
          (long long)ns_of(&back), (long long)r1);
    CHECK(m1 - m0 < 900 * NS, "MONOTONIC jumped with REALTIME: %lld ns",
          (long long)(m1 - m0));
    t = time(NULL);
    CHECK(t >= r1 / NS - 1, "time() %lld did not follow REALTIME %lld", (long long)t,
          (long long)(r1 / NS));
    CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec >= r1 / NS - 1,
          "gettimeofday %lld did not follow REALTIME", (long long)tv.tv_sec);
    /* back with settimeofday */
    r1 = now_ns(CLOCK_REALTIME) - 1000 * NS;
    tv.tv_sec = r1 / NS;
    tv.tv_usec = r1 % NS / 1000;
    CHECK(settimeofday(&tv, NULL) == 0, "settimeofday errno %d", errno);
    r1 = now_ns(CLOCK_REALTIME);
    CHECK(r1 >= tv.tv_sec * NS && r1 < r0 + 100 * NS,
          "REALTIME %lld after setting it back to %lld", (long long)r1,
          (long long)tv.tv_sec * NS);
    /* the time zone is kept (no minutes west: no clock shift); the C
     * library leaves time zones alone, so these are system calls */
    CHECK(raw(SYS_settimeofday, 0, 0, 0) == 0, "settimeofday(NULL, NULL) as root failed");
    CHECK(raw(SYS_settimeofday, 0, (long)&tz, 0) == 0, "settimeofday(tz) failed");
    CHECK(raw(SYS_gettimeofday, 0, (long)&got, 0) == 0 && got.tz_minuteswest == 0 &&
              got.tz_dsttime == 1,
          "gettimeofday tz %d/%d, set 0/1", got.tz_minuteswest, got.tz_dsttime);
    tz.tz_minuteswest = 16 * 60;
    CHECK(raw(SYS_settimeofday, 0, (long)&tz, 0) == -EINVAL,
          "settimeofday(16 hours west) did not give EINVAL");
    CHECK(raw(SYS_settimeofday, 0, (long)&zero, 0) == 0, "settimeofday(tz 0) failed");
    CHECK(raw(SYS_gettimeofday, 0, (long)&got, 0) == 0 && got.tz_minuteswest == 0 &&
              got.tz_dsttime == 0,
          "gettimeofday tz %d/%d, set 0/0", got.tz_minuteswest, got.tz_dsttime);
}

int main(void)
{
    check_ids();
    check_monotonic();
    check_realtime();
    check_set_privileged();
    return check_result("time_clocks");
}
