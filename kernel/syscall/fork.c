/*
 * Process and thread creation: fork, vfork, clone and clone3.  The flags
 * are checked here as Linux checks them; kernel/process/process.c makes
 * the thread or process.  Namespaces, pidfds and cgroups are not offered.
 */
#include <frame/log.h>
#include <libs/string.h>
#include <linux/sched.h>
#include <asm/signal.h>
#include "syscall/syscall.h"
#include "process/process.h"

/* Flags that are accepted and need nothing more from us (yet). */
#define CLONE_ACCEPTED                                                         \
	(CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |        \
	 CLONE_PTRACE | CLONE_VFORK | CLONE_PARENT | CLONE_THREAD |           \
	 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |                 \
	 CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED |             \
	 CLONE_CHILD_SETTID | CLONE_IO)

static long do_clone(const struct syscall_args *a, uint64_t flags,
		     int exit_signal, uint64_t stack, uint64_t parent_tid,
		     uint64_t child_tid, uint64_t tls)
{
	struct clone_request req = {
		.flags = flags,
		.exit_signal = exit_signal,
		.stack = stack,
		.tls = tls,
		.child_tid = child_tid,
	};
	long tid;
	int tid32;

	if (flags & ~CLONE_ACCEPTED & ~CSIGNAL) {
		fr_printk("clone: flags %lx not supported\n",
			  flags & ~CLONE_ACCEPTED);
		return -EINVAL;
	}
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	/* clone() lets through exit signals past 64, which then send nothing */
	if (exit_signal < 0 || exit_signal > SIGNAL_COUNT)
		exit_signal = 0;
	if ((flags & CLONE_PARENT) && current_process()->pid == 1)
		return -EINVAL; /* init has no siblings */
	if ((flags & CLONE_SETTLS) && tls >= FR_USER_END)
		return -EPERM;
	if (flags & CLONE_SIGHAND && !(flags & CLONE_THREAD))
		fr_printk("clone: CLONE_SIGHAND without CLONE_THREAD copies "
			  "the handlers\n");
	if (flags & CLONE_THREAD)
		req.exit_signal = 0;
	tid = process_clone(a->regs, &req);
	tid32 = (int)tid;
	/* as on Linux, a failed write of the parent's copy is not an error */
	if (tid > 0 && (flags & CLONE_PARENT_SETTID) &&
	    FR_PUT_USER(tid32, fr_uaddr(parent_tid)))
		fr_printk("clone: parent tid address not writable\n");
	return tid;
}

long sys_fork(const struct syscall_args *a)
{
	return do_clone(a, 0, SIGCHLD, 0, 0, 0, 0);
}

long sys_vfork(const struct syscall_args *a)
{
	return do_clone(a, CLONE_VM | CLONE_VFORK, SIGCHLD, 0, 0, 0, 0);
}

/* x86-64 order: flags, stack, parent_tid, child_tid, tls */
long sys_clone(const struct syscall_args *a)
{
	uint64_t flags = a->arg[0];

	return do_clone(a, flags & ~(uint64_t)CSIGNAL, (int)(flags & CSIGNAL),
			a->arg[1], a->arg[2], a->arg[3], a->arg[4]);
}

long sys_clone3(const struct syscall_args *a)
{
	struct clone_args ca;
	uint64_t size = a->arg[1], stack = 0;
	uint8_t extra[64];

	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	if (size > 4096)
		return -E2BIG;
	memset(&ca, 0, sizeof(ca));
	if (fr_copy_from_user(&ca, fr_uaddr(a->arg[0]),
			      size < sizeof(ca) ? size : sizeof(ca)))
		return -EFAULT;
	/* a newer, larger struct is fine if its new fields are zero */
	for (uint64_t off = sizeof(ca); off < size; off += sizeof(extra)) {
		uint64_t n = size - off < sizeof(extra) ? size - off :
							  sizeof(extra);

		if (fr_copy_from_user(extra, fr_uaddr(a->arg[0] + off), n))
			return -EFAULT;
		for (uint64_t i = 0; i < n; i++)
			if (extra[i])
				return -E2BIG;
	}
	if ((ca.flags & (CSIGNAL | CLONE_DETACHED)) ||
	    ca.exit_signal > SIGNAL_COUNT)
		return -EINVAL;
	if ((ca.flags & CLONE_THREAD) && ca.exit_signal)
		return -EINVAL;
	if (ca.set_tid || ca.set_tid_size || (ca.flags & CLONE_PIDFD) ||
	    (ca.flags & CLONE_INTO_CGROUP) || (ca.flags & CLONE_CLEAR_SIGHAND))
		return -EINVAL; /* not offered */
	if (ca.stack || ca.stack_size) {
		if (!ca.stack || !ca.stack_size)
			return -EINVAL;
		stack = ca.stack + ca.stack_size;
	}
	return do_clone(a, ca.flags, (int)ca.exit_signal, stack, ca.parent_tid,
			ca.child_tid, ca.tls);
}
