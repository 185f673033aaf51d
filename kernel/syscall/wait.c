/*
 * Waiting for children: wait4 and waitid, for ended, stopped and
 * continued children.
 */
#include <linux/wait.h>
#include <linux/resource.h>
#include <asm/signal.h>
#include <asm/siginfo.h>
#include <libs/string.h>
#include "syscall/syscall.h"
#include "process/process.h"

/* Accounting comes later: the usage of a child is all zeros. */
static int put_rusage(uint64_t addr)
{
	struct rusage usage;

	if (!addr)
		return 0;
	memset(&usage, 0, sizeof(usage));
	return FR_PUT_USER(usage, fr_uaddr(addr)) ? -EFAULT : 0;
}

long sys_wait4(const struct syscall_args *a)
{
	int pid = (int)a->arg[0], options = (int)a->arg[2];
	struct wait_result res;
	enum wait_which which = WAIT_ANY;
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE |
			__WNOTHREAD))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if (pid > 0) {
		which = WAIT_PID;
	} else if (pid == 0) {
		which = WAIT_PGID;
		pid = process_getpgid(0);
	} else if (pid < -1) {
		which = WAIT_PGID;
		pid = -pid;
	}
	ret = process_wait_child(which, pid, (options & ~WUNTRACED) | WEXITED |
						     ((options & WUNTRACED) ?
							      WSTOPPED :
							      0),
				 &res);
	if (ret <= 0)
		return ret;
	if (a->arg[1] && FR_PUT_USER(res.status, fr_uaddr(a->arg[1])))
		return -EFAULT;
	if (put_rusage(a->arg[3]))
		return -EFAULT;
	return ret;
}

long sys_waitid(const struct syscall_args *a)
{
	int idtype = (int)a->arg[0], id = (int)a->arg[1];
	int options = (int)a->arg[3];
	struct k_siginfo info;
	struct wait_result res;
	enum wait_which which;
	long ret;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			__WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (idtype) {
	case P_ALL:
		which = WAIT_ANY;
		break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		which = WAIT_PID;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		which = WAIT_PGID;
		if (!id)
			id = process_getpgid(0);
		break;
	default:
		return -EINVAL; /* P_PIDFD: no pidfds */
	}
	ret = process_wait_child(which, id, options, &res);
	if (ret < 0)
		return ret;
	memset(&info, 0, sizeof(info));
	info.kind = SI_KIND_CHLD;
	if (ret > 0) {
		info.signo = SIGCHLD;
		info.code = res.code;
		info.pid = res.pid;
		info.status = res.child_status;
	}
	if (a->arg[2] && signal_info_to_user(a->arg[2], &info))
		return -EFAULT;
	if (put_rusage(a->arg[4]))
		return -EFAULT;
	return 0;
}
