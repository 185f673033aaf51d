/*
 * Mounts and syncing: mount, umount2, sync, syncfs, fsync, fdatasync, and
 * memfd_create (an unnamed tmpfs file).  Every file system is in memory,
 * so the sync calls only check their fd.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include <linux/memfd.h>
#include "fs/file.h"
#include "fs/internal.h"
#include "process/process.h"
#include "syscall/path.h"
#include "syscall/syscall.h"

static bool caller_privileged(void)
{
	cred_r c = vfs_cred_get();
	bool ok = cred_privileged(c);

	vfs_cred_put();
	return ok;
}

/* A string argument of mount(2) (NULL allowed), at most @size bytes. */
static long mount_string(uint64_t u, char *buf, size_t size)
{
	int64_t n;

	if (!u) {
		buf[0] = '\0';
		return 0;
	}
	n = fr_strncpy_from_user(buf, fr_uaddr(u), size);
	if (n == -ENAMETOOLONG)
		return size == VFS_PATH_MAX ? -ENAMETOOLONG : -ENODEV;
	return n < 0 ? -EFAULT : 0;
}

long sys_mount(const struct syscall_args *a)
{
	char *source, *target, type[64];
	long err;

	if (!caller_privileged())
		return -EPERM;
	target = path_from_user(a->arg[1], &err);
	if (!target)
		return err;
	source = FR_NEW_ARRAY(char, VFS_PATH_MAX);
	if (!source) {
		path_free(target);
		return -ENOMEM;
	}
	err = mount_string(a->arg[0], source, VFS_PATH_MAX);
	if (!err)
		err = mount_string(a->arg[2], type, sizeof(type));
	if (!err)
		err = vfs_mount(a->arg[0] ? source : NULL, target,
				a->arg[2] ? type : NULL, a->arg[3]);
	fr_kfree(source);
	path_free(target);
	return err;
}

long sys_umount2(const struct syscall_args *a)
{
	long err;
	char *target;

	if (!caller_privileged())
		return -EPERM;
	target = path_from_user(a->arg[0], &err);
	if (!target)
		return err;
	err = vfs_umount(target, (int)a->arg[1]);
	path_free(target);
	return err;
}

long sys_sync(const struct syscall_args *a)
{
	(void)a;
	return 0;
}

static long check_fd(int fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

long sys_syncfs(const struct syscall_args *a)
{
	return check_fd((int)a->arg[0]);
}

static long do_fsync(int fd)
{
	struct file *f = fd_get(fd);
	long err = 0;

	if (!f)
		return -EBADF;
	if (f->mode & FMODE_PATH)
		err = -EBADF;
	else if (S_ISFIFO(f->inode->mode) || S_ISSOCK(f->inode->mode) ||
		 S_ISCHR(f->inode->mode))
		err = -EINVAL;
	file_put(f);
	return err;
}

long sys_fsync(const struct syscall_args *a)
{
	return do_fsync((int)a->arg[0]);
}

long sys_fdatasync(const struct syscall_args *a)
{
	return do_fsync((int)a->arg[0]);
}

#define MFD_NAME_MAX 249 /* Linux: NAME_MAX minus "memfd:" */

long sys_memfd_create(const struct syscall_args *a)
{
	unsigned flags = (unsigned)a->arg[1];
	char name[MFD_NAME_MAX + 8];
	int64_t n;
	struct file *f;
	int fd, err;

	if (flags & ~(unsigned)(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB |
				0x0008U /* MFD_NOEXEC_SEAL */ |
				0x0010U /* MFD_EXEC */))
		return -EINVAL;
	if (flags & MFD_HUGETLB)
		return -EINVAL;
	memcpy(name, "memfd:", 6);
	n = fr_strncpy_from_user(name + 6, fr_uaddr(a->arg[0]),
				 MFD_NAME_MAX + 1);
	if (n == -ENAMETOOLONG)
		return -EINVAL;
	if (n < 0)
		return -EFAULT;
	f = tmpfs_anon_file(name, &err);
	if (!f)
		return err;
	f->flags |= O_LARGEFILE; /* as Linux's memfd */
	fd = fd_install(f, 0, flags & MFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}
