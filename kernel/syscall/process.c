/*
 * Process and thread identity and lifetime: exit, exit_group, getpid,
 * gettid, getppid, set_tid_address, arch_prctl, process groups and
 * sessions.  The ids of the credentials are in identity.c; sched_yield is
 * with the scheduling calls in sched.c.
 */
#include <asm/prctl.h>
#include "syscall/syscall.h"
#include "process/process.h"

long sys_exit(const struct syscall_args *a)
{
	thread_exit((int)(a->arg[0] & 0xff) << 8);
}

long sys_exit_group(const struct syscall_args *a)
{
	process_exit_group((int)(a->arg[0] & 0xff) << 8);
}

long sys_getpid(const struct syscall_args *a)
{
	return current_process()->pid;
}

long sys_gettid(const struct syscall_args *a)
{
	return current_thread()->tid;
}

long sys_getppid(const struct syscall_args *a)
{
	struct process *p = current_process();
	int ppid;

	fr_mutex_lock(&process_tree_lock);
	ppid = p->parent ? p->parent->pid : 0;
	fr_mutex_unlock(&process_tree_lock);
	return ppid;
}

long sys_set_tid_address(const struct syscall_args *a)
{
	struct thread *t = current_thread();

	t->clear_child_tid = a->arg[0];
	return t->tid;
}

long sys_arch_prctl(const struct syscall_args *a)
{
	struct fr_user_regs *r = a->regs;
	uint64_t addr = a->arg[1];

	switch (a->arg[0]) {
	case ARCH_SET_FS:
		if (addr >= FR_USER_END)
			return -EPERM;
		r->fs_base = addr;
		return 0;
	case ARCH_SET_GS:
		if (addr >= FR_USER_END)
			return -EPERM;
		r->gs_base = addr;
		return 0;
	case ARCH_GET_FS:
		return FR_PUT_USER(r->fs_base, fr_uaddr(addr)) ? -EFAULT : 0;
	case ARCH_GET_GS:
		return FR_PUT_USER(r->gs_base, fr_uaddr(addr)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

long sys_setpgid(const struct syscall_args *a)
{
	return process_setpgid((int)a->arg[0], (int)a->arg[1]);
}

long sys_getpgid(const struct syscall_args *a)
{
	return process_getpgid((int)a->arg[0]);
}

long sys_getpgrp(const struct syscall_args *a)
{
	return process_getpgid(0);
}

long sys_setsid(const struct syscall_args *a)
{
	return process_setsid();
}

long sys_getsid(const struct syscall_args *a)
{
	return process_getsid((int)a->arg[0]);
}
