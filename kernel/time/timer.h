/*
 * Kernel timers, run from the frame's timer event and tick, and sleeping
 * until a condition, a deadline or a signal.
 *
 * Deadlines are nanoseconds of the monotonic clock (fr_monotonic_ns).  A
 * timer fires once the monotonic clock has reached its deadline, never
 * earlier: when due, through the frame's one-shot timer event set for the
 * earliest deadline, when the frame has one (fr_timer_resolution_ns() is
 * 1 ns), else at the first tick (1 / FR_TICK_HZ s) at or after it.
 *
 * Callbacks run in IRQ context, on the boot CPU, without the timer lock:
 * they must not sleep, and may arm or cancel timers (their own one
 * included).  Arming and cancelling are safe against a timer that is
 * firing: ktimer_cancel() returns only once its callback has finished.
 */
#ifndef KERNEL_TIME_TIMER_H
#define KERNEL_TIME_TIMER_H

#include <frame/sync.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <asm-generic/errno.h>

#define NSEC_PER_SEC 1000000000ULL
#define KTIME_TICK_NS (NSEC_PER_SEC / FR_TICK_HZ)
#define KTIME_NEVER UINT64_MAX /* a deadline that never comes */

struct ktimer;
struct process;
struct timerfd_ctx;
struct posix_timer;

/* What a timer does when it fires; called in IRQ context. */
typedef void (*ktimer_fn)(struct ktimer *t);

struct ktimer {
	ktimer_fn fn;	      /* NULL: wake @task */
	struct fr_task *task; /* for fn == NULL, or for fn's own use */
	struct process *process; /* for fn's own use: a process's timer */
	struct timerfd_ctx *timerfd; /* for fn's own use: a timerfd's timer */
	struct posix_timer *posix; /* for fn's own use: a POSIX timer */
	uint64_t expires_ns;  /* [timer lock] monotonic deadline */
	bool pending;	      /* [timer lock] queued */
	bool fired;	      /* atomic: fired since it was last armed */
	struct ktimer *next;  /* [timer lock] sorted by expires_ns */
	struct ktimer *prev;
};

/*
 * ktimer_init - prepare @t to call @fn, or to wake @task when @fn is
 * NULL.  The timer is not armed.  Context: any.
 */
void ktimer_init(struct ktimer *t, ktimer_fn fn, struct fr_task *task);

/*
 * ktimer_arm - fire @t once at @deadline_ns (monotonic), replacing any
 * deadline it had; a deadline already past fires at once (at the next
 * tick without one-shot events), and KTIME_NEVER only cancels.  Clears
 * ktimer_fired().  Context: any.
 */
void ktimer_arm(struct ktimer *t, uint64_t deadline_ns);

/*
 * ktimer_cancel - make sure @t will not fire: dequeue it, and wait for
 * its callback when it is running on another CPU.  Returns true when it
 * was pending.  Context: any (from its own callback too).
 */
bool ktimer_cancel(struct ktimer *t);

/* ktimer_fired - whether @t fired since it was last armed. */
bool ktimer_fired(const struct ktimer *t);

/*
 * ktimer_expires - the deadline (monotonic ns) at which @t will fire, or
 * KTIME_NEVER when it is not armed.  Context: any.
 */
uint64_t ktimer_expires(struct ktimer *t);

/*
 * ktimer_tick - the service's tick hook: fire the timers that are due.
 * Context: IRQ, installed with fr_inject_tick_hook() by ktimer_setup().
 */
void ktimer_tick(void);

/*
 * ktimer_setup - install the tick hook, chaining @next (the hook that
 * was there before, NULL if none), which is called after the timers, and
 * the timer event hook.  Context: boot, once.
 */
void ktimer_setup(fr_tick_fn next);

/* ktime_add - @a + @b, saturating at KTIME_NEVER. */
static inline uint64_t ktime_add(uint64_t a, uint64_t b)
{
	return a > KTIME_NEVER - b ? KTIME_NEVER : a + b;
}

/* State of one KTIME_WAIT_EVENT, on the sleeper's stack. */
struct ktime_wait {
	struct ktimer timer;
	struct fr_wait_node node;
	uint64_t deadline;
};

/* The steps of KTIME_WAIT_EVENT. */
void ktime_wait_begin(struct ktime_wait *w, uint64_t deadline_ns);
int ktime_wait_check(struct ktime_wait *w);
void ktime_wait_end(struct ktime_wait *w);

/*
 * KTIME_WAIT_EVENT - sleep on @wq until @cond is true, the monotonic
 * clock reaches @deadline_ns (KTIME_NEVER: no deadline) or the calling
 * thread has a signal to take (thread_interrupted()).  @cond is evaluated
 * in the caller's context after each wake-up, first: a condition that
 * became true wins over a deadline or a signal that came with it.
 * Evaluates to 0 (@cond is true), -ETIMEDOUT or -EINTR; the caller turns
 * -EINTR into the -ERESTART* code its system call needs.
 * Whoever makes @cond true wakes @wq (or the task, with fr_task_wake());
 * the timer and signals wake the task.  Context: task context.
 */
#define KTIME_WAIT_EVENT(wq, cond, deadline_ns)                                \
	({                                                                     \
		struct ktime_wait __kw;                                        \
		int __kret;                                                    \
		ktime_wait_begin(&__kw, (deadline_ns));                        \
		for (;;) {                                                     \
			fr_wait_prepare((wq), &__kw.node);                     \
			if (cond) {                                            \
				__kret = 0;                                    \
				break;                                         \
			}                                                      \
			__kret = ktime_wait_check(&__kw);                      \
			if (__kret)                                            \
				break;                                         \
			fr_wait_sleep();                                       \
		}                                                              \
		fr_wait_finish((wq), &__kw.node);                              \
		ktime_wait_end(&__kw);                                         \
		__kret;                                                        \
	})

/*
 * ktime_sleep_until - sleep until the monotonic clock reaches
 * @deadline_ns.  Returns 0, or -EINTR when the thread has a signal to
 * take (at once if it had one on entry).  Context: task context.
 */
int ktime_sleep_until(uint64_t deadline_ns);

#endif
