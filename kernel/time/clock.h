/*
 * The clocks of clock_gettime() and friends, read from the frame's
 * monotonic clock, and the conversions of user timespecs.
 *
 * Every clock is the monotonic clock plus an offset:
 *   CLOCK_MONOTONIC, _RAW, _COARSE, CLOCK_BOOTTIME(_ALARM): no offset
 *     (the machine never suspends);
 *   CLOCK_REALTIME, _COARSE, _ALARM, CLOCK_TAI: the wall clock, from the
 *     battery-backed clock the frame read at boot
 *     (fr_rtc_boot_realtime_ns), or REALTIME_EPOCH_SEC at boot when it
 *     has none (with a log line); clock_settime and settimeofday move it
 *     (clock_set_realtime); TAI has no leap-second offset;
 *   CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID and the CPU clocks
 *     by id (negative ids: any process, a thread of the caller's
 *     process): the processor time of time/cputime.h.
 * The coarse clocks read the time of the last tick (the monotonic clock
 * rounded down to 1 / FR_TICK_HZ s).  Resolution: the frame's timer
 * resolution (1 ns with a TSC and one-shot timer events) for the
 * monotonic and realtime clocks, the tick for the coarse and CPU clocks.
 * The vDSO computes the same values from the same offset, which
 * clock_set_realtime() publishes to it.
 */
#ifndef KERNEL_TIME_CLOCK_H
#define KERNEL_TIME_CLOCK_H

#include <frame/types.h>
#include <frame/user.h>
#include <linux/time_types.h>

/* Realtime at boot without a usable RTC: 2025-01-01 00:00:00 UTC. */
#define REALTIME_EPOCH_SEC 1735689600ULL
/* The latest wall-clock time that may be set (Linux's
 * TIME_SETTOD_SEC_MAX: KTIME_SEC_MAX less 30 years of uptime). */
#define REALTIME_SET_MAX_SEC (9223372036LL - 946080000LL)

/*
 * clock_setup - start the wall clock from the RTC's time at boot, or from
 * REALTIME_EPOCH_SEC, and publish it to the vDSO.  Context: boot, once.
 */
void clock_setup(void);

/*
 * clock_set_realtime - make CLOCK_REALTIME read @ns now (the caller has
 * checked the value and the permission).  Context: any.
 */
void clock_set_realtime(uint64_t ns);

/*
 * clock_offset - @clockid's value minus the monotonic clock, in ns (0 for
 * the CPU-time clocks, which are no such offset: only clock_read() reads
 * them).  Returns 0, or -EINVAL for a clock that does not exist.
 */
int clock_offset(int clockid, int64_t *off) FR_MUST_CHECK;

/* clock_read - @clockid's time in ns.  Returns 0 or -EINVAL. */
int clock_read(int clockid, uint64_t *ns) FR_MUST_CHECK;

/* clock_resolution - the resolution of @clockid.  0 or -EINVAL. */
int clock_resolution(int clockid, uint64_t *ns) FR_MUST_CHECK;

/*
 * clock_to_monotonic - the monotonic deadline at which @clockid reads
 * @t (0 when already past; KTIME_NEVER when beyond the monotonic range).
 * @clockid must be valid.
 */
uint64_t clock_to_monotonic(int clockid, uint64_t t);

/*
 * clock_offset_to_monotonic - the same for a clock whose offset
 * (clock_offset()) is @off.
 */
uint64_t clock_offset_to_monotonic(uint64_t t, int64_t off);

/*
 * clock_sleep_until - sleep until @clockid (not a CPU clock) reads @t,
 * following the changes of the wall clock (clock_set_realtime()) as
 * Linux's absolute CLOCK_REALTIME sleeps do.  Returns 0, -EINVAL for a
 * clock that does not exist, or -EINTR when the thread has a signal to
 * take.  Context: task context.
 */
int clock_sleep_until(int clockid, uint64_t t);

/* clock_is_cpu - whether @clockid is a CPU-time clock (valid or not). */
bool clock_is_cpu(int clockid);

/* clock_is_thread_cpu - whether @clockid is a thread's CPU-time clock. */
bool clock_is_thread_cpu(int clockid);

/*
 * timespec_from_user - read a struct __kernel_timespec at @u as ns
 * (saturating at KTIME_NEVER).  Returns 0, -EFAULT, or -EINVAL when
 * tv_sec is negative or tv_nsec is outside [0, 999999999].
 */
int timespec_from_user(fr_uaddr_t u, uint64_t *ns) FR_MUST_CHECK;

/* timespec_to_user - write @ns at @u as a timespec.  0 or -EFAULT. */
int timespec_to_user(fr_uaddr_t u, uint64_t ns) FR_MUST_CHECK;

/* ns_to_timespec - @ns as a timespec. */
struct __kernel_timespec ns_to_timespec(uint64_t ns);

#endif
