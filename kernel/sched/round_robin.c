/*
 * The scheduling policy for now: round robin over one run queue shared by
 * every CPU, with a time slice of a few ticks.  Injected into the frame
 * at boot.  A task made runnable is queued for a CPU that idles when
 * there is one, so that an idle CPU takes it at once.
 */
#include <frame/cpu.h>
#include <frame/task.h>
#include "mm/policies.h"

#define SLICE_TICKS 5

static struct fr_sched_entity queue = { .next = &queue, .prev = &queue };
static bool cpu_busy[FR_MAX_CPUS]; /* runs a task (not its idle task) */

static void rr_task_init(struct fr_task *task, struct fr_task *parent)
{
	(void)parent;
	fr_task_sched_entity(task)->cpu = -1;
}

static unsigned rr_enqueue(struct fr_task *task, unsigned this_cpu)
{
	struct fr_sched_entity *se = fr_task_sched_entity(task);
	unsigned n = fr_cpu_count();

	se->next = &queue;
	se->prev = queue.prev;
	queue.prev->next = se;
	queue.prev = se;
	se->slice_left = SLICE_TICKS;
	for (unsigned i = 0; i < n; i++)
		if (!cpu_busy[i])
			return i;
	return this_cpu;
}

static void rr_dequeue(struct fr_task *task)
{
	struct fr_sched_entity *se = fr_task_sched_entity(task);

	se->prev->next = se->next;
	se->next->prev = se->prev;
	se->next = se->prev = NULL;
}

static struct fr_task *rr_pick_next(unsigned cpu)
{
	struct fr_sched_entity *se = queue.next;

	if (se == &queue)
		return NULL;
	se->prev->next = se->next;
	se->next->prev = se->prev;
	se->next = se->prev = NULL;
	se->cpu = (int32_t)cpu;
	cpu_busy[cpu] = true;
	return fr_task_of_entity(se);
}

static void rr_put_prev(struct fr_task *prev, unsigned cpu)
{
	(void)prev;
	cpu_busy[cpu] = false;
}

static bool rr_tick(struct fr_task *cur, unsigned cpu)
{
	struct fr_sched_entity *se = fr_task_sched_entity(cur);

	(void)cpu;
	if (se->slice_left > 1) {
		se->slice_left--;
		return false;
	}
	se->slice_left = SLICE_TICKS;
	return queue.next != &queue; /* preempt only if someone waits */
}

static bool rr_preempt(struct fr_task *cur, struct fr_task *woken,
		       unsigned cpu)
{
	(void)cur;
	(void)woken;
	(void)cpu;
	return false;
}

const struct fr_sched_policy round_robin_policy = {
	.task_init = rr_task_init,
	.enqueue = rr_enqueue,
	.dequeue = rr_dequeue,
	.pick_next = rr_pick_next,
	.put_prev = rr_put_prev,
	.tick = rr_tick,
	.preempt = rr_preempt,
};
