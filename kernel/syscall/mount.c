/*
 * Mounts and syncing: mount, umount2, sync, syncfs, fsync, fdatasync, and
 * memfd_create (an unnamed tmpfs file).  Every file system is in memory,
 * so the sync calls only check their fd.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include <linux/memfd.h>
#include <linux/mount.h>
#include "fs/file.h"
#include "fs/internal.h"
#include "process/process.h"
#include "syscall/path.h"
#include "syscall/syscall.h"

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

/* tmpfs's options (mount -o): the root's mode, uid and gid; sizes are
 * accepted and not enforced. */
struct tmpfs_opts {
	bool has_mode, has_uid, has_gid;
	uint32_t mode, uid, gid;
};

/* The number in @s[0..@n) in @base (8 or 10), or -EINVAL. */
static long opt_number(const char *s, size_t n, unsigned base,
		       uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d >= base || v > (max - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* A size: digits with an optional k, m, g or % suffix. */
static bool opt_size(const char *s, size_t n)
{
	uint64_t v;

	if (n && (s[n - 1] == 'k' || s[n - 1] == 'K' || s[n - 1] == 'm' ||
		  s[n - 1] == 'M' || s[n - 1] == 'g' || s[n - 1] == 'G' ||
		  s[n - 1] == '%'))
		n--;
	return !opt_number(s, n, 10, UINT64_MAX, &v);
}

/* Parse the comma-separated @data: -EINVAL for what tmpfs does not know,
 * as Linux. */
static long tmpfs_parse(const char *data, struct tmpfs_opts *o)
{
	while (*data) {
		const char *end = strchr(data, ',');
		size_t len = end ? (size_t)(end - data) : strlen(data);
		const char *eq = memchr(data, '=', len);
		size_t klen = eq ? (size_t)(eq - data) : len;
		const char *val = eq ? eq + 1 : data + len;
		size_t vlen = eq ? len - klen - 1 : 0;
		uint64_t v = 0;
		long err = -EINVAL;

		if (!eq) {
			err = len ? -EINVAL : 0;
		} else if (klen == 4 && !strncmp(data, "mode", 4)) {
			err = opt_number(val, vlen, 8, 07777, &v);
			o->has_mode = !err;
			o->mode = (uint32_t)v;
		} else if (klen == 3 && !strncmp(data, "uid", 3)) {
			err = opt_number(val, vlen, 10, UINT32_MAX - 1, &v);
			o->has_uid = !err;
			o->uid = (uint32_t)v;
		} else if (klen == 3 && !strncmp(data, "gid", 3)) {
			err = opt_number(val, vlen, 10, UINT32_MAX - 1, &v);
			o->has_gid = !err;
			o->gid = (uint32_t)v;
		} else if ((klen == 4 && !strncmp(data, "size", 4)) ||
			   (klen == 9 && !strncmp(data, "nr_blocks", 9)) ||
			   (klen == 9 && !strncmp(data, "nr_inodes", 9))) {
			err = opt_size(val, vlen) ? 0 : -EINVAL;
		}
		if (err)
			return err;
		data += len + (end ? 1 : 0);
	}
	return 0;
}

/* Give the root of the tmpfs just mounted on @target its options. */
static void tmpfs_apply(const char *target, const struct tmpfs_opts *o)
{
	struct path p;
	struct inode *root;

	if (vfs_lookup(AT_FDCWD, target, LOOKUP_FOLLOW, &p))
		return;
	root = p.dentry->inode;
	if (root && p.dentry == p.mnt->root) {
		if (o->has_mode)
			root->mode = S_IFDIR | o->mode;
		if (o->has_uid)
			root->uid = o->uid;
		if (o->has_gid)
			root->gid = o->gid;
	}
	path_put(&p);
}

long sys_mount(const struct syscall_args *a)
{
	char *source, *target, type[64];
	struct tmpfs_opts opts = { .has_mode = false };
	long err;

	if (!vfs_privileged())
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
	/* a new tmpfs's options (data is a page of text, read at most) */
	if (!err && a->arg[4] && !strcmp(type, "tmpfs") &&
	    !(a->arg[3] & (MS_REMOUNT | MS_BIND | MS_MOVE))) {
		int64_t n = fr_strncpy_from_user(source, fr_uaddr(a->arg[4]),
						 VFS_PATH_MAX);

		if (n < 0 && n != -ENAMETOOLONG)
			err = -EFAULT;
		else
			source[VFS_PATH_MAX - 1] = '\0';
		if (!err)
			err = tmpfs_parse(source, &opts);
		if (!err)
			err = mount_string(a->arg[0], source, VFS_PATH_MAX);
	}
	if (!err)
		err = vfs_mount(a->arg[0] ? source : NULL, target,
				a->arg[2] ? type : NULL, a->arg[3]);
	if (!err && (opts.has_mode || opts.has_uid || opts.has_gid))
		tmpfs_apply(target, &opts);
	fr_kfree(source);
	path_free(target);
	return err;
}

long sys_umount2(const struct syscall_args *a)
{
	long err;
	char *target;

	if (!vfs_privileged())
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
