/*
 * The per-process attributes that are not memory or threads: who the
 * process is (its credential, kernel/security/cred.h), its file-mode
 * creation mask, its resource limits, the state prctl(2) sets, and the
 * processor time of its reaped children (its own is in time/cputime.h).
 *
 * Every process has one, embedded in struct process: made for PID 1 by
 * process_attrs_init(), inherited by fork (process_attrs_copy()), partly
 * reset by execve (process_attrs_exec()), and released when its parent
 * reaps it (process_attrs_reap()).
 *
 * Linux keeps some of these per thread (credentials, the name, the
 * parent-death signal); Trellis keeps them per process, as POSIX
 * specifies for ids (C libraries make set*id apply to every thread).
 */
#ifndef KERNEL_PROCESS_ATTRS_H
#define KERNEL_PROCESS_ATTRS_H

#include <frame/sync.h>
#include <frame/task.h>
#include <linux/resource.h>
#include "security/cred.h"

/* PR_SET_DUMPABLE's values (Linux's SUID_DUMP_DISABLE / SUID_DUMP_USER). */
#define ATTRS_DUMP_DISABLE 0
#define ATTRS_DUMP_USER 1

/* The ids whose change has consequences (process_attrs_cred_end()). */
struct process_watched_ids {
	kuid_t euid, fsuid;
	kgid_t egid, fsgid;
};

struct process_attrs {
	struct fr_mutex lock; /* guards every field below but umask */
	cred_rw cred;
	unsigned umask; /* atomic */
	struct rlimit64 rlim[RLIM_NLIMITS];
	int dumpable; /* ATTRS_DUMP_*: may dump core, be traced */
	int pdeathsig; /* sent when the parent ends; 0: none */
	bool no_new_privs; /* execve may not grant privileges; sticky */
	bool keep_caps; /* keep privileges when leaving uid 0 */
	bool child_subreaper; /* adopts orphaned descendants */
	unsigned personality; /* personality(2); fork and exec keep it */
	/* /proc/PID/oom_score_adj, and the least it may be set to without
	 * privilege (Linux's oom_score_adj_min) */
	int oom_score_adj, oom_score_adj_min;
	uint64_t child_user_ns, child_sys_ns; /* reaped children, theirs too */
	struct process_watched_ids change_before; /* during a cred change */
};

/*
 * process_attrs_init - the attributes of PID 1: root, umask 022, Linux's
 * initial resource limits (what the Debian kernel gives init), dumpable.
 * Context: task context.  Returns 0 or -ENOMEM.
 */
int process_attrs_init(struct process_attrs *a);

/*
 * process_attrs_copy - a forked child's attributes: a copy of the
 * parent's credential, umask, limits, dumpable, no_new_privs, keep_caps,
 * oom_score_adj and personality; no parent-death signal, not a
 * subreaper, no time used.
 * Context: task context.  Returns 0 or -ENOMEM (@child then holds
 * nothing and needs no process_attrs_release()).
 */
int process_attrs_copy(struct process_attrs *child,
		       struct process_attrs *parent);

/*
 * process_attrs_exec - what execve changes once the new program is in
 * place: keep_caps is cleared, the saved and file-system ids become the
 * effective ones (a changed file-system id drops the parent-death
 * signal), and the process is dumpable again unless its real and
 * effective ids differ; then it also loses the personality flags
 * PER_CLEAR_ON_SETID.  Context: task context.
 */
void process_attrs_exec(struct process_attrs *a);

/*
 * process_attrs_reap - a parent reaps a child: the child's own processor
 * time (@user_ns, @sys_ns) and its reaped children's time are added to
 * the parent's children's time (RUSAGE_CHILDREN), then the child's
 * attributes are released.  Context: task context; the child is unlinked
 * from every list.
 */
void process_attrs_reap(struct process_attrs *parent,
			struct process_attrs *child, uint64_t user_ns,
			uint64_t sys_ns);

/*
 * process_attrs_release - free what the attributes hold (a process that
 * never ran).  Context: task context.
 */
void process_attrs_release(struct process_attrs *a);

/*
 * process_attrs_cred_lock / process_attrs_cred_unlock - read the
 * credential: the handle is read-only and valid until the unlock (for
 * permission checks).  Context: task context; sleeps; lock order: after
 * process_tree_lock.
 */
cred_r process_attrs_cred_lock(struct process_attrs *a);
void process_attrs_cred_unlock(struct process_attrs *a);

/*
 * process_attrs_privileged - whether the credential is privileged
 * (cred_privileged(): stands for the capabilities, CAP_SYS_TIME,
 * CAP_SYS_ADMIN...).  Context: task context; sleeps.
 */
bool process_attrs_privileged(struct process_attrs *a);

/*
 * process_attrs_cred_begin / process_attrs_cred_end - change the
 * credential: between the two the caller may apply cred_set*() to the
 * read-write handle.  The end compares the effective and file-system ids
 * with those at the beginning and, when one changed, does what Linux
 * does then: the process is no longer dumpable and loses its
 * parent-death signal.  Context: task context; sleeps.
 */
cred_rw process_attrs_cred_begin(struct process_attrs *a);
void process_attrs_cred_end(struct process_attrs *a);

/* The process's flags that prctl(2) reads and sets. */
enum process_flag {
	PROCESS_DUMPABLE, /* ATTRS_DUMP_* */
	PROCESS_PDEATHSIG, /* a signal number, 0 for none */
	PROCESS_NO_NEW_PRIVS, /* 0 or 1; once set it stays */
	PROCESS_KEEP_CAPS, /* 0 or 1 */
	PROCESS_CHILD_SUBREAPER, /* 0 or 1 */
	PROCESS_PERSONALITY, /* personality(2): PER_* and its flags */
};

/*
 * process_attrs_get / process_attrs_set - read or set one flag (the value
 * is not checked: prctl(2) does that).  Context: task context.
 */
int process_attrs_get(struct process_attrs *a, enum process_flag f);
void process_attrs_set(struct process_attrs *a, enum process_flag f, int value);

/* The range of oom_score_adj (Linux's OOM_SCORE_ADJ_MIN/MAX). */
#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000

/* process_attrs_oom_score_adj - the process's oom_score_adj. */
int process_attrs_oom_score_adj(struct process_attrs *a);

/*
 * process_attrs_set_oom_score_adj - set it to @adj (in range, checked by
 * the caller).  Below the least set with privilege, it needs
 * @privileged (-EACCES); set with privilege, it becomes that least, as
 * Linux's CAP_SYS_RESOURCE does.  Returns 0 or -EACCES.
 * Context: task context.
 */
int process_attrs_set_oom_score_adj(struct process_attrs *a, int adj,
				    bool privileged);

/*
 * process_attrs_umask / process_attrs_set_umask - the file-mode creation
 * mask; setting it returns the previous one.  Context: any.
 */
unsigned process_attrs_umask(const struct process_attrs *a);
unsigned process_attrs_set_umask(struct process_attrs *a, unsigned mask);

/*
 * process_attrs_rlimit - the limit of @resource (< RLIM_NLIMITS) into
 * @out.  Context: task context.  Returns 0 or -EINVAL.
 */
int process_attrs_rlimit(struct process_attrs *a, unsigned resource,
			 struct rlimit64 *out);

/*
 * process_attrs_prlimit - prlimit64(2) on @a, by a caller that is
 * @privileged (may raise a hard limit): store the old limit of @resource
 * in @old (if not NULL), then set it to @new (if not NULL).  Returns 0;
 * -EINVAL for a bad resource or a soft limit above the hard one; -EPERM
 * for raising a hard limit unprivileged, or the open-files limit above
 * nr_open.  Context: task context.
 */
int process_attrs_prlimit(struct process_attrs *a, unsigned resource,
			  const struct rlimit64 *new, struct rlimit64 *old,
			  bool privileged);

/*
 * process_nr_open / process_set_nr_open - /proc/sys/fs/nr_open, above
 * which no open-files limit may be set (1048576).  Setting: -EINVAL
 * outside Linux's [64, 2147483584].  Context: any.
 */
unsigned process_nr_open(void);
int process_set_nr_open(uint64_t max);

/*
 * process_attrs_prlimit_of - prlimit64(2) on the process of @target by
 * the process of @caller: allowed to the caller itself, to a privileged
 * caller, and to one whose real uid and gid are each of the target's real,
 * effective and saved ones (check_prlimit_permission()).  Returns as
 * process_attrs_prlimit(), or -EPERM.  Context: task context.
 */
int process_attrs_prlimit_of(struct process_attrs *target,
			     struct process_attrs *caller, unsigned resource,
			     const struct rlimit64 *new, struct rlimit64 *old);

/*
 * process_attrs_children_time - the processor time of the reaped children
 * (and of the children they reaped), in ns.  Context: task context.
 */
void process_attrs_children_time(struct process_attrs *a, uint64_t *user_ns,
				 uint64_t *sys_ns);

#endif
