/* Shared by the programs about clocks and timers: a clock's time in ns,
 * and setting the wall clock (clock_settime, which needs privilege). */
#ifndef TIME_UTIL_H
#define TIME_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#define MS 1000000LL
#define SEC 1000000000LL

static inline int64_t now_ns(clockid_t clk)
{
    struct timespec ts;

    clock_gettime(clk, &ts);
    return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

/* clock_settime(CLOCK_REALTIME) to @ns: 0 or -errno. */
static inline long set_realtime(int64_t ns)
{
    struct timespec ts = { ns / SEC, ns % SEC };
    long r = syscall(SYS_clock_settime, CLOCK_REALTIME, &ts);

    return r == -1 ? -errno : r;
}
#endif
