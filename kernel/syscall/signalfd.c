/*
 * signalfd and signalfd4: make a signalfd (fs/signalfd.c) for a set of
 * signals, or change the set of an existing one.
 */
#include <linux/signalfd.h>
#include "syscall/syscall.h"
#include "fs/signalfd.h"

static long do_signalfd4(int ufd, uint64_t umask, uint64_t size, int flags)
{
	struct file *f;
	uint64_t mask;
	int fd;

	if (size != sizeof(mask))
		return -EINVAL;
	if (FR_GET_USER(mask, fr_uaddr(umask)))
		return -EFAULT;
	if ((unsigned)flags & ~(unsigned)(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (ufd != -1) {
		f = fd_get(ufd);
		if (!f || (f->mode & FMODE_PATH)) {
			file_put(f);
			return -EBADF;
		}
		if (!file_is_signalfd(f)) {
			file_put(f);
			return -EINVAL;
		}
		signalfd_set_mask(f, mask);
		file_put(f);
		return ufd;
	}
	f = signalfd_create(mask, (unsigned)flags);
	if (!f)
		return -ENOMEM;
	fd = fd_install(f, 0, flags & SFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_signalfd(const struct syscall_args *a)
{
	return do_signalfd4((int)a->arg[0], a->arg[1], a->arg[2], 0);
}

long sys_signalfd4(const struct syscall_args *a)
{
	return do_signalfd4((int)a->arg[0], a->arg[1], a->arg[2],
			    (int)a->arg[3]);
}
