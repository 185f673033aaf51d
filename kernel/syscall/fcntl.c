/*
 * Descriptor control: dup, dup2, dup3, fcntl and flock.  The record and
 * flock locks themselves are in fs/locks.c.
 */
#include <linux/fcntl.h>
#include <asm-generic/fcntl.h>
#include <linux/fs.h>
#include "fs/file.h"
#include "fs/locks.h"
#include "fs/pipe.h"
#include "syscall/syscall.h"

long sys_dup(const struct syscall_args *a)
{
	struct file *f = fd_get((int)a->arg[0]);
	int fd;

	if (!f)
		return -EBADF;
	fd = fd_install(f, 0, false);
	if (fd < 0)
		file_put(f);
	return fd;
}

static long do_dup3(int oldfd, int newfd, unsigned flags)
{
	struct file *f;
	int fd;

	if (flags & ~(unsigned)O_CLOEXEC)
		return -EINVAL;
	f = fd_get(oldfd);
	if (!f)
		return -EBADF;
	fd = fd_install_at(f, newfd, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_dup2(const struct syscall_args *a)
{
	int oldfd = (int)a->arg[0], newfd = (int)a->arg[1];

	if (oldfd == newfd) {
		struct file *f = fd_get(oldfd);

		if (!f)
			return -EBADF;
		file_put(f);
		return newfd;
	}
	return do_dup3(oldfd, newfd, 0);
}

long sys_dup3(const struct syscall_args *a)
{
	if ((int)a->arg[0] == (int)a->arg[1])
		return -EINVAL;
	return do_dup3((int)a->arg[0], (int)a->arg[1], (unsigned)a->arg[2]);
}

/* The status flags F_SETFL may change. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NDELAY | O_DIRECT | O_NOATIME | FASYNC)

long sys_fcntl(const struct syscall_args *a)
{
	int fd = (int)a->arg[0];
	unsigned cmd = (unsigned)a->arg[1];
	uint64_t arg = a->arg[2];
	struct file *f = fd_get(fd);
	long ret;

	if (!f)
		return -EBADF;
	if ((f->mode & FMODE_PATH) && cmd != F_DUPFD &&
	    cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD && cmd != F_SETFD &&
	    cmd != F_GETFL) {
		file_put(f);
		return -EBADF;
	}
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((int64_t)(int)arg < 0) {
			ret = -EINVAL;
			break;
		}
		file_get(f);
		ret = fd_install(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
		if (ret == -EMFILE && (int)arg >= fd_limit())
			ret = -EINVAL;
		if (ret < 0)
			file_put(f);
		break;
	case F_GETFD:
		ret = fd_get_cloexec(fd);
		break;
	case F_SETFD:
		ret = fd_set_cloexec(fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		ret = (long)file_status_flags(f);
		break;
	case F_SETFL:
		f->flags = (f->flags & ~(unsigned)SETFL_MASK) |
			   ((unsigned)arg & SETFL_MASK);
		ret = 0;
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		ret = locks_fcntl(f, cmd, arg);
		break;
	case F_GETOWN:
	case F_GETSIG:
		ret = 0;
		break;
	case F_SETOWN:
	case F_SETSIG:
		ret = 0;
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		ret = pipe_fcntl(f, cmd, arg);
		break;
	case F_GET_SEALS:
	case F_ADD_SEALS:
		ret = -EINVAL;
		break;
	case F_SETLEASE:
	case F_GETLEASE:
	case F_NOTIFY:
		ret = -EINVAL;
		break;
	default:
		ret = -EINVAL;
		break;
	}
	file_put(f);
	return ret;
}

long sys_flock(const struct syscall_args *a)
{
	unsigned op = (unsigned)a->arg[1];
	struct file *f = fd_get((int)a->arg[0]);
	long ret = 0;

	if (!f)
		return -EBADF;
	switch (op & ~(unsigned)LOCK_NB) {
	case LOCK_SH:
	case LOCK_EX:
	case LOCK_UN:
		ret = (f->mode & FMODE_PATH) ? -EBADF : locks_flock(f, op);
		break;
	default:
		ret = -EINVAL;
	}
	file_put(f);
	return ret;
}
