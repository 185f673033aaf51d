/*
 * Helpers for the KTESTs that start tasks.  A join (the frame has none):
 * a count of the tasks still running and a wait queue; kt_join_done() is
 * a task's last access to the test's data, and kt_join_wait() returns
 * only once every such access is over, so the tasks may use the test's
 * stack even when they run on other CPUs.  And KT_YIELD_UNTIL, to wait
 * for what another task does without counting on when it runs.  Uses
 * only the public frame API, like the tests themselves.
 */
#ifndef FRAME_CORE_KTEST_TASKS_H
#define FRAME_CORE_KTEST_TASKS_H

#include <frame/ktest.h>
#include <frame/log.h>
#include <frame/sync.h>
#include <frame/task.h>
#include <frame/timer.h>

/* How long a test waits for its tasks before it reports them stuck. */
#define KT_JOIN_TICKS (10 * FR_TICK_HZ)

/*
 * KT_YIELD_UNTIL - yield until @cond holds or KT_JOIN_TICKS passed;
 * evaluates to @cond.
 */
#define KT_YIELD_UNTIL(cond)                                                   \
	({                                                                     \
		uint64_t __deadline = fr_ticks() + KT_JOIN_TICKS;              \
		while (!(cond) && fr_ticks() < __deadline)                     \
			fr_task_yield();                                       \
		!!(cond);                                                      \
	})

struct kt_join {
	struct fr_spinlock lock; /* guards left; held across the wake-up */
	unsigned left;		 /* tasks that have not called done */
	struct fr_waitqueue wq;
};

static inline void kt_join_init(struct kt_join *j, unsigned n)
{
	j->lock = (struct fr_spinlock)FR_SPINLOCK_INIT;
	j->left = n;
	fr_waitqueue_init(&j->wq);
}

/* The last thing a task does with the test's data. */
static inline void kt_join_done(struct kt_join *j)
{
	unsigned long flags = fr_spin_lock_irqsave(&j->lock);

	j->left--;
	fr_wake_all(&j->wq);
	fr_spin_unlock_irqrestore(&j->lock, flags);
}

static inline unsigned kt_join_left(struct kt_join *j)
{
	unsigned long flags = fr_spin_lock_irqsave(&j->lock);
	unsigned left = j->left;

	fr_spin_unlock_irqrestore(&j->lock, flags);
	return left;
}

/*
 * Wait, yielding, until every task called kt_join_done().  Tasks still
 * running after KT_JOIN_TICKS fail the check; then waiting goes on,
 * since they may still use the caller's stack.  Returns whether they
 * finished in time.
 */
static inline bool kt_join_wait(struct fr_ktest_ctx *kt, struct kt_join *j)
{
	uint64_t deadline = fr_ticks() + KT_JOIN_TICKS;

	while (kt_join_left(j) && fr_ticks() < deadline)
		fr_task_yield();
	if (KT_EXPECT_EQ(kt_join_left(j), 0))
		return true;
	fr_printk("# tasks stuck: waiting for them\n");
	FR_WAIT_EVENT(&j->wq, kt_join_left(j) == 0);
	return false;
}

#endif
