/*
 * Tasks: kernel threads of control with their own kernel stack (with a
 * guard page under it) and saved CPU and FPU state.  A user thread is a task
 * that calls fr_user_mode_execute() in a loop.
 *
 * Which task runs next is decided by the scheduling policy that the
 * services inject; the frame keeps the mechanism and its invariants: a task
 * runs on at most one CPU at a time, a task the policy returns must be
 * runnable and queued, and a wake-up is never lost.
 */
#ifndef FRAME_TASK_H
#define FRAME_TASK_H

#include <frame/types.h>

struct fr_task;

/*
 * Per-task fields owned by the scheduling policy.  The frame only zeroes
 * them when a task is made; the policy's hooks fill and use them.
 */
struct fr_sched_entity {
	struct fr_sched_entity *next; /* policy's run-queue links */
	struct fr_sched_entity *prev;
	uint64_t vruntime;     /* policy's bookkeeping */
	uint64_t deadline;
	uint64_t slice_left;
	uint64_t exec_start;   /* when it last started running, ns */
	uint64_t sum_exec;     /* time it has run, ns */
	uint64_t cpus_allowed; /* CPUs it may run on, bit i for CPU i */
	uint32_t weight;
	int32_t nice;
	uint32_t sched_class;
	uint32_t rt_priority;
	uint32_t policy_flags;
	int32_t cpu;	       /* CPU it is queued for or last ran on */
};

/*
 * The scheduling policy.  Hooks run with the frame's scheduler lock held
 * and interrupts off; they must not sleep nor call the task API.  Idle
 * tasks are the frame's: no hook ever sees one.  enqueue, pick_next and
 * tick are required; the other hooks may be NULL.
 */
struct fr_sched_policy {
	/*
	 * @task was just made by @parent (the creating task, or NULL for
	 * the first tasks): set up its entity, e.g. inherit @parent's
	 * class and CPUs.
	 */
	void (*task_init)(struct fr_task *task, struct fr_task *parent);
	/*
	 * @task became runnable (new, woken, or it stopped running but
	 * stays runnable); @this_cpu is the CPU making it so.  Queue it for
	 * one of the CPUs below fr_cpu_count() and return that CPU.
	 */
	unsigned (*enqueue)(struct fr_task *task, unsigned this_cpu);
	/* Take the queued @task off its queue: its parameters change. */
	void (*dequeue)(struct fr_task *task);
	/*
	 * Remove and return the next task to run on @cpu, or NULL to idle.
	 * It may be queued for another CPU (load balancing).
	 */
	struct fr_task *(*pick_next)(unsigned cpu);
	/*
	 * @prev stops running on @cpu (it sleeps, yields, is preempted or
	 * ends); it is enqueued again right after if it stays runnable.
	 */
	void (*put_prev)(struct fr_task *prev, unsigned cpu);
	/* Timer tick while @cur runs on @cpu; return true to preempt it. */
	bool (*tick)(struct fr_task *cur, unsigned cpu);
	/*
	 * @woken was just queued for @cpu, which runs @cur: return true to
	 * preempt @cur now (a wake-up of a more urgent task).
	 */
	bool (*preempt)(struct fr_task *cur, struct fr_task *woken,
			unsigned cpu);
};

/*
 * fr_inject_scheduler - install the scheduling policy.
 * Context: boot, once, before the first task is started.
 * Returns 0, -EBUSY if a scheduler is installed, or -ENOMEM (the idle
 * task could not be created).
 */
int fr_inject_scheduler(const struct fr_sched_policy *policy) FR_MUST_CHECK;

typedef int (*fr_sched_update_fn)(struct fr_sched_entity *se, void *arg);

/*
 * fr_task_sched_update - change @task's scheduling fields (priority,
 * class, CPUs allowed): with the scheduler lock held and @task off its
 * run queue, run @fn(@task's entity, @arg), which must not sleep nor call
 * the task API; then queue @task again through the policy, and make the
 * CPU running it (if any) reschedule, so that the change applies at once.
 * Context: task context.  Returns what @fn returned, or -EOPNOTSUPP
 * (@fn not run) when @task is queued and the policy has no dequeue hook.
 */
int fr_task_sched_update(struct fr_task *task, fr_sched_update_fn fn,
			 void *arg);

/*
 * FR_TASK_SCHED_UPDATE - fr_task_sched_update() with a typed argument:
 * @fn takes a pointer of @arg's type (checked at compile time).
 */
#define FR_TASK_SCHED_UPDATE(task, fn, arg)                                    \
	({                                                                     \
		_Static_assert(__builtin_types_compatible_p(                   \
				       __typeof__(&(fn)),                      \
				       int (*)(struct fr_sched_entity *,       \
					       __typeof__(arg))),              \
			       "FR_TASK_SCHED_UPDATE: " #fn                    \
			       " must take the type of " #arg);                \
		fr_task_sched_update((task), (fr_sched_update_fn)(fn), (arg)); \
	})

/*
 * fr_task_sched_entity / fr_task_of_entity - between a task and its
 * scheduling fields.  Context: policy hooks.
 */
struct fr_sched_entity *fr_task_sched_entity(struct fr_task *task);
struct fr_task *fr_task_of_entity(struct fr_sched_entity *se);

typedef void (*fr_task_fn)(void *arg);

/*
 * fr_task_create - make a new task that will run @fn(@arg) on its own
 * kernel stack.  It does not run until fr_task_start().
 * Context: task context.  Returns the task or NULL when out of memory.
 */
struct fr_task *fr_task_create(const char *name, fr_task_fn fn, void *arg)
	FR_MUST_CHECK;

/*
 * FR_TASK_CREATE - fr_task_create() with a typed argument: @fn takes a
 * pointer of @arg's type (checked at compile time), so that services need
 * not convert the void pointer themselves.
 */
#define FR_TASK_CREATE(name, fn, arg)                                          \
	({                                                                     \
		_Static_assert(__builtin_types_compatible_p(                   \
				       __typeof__(&(fn)),                      \
				       void (*)(__typeof__(arg))),             \
			       "FR_TASK_CREATE: " #fn                          \
			       " must take the type of " #arg);                \
		fr_task_create((name), (fr_task_fn)(fn), (arg));               \
	})

/*
 * fr_task_start - make a new task runnable.  Context: any.
 */
void fr_task_start(struct fr_task *task);

/*
 * fr_task_current - the task running on this CPU.
 */
struct fr_task *fr_task_current(void);

/*
 * fr_task_yield - let the policy run another task; the current one stays
 * runnable.  Context: task context, no spinlock held.
 */
void fr_task_yield(void);

/*
 * fr_task_exit - end the current task.  Its stack is freed once another
 * task runs.  Context: task context.  Never returns.
 */
FR_NORETURN void fr_task_exit(void);

/*
 * fr_task_wake - make a sleeping task runnable.  Context: any.
 * Returns true if the task was asleep.
 */
bool fr_task_wake(struct fr_task *task);

/*
 * fr_task_set_data / fr_task_data - one service pointer per task.
 * FR_TASK_DATA gives it back with its type.
 */
void fr_task_set_data(struct fr_task *task, void *data);
void *fr_task_data(const struct fr_task *task);
#define FR_TASK_DATA(task, type) ((type *)fr_task_data(task))

/*
 * fr_task_name - the name given at creation.
 */
const char *fr_task_name(const struct fr_task *task);

/*
 * fr_task_cpu_time - the processor time @task has used so far, in
 * nanoseconds: in user mode (@user_ns) and in the kernel (@sys_ns).  Time
 * is measured on the monotonic clock (fr_monotonic_ns) at every switch
 * and every entry to and exit from user mode, so it is as fine as that
 * clock; interrupts count for the task they interrupt.  For the calling
 * task the answer includes the time up to the call.  Context: any;
 * @task must stay alive during the call.
 */
void fr_task_cpu_time(const struct fr_task *task, uint64_t *user_ns,
		      uint64_t *sys_ns);

/*
 * fr_task_need_resched - whether the policy asked to preempt the current
 * task, or another task waits for the service lock it holds.  Services
 * call fr_task_yield() at safe points when it is set.
 */
bool fr_task_need_resched(void);

/*
 * fr_task_post_event / fr_task_event_pending / fr_task_clear_event - a
 * per-task "kernel event pending" flag (signals, for example): posting it
 * wakes the task and makes fr_user_mode_execute() return FR_USER_EVENT.
 * Context: any.
 */
void fr_task_post_event(struct fr_task *task);
bool fr_task_event_pending(void);
void fr_task_clear_event(void);

#endif
