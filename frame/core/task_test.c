/*
 * KTESTs of tasks (<frame/task.h>): a created task runs only once
 * started, on its own, with its argument and data; yielding switches
 * between runnable tasks; a task ends by returning or by fr_task_exit()
 * and its stack comes back; wake-ups and events reach the right task.
 * The frame has no join: tests wait for their tasks with kt_join (and a
 * deadline, so that a broken switch fails instead of hanging silently).
 * Only the public frame API is used, so the same tests build for the
 * hosted target.
 */
#include <frame/ktest.h>
#include <frame/cpu.h>
#include <frame/log.h>
#include <frame/mm.h>
#include <frame/sync.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <libs/string.h>
#include "ktest_tasks.h"

#define RD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define WR(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define INC(x) __atomic_add_fetch(&(x), 1, __ATOMIC_ACQ_REL)

static uint64_t free_pages(void)
{
	struct fr_mem_stats s;

	fr_mem_stats(&s);
	return s.free;
}

/* ---- a task runs once started, as itself, with its argument ---- */

struct run_once {
	struct fr_ktest_ctx *kt;
	struct kt_join join;
	struct fr_task *self;
	unsigned runs;
	void *data_seen;
	bool was_current;
};

static void run_once_fn(void *arg)
{
	struct run_once *r = arg;

	INC(r->runs);
	r->was_current = fr_task_current() == RD(r->self);
	r->data_seen = fr_task_data(fr_task_current());
	kt_join_done(&r->join);
}

KTEST(task, create_start_run)
{
	struct run_once r = { .kt = kt };
	struct fr_task *t;
	int cookie;

	kt_join_init(&r.join, 1);
	t = fr_task_create("kt-create", run_once_fn, &r);
	KT_ASSERT(t != NULL);
	KT_EXPECT_EQ(strcmp(fr_task_name(t), "kt-create"), 0);
	fr_task_set_data(t, &cookie);
	KT_EXPECT(fr_task_data(t) == &cookie);
	WR(r.self, t);
	/* created is not started: it does not run, not even when woken */
	KT_EXPECT(!fr_task_wake(t));
	for (int i = 0; i < 5; i++)
		fr_task_yield();
	KT_EXPECT_EQ(RD(r.runs), 0);
	fr_task_start(t);
	fr_task_start(t); /* a second start does nothing */
	kt_join_wait(kt, &r.join);
	for (int i = 0; i < 5; i++)
		fr_task_yield();
	KT_EXPECT_EQ(RD(r.runs), 1);
	KT_EXPECT(r.was_current);
	KT_EXPECT(r.data_seen == &cookie);
	KT_EXPECT(fr_task_current() != t);
}

/* A name longer than the frame keeps is kept as a prefix. */
KTEST(task, long_name_prefix)
{
	static const char long_name[] = "kt-a-rather-long-task-name-indeed";
	struct run_once r = { .kt = kt };
	struct fr_task *t;
	size_t len;

	kt_join_init(&r.join, 1);
	t = fr_task_create(long_name, run_once_fn, &r);
	KT_ASSERT(t != NULL);
	len = strlen(fr_task_name(t));
	KT_EXPECT(len > 0 && len <= sizeof(long_name) - 1);
	KT_EXPECT_EQ(strncmp(fr_task_name(t), long_name, len), 0);
	WR(r.self, t);
	fr_task_start(t);
	kt_join_wait(kt, &r.join);
	KT_EXPECT_EQ(RD(r.runs), 1);
}

/* ---- yielding switches between runnable tasks ---- */

#define PINGS 50

struct pingpong {
	struct kt_join join;
	char log[2 * PINGS + 1];
	unsigned len;
};

static void log_and_yield(struct pingpong *pp, char me)
{
	for (int i = 0; i < PINGS; i++) {
		unsigned at = INC(pp->len) - 1;

		if (at < sizeof(pp->log) - 1)
			pp->log[at] = me;
		fr_task_yield();
	}
	kt_join_done(&pp->join);
}

static void ping_fn(void *arg)
{
	log_and_yield(arg, 'a');
}

static void pong_fn(void *arg)
{
	log_and_yield(arg, 'b');
}

KTEST(task, yield_switches)
{
	struct pingpong pp = { .len = 0 };
	struct fr_task *a, *b;
	unsigned na = 0, nb = 0, switches = 0;

	kt_join_init(&pp.join, 2);
	a = fr_task_create("kt-ping", ping_fn, &pp);
	b = fr_task_create("kt-pong", pong_fn, &pp);
	KT_ASSERT(a && b);
	fr_task_start(a);
	fr_task_start(b);
	kt_join_wait(kt, &pp.join);
	KT_ASSERT_EQ(RD(pp.len), 2 * PINGS);
	for (unsigned i = 0; i < 2 * PINGS; i++) {
		na += pp.log[i] == 'a';
		nb += pp.log[i] == 'b';
		if (i && pp.log[i] != pp.log[i - 1])
			switches++;
	}
	KT_EXPECT_EQ(na, PINGS);
	KT_EXPECT_EQ(nb, PINGS);
	/*
	 * Each yield let the other one run: they alternate.  (With several
	 * CPUs they run side by side and need not.)
	 */
	if (fr_cpu_count() == 1 && !KT_EXPECT(switches >= PINGS))
		fr_printk("#   log %s\n", pp.log);
}

/* ---- ending a task ---- */

struct ending {
	struct kt_join join;
	unsigned reached, after_exit;
};

static FR_NORETURN void end_deep(struct ending *e, int depth)
{
	if (depth)
		end_deep(e, depth - 1);
	INC(e->reached);
	kt_join_done(&e->join);
	fr_task_exit();
}

static void exit_fn(void *arg)
{
	struct ending *e = arg;

	end_deep(e, 5);
	INC(e->after_exit); /* never */
}

static void return_fn(void *arg)
{
	struct ending *e = arg;

	INC(e->reached);
	kt_join_done(&e->join);
}

/* fr_task_exit() from deep inside ends the task there; returning ends it
 * too; neither runs again. */
KTEST(task, exit_and_return)
{
	struct ending e = { .reached = 0 };
	struct fr_task *t1, *t2;

	kt_join_init(&e.join, 2);
	t1 = fr_task_create("kt-exit", exit_fn, &e);
	t2 = fr_task_create("kt-return", return_fn, &e);
	KT_ASSERT(t1 && t2);
	fr_task_start(t1);
	fr_task_start(t2);
	kt_join_wait(kt, &e.join);
	for (int i = 0; i < 10; i++)
		fr_task_yield();
	KT_EXPECT_EQ(RD(e.reached), 2);
	KT_EXPECT_EQ(RD(e.after_exit), 0);
}

#define BATCH 20

struct batch {
	struct kt_join join;
	bool go;
	unsigned started, finished;
};

static void batch_fn(void *arg)
{
	struct batch *b = arg;

	INC(b->started);
	while (!RD(b->go))
		fr_task_yield();
	INC(b->finished);
	kt_join_done(&b->join);
}

/*
 * The free page count once ended tasks are reaped.  A task is reaped
 * after the switch away from it, which on another CPU may come a little
 * later: wait until the count holds still for a few ticks.
 */
static uint64_t settled_free_pages(void)
{
	uint64_t deadline = fr_ticks() + 2 * FR_TICK_HZ;
	uint64_t last = free_pages(), since = fr_ticks();

	while (fr_ticks() < deadline && fr_ticks() - since < 3) {
		fr_task_yield();
		if (free_pages() != last) {
			last = free_pages();
			since = fr_ticks();
		}
	}
	return last;
}

/*
 * The stacks and descriptors of ended tasks come back: after a warm-up
 * batch (which lets the heap make its slabs), a second batch costs
 * nothing once it has ended.
 */
KTEST(task, ended_tasks_give_memory_back)
{
	uint64_t before = 0, during = 0;

	for (int round = 0; round < 2; round++) {
		struct batch b = { .go = false };

		if (round == 1)
			before = settled_free_pages();
		kt_join_init(&b.join, BATCH);
		for (int i = 0; i < BATCH; i++) {
			struct fr_task *t =
				fr_task_create("kt-batch", batch_fn, &b);

			if (!KT_EXPECT(t != NULL))
				kt_join_done(&b.join);
			else
				fr_task_start(t);
		}
		/* all of them alive at once */
		if (round == 1)
			during = free_pages();
		WR(b.go, true);
		kt_join_wait(kt, &b.join);
		KT_EXPECT_EQ(RD(b.finished), BATCH);
	}
	/* each task had a stack of several pages */
	KT_EXPECT(during + 2 * BATCH <= before);
	KT_EXPECT_EQ(settled_free_pages(), before);
}

static void count_fn(void *arg)
{
	struct ending *e = arg;

	INC(e->reached);
	fr_task_yield();
	INC(e->after_exit);
	kt_join_done(&e->join);
}

#define MANY 200

KTEST(task, many_tasks)
{
	struct ending e = { .reached = 0 };
	unsigned started = 0;

	kt_join_init(&e.join, MANY);
	for (int i = 0; i < MANY; i++) {
		struct fr_task *t = fr_task_create("kt-many", count_fn, &e);

		if (t) {
			fr_task_start(t);
			started++;
		} else {
			kt_join_done(&e.join);
		}
	}
	KT_EXPECT_EQ(started, MANY);
	kt_join_wait(kt, &e.join);
	KT_EXPECT_EQ(RD(e.reached), started);
	KT_EXPECT_EQ(RD(e.after_exit), started);
}

/* ---- wake-ups and events ---- */

struct sleeper {
	struct fr_ktest_ctx *kt;
	struct kt_join join;
	struct fr_waitqueue wq;
	bool go;
	unsigned sleeping, woke;
	bool event_seen, event_cleared;
};

/*
 * The conditions below count how often they are evaluated: that happens
 * after fr_wait_prepare(), so once the count moved the task is asleep for
 * fr_task_wake() (until it is woken).
 */
static void sleeper_fn(void *arg)
{
	struct sleeper *s = arg;

	FR_WAIT_EVENT(&s->wq, (INC(s->sleeping), RD(s->go)));
	INC(s->woke);
	kt_join_done(&s->join);
}

/* fr_task_wake wakes a sleeping task (once) and nothing else. */
KTEST(task, wake_sleeping_task)
{
	struct sleeper s = { .kt = kt };
	struct fr_task *t;

	kt_join_init(&s.join, 1);
	fr_waitqueue_init(&s.wq);
	KT_EXPECT(!fr_task_wake(fr_task_current()));
	t = fr_task_create("kt-sleeper", sleeper_fn, &s);
	KT_ASSERT(t != NULL);
	fr_task_start(t);
	KT_EXPECT(KT_YIELD_UNTIL(RD(s.sleeping) == 1));
	KT_EXPECT_EQ(RD(s.woke), 0);
	/* a wake-up without the condition: it checks and sleeps again */
	KT_EXPECT(fr_task_wake(t));
	KT_EXPECT(KT_YIELD_UNTIL(RD(s.sleeping) == 2));
	KT_EXPECT_EQ(RD(s.woke), 0);
	WR(s.go, true);
	KT_EXPECT(fr_task_wake(t));
	/* already runnable (with one CPU it cannot have run and ended yet) */
	if (fr_cpu_count() == 1)
		KT_EXPECT(!fr_task_wake(t));
	kt_join_wait(kt, &s.join);
	KT_EXPECT_EQ(RD(s.woke), 1);
}

static void event_fn(void *arg)
{
	struct sleeper *s = arg;

	FR_WAIT_EVENT(&s->wq, (INC(s->sleeping), fr_task_event_pending()));
	s->event_seen = fr_task_event_pending();
	fr_task_clear_event();
	s->event_cleared = !fr_task_event_pending();
	INC(s->woke);
	kt_join_done(&s->join);
}

/* An event posted to a sleeping task wakes it and is seen by it only. */
KTEST(task, post_event)
{
	struct sleeper s = { .kt = kt };
	struct fr_task *t;

	kt_join_init(&s.join, 1);
	fr_waitqueue_init(&s.wq);
	t = fr_task_create("kt-event", event_fn, &s);
	KT_ASSERT(t != NULL);
	fr_task_start(t);
	KT_EXPECT(KT_YIELD_UNTIL(RD(s.sleeping) == 1));
	for (int i = 0; i < 5; i++)
		fr_task_yield();
	KT_EXPECT_EQ(RD(s.sleeping), 1); /* no event: no wake-up */
	KT_EXPECT_EQ(RD(s.woke), 0);
	fr_task_post_event(t);
	KT_EXPECT(!fr_task_event_pending()); /* not ours */
	kt_join_wait(kt, &s.join);
	KT_EXPECT_EQ(RD(s.woke), 1);
	KT_EXPECT(s.event_seen);
	KT_EXPECT(s.event_cleared);
}
