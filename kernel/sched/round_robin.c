/*
 * The scheduling policy for now: round robin over one run queue with a
 * time slice of a few ticks.  Injected into the frame at boot.
 */
#include <frame/task.h>
#include "mm/policies.h"

#define SLICE_TICKS 5

static struct fr_sched_entity queue = { &queue, &queue, 0, 0, 0, 0 };

static void rr_enqueue(struct fr_task *task, unsigned cpu)
{
	struct fr_sched_entity *se = fr_task_sched_entity(task);

	(void)cpu;
	se->next = &queue;
	se->prev = queue.prev;
	queue.prev->next = se;
	queue.prev = se;
	se->slice_left = SLICE_TICKS;
}

static struct fr_task *rr_pick_next(unsigned cpu)
{
	struct fr_sched_entity *se = queue.next;

	(void)cpu;
	if (se == &queue)
		return NULL;
	se->prev->next = se->next;
	se->next->prev = se->prev;
	se->next = se->prev = NULL;
	return fr_task_of_entity(se);
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

const struct fr_sched_policy round_robin_policy = {
	.enqueue = rr_enqueue,
	.pick_next = rr_pick_next,
	.tick = rr_tick,
};
