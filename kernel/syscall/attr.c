/*
 * Attributes: chmod, fchmod, fchmodat, chown, fchown, lchown, fchownat,
 * access, faccessat, faccessat2, truncate, ftruncate, fallocate and
 * utimensat, with Linux's ownership rules.
 */
#include <frame/heap.h>
#include <linux/falloc.h>
#include <linux/mount.h>
#include <linux/time.h>

/* utimensat special values (not in the UAPI headers). */
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#include "fs/file.h"
#include "process/process.h"
#include "syscall/path.h"
#include "syscall/syscall.h"

/* The path @upath at @dirfd (AT_* @flags), referenced and positive. */
static long lookup_at(int dirfd, uint64_t upath, unsigned flags,
		      struct path *out)
{
	long err;
	char *path = path_from_user(upath, &err);
	unsigned lookup = flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW;

	if (!path)
		return err;
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	err = vfs_lookup(dirfd, path, lookup, out);
	path_free(path);
	if (!err && !out->dentry->inode) {
		path_put(out);
		err = -ENOENT;
	}
	return err;
}

/* The path of @fd's file (referenced); an O_PATH fd is -EBADF here, as
 * for Linux's fchmod, fchown and futimens. */
static long fd_path(int fd, struct path *out)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (!f->path.dentry || (f->mode & FMODE_PATH)) {
		file_put(f);
		return -EBADF;
	}
	*out = f->path;
	path_get(out);
	file_put(f);
	return 0;
}

/* Whether the caller owns @inode or is privileged. */
static bool owner_or_root(struct inode *inode)
{
	cred_r c = vfs_cred_get();
	bool ok = cred_privileged(c) || cred_fsuid(c) == inode->uid;

	vfs_cred_put();
	return ok;
}

static long chmod_path(struct path *p, uint32_t mode)
{
	struct inode *inode = p->dentry->inode;
	struct vfs_attr attr = { .valid = ATTR_MODE, .mode = mode & 07777 };
	long err;
	cred_r c;

	if (!owner_or_root(inode)) {
		err = -EPERM;
	} else {
		c = vfs_cred_get();
		/* a non-member loses setgid on a file it changes */
		if (!cred_privileged(c) && !cred_in_group(c, inode->gid))
			attr.mode &= ~(uint32_t)S_ISGID;
		vfs_cred_put();
		err = vfs_setattr(p, &attr);
	}
	path_put(p);
	return err;
}

long sys_chmod(const struct syscall_args *a)
{
	struct path p;
	long err = lookup_at(AT_FDCWD, a->arg[0], 0, &p);

	return err ? err : chmod_path(&p, (uint32_t)a->arg[1]);
}

long sys_fchmod(const struct syscall_args *a)
{
	struct path p;
	long err = fd_path((int)a->arg[0], &p);

	return err ? err : chmod_path(&p, (uint32_t)a->arg[1]);
}

long sys_fchmodat(const struct syscall_args *a)
{
	struct path p;
	long err = lookup_at((int)a->arg[0], a->arg[1], 0, &p);

	return err ? err : chmod_path(&p, (uint32_t)a->arg[2]);
}

static long chown_path(struct path *p, uint32_t uid, uint32_t gid)
{
	struct inode *inode = p->dentry->inode;
	struct vfs_attr attr = { .valid = 0 };
	long err = 0;
	cred_r c = vfs_cred_get();
	bool root = cred_privileged(c);

	if (uid != (uint32_t)-1) {
		attr.valid |= ATTR_UID;
		attr.uid = uid;
		if (!root && uid != inode->uid)
			err = -EPERM;
	}
	if (gid != (uint32_t)-1) {
		attr.valid |= ATTR_GID;
		attr.gid = gid;
		if (!root && gid != inode->gid &&
		    (cred_fsuid(c) != inode->uid || !cred_in_group(c, gid)))
			err = -EPERM;
	}
	if (!root && attr.valid && cred_fsuid(c) != inode->uid)
		err = -EPERM;
	vfs_cred_put();
	if (!err && attr.valid) {
		/* a change of owner clears set-user-ID and set-group-ID */
		if (!S_ISDIR(inode->mode) && (inode->mode & (S_ISUID | S_ISGID))) {
			attr.valid |= ATTR_MODE;
			attr.mode = inode->mode & 07777 & ~(uint32_t)S_ISUID;
			if (inode->mode & S_IXGRP)
				attr.mode &= ~(uint32_t)S_ISGID;
		}
		err = vfs_setattr(p, &attr);
	}
	path_put(p);
	return err;
}

long sys_chown(const struct syscall_args *a)
{
	struct path p;
	long err = lookup_at(AT_FDCWD, a->arg[0], 0, &p);

	return err ? err :
		     chown_path(&p, (uint32_t)a->arg[1], (uint32_t)a->arg[2]);
}

long sys_lchown(const struct syscall_args *a)
{
	struct path p;
	long err = lookup_at(AT_FDCWD, a->arg[0], AT_SYMLINK_NOFOLLOW, &p);

	return err ? err :
		     chown_path(&p, (uint32_t)a->arg[1], (uint32_t)a->arg[2]);
}

long sys_fchown(const struct syscall_args *a)
{
	struct path p;
	long err = fd_path((int)a->arg[0], &p);

	return err ? err :
		     chown_path(&p, (uint32_t)a->arg[1], (uint32_t)a->arg[2]);
}

long sys_fchownat(const struct syscall_args *a)
{
	unsigned flags = (unsigned)a->arg[4];
	struct path p;
	long err;

	if (flags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = lookup_at((int)a->arg[0], a->arg[1], flags, &p);
	return err ? err :
		     chown_path(&p, (uint32_t)a->arg[2], (uint32_t)a->arg[3]);
}

/* Whether @gid is one of the supplementary groups of @c. */
static bool in_supplementary(cred_r c, kgid_t gid)
{
	int n = cred_groups(c, NULL, 0);
	bool found = false;
	kgid_t *groups;

	if (n <= 0)
		return false;
	groups = FR_NEW_ARRAY(kgid_t, (size_t)n);
	if (!groups)
		return false;
	n = cred_groups(c, groups, (size_t)n);
	for (int i = 0; i < n; i++)
		found = found || groups[i] == gid;
	fr_kfree(groups);
	return found;
}

/*
 * The permission check of access(2) without AT_EACCESS: Linux runs it
 * with the real ids in place of the fs ids, and with root's privilege
 * only when the real uid is 0.
 */
static int real_permission(struct inode *inode, int mask)
{
	unsigned bits = inode->mode;
	cred_r c = vfs_cred_get();
	int err = 0;

	if (cred_uid(c) == 0) {
		if ((mask & MAY_EXEC) && !S_ISDIR(inode->mode) &&
		    !(inode->mode & 0111))
			err = -EACCES;
	} else {
		if (cred_uid(c) == inode->uid)
			bits >>= 6;
		else if (cred_gid(c) == inode->gid ||
			 in_supplementary(c, inode->gid))
			bits >>= 3;
		if ((mask & (int)bits & 7) != mask)
			err = -EACCES;
	}
	vfs_cred_put();
	return err;
}

/*
 * access: with the real ids (or the effective ones with AT_EACCESS).
 * The walk to the file itself searches with the fs ids.
 */
static long do_access(int dirfd, uint64_t upath, int mode, unsigned flags)
{
	struct path p;
	long err;

	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(unsigned)(AT_EACCESS | AT_SYMLINK_NOFOLLOW |
				AT_EMPTY_PATH))
		return -EINVAL;
	err = lookup_at(dirfd, upath, flags, &p);
	if (err)
		return err;
	if (mode) {
		int mask = (mode & 4 ? MAY_READ : 0) |
			   (mode & 2 ? MAY_WRITE : 0) |
			   (mode & 1 ? MAY_EXEC : 0);

		err = flags & AT_EACCESS ?
			      vfs_permission(p.dentry->inode, mask) :
			      real_permission(p.dentry->inode, mask);
	}
	if (!err && (mode & 2) && (p.mnt->flags & MS_RDONLY))
		err = -EROFS;
	path_put(&p);
	return err;
}

long sys_access(const struct syscall_args *a)
{
	return do_access(AT_FDCWD, a->arg[0], (int)a->arg[1], 0);
}

long sys_faccessat(const struct syscall_args *a)
{
	return do_access((int)a->arg[0], a->arg[1], (int)a->arg[2], 0);
}

long sys_faccessat2(const struct syscall_args *a)
{
	return do_access((int)a->arg[0], a->arg[1], (int)a->arg[2],
			 (unsigned)a->arg[3]);
}

static long truncate_path(struct path *p, int64_t length)
{
	struct inode *inode = p->dentry->inode;
	struct vfs_attr attr = { .valid = ATTR_SIZE | ATTR_MTIME,
				 .size = (uint64_t)length,
				 .mtime = vfs_now() };
	long err;

	if (length < 0)
		err = -EINVAL;
	else if (S_ISDIR(inode->mode))
		err = -EISDIR;
	else if (!S_ISREG(inode->mode))
		err = -EINVAL;
	else if ((err = vfs_permission(inode, MAY_WRITE)))
		;
	else if (__atomic_load_n(&inode->writers, __ATOMIC_ACQUIRE) < 0)
		err = -ETXTBSY;
	else
		err = vfs_setattr(p, &attr);
	path_put(p);
	return err;
}

long sys_truncate(const struct syscall_args *a)
{
	struct path p;
	long err = lookup_at(AT_FDCWD, a->arg[0], 0, &p);

	return err ? err : truncate_path(&p, (int64_t)a->arg[1]);
}

long sys_ftruncate(const struct syscall_args *a)
{
	struct file *f = fd_get((int)a->arg[0]);
	struct vfs_attr attr = { .valid = ATTR_SIZE | ATTR_MTIME,
				 .size = a->arg[1],
				 .mtime = vfs_now() };
	long err;

	if (!f)
		return -EBADF;
	if ((int64_t)a->arg[1] < 0)
		err = -EINVAL;
	else if (!(f->mode & FMODE_WRITE) || !S_ISREG(f->inode->mode) ||
		 !f->path.dentry)
		err = (f->mode & FMODE_PATH) ? -EBADF : -EINVAL;
	else
		err = vfs_setattr(&f->path, &attr);
	file_put(f);
	return err;
}

/* FALLOC_FL_PUNCH_HOLE on a file open for writing: the range within
 * the size reads as zeros (written through the file system, at the
 * offset even under O_APPEND; the pages stay). */
static long punch_hole(struct file *f, uint64_t off, uint64_t len)
{
	uint64_t size = f->inode->size;
	uint8_t *zeros;
	long err = 0;

	if (off >= size)
		return 0;
	if (!f->fop || !f->fop->write)
		return -EOPNOTSUPP;
	len = FR_MIN(len, size - off);
	zeros = FR_NEW_ARRAY(uint8_t, FR_PAGE_SIZE);
	if (!zeros)
		return -ENOMEM;
	struct iobuf b = iobuf_kernel(zeros);

	while (len && !err) {
		long n = f->fop->write(f, &b, (size_t)FR_MIN(len, FR_PAGE_SIZE),
				       &off);

		if (n <= 0)
			err = n ? n : -EIO;
		else
			len -= (uint64_t)n;
	}
	fr_kfree(zeros);
	return err;
}

long sys_fallocate(const struct syscall_args *a)
{
	struct file *f = fd_get((int)a->arg[0]);
	int mode = (int)a->arg[1];
	int64_t off = (int64_t)a->arg[2], len = (int64_t)a->arg[3];
	long err = 0;

	if (!f)
		return -EBADF;
	if (off < 0 || len <= 0)
		err = -EINVAL;
	else if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		err = -EOPNOTSUPP;
	else if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		err = -EOPNOTSUPP;
	else if (!(f->mode & FMODE_WRITE))
		err = -EBADF;
	else if (S_ISDIR(f->inode->mode))
		err = -EISDIR;
	else if (S_ISFIFO(f->inode->mode))
		err = -ESPIPE;
	else if (!S_ISREG(f->inode->mode))
		err = -ENODEV;
	else if (off > INT64_MAX - len)
		err = -EFBIG;
	else if (mode & FALLOC_FL_PUNCH_HOLE)
		err = punch_hole(f, (uint64_t)off, (uint64_t)len);
	else if (!(mode & FALLOC_FL_KEEP_SIZE) &&
		 (uint64_t)(off + len) > f->inode->size) {
		/* tmpfs gives pages at the first write: growing is enough */
		struct vfs_attr attr = { .valid = ATTR_SIZE,
					 .size = (uint64_t)(off + len) };

		err = vfs_setattr(&f->path, &attr);
	}
	file_put(f);
	return err;
}

/* A timestamp from user memory, with UTIME_NOW / UTIME_OMIT. */
static long get_time(uint64_t u, struct timespec64_vfs *t, bool *omit,
		     bool *now)
{
	struct __kernel_timespec ts;

	if (FR_GET_USER(ts, fr_uaddr(u)))
		return -EFAULT;
	*omit = ts.tv_nsec == UTIME_OMIT;
	*now = ts.tv_nsec == UTIME_NOW;
	if (*omit || *now) {
		*t = vfs_now();
		return 0;
	}
	if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*t = (struct timespec64_vfs){ ts.tv_sec, ts.tv_nsec };
	return 0;
}

long sys_utimensat(const struct syscall_args *a)
{
	int dirfd = (int)a->arg[0];
	uint64_t upath = a->arg[1], utimes = a->arg[2];
	unsigned flags = (unsigned)a->arg[3];
	struct vfs_attr attr = { .valid = ATTR_ATIME | ATTR_MTIME };
	bool omit_a = false, omit_m = false, now_a = true, now_m = true;
	struct path p;
	long err;

	if (flags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes) {
		err = get_time(utimes, &attr.atime, &omit_a, &now_a);
		if (!err)
			err = get_time(utimes + sizeof(struct __kernel_timespec),
				       &attr.mtime, &omit_m, &now_m);
		if (err)
			return err;
	} else {
		attr.atime = attr.mtime = vfs_now();
	}
	if (omit_a && omit_m)
		return 0;
	if (omit_a)
		attr.valid &= ~(unsigned)ATTR_ATIME;
	if (omit_m)
		attr.valid &= ~(unsigned)ATTR_MTIME;
	if (!upath && dirfd != AT_FDCWD) /* futimens: no flags */
		err = flags ? -EINVAL : fd_path(dirfd, &p);
	else /* a NULL path at AT_FDCWD: EFAULT */
		err = lookup_at(dirfd, upath, flags, &p);
	if (err)
		return err;
	struct inode *inode = p.dentry->inode;

	if ((omit_a || now_a) && (omit_m || now_m)) {
		/* setting "now": the owner, or anyone who may write */
		if (!owner_or_root(inode) && vfs_permission(inode, MAY_WRITE))
			err = -EACCES;
	} else if (!owner_or_root(inode)) {
		err = -EPERM;
	}
	if (!err)
		err = vfs_setattr(&p, &attr);
	path_put(&p);
	return err;
}
