/*
 * The kernel's scheduling policy as the other services see it: the
 * policy object injected into the frame (kernel/main.c), and what the
 * sched_* and priority system calls and /proc read and change in a task's
 * scheduling parameters (each change goes through fr_task_sched_update(),
 * so that it applies at once, even to a task running on another CPU).
 * The classes and queues are described in sched/rq.h.
 */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H

#include <frame/task.h>
#include <linux/sched.h>

/* The policy the kernel injects into the frame. */
extern const struct fr_sched_policy kernel_sched_policy;

/* A task's scheduling parameters, as Linux keeps them per thread. */
struct sched_params {
	unsigned policy;      /* SCHED_NORMAL, _FIFO, _RR, _BATCH or _IDLE */
	unsigned rt_priority; /* 1-99 with SCHED_FIFO and SCHED_RR, else 0 */
	int nice;	      /* -20..19; kept but unused by real time */
	bool reset_on_fork;   /* SCHED_RESET_ON_FORK */
};

/* sched_get_params - @task's parameters.  Context: any; @task alive. */
void sched_get_params(struct fr_task *task, struct sched_params *out);

/*
 * sched_set_params - give @task the (checked) parameters @p.  A real-time
 * task whose priority is lowered or kept goes to the head of its new
 * priority's queue, one whose priority is raised to the tail (Linux's
 * rule).  Context: task context; @task alive.  Returns 0.
 */
int sched_set_params(struct fr_task *task, const struct sched_params *p);

/* sched_set_nice - @task's nice value (-20..19).  Returns 0. */
int sched_set_nice(struct fr_task *task, int nice);

/*
 * sched_get_affinity / sched_set_affinity - the CPUs @task may run on
 * (bit i: CPU i).  The mask read is limited to the CPUs that are up; the
 * mask set keeps only those and must have one (-EINVAL otherwise).  A task
 * running on a CPU it may no longer use leaves it at once.
 */
uint64_t sched_get_affinity(struct fr_task *task);
int sched_set_affinity(struct fr_task *task, uint64_t mask);

/* sched_online_cpus - the CPUs that are up (bit i: CPU i). */
uint64_t sched_online_cpus(void);

/* sched_task_runnable - whether @task runs or waits for a CPU. */
bool sched_task_runnable(struct fr_task *task);

/* sched_task_cpu - the CPU @task runs on, is queued for or last ran on. */
unsigned sched_task_cpu(struct fr_task *task);

/*
 * sched_rr_interval_ns - what sched_rr_get_interval() reports: the
 * SCHED_RR time slice, 0 for SCHED_FIFO, and the fair classes' slice of a
 * task alone on its CPU.
 */
uint64_t sched_rr_interval_ns(struct fr_task *task);

/*
 * sched_loadavg - the 1, 5 and 15-minute load averages (fixed point with
 * 11 bits of fraction, as Linux's avenrun) and the number of tasks queued
 * or running now.
 */
void sched_loadavg(uint64_t avenrun[3], unsigned *running);

/* sched_cpu_busy_ns - how long tasks have run on @cpu, ns. */
uint64_t sched_cpu_busy_ns(unsigned cpu);

#endif
