/*
 * Names: unlink, unlinkat, rename, renameat, renameat2, link, linkat,
 * symlink, symlinkat, readlink, readlinkat, mknod and mknodat.
 */
#include <frame/heap.h>
#include <linux/fs.h>
#include "fs/file.h"
#include "process/process.h"
#include "syscall/path.h"
#include "syscall/syscall.h"

long sys_unlinkat(const struct syscall_args *a)
{
	int flags = (int)a->arg[2];
	long err;
	char *path;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	path = path_from_user(a->arg[1], &err);
	if (!path)
		return err;
	err = flags & AT_REMOVEDIR ? vfs_rmdir((int)a->arg[0], path) :
				     vfs_unlink((int)a->arg[0], path);
	path_free(path);
	return err;
}

long sys_unlink(const struct syscall_args *a)
{
	long err;
	char *path = path_from_user(a->arg[0], &err);

	if (!path)
		return err;
	err = vfs_unlink(AT_FDCWD, path);
	path_free(path);
	return err;
}

/* Both paths of a two-path call, or an error. */
static long two_paths(uint64_t u1, uint64_t u2, char **p1, char **p2)
{
	long err;

	*p1 = path_from_user(u1, &err);
	if (!*p1)
		return err;
	*p2 = path_from_user(u2, &err);
	if (!*p2) {
		path_free(*p1);
		return err;
	}
	return 0;
}

static long do_rename(int olddir, uint64_t uold, int newdir, uint64_t unew,
		      unsigned flags)
{
	char *oldp, *newp;
	long err = two_paths(uold, unew, &oldp, &newp);

	if (err)
		return err;
	err = vfs_rename(olddir, oldp, newdir, newp, flags);
	path_free(oldp);
	path_free(newp);
	return err;
}

long sys_rename(const struct syscall_args *a)
{
	return do_rename(AT_FDCWD, a->arg[0], AT_FDCWD, a->arg[1], 0);
}

long sys_renameat(const struct syscall_args *a)
{
	return do_rename((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3],
			 0);
}

long sys_renameat2(const struct syscall_args *a)
{
	return do_rename((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3],
			 (unsigned)a->arg[4]);
}

static long do_link(int olddir, uint64_t uold, int newdir, uint64_t unew,
		    unsigned flags)
{
	char *oldp, *newp;
	long err;

	if (flags & ~(unsigned)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = two_paths(uold, unew, &oldp, &newp);
	if (err)
		return err;
	err = vfs_link(olddir, oldp, newdir, newp, flags);
	path_free(oldp);
	path_free(newp);
	return err;
}

long sys_link(const struct syscall_args *a)
{
	return do_link(AT_FDCWD, a->arg[0], AT_FDCWD, a->arg[1], 0);
}

long sys_linkat(const struct syscall_args *a)
{
	return do_link((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3],
		       (unsigned)a->arg[4]);
}

static long do_symlink(uint64_t utarget, int dirfd, uint64_t upath)
{
	char *target, *path;
	long err = two_paths(utarget, upath, &target, &path);

	if (err)
		return err;
	err = vfs_symlink(target, dirfd, path);
	path_free(target);
	path_free(path);
	return err;
}

long sys_symlink(const struct syscall_args *a)
{
	return do_symlink(a->arg[0], AT_FDCWD, a->arg[1]);
}

long sys_symlinkat(const struct syscall_args *a)
{
	return do_symlink(a->arg[0], (int)a->arg[1], a->arg[2]);
}

static long do_readlink(int dirfd, uint64_t upath, uint64_t ubuf,
			int64_t size)
{
	long err;
	char *path, *buf;
	int n;

	if (size <= 0)
		return -EINVAL;
	path = path_from_user(upath, &err);
	if (!path)
		return err;
	buf = FR_NEW_ARRAY(char, VFS_PATH_MAX);
	if (!buf) {
		path_free(path);
		return -ENOMEM;
	}
	if (!path[0] && dirfd == AT_FDCWD)
		n = -ENOENT;
	else
		n = vfs_readlink(dirfd, path, buf, VFS_PATH_MAX);
	if (n >= 0) {
		size_t len = FR_MIN((size_t)n, (size_t)size);

		err = fr_copy_to_user(fr_uaddr(ubuf), buf, len) ? -EFAULT :
								  (long)len;
	} else {
		err = n;
	}
	fr_kfree(buf);
	path_free(path);
	return err;
}

long sys_readlink(const struct syscall_args *a)
{
	return do_readlink(AT_FDCWD, a->arg[0], a->arg[1], (int64_t)a->arg[2]);
}

long sys_readlinkat(const struct syscall_args *a)
{
	return do_readlink((int)a->arg[0], a->arg[1], a->arg[2],
			   (int64_t)a->arg[3]);
}

static long do_mknod(int dirfd, uint64_t upath, uint32_t mode, uint64_t dev)
{
	long err;
	char *path;
	uint32_t type = mode & S_IFMT;
	uint64_t rdev = 0;

	if (!type)
		type = S_IFREG;
	switch (type) {
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (!vfs_privileged())
			return -EPERM;
		rdev = dev & 0xffffffff; /* Linux's 32-bit encoding */
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	path = path_from_user(upath, &err);
	if (!path)
		return err;
	err = vfs_mknod(dirfd, path, type | (mode & 07777 & ~current_umask()),
			rdev);
	path_free(path);
	return err;
}

long sys_mknod(const struct syscall_args *a)
{
	return do_mknod(AT_FDCWD, a->arg[0], (uint32_t)a->arg[1], a->arg[2]);
}

long sys_mknodat(const struct syscall_args *a)
{
	return do_mknod((int)a->arg[0], a->arg[1], (uint32_t)a->arg[2],
			a->arg[3]);
}
