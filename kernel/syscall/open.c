/*
 * Opening and closing: open, openat, creat, close, close_range.
 */
#include <linux/close_range.h>
#include "fs/file.h"
#include "syscall/path.h"
#include "syscall/syscall.h"

/* The O_* flags open accepts (others are ignored, as Linux does). */
static long do_open(int dirfd, uint64_t upath, unsigned flags, uint32_t mode)
{
	long err;
	char *path = path_from_user(upath, &err);
	struct file *f;
	int ierr, fd;

	if (!path)
		return err;
	if (flags & O_CREAT)
		mode &= ~current_umask();
	else
		mode = 0;
	/* 64-bit Linux adds O_LARGEFILE, but O_PATH keeps only its flags */
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	else
		flags |= O_LARGEFILE;
	f = vfs_open(dirfd, path, flags, mode & 07777, &ierr);
	path_free(path);
	if (!f)
		return ierr;
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_open(const struct syscall_args *a)
{
	return do_open(AT_FDCWD, a->arg[0], (unsigned)a->arg[1],
		       (uint32_t)a->arg[2]);
}

long sys_openat(const struct syscall_args *a)
{
	return do_open((int)a->arg[0], a->arg[1], (unsigned)a->arg[2],
		       (uint32_t)a->arg[3]);
}

long sys_creat(const struct syscall_args *a)
{
	return do_open(AT_FDCWD, a->arg[0], O_CREAT | O_WRONLY | O_TRUNC,
		       (uint32_t)a->arg[1]);
}

long sys_close(const struct syscall_args *a)
{
	return fd_close((int)a->arg[0]);
}

long sys_close_range(const struct syscall_args *a)
{
	unsigned first = (unsigned)a->arg[0], last = (unsigned)a->arg[1];
	unsigned flags = (unsigned)a->arg[2];
	struct fd_table *t = current_files();

	if (flags & ~(unsigned)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	/* CLOSE_RANGE_UNSHARE: the table is private unless CLONE_FILES,
	 * which keeps sharing here (a documented difference) */
	for (unsigned fd = first; fd <= last && fd < (unsigned)t->size; fd++) {
		if (flags & CLOSE_RANGE_CLOEXEC)
			(void)fd_set_cloexec((int)fd, true);
		else
			(void)fd_close((int)fd);
	}
	return 0;
}
