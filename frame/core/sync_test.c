/*
 * KTESTs of locks and wait queues (<frame/sync.h>, <frame/cpu.h>):
 * spinlocks and their interrupt-masking variant, mutual exclusion of a
 * mutex between tasks that sleep on it, wait queues that wake one or all
 * sleepers and never lose a wake-up, and callback waiters (every wake-up
 * runs them, exclusive ones until one accepts, never after their
 * deletion).  Only the public frame API is
 * used, so the same tests build for the hosted target.
 */
#include <frame/ktest.h>
#include <frame/cpu.h>
#include <frame/log.h>
#include <frame/sync.h>
#include <frame/task.h>
#include <frame/timer.h>
#include "ktest_tasks.h"

#define RD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define WR(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define INC(x) __atomic_add_fetch(&(x), 1, __ATOMIC_ACQ_REL)

/* Start @n tasks running @fn(@arg); false if one could not be made. */
static bool start_tasks(struct kt_join *j, unsigned n, fr_task_fn fn, void *arg)
{
	bool all = true;

	kt_join_init(j, n);
	for (unsigned i = 0; i < n; i++) {
		struct fr_task *t = fr_task_create("kt-sync", fn, arg);

		if (t) {
			fr_task_start(t);
		} else {
			kt_join_done(j);
			all = false;
		}
	}
	return all;
}

/* ---- spinlocks ---- */

KTEST(sync, spinlock_basic)
{
	struct fr_spinlock a = FR_SPINLOCK_INIT, b = FR_SPINLOCK_INIT;

	KT_EXPECT(!fr_spin_held(&a));
	fr_spin_lock(&a);
	KT_EXPECT(fr_spin_held(&a));
	KT_EXPECT(!fr_spin_held(&b));
	KT_EXPECT(!fr_spin_trylock(&a));
	KT_EXPECT(fr_spin_held(&a));
	fr_spin_unlock(&a);
	KT_EXPECT(!fr_spin_held(&a));
	KT_EXPECT(fr_spin_trylock(&a));
	KT_EXPECT(fr_spin_held(&a));
	KT_EXPECT(fr_spin_trylock(&b));
	fr_spin_unlock(&b);
	fr_spin_unlock(&a);
	KT_EXPECT(!fr_spin_held(&a) && !fr_spin_held(&b));
}

KTEST(sync, irq_save_restore)
{
	unsigned long outer, inner;

	KT_ASSERT(fr_irq_enabled()); /* task context runs with IRQs on */
	outer = fr_irq_save();
	KT_EXPECT(!fr_irq_enabled());
	inner = fr_irq_save();
	KT_EXPECT(!fr_irq_enabled());
	fr_irq_restore(inner); /* back to "off" */
	KT_EXPECT(!fr_irq_enabled());
	fr_irq_restore(outer);
	KT_EXPECT(fr_irq_enabled());
}

KTEST(sync, spinlock_irqsave)
{
	struct fr_spinlock a = FR_SPINLOCK_INIT, b = FR_SPINLOCK_INIT;
	unsigned long fa, fb;

	KT_ASSERT(fr_irq_enabled());
	fa = fr_spin_lock_irqsave(&a);
	KT_EXPECT(!fr_irq_enabled());
	KT_EXPECT(fr_spin_held(&a));
	fb = fr_spin_lock_irqsave(&b);
	KT_EXPECT(fr_spin_held(&b));
	fr_spin_unlock_irqrestore(&b, fb);
	/* the inner release keeps interrupts off for the outer lock */
	KT_EXPECT(!fr_irq_enabled());
	KT_EXPECT(!fr_spin_held(&b));
	KT_EXPECT(fr_spin_held(&a));
	fr_spin_unlock_irqrestore(&a, fa);
	KT_EXPECT(fr_irq_enabled());
	KT_EXPECT(!fr_spin_held(&a));
}

/* Loop iterations that one timer tick lasts, roughly. */
static uint64_t spins_per_tick(void)
{
	uint64_t best = 0;

	for (int round = 0; round < 3; round++) {
		uint64_t t = fr_ticks(), n = 0;

		while (fr_ticks() == t) /* to the start of a tick */
			fr_cpu_relax();
		t = fr_ticks();
		while (fr_ticks() == t && n < (1UL << 40)) {
			fr_cpu_relax();
			n++;
		}
		best = n > best ? n : best;
	}
	return best;
}

/*
 * With interrupts masked by the irqsave lock, the timer does not tick; it
 * does again once they are restored.  (With several CPUs another CPU may
 * count the ticks: then only the second half is checked.)
 */
KTEST(sync, irqsave_masks_timer)
{
	struct fr_spinlock lock = FR_SPINLOCK_INIT;
	uint64_t n = spins_per_tick(), t0, t1, t2, waited = 0;
	unsigned long flags;

	KT_ASSERT(n > 0);
	flags = fr_spin_lock_irqsave(&lock);
	t0 = fr_ticks();
	for (uint64_t i = 0; i < 5 * n; i++) {
		if (fr_ticks() != t0)
			break;
		fr_cpu_relax();
	}
	t1 = fr_ticks();
	fr_spin_unlock_irqrestore(&lock, flags);
	while ((t2 = fr_ticks()) == t1 && waited < 20 * n) {
		fr_cpu_relax();
		waited++;
	}
	if (fr_cpu_count() == 1)
		KT_EXPECT_EQ(t1, t0);
	KT_EXPECT(t2 > t1);
}

#define COUNTER_TASKS 4
#define COUNTER_ROUNDS 500

struct shared_counter {
	struct fr_spinlock lock;
	struct kt_join join;
	bool go;
	uint64_t value;
};

static void spin_counter_fn(void *arg)
{
	struct shared_counter *c = arg;

	while (!RD(c->go)) /* all together */
		fr_task_yield();
	for (int i = 0; i < COUNTER_ROUNDS; i++) {
		unsigned long flags = fr_spin_lock_irqsave(&c->lock);
		uint64_t v = c->value;

		c->value = v + 1;
		fr_spin_unlock_irqrestore(&c->lock, flags);
		if (i % 16 == 0)
			fr_task_yield();
	}
	kt_join_done(&c->join);
}

/* Tasks (on any CPU) that update a counter under a spinlock lose nothing. */
KTEST(sync, spinlock_counter)
{
	struct shared_counter c = { .lock = FR_SPINLOCK_INIT };

	KT_EXPECT(start_tasks(&c.join, COUNTER_TASKS, spin_counter_fn, &c));
	WR(c.go, true);
	kt_join_wait(kt, &c.join);
	KT_EXPECT_EQ(c.value, COUNTER_TASKS * COUNTER_ROUNDS);
	KT_EXPECT(!fr_spin_held(&c.lock));
}

/* ---- mutexes ---- */

struct mutex_test {
	struct fr_ktest_ctx *kt;
	struct fr_mutex m;
	struct kt_join join;
	unsigned counter, inside, max_inside, contended, got;
};

static void trylock_fn(void *arg)
{
	struct mutex_test *mt = arg;

	/* the test task holds it: not ours to take */
	if (fr_mutex_trylock(&mt->m)) {
		INC(mt->got);
		fr_mutex_unlock(&mt->m);
	}
	kt_join_done(&mt->join);
}

KTEST(sync, mutex_trylock)
{
	struct mutex_test mt = { .kt = kt };

	fr_mutex_init(&mt.m);
	KT_EXPECT(fr_mutex_trylock(&mt.m));
	KT_EXPECT(!fr_mutex_trylock(&mt.m)); /* not recursive */
	KT_EXPECT(start_tasks(&mt.join, 1, trylock_fn, &mt));
	kt_join_wait(kt, &mt.join);
	KT_EXPECT_EQ(mt.got, 0);
	fr_mutex_unlock(&mt.m);
	/* free again: another task takes it */
	KT_EXPECT(start_tasks(&mt.join, 1, trylock_fn, &mt));
	kt_join_wait(kt, &mt.join);
	KT_EXPECT_EQ(mt.got, 1);
	KT_EXPECT(fr_mutex_trylock(&mt.m));
	fr_mutex_unlock(&mt.m);
}

#define MUTEX_TASKS 4
#define MUTEX_ROUNDS 25

static void mutex_counter_fn(void *arg)
{
	struct mutex_test *mt = arg;

	for (int i = 0; i < MUTEX_ROUNDS; i++) {
		unsigned in, v;

		if (!fr_mutex_trylock(&mt->m)) {
			INC(mt->contended);
			fr_mutex_lock(&mt->m);
		}
		in = INC(mt->inside);
		if (in > RD(mt->max_inside))
			WR(mt->max_inside, in);
		/* hold it across switches: the others must wait */
		v = RD(mt->counter);
		fr_task_yield();
		fr_task_yield();
		WR(mt->counter, v + 1);
		__atomic_sub_fetch(&mt->inside, 1, __ATOMIC_ACQ_REL);
		fr_mutex_unlock(&mt->m);
		fr_task_yield();
	}
	kt_join_done(&mt->join);
}

/*
 * Tasks that yield while holding the mutex: only one is ever inside, and
 * no update of the counter is lost.  They start while the test holds the
 * mutex, so each of them finds it taken and sleeps on it at least once.
 */
KTEST(sync, mutex_contention)
{
	struct mutex_test mt = { .kt = kt };

	fr_mutex_init(&mt.m);
	fr_mutex_lock(&mt.m);
	KT_EXPECT(start_tasks(&mt.join, MUTEX_TASKS, mutex_counter_fn, &mt));
	KT_EXPECT(KT_YIELD_UNTIL(RD(mt.contended) == MUTEX_TASKS));
	KT_EXPECT_EQ(RD(mt.counter), 0);
	fr_mutex_unlock(&mt.m);
	kt_join_wait(kt, &mt.join);
	KT_EXPECT_EQ(mt.counter, MUTEX_TASKS * MUTEX_ROUNDS);
	KT_EXPECT_EQ(mt.max_inside, 1);
	KT_EXPECT(mt.contended >= MUTEX_TASKS);
	KT_EXPECT(fr_mutex_trylock(&mt.m)); /* left unlocked */
	fr_mutex_unlock(&mt.m);
}

static void mutex_waiter_fn(void *arg)
{
	struct mutex_test *mt = arg;

	fr_mutex_lock(&mt->m);
	INC(mt->got);
	fr_mutex_unlock(&mt->m);
	kt_join_done(&mt->join);
}

/* A task blocked on a mutex sleeps until the holder unlocks it. */
KTEST(sync, mutex_blocks_until_unlock)
{
	struct mutex_test mt = { .kt = kt };

	fr_mutex_init(&mt.m);
	fr_mutex_lock(&mt.m);
	KT_EXPECT(start_tasks(&mt.join, 2, mutex_waiter_fn, &mt));
	for (int i = 0; i < 20; i++)
		fr_task_yield();
	KT_EXPECT_EQ(RD(mt.got), 0);
	fr_mutex_unlock(&mt.m);
	kt_join_wait(kt, &mt.join);
	KT_EXPECT_EQ(RD(mt.got), 2);
}

/* ---- wait queues ---- */

struct wq_test {
	struct fr_ktest_ctx *kt;
	struct fr_waitqueue wq;
	struct kt_join join;
	unsigned asleep, woke;
};

/* Sleep once on the queue (no condition), count the wake-up. */
static void sleep_once_fn(void *arg)
{
	struct wq_test *w = arg;
	struct fr_wait_node node = { .task = NULL };

	fr_wait_prepare(&w->wq, &node);
	INC(w->asleep);
	fr_wait_sleep();
	fr_wait_finish(&w->wq, &node);
	INC(w->woke);
	kt_join_done(&w->join);
}

KTEST(sync, wake_one_then_all)
{
	struct wq_test w = { .kt = kt };

	fr_waitqueue_init(&w.wq);
	KT_EXPECT_EQ(fr_wake_one(&w.wq), 0);
	KT_EXPECT_EQ(fr_wake_all(&w.wq), 0);
	KT_EXPECT(start_tasks(&w.join, 3, sleep_once_fn, &w));
	KT_EXPECT(KT_YIELD_UNTIL(RD(w.asleep) == 3));
	KT_EXPECT_EQ(RD(w.woke), 0);
	KT_EXPECT_EQ(fr_wake_one(&w.wq), 1);
	KT_EXPECT(KT_YIELD_UNTIL(RD(w.woke) == 1));
	for (int i = 0; i < 10; i++)
		fr_task_yield();
	KT_EXPECT_EQ(RD(w.woke), 1); /* only one */
	KT_EXPECT_EQ(fr_wake_all(&w.wq), 2);
	kt_join_wait(kt, &w.join);
	KT_EXPECT_EQ(RD(w.woke), 3);
	KT_EXPECT_EQ(fr_wake_all(&w.wq), 0);
}

/* ---- callback waiters ---- */

struct cb_waiter {
	struct fr_wait_node node;
	bool accept;	/* what the callback returns */
	bool alive;	/* cleared once deleted: a later run is a bug */
	unsigned runs, late;
};

static bool cb_fn(struct cb_waiter *c)
{
	INC(c->runs);
	if (!RD(c->alive))
		INC(c->late);
	return c->accept;
}

static void cb_add(struct fr_waitqueue *wq, struct cb_waiter *c, bool accept,
		   unsigned flags)
{
	*c = (struct cb_waiter){ .accept = accept, .alive = true };
	FR_WAIT_ADD_CALLBACK(wq, &c->node, cb_fn, c, flags);
}

/* A callback runs at every wake-up, one or all, and stays queued until
 * deleted; it does not count as a task woken. */
KTEST(sync, callback_every_wakeup)
{
	struct fr_waitqueue wq;
	struct cb_waiter a, b;

	fr_waitqueue_init(&wq);
	cb_add(&wq, &a, true, 0);
	cb_add(&wq, &b, false, 0);
	KT_EXPECT_EQ(fr_wake_all(&wq), 1); /* a accepted, b did not */
	KT_EXPECT_EQ(fr_wake_one(&wq), 1);
	KT_EXPECT_EQ(fr_wake_all(&wq), 1);
	KT_EXPECT_EQ(RD(a.runs), 3);
	KT_EXPECT_EQ(RD(b.runs), 3);
	fr_wait_del_callback(&wq, &a.node);
	WR(a.alive, false);
	KT_EXPECT_EQ(fr_wake_all(&wq), 0);
	KT_EXPECT_EQ(RD(a.runs), 3);
	KT_EXPECT_EQ(RD(b.runs), 4);
	fr_wait_del_callback(&wq, &b.node);
	fr_wait_del_callback(&wq, &b.node); /* not queued: nothing */
	KT_EXPECT_EQ(fr_wake_all(&wq), 0);
	KT_EXPECT_EQ(RD(b.runs), 4);
	KT_EXPECT_EQ(RD(a.late), 0);
}

/* Exclusive callbacks run until one accepts; the others all run. */
KTEST(sync, callback_exclusive)
{
	struct fr_waitqueue wq;
	struct cb_waiter refuse, take1, take2, plain;

	fr_waitqueue_init(&wq);
	cb_add(&wq, &take1, true, FR_WAIT_EXCLUSIVE);
	cb_add(&wq, &refuse, false, FR_WAIT_EXCLUSIVE);
	cb_add(&wq, &plain, true, 0);
	cb_add(&wq, &take2, true, FR_WAIT_EXCLUSIVE);
	for (int i = 1; i <= 4; i++) {
		/* plain and one taker */
		KT_EXPECT_EQ(i % 2 ? fr_wake_all(&wq) : fr_wake_one(&wq), 2);
		KT_EXPECT_EQ(RD(take1.runs) + RD(take2.runs), i);
		KT_EXPECT_EQ(RD(plain.runs), i);
	}
	/* the one that took it stops taking it once gone */
	fr_wait_del_callback(&wq, RD(take1.runs) ? &take1.node : &take2.node);
	KT_EXPECT_EQ(fr_wake_all(&wq), 2);
	KT_EXPECT_EQ(RD(take1.runs) + RD(take2.runs), 5);
	KT_EXPECT(RD(take1.runs) && RD(take2.runs));
	fr_wait_del_callback(&wq, &take1.node);
	fr_wait_del_callback(&wq, &take2.node);
	/* only a refusing one left: it runs every time */
	KT_EXPECT_EQ(fr_wake_all(&wq), 1);
	KT_EXPECT(RD(refuse.runs) >= 1);
	fr_wait_del_callback(&wq, &refuse.node);
	fr_wait_del_callback(&wq, &plain.node);
}

/* Callbacks do not take a task's place: fr_wake_one still wakes one. */
KTEST(sync, callback_and_tasks)
{
	struct wq_test w = { .kt = kt };
	struct cb_waiter c;

	fr_waitqueue_init(&w.wq);
	KT_EXPECT(start_tasks(&w.join, 2, sleep_once_fn, &w));
	KT_EXPECT(KT_YIELD_UNTIL(RD(w.asleep) == 2));
	cb_add(&w.wq, &c, true, FR_WAIT_EXCLUSIVE);
	KT_EXPECT_EQ(fr_wake_one(&w.wq), 2); /* the callback and one task */
	KT_EXPECT(KT_YIELD_UNTIL(RD(w.woke) == 1));
	KT_EXPECT_EQ(RD(c.runs), 1);
	KT_EXPECT_EQ(fr_wake_all(&w.wq), 2);
	kt_join_wait(kt, &w.join);
	KT_EXPECT_EQ(RD(w.woke), 2);
	KT_EXPECT_EQ(fr_wake_all(&w.wq), 1); /* the callback alone */
	fr_wait_del_callback(&w.wq, &c.node);
	KT_EXPECT_EQ(fr_wake_all(&w.wq), 0);
}

struct cb_storm {
	struct fr_waitqueue wq;
	struct kt_join join;
	bool stop;
};

static void waker_fn(void *arg)
{
	struct cb_storm *s = arg;

	while (!RD(s->stop)) {
		fr_wake_all(&s->wq);
		fr_task_yield();
	}
	kt_join_done(&s->join);
}

/* Once fr_wait_del_callback() returns the callback never runs again,
 * even with wake-ups coming from another task (another CPU with SMP). */
KTEST(sync, callback_delete_under_wakeups)
{
	struct cb_storm s = { .stop = false };
	struct cb_waiter c[4];
	unsigned runs = 0;

	fr_waitqueue_init(&s.wq);
	KT_EXPECT(start_tasks(&s.join, 1, waker_fn, &s));
	for (int round = 0; round < 200; round++) {
		struct cb_waiter *w = &c[round % 4];

		cb_add(&s.wq, w, true, round % 2 ? FR_WAIT_EXCLUSIVE : 0);
		/* the waker may start late on another CPU: see it run once */
		if (round == 0)
			KT_EXPECT(KT_YIELD_UNTIL(RD(w->runs) > 0));
		else
			fr_task_yield();
		fr_wait_del_callback(&s.wq, &w->node);
		WR(w->alive, false);
		runs += RD(w->runs);
		KT_EXPECT_EQ(RD(w->late), 0);
	}
	WR(s.stop, true);
	kt_join_wait(kt, &s.join);
	for (int i = 0; i < 4; i++)
		KT_EXPECT_EQ(RD(c[i].late), 0);
	KT_EXPECT(runs > 0);
}

/* Wakes a task that is still asleep after a deadline, and says so. */
struct rescuer {
	struct fr_task *victim;
	struct kt_join join;
	uint64_t deadline;
	bool done, fired;
};

static void rescuer_fn(void *arg)
{
	struct rescuer *r = arg;

	while (!RD(r->done) && fr_ticks() < r->deadline)
		fr_task_yield();
	if (!RD(r->done)) {
		WR(r->fired, true);
		fr_task_wake(r->victim);
	}
	kt_join_done(&r->join);
}

/*
 * A wake-up that comes between fr_wait_prepare() and fr_wait_sleep() --
 * here from the same CPU with interrupts off, as an interrupt handler's
 * would -- makes fr_wait_sleep() return at once.  Were it lost, the task
 * would sleep until the rescuer's deadline.
 */
KTEST(sync, no_lost_wakeup_before_sleep)
{
	struct rescuer r = { .victim = fr_task_current() };
	struct fr_waitqueue wq;
	struct fr_task *t;

	fr_waitqueue_init(&wq);
	r.deadline = fr_ticks() + 3 * FR_TICK_HZ;
	kt_join_init(&r.join, 1);
	t = fr_task_create("kt-rescuer", rescuer_fn, &r);
	KT_ASSERT(t != NULL);
	fr_task_start(t);
	for (int round = 0; round < 20 && !RD(r.fired); round++) {
		struct fr_wait_node node = { .task = NULL };
		unsigned long flags;
		unsigned woken;

		fr_wait_prepare(&wq, &node);
		flags = fr_irq_save();
		woken = fr_wake_one(&wq);
		fr_irq_restore(flags);
		KT_EXPECT_EQ(woken, 1);
		fr_wait_sleep();
		fr_wait_finish(&wq, &node);
	}
	WR(r.done, true);
	kt_join_wait(kt, &r.join);
	KT_EXPECT(!RD(r.fired));
}

#define PINGPONG_ROUNDS 300

struct turns {
	struct fr_waitqueue wq[2];
	struct kt_join join;
	unsigned turn; /* whose turn: 0 or 1 */
	unsigned rounds[2];
};

static void take_turns(struct turns *t, unsigned me)
{
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		FR_WAIT_EVENT(&t->wq[me], RD(t->turn) == me);
		INC(t->rounds[me]);
		WR(t->turn, 1 - me);
		fr_wake_one(&t->wq[1 - me]);
	}
	kt_join_done(&t->join);
}

static void turn0_fn(void *arg)
{
	take_turns(arg, 0);
}

static void turn1_fn(void *arg)
{
	take_turns(arg, 1);
}

/* Two tasks hand a turn back and forth, each sleeping until it is its
 * turn: a single lost wake-up would stop both. */
KTEST(sync, no_lost_wakeup_pingpong)
{
	struct turns t = { .turn = 0 };
	struct fr_task *a, *b;

	fr_waitqueue_init(&t.wq[0]);
	fr_waitqueue_init(&t.wq[1]);
	kt_join_init(&t.join, 2);
	/* the second one starts first, to sleep before its turn */
	b = fr_task_create("kt-turn1", turn1_fn, &t);
	a = fr_task_create("kt-turn0", turn0_fn, &t);
	KT_ASSERT(a && b);
	fr_task_start(b);
	fr_task_start(a);
	kt_join_wait(kt, &t.join);
	KT_EXPECT_EQ(RD(t.rounds[0]), PINGPONG_ROUNDS);
	KT_EXPECT_EQ(RD(t.rounds[1]), PINGPONG_ROUNDS);
}

/* A condition already true does not sleep at all. */
KTEST(sync, wait_event_true_condition)
{
	struct fr_waitqueue wq;
	uint64_t t0 = fr_ticks();
	int ready = 1;

	fr_waitqueue_init(&wq);
	FR_WAIT_EVENT(&wq, ready == 1);
	/* not left queued: nothing to wake */
	KT_EXPECT_EQ(fr_wake_all(&wq), 0);
	KT_EXPECT(fr_ticks() - t0 < FR_TICK_HZ);
	KT_EXPECT(!fr_task_wake(fr_task_current()));
}

/* ---- waiting on several queues at once (fr_wait_add, fr_wait_woken) ---- */

struct multi_wait {
	struct fr_waitqueue wq[3];
	struct kt_join join;
	unsigned asleep; /* the waiter is about to sleep */
	unsigned which;	 /* the queue the waker wakes */
};

static void multi_waker_fn(void *arg)
{
	struct multi_wait *m = arg;

	while (!RD(m->asleep))
		fr_task_yield();
	for (int i = 0; i < 10; i++) /* let it reach fr_wait_sleep */
		fr_task_yield();
	fr_wake_all(&m->wq[RD(m->which)]);
	kt_join_done(&m->join);
}

/*
 * A task queued on three queues with fr_wait_add() is woken by a wake-up
 * on any one of them, and fr_wait_woken() tells which; a wake-up that came
 * before it marked itself sleeping is seen without sleeping.  A rescuer
 * wakes it after a deadline, so a lost wake-up fails instead of hanging.
 */
KTEST(sync, wait_on_several_queues)
{
	struct multi_wait m = { .which = 2 };
	struct rescuer r = { .victim = fr_task_current() };
	struct fr_wait_node nodes[3] = { { .task = NULL } };
	struct fr_wait_node self_node = { .task = NULL };
	struct fr_waitqueue self;
	struct fr_task *t, *rt;
	bool any = false;

	for (int i = 0; i < 3; i++) {
		fr_waitqueue_init(&m.wq[i]);
		KT_EXPECT(!fr_wait_woken(&m.wq[i], &nodes[i]));
		fr_wait_add(&m.wq[i], &nodes[i]);
		fr_wait_add(&m.wq[i], &nodes[i]); /* already queued: no-op */
	}
	fr_waitqueue_init(&self);
	/* a wake-up before sleeping is seen by fr_wait_woken alone */
	KT_EXPECT_EQ(fr_wake_all(&m.wq[0]), 0); /* the task runs: not woken */
	KT_EXPECT(fr_wait_woken(&m.wq[0], &nodes[0]));
	KT_EXPECT(!fr_wait_woken(&m.wq[1], &nodes[1]));
	fr_wait_add(&m.wq[0], &nodes[0]); /* queued again */
	KT_EXPECT(!fr_wait_woken(&m.wq[0], &nodes[0]));

	/* another task wakes the third queue while we sleep */
	r.deadline = fr_ticks() + 3 * FR_TICK_HZ;
	kt_join_init(&r.join, 1);
	kt_join_init(&m.join, 1);
	rt = fr_task_create("kt-rescuer", rescuer_fn, &r);
	t = fr_task_create("kt-waker", multi_waker_fn, &m);
	KT_ASSERT(t && rt);
	fr_task_start(rt);
	fr_task_start(t);
	while (!any && !RD(r.fired)) {
		fr_wait_prepare(&self, &self_node);
		WR(m.asleep, 1);
		for (int i = 0; i < 3; i++)
			any |= fr_wait_woken(&m.wq[i], &nodes[i]);
		if (!any)
			fr_wait_sleep();
		fr_wait_finish(&self, &self_node);
	}
	for (int i = 0; i < 3; i++)
		any |= fr_wait_woken(&m.wq[i], &nodes[i]);
	KT_EXPECT(any);
	KT_EXPECT(!fr_wait_woken(&m.wq[0], &nodes[0]));
	KT_EXPECT(!fr_wait_woken(&m.wq[1], &nodes[1]));
	KT_EXPECT(fr_wait_woken(&m.wq[2], &nodes[2]));
	kt_join_wait(kt, &m.join);
	WR(r.done, true);
	kt_join_wait(kt, &r.join);
	KT_EXPECT(!RD(r.fired));
	for (int i = 0; i < 3; i++) {
		fr_wait_finish(&m.wq[i], &nodes[i]);
		KT_EXPECT(!fr_wait_woken(&m.wq[i], &nodes[i]));
		KT_EXPECT_EQ(fr_wake_all(&m.wq[i]), 0); /* nothing left queued */
	}
}
