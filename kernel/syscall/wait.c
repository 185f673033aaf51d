/*
 * Waiting for children: wait4 (waitid and the stop/continue reports come
 * with job control).
 */
#include <linux/wait.h>
#include <linux/resource.h>
#include <libs/string.h>
#include "syscall/syscall.h"
#include "process/process.h"

long sys_wait4(const struct syscall_args *a)
{
	int pid = (int)a->arg[0], options = (int)a->arg[2], status = 0;
	fr_uaddr_t status_addr = fr_uaddr(a->arg[1]);
	fr_uaddr_t rusage_addr = fr_uaddr(a->arg[3]);
	struct rusage usage;
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE |
			__WNOTHREAD))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	ret = process_wait_child(pid, &status, options & WNOHANG);
	if (ret <= 0)
		return ret;
	if (a->arg[1] && FR_PUT_USER(status, status_addr))
		return -EFAULT;
	if (a->arg[3]) {
		memset(&usage, 0, sizeof(usage)); /* accounting comes later */
		if (FR_PUT_USER(usage, rusage_addr))
			return -EFAULT;
	}
	return ret;
}
