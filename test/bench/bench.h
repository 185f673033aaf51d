/* Shared by the benchmark programs: the clock, the calibration of the
 * iteration count, and the result lines that tools/bench/harness.py reads.
 *
 * Each program measures one item, chosen by its arguments, and prints one
 * line:
 *	bench NAME VALUE UNIT		(UNIT is "us" per operation, or "MB/s")
 *	bench NAME unsupported WHY	(the kernel lacks what the item needs)
 * and exits 0, or 2 after an "unsupported" line.  Any other exit is a
 * failure that the runner reports for it.
 *
 * The time source is CLOCK_MONOTONIC.  An item is a function that performs
 * N operations and returns the seconds they took (setup left out);
 * bench_measure() grows N until one call takes a quarter of the target
 * time (BENCH_MS in the environment, 300 ms by default), then measures
 * three times with N scaled to half the target and keeps the median (the
 * host is shared: one disturbed run does not count).  Under QEMU without
 * KVM an item therefore takes under a second whatever the speed of the
 * kernel.  A measurement lasts at least ten ticks of the clock
 * (clock_getres: 10 ms on Trellis today, 1 ns on Linux). */
#ifndef BENCH_H
#define BENCH_H
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* An item: perform @n operations, return the seconds they took, or a
 * negative value after printing an "unsupported" line. */
typedef double (*bench_fn)(long n, void *arg);

#define BENCH_RUNS 3

static inline double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline double bench_target(void)
{
    const char *ms = getenv("BENCH_MS");
    double t = ms ? atof(ms) / 1000.0 : 0.3;

    return t > 0 ? t : 0.3;
}

static inline void bench_report(const char *name, double value,
                                const char *unit)
{
    printf("bench %s %.4f %s\n", name, value, unit);
    fflush(stdout);
}

/* The symbolic name of the errno values a missing feature gives. */
static inline const char *bench_errname(int err)
{
    static char other[24];

    switch (err) {
    case 0: return "no-error";
    case ENOSYS: return "ENOSYS";
    case EINVAL: return "EINVAL";
    case ENODEV: return "ENODEV";
    case ENXIO: return "ENXIO";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    case ENOTTY: return "ENOTTY";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ENETUNREACH: return "ENETUNREACH";
    case EAGAIN: return "EAGAIN";
    case EINTR: return "EINTR";
    }
    snprintf(other, sizeof(other), "errno-%d", err);
    return other;
}

/* Print the "unsupported" line for @name: @what failed with @err. */
static inline void bench_unsupported(const char *name, const char *what,
                                     int err)
{
    printf("bench %s unsupported %s:%s\n", name, what, bench_errname(err));
    fflush(stdout);
}

/* Exit after an unsupported item, as the runner expects. */
static inline void bench_unsupported_exit(const char *name, const char *what,
                                          int err)
{
    bench_unsupported(name, what, err);
    exit(2);
}

/* The resolution of CLOCK_MONOTONIC in seconds. */
static inline double bench_resolution(void)
{
    struct timespec ts;

    if (clock_getres(CLOCK_MONOTONIC, &ts) || (!ts.tv_sec && !ts.tv_nsec))
        return 1e-9;
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds per operation of @fn, or a negative value if it gave up. */
static inline double bench_measure(bench_fn fn, void *arg)
{
    double target = bench_target(), res = bench_resolution();
    double t, runs[BENCH_RUNS], cal, run_time;
    long n = 1, n_cal;

    /* a measurement lasts at least ten ticks of a coarse clock */
    run_time = target / 2 > 10 * res ? target / 2 : 10 * res;
    for (;;) {
        t = fn(n, arg);
        if (t < 0)
            return t;
        if (t >= run_time / 2 || n >= (1L << 40))
            break;
        n *= t < run_time / 50 ? 8 : 2;
    }
    cal = t;
    n_cal = n;
    /* BENCH_RUNS measurements of half the target each; the median is
     * kept: one run disturbed by the host's other work does not count,
     * and a coarse clock's rounding does not favour the kernel */
    n = (long)(n * (run_time / (t > 0 ? t : run_time)));
    if (n < 1)
        n = 1;
    for (int run = 0; run < BENCH_RUNS; run++) {
        runs[run] = fn(n, arg);
        if (runs[run] < 0)
            return runs[run];
        for (int j = run; j > 0 && runs[j] < runs[j - 1]; j--) {
            t = runs[j];
            runs[j] = runs[j - 1];
            runs[j - 1] = t;
        }
    }
    if (runs[BENCH_RUNS / 2] <= 0)	/* too fast for the clock */
        return cal > 0 ? cal / n_cal : res / n;
    return runs[BENCH_RUNS / 2] / n;
}

/* Measure @fn and print its latency in microseconds per operation (or
 * that it failed: an operation gave up with errno set); the exit status. */
static inline int bench_latency(const char *name, bench_fn fn, void *arg)
{
    double s = bench_measure(fn, arg);

    if (s < 0) {
        bench_unsupported(name, "measure", errno);
        return 2;
    }
    bench_report(name, s * 1e6, "us");
    return 0;
}

/* Measure @fn, whose operations move @bytes each, as MB/s (10^6 bytes),
 * like bench_latency(). */
static inline int bench_bandwidth(const char *name, bench_fn fn, void *arg,
                                  size_t bytes)
{
    double s = bench_measure(fn, arg);

    if (s < 0) {
        bench_unsupported(name, "measure", errno);
        return 2;
    }
    bench_report(name, bytes / s / 1e6, "MB/s");
    return 0;
}

/* The item named on the command line, or a usage error. */
static inline const char *bench_item(int argc, char **argv, const char *usage)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s %s\n", argv[0], usage);
        exit(1);
    }
    return argv[1];
}
#endif
