/*
 * KTESTs of the scheduling policy's run queues (rq.c) as pure logic: made-
 * up entities on a private struct sched_state, driven by a clock the test
 * advances, with the frame's switch (put the running one back if it stays
 * runnable, pick the next) done by hand.  Queue order of the classes,
 * Linux's weights and what they give, placement of sleepers and new
 * tasks, the choice of CPU, stealing and balancing, preemption, what a
 * child inherits, and the load averages.
 */
#include <frame/ktest.h>
#include <frame/log.h>
#include <libs/string.h>
#include "sched/rq.h"

#define MS 1000000ULL
#define TICK (10 * MS)
#define NENTS 12

static struct sched_state st;
static struct fr_sched_entity ents[NENTS];
static uint64_t now;

static void setup(unsigned ncpus)
{
	sched_state_init(&st);
	st.ncpus = ncpus;
	memset(ents, 0, sizeof(ents));
	now = 1000 * MS;
}

/* Entity @i, new, of @policy, @prio and @nice. */
static struct fr_sched_entity *mk(int i, unsigned policy, unsigned prio,
				  int nice)
{
	struct fr_sched_entity *se = &ents[i];

	sched_entity_init(se, NULL);
	se->sched_class = policy;
	se->rt_priority = prio;
	se->nice = nice;
	sched_entity_set_weight(se);
	return se;
}

/*
 * The frame's switch on @cpu: @cur (if any) stops, and is queued again if
 * @runnable (as after a preemption or a yield); returns the next to run.
 */
static struct fr_sched_entity *resched(unsigned cpu,
				       struct fr_sched_entity *cur,
				       bool runnable)
{
	if (cur) {
		sched_put(&st, cur, cpu, now);
		if (runnable)
			sched_enqueue(&st, cur, cpu, now);
	}
	return sched_pick(&st, cpu, now);
}

/* Run @cpu for @ticks ticks from @cur, counting in @ran[i] the ticks each
 * entity ran and in *@switches the switches; returns who runs at the end. */
static struct fr_sched_entity *run(unsigned cpu, struct fr_sched_entity *cur,
				   unsigned ticks, unsigned ran[NENTS],
				   unsigned *switches)
{
	for (unsigned i = 0; i < ticks; i++) {
		now += TICK;
		if (cur)
			ran[cur - ents]++;
		if (cur && sched_tick(&st, cur, cpu, now)) {
			struct fr_sched_entity *next = resched(cpu, cur, true);

			if (switches && next != cur)
				(*switches)++;
			cur = next;
		} else if (!cur) {
			cur = sched_pick(&st, cpu, now);
		}
	}
	return cur;
}

KTEST(sched_rq, nice_weights)
{
	KT_EXPECT_EQ(sched_nice_weight(0), 1024);
	KT_EXPECT_EQ(sched_nice_weight(-20), 88761);
	KT_EXPECT_EQ(sched_nice_weight(19), 15);
	KT_EXPECT_EQ(sched_nice_weight(-40), 88761);
	KT_EXPECT_EQ(sched_nice_weight(40), 15);
	/* each step about 1.25 times the next */
	for (int n = -20; n < 19; n++) {
		uint64_t r = sched_nice_weight(n) * 100ULL /
			     sched_nice_weight(n + 1);

		KT_EXPECT(r >= 118 && r <= 132);
	}
}

KTEST(sched_rq, classes_in_order)
{
	static const int want[] = { 3, 1, 0, 2, 5, 4, 6 };
	struct fr_sched_entity *cur = NULL;

	setup(1);
	sched_enqueue(&st, mk(0, SCHED_FIFO, 10, 0), 0, now);
	sched_enqueue(&st, mk(1, SCHED_RR, 50, 0), 0, now);
	sched_enqueue(&st, mk(2, SCHED_FIFO, 10, 0), 0, now);
	sched_enqueue(&st, mk(3, SCHED_FIFO, 99, 0), 0, now);
	sched_enqueue(&st, mk(4, SCHED_IDLE, 0, -20), 0, now);
	sched_enqueue(&st, mk(5, SCHED_NORMAL, 0, 19), 0, now);
	sched_enqueue(&st, mk(6, SCHED_IDLE, 0, 0), 0, now);
	KT_EXPECT_EQ(sched_nr_running(&st), 7);
	for (size_t i = 0; i < FR_ARRAY_SIZE(want); i++) {
		cur = resched(0, cur, false); /* each one sleeps after it ran */
		KT_ASSERT(cur != NULL);
		KT_EXPECT_EQ(cur - ents, want[i]);
	}
	KT_EXPECT(resched(0, cur, false) == NULL);
	KT_EXPECT_EQ(sched_nr_running(&st), 0);
}

KTEST(sched_rq, real_time_queue_positions)
{
	struct fr_sched_entity *a, *b, *c, *cur;

	setup(1);
	a = mk(0, SCHED_FIFO, 10, 0);
	b = mk(1, SCHED_FIFO, 10, 0);
	c = mk(2, SCHED_FIFO, 20, 0);
	sched_enqueue(&st, a, 0, now);
	sched_enqueue(&st, b, 0, now);
	cur = resched(0, NULL, false);
	KT_ASSERT(cur == a);
	/* a higher priority wakes: a is preempted, stays first of its own */
	sched_enqueue(&st, c, 0, now);
	KT_EXPECT(sched_wakeup_preempt(&st, a, c, 0, now));
	cur = resched(0, a, true);
	KT_EXPECT(cur == c);
	cur = resched(0, cur, false);
	KT_EXPECT(cur == a);
	/* a yields: behind its equal */
	cur = resched(0, cur, true);
	KT_EXPECT(cur == b);
	/* FIFO: the tick never preempts, even with an equal waiting */
	for (int i = 0; i < 50; i++) {
		now += TICK;
		KT_EXPECT(!sched_tick(&st, b, 0, now));
	}
	/* nor does an equal waking */
	KT_EXPECT(!sched_wakeup_preempt(&st, b, a, 0, now));
}

KTEST(sched_rq, round_robin_slices)
{
	unsigned ran[NENTS] = { 0 }, switches = 0;
	struct fr_sched_entity *cur;

	setup(1);
	sched_enqueue(&st, mk(0, SCHED_RR, 10, 0), 0, now);
	sched_enqueue(&st, mk(1, SCHED_RR, 10, 0), 0, now);
	sched_enqueue(&st, mk(2, SCHED_NORMAL, 0, 0), 0, now); /* starves */
	cur = run(0, NULL, 1, ran, NULL);
	cur = run(0, cur, 200, ran, &switches);
	/* 100 ms slices: a switch every 10 ticks */
	KT_EXPECT(switches >= 18 && switches <= 21);
	KT_EXPECT(ran[0] >= 95 && ran[1] >= 95);
	KT_EXPECT_EQ(ran[2], 0);
	/* alone in its priority, a SCHED_RR task keeps the CPU */
	setup(1);
	sched_enqueue(&st, mk(0, SCHED_RR, 10, 0), 0, now);
	sched_enqueue(&st, mk(1, SCHED_RR, 5, 0), 0, now);
	switches = 0;
	memset(ran, 0, sizeof(ran));
	cur = run(0, NULL, 100, ran, &switches);
	KT_EXPECT_EQ(switches, 0);
	KT_EXPECT_EQ(ran[1], 0);
}

KTEST(sched_rq, fair_shares_follow_weights)
{
	unsigned ran[NENTS] = { 0 };

	/* equal nice: equal shares */
	setup(1);
	for (int i = 0; i < 3; i++)
		sched_enqueue(&st, mk(i, SCHED_NORMAL, 0, 0), 0, now);
	run(0, NULL, 3000, ran, NULL);
	for (int i = 0; i < 3; i++)
		KT_EXPECT(ran[i] >= 950 && ran[i] <= 1050);

	/* nice 0 against nice 10: 1024 to 110 */
	setup(1);
	memset(ran, 0, sizeof(ran));
	sched_enqueue(&st, mk(0, SCHED_NORMAL, 0, 0), 0, now);
	sched_enqueue(&st, mk(1, SCHED_BATCH, 0, 10), 0, now);
	run(0, NULL, 2000, ran, NULL);
	KT_EXPECT(ran[1] > 0);
	KT_EXPECT(ran[0] * 10 >= ran[1] * 80 && ran[0] * 10 <= ran[1] * 110);
	if (ran[1])
		fr_printk("#   nice 0: %u ticks, nice 10: %u\n", ran[0],
			  ran[1]);
}

KTEST(sched_rq, sleepers_do_not_hoard_credit)
{
	unsigned ran[NENTS] = { 0 };
	struct fr_sched_entity *a, *b, *c, *cur;
	uint64_t half_latency = SCHED_LATENCY_NS / 2;

	setup(1);
	a = mk(0, SCHED_NORMAL, 0, 0);
	b = mk(1, SCHED_NORMAL, 0, 0);
	sched_enqueue(&st, a, 0, now);
	sched_enqueue(&st, b, 0, now);
	cur = resched(0, NULL, false);
	/* the other one sleeps for 10 s while this one runs */
	if (cur == b) {
		b = a;
		a = cur;
	}
	sched_dequeue(&st, b);
	cur = run(0, cur, 1000, ran, NULL);
	KT_ASSERT(cur == a);
	sched_enqueue(&st, b, 0, now);
	/* it wakes with at most half a latency of credit */
	KT_EXPECT(b->vruntime + half_latency >= st.rq[0].fair.min_vruntime);
	KT_EXPECT(b->vruntime < a->vruntime);
	/* enough to preempt at once, not to keep the CPU for long */
	KT_EXPECT(sched_wakeup_preempt(&st, a, b, 0, now));
	cur = resched(0, a, true);
	KT_EXPECT(cur == b);
	memset(ran, 0, sizeof(ran));
	run(0, cur, 20, ran, NULL);
	KT_EXPECT(ran[a - ents] >= 8 && ran[b - ents] >= 8);

	/* a new task starts after the others (no credit at all) */
	c = mk(2, SCHED_NORMAL, 0, 0);
	sched_enqueue(&st, c, 0, now);
	KT_EXPECT(c->vruntime > st.rq[0].fair.min_vruntime);
	KT_EXPECT(!(c->policy_flags & SE_NEW));
}

KTEST(sched_rq, wakeup_preemption_rules)
{
	struct fr_sched_entity *fair, *rt, *lo_rt, *idle, *batch, *w;

	setup(1);
	fair = mk(0, SCHED_NORMAL, 0, 0);
	rt = mk(1, SCHED_FIFO, 30, 0);
	lo_rt = mk(2, SCHED_RR, 10, 0);
	idle = mk(3, SCHED_IDLE, 0, 0);
	batch = mk(4, SCHED_BATCH, 0, 0);
	w = mk(5, SCHED_NORMAL, 0, 0);
	/* real time over the others, and the higher priority first */
	KT_EXPECT(sched_wakeup_preempt(&st, fair, rt, 0, now));
	KT_EXPECT(sched_wakeup_preempt(&st, lo_rt, rt, 0, now));
	KT_EXPECT(!sched_wakeup_preempt(&st, rt, lo_rt, 0, now));
	KT_EXPECT(!sched_wakeup_preempt(&st, rt, fair, 0, now));
	/* SCHED_IDLE gives way to anyone, takes from nobody */
	KT_EXPECT(sched_wakeup_preempt(&st, idle, fair, 0, now));
	KT_EXPECT(sched_wakeup_preempt(&st, idle, batch, 0, now));
	KT_EXPECT(!sched_wakeup_preempt(&st, fair, idle, 0, now));
	/* the fair class: a clearly smaller vruntime, a SCHED_NORMAL waker */
	fair->vruntime = 100 * MS;
	w->vruntime = 100 * MS - SCHED_WAKEUP_GRAN_NS / 2;
	KT_EXPECT(!sched_wakeup_preempt(&st, fair, w, 0, now));
	w->vruntime = 100 * MS - 2 * SCHED_WAKEUP_GRAN_NS;
	KT_EXPECT(sched_wakeup_preempt(&st, fair, w, 0, now));
	batch->vruntime = w->vruntime;
	KT_EXPECT(!sched_wakeup_preempt(&st, fair, batch, 0, now));
	batch->vruntime = fair->vruntime;
	KT_EXPECT(sched_wakeup_preempt(&st, batch, w, 0, now));
}

KTEST(sched_rq, idle_class_runs_last)
{
	unsigned ran[NENTS] = { 0 };
	struct fr_sched_entity *f, *i, *cur;

	setup(1);
	i = mk(0, SCHED_IDLE, 0, -20);
	f = mk(1, SCHED_NORMAL, 0, 19);
	sched_enqueue(&st, i, 0, now);
	sched_enqueue(&st, f, 0, now);
	cur = run(0, NULL, 200, ran, NULL);
	KT_EXPECT_EQ(ran[0], 0);
	KT_EXPECT(cur == f);
	cur = resched(0, cur, false); /* f sleeps */
	KT_EXPECT(cur == i);
	sched_enqueue(&st, f, 0, now);
	KT_EXPECT(sched_wakeup_preempt(&st, i, f, 0, now));
	/* and the tick takes it back too */
	now += TICK;
	KT_EXPECT(sched_tick(&st, i, 0, now));
}

/* Make @cpu run entity @i (of @policy and @prio), plus @queued more fair
 * ones queued there, from index @next on. */
static void load_cpu(struct fr_ktest_ctx *kt, unsigned cpu, int i,
		     unsigned policy, unsigned prio, int queued, int *next)
{
	struct fr_sched_entity *se = mk(i, policy, prio, 0);

	se->cpus_allowed = 1ULL << cpu;
	sched_enqueue(&st, se, cpu, now);
	KT_EXPECT(sched_pick(&st, cpu, now) == se);
	se->cpus_allowed = ~0ULL;
	for (int k = 0; k < queued; k++) {
		se = mk((*next)++, SCHED_NORMAL, 0, 0);
		se->cpus_allowed = 1ULL << cpu;
		KT_EXPECT_EQ(sched_enqueue(&st, se, cpu, now), cpu);
		se->cpus_allowed = ~0ULL;
	}
}

KTEST(sched_rq, choice_of_cpu)
{
	struct fr_sched_entity *w;
	int next = 5;

	/* all idle: the waker's CPU for a new task */
	setup(4);
	w = mk(11, SCHED_NORMAL, 0, 0);
	KT_EXPECT_EQ(sched_enqueue(&st, w, 2, now), 2);

	/* all equally busy: the task's last CPU */
	setup(4);
	for (unsigned c = 0; c < 4; c++)
		load_cpu(kt, c, (int)c, SCHED_NORMAL, 0, 0, &next);
	w = mk(11, SCHED_NORMAL, 0, 0);
	w->cpu = 1;
	KT_EXPECT_EQ(sched_enqueue(&st, w, 0, now), 1);

	/* its last CPU busier than the others: the least loaded */
	setup(4);
	next = 5;
	load_cpu(kt, 0, 0, SCHED_NORMAL, 0, 0, &next);
	load_cpu(kt, 1, 1, SCHED_NORMAL, 0, 2, &next);
	load_cpu(kt, 2, 2, SCHED_NORMAL, 0, 1, &next);
	load_cpu(kt, 3, 3, SCHED_NORMAL, 0, 1, &next);
	w = mk(11, SCHED_NORMAL, 0, 0);
	w->cpu = 1;
	KT_EXPECT_EQ(sched_enqueue(&st, w, 2, now), 0);

	/* an idle CPU before a busy last one */
	setup(4);
	next = 5;
	for (unsigned c = 0; c < 3; c++)
		load_cpu(kt, c, (int)c, SCHED_NORMAL, 0, 0, &next);
	w = mk(11, SCHED_NORMAL, 0, 0);
	w->cpu = 0;
	KT_EXPECT_EQ(sched_enqueue(&st, w, 0, now), 3);

	/* the CPUs it may use, whatever their load */
	sched_dequeue(&st, w);
	w->cpus_allowed = 1ULL << 1;
	KT_EXPECT_EQ(sched_enqueue(&st, w, 0, now), 1);

	/* real time: where it runs at once, not behind a higher priority */
	setup(2);
	next = 5;
	load_cpu(kt, 0, 0, SCHED_FIFO, 60, 0, &next);
	load_cpu(kt, 1, 1, SCHED_NORMAL, 0, 2, &next);
	w = mk(11, SCHED_FIFO, 50, 0);
	w->cpu = 0;
	KT_EXPECT_EQ(sched_enqueue(&st, w, 0, now), 1);
}

KTEST(sched_rq, idle_cpu_steals)
{
	struct fr_sched_entity *a, *b, *c, *got;

	setup(2);
	a = mk(0, SCHED_NORMAL, 0, 0);
	b = mk(1, SCHED_NORMAL, 0, 0);
	c = mk(2, SCHED_NORMAL, 0, 0);
	a->cpus_allowed = b->cpus_allowed = c->cpus_allowed = 1;
	sched_enqueue(&st, a, 0, now);
	sched_enqueue(&st, b, 0, now);
	sched_enqueue(&st, c, 0, now);
	KT_EXPECT(sched_pick(&st, 0, now) == a);
	/* they may not run on CPU 1: nothing to steal */
	KT_EXPECT(sched_pick(&st, 1, now) == NULL);
	/* c may: CPU 1 takes it */
	c->cpus_allowed = ~0ULL;
	got = sched_pick(&st, 1, now);
	KT_EXPECT(got == c);
	KT_EXPECT_EQ(got ? got->cpu : -1, 1);
	KT_EXPECT_EQ(st.rq[0].nr_running, 2);
	KT_EXPECT_EQ(st.rq[1].nr_running, 1);
}

KTEST(sched_rq, tick_pulls_from_the_busiest)
{
	struct fr_sched_entity *e;
	int next = 5;

	setup(2);
	load_cpu(kt, 0, 0, SCHED_NORMAL, 0, 3, &next);
	load_cpu(kt, 1, 1, SCHED_NORMAL, 0, 0, &next);
	e = &ents[1];
	KT_EXPECT_EQ(st.rq[0].nr_running, 4);
	now += TICK;
	sched_tick(&st, e, 1, now);
	KT_EXPECT_EQ(st.rq[0].nr_running, 3);
	KT_EXPECT_EQ(st.rq[1].nr_running, 2);
	/* one task apart: nothing moves */
	now += SCHED_BALANCE_NS;
	sched_tick(&st, e, 1, now);
	KT_EXPECT_EQ(st.rq[0].nr_running, 3);
	KT_EXPECT_EQ(st.rq[1].nr_running, 2);
}

KTEST(sched_rq, child_inherits)
{
	struct fr_sched_entity parent, child;

	memset(&parent, 0, sizeof(parent));
	sched_entity_init(&parent, NULL);
	KT_EXPECT_EQ(parent.sched_class, SCHED_NORMAL);
	KT_EXPECT_EQ(parent.cpu, -1);
	KT_EXPECT(parent.cpus_allowed == ~0ULL);
	parent.sched_class = SCHED_FIFO;
	parent.rt_priority = 10;
	parent.nice = -3;
	parent.cpus_allowed = 6;
	sched_entity_init(&child, &parent);
	KT_EXPECT_EQ(child.sched_class, SCHED_FIFO);
	KT_EXPECT_EQ(child.rt_priority, 10);
	KT_EXPECT_EQ(child.nice, -3);
	KT_EXPECT(child.cpus_allowed == 6);
	/* SCHED_RESET_ON_FORK: real time to SCHED_NORMAL at nice 0 */
	parent.policy_flags |= SE_RESET_ON_FORK;
	sched_entity_init(&child, &parent);
	KT_EXPECT_EQ(child.sched_class, SCHED_NORMAL);
	KT_EXPECT_EQ(child.rt_priority, 0);
	KT_EXPECT_EQ(child.nice, 0);
	KT_EXPECT(!(child.policy_flags & SE_RESET_ON_FORK));
	KT_EXPECT(child.cpus_allowed == 6);
	/* and a negative nice to 0; a positive one stays */
	parent.sched_class = SCHED_BATCH;
	parent.rt_priority = 0;
	sched_entity_init(&child, &parent);
	KT_EXPECT_EQ(child.sched_class, SCHED_BATCH);
	KT_EXPECT_EQ(child.nice, 0);
	parent.nice = 5;
	sched_entity_init(&child, &parent);
	KT_EXPECT_EQ(child.nice, 5);
	KT_EXPECT_EQ(child.weight, sched_nice_weight(5));
}

/* @v (fixed point) is within [lo, hi] hundredths. */
static bool load_near(uint64_t v, unsigned lo, unsigned hi)
{
	uint64_t h = v * 100 / LOADAVG_FIXED_1;

	return h >= lo && h <= hi;
}

KTEST(sched_rq, load_averages)
{
	uint64_t avg[3];
	unsigned running;
	struct fr_sched_entity *a;

	/* Linux's calc_load(): one sample of 1 from 0 */
	KT_EXPECT_EQ(sched_calc_load(0, 1884, LOADAVG_FIXED_1), 164);
	setup(1);
	now = 0;
	a = mk(0, SCHED_NORMAL, 0, 0);
	sched_enqueue(&st, a, 0, now);
	KT_EXPECT(sched_pick(&st, 0, now) == a);
	/* one task running for a minute: 1 - e^-1, e^-1/5, e^-1/15 */
	now = 60 * 1000 * MS;
	sched_loadavg_advance(&st, now);
	sched_loadavg_read(&st, now, avg, &running);
	KT_EXPECT_EQ(running, 1);
	KT_EXPECT(load_near(avg[0], 56, 66));
	KT_EXPECT(load_near(avg[1], 14, 20));
	KT_EXPECT(load_near(avg[2], 4, 8));
	/* a reader a minute later, no hook in between: the same samples */
	now = 120 * 1000 * MS;
	sched_loadavg_read(&st, now, avg, NULL);
	KT_EXPECT(load_near(avg[0], 83, 89));
	/* it sleeps for 10 minutes: back to nearly 0 */
	sched_put(&st, a, 0, now);
	sched_pick(&st, 0, now);
	now += 600 * 1000 * MS;
	sched_loadavg_read(&st, now, avg, &running);
	KT_EXPECT_EQ(running, 0);
	KT_EXPECT(load_near(avg[0], 0, 0));
	KT_EXPECT(load_near(avg[2], 0, 40));
}
