/*
 * KTESTs of the kernel's scheduling policy with real tasks: tasks that
 * yield to each other all run and take turns, and a task that keeps the
 * CPU past its time slice is asked to yield (fr_task_need_resched) only
 * when another task is waiting.  (The run queues' logic has its own tests
 * in rq_test.c.)  The tasks share file-scope state and know themselves by
 * their names, so that no void pointer needs converting.
 */
#include <frame/ktest.h>
#include <frame/cpu.h>
#include <frame/log.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <libs/string.h>

#define RD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define INC(x) __atomic_add_fetch(&(x), 1, __ATOMIC_ACQ_REL)
#define DEC(x) __atomic_sub_fetch(&(x), 1, __ATOMIC_ACQ_REL)

#define ROUNDS 3
#define NTASKS 3

/* What the test's tasks do; reset by each test before it starts them. */
static struct {
	char log[ROUNDS * NTASKS + 1];
	unsigned len;
	unsigned left; /* tasks still running */
} rr;

/*
 * Wait, yielding, until the tasks are done.  Returns false when that took
 * more than about 10 seconds (and goes on waiting, so that no task of
 * this test is left behind for the next).
 */
static bool wait_done(void)
{
	uint64_t deadline = fr_ticks() + 10 * FR_TICK_HZ;

	while (RD(rr.left) && fr_ticks() < deadline)
		fr_task_yield();
	if (!RD(rr.left))
		return true;
	fr_printk("# sched test: tasks stuck, waiting for them\n");
	while (RD(rr.left))
		fr_task_yield();
	return false;
}

/* Log the last letter of the task's name, yield, ROUNDS times. */
static void order_fn(void *unused)
{
	const char *name = fr_task_name(fr_task_current());
	char me = name[strlen(name) - 1];

	(void)unused;
	for (int i = 0; i < ROUNDS; i++) {
		unsigned at = INC(rr.len) - 1;

		if (at < sizeof(rr.log) - 1)
			rr.log[at] = me;
		fr_task_yield();
	}
	DEC(rr.left);
}

KTEST(sched, yields_take_turns)
{
	static const char *const names[NTASKS] = {
		"kt-sched-a", "kt-sched-b", "kt-sched-c",
	};
	unsigned count[NTASKS] = { 0 }, switches = 0;

	memset(&rr, 0, sizeof(rr));
	rr.left = NTASKS;
	for (int i = 0; i < NTASKS; i++) {
		struct fr_task *t = fr_task_create(names[i], order_fn, NULL);

		if (KT_EXPECT(t != NULL))
			fr_task_start(t);
		else
			DEC(rr.left);
	}
	KT_EXPECT(wait_done());
	KT_ASSERT_EQ(strlen(rr.log), ROUNDS * NTASKS);
	for (unsigned i = 0; i < ROUNDS * NTASKS; i++) {
		if (rr.log[i] >= 'a' && rr.log[i] < 'a' + NTASKS)
			count[rr.log[i] - 'a']++;
		if (i && rr.log[i] != rr.log[i - 1])
			switches++;
	}
	for (int i = 0; i < NTASKS; i++)
		KT_EXPECT_EQ(count[i], ROUNDS);
	/*
	 * On one CPU a yield lets the others go first: they take turns (a
	 * tick may reorder them, and the last may run alone), not each in
	 * one go.  With other CPUs they run side by side: no order to check.
	 */
	if (fr_cpu_count() == 1 && !KT_EXPECT(switches > NTASKS))
		fr_printk("#   order %s\n", rr.log);
}

static void waiting_fn(void *unused)
{
	(void)unused;
	DEC(rr.left);
}

/* Spin without yielding for up to @ticks ticks or until asked to yield;
 * returns the ticks spun. */
static uint64_t spin_until_resched(uint64_t ticks)
{
	uint64_t t0 = fr_ticks();

	while (!fr_task_need_resched() && fr_ticks() - t0 < ticks)
		continue;
	return fr_ticks() - t0;
}

KTEST(sched, slice_ends_only_with_waiters)
{
	struct fr_task *t;
	uint64_t spun;

	/* alone: the slice never ends */
	fr_task_yield();
	spun = spin_until_resched(20);
	KT_EXPECT(!fr_task_need_resched());
	KT_EXPECT(spun >= 20);
	/* with a task waiting -- which needs all CPUs busy, so only with
	 * one -- asked to yield within a few ticks */
	if (fr_cpu_count() > 1)
		return;
	memset(&rr, 0, sizeof(rr));
	rr.left = 1;
	t = fr_task_create("kt-sched-wait", waiting_fn, NULL);
	KT_ASSERT(t != NULL);
	fr_task_start(t);
	spun = spin_until_resched(100);
	KT_EXPECT(fr_task_need_resched());
	KT_EXPECT(spun <= 10);
	KT_EXPECT_EQ(RD(rr.left), 1); /* no preemption in the kernel */
	KT_EXPECT(wait_done());
	KT_EXPECT(!fr_task_need_resched());
}
