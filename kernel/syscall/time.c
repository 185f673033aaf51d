/*
 * Time system calls: clock_gettime, clock_getres, gettimeofday, time,
 * nanosleep and clock_nanosleep, over the clocks of time/clock.h (tick
 * resolution, realtime from a fixed epoch) and the timers of
 * time/timer.h, or until a CPU-time clock reads a time
 * (time/posix_timer.h).  An interrupted sleep returns
 * -ERESTART_RESTARTBLOCK with the time left written to @rem (relative
 * sleeps) or -ERESTARTNOHAND (absolute ones), as Linux does; the signal
 * code turns them into EINTR.
 */
#include <linux/time.h>
#include "syscall/syscall.h"
#include "syscall/restart.h"
#include "time/clock.h"
#include "time/timer.h"
#include "time/posix_timer.h"

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
		/* no time zone is ever set: UTC, no DST */
		struct timezone tz = { 0, 0 };

		if (FR_PUT_USER(tz, fr_uaddr(a->arg[1])))
			return -EFAULT;
	}
	return 0;
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
 * Sleep until @deadline (monotonic).  Interrupted: with @rem (relative
 * sleeps) write the time left and return -ERESTART_RESTARTBLOCK, or 0
 * when none is left; without, -ERESTARTNOHAND for an absolute sleep.
 */
static long sleep_until(uint64_t deadline, uint64_t rem, bool absolute)
{
	uint64_t now, left;

	if (!ktime_sleep_until(deadline))
		return 0;
	if (absolute)
		return -ERESTARTNOHAND;
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
	return sleep_until(ktime_add(fr_monotonic_ns(), ns), a->arg[1], false);
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
	uint64_t ns, now, deadline;
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
	now = fr_monotonic_ns();
	deadline = absolute ? clock_to_monotonic(clockid, ns) :
			      ktime_add(now, ns);
	return sleep_until(deadline, absolute ? 0 : a->arg[3], absolute);
}
