/*
 * POSIX per-process timers (timer_create() and the calls after it) and
 * the interval timers that count processor time (ITIMER_VIRTUAL and
 * ITIMER_PROF), as Linux has them.
 *
 * A timer counts on one clock:
 *   - the monotonic clock (CLOCK_MONOTONIC, CLOCK_BOOTTIME(_ALARM), and
 *     CLOCK_REALTIME set with a relative time, which, as on Linux, clock
 *     changes do not move);
 *   - the realtime clock (CLOCK_REALTIME(_ALARM) and CLOCK_TAI set with an
 *     absolute time, or CLOCK_REALTIME_ALARM and CLOCK_TAI with any): such
 *     a timer fires when that clock reaches its time, also after the
 *     clock was set (posix_timers_clock_was_set());
 *   - a processor-time clock (time/cputime.h): of the process, or of one
 *     of its threads.
 * A wall-clock timer runs on a kernel timer of its own (time/timer.h).
 * The CPU-time timers of a process, its POSIX ones and its ITIMER_VIRTUAL
 * and ITIMER_PROF, are checked by one kernel timer of the process, armed
 * while any of them is: it samples the process's time and comes back
 * when the earliest of them could be due (its time left divided by the
 * number of CPUs, which bounds how fast a process uses time), or at the
 * next tick.  CPU time is sampled per tick, so these fire at most a tick
 * or so of CPU time late, never early.
 *
 * An expiry sends the timer's signal from an entry allocated with the
 * timer (struct sigqueue in process/signal.h): while that is still
 * pending, further expiries only count overruns, which si_overrun reports
 * when the signal is taken and timer_getoverrun() afterwards.
 *
 * Timers belong to the process: its threads share them, fork does not
 * copy them, execve deletes the POSIX ones and keeps the interval timers,
 * and the end of the process deletes all of them.
 *
 * Locking: [lock] the process's timer mutex, taken by the calls; [sig]
 * the process's siglock, which the callbacks (IRQ context) take.  Lists
 * change under both.
 */
#ifndef KERNEL_TIME_POSIX_TIMER_H
#define KERNEL_TIME_POSIX_TIMER_H

#include <frame/sync.h>
#include "time/timer.h"

struct process;
struct posix_timer;

/* An ITIMER_VIRTUAL or ITIMER_PROF timer, in ns of the process's time. */
struct cpu_itimer {
	uint64_t expires;  /* [sig] time at which it fires; 0: not armed */
	uint64_t interval; /* [sig] */
};

/* The timers of a process, embedded in struct process. */
struct process_timers {
	struct fr_mutex lock;
	struct posix_timer *list; /* [lock] and [sig] */
	int next_id;		  /* [lock] the id to try first */
	unsigned count;		  /* [lock] timers in the list */
	struct cpu_itimer itimer[2]; /* [sig] ITIMER_VIRTUAL, ITIMER_PROF */
	struct ktimer cpu_check;     /* checks the CPU-time timers */
	bool ended;		     /* [sig] the process ended */
};

/* A timer's setting, in ns: value 0 disarms. */
struct timer_setting {
	uint64_t value;
	uint64_t interval;
};

/* What timer_create() asks for (struct sigevent, checked here). */
struct timer_event {
	int notify; /* SIGEV_SIGNAL, _NONE, _THREAD or _THREAD_ID */
	int signo;
	int tid;    /* SIGEV_THREAD_ID: a thread of the process */
	uint64_t value; /* si_value */
};

/* process_timers_init - no timer.  Context: the process is being made. */
void process_timers_init(struct process *p);

/*
 * process_timers_exec - delete the POSIX timers at execve; the interval
 * timers stay.  Context: the only thread left of @p.
 */
void process_timers_exec(struct process *p);

/*
 * process_timers_exit - delete every timer and stop checking CPU time, as
 * the last thread of @p ends.  Context: task context.
 */
void process_timers_exit(struct process *p);

/*
 * posix_timer_create - a new disarmed timer of @p on @clockid; @ev NULL
 * means SIGEV_SIGNAL with SIGALRM and the timer's id as si_value.  Sets
 * *@id.  Returns 0; -EINVAL for a clock that does not exist (or the CPU
 * clock of another process) or a bad @ev; -EOPNOTSUPP for a clock without
 * timers; -EPERM for an alarm clock without privilege; -EAGAIN when out
 * of memory or above RLIMIT_SIGPENDING timers.  Context: task context.
 */
int posix_timer_create(struct process *p, int clockid,
		       const struct timer_event *ev, int *id) FR_MUST_CHECK;

/*
 * posix_timer_delete - delete timer @id of @p; a signal of it that is
 * still pending goes with it.  Returns 0 or -EINVAL.  Context: task.
 */
int posix_timer_delete(struct process *p, int id);

/*
 * posix_timer_set - arm timer @id of @p with @set (@absolute: the value
 * is a time of its clock), or disarm it; its former setting goes to @old
 * when not NULL.  Returns 0, -EINVAL (no such timer) or -ESRCH (a thread
 * CPU clock whose thread ended).  Context: task context.
 */
int posix_timer_set(struct process *p, int id, bool absolute,
		    const struct timer_setting *set,
		    struct timer_setting *old) FR_MUST_CHECK;

/*
 * posix_timer_get - timer @id's time left and interval.  Returns 0 or
 * -EINVAL.  Context: task context.
 */
int posix_timer_get(struct process *p, int id,
		    struct timer_setting *cur) FR_MUST_CHECK;

/*
 * posix_timer_getoverrun - the overrun count of the signal timer @id last
 * delivered (0 after timer_settime()), or -EINVAL.  Context: task.
 */
int posix_timer_getoverrun(struct process *p, int id);

/*
 * cpu_itimer_get / cpu_itimer_set - ITIMER_VIRTUAL (@which 1) and
 * ITIMER_PROF (2): the setting, and a new one (the former to @old when
 * not NULL).  Context: task context.
 */
void cpu_itimer_get(struct process *p, int which, struct timer_setting *cur);
void cpu_itimer_set(struct process *p, int which,
		    const struct timer_setting *set,
		    struct timer_setting *old);

/*
 * cpu_clock_nanosleep - clock_nanosleep() on the CPU clock @clockid of
 * the caller's process or of another of its threads: sleep until it
 * reads @t (@absolute) or has advanced by @t.  Returns 0, -EINTR (then
 * *@left is the time it still had to go), or -EINVAL for a clock of
 * another process or of no thread.  Context: task context.
 */
int cpu_clock_nanosleep(int clockid, bool absolute, uint64_t t,
			uint64_t *left);

/*
 * posix_timers_clock_was_set - the realtime clock was set: timers of the
 * realtime clock are moved to when it reaches their time.  To be called
 * by whatever sets that clock.  Context: task context; takes
 * process_tree_lock.
 */
void posix_timers_clock_was_set(void);

#endif
