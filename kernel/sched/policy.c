/*
 * The kernel's scheduling policy: the hooks the frame calls with its
 * scheduler lock held (over the run queues of rq.c), and the changes of a
 * task's parameters that the system calls make (sched.h).
 */
#include <frame/cpu.h>
#include <frame/timer.h>
#include "sched/rq.h"
#include "sched/sched.h"

#define RD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WR(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* The policy's state; the frame's scheduler lock guards it. */
static struct sched_state live = {
	.ncpus = 1,
	.load = { .next = LOADAVG_FREQ_NS },
};

/* Follow the CPUs starting at boot. */
static void sync_cpus(void)
{
	unsigned n = fr_cpu_count();

	if (n > FR_MAX_CPUS)
		n = FR_MAX_CPUS;
	if (live.ncpus != n)
		WR(live.ncpus, n);
}

static void policy_task_init(struct fr_task *task, struct fr_task *parent)
{
	sync_cpus();
	sched_entity_init(fr_task_sched_entity(task),
			  parent ? fr_task_sched_entity(parent) : NULL);
}

static unsigned policy_enqueue(struct fr_task *task, unsigned this_cpu)
{
	sync_cpus();
	return sched_enqueue(&live, fr_task_sched_entity(task), this_cpu,
			     fr_monotonic_ns());
}

static void policy_dequeue(struct fr_task *task)
{
	sched_dequeue(&live, fr_task_sched_entity(task));
}

static struct fr_task *policy_pick_next(unsigned cpu)
{
	struct fr_sched_entity *se;

	sync_cpus();
	se = sched_pick(&live, cpu, fr_monotonic_ns());
	return se ? fr_task_of_entity(se) : NULL;
}

static void policy_put_prev(struct fr_task *prev, unsigned cpu)
{
	sched_put(&live, fr_task_sched_entity(prev), cpu, fr_monotonic_ns());
}

static bool policy_tick(struct fr_task *cur, unsigned cpu)
{
	sync_cpus();
	return sched_tick(&live, fr_task_sched_entity(cur), cpu,
			  fr_monotonic_ns());
}

static bool policy_preempt(struct fr_task *cur, struct fr_task *woken,
			   unsigned cpu)
{
	return sched_wakeup_preempt(&live, fr_task_sched_entity(cur),
				    fr_task_sched_entity(woken), cpu,
				    fr_monotonic_ns());
}

const struct fr_sched_policy kernel_sched_policy = {
	.task_init = policy_task_init,
	.enqueue = policy_enqueue,
	.dequeue = policy_dequeue,
	.pick_next = policy_pick_next,
	.put_prev = policy_put_prev,
	.tick = policy_tick,
	.preempt = policy_preempt,
};

/* ---- what the system calls read and change ---- */

void sched_get_params(struct fr_task *task, struct sched_params *out)
{
	struct fr_sched_entity *se = fr_task_sched_entity(task);

	out->policy = RD(se->sched_class);
	out->rt_priority = RD(se->rt_priority);
	out->nice = RD(se->nice);
	out->reset_on_fork = RD(se->policy_flags) & SE_RESET_ON_FORK;
}

/* Under the scheduler lock, @se off its queue (see sched_set_params). */
static int set_params_locked(struct fr_sched_entity *se,
			     struct sched_params *p)
{
	bool was_rt = sched_is_rt(se->sched_class);
	bool is_rt = sched_is_rt(p->policy);
	uint32_t flags = se->policy_flags & ~(SE_RESET_ON_FORK | SE_HEAD);

	if (was_rt && is_rt && p->rt_priority <= se->rt_priority)
		flags |= SE_HEAD;
	if (!is_rt && (was_rt || sched_is_idle(se->sched_class) !=
					 sched_is_idle(p->policy)))
		flags |= SE_REPLACE; /* it joins another queue */
	if (p->reset_on_fork)
		flags |= SE_RESET_ON_FORK;
	WR(se->sched_class, p->policy);
	WR(se->rt_priority, is_rt ? p->rt_priority : 0);
	WR(se->nice, p->nice);
	WR(se->policy_flags, flags | SE_RESCHED);
	sched_entity_set_weight(se);
	return 0;
}

int sched_set_params(struct fr_task *task, const struct sched_params *p)
{
	struct sched_params copy = *p;

	return FR_TASK_SCHED_UPDATE(task, set_params_locked, &copy);
}

static int set_nice_locked(struct fr_sched_entity *se, int *nice)
{
	WR(se->nice, *nice);
	WR(se->policy_flags, se->policy_flags | SE_RESCHED);
	sched_entity_set_weight(se);
	return 0;
}

int sched_set_nice(struct fr_task *task, int nice)
{
	if (nice < SCHED_NICE_MIN)
		nice = SCHED_NICE_MIN;
	if (nice > SCHED_NICE_MAX)
		nice = SCHED_NICE_MAX;
	return FR_TASK_SCHED_UPDATE(task, set_nice_locked, &nice);
}

uint64_t sched_online_cpus(void)
{
	return sched_cpu_mask(RD(live.ncpus));
}

uint64_t sched_get_affinity(struct fr_task *task)
{
	return RD(fr_task_sched_entity(task)->cpus_allowed) &
	       sched_online_cpus();
}

static int set_affinity_locked(struct fr_sched_entity *se, uint64_t *mask)
{
	WR(se->cpus_allowed, *mask);
	WR(se->policy_flags, se->policy_flags | SE_RESCHED);
	return 0;
}

int sched_set_affinity(struct fr_task *task, uint64_t mask)
{
	mask &= sched_online_cpus();
	if (!mask)
		return -EINVAL;
	return FR_TASK_SCHED_UPDATE(task, set_affinity_locked, &mask);
}

bool sched_task_runnable(struct fr_task *task)
{
	return RD(fr_task_sched_entity(task)->policy_flags) &
	       (SE_QUEUED | SE_RUNNING);
}

unsigned sched_task_cpu(struct fr_task *task)
{
	int32_t cpu = RD(fr_task_sched_entity(task)->cpu);

	return cpu < 0 ? 0 : (unsigned)cpu;
}

uint64_t sched_rr_interval_ns(struct fr_task *task)
{
	struct fr_sched_entity *se = fr_task_sched_entity(task);
	unsigned policy = RD(se->sched_class), n = RD(live.ncpus);
	uint64_t f = 1;

	if (policy == SCHED_RR)
		return SCHED_RR_TIMESLICE_NS;
	if (policy == SCHED_FIFO)
		return 0;
	while (f < 4 && (1U << f) <= n)
		f++; /* 1 + log2(CPUs), up to 8 CPUs */
	return SCHED_LATENCY_NS * f;
}

void sched_loadavg(uint64_t avenrun[3], unsigned *running)
{
	sched_loadavg_read(&live, fr_monotonic_ns(), avenrun, running);
}

uint64_t sched_cpu_busy_ns(unsigned cpu)
{
	return cpu < FR_MAX_CPUS ? RD(live.rq[cpu].busy_ns) : 0;
}
