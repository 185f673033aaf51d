/*
 * Processor time of threads and processes: the frame's per-task samples
 * summed over a process's threads, live and ended (see cputime.h).
 */
#include "time/cputime.h"
#include "process/process.h"

void thread_cputime(const struct thread *t, struct cputime *out)
{
	fr_task_cpu_time(t->task, &out->user_ns, &out->sys_ns);
}

void process_cputime_locked(const struct process *p, struct cputime *out)
{
	const struct thread *t;
	struct cputime c;

	*out = p->ended_time;
	for (t = p->threads; t; t = t->next_in_process) {
		thread_cputime(t, &c);
		out->user_ns += c.user_ns;
		out->sys_ns += c.sys_ns;
	}
}

void process_cputime(struct process *p, struct cputime *out)
{
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);

	process_cputime_locked(p, out);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
}

void cputime_thread_leaves(struct process *p, const struct thread *t)
{
	struct cputime c;

	thread_cputime(t, &c);
	p->ended_time.user_ns += c.user_ns;
	p->ended_time.sys_ns += c.sys_ns;
}
