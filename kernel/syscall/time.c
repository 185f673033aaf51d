/*
 * Time system calls: clock_gettime, clock_getres, clock_settime,
 * gettimeofday, settimeofday, time, nanosleep and clock_nanosleep, over
 * the clocks of time/clock.h and the timers of time/timer.h, or until a
 * CPU-time clock reads a time (time/posix_timer.h).  Setting
 * the time needs privilege (Linux's CAP_SYS_TIME: an effective uid of 0
 * here), is checked in Linux's order (the value, then the permission) and
 * moves only CLOCK_REALTIME (and the clocks that follow it).  The time
 * zone settimeofday sets is only kept and given back by gettimeofday, as
 * in Linux; the first one set without a time shifts the clock by it (the
 * RTC kept local time), as Linux's warp_clock does.  An interrupted sleep
 * returns -ERESTART_RESTARTBLOCK with the time left written to @rem
 * (relative sleeps) or -ERESTARTNOHAND (absolute ones), as Linux does;
 * the signal code turns them into EINTR.
 */
#include <linux/time.h>
#include "syscall/syscall.h"
#include "syscall/restart.h"
#include "process/process.h"
#include "security/cred.h"
#include "fs/timerfd.h"
#include "time/clock.h"
#include "time/timer.h"
#include "time/posix_timer.h"

#define USEC_PER_SEC 1000000LL
#define TZ_MINUTES_MAX (15 * 60)

/* The time zone of settimeofday; [tz_lock]. */
static struct timezone sys_tz;
static struct fr_spinlock tz_lock = FR_SPINLOCK_INIT;
static bool tz_set_once; /* [tz_lock] */

/* Whether the caller may set the time (CAP_SYS_TIME). */
static bool may_set_time(void)
{
	return process_attrs_privileged(&current_process()->attrs);
}

/* Linux's timespec64_valid_settod, on a checked timespec (@sec >= 0). */
static bool settable(int64_t sec, int64_t nsec)
{
	return sec >= 0 && sec < REALTIME_SET_MAX_SEC && nsec >= 0 &&
	       nsec < (int64_t)NSEC_PER_SEC;
}

long sys_clock_gettime(const struct syscall_args *a)
{
	uint64_t ns;

	if (clock_read((int)a->arg[0], &ns))
		return -EINVAL;
	return timespec_to_user(fr_uaddr(a->arg[1]), ns);
}

long sys_clock_getres(const struct syscall_args *a)
{
	uint64_t ns;

	if (clock_resolution((int)a->arg[0], &ns))
		return -EINVAL;
	if (!a->arg[1])
		return 0;
	return timespec_to_user(fr_uaddr(a->arg[1]), ns);
}

long sys_gettimeofday(const struct syscall_args *a)
{
	if (a->arg[0]) {
		uint64_t ns;
		struct __kernel_old_timeval tv;

		if (clock_read(CLOCK_REALTIME, &ns))
			return -EINVAL;
		tv.tv_sec = (long)(ns / NSEC_PER_SEC);
		tv.tv_usec = (long)(ns % NSEC_PER_SEC / 1000);
		if (FR_PUT_USER(tv, fr_uaddr(a->arg[0])))
			return -EFAULT;
	}
	if (a->arg[1]) {
		unsigned long irq = fr_spin_lock_irqsave(&tz_lock);
		struct timezone tz = sys_tz;

		fr_spin_unlock_irqrestore(&tz_lock, irq);
		if (FR_PUT_USER(tz, fr_uaddr(a->arg[1])))
			return -EFAULT;
	}
	return 0;
}

/* Linux's do_sys_settimeofday64: @ns (when @has_tv), then @tz. */
static long set_time_of_day(bool has_tv, int64_t sec, int64_t nsec,
			    const struct timezone *tz)
{
	bool warp = false;

	if (has_tv && !settable(sec, nsec))
		return -EINVAL;
	if (!may_set_time())
		return -EPERM;
	if (tz) {
		unsigned long irq;

		if (tz->tz_minuteswest > TZ_MINUTES_MAX ||
		    tz->tz_minuteswest < -TZ_MINUTES_MAX)
			return -EINVAL;
		irq = fr_spin_lock_irqsave(&tz_lock);
		sys_tz = *tz;
		warp = !tz_set_once && !has_tv && tz->tz_minuteswest;
		tz_set_once = true;
		fr_spin_unlock_irqrestore(&tz_lock, irq);
	}
	if (warp) {
		uint64_t now;

		if (!clock_read(CLOCK_REALTIME, &now))
			clock_set_realtime(
				now + (uint64_t)((int64_t)tz->tz_minuteswest *
						 60 * (int64_t)NSEC_PER_SEC));
	}
	if (has_tv)
		clock_set_realtime((uint64_t)sec * NSEC_PER_SEC +
				   (uint64_t)nsec);
	if (warp || has_tv) { /* the absolute realtime timers move */
		posix_timers_clock_was_set();
		timerfd_clock_was_set();
	}
	return 0;
}

long sys_settimeofday(const struct syscall_args *a)
{
	struct __kernel_old_timeval tv = { 0, 0 };
	struct timezone tz;

	if (a->arg[0]) {
		if (FR_GET_USER(tv, fr_uaddr(a->arg[0])))
			return -EFAULT;
		/* Linux lets 1000000 through here; settable() refuses it */
		if (tv.tv_usec > USEC_PER_SEC || tv.tv_usec < 0)
			return -EINVAL;
	}
	if (a->arg[1] && FR_GET_USER(tz, fr_uaddr(a->arg[1])))
		return -EFAULT;
	return set_time_of_day(a->arg[0] != 0, tv.tv_sec, tv.tv_usec * 1000,
			       a->arg[1] ? &tz : NULL);
}

/*
 * clock_settime: CLOCK_REALTIME alone can be set; a CPU clock never is
 * (-EPERM for one that exists, as Linux's posix_cpu_clock_set), and the
 * other clocks have no setter (-EINVAL before the timespec is read).
 */
long sys_clock_settime(const struct syscall_args *a)
{
	int clockid = (int)a->arg[0];
	struct __kernel_timespec ts;
	int64_t off;

	if (clockid != CLOCK_REALTIME && clockid >= 0)
		return -EINVAL;
	if (FR_GET_USER(ts, fr_uaddr(a->arg[1])))
		return -EFAULT;
	if (clockid < 0)
		return clock_offset(clockid, &off) ? -EINVAL : -EPERM;
	return set_time_of_day(true, ts.tv_sec, ts.tv_nsec, NULL);
}

long sys_time(const struct syscall_args *a)
{
	uint64_t ns;
	long sec;

	if (clock_read(CLOCK_REALTIME, &ns))
		return -EINVAL;
	sec = (long)(ns / NSEC_PER_SEC);
	if (a->arg[0] && FR_PUT_USER(sec, fr_uaddr(a->arg[0])))
		return -EFAULT;
	return sec;
}

/*
 * A relative sleep until @deadline (monotonic).  Interrupted: write the
 * time left at @rem (if not 0) and return -ERESTART_RESTARTBLOCK, or 0
 * when none is left.
 */
static long sleep_until(uint64_t deadline, uint64_t rem)
{
	uint64_t now, left;

	if (!ktime_sleep_until(deadline))
		return 0;
	now = fr_monotonic_ns();
	if (now >= deadline)
		return 0;
	left = deadline == KTIME_NEVER ? KTIME_NEVER : deadline - now;
	if (rem && timespec_to_user(fr_uaddr(rem), left))
		return -EFAULT;
	return -ERESTART_RESTARTBLOCK;
}

long sys_nanosleep(const struct syscall_args *a)
{
	uint64_t ns;
	int err = timespec_from_user(fr_uaddr(a->arg[0]), &ns);

	if (err)
		return err;
	return sleep_until(ktime_add(fr_monotonic_ns(), ns), a->arg[1]);
}

/*
 * Whether clock_nanosleep() sleeps on @clockid, as in Linux: not on the
 * raw and coarse clocks, nor on CLOCK_THREAD_CPUTIME_ID (-EOPNOTSUPP);
 * the CPU clock of the caller's thread by id is refused later (-EINVAL).
 */
static bool can_sleep_on(int clockid)
{
	switch (clockid) {
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_THREAD_CPUTIME_ID:
		return false;
	default:
		return true;
	}
}

long sys_clock_nanosleep(const struct syscall_args *a)
{
	int clockid = (int)a->arg[0];
	bool absolute = a->arg[1] & TIMER_ABSTIME;
	uint64_t ns, now;
	int64_t off;
	int err;

	if (clock_offset(clockid, &off))
		return -EINVAL;
	if (!can_sleep_on(clockid))
		return -EOPNOTSUPP;
	err = timespec_from_user(fr_uaddr(a->arg[2]), &ns);
	if (err)
		return err;
	if (clock_is_cpu(clockid)) {
		err = cpu_clock_nanosleep(clockid, absolute, ns, &now);
		if (err != -EINTR)
			return err;
		if (absolute)
			return -ERESTARTNOHAND;
		if (a->arg[3] && timespec_to_user(fr_uaddr(a->arg[3]), now))
			return -EFAULT;
		return -ERESTART_RESTARTBLOCK;
	}
	if (absolute) /* the wall clock may be set meanwhile */
		return clock_sleep_until(clockid, ns) ? -ERESTARTNOHAND : 0;
	return sleep_until(ktime_add(fr_monotonic_ns(), ns), a->arg[3]);
}
