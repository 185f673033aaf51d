/*
 * Interval timers: alarm, setitimer and getitimer.  ITIMER_REAL runs on a
 * kernel timer of the process and sends SIGALRM; ITIMER_VIRTUAL (user
 * time, SIGVTALRM) and ITIMER_PROF (user and system time, SIGPROF) count
 * the process's processor time (time/posix_timer.h).  ITIMER_REAL has
 * the precision of the kernel timers (time/timer.h).
 */
#include <frame/timer.h>
#include <linux/time.h>
#include "syscall/syscall.h"
#include "process/process.h"

#define NS_PER_US 1000ULL

/* The real timer's time left and interval, in ns (0: not armed). */
static void real_timer_get(struct process *p, uint64_t *left,
			   uint64_t *interval)
{
	uint64_t at = ktimer_expires(&p->real_timer), now = fr_monotonic_ns();

	*interval = p->real_interval;
	*left = 0;
	if (at == KTIME_NEVER)
		return;
	*left = at > now ? at - now : 1000; /* due: Linux reports a little */
}

static void real_timer_set(struct process *p, uint64_t value,
			   uint64_t interval)
{
	ktimer_cancel(&p->real_timer);
	p->real_interval = interval;
	if (value)
		ktimer_arm(&p->real_timer, ktime_add(fr_monotonic_ns(), value));
}

long sys_alarm(const struct syscall_args *a)
{
	struct process *p = current_process();
	uint64_t left, interval, secs = (uint32_t)a->arg[0];

	real_timer_get(p, &left, &interval);
	real_timer_set(p, secs * NSEC_PER_SEC, 0);
	/* whole seconds, rounded to nearest, and 1 rather than 0 */
	if (!left)
		return 0;
	left = (left + NSEC_PER_SEC / 2) / NSEC_PER_SEC;
	return left ? (long)left : 1;
}

static struct timeval to_timeval(uint64_t ns)
{
	struct timeval tv = { (long)(ns / NSEC_PER_SEC),
			      (long)((ns % NSEC_PER_SEC + NS_PER_US - 1) /
				     NS_PER_US) };

	if (tv.tv_usec == 1000000) {
		tv.tv_sec++;
		tv.tv_usec = 0;
	}
	return tv;
}

static bool from_timeval(const struct timeval *tv, uint64_t *ns)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return false;
	*ns = ktime_add((uint64_t)tv->tv_sec * NSEC_PER_SEC,
			(uint64_t)tv->tv_usec * NS_PER_US);
	return true;
}

long sys_getitimer(const struct syscall_args *a)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	uint64_t left, interval;

	switch ((int)a->arg[0]) {
	case ITIMER_REAL:
		real_timer_get(current_process(), &left, &interval);
		it.it_value = to_timeval(left);
		it.it_interval = to_timeval(interval);
		break;
	case ITIMER_VIRTUAL:
	case ITIMER_PROF: {
		struct timer_setting cur;

		cpu_itimer_get(current_process(), (int)a->arg[0], &cur);
		it.it_value = to_timeval(cur.value);
		it.it_interval = to_timeval(cur.interval);
		break;
	}
	default:
		return -EINVAL;
	}
	return FR_PUT_USER(it, fr_uaddr(a->arg[1])) ? -EFAULT : 0;
}

long sys_setitimer(const struct syscall_args *a)
{
	struct process *p = current_process();
	struct itimerval it = { { 0, 0 }, { 0, 0 } }, old = it;
	uint64_t value, interval, left, old_interval;
	int which = (int)a->arg[0];

	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL &&
	    which != ITIMER_PROF)
		return -EINVAL;
	if (a->arg[1] && FR_GET_USER(it, fr_uaddr(a->arg[1])))
		return -EFAULT;
	if (!from_timeval(&it.it_value, &value) ||
	    !from_timeval(&it.it_interval, &interval))
		return -EINVAL;
	if (which == ITIMER_REAL) {
		real_timer_get(p, &left, &old_interval);
		old.it_value = to_timeval(left);
		old.it_interval = to_timeval(old_interval);
		real_timer_set(p, value, interval);
	} else {
		struct timer_setting set = { value, interval }, prev;

		cpu_itimer_set(p, which, &set, &prev);
		old.it_value = to_timeval(prev.value);
		old.it_interval = to_timeval(prev.interval);
	}
	if (a->arg[2] && FR_PUT_USER(old, fr_uaddr(a->arg[2])))
		return -EFAULT;
	return 0;
}
