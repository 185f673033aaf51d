/*
 * Tasks and the scheduling mechanism.  The policy (which task runs next)
 * is injected; this file keeps the invariants: a task is on at most one
 * CPU, only queued runnable tasks may be picked, and wake-ups are not
 * lost (the sleeping state is set before the condition is re-checked and
 * a task woken while still on its CPU is re-queued when it switches out).
 *
 * Every CPU runs tasks.  The service lock keeps the services' code on
 * one CPU at a time (docs/decisions.md): a task holds it while it runs
 * in the kernel, lets it go when it enters user mode or stops running,
 * and takes it again before it goes on.  User code runs on all CPUs at
 * once; the idle tasks never hold it.
 */
#include "frame_internal.h"
#include <frame/timer.h>
#include <libs/string.h>

static const struct fr_sched_policy *sched_policy;
static struct fr_spinlock sched_lock = FR_SPINLOCK_INIT;
static struct fr_task boot_task;

/* A ticket lock: tasks get the service lock in the order they asked. */
static struct {
	uint32_t next;	  /* the ticket the next task asking gets */
	uint32_t serving; /* the ticket that holds the lock */
} service_lock;

/*
 * Take the service lock for the current task.  A CPU waiting with
 * interrupts off still answers cross-CPU calls (TLB shootdowns from the
 * holder), so that the wait always ends.
 */
static void service_lock_take(void)
{
	uint32_t ticket =
		__atomic_fetch_add(&service_lock.next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&service_lock.serving, __ATOMIC_ACQUIRE) !=
	       ticket) {
		if (!fr_irq_enabled())
			cpu_call_handle();
		fr_cpu_relax();
	}
}

static void service_lock_give(void)
{
	__atomic_fetch_add(&service_lock.serving, 1, __ATOMIC_RELEASE);
}

/* Whether a task waits for the service lock (held by the caller). */
static bool service_lock_wanted(void)
{
	return __atomic_load_n(&service_lock.next, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&service_lock.serving, __ATOMIC_RELAXED) + 1;
}

void task_charge_time(bool user)
{
	struct percpu *cpu = this_cpu();
	uint64_t now = fr_monotonic_ns();
	uint64_t ran = now - cpu->acct_since;

	cpu->acct_since = now;
	if (cpu->current->is_idle)
		return;
	__atomic_add_fetch(user ? &cpu->current->user_ns :
				  &cpu->current->sys_ns,
			   ran, __ATOMIC_RELAXED);
}

void task_leave_services(void)
{
	struct fr_task *t = this_cpu()->current;

	FR_BUG_ON(!t->in_services);
	t->in_services = false;
	service_lock_give();
}

void task_enter_services(void)
{
	struct fr_task *t = this_cpu()->current;

	FR_BUG_ON(t->in_services);
	service_lock_take();
	t->in_services = true;
}

void task_init_boot(void)
{
	struct percpu *cpu = this_cpu();

	str_copy(boot_task.name, "boot", sizeof(boot_task.name));
	boot_task.state = TASK_RUNNING;
	boot_task.on_cpu = cpu->id;
	service_lock_take();
	boot_task.in_services = true;
	arch_task_adopt_current(&boot_task);
	cpu->current = &boot_task;
}

struct fr_task *fr_task_current(void)
{
	return this_cpu()->current;
}

struct fr_sched_entity *fr_task_sched_entity(struct fr_task *task)
{
	return &task->se;
}

struct fr_task *fr_task_of_entity(struct fr_sched_entity *se)
{
	return (struct fr_task *)((uint8_t *)se -
				  __builtin_offsetof(struct fr_task, se));
}

static void idle_loop(void *arg)
{
	(void)arg;
	for (;;) {
		schedule();
		/*
		 * A task queued since schedule() looked (a reschedule IPI
		 * sets need_resched) must not wait for the next interrupt:
		 * check with interrupts off, then enable them and halt in
		 * one step.
		 */
		fr_irq_save();
		if (__atomic_load_n(&this_cpu()->need_resched, __ATOMIC_ACQUIRE))
			arch_irq_enable();
		else
			fr_cpu_idle();
	}
}

static struct fr_task *task_alloc(const char *name, fr_task_fn fn, void *arg)
{
	struct fr_task *t = FR_NEW(struct fr_task);

	if (!t)
		return NULL;
	if (kstack_alloc(&t->stack_bottom, &t->stack_slot)) {
		fr_kfree(t);
		return NULL;
	}
	str_copy(t->name, name, sizeof(t->name));
	t->fn = fn;
	t->arg = arg;
	t->state = TASK_NEW;
	t->on_cpu = -1;
	arch_task_setup(t);
	return t;
}

/* Let the policy set up a new task's entity (not the idle tasks'). */
static void policy_task_init(struct fr_task *t)
{
	unsigned long irq = fr_spin_lock_irqsave(&sched_lock);

	struct fr_task *parent = this_cpu()->current;

	if (sched_policy->task_init)
		sched_policy->task_init(t, parent == t ? NULL : parent);
	fr_spin_unlock_irqrestore(&sched_lock, irq);
}

int fr_inject_scheduler(const struct fr_sched_policy *policy)
{
	struct percpu *cpu = this_cpu();

	if (sched_policy)
		return -EBUSY;
	cpu->idle = task_alloc("idle", idle_loop, NULL);
	if (!cpu->idle)
		return -ENOMEM;
	cpu->idle->is_idle = true;
	cpu->idle->state = TASK_RUNNABLE;
	sched_policy = policy;
	policy_task_init(&boot_task);
	arch_scheduler_ready();
	return 0;
}

void task_run_secondary_cpu(void)
{
	struct percpu *cpu = this_cpu();
	struct fr_task *idle = FR_NEW(struct fr_task);

	if (!idle)
		fr_panic("CPU %u: no memory for its idle task", cpu->id);
	str_copy(idle->name, "idle", sizeof(idle->name));
	idle->is_idle = true;
	idle->state = TASK_RUNNING;
	idle->on_cpu = cpu->id;
	arch_task_adopt_current(idle);
	cpu->idle = idle;
	cpu->current = idle;
	arch_irq_enable();
	idle_loop(NULL);
	fr_panic("CPU %u: idle loop returned", cpu->id);
}

struct fr_task *fr_task_create(const char *name, fr_task_fn fn, void *arg)
{
	struct fr_task *t;

	if (!sched_policy)
		return NULL;
	t = task_alloc(name, fn, arg);
	if (t)
		policy_task_init(t);
	return t;
}

/* Make CPU @cpu call schedule() soon.  sched_lock held. */
static void resched_cpu(unsigned cpu)
{
	__atomic_store_n(&percpu_of(cpu)->need_resched, true,
			 __ATOMIC_RELEASE);
	if (cpu != this_cpu()->id)
		arch_kick_cpu(cpu);
}

/*
 * Queue the runnable @t through the policy; the CPU it is queued for
 * reschedules if it idles or the policy wants its task preempted.
 */
static void enqueue_locked(struct fr_task *t)
{
	unsigned cpu;
	struct fr_task *cur;

	if (t->on_rq || t->is_idle)
		return;
	t->on_rq = true;
	cpu = sched_policy->enqueue(t, this_cpu()->id);
	if (cpu >= fr_cpu_count()) {
		fr_printk("sched: policy queued task %s for CPU %u, which is "
			  "not running: CPU 0 is told\n", t->name, cpu);
		cpu = 0;
	}
	/*
	 * A CPU counts as running a little before it has its idle task
	 * (current is NULL until then): it schedules first thing when it
	 * has one, so it is told as if it idled.
	 */
	cur = __atomic_load_n(&percpu_of(cpu)->current, __ATOMIC_ACQUIRE);
	if (!cur || cur->is_idle ||
	    (cur != t && sched_policy->preempt &&
	     sched_policy->preempt(cur, t, cpu)))
		resched_cpu(cpu);
}

void fr_task_start(struct fr_task *task)
{
	unsigned long irq = fr_spin_lock_irqsave(&sched_lock);

	if (task->state == TASK_NEW) {
		task->state = TASK_RUNNABLE;
		enqueue_locked(task);
	}
	fr_spin_unlock_irqrestore(&sched_lock, irq);
}

/* The second half of a switch, run by the task switched to. */
static void finish_switch(void)
{
	struct percpu *cpu = this_cpu();
	struct fr_task *prev = cpu->prev_dead;
	bool give = cpu->give_services;

	cpu->prev_dead = NULL;
	cpu->give_services = false;
	fr_spin_unlock(&sched_lock);
	if (prev) {
		arch_task_release(prev);
		kstack_free(prev->stack_slot);
		fr_kfree(prev);
	}
	/*
	 * The task that left no longer runs here (and a dead one is gone):
	 * the next task in the services finds its memory freed.
	 */
	if (give)
		service_lock_give();
}

void task_entry(struct fr_task *task)
{
	finish_switch();
	arch_irq_enable();
	if (!task->is_idle)
		task_enter_services();
	task->fn(task->arg);
	fr_task_exit();
}

void schedule(void)
{
	unsigned long irq = fr_irq_save();
	struct percpu *cpu = this_cpu();
	struct fr_task *prev = cpu->current, *next;
	bool in_services = prev->in_services;

	fr_spin_lock(&sched_lock);
	if (sched_policy && sched_policy->put_prev && !prev->is_idle)
		sched_policy->put_prev(prev, cpu->id);
	if (prev->state == TASK_RUNNING || prev->state == TASK_RUNNABLE) {
		prev->state = TASK_RUNNABLE;
		enqueue_locked(prev);
	}
	next = sched_policy ? sched_policy->pick_next(cpu->id) : NULL;
	if (next && (next->state != TASK_RUNNABLE || !next->on_rq ||
		     (next->on_cpu >= 0 && next != prev) || next->is_idle)) {
		fr_printk("sched: policy picked task %s which cannot run: "
			  "refused\n", next->name);
		next = NULL;
	}
	if (next)
		next->on_rq = false;
	else if (prev->state == TASK_RUNNABLE && !prev->on_rq)
		next = prev;
	else
		next = cpu->idle;
	FR_BUG_ON(!next);
	next->state = TASK_RUNNING;
	__atomic_store_n(&cpu->need_resched, false, __ATOMIC_RELAXED);
	if (next == prev) {
		fr_spin_unlock(&sched_lock);
		fr_irq_restore(irq);
		if (in_services && service_lock_wanted()) {
			/* it keeps its CPU, not the services: the next in
			 * line goes first */
			service_lock_give();
			service_lock_take();
		}
		return;
	}
	task_charge_time(false);
	next->on_cpu = cpu->id;
	prev->on_cpu = -1;
	if (prev->state == TASK_DEAD)
		cpu->prev_dead = prev;
	/* the service lock goes once prev's stack and space are left */
	cpu->give_services = in_services;
	vm_space_switch_to_task(next->vs);
	__atomic_store_n(&cpu->current, next, __ATOMIC_RELEASE);
	arch_task_switch(prev, next);
	finish_switch();
	fr_irq_restore(irq);
	if (in_services) {
		/* prev runs again, maybe on another CPU: wait for the lock */
		service_lock_take();
	}
}

void fr_task_yield(void)
{
	schedule();
}

void fr_task_exit(void)
{
	struct percpu *cpu;

	fr_irq_save();
	cpu = this_cpu();
	fr_spin_lock(&sched_lock);
	FR_BUG_ON(cpu->current == &boot_task || cpu->current->is_idle);
	cpu->current->state = TASK_DEAD;
	fr_spin_unlock(&sched_lock);
	schedule();
	fr_panic("dead task %s was scheduled", cpu->current->name);
}

bool fr_task_wake(struct fr_task *task)
{
	unsigned long irq = fr_spin_lock_irqsave(&sched_lock);
	bool was_asleep = task->state == TASK_SLEEPING;

	if (was_asleep) {
		task->state = TASK_RUNNABLE;
		if (task->on_cpu < 0)
			enqueue_locked(task);
	}
	fr_spin_unlock_irqrestore(&sched_lock, irq);
	return was_asleep;
}

/* Mark the current task sleeping (wait queues). */
void task_set_sleeping(bool sleeping);
void task_set_sleeping(bool sleeping)
{
	unsigned long irq = fr_spin_lock_irqsave(&sched_lock);
	struct fr_task *t = this_cpu()->current;

	if (sleeping)
		t->state = TASK_SLEEPING;
	else if (t->state == TASK_SLEEPING || t->state == TASK_RUNNABLE)
		t->state = TASK_RUNNING;
	fr_spin_unlock_irqrestore(&sched_lock, irq);
}

bool task_is_sleeping(void);
bool task_is_sleeping(void)
{
	/* under the lock: fr_task_wake() on another CPU writes the state */
	unsigned long irq = fr_spin_lock_irqsave(&sched_lock);
	bool sleeping = this_cpu()->current->state == TASK_SLEEPING;

	fr_spin_unlock_irqrestore(&sched_lock, irq);
	return sleeping;
}

void sched_tick(void)
{
	struct percpu *cpu = this_cpu();

	if (!sched_policy)
		return;
	/* time so far, so that other CPUs see a task that stays in user mode */
	task_charge_time(cpu->user_ctx != NULL);
	fr_spin_lock(&sched_lock);
	if (cpu->current->is_idle ||
	    sched_policy->tick(cpu->current, cpu->id))
		__atomic_store_n(&cpu->need_resched, true, __ATOMIC_RELEASE);
	fr_spin_unlock(&sched_lock);
}

int fr_task_sched_update(struct fr_task *task, fr_sched_update_fn fn,
			 void *arg)
{
	unsigned long irq = fr_spin_lock_irqsave(&sched_lock);
	bool queued = task->on_rq;
	int ret;

	if (queued && !sched_policy->dequeue) {
		fr_spin_unlock_irqrestore(&sched_lock, irq);
		return -EOPNOTSUPP;
	}
	if (queued) {
		sched_policy->dequeue(task);
		task->on_rq = false;
	}
	ret = fn(&task->se, arg);
	if (queued)
		enqueue_locked(task);
	else if (task->on_cpu >= 0)
		resched_cpu((unsigned)task->on_cpu);
	fr_spin_unlock_irqrestore(&sched_lock, irq);
	return ret;
}

bool fr_task_need_resched(void)
{
	arch_irq_poll();
	return __atomic_load_n(&this_cpu()->need_resched, __ATOMIC_ACQUIRE) ||
	       (this_cpu()->current->in_services && service_lock_wanted());
}

void fr_task_set_data(struct fr_task *task, void *data)
{
	task->data = data;
}

void *fr_task_data(const struct fr_task *task)
{
	return task->data;
}

const char *fr_task_name(const struct fr_task *task)
{
	return task->name;
}

void fr_task_cpu_time(const struct fr_task *task, uint64_t *user_ns,
		      uint64_t *sys_ns)
{
	unsigned long irq = fr_irq_save();
	struct percpu *cpu = this_cpu();

	*user_ns = __atomic_load_n(&task->user_ns, __ATOMIC_RELAXED);
	*sys_ns = __atomic_load_n(&task->sys_ns, __ATOMIC_RELAXED);
	if (task == cpu->current) /* in the kernel since the last charge */
		*sys_ns += fr_monotonic_ns() - cpu->acct_since;
	fr_irq_restore(irq);
}

void fr_task_post_event(struct fr_task *task)
{
	__atomic_store_n(&task->event_pending, true, __ATOMIC_RELEASE);
	fr_task_wake(task);
}

bool fr_task_event_pending(void)
{
	arch_irq_poll();
	return __atomic_load_n(&this_cpu()->current->event_pending,
			       __ATOMIC_ACQUIRE);
}

void fr_task_clear_event(void)
{
	__atomic_store_n(&this_cpu()->current->event_pending, false,
			 __ATOMIC_RELEASE);
}
