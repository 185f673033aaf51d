/*
 * timerfd_create, timerfd_settime and timerfd_gettime: timers as files
 * (fs/timerfd.c), with Linux's checks in Linux's order.
 */
#include <linux/time.h>
#include <linux/time_types.h>
#include <linux/timerfd.h>
#include "syscall/syscall.h"
#include "fs/timerfd.h"
#include "time/clock.h"
#include "time/timer.h"

#define TFD_CREATE_FLAGS (TFD_CLOEXEC | TFD_NONBLOCK)
#define TFD_SETTIME_FLAGS (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)

long sys_timerfd_create(const struct syscall_args *a)
{
	int clockid = (int)a->arg[0];
	unsigned flags = (unsigned)(int)a->arg[1];
	struct file *f;
	int fd;

	if ((flags & ~(unsigned)TFD_CREATE_FLAGS) ||
	    (clockid != CLOCK_MONOTONIC && clockid != CLOCK_REALTIME &&
	     clockid != CLOCK_REALTIME_ALARM && clockid != CLOCK_BOOTTIME &&
	     clockid != CLOCK_BOOTTIME_ALARM))
		return -EINVAL;
	/* the alarm clocks need CAP_WAKE_ALARM */
	if ((clockid == CLOCK_REALTIME_ALARM ||
	     clockid == CLOCK_BOOTTIME_ALARM) &&
	    !vfs_privileged())
		return -EPERM;
	f = timerfd_file_create(clockid, flags);
	if (!f)
		return -ENOMEM;
	fd = fd_install(f, 0, flags & TFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* The timerfd at @fd (referenced): -EBADF, or -EINVAL for another file. */
static int get_timerfd(int fd, struct file **out)
{
	struct file *f = fd_get(fd);

	if (!f || (f->mode & FMODE_PATH)) {
		file_put(f);
		return -EBADF;
	}
	if (!file_is_timerfd(f)) {
		file_put(f);
		return -EINVAL;
	}
	*out = f;
	return 0;
}

/* Write a value and an interval as a struct itimerspec at @u. */
static int put_itimerspec(uint64_t u, uint64_t value, uint64_t interval)
{
	struct __kernel_itimerspec its = {
		.it_interval = ns_to_timespec(interval),
		.it_value = ns_to_timespec(value),
	};

	return FR_PUT_USER(its, fr_uaddr(u)) ? -EFAULT : 0;
}

/* A timespec as ns (saturating), or -EINVAL as Linux's timespec64_valid. */
static int timespec_ns(const struct __kernel_timespec *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
	    (uint64_t)ts->tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts->tv_sec >= KTIME_NEVER / NSEC_PER_SEC)
		*ns = KTIME_NEVER;
	else
		*ns = ktime_add((uint64_t)ts->tv_sec * NSEC_PER_SEC,
				(uint64_t)ts->tv_nsec);
	return 0;
}

long sys_timerfd_settime(const struct syscall_args *a)
{
	unsigned flags = (unsigned)(int)a->arg[1];
	uint64_t value, interval, old_value, old_interval;
	struct __kernel_itimerspec its;
	struct file *f;
	int err;

	if (FR_GET_USER(its, fr_uaddr(a->arg[2])))
		return -EFAULT;
	if ((flags & ~(unsigned)TFD_SETTIME_FLAGS) ||
	    timespec_ns(&its.it_value, &value) ||
	    timespec_ns(&its.it_interval, &interval))
		return -EINVAL;
	err = get_timerfd((int)a->arg[0], &f);
	if (err)
		return err;
	timerfd_set(f, flags, value, interval, &old_value, &old_interval);
	file_put(f);
	/* the new setting stays even when the old one cannot be written */
	if (a->arg[3])
		return put_itimerspec(a->arg[3], old_value, old_interval);
	return 0;
}

long sys_timerfd_gettime(const struct syscall_args *a)
{
	uint64_t value, interval;
	struct file *f;
	int err = get_timerfd((int)a->arg[0], &f);

	if (err)
		return err;
	timerfd_get(f, &value, &interval);
	file_put(f);
	return put_itimerspec(a->arg[1], value, interval);
}
