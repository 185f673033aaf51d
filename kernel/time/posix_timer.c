/*
 * POSIX timers and the CPU-time interval timers of a process: the timer
 * objects, their expiry (a signal from the timer's preallocated entry,
 * overruns while it is pending), and the per-process check of the
 * CPU-time timers.  See posix_timer.h.
 */
#include <frame/cpu.h>
#include <frame/heap.h>
#include <asm/signal.h>
#include <asm/siginfo.h>
#include <linux/time.h>
#include "time/posix_timer.h"
#include "time/clock.h"
#include "time/cputime.h"
#include "process/process.h"

/* The CPU clocks by id (Linux's CPUCLOCK_*). */
#define CPUCLOCK_PERTHREAD 4
#define CPUCLOCK_WHICH(id) ((id)&3)
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_FD 3
#define CPUCLOCK_PID(id) (~((id) >> 3))

#define ID_MAX 0x7fffffff

struct posix_timer {
	int id;			/* -1: a sleeper of cpu_clock_nanosleep() */
	int clockid;		/* as created */
	struct process *proc;
	int notify;		/* SIGEV_SIGNAL, _NONE or _THREAD_ID */
	int target_tid;		/* SIGEV_THREAD_ID: the thread signalled */
	bool cpu;		/* on a CPU-time clock */
	bool cpu_user_only;	/* CPUCLOCK_VIRT: user time only */
	int cpu_tid;		/* a thread's CPU clock: its tid; 0: process */
	struct fr_task *sleeper; /* id -1: the task to wake */
	bool armed;		/* [sig] */
	int base;		/* [sig] wall clocks: the clock of @expires */
	uint64_t expires;	/* [sig] next expiry, ns of its clock */
	uint64_t interval;	/* [sig] 0: one-shot */
	struct sigqueue sigq;	/* [sig] its signal */
	struct ktimer kt;	/* wall clocks: fires at @expires */
	struct posix_timer *next; /* [lock] and [sig] */
};

static void timer_fired(struct ktimer *kt);
static void cpu_check_fired(struct ktimer *kt);

void process_timers_init(struct process *p)
{
	struct process_timers *pt = &p->timers;

	fr_mutex_init(&pt->lock);
	pt->list = NULL;
	pt->next_id = 0;
	pt->count = 0;
	pt->itimer[0] = pt->itimer[1] = (struct cpu_itimer){ 0, 0 };
	ktimer_init(&pt->cpu_check, cpu_check_fired, NULL);
	pt->cpu_check.process = p;
	pt->ended = false;
}

/* ---- clocks ---- */

/* @a * @b, saturating at KTIME_NEVER. */
static uint64_t ktime_mul(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_mul_overflow(a, b, &r) ? KTIME_NEVER : r;
}

/* The thread @tid of @p, or NULL.  [sig] held */
static struct thread *find_thread(const struct process *p, int tid)
{
	struct thread *t;

	for (t = p->threads; t; t = t->next_in_process)
		if (t->tid == tid)
			return t;
	return NULL;
}

/*
 * The CPU clock of @t now, given the process's time @proc; false when its
 * thread has ended.  [sig] held
 */
static bool cpu_clock_now(const struct posix_timer *t,
			  const struct cputime *proc, uint64_t *now)
{
	struct cputime c = *proc;
	const struct thread *th;

	if (t->cpu_tid) {
		th = find_thread(t->proc, t->cpu_tid);
		if (!th)
			return false;
		thread_cputime(th, &c);
	}
	*now = t->cpu_user_only ? c.user_ns : cputime_total(&c);
	return true;
}

/* A wall-clock timer's clock now. */
static uint64_t base_now(const struct posix_timer *t)
{
	uint64_t now;

	if (t->base == CLOCK_MONOTONIC || clock_read(t->base, &now))
		return fr_monotonic_ns();
	return now;
}

/* When, on the monotonic clock, a wall-clock timer's clock reaches it. */
static uint64_t base_deadline(const struct posix_timer *t)
{
	if (t->base == CLOCK_MONOTONIC)
		return t->expires;
	return clock_to_monotonic(t->base, t->expires);
}

/* ---- expiry ---- */

/* Whether @t does something when it expires (a SIGEV_NONE one does not). */
static bool acts(const struct posix_timer *t)
{
	return t->notify != SIGEV_NONE || t->sleeper;
}

/*
 * @t is due at @now (its clock): send its signal, with the expiries it
 * missed as overruns, and move it to its next expiry (or disarm it).
 * [sig] held
 */
static void expire(struct posix_timer *t, uint64_t now)
{
	uint64_t missed = 0;
	struct thread *target = NULL;

	if (t->interval) {
		missed = (now - t->expires) / t->interval;
		t->expires = ktime_add(t->expires,
				       ktime_mul(missed + 1, t->interval));
	} else {
		t->armed = false;
	}
	if (t->sleeper) {
		fr_task_wake(t->sleeper);
		return;
	}
	if (t->notify == SIGEV_NONE)
		return;
	if (t->notify == SIGEV_THREAD_ID) {
		target = find_thread(t->proc, t->target_tid);
		if (!target)
			return; /* as Linux: no thread, no signal */
	}
	(void)signal_send_preallocated_locked(t->proc, target, &t->sigq,
					      missed);
}

static void timer_fired(struct ktimer *kt)
{
	struct posix_timer *t = kt->posix;
	struct process *p = t->proc;
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);
	uint64_t now;

	/* a stale run (the timer was set again meanwhile) only re-arms */
	if (t->armed && !t->cpu) {
		now = base_now(t);
		if (now >= t->expires)
			expire(t, now);
		if (t->armed)
			ktimer_arm(kt, base_deadline(t));
	}
	fr_spin_unlock_irqrestore(&p->siglock, irq);
}

/* The signals of ITIMER_VIRTUAL and ITIMER_PROF. */
static const int itimer_signal[2] = { SIGVTALRM, SIGPROF };

/*
 * How long until @left ns of a CPU clock can have gone by: a process's
 * threads together use at most every CPU.
 */
static uint64_t cpu_wait(uint64_t left, bool process_clock)
{
	return process_clock ? left / fr_cpu_count() : left;
}

/*
 * Fire the CPU-time timers of @p that are due and arm the check for the
 * next one that may be.  [sig] held
 */
static void cpu_check_locked(struct process *p)
{
	struct process_timers *pt = &p->timers;
	uint64_t next = KTIME_NEVER, now, left;
	struct posix_timer *t;
	struct cputime c;

	if (pt->ended)
		return;
	process_cputime_locked(p, &c);
	for (int i = 0; i < 2; i++) {
		struct cpu_itimer *it = &pt->itimer[i];
		struct k_siginfo info = { .signo = itimer_signal[i],
					  .code = SI_KERNEL,
					  .kind = SI_KIND_KILL };

		if (!it->expires)
			continue;
		now = i == 0 ? c.user_ns : cputime_total(&c);
		if (now >= it->expires) {
			/* as Linux: one interval on, one signal per check */
			it->expires = ktime_add(it->expires, it->interval);
			if (!it->interval)
				it->expires = 0;
			(void)signal_send_locked(p, NULL, &info);
			if (!it->expires)
				continue;
		}
		left = it->expires > now ?
			       cpu_wait(it->expires - now, true) : 0;
		if (left < next)
			next = left;
	}
	for (t = pt->list; t; t = t->next) {
		if (!t->cpu || !t->armed || !acts(t) ||
		    !cpu_clock_now(t, &c, &now))
			continue;
		if (now >= t->expires)
			expire(t, now);
		if (!t->armed)
			continue;
		left = t->expires > now ?
			       cpu_wait(t->expires - now, !t->cpu_tid) :
			       0;
		if (left < next)
			next = left;
	}
	if (next != KTIME_NEVER)
		ktimer_arm(&pt->cpu_check, ktime_add(fr_monotonic_ns(), next));
}

static void cpu_check_fired(struct ktimer *kt)
{
	struct process *p = kt->process;
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);

	cpu_check_locked(p);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
}

/* ---- the timers of a process ---- */

static struct posix_timer *find_timer(struct process *p, int id)
{
	struct posix_timer *t;

	if (id < 0)
		return NULL;
	for (t = p->timers.list; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

/*
 * Whether @clockid has timers: 0, -EINVAL (no such clock) or -EOPNOTSUPP
 * (a clock without timers), as Linux's clockid_to_kclock() and
 * timer_create methods decide.
 */
static int clock_has_timers(int clockid)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
	case CLOCK_BOOTTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_TAI:
		return 0;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	default:
		if (clockid >= 0)
			return -EINVAL;
		return CPUCLOCK_WHICH(clockid) == CPUCLOCK_FD ? -EOPNOTSUPP :
								  0;
	}
}

/*
 * Bind @t to the CPU clock @clockid of the caller's process or of one of
 * its threads.  Returns 0 or -EINVAL.  [sig] held
 */
static int bind_cpu_clock(struct posix_timer *t, int clockid,
			  const struct thread *self)
{
	int pid;

	t->cpu = true;
	if (clockid == CLOCK_PROCESS_CPUTIME_ID)
		return 0;
	if (clockid == CLOCK_THREAD_CPUTIME_ID) {
		t->cpu_tid = self->tid;
		return 0;
	}
	pid = CPUCLOCK_PID(clockid);
	t->cpu_user_only = CPUCLOCK_WHICH(clockid) == CPUCLOCK_VIRT;
	if (clockid & CPUCLOCK_PERTHREAD) {
		t->cpu_tid = pid ? pid : self->tid;
		return find_thread(t->proc, t->cpu_tid) ? 0 : -EINVAL;
	}
	return !pid || pid == t->proc->pid ? 0 : -EINVAL;
}

/* Whether the sigevent @ev is valid for @p (Linux's good_sigevent). */
static bool event_valid(const struct process *p, const struct timer_event *ev)
{
	switch (ev->notify) {
	case SIGEV_THREAD_ID:
		if (!find_thread(p, ev->tid))
			return false;
		/* fall through */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
		return ev->signo > 0 && ev->signo <= SIGNAL_COUNT;
	case SIGEV_NONE:
		return true;
	default:
		return false;
	}
}

/* The next free id of @p, or -1.  [lock] held */
static int next_free_id(struct process *p)
{
	struct process_timers *pt = &p->timers;
	int first = pt->next_id, id;

	do {
		id = pt->next_id;
		pt->next_id = id == ID_MAX ? 0 : id + 1;
		if (!find_timer(p, id))
			return id;
	} while (pt->next_id != first);
	return -1;
}

static bool may_use_alarm_clocks(struct process *p)
{
	return process_attrs_privileged(&p->attrs);
}

int posix_timer_create(struct process *p, int clockid,
		       const struct timer_event *ev, int *id)
{
	struct process_timers *pt = &p->timers;
	struct thread *self = current_thread();
	struct rlimit64 lim;
	struct posix_timer *t;
	unsigned long irq;
	int err = clock_has_timers(clockid);

	if (err)
		return err;
	if (process_attrs_rlimit(&p->attrs, RLIMIT_SIGPENDING, &lim))
		lim.rlim_cur = RLIM64_INFINITY;
	t = FR_NEW(struct posix_timer);
	if (!t)
		return -EAGAIN;
	t->proc = p;
	t->clockid = clockid;
	ktimer_init(&t->kt, timer_fired, NULL);
	t->kt.posix = t;
	t->base = CLOCK_MONOTONIC;
	fr_mutex_lock(&pt->lock);
	/* as Linux, the id is taken before the event is looked at */
	t->id = pt->count < lim.rlim_cur ? next_free_id(p) : -1;
	if (t->id < 0) {
		err = -EAGAIN;
		goto fail;
	}
	irq = fr_spin_lock_irqsave(&p->siglock);
	if (ev && !event_valid(p, ev))
		err = -EINVAL;
	else if (clock_is_cpu(clockid))
		err = bind_cpu_clock(t, clockid, self);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	if (!err && (clockid == CLOCK_REALTIME_ALARM ||
		     clockid == CLOCK_BOOTTIME_ALARM) &&
	    !may_use_alarm_clocks(p))
		err = -EPERM;
	if (err)
		goto fail;
	t->notify = ev ? ev->notify : SIGEV_SIGNAL;
	if (t->notify == SIGEV_THREAD)
		t->notify = SIGEV_SIGNAL; /* the C library's business */
	t->target_tid = ev ? ev->tid : 0;
	t->sigq.preallocated = true;
	t->sigq.info = (struct k_siginfo){
		.signo = ev ? ev->signo : SIGALRM,
		.code = SI_TIMER,
		.pid = t->id,
		.value = ev ? ev->value : (uint64_t)(uint32_t)t->id,
		.kind = SI_KIND_TIMER,
	};
	irq = fr_spin_lock_irqsave(&p->siglock);
	t->next = pt->list;
	pt->list = t;
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	pt->count++;
	*id = t->id;
	fr_mutex_unlock(&pt->lock);
	return 0;
fail:
	fr_mutex_unlock(&pt->lock);
	fr_kfree(t);
	return err;
}

/* Take @t off @p's list, disarmed, its signal unqueued.  [lock], [sig] */
static void unlink_locked(struct process *p, struct posix_timer *t)
{
	struct posix_timer **pp;

	for (pp = &p->timers.list; *pp && *pp != t; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = t->next;
	t->next = NULL;
	t->armed = false;
	signal_unqueue_locked(&t->sigq);
}

/*
 * Take @t off @p's list and free it: nothing fires it or reaches it any
 * more.  [lock] held
 */
static void destroy(struct process *p, struct posix_timer *t)
{
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);

	/* a pending signal of it stays pending, as in Linux 6.1 */
	signal_keep_pending_locked(&t->sigq);
	unlink_locked(p, t);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	/* a callback that was waiting for the siglock sees it disarmed */
	ktimer_cancel(&t->kt);
	p->timers.count--;
	fr_kfree(t);
}

int posix_timer_delete(struct process *p, int id)
{
	struct posix_timer *t;
	int err = -EINVAL;

	fr_mutex_lock(&p->timers.lock);
	t = find_timer(p, id);
	if (t) {
		destroy(p, t);
		err = 0;
	}
	fr_mutex_unlock(&p->timers.lock);
	return err;
}

static void delete_all(struct process *p)
{
	fr_mutex_lock(&p->timers.lock);
	while (p->timers.list)
		destroy(p, p->timers.list);
	fr_mutex_unlock(&p->timers.lock);
}

void process_timers_exec(struct process *p)
{
	delete_all(p);
}

void process_timers_exit(struct process *p)
{
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);

	p->timers.ended = true;
	p->timers.itimer[0].expires = p->timers.itimer[1].expires = 0;
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	delete_all(p);
	/* the check re-arms itself only while the process has not ended */
	ktimer_cancel(&p->timers.cpu_check);
}

/*
 * @t's time left and interval.  A SIGEV_NONE timer has no callback: it
 * is moved on here.  [sig] held
 */
static void get_locked(struct posix_timer *t, const struct cputime *proc,
		       struct timer_setting *cur)
{
	uint64_t now, next;

	cur->value = 0;
	cur->interval = t->interval;
	if (!t->armed)
		return;
	if (t->cpu) {
		if (!cpu_clock_now(t, proc, &now)) {
			cur->interval = 0; /* its thread ended */
			return;
		}
	} else {
		now = base_now(t);
	}
	next = t->expires;
	if (t->interval && now >= next)
		next = ktime_add(next, ktime_mul((now - next) / t->interval + 1,
						 t->interval));
	if (next > now) {
		cur->value = next - now;
		if (t->notify == SIGEV_NONE)
			t->expires = next;
	} else if (t->notify == SIGEV_NONE) {
		t->armed = false; /* a one-shot SIGEV_NONE timer is over */
	} else {
		cur->value = 1; /* due: its callback is about to run */
	}
}

int posix_timer_get(struct process *p, int id, struct timer_setting *cur)
{
	struct posix_timer *t;
	struct cputime c;
	unsigned long irq;
	int err = -EINVAL;

	fr_mutex_lock(&p->timers.lock);
	t = find_timer(p, id);
	if (t) {
		irq = fr_spin_lock_irqsave(&p->siglock);
		process_cputime_locked(p, &c);
		get_locked(t, &c, cur);
		fr_spin_unlock_irqrestore(&p->siglock, irq);
		err = 0;
	}
	fr_mutex_unlock(&p->timers.lock);
	return err;
}

int posix_timer_getoverrun(struct process *p, int id)
{
	struct posix_timer *t;
	unsigned long irq;
	int ret = -EINVAL;

	fr_mutex_lock(&p->timers.lock);
	t = find_timer(p, id);
	if (t) {
		irq = fr_spin_lock_irqsave(&p->siglock);
		ret = t->sigq.overrun_last;
		fr_spin_unlock_irqrestore(&p->siglock, irq);
	}
	fr_mutex_unlock(&p->timers.lock);
	return ret;
}

/*
 * The clock a wall-clock timer of @clockid counts on: POSIX wants relative
 * CLOCK_REALTIME timers unmoved by clock changes (Linux makes them
 * monotonic), the boot clocks read as the monotonic one.
 */
static int timer_base(int clockid, bool absolute)
{
	switch (clockid) {
	case CLOCK_REALTIME:
		return absolute ? CLOCK_REALTIME : CLOCK_MONOTONIC;
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		return clockid;
	default:
		return CLOCK_MONOTONIC;
	}
}

/*
 * Arm or disarm @t with @set (the caller checked that a thread CPU
 * clock's thread is there).  [sig] held
 */
static void set_locked(struct posix_timer *t, bool absolute,
		       const struct timer_setting *set,
		       const struct cputime *proc)
{
	uint64_t now = 0;

	t->armed = false;
	t->interval = 0;
	t->sigq.overrun = 0;
	t->sigq.overrun_last = 0;
	if (!set->value)
		return;
	t->interval = set->interval;
	if (t->cpu) {
		if (!cpu_clock_now(t, proc, &now))
			return;
		t->expires = absolute ? set->value : ktime_add(now, set->value);
	} else {
		t->base = timer_base(t->clockid, absolute);
		if (!absolute)
			t->expires = ktime_add(base_now(t), set->value);
		else if (t->base == CLOCK_MONOTONIC)
			t->expires = clock_to_monotonic(t->clockid, set->value);
		else
			t->expires = set->value;
	}
	t->armed = true;
	if (!acts(t))
		return; /* nothing to do when it expires */
	if (t->cpu)
		cpu_check_locked(t->proc);
	else
		ktimer_arm(&t->kt, base_deadline(t));
}

int posix_timer_set(struct process *p, int id, bool absolute,
		    const struct timer_setting *set, struct timer_setting *old)
{
	struct posix_timer *t;
	struct cputime c;
	unsigned long irq;
	uint64_t now;
	int err = 0;

	fr_mutex_lock(&p->timers.lock);
	t = find_timer(p, id);
	if (!t) {
		fr_mutex_unlock(&p->timers.lock);
		return -EINVAL;
	}
	irq = fr_spin_lock_irqsave(&p->siglock);
	process_cputime_locked(p, &c);
	if (t->cpu && !cpu_clock_now(t, &c, &now)) {
		err = -ESRCH; /* as Linux: its thread is gone */
	} else {
		if (old)
			get_locked(t, &c, old);
		set_locked(t, absolute, set, &c);
	}
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	if (!err && !t->cpu && !set->value)
		ktimer_cancel(&t->kt);
	fr_mutex_unlock(&p->timers.lock);
	return err;
}

/* ---- interval timers on CPU time ---- */

static void itimer_get_locked(const struct cpu_itimer *it, uint64_t now,
			      struct timer_setting *cur)
{
	cur->interval = it->interval;
	cur->value = 0;
	if (it->expires)
		/* as Linux: one that should have fired is a tick away */
		cur->value = it->expires > now ? it->expires - now :
						 KTIME_TICK_NS;
}

static uint64_t itimer_clock(const struct cputime *c, int which)
{
	return which == 1 ? c->user_ns : cputime_total(c);
}

void cpu_itimer_get(struct process *p, int which, struct timer_setting *cur)
{
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);
	struct cputime c;

	process_cputime_locked(p, &c);
	itimer_get_locked(&p->timers.itimer[which - 1], itimer_clock(&c, which),
			  cur);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
}

void cpu_itimer_set(struct process *p, int which,
		    const struct timer_setting *set, struct timer_setting *old)
{
	struct cpu_itimer *it = &p->timers.itimer[which - 1];
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);
	struct cputime c;
	uint64_t now;

	process_cputime_locked(p, &c);
	now = itimer_clock(&c, which);
	if (old)
		itimer_get_locked(it, now, old);
	it->interval = set->interval;
	/* as Linux: one tick more, so that a sampled clock is never early */
	it->expires = set->value ? ktime_add(now, ktime_add(set->value,
							   KTIME_TICK_NS)) :
				   0;
	if (it->expires)
		cpu_check_locked(p);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
}

/* ---- sleeping on a CPU clock ---- */

int cpu_clock_nanosleep(int clockid, bool absolute, uint64_t t,
			uint64_t *left)
{
	struct process *p = current_process();
	struct thread *self = current_thread();
	struct posix_timer sleeper = {
		.id = -1,
		.clockid = clockid,
		.proc = p,
		.notify = SIGEV_NONE,
		.sleeper = fr_task_current(),
	};
	struct timer_setting set = { .value = t };
	struct fr_waitqueue wq;
	struct cputime c;
	unsigned long irq;
	bool linked = false;
	uint64_t now;
	int err;

	*left = 0;
	fr_mutex_lock(&p->timers.lock);
	irq = fr_spin_lock_irqsave(&p->siglock);
	err = bind_cpu_clock(&sleeper, clockid, self);
	if (!err && sleeper.cpu_tid == self->tid)
		err = -EINVAL; /* as Linux: not on its own thread's clock */
	process_cputime_locked(p, &c);
	if (!err && t && cpu_clock_now(&sleeper, &c, &now) &&
	    (!absolute || now < t)) {
		sleeper.next = p->timers.list;
		p->timers.list = &sleeper;
		set_locked(&sleeper, absolute, &set, &c);
		linked = true;
	}
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	fr_mutex_unlock(&p->timers.lock);
	if (!linked)
		return err;

	fr_waitqueue_init(&wq);
	err = KTIME_WAIT_EVENT(&wq,
			       !__atomic_load_n(&sleeper.armed,
						__ATOMIC_ACQUIRE),
			       KTIME_NEVER);

	fr_mutex_lock(&p->timers.lock);
	irq = fr_spin_lock_irqsave(&p->siglock);
	process_cputime_locked(p, &c);
	if (sleeper.armed && cpu_clock_now(&sleeper, &c, &now) &&
	    sleeper.expires > now)
		*left = sleeper.expires - now;
	else
		err = 0; /* it ended at the same time */
	unlink_locked(p, &sleeper);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	fr_mutex_unlock(&p->timers.lock);
	return err;
}

/* ---- clock changes ---- */

void posix_timers_clock_was_set(void)
{
	struct posix_timer *t;
	struct process *p;
	unsigned long irq;

	fr_mutex_lock(&process_tree_lock);
	for (p = process_first(); p; p = p->next_all) {
		irq = fr_spin_lock_irqsave(&p->siglock);
		for (t = p->timers.list; t; t = t->next)
			if (t->armed && !t->cpu && t->base != CLOCK_MONOTONIC &&
			    acts(t))
				ktimer_arm(&t->kt, base_deadline(t));
		fr_spin_unlock_irqrestore(&p->siglock, irq);
	}
	fr_mutex_unlock(&process_tree_lock);
}
