/*
 * POSIX per-process timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun and timer_delete, over the timers of
 * time/posix_timer.h.  This layer reads and writes the user's sigevent,
 * itimerspec and timer id, and checks the timespecs, as Linux does.
 */
#include <libs/string.h>
#include <asm/siginfo.h>
#include <linux/time.h>
#include <linux/time_types.h>
#include "syscall/syscall.h"
#include "process/process.h"
#include "time/clock.h"

/* Read the struct sigevent at @u (all of it, as Linux copies it). */
static int event_from_user(fr_uaddr_t u, struct timer_event *ev)
{
	uint8_t raw[sizeof(sigevent_t)];
	int32_t v;

	if (fr_copy_from_user(raw, u, sizeof(raw)))
		return -EFAULT;
	memcpy(&ev->value, raw + offsetof(sigevent_t, sigev_value),
	       sizeof(ev->value));
	memcpy(&v, raw + offsetof(sigevent_t, sigev_signo), sizeof(v));
	ev->signo = v;
	memcpy(&v, raw + offsetof(sigevent_t, sigev_notify), sizeof(v));
	ev->notify = v;
	memcpy(&v, raw + offsetof(sigevent_t, sigev_notify_thread_id),
	       sizeof(v));
	ev->tid = v;
	return 0;
}

long sys_timer_create(const struct syscall_args *a)
{
	struct process *p = current_process();
	struct timer_event ev;
	int err, id;

	if (a->arg[1]) {
		err = event_from_user(fr_uaddr(a->arg[1]), &ev);
		if (err)
			return err;
	}
	err = posix_timer_create(p, (int)a->arg[0], a->arg[1] ? &ev : NULL,
				 &id);
	if (err)
		return err;
	if (FR_PUT_USER(id, fr_uaddr(a->arg[2]))) {
		posix_timer_delete(p, id);
		return -EFAULT;
	}
	return 0;
}

/* A timespec as Linux's timespec64_valid() wants it, in ns. */
static bool from_timespec(const struct __kernel_timespec *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
	    (uint64_t)ts->tv_nsec >= NSEC_PER_SEC)
		return false;
	if ((uint64_t)ts->tv_sec >= KTIME_NEVER / NSEC_PER_SEC)
		*ns = KTIME_NEVER;
	else
		*ns = (uint64_t)ts->tv_sec * NSEC_PER_SEC +
		      (uint64_t)ts->tv_nsec;
	return true;
}

static int setting_to_user(fr_uaddr_t u, const struct timer_setting *set)
{
	struct __kernel_itimerspec its = {
		.it_interval = ns_to_timespec(set->interval),
		.it_value = ns_to_timespec(set->value),
	};

	return FR_PUT_USER(its, u) ? -EFAULT : 0;
}

long sys_timer_settime(const struct syscall_args *a)
{
	struct __kernel_itimerspec its;
	struct timer_setting set, old;
	int err;

	if (!a->arg[2])
		return -EINVAL;
	if (FR_GET_USER(its, fr_uaddr(a->arg[2])))
		return -EFAULT;
	if (!from_timespec(&its.it_value, &set.value) ||
	    !from_timespec(&its.it_interval, &set.interval))
		return -EINVAL;
	err = posix_timer_set(current_process(), (int)a->arg[0],
			      a->arg[1] & TIMER_ABSTIME, &set,
			      a->arg[3] ? &old : NULL);
	if (err)
		return err;
	/* as Linux: the new setting stays when the old cannot be written */
	return a->arg[3] ? setting_to_user(fr_uaddr(a->arg[3]), &old) : 0;
}

long sys_timer_gettime(const struct syscall_args *a)
{
	struct timer_setting cur;
	int err = posix_timer_get(current_process(), (int)a->arg[0], &cur);

	return err ? err : setting_to_user(fr_uaddr(a->arg[1]), &cur);
}

long sys_timer_getoverrun(const struct syscall_args *a)
{
	return posix_timer_getoverrun(current_process(), (int)a->arg[0]);
}

long sys_timer_delete(const struct syscall_args *a)
{
	return posix_timer_delete(current_process(), (int)a->arg[0]);
}
