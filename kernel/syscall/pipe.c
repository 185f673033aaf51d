/*
 * pipe and pipe2: make an anonymous pipe (fs/pipe.c) and give its read
 * and write ends the two lowest free file descriptors.
 */
#include <linux/fcntl.h>
#include "syscall/syscall.h"
#include "fs/pipe.h"

static long do_pipe2(uint64_t ufds, uint64_t flags)
{
	struct file *rd, *wr;
	int fds[2], err;

	if (flags & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	err = pipe_create((unsigned)flags, &rd, &wr);
	if (err)
		return err;
	fds[0] = fd_install(rd, 0, flags & O_CLOEXEC);
	if (fds[0] < 0) {
		file_put(rd);
		file_put(wr);
		return fds[0];
	}
	fds[1] = fd_install(wr, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		fd_close(fds[0]);
		file_put(wr);
		return fds[1];
	}
	if (fr_copy_to_user(fr_uaddr(ufds), fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_pipe(const struct syscall_args *a)
{
	return do_pipe2(a->arg[0], 0);
}

long sys_pipe2(const struct syscall_args *a)
{
	return do_pipe2(a->arg[0], a->arg[1]);
}
