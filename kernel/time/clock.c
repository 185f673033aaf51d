/*
 * The clocks: each one is the frame's monotonic clock plus an offset (see
 * clock.h), the wall clock's offset, or processor time, and timespecs to
 * and from user memory.
 */
#include <asm-generic/errno.h>
#include <frame/log.h>
#include <frame/vdso.h>
#include <linux/time.h>
#include "time/clock.h"
#include "time/timer.h"
#include "time/cputime.h"
#include "process/process.h"

/* CLOCK_REALTIME minus CLOCK_MONOTONIC, ns; atomic. */
static int64_t realtime_offset =
	(int64_t)(REALTIME_EPOCH_SEC * NSEC_PER_SEC);

/* Sleepers of clock_sleep_until(), woken when the wall clock is set. */
static struct fr_waitqueue clock_set_waiters;

static void set_offset(int64_t off)
{
	__atomic_store_n(&realtime_offset, off, __ATOMIC_RELEASE);
	fr_vdso_set_realtime_offset(off);
	fr_wake_all(&clock_set_waiters);
}

void clock_setup(void)
{
	uint64_t boot_ns;
	int err = fr_rtc_boot_realtime_ns(&boot_ns);

	fr_waitqueue_init(&clock_set_waiters);
	if (err || boot_ns > (uint64_t)REALTIME_SET_MAX_SEC * NSEC_PER_SEC) {
		fr_printk("clock: no wall-clock time from the RTC (error %d): "
			  "it starts at 2025-01-01 00:00:00 UTC\n", -err);
		boot_ns = REALTIME_EPOCH_SEC * NSEC_PER_SEC;
	}
	set_offset((int64_t)boot_ns);
}

void clock_set_realtime(uint64_t ns)
{
	set_offset((int64_t)ns - (int64_t)fr_monotonic_ns());
}

/* The CPU clocks of clock_getcpuclockid() and pthread_getcpuclockid(). */
#define CPUCLOCK_PERTHREAD 4
#define CPUCLOCK_WHICH(id) ((id)&3)
#define CPUCLOCK_VIRT 1 /* user time only; PROF and SCHED: all of it */
#define CPUCLOCK_FD 3 /* dynamic clocks of file descriptors */
#define CPUCLOCK_PID(id) (~((id) >> 3))

int clock_sleep_until(int clockid, uint64_t t)
{
	for (;;) {
		int64_t off, now_off;
		int ret;

		if (clock_offset(clockid, &off))
			return -EINVAL;
		ret = KTIME_WAIT_EVENT(&clock_set_waiters,
				       !clock_offset(clockid, &now_off) &&
					       now_off != off,
				       clock_to_monotonic(clockid, t));
		if (ret) /* -ETIMEDOUT: the clock reached @t */
			return ret == -ETIMEDOUT ? 0 : ret;
		/* the clock was set: the deadline moved */
	}
}

bool clock_is_cpu(int clockid)
{
	return clockid == CLOCK_PROCESS_CPUTIME_ID ||
	       clockid == CLOCK_THREAD_CPUTIME_ID ||
	       (clockid < 0 && CPUCLOCK_WHICH(clockid) != CPUCLOCK_FD);
}

bool clock_is_thread_cpu(int clockid)
{
	return clockid == CLOCK_THREAD_CPUTIME_ID ||
	       (clockid < 0 && (clockid & CPUCLOCK_PERTHREAD));
}

/*
 * Read the CPU clock @clockid (@ns may be NULL: only check it): of the
 * caller's process or thread, of a process (pid 0: the caller's), or of
 * a thread of the caller's process (tid 0: the caller), as Linux allows.
 * Returns 0, or -EINVAL for a clock of nothing.
 */
static int cpu_clock_read(int clockid, uint64_t *ns)
{
	struct thread *self = current_thread(), *t;
	bool thread = clock_is_thread_cpu(clockid);
	int pid = clockid < 0 ? CPUCLOCK_PID(clockid) : 0;
	struct cputime c = { 0, 0 };
	struct process *p;
	int err = 0;

	if (clockid < 0 && (CPUCLOCK_WHICH(clockid) >= CPUCLOCK_FD || pid < 0))
		return -EINVAL;
	if (!self) { /* the kernel itself: no process, no time */
		err = pid ? -EINVAL : 0;
	} else if (!pid) {
		if (thread)
			thread_cputime(self, &c);
		else
			process_cputime(self->proc, &c);
	} else {
		fr_mutex_lock(&process_tree_lock);
		if (thread) {
			t = thread_find(pid);
			if (t && t->proc == self->proc)
				thread_cputime(t, &c);
			else
				err = -EINVAL;
		} else {
			p = process_find(pid);
			if (p)
				process_cputime(p, &c);
			else
				err = -EINVAL;
		}
		fr_mutex_unlock(&process_tree_lock);
	}
	if (!err && ns)
		*ns = clockid < 0 && CPUCLOCK_WHICH(clockid) == CPUCLOCK_VIRT ?
			      c.user_ns :
			      cputime_total(&c);
	return err;
}

int clock_offset(int clockid, int64_t *off)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		*off = __atomic_load_n(&realtime_offset, __ATOMIC_ACQUIRE);
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*off = 0;
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		break;
	default:
		if (clockid >= 0 || cpu_clock_read(clockid, NULL))
			return -EINVAL;
		break;
	}
	*off = 0;
	return 0;
}

static bool clock_is_coarse(int clockid)
{
	return clockid == CLOCK_REALTIME_COARSE ||
	       clockid == CLOCK_MONOTONIC_COARSE;
}

int clock_read(int clockid, uint64_t *ns)
{
	uint64_t mono = fr_monotonic_ns();
	int64_t off;

	if (clock_is_cpu(clockid))
		return cpu_clock_read(clockid, ns);
	if (clock_offset(clockid, &off))
		return -EINVAL;
	if (clock_is_coarse(clockid)) /* the time of the last tick */
		mono -= mono % KTIME_TICK_NS;
	/* wraps like the vDSO's sum: a realtime set near 0 stays >= 0 */
	*ns = mono + (uint64_t)off;
	return 0;
}

int clock_resolution(int clockid, uint64_t *ns)
{
	int64_t off;

	if (clock_offset(clockid, &off))
		return -EINVAL;
	if (clock_is_coarse(clockid) || clock_is_cpu(clockid))
		*ns = KTIME_TICK_NS;
	else
		*ns = fr_timer_resolution_ns();
	return 0;
}

uint64_t clock_to_monotonic(int clockid, uint64_t t)
{
	int64_t off = 0;

	if (clock_offset(clockid, &off))
		return 0;
	return clock_offset_to_monotonic(t, off);
}

uint64_t clock_offset_to_monotonic(uint64_t t, int64_t off)
{
	if (off >= 0)
		return t < (uint64_t)off ? 0 : t - (uint64_t)off;
	return ktime_add(t, (uint64_t)-off);
}

struct __kernel_timespec ns_to_timespec(uint64_t ns)
{
	return (struct __kernel_timespec){
		.tv_sec = (int64_t)(ns / NSEC_PER_SEC),
		.tv_nsec = (long long)(ns % NSEC_PER_SEC),
	};
}

int timespec_from_user(fr_uaddr_t u, uint64_t *ns)
{
	struct __kernel_timespec ts;

	if (FR_GET_USER(ts, u))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
	    (uint64_t)ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= KTIME_NEVER / NSEC_PER_SEC)
		*ns = KTIME_NEVER;
	else
		*ns = ktime_add((uint64_t)ts.tv_sec * NSEC_PER_SEC,
				(uint64_t)ts.tv_nsec);
	return 0;
}

int timespec_to_user(fr_uaddr_t u, uint64_t ns)
{
	struct __kernel_timespec ts = ns_to_timespec(ns);

	return FR_PUT_USER(ts, u) ? -EFAULT : 0;
}
