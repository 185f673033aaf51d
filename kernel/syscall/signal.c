/*
 * Sending signals: kill.  Handlers, masks and the rest of signal delivery
 * come with the signal work; for now a signal takes its default action.
 */
#include "syscall/syscall.h"
#include "process/process.h"

long sys_kill(const struct syscall_args *a)
{
	int pid = (int)a->arg[0], sig = (int)a->arg[1];

	if (pid <= 0)
		return -EINVAL; /* process groups come with job control */
	return process_kill(pid, sig);
}
