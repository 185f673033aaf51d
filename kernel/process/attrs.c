/*
 * Per-process attributes (attrs.h): the credential, the umask, resource
 * limits, prctl(2) flags and processor-time accounting, with what fork,
 * execve, a change of ids and the end of a process do to them.
 */
#include <frame/log.h>
#include <frame/mm.h>
#include <libs/string.h>
#include <linux/fs.h>
#include <linux/mqueue.h>
#include <linux/personality.h>
#include "process/attrs.h"

/* Linux's defaults that its UAPI headers do not carry. */
#define NR_OPEN_DEFAULT (1024 * 1024) /* fs.nr_open: most open files */
#define NR_OPEN_MIN 64			/* BITS_PER_LONG */
#define NR_OPEN_MAX 2147483584		/* INT_MAX & ~(BITS_PER_LONG - 1) */
#define THREAD_SIZE (16 * 1024) /* x86-64 kernel stack */
#define MIN_THREADS 20
#define MAX_THREADS 0x3fffffff /* FUTEX_TID_MASK */
#define INIT_UMASK 0022

static unsigned nr_open = NR_OPEN_DEFAULT; /* atomic */

unsigned process_nr_open(void)
{
	return __atomic_load_n(&nr_open, __ATOMIC_RELAXED);
}

int process_set_nr_open(uint64_t max)
{
	if (max < NR_OPEN_MIN || max > NR_OPEN_MAX)
		return -EINVAL;
	__atomic_store_n(&nr_open, (unsigned)max, __ATOMIC_RELAXED);
	return 0;
}

/*
 * Linux sizes the process and pending-signal limits of init from memory
 * (fork_init()): a kernel stack may take at most an eighth of RAM, and
 * init may have half of those threads.
 */
static uint64_t init_nproc(void)
{
	struct fr_mem_stats s;
	uint64_t threads;

	fr_mem_stats(&s);
	threads = s.total * FR_PAGE_SIZE / (THREAD_SIZE * 8ULL);
	threads = FR_MAX(threads, (uint64_t)MIN_THREADS);
	threads = FR_MIN(threads, (uint64_t)MAX_THREADS);
	return threads / 2;
}

/* The limits of init (Linux's INIT_RLIMITS). */
static void init_rlimits(struct rlimit64 *r)
{
	uint64_t nproc = init_nproc();

	for (unsigned i = 0; i < RLIM_NLIMITS; i++)
		r[i] = (struct rlimit64){ RLIM64_INFINITY, RLIM64_INFINITY };
	r[RLIMIT_STACK].rlim_cur = _STK_LIM;
	r[RLIMIT_CORE].rlim_cur = 0;
	r[RLIMIT_NPROC] = (struct rlimit64){ nproc, nproc };
	r[RLIMIT_NOFILE] = (struct rlimit64){ INR_OPEN_CUR, INR_OPEN_MAX };
	r[RLIMIT_MEMLOCK] = (struct rlimit64){ MLOCK_LIMIT, MLOCK_LIMIT };
	r[RLIMIT_SIGPENDING] = (struct rlimit64){ nproc, nproc };
	r[RLIMIT_MSGQUEUE] = (struct rlimit64){ MQ_BYTES_MAX, MQ_BYTES_MAX };
	r[RLIMIT_NICE] = (struct rlimit64){ 0, 0 };
	r[RLIMIT_RTPRIO] = (struct rlimit64){ 0, 0 };
}

int process_attrs_init(struct process_attrs *a)
{
	memset(a, 0, sizeof(*a));
	a->cred = cred_alloc_root();
	if (FR_HANDLE_IS_NONE(a->cred))
		return -ENOMEM;
	fr_mutex_init(&a->lock);
	a->umask = INIT_UMASK;
	init_rlimits(a->rlim);
	a->dumpable = ATTRS_DUMP_USER;
	return 0;
}

int process_attrs_copy(struct process_attrs *child,
		       struct process_attrs *parent)
{
	memset(child, 0, sizeof(*child));
	fr_mutex_init(&child->lock);
	fr_mutex_lock(&parent->lock);
	child->cred = cred_dup(parent->cred);
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	child->dumpable = parent->dumpable;
	child->no_new_privs = parent->no_new_privs;
	child->keep_caps = parent->keep_caps;
	child->oom_score_adj = parent->oom_score_adj;
	child->personality = parent->personality;
	child->oom_score_adj_min = parent->oom_score_adj_min;
	fr_mutex_unlock(&parent->lock);
	child->umask = process_attrs_umask(parent);
	return FR_HANDLE_IS_NONE(child->cred) ? -ENOMEM : 0;
}

void process_attrs_exec(struct process_attrs *a)
{
	kuid_t fsuid;
	kgid_t fsgid;

	fr_mutex_lock(&a->lock);
	a->keep_caps = false;
	/* the saved and file-system ids become the effective ones (Linux's
	 * cap_bprm_creds_from_file); a changed file-system id is a change
	 * of ids that drops the parent-death signal (commit_creds) */
	fsuid = cred_fsuid(a->cred);
	fsgid = cred_fsgid(a->cred);
	if (cred_setresuid(a->cred, CRED_KEEP, CRED_KEEP, cred_euid(a->cred)) ||
	    cred_setresgid(a->cred, CRED_KEEP, CRED_KEEP, cred_egid(a->cred)))
		/* never: each one set is an id the process holds */
		fr_printk("exec: the saved ids could not be set\n");
	if (fsuid != cred_fsuid(a->cred) || fsgid != cred_fsgid(a->cred))
		a->pdeathsig = 0;
	/* begin_new_exec(): a program run with other ids may not be dumped */
	if (cred_uid(a->cred) == cred_euid(a->cred) &&
	    cred_gid(a->cred) == cred_egid(a->cred))
		a->dumpable = ATTRS_DUMP_USER;
	else
		a->dumpable = ATTRS_DUMP_DISABLE;
	if (a->dumpable == ATTRS_DUMP_DISABLE) /* Linux's secureexec */
		a->personality &= ~(unsigned)PER_CLEAR_ON_SETID;
	fr_mutex_unlock(&a->lock);
}

void process_attrs_reap(struct process_attrs *parent,
			struct process_attrs *child, uint64_t user_ns,
			uint64_t sys_ns)
{
	/* nobody else can reach the child any more: no lock for it */
	uint64_t user = user_ns + child->child_user_ns;
	uint64_t sys = sys_ns + child->child_sys_ns;

	fr_mutex_lock(&parent->lock);
	parent->child_user_ns += user;
	parent->child_sys_ns += sys;
	fr_mutex_unlock(&parent->lock);
	process_attrs_release(child);
}

void process_attrs_release(struct process_attrs *a)
{
	cred_free(a->cred);
	a->cred = FR_HANDLE_NONE(cred_rw);
}

cred_r process_attrs_cred_lock(struct process_attrs *a)
{
	fr_mutex_lock(&a->lock);
	return cred_r_of(a->cred);
}

void process_attrs_cred_unlock(struct process_attrs *a)
{
	fr_mutex_unlock(&a->lock);
}

bool process_attrs_privileged(struct process_attrs *a)
{
	bool ok = cred_privileged(process_attrs_cred_lock(a));

	process_attrs_cred_unlock(a);
	return ok;
}

/* The ids whose change makes a process undumpable (commit_creds()). */
static struct process_watched_ids watched(cred_r c)
{
	return (struct process_watched_ids){ cred_euid(c), cred_fsuid(c),
					     cred_egid(c), cred_fsgid(c) };
}

cred_rw process_attrs_cred_begin(struct process_attrs *a)
{
	fr_mutex_lock(&a->lock);
	a->change_before = watched(cred_r_of(a->cred));
	return a->cred;
}

void process_attrs_cred_end(struct process_attrs *a)
{
	struct process_watched_ids before = a->change_before;
	struct process_watched_ids after = watched(cred_r_of(a->cred));

	if (before.euid != after.euid || before.fsuid != after.fsuid ||
	    before.egid != after.egid || before.fsgid != after.fsgid) {
		a->dumpable = ATTRS_DUMP_DISABLE; /* fs.suid_dumpable = 0 */
		a->pdeathsig = 0;
	}
	fr_mutex_unlock(&a->lock);
}

int process_attrs_get(struct process_attrs *a, enum process_flag f)
{
	int v = 0;

	fr_mutex_lock(&a->lock);
	switch (f) {
	case PROCESS_DUMPABLE:
		v = a->dumpable;
		break;
	case PROCESS_PDEATHSIG:
		v = a->pdeathsig;
		break;
	case PROCESS_NO_NEW_PRIVS:
		v = a->no_new_privs;
		break;
	case PROCESS_KEEP_CAPS:
		v = a->keep_caps;
		break;
	case PROCESS_CHILD_SUBREAPER:
		v = a->child_subreaper;
		break;
	case PROCESS_PERSONALITY:
		v = (int)a->personality;
		break;
	}
	fr_mutex_unlock(&a->lock);
	return v;
}

void process_attrs_set(struct process_attrs *a, enum process_flag f, int value)
{
	fr_mutex_lock(&a->lock);
	switch (f) {
	case PROCESS_DUMPABLE:
		a->dumpable = value;
		break;
	case PROCESS_PDEATHSIG:
		a->pdeathsig = value;
		break;
	case PROCESS_NO_NEW_PRIVS:
		a->no_new_privs = a->no_new_privs || value;
		break;
	case PROCESS_KEEP_CAPS:
		a->keep_caps = value;
		break;
	case PROCESS_CHILD_SUBREAPER:
		a->child_subreaper = value;
		break;
	case PROCESS_PERSONALITY:
		a->personality = (unsigned)value;
		break;
	}
	fr_mutex_unlock(&a->lock);
}

unsigned process_attrs_umask(const struct process_attrs *a)
{
	return __atomic_load_n(&a->umask, __ATOMIC_RELAXED);
}

int process_attrs_oom_score_adj(struct process_attrs *a)
{
	int adj;

	fr_mutex_lock(&a->lock);
	adj = a->oom_score_adj;
	fr_mutex_unlock(&a->lock);
	return adj;
}

int process_attrs_set_oom_score_adj(struct process_attrs *a, int adj,
				    bool privileged)
{
	int err = 0;

	fr_mutex_lock(&a->lock);
	if (adj < a->oom_score_adj_min && !privileged) {
		err = -EACCES;
	} else {
		a->oom_score_adj = adj;
		if (privileged)
			a->oom_score_adj_min = adj;
	}
	fr_mutex_unlock(&a->lock);
	return err;
}

unsigned process_attrs_set_umask(struct process_attrs *a, unsigned mask)
{
	return __atomic_exchange_n(&a->umask, mask & 0777, __ATOMIC_RELAXED);
}

int process_attrs_rlimit(struct process_attrs *a, unsigned resource,
			 struct rlimit64 *out)
{
	return process_attrs_prlimit(a, resource, NULL, out, false);
}

int process_attrs_prlimit(struct process_attrs *a, unsigned resource,
			  const struct rlimit64 *new, struct rlimit64 *old,
			  bool privileged)
{
	struct rlimit64 *r;
	int err = 0;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new &&new->rlim_cur > new->rlim_max)
		return -EINVAL;
	if (new &&resource == RLIMIT_NOFILE &&new->rlim_max > process_nr_open())
		return -EPERM;
	fr_mutex_lock(&a->lock);
	r = &a->rlim[resource];
	if (new &&new->rlim_max > r->rlim_max && !privileged)
		err = -EPERM;
	if (!err && old)
		*old = *r;
	if (!err && new)
		*r = *new;
	fr_mutex_unlock(&a->lock);
	return err;
}

int process_attrs_prlimit_of(struct process_attrs *target,
			     struct process_attrs *caller, unsigned resource,
			     const struct rlimit64 *new, struct rlimit64 *old)
{
	cred_r c = process_attrs_cred_lock(caller);
	kuid_t uid = cred_uid(c);
	kgid_t gid = cred_gid(c);
	bool privileged = cred_privileged(c);
	bool same;

	process_attrs_cred_unlock(caller);
	if (target != caller && !privileged) {
		c = process_attrs_cred_lock(target);
		same = uid == cred_uid(c) && uid == cred_euid(c) &&
		       uid == cred_suid(c) && gid == cred_gid(c) &&
		       gid == cred_egid(c) && gid == cred_sgid(c);
		process_attrs_cred_unlock(target);
		if (!same)
			return -EPERM;
	}
	return process_attrs_prlimit(target, resource, new, old, privileged);
}

void process_attrs_children_time(struct process_attrs *a, uint64_t *user_ns,
				 uint64_t *sys_ns)
{
	fr_mutex_lock(&a->lock);
	*user_ns = a->child_user_ns;
	*sys_ns = a->child_sys_ns;
	fr_mutex_unlock(&a->lock);
}
