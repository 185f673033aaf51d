/*
 * eventfd and eventfd2: make an eventfd (fs/eventfd.c) counting from an
 * initial value and give it the lowest free file descriptor.
 */
#include "syscall/syscall.h"
#include "fs/eventfd.h"

static long do_eventfd(unsigned count, int flags)
{
	struct file *f;
	int fd;

	if ((unsigned)flags & ~(unsigned)(EFD_SEMAPHORE | EFD_CLOEXEC |
					  EFD_NONBLOCK))
		return -EINVAL;
	f = eventfd_create(count, (unsigned)flags);
	if (!f)
		return -ENOMEM;
	fd = fd_install(f, 0, flags & EFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_eventfd(const struct syscall_args *a)
{
	return do_eventfd((unsigned)a->arg[0], 0);
}

long sys_eventfd2(const struct syscall_args *a)
{
	return do_eventfd((unsigned)a->arg[0], (int)a->arg[1]);
}
