/*
 * KTESTs of the kernel timers: timers fire in deadline order (equal
 * deadlines in arming order), a cancelled or re-armed timer does not fire
 * at its old deadline, a callback runs within one tick after its deadline
 * and never before, deadlines keep their nanoseconds, callbacks may re-arm
 * their own timer, and KTIME_WAIT_EVENT returns on its condition, its
 * deadline or at once.
 * The timers are file-scope so that a failed check never leaves an armed
 * timer on a dead stack; every test cancels them before it returns.
 */
#include <frame/ktest.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <libs/string.h>
#include "time/timer.h"

#define MS 1000000ULL
#define NT 4

static struct ktimer tt[NT];
static char tt_log[16];
static unsigned tt_len;	      /* atomic */
static uint64_t tt_at[NT];     /* monotonic ns at which each fired */
static unsigned tt_count[NT]; /* atomic: times each fired */
static int tt_rearm;	      /* atomic: re-arms left for timer 0 */
static bool tt_flag;	      /* atomic: set by flag_fn */

static int index_of(struct ktimer *t)
{
	for (int i = 0; i < NT; i++)
		if (t == &tt[i])
			return i;
	return -1;
}

/* Log the timer's index and when it fired. */
static void log_fn(struct ktimer *t)
{
	int i = index_of(t);
	unsigned at = __atomic_fetch_add(&tt_len, 1, __ATOMIC_ACQ_REL);

	if (i < 0)
		return;
	if (at < sizeof(tt_log) - 1)
		tt_log[at] = (char)('0' + i);
	tt_at[i] = fr_monotonic_ns();
	__atomic_add_fetch(&tt_count[i], 1, __ATOMIC_ACQ_REL);
}

/* Fire again 10 ms later while re-arms are left. */
static void rearm_fn(struct ktimer *t)
{
	log_fn(t);
	if (__atomic_sub_fetch(&tt_rearm, 1, __ATOMIC_ACQ_REL) > 0)
		ktimer_arm(t, fr_monotonic_ns() + 10 * MS);
}

/* Cancel itself: must not wait for itself. */
static void self_cancel_fn(struct ktimer *t)
{
	log_fn(t);
	ktimer_cancel(t);
}

/* Make the waiting task's condition true and wake it. */
static void flag_fn(struct ktimer *t)
{
	__atomic_store_n(&tt_flag, true, __ATOMIC_RELEASE);
	fr_task_wake(t->task);
}

static void reset(ktimer_fn fn)
{
	for (int i = 0; i < NT; i++) {
		ktimer_init(&tt[i], fn, NULL);
		tt_at[i] = 0;
		__atomic_store_n(&tt_count[i], 0, __ATOMIC_RELEASE);
	}
	memset(tt_log, 0, sizeof(tt_log));
	__atomic_store_n(&tt_len, 0, __ATOMIC_RELEASE);
}

static void cancel_all(void)
{
	for (int i = 0; i < NT; i++)
		ktimer_cancel(&tt[i]);
}

static unsigned count(int i)
{
	return __atomic_load_n(&tt_count[i], __ATOMIC_ACQUIRE);
}

KTEST(timer, order)
{
	uint64_t now;

	reset(log_fn);
	now = fr_monotonic_ns();
	ktimer_arm(&tt[0], now + 40 * MS);
	ktimer_arm(&tt[1], now + 10 * MS);
	ktimer_arm(&tt[2], now + 25 * MS);
	ktimer_arm(&tt[3], now + 10 * MS); /* same deadline as 1: after it */
	KT_EXPECT_EQ(ktime_sleep_until(now + 80 * MS), 0);
	KT_EXPECT(fr_monotonic_ns() >= now + 80 * MS);
	cancel_all();
	KT_EXPECT_EQ(strcmp(tt_log, "1320"), 0);
	for (int i = 0; i < NT; i++)
		KT_EXPECT_EQ(count(i), 1);
	KT_EXPECT(tt_at[1] <= tt_at[3] && tt_at[3] <= tt_at[2] &&
		  tt_at[2] <= tt_at[0]);
}

KTEST(timer, cancel_and_rearm)
{
	uint64_t now;

	reset(log_fn);
	now = fr_monotonic_ns();
	ktimer_arm(&tt[0], now + 20 * MS);
	KT_EXPECT(ktimer_cancel(&tt[0]));
	KT_EXPECT(!ktimer_cancel(&tt[0])); /* no longer pending */
	/* re-armed earlier, and later */
	ktimer_arm(&tt[1], now + 500 * MS);
	ktimer_arm(&tt[1], now + 10 * MS);
	ktimer_arm(&tt[2], now + 10 * MS);
	ktimer_arm(&tt[2], now + 500 * MS);
	/* KTIME_NEVER only cancels */
	ktimer_arm(&tt[3], now + 10 * MS);
	ktimer_arm(&tt[3], KTIME_NEVER);
	KT_EXPECT_EQ(ktime_sleep_until(now + 60 * MS), 0);
	KT_EXPECT_EQ(count(0), 0);
	KT_EXPECT_EQ(count(1), 1);
	KT_EXPECT(ktimer_fired(&tt[1]));
	KT_EXPECT_EQ(count(2), 0);
	KT_EXPECT(!ktimer_fired(&tt[2]));
	KT_EXPECT_EQ(count(3), 0);
	KT_EXPECT(ktimer_cancel(&tt[2])); /* still pending */
	KT_EXPECT(!ktimer_cancel(&tt[1])); /* fired: not pending */
	cancel_all();
	/* a deadline already past fires at once (or at the next tick) */
	ktimer_arm(&tt[0], 0);
	KT_EXPECT_EQ(ktime_sleep_until(fr_monotonic_ns() + 30 * MS), 0);
	KT_EXPECT_EQ(count(0), 1);
	cancel_all();
}

/* Each callback runs at or after its deadline, within a tick. */
KTEST(timer, within_a_tick)
{
	static const uint64_t delay[NT] = { 1 * MS, 25 * MS, 30 * MS,
					    47 * MS };
	uint64_t deadline[NT], now;

	reset(log_fn);
	/* from the middle of a tick, so that deadlines are not on ticks */
	now = fr_monotonic_ns() + KTIME_TICK_NS / 2;
	for (int i = 0; i < NT; i++) {
		deadline[i] = now + delay[i];
		ktimer_arm(&tt[i], deadline[i]);
	}
	KT_EXPECT_EQ(ktime_sleep_until(now + 100 * MS), 0);
	cancel_all();
	for (int i = 0; i < NT; i++) {
		KT_EXPECT_EQ(count(i), 1);
		KT_EXPECT(tt_at[i] >= deadline[i]);
		KT_EXPECT(tt_at[i] < deadline[i] + KTIME_TICK_NS);
	}
}

/* Deadlines are kept to the nanosecond, not rounded to a tick; a timer
 * a fraction of a tick ahead fires at or after it. */
KTEST(timer, nanosecond_deadlines)
{
	uint64_t now, deadline;

	reset(log_fn);
	KT_EXPECT_EQ(ktimer_expires(&tt[0]), KTIME_NEVER);
	deadline = fr_monotonic_ns() + 10000 * MS + 1234567;
	ktimer_arm(&tt[0], deadline);
	KT_EXPECT_EQ(ktimer_expires(&tt[0]), deadline);
	KT_EXPECT(ktimer_cancel(&tt[0]));
	KT_EXPECT_EQ(ktimer_expires(&tt[0]), KTIME_NEVER);
	/* in deadline order, each at or after its deadline */
	now = fr_monotonic_ns();
	deadline = now + 1234567;
	ktimer_arm(&tt[0], deadline);
	ktimer_arm(&tt[1], now + 200 * 1000); /* 200 us */
	KT_EXPECT_EQ(ktime_sleep_until(now + 30 * MS), 0);
	KT_EXPECT_EQ(count(0), 1);
	KT_EXPECT_EQ(count(1), 1);
	KT_EXPECT(tt_at[0] >= deadline);
	KT_EXPECT(tt_at[1] >= now + 200 * 1000);
	KT_EXPECT(tt_at[1] <= tt_at[0]);
	KT_EXPECT_EQ(ktimer_expires(&tt[0]), KTIME_NEVER);
	cancel_all();
}

KTEST(timer, callback_rearms_and_cancels_itself)
{
	uint64_t now;

	reset(rearm_fn);
	ktimer_init(&tt[1], self_cancel_fn, NULL);
	__atomic_store_n(&tt_rearm, 3, __ATOMIC_RELEASE);
	now = fr_monotonic_ns();
	ktimer_arm(&tt[0], now + 10 * MS);
	ktimer_arm(&tt[1], now + 10 * MS);
	KT_EXPECT_EQ(ktime_sleep_until(now + 100 * MS), 0);
	cancel_all();
	KT_EXPECT_EQ(count(0), 3);
	KT_EXPECT_EQ(count(1), 1);
}

KTEST(timer, wait_event)
{
	struct fr_waitqueue wq;
	uint64_t start, took;
	int ret;

	fr_waitqueue_init(&wq);
	reset(flag_fn);
	ktimer_init(&tt[0], flag_fn, fr_task_current());
	__atomic_store_n(&tt_flag, false, __ATOMIC_RELEASE);
	/* the condition, made true by a timer, comes before the deadline */
	start = fr_monotonic_ns();
	ktimer_arm(&tt[0], start + 20 * MS);
	ret = KTIME_WAIT_EVENT(&wq, __atomic_load_n(&tt_flag, __ATOMIC_ACQUIRE),
			       start + 2000 * MS);
	took = fr_monotonic_ns() - start;
	cancel_all();
	KT_EXPECT_EQ(ret, 0);
	KT_EXPECT(took >= 20 * MS && took < 1000 * MS);
	/* the deadline, with a condition that stays false */
	start = fr_monotonic_ns();
	ret = KTIME_WAIT_EVENT(&wq, false, start + 30 * MS);
	took = fr_monotonic_ns() - start;
	KT_EXPECT_EQ(ret, -ETIMEDOUT);
	KT_EXPECT(took >= 30 * MS && took < 1000 * MS);
	/* a condition already true wins over a deadline already past */
	KT_EXPECT_EQ(KTIME_WAIT_EVENT(&wq, true, 0), 0);
	KT_EXPECT_EQ(KTIME_WAIT_EVENT(&wq, false, 0), -ETIMEDOUT);
	KT_EXPECT_EQ(KTIME_WAIT_EVENT(&wq, true, KTIME_NEVER), 0);
	/* the saturating addition */
	KT_EXPECT_EQ(ktime_add(KTIME_NEVER - 5, 10), KTIME_NEVER);
	KT_EXPECT_EQ(ktime_add(5, 10), 15);
}
