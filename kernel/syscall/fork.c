/*
 * Process creation: fork, vfork and clone (the fork-like forms of it so
 * far; threads and shared address spaces come with the thread work).
 */
#include <frame/log.h>
#include <linux/sched.h>
#include <asm/signal.h>
#include "syscall/syscall.h"
#include "process/process.h"

long sys_fork(const struct syscall_args *a)
{
	return process_fork(a->regs, 0, 0);
}

/*
 * vfork as fork: the child gets a copy instead of a loan of the parent's
 * memory, and the parent does not wait for the child's exec or exit;
 * programs that use vfork correctly cannot tell the difference.
 */
long sys_vfork(const struct syscall_args *a)
{
	return process_fork(a->regs, 0, 0);
}

long sys_clone(const struct syscall_args *a)
{
	uint64_t flags = a->arg[0];
	fr_uaddr_t parent_tid = fr_uaddr(a->arg[2]);
	uint64_t supported = CSIGNAL | CLONE_PARENT_SETTID |
			     CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
	long pid;
	int tid;

	if (flags & ~supported) {
		fr_printk("clone: flags %lx not supported yet\n",
			  flags & ~supported);
		return -EINVAL;
	}
	if ((flags & CSIGNAL) != SIGCHLD)
		return -EINVAL; /* only the usual exit signal for now */
	if (a->arg[1])
		return -EINVAL; /* a new stack without CLONE_VM */
	pid = process_fork(a->regs,
			   flags & CLONE_CHILD_SETTID ? a->arg[3] : 0,
			   flags & CLONE_CHILD_CLEARTID ? a->arg[3] : 0);
	tid = (int)pid;
	/* as on Linux, a failed write of the parent's copy is not an error */
	if (pid > 0 && (flags & CLONE_PARENT_SETTID) &&
	    FR_PUT_USER(tid, parent_tid))
		fr_printk("clone: parent tid address not writable\n");
	return pid;
}
