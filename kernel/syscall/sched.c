/*
 * Scheduling system calls, with Linux 6.1's rules and errors:
 * sched_yield, sched_setscheduler, sched_getscheduler, sched_setparam,
 * sched_getparam, sched_setattr, sched_getattr, sched_get_priority_max and
 * _min, sched_rr_get_interval, sched_setaffinity, sched_getaffinity, and
 * getpriority and setpriority (libc's nice() is setpriority).
 *
 * As in Linux the parameters are a thread's: a pid argument is a thread
 * id (0: the calling thread), and PRIO_PGRP and PRIO_USER reach every
 * thread of the processes they name.  "Privileged" is CAP_SYS_NICE, an
 * effective uid of 0 here.  SCHED_DEADLINE is not implemented: a request
 * for it that Linux would accept fails as when admission control refuses
 * it (EBUSY).
 */
#include <frame/cpu.h>
#include <frame/task.h>
#include <libs/string.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <linux/time_types.h>
#include "syscall/syscall.h"
#include "process/process.h"
#include "sched/sched.h"
#include "time/clock.h"

#define SETPARAM_POLICY (-1)
#define SCHED_FLAG_SUGOV 0x10000000ULL /* Linux-internal, refused */
#define MAX_RT_PRIO 100
#define NICE_MIN (-20)
#define NICE_MAX 19
/* Linux's deadline limits: the period from 100 us to 2^22 us, the
 * runtime at least 2^10 ns (DL_SCALE). */
#define DL_PERIOD_MIN_NS (100ULL * 1000)
#define DL_PERIOD_MAX_NS ((1ULL << 22) * 1000)
#define DL_RUNTIME_MIN_NS (1ULL << 10)
/* The kernel's cpumask: FR_MAX_CPUS bits. */
#define CPUMASK_BYTES 8U

long sys_sched_yield(const struct syscall_args *a)
{
	fr_task_yield();
	return 0;
}

/* ---- who may do what ---- */

struct ids {
	kuid_t uid, euid;
	bool privileged;
};

static struct ids ids_of(struct process *p)
{
	cred_r c = process_attrs_cred_lock(&p->attrs);
	struct ids ids = {
		.uid = cred_uid(c),
		.euid = cred_euid(c),
		.privileged = cred_privileged(c),
	};

	process_attrs_cred_unlock(&p->attrs);
	return ids;
}

/* Linux's check_same_owner() (and set_one_prio_perm() without the
 * privilege): the caller's effective uid is the target's real or
 * effective one. */
static bool same_owner(const struct ids *caller, struct process *target)
{
	struct ids t = ids_of(target);

	return caller->euid == t.uid || caller->euid == t.euid;
}

/* The soft limit @resource of @p. */
static uint64_t rlimit_of(struct process *p, unsigned resource)
{
	struct rlimit64 r;

	if (process_attrs_rlimit(&p->attrs, resource, &r))
		return 0;
	return r.rlim_cur;
}

/* Linux's is_nice_reduction(): RLIMIT_NICE allows @nice (as 20 - nice). */
static bool nice_allowed(struct process *p, int nice)
{
	return (uint64_t)(20 - nice) <= rlimit_of(p, RLIMIT_NICE);
}

/* The thread @tid names (0: the caller), or NULL.  process_tree_lock. */
static struct thread *thread_of(int tid)
{
	return tid ? thread_find(tid) : current_thread();
}

/* ---- sched_setscheduler, sched_setparam, sched_setattr ---- */

static bool fair_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH;
}

static bool valid_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_FIFO ||
	       policy == SCHED_RR || policy == SCHED_BATCH ||
	       policy == SCHED_IDLE || policy == SCHED_DEADLINE;
}

/* Linux's __checkparam_dl(). */
static bool dl_params_valid(const struct sched_attr *attr)
{
	uint64_t period = attr->sched_period;

	if (attr->sched_flags & SCHED_FLAG_SUGOV)
		return true;
	if (!attr->sched_deadline || attr->sched_runtime < DL_RUNTIME_MIN_NS)
		return false;
	if ((attr->sched_deadline | attr->sched_period) & (1ULL << 63))
		return false;
	if (!period)
		period = attr->sched_deadline;
	if (period < attr->sched_deadline ||
	    attr->sched_deadline < attr->sched_runtime)
		return false;
	return period >= DL_PERIOD_MIN_NS && period <= DL_PERIOD_MAX_NS;
}

/*
 * Whether an unprivileged caller may not make this change (Linux's
 * user_check_sched_setscheduler()).
 */
static bool needs_privilege(struct thread *t, const struct ids *caller,
			    const struct sched_params *cur, int policy,
			    const struct sched_attr *attr, bool reset)
{
	struct process *p = t->proc;

	if (fair_policy(policy) && attr->sched_nice < cur->nice &&
	    !nice_allowed(p, attr->sched_nice))
		return true;
	if (policy == SCHED_FIFO || policy == SCHED_RR) {
		uint64_t rtprio = rlimit_of(p, RLIMIT_RTPRIO);

		if ((unsigned)policy != cur->policy && !rtprio)
			return true;
		if (attr->sched_priority > cur->rt_priority &&
		    attr->sched_priority > rtprio)
			return true;
	}
	if (policy == SCHED_DEADLINE)
		return true;
	if (cur->policy == SCHED_IDLE && policy != SCHED_IDLE &&
	    !nice_allowed(p, cur->nice))
		return true;
	if (!same_owner(caller, p))
		return true;
	return cur->reset_on_fork && !reset;
}

/*
 * Linux's __sched_setscheduler() for thread @t: @attr with its policy
 * (SETPARAM_POLICY: keep the thread's), priority, nice and flags.
 * process_tree_lock held.
 */
static long setscheduler(struct thread *t, const struct sched_attr *attr)
{
	struct process *self = current_process();
	int policy = (int)attr->sched_policy;
	struct sched_params cur, want;
	struct ids caller;
	bool reset;

	sched_get_params(t->task, &cur);
	if (policy < 0) {
		reset = cur.reset_on_fork;
		policy = (int)cur.policy;
	} else {
		reset = attr->sched_flags & SCHED_FLAG_RESET_ON_FORK;
		if (!valid_policy(policy))
			return -EINVAL;
	}
	if (attr->sched_flags & ~(SCHED_FLAG_ALL | SCHED_FLAG_SUGOV))
		return -EINVAL;
	if (attr->sched_priority > MAX_RT_PRIO - 1)
		return -EINVAL;
	if (policy == SCHED_DEADLINE && !dl_params_valid(attr))
		return -EINVAL;
	if ((policy == SCHED_FIFO || policy == SCHED_RR) !=
	    (attr->sched_priority != 0))
		return -EINVAL;
	caller = ids_of(self);
	if (!caller.privileged &&
	    needs_privilege(t, &caller, &cur, policy, attr, reset))
		return -EPERM;
	if (attr->sched_flags & SCHED_FLAG_SUGOV)
		return -EINVAL;
	if (attr->sched_flags & SCHED_FLAG_UTIL_CLAMP)
		return -EOPNOTSUPP; /* as Linux without CONFIG_UCLAMP_TASK */
	if (policy == SCHED_DEADLINE)
		return -EBUSY;
	want.policy = (unsigned)policy;
	want.rt_priority = attr->sched_priority;
	/* SCHED_IDLE and real time keep the nice value they had */
	want.nice = fair_policy(policy) ? attr->sched_nice : cur.nice;
	want.reset_on_fork = reset;
	if (want.policy == cur.policy && want.rt_priority == cur.rt_priority &&
	    want.nice == cur.nice && want.reset_on_fork == cur.reset_on_fork)
		return 0;
	return sched_set_params(t->task, &want);
}

/* What setscheduler_tid() takes from the thread before it applies. */
enum keep {
	KEEP_NONE,   /* sched_setattr(): everything from the caller */
	KEEP_NICE,   /* sched_setscheduler(), _setparam(): the nice value */
	KEEP_PARAMS, /* SCHED_FLAG_KEEP_PARAMS: the priority or nice value */
};

/* setscheduler() on thread @tid (0: the caller). */
static long setscheduler_tid(int tid, const struct sched_attr *attr,
			     enum keep keep)
{
	struct sched_attr a = *attr;
	struct sched_params cur;
	struct thread *t;
	long err = -ESRCH;

	fr_mutex_lock(&process_tree_lock);
	t = thread_of(tid);
	if (t) {
		sched_get_params(t->task, &cur);
		if (keep == KEEP_NICE)
			a.sched_nice = cur.nice;
		if (keep == KEEP_PARAMS) {
			if (cur.policy == SCHED_FIFO || cur.policy == SCHED_RR)
				a.sched_priority = cur.rt_priority;
			else
				a.sched_nice = cur.nice;
		}
		err = setscheduler(t, &a);
	}
	fr_mutex_unlock(&process_tree_lock);
	return err;
}

/* sched_setscheduler() and sched_setparam() (@policy SETPARAM_POLICY). */
static long do_setscheduler(int pid, int policy, uint64_t uparam)
{
	struct sched_attr attr;
	struct sched_param param;

	if (!uparam || pid < 0)
		return -EINVAL;
	if (FR_GET_USER(param, fr_uaddr(uparam)))
		return -EFAULT;
	memset(&attr, 0, sizeof(attr));
	attr.sched_policy = (uint32_t)policy;
	attr.sched_priority = (uint32_t)param.sched_priority;
	/* the legacy flag in the policy (not in sched_setparam's -1) */
	if (policy != SETPARAM_POLICY && (policy & SCHED_RESET_ON_FORK)) {
		attr.sched_flags |= SCHED_FLAG_RESET_ON_FORK;
		attr.sched_policy = (uint32_t)(policy & ~SCHED_RESET_ON_FORK);
	}
	return setscheduler_tid(pid, &attr, KEEP_NICE);
}

long sys_sched_setscheduler(const struct syscall_args *a)
{
	int policy = (int)a->arg[1];

	if (policy < 0)
		return -EINVAL;
	return do_setscheduler((int)a->arg[0], policy, a->arg[2]);
}

long sys_sched_setparam(const struct syscall_args *a)
{
	return do_setscheduler((int)a->arg[0], SETPARAM_POLICY, a->arg[1]);
}

/*
 * Read a struct sched_attr of any size from @u as Linux's
 * sched_copy_attr(): a size of 0 is the first version's; a smaller one,
 * or one above a page, or a larger one whose extra bytes are not all 0,
 * is -E2BIG (with the kernel's size written back).
 */
static long attr_from_user(uint64_t u, struct sched_attr *attr)
{
	uint32_t size;
	uint8_t extra[64];

	memset(attr, 0, sizeof(*attr));
	if (FR_GET_USER(size, fr_uaddr(u)))
		return -EFAULT;
	if (!size)
		size = SCHED_ATTR_SIZE_VER0;
	if (size < SCHED_ATTR_SIZE_VER0 || size > FR_PAGE_SIZE)
		goto too_big;
	if (fr_copy_from_user(attr, fr_uaddr(u),
			      FR_MIN(size, (uint32_t)sizeof(*attr))))
		return -EFAULT;
	for (uint32_t at = sizeof(*attr); at < size; at += sizeof(extra)) {
		uint32_t n = FR_MIN(size - at, (uint32_t)sizeof(extra));

		if (fr_copy_from_user(extra, fr_uaddr(u + at), n))
			return -EFAULT;
		for (uint32_t i = 0; i < n; i++)
			if (extra[i])
				goto too_big;
	}
	if ((attr->sched_flags & SCHED_FLAG_UTIL_CLAMP) &&
	    size < SCHED_ATTR_SIZE_VER1)
		return -EINVAL;
	if (attr->sched_nice < NICE_MIN)
		attr->sched_nice = NICE_MIN;
	if (attr->sched_nice > NICE_MAX)
		attr->sched_nice = NICE_MAX;
	return 0;
too_big:
	size = sizeof(*attr);
	if (FR_PUT_USER(size, fr_uaddr(u)))
		return -E2BIG; /* as Linux, even if the size is not told */
	return -E2BIG;
}

long sys_sched_setattr(const struct syscall_args *a)
{
	int pid = (int)a->arg[0];
	struct sched_attr attr;
	long err;

	if (!a->arg[1] || pid < 0 || (unsigned)a->arg[2])
		return -EINVAL;
	err = attr_from_user(a->arg[1], &attr);
	if (err)
		return err;
	if ((int)attr.sched_policy < 0)
		return -EINVAL;
	if (attr.sched_flags & SCHED_FLAG_KEEP_POLICY)
		attr.sched_policy = (uint32_t)SETPARAM_POLICY;
	return setscheduler_tid(pid, &attr,
				attr.sched_flags & SCHED_FLAG_KEEP_PARAMS ?
					KEEP_PARAMS :
					KEEP_NONE);
}

/* ---- reading the parameters ---- */

/* The parameters of thread @tid (0: the caller): 0 or -ESRCH. */
static long params_of(int tid, struct sched_params *out)
{
	struct thread *t;

	fr_mutex_lock(&process_tree_lock);
	t = thread_of(tid);
	if (t)
		sched_get_params(t->task, out);
	fr_mutex_unlock(&process_tree_lock);
	return t ? 0 : -ESRCH;
}

long sys_sched_getscheduler(const struct syscall_args *a)
{
	int pid = (int)a->arg[0];
	struct sched_params p;
	long err;

	if (pid < 0)
		return -EINVAL;
	err = params_of(pid, &p);
	if (err)
		return err;
	return (long)p.policy | (p.reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

long sys_sched_getparam(const struct syscall_args *a)
{
	int pid = (int)a->arg[0];
	struct sched_param param = { 0 };
	struct sched_params p;
	long err;

	if (!a->arg[1] || pid < 0)
		return -EINVAL;
	err = params_of(pid, &p);
	if (err)
		return err;
	if (p.policy == SCHED_FIFO || p.policy == SCHED_RR)
		param.sched_priority = (int)p.rt_priority;
	return FR_PUT_USER(param, fr_uaddr(a->arg[1])) ? -EFAULT : 0;
}

long sys_sched_getattr(const struct syscall_args *a)
{
	int pid = (int)a->arg[0];
	unsigned usize = (unsigned)a->arg[2];
	struct sched_attr attr;
	struct sched_params p;
	long err;

	if (!a->arg[1] || pid < 0 || usize > FR_PAGE_SIZE ||
	    usize < SCHED_ATTR_SIZE_VER0 || (unsigned)a->arg[3])
		return -EINVAL;
	err = params_of(pid, &p);
	if (err)
		return err;
	memset(&attr, 0, sizeof(attr));
	attr.sched_policy = p.policy;
	if (p.reset_on_fork)
		attr.sched_flags |= SCHED_FLAG_RESET_ON_FORK;
	if (p.policy == SCHED_FIFO || p.policy == SCHED_RR)
		attr.sched_priority = p.rt_priority;
	else
		attr.sched_nice = p.nice;
	/* as much as the caller has room for; its size says what we know */
	attr.size = FR_MIN(usize, (unsigned)sizeof(attr));
	return fr_copy_to_user(fr_uaddr(a->arg[1]), &attr, attr.size) ?
		       -EFAULT :
		       0;
}

/* @policy's lowest or highest priority: @rt for the realtime ones, 0 for
 * the others, -EINVAL for no policy. */
static long priority_bound(int policy, long rt)
{
	switch (policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		return rt;
	case SCHED_NORMAL:
	case SCHED_BATCH:
	case SCHED_IDLE:
	case SCHED_DEADLINE:
		return 0;
	default:
		return -EINVAL;
	}
}

long sys_sched_get_priority_max(const struct syscall_args *a)
{
	return priority_bound((int)a->arg[0], MAX_RT_PRIO - 1);
}

long sys_sched_get_priority_min(const struct syscall_args *a)
{
	return priority_bound((int)a->arg[0], 1);
}

long sys_sched_rr_get_interval(const struct syscall_args *a)
{
	int pid = (int)a->arg[0];
	struct __kernel_timespec ts;
	struct thread *t;
	uint64_t ns = 0;

	if (pid < 0)
		return -EINVAL;
	fr_mutex_lock(&process_tree_lock);
	t = thread_of(pid);
	if (t)
		ns = sched_rr_interval_ns(t->task);
	fr_mutex_unlock(&process_tree_lock);
	if (!t)
		return -ESRCH;
	ts = ns_to_timespec(ns);
	return FR_PUT_USER(ts, fr_uaddr(a->arg[1])) ? -EFAULT : 0;
}

/* ---- CPU affinity ---- */

long sys_sched_setaffinity(const struct syscall_args *a)
{
	int pid = (int)a->arg[0];
	unsigned len = (unsigned)a->arg[1];
	uint64_t mask = 0;
	struct thread *t;
	struct ids caller;
	long err;

	/* a shorter mask is completed with zeros, a longer one cut */
	if (fr_copy_from_user(&mask, fr_uaddr(a->arg[2]),
			      FR_MIN(len, CPUMASK_BYTES)))
		return -EFAULT;
	caller = ids_of(current_process());
	fr_mutex_lock(&process_tree_lock);
	t = thread_of(pid);
	if (!t)
		err = -ESRCH;
	else if (!caller.privileged && !same_owner(&caller, t->proc))
		err = -EPERM;
	else
		err = sched_set_affinity(t->task, mask);
	fr_mutex_unlock(&process_tree_lock);
	return err;
}

long sys_sched_getaffinity(const struct syscall_args *a)
{
	int pid = (int)a->arg[0];
	unsigned len = (unsigned)a->arg[1];
	uint64_t mask = 0;
	struct thread *t;
	unsigned n;

	/* room for a bit per CPU, in whole longs */
	if ((uint64_t)len * 8 < fr_cpu_count() || (len & 7))
		return -EINVAL;
	fr_mutex_lock(&process_tree_lock);
	t = thread_of(pid);
	if (t)
		mask = sched_get_affinity(t->task);
	fr_mutex_unlock(&process_tree_lock);
	if (!t)
		return -ESRCH;
	n = FR_MIN(len, CPUMASK_BYTES);
	if (fr_copy_to_user(fr_uaddr(a->arg[2]), &mask, n))
		return -EFAULT;
	return n;
}

/* ---- getpriority, setpriority ---- */

/* What one setpriority() is about: @nice for the threads it reaches. */
struct prio_set {
	int nice;
	struct ids caller;
	long err; /* -ESRCH until a thread is reached */
};

/* Linux's set_one_prio(): the first error stays. */
static void set_one_prio(struct thread *t, struct prio_set *s)
{
	struct sched_params cur;
	long err = 0;

	sched_get_params(t->task, &cur);
	if (!s->caller.privileged && !same_owner(&s->caller, t->proc))
		err = -EPERM;
	else if (s->nice < cur.nice && !s->caller.privileged &&
		 !nice_allowed(t->proc, s->nice))
		err = -EACCES;
	if (err) {
		s->err = err;
		return;
	}
	if (s->err == -ESRCH)
		s->err = 0;
	(void)sched_set_nice(t->task, s->nice);
}

/* Whether process @p is reached by PRIO_PGRP or PRIO_USER @who. */
static bool prio_matches(struct process *p, int which, int who)
{
	if (which == PRIO_PGRP)
		return p->pgid == who;
	return ids_of(p).uid == (kuid_t)who;
}

/* The real "who" of PRIO_PGRP and PRIO_USER (0: the caller's). */
static int prio_who(int which, int who)
{
	if (who)
		return who;
	if (which == PRIO_PGRP)
		return current_process()->pgid;
	return (int)ids_of(current_process()).uid;
}

long sys_setpriority(const struct syscall_args *a)
{
	int which = (int)a->arg[0], who = (int)a->arg[1];
	struct prio_set s = { .nice = (int)a->arg[2], .err = -ESRCH };
	struct thread *t;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	if (s.nice < NICE_MIN)
		s.nice = NICE_MIN;
	if (s.nice > NICE_MAX)
		s.nice = NICE_MAX;
	s.caller = ids_of(current_process());
	if (which != PRIO_PROCESS)
		who = prio_who(which, who);
	fr_mutex_lock(&process_tree_lock);
	if (which == PRIO_PROCESS) {
		t = thread_of(who);
		if (t)
			set_one_prio(t, &s);
	} else {
		for (struct process *p = process_first(); p; p = p->next_all)
			if (prio_matches(p, which, who))
				for (t = p->threads; t; t = t->next_in_process)
					set_one_prio(t, &s);
	}
	fr_mutex_unlock(&process_tree_lock);
	return s.err;
}

/* The system call's value for @t: 20 - nice, from 1 to 40. */
static long prio_value(struct thread *t)
{
	struct sched_params p;

	sched_get_params(t->task, &p);
	return 20 - p.nice;
}

long sys_getpriority(const struct syscall_args *a)
{
	int which = (int)a->arg[0], who = (int)a->arg[1];
	long best = -ESRCH;
	struct thread *t;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	if (which != PRIO_PROCESS)
		who = prio_who(which, who);
	fr_mutex_lock(&process_tree_lock);
	if (which == PRIO_PROCESS) {
		t = thread_of(who);
		if (t)
			best = prio_value(t);
	} else {
		for (struct process *p = process_first(); p; p = p->next_all)
			if (prio_matches(p, which, who))
				for (t = p->threads; t; t = t->next_in_process)
					best = FR_MAX(best, prio_value(t));
	}
	fr_mutex_unlock(&process_tree_lock);
	return best;
}
