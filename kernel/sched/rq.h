/*
 * The run queues of the kernel's scheduling policy, as pure logic: every
 * function works on an explicit struct sched_state and is given the time
 * ("now", ns on the monotonic clock) and the CPU, so that the KTESTs can
 * drive it with made-up entities and clocks.  policy.c is the glue that
 * the frame calls (with its scheduler lock held) and that the system calls
 * use; nothing here takes a lock or calls the task API.
 *
 * The classes, in the order they run on a CPU (as Linux's):
 *   SCHED_FIFO, SCHED_RR  real time, priorities 1-99, the higher first;
 *                         first in, first out within one priority; a
 *                         SCHED_RR task goes behind its equals after each
 *                         100 ms of running (Linux's sched_rr_timeslice).
 *   SCHED_OTHER, SCHED_BATCH  the fair class: each task's virtual runtime
 *                         grows with its running time divided by its
 *                         weight (Linux's nice-to-weight table); the task
 *                         with the smallest one runs.  Woken and new tasks
 *                         are placed near the queue's min_vruntime, so that
 *                         a sleeper cannot hoard credit.
 *   SCHED_IDLE            runs only when nothing else on its CPU can.
 *
 * Each CPU has its own queues.  enqueue chooses the CPU (the task's last
 * one when it is not busier than the others, else an idle one, else the
 * least loaded, within the CPUs it may use); a CPU with nothing queued
 * steals from the busiest queue; the tick pulls a task from a queue that
 * has two or more tasks more than its own.
 *
 * How the policy uses struct fr_sched_entity (the policy's fields):
 *   next, prev     links in its run queue (NULL when not queued)
 *   vruntime       fair classes: weighted runtime, on the scale of the
 *                  queue of the CPU in @cpu
 *   deadline       fair classes: the sum_exec at which its slice ends
 *   slice_left     SCHED_RR: what is left of its time slice, ns
 *   exec_start     when the running time was last accounted, ns
 *   sum_exec       time it has run, ns
 *   cpus_allowed   CPUs it may run on (bit i: CPU i)
 *   weight         its weight (from nice)
 *   nice           -20..19
 *   sched_class    the Linux policy: SCHED_NORMAL, SCHED_FIFO, ...
 *   rt_priority    1-99 for SCHED_FIFO and SCHED_RR, else 0
 *   policy_flags   SE_* below
 *   cpu            the CPU it is queued for or last ran on, -1 if none
 * The fields the system calls read (sched_class, rt_priority, nice,
 * cpus_allowed, cpu, policy_flags) are written with atomic stores.
 */
#ifndef KERNEL_SCHED_RQ_H
#define KERNEL_SCHED_RQ_H

#include <frame/cpu.h>
#include <frame/task.h>
#include <linux/sched.h>

#define NSEC_PER_MSEC 1000000ULL

/* Linux's nice range and the weight of nice 0. */
#define SCHED_NICE_MIN (-20)
#define SCHED_NICE_MAX 19
#define SCHED_NICE_0_WEIGHT 1024U
#define SCHED_RT_PRIO_MAX 99

/* The SCHED_RR time slice: Linux's sched_rr_timeslice, 100 ms. */
#define SCHED_RR_TIMESLICE_NS (100 * NSEC_PER_MSEC)
/* The fair class's tunables at one CPU (Linux 6.1's CFS defaults); they
 * grow with 1 + log2(CPUs), up to 8 CPUs, as Linux's do. */
#define SCHED_LATENCY_NS (6 * NSEC_PER_MSEC)
#define SCHED_MIN_GRAN_NS (750 * 1000ULL)
#define SCHED_WAKEUP_GRAN_NS (1 * NSEC_PER_MSEC)
/* How often a CPU's tick looks for an imbalance to pull from. */
#define SCHED_BALANCE_NS (50 * NSEC_PER_MSEC)

/* Load averages: Linux's fixed point (11 bits) and its sampling period
 * (5 s and one tick). */
#define LOADAVG_FSHIFT 11
#define LOADAVG_FIXED_1 (1UL << LOADAVG_FSHIFT)
#define LOADAVG_FREQ_NS (5010 * NSEC_PER_MSEC)

/* policy_flags */
#define SE_RESET_ON_FORK 0x1U /* SCHED_FLAG_RESET_ON_FORK */
#define SE_NEW 0x2U	      /* never queued: placed after the others */
#define SE_HEAD 0x4U	      /* real time: queue at the head of its priority */
#define SE_REPLACE 0x8U	      /* just joined a fair class: place it anew */
#define SE_YIELD 0x10U	      /* yielded: the others of its class go first */
#define SE_RESCHED 0x20U      /* the policy asked it to give its CPU up */
#define SE_RUNNING 0x40U      /* it runs on the CPU in @cpu */
#define SE_QUEUED_RT 0x100U   /* in which queue it is */
#define SE_QUEUED_FAIR 0x200U
#define SE_QUEUED_IDLE 0x400U
#define SE_QUEUED (SE_QUEUED_RT | SE_QUEUED_FAIR | SE_QUEUED_IDLE)

/* A queue: a doubly linked list through the entities' next and prev. */
struct sched_list {
	struct fr_sched_entity *first, *last;
};

/* A fair queue (one for SCHED_OTHER/BATCH, one for SCHED_IDLE). */
struct sched_fair_queue {
	struct sched_list list; /* by vruntime, equals in arrival order */
	uint64_t min_vruntime;	/* never decreases */
	uint64_t load;		/* the queued entities' weights */
	unsigned nr;
};

/* One CPU's queues. */
struct sched_rq {
	struct sched_list rt; /* by priority, the higher first; FIFO within */
	unsigned nr_rt;
	struct sched_fair_queue fair;
	struct sched_fair_queue idle;
	struct fr_sched_entity *curr; /* running here, or NULL (idle) */
	/* put_prev'd by the switch in progress: its enqueue is a requeue */
	struct fr_sched_entity *just_put;
	unsigned nr_running;	/* queued + curr (atomic stores) */
	uint64_t busy_ns;	/* time tasks ran here (atomic stores) */
	uint64_t next_balance;
};

/* The load averages, written under the scheduler lock and read without
 * it: seq is odd while they change. */
struct sched_loadavg {
	uint32_t seq;
	uint64_t avenrun[3]; /* fixed point, LOADAVG_FSHIFT bits */
	uint64_t next;	     /* when the next sample is due, ns */
};

struct sched_state {
	unsigned ncpus; /* CPUs 0..ncpus-1 run tasks; set by the caller */
	struct sched_rq rq[FR_MAX_CPUS];
	struct sched_loadavg load;
};

/* sched_state_init - empty queues, load averages at 0. */
void sched_state_init(struct sched_state *st);

/* sched_nice_weight - the weight of @nice (clamped to -20..19), from
 * Linux's sched_prio_to_weight table. */
uint32_t sched_nice_weight(int nice);

/* sched_is_rt / sched_is_fair / sched_is_idle - the class of a policy. */
bool sched_is_rt(unsigned policy);
bool sched_is_fair(unsigned policy);
bool sched_is_idle(unsigned policy);

/* sched_cpu_mask - the mask of CPUs 0..@ncpus-1. */
uint64_t sched_cpu_mask(unsigned ncpus);

/*
 * sched_entity_init - a new entity: a copy of @parent's class, priority,
 * nice and CPUs (with SCHED_RESET_ON_FORK, real time becomes SCHED_OTHER
 * at nice 0 and a negative nice becomes 0, as Linux's sched_fork), or
 * SCHED_OTHER at nice 0 on every CPU without a parent.
 */
void sched_entity_init(struct fr_sched_entity *se,
		       const struct fr_sched_entity *parent);

/* sched_entity_set_weight - the weight of @se's nice and class. */
void sched_entity_set_weight(struct fr_sched_entity *se);

/*
 * sched_enqueue - @se became runnable (new, woken, or it stopped running
 * and stays runnable, or its parameters changed); @this_cpu makes it so.
 * Choose its CPU, queue it there and return the CPU.
 */
unsigned sched_enqueue(struct sched_state *st, struct fr_sched_entity *se,
		       unsigned this_cpu, uint64_t now);

/* sched_dequeue - take the queued @se off its queue. */
void sched_dequeue(struct sched_state *st, struct fr_sched_entity *se);

/*
 * sched_pick - remove and return what @cpu runs next (its own queues
 * first; when they are empty, a task stolen from the busiest queue that
 * may run on @cpu), or NULL to idle.
 */
struct fr_sched_entity *sched_pick(struct sched_state *st, unsigned cpu,
				   uint64_t now);

/*
 * sched_put - @se stops running on @cpu: its time is accounted.  Unless
 * the policy asked for it (SE_RESCHED: a tick, a wake-up, a change of its
 * parameters), it gave the CPU up itself: a yield, after which the others
 * of its class on the CPU go first if it stays runnable.
 */
void sched_put(struct sched_state *st, struct fr_sched_entity *se,
	       unsigned cpu, uint64_t now);

/*
 * sched_tick - the timer tick while @se runs on @cpu: account its time,
 * balance now and then, and return whether it should be preempted.
 */
bool sched_tick(struct sched_state *st, struct fr_sched_entity *se,
		unsigned cpu, uint64_t now);

/*
 * sched_wakeup_preempt - @woken was just queued for @cpu, which runs
 * @cur: whether @cur should give way at once.
 */
bool sched_wakeup_preempt(struct sched_state *st, struct fr_sched_entity *cur,
			  struct fr_sched_entity *woken, unsigned cpu,
			  uint64_t now);

/* sched_fair_slice_ns - the time slice of a fair-class @se on @cpu. */
uint64_t sched_fair_slice_ns(const struct sched_state *st,
			     const struct fr_sched_entity *se, unsigned cpu);

/* sched_nr_running - tasks queued or running on every CPU. */
unsigned sched_nr_running(const struct sched_state *st);

/*
 * sched_loadavg_advance - take the samples due by @now: every
 * LOADAVG_FREQ_NS, Linux's exponential decay of the 1, 5 and 15-minute
 * averages towards the tasks queued or running then.  Called before any
 * change of the numbers, so that each sample sees the number of its time.
 */
void sched_loadavg_advance(struct sched_state *st, uint64_t now);

/*
 * sched_loadavg_read - the averages at @now, without the scheduler lock:
 * the samples due since the last advance are taken on a copy with the
 * tasks running now.  @running (if not NULL) gets that number.
 */
void sched_loadavg_read(const struct sched_state *st, uint64_t now,
			uint64_t avenrun[3], unsigned *running);

/* sched_calc_load - one sample: Linux's calc_load(). */
uint64_t sched_calc_load(uint64_t load, uint64_t exp, uint64_t active);

#endif
