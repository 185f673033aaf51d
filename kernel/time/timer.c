/*
 * Kernel timers: one list of armed timers sorted by deadline (equal
 * deadlines in arming order), under an IRQ-saving spinlock, with the
 * frame's timer event always set for the earliest one.  The event hook
 * (and, as a safety net and for frames without one-shot events, the tick
 * hook) takes the due timers off the list one at a time and runs each
 * callback with the lock released, recording which timer runs so that
 * ktimer_cancel() can wait for it; then sets the event for the new
 * earliest deadline.  See timer.h.
 */
#include <frame/cpu.h>
#include "time/timer.h"
#include "process/process.h"

static struct fr_spinlock timer_lock = FR_SPINLOCK_INIT;
static struct ktimer timer_list = { /* sentinel of the sorted list */
	.next = &timer_list,
	.prev = &timer_list,
};
static struct ktimer *timer_running; /* [timer lock] callback running */
static unsigned timer_running_cpu;   /* [timer lock] on this CPU */
static fr_tick_fn timer_next_hook;   /* set once at boot */

void ktimer_init(struct ktimer *t, ktimer_fn fn, struct fr_task *task)
{
	t->fn = fn;
	t->task = task;
	t->process = NULL;
	t->posix = NULL;
	t->expires_ns = 0;
	t->pending = false;
	t->next = NULL;
	t->prev = NULL;
	__atomic_store_n(&t->fired, false, __ATOMIC_RELAXED);
}

static void unlink_locked(struct ktimer *t)
{
	t->prev->next = t->next;
	t->next->prev = t->prev;
	t->next = NULL;
	t->prev = NULL;
	t->pending = false;
}

void ktimer_arm(struct ktimer *t, uint64_t deadline_ns)
{
	unsigned long irq = fr_spin_lock_irqsave(&timer_lock);
	struct ktimer *at;

	if (t->pending)
		unlink_locked(t);
	__atomic_store_n(&t->fired, false, __ATOMIC_RELEASE);
	if (deadline_ns != KTIME_NEVER) {
		t->expires_ns = deadline_ns;
		/* after every timer due at the same time or earlier */
		at = timer_list.prev;
		while (at != &timer_list && at->expires_ns > t->expires_ns)
			at = at->prev;
		t->prev = at;
		t->next = at->next;
		at->next->prev = t;
		at->next = t;
		t->pending = true;
		if (timer_list.next == t) /* the new earliest deadline */
			fr_timer_event_at(deadline_ns);
	}
	fr_spin_unlock_irqrestore(&timer_lock, irq);
}

bool ktimer_cancel(struct ktimer *t)
{
	unsigned long irq = fr_spin_lock_irqsave(&timer_lock);
	bool was_pending = t->pending;

	if (was_pending)
		unlink_locked(t);
	/* a callback on another CPU: wait until it returns */
	while (timer_running == t && timer_running_cpu != fr_cpu_id()) {
		fr_spin_unlock_irqrestore(&timer_lock, irq);
		fr_cpu_relax();
		irq = fr_spin_lock_irqsave(&timer_lock);
	}
	fr_spin_unlock_irqrestore(&timer_lock, irq);
	return was_pending;
}

bool ktimer_fired(const struct ktimer *t)
{
	return __atomic_load_n(&t->fired, __ATOMIC_ACQUIRE);
}

uint64_t ktimer_expires(struct ktimer *t)
{
	unsigned long irq = fr_spin_lock_irqsave(&timer_lock);
	uint64_t at = t->pending ? t->expires_ns : KTIME_NEVER;

	fr_spin_unlock_irqrestore(&timer_lock, irq);
	return at;
}

/*
 * Fire the timers due now, then set the frame's event for the earliest
 * one left.  A callback that arms a timer for a time already past makes
 * it fire on the next pass, not in this one: the time is taken once.
 */
static void run_due(void)
{
	uint64_t now = fr_monotonic_ns();
	unsigned long irq = fr_spin_lock_irqsave(&timer_lock);
	struct ktimer *t;

	while ((t = timer_list.next) != &timer_list && t->expires_ns <= now) {
		unlink_locked(t);
		__atomic_store_n(&t->fired, true, __ATOMIC_RELEASE);
		timer_running = t;
		timer_running_cpu = fr_cpu_id();
		fr_spin_unlock_irqrestore(&timer_lock, irq);
		if (t->fn)
			t->fn(t);
		else if (t->task)
			fr_task_wake(t->task);
		irq = fr_spin_lock_irqsave(&timer_lock);
		timer_running = NULL;
	}
	fr_timer_event_at(t != &timer_list ? t->expires_ns : KTIME_NEVER);
	fr_spin_unlock_irqrestore(&timer_lock, irq);
}

void ktimer_tick(void)
{
	run_due();
	if (timer_next_hook)
		timer_next_hook();
}

void ktimer_setup(fr_tick_fn next)
{
	timer_next_hook = next;
	fr_inject_timer_event_hook(run_due);
	fr_inject_tick_hook(ktimer_tick);
}

/* ---- sleeping until a condition, a deadline or a signal ---- */

void ktime_wait_begin(struct ktime_wait *w, uint64_t deadline_ns)
{
	w->node = (struct fr_wait_node){ .task = NULL };
	w->deadline = deadline_ns;
	ktimer_init(&w->timer, NULL, fr_task_current());
	if (deadline_ns != KTIME_NEVER && deadline_ns > fr_monotonic_ns())
		ktimer_arm(&w->timer, deadline_ns);
}

int ktime_wait_check(struct ktime_wait *w)
{
	if (w->deadline != KTIME_NEVER &&
	    (ktimer_fired(&w->timer) || fr_monotonic_ns() >= w->deadline))
		return -ETIMEDOUT;
	if (thread_interrupted())
		return -EINTR;
	return 0;
}

void ktime_wait_end(struct ktime_wait *w)
{
	ktimer_cancel(&w->timer);
}

int ktime_sleep_until(uint64_t deadline_ns)
{
	struct fr_waitqueue wq;
	int ret;

	fr_waitqueue_init(&wq);
	ret = KTIME_WAIT_EVENT(&wq, false, deadline_ns);
	return ret == -ETIMEDOUT ? 0 : ret;
}
