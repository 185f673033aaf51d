/*
 * Running a new program: execve.  The path, arguments and environment are
 * copied from user memory first, so that a bad pointer gives -EFAULT and
 * leaves the caller's program untouched.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include <linux/binfmts.h>
#include <linux/limits.h>
#include "syscall/syscall.h"
#include "process/process.h"

#define EXEC_MAX_STRINGS 1024
#define EXEC_STRING_BYTES (128 * 1024)

/* The copied-in path, argv and envp of one execve. */
struct exec_args {
	char path[PATH_MAX];
	const char *argv[EXEC_MAX_STRINGS + 1];
	const char *envp[EXEC_MAX_STRINGS + 1];
	char strings[EXEC_STRING_BYTES];
	size_t used;
};

/* Copy the NULL-terminated user array of strings at @uarr into @out. */
static int copy_strings(struct exec_args *ea, uint64_t uarr, const char **out)
{
	size_t n = 0;

	for (; uarr; n++) {
		uint64_t ustr;
		int64_t len;

		if (n == EXEC_MAX_STRINGS)
			return -E2BIG;
		if (FR_GET_USER(ustr, fr_uaddr(uarr + n * sizeof(ustr))))
			return -EFAULT;
		if (!ustr)
			break;
		len = fr_strncpy_from_user(ea->strings + ea->used,
					   fr_uaddr(ustr),
					   EXEC_STRING_BYTES - ea->used);
		if (len < 0)
			return (int)len;
		if ((size_t)len >= EXEC_STRING_BYTES - ea->used)
			return -E2BIG;
		out[n] = ea->strings + ea->used;
		ea->used += (size_t)len + 1;
	}
	out[n] = NULL;
	return 0;
}

long sys_execve(const struct syscall_args *a)
{
	struct exec_args *ea = FR_NEW(struct exec_args);
	int64_t len;
	long err;

	if (!ea)
		return -ENOMEM;
	len = fr_strncpy_from_user(ea->path, fr_uaddr(a->arg[0]),
				   sizeof(ea->path));
	if (len < 0)
		err = len;
	else if ((size_t)len >= sizeof(ea->path))
		err = -ENAMETOOLONG;
	else if (!len)
		err = -ENOENT;
	else if (!(err = copy_strings(ea, a->arg[1], ea->argv)) &&
		 !(err = copy_strings(ea, a->arg[2], ea->envp)))
		err = process_exec(a->regs, ea->path, ea->argv, ea->envp);
	fr_kfree(ea);
	return err;
}
