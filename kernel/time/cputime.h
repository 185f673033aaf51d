/*
 * Processor time of threads and processes, in ns.  A thread's is its
 * task's, sampled by the frame at each tick (fr_task_cpu_time()).  A
 * process's is the sum of its live threads' and of its ended threads':
 * each thread adds its time to the process as it leaves the thread list,
 * both under the process's siglock, so that the sum read under that lock
 * never goes back.  The CPU-time clocks, times(), getrusage() and the
 * CPU-time timers (time/posix_timer.h) all read these.
 */
#ifndef KERNEL_TIME_CPUTIME_H
#define KERNEL_TIME_CPUTIME_H

#include <frame/types.h>

struct process;
struct thread;

struct cputime {
	uint64_t user_ns; /* in user mode */
	uint64_t sys_ns;  /* in the kernel on the program's behalf */
};

/* cputime_total - user and system time together. */
static inline uint64_t cputime_total(const struct cputime *c)
{
	return c->user_ns + c->sys_ns;
}

/*
 * thread_cputime - the time @t has used.  Context: any; @t must stay
 * alive (the caller's own thread, or one found under a lock that keeps
 * it in its process).
 */
void thread_cputime(const struct thread *t, struct cputime *out);

/*
 * process_cputime - the time of every thread @p has had, live or ended.
 * Context: any; takes @p's siglock.
 */
void process_cputime(struct process *p, struct cputime *out);

/* process_cputime_locked - the same with @p's siglock held. */
void process_cputime_locked(const struct process *p, struct cputime *out);

/*
 * cputime_thread_leaves - charge @t's time to its process @p as @t is
 * taken off @p's thread list.  Context: @p's siglock held, in the same
 * critical section as the unlinking.
 */
void cputime_thread_leaves(struct process *p, const struct thread *t);

#endif
