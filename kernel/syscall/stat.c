/*
 * File status: stat, fstat, lstat, newfstatat, statx, statfs, fstatfs.
 */
#include <frame/mm.h>
#include <libs/string.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <linux/magic.h>
#include "fs/file.h"
#include "syscall/path.h"
#include "syscall/syscall.h"

static long put_stat(uint64_t u, const struct vfs_stat *st)
{
	/* every member is named (no padding): the rest is zero */
	struct stat s = {
		.st_dev = st->dev,
		.st_ino = st->ino,
		.st_nlink = st->nlink,
		.st_mode = st->mode,
		.st_uid = st->uid,
		.st_gid = st->gid,
		.st_rdev = st->rdev,
		.st_size = (long)st->size,
		.st_blksize = st->blksize,
		.st_blocks = (long)st->blocks,
		.st_atime = st->atime.sec,
		.st_atime_nsec = (unsigned long)st->atime.nsec,
		.st_mtime = st->mtime.sec,
		.st_mtime_nsec = (unsigned long)st->mtime.nsec,
		.st_ctime = st->ctime.sec,
		.st_ctime_nsec = (unsigned long)st->ctime.nsec,
	};

	return FR_PUT_USER(s, fr_uaddr(u)) ? -EFAULT : 0;
}

/* stat of @fd's file. */
static long stat_fd(int fd, struct vfs_stat *st)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	inode_stat(f->inode, st);
	file_put(f);
	return 0;
}

/* stat of a path at @dirfd with AT_* @flags (AT_EMPTY_PATH: the fd). */
static long stat_at(int dirfd, uint64_t upath, unsigned flags,
		    struct vfs_stat *st)
{
	long err;
	char *path = path_from_user(upath, &err);
	unsigned lookup = LOOKUP_FOLLOW;

	if (!path)
		return err;
	if (flags & AT_SYMLINK_NOFOLLOW)
		lookup = 0;
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	if (!path[0] && (flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD)
		err = stat_fd(dirfd, st);
	else
		err = vfs_stat_path(dirfd, path, lookup, st);
	path_free(path);
	return err;
}

long sys_stat(const struct syscall_args *a)
{
	struct vfs_stat st;
	long err = stat_at(AT_FDCWD, a->arg[0], 0, &st);

	return err ? err : put_stat(a->arg[1], &st);
}

long sys_lstat(const struct syscall_args *a)
{
	struct vfs_stat st;
	long err = stat_at(AT_FDCWD, a->arg[0], AT_SYMLINK_NOFOLLOW, &st);

	return err ? err : put_stat(a->arg[1], &st);
}

long sys_fstat(const struct syscall_args *a)
{
	struct vfs_stat st;
	long err = stat_fd((int)a->arg[0], &st);

	return err ? err : put_stat(a->arg[1], &st);
}

long sys_newfstatat(const struct syscall_args *a)
{
	unsigned flags = (unsigned)a->arg[3];
	struct vfs_stat st;
	long err;

	if (flags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH |
				AT_NO_AUTOMOUNT))
		return -EINVAL;
	err = stat_at((int)a->arg[0], a->arg[1], flags, &st);
	return err ? err : put_stat(a->arg[2], &st);
}

static struct statx_timestamp sx_time(struct timespec64_vfs t)
{
	return (struct statx_timestamp){ .tv_sec = t.sec,
					 .tv_nsec = (uint32_t)t.nsec };
}

long sys_statx(const struct syscall_args *a)
{
	unsigned flags = (unsigned)a->arg[2];
	struct vfs_stat st;
	struct statx sx;
	long err;

	if (flags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH |
				AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if ((unsigned)a->arg[3] & STATX__RESERVED)
		return -EINVAL;
	err = stat_at((int)a->arg[0], a->arg[1], flags, &st);
	if (err)
		return err;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS | STATX_BTIME;
	sx.stx_blksize = st.blksize;
	sx.stx_nlink = st.nlink;
	sx.stx_uid = st.uid;
	sx.stx_gid = st.gid;
	sx.stx_mode = (uint16_t)st.mode;
	sx.stx_ino = st.ino;
	sx.stx_size = st.size;
	sx.stx_blocks = st.blocks;
	sx.stx_atime = sx_time(st.atime);
	sx.stx_btime = sx_time(st.btime);
	sx.stx_ctime = sx_time(st.ctime);
	sx.stx_mtime = sx_time(st.mtime);
	sx.stx_rdev_major = VFS_MAJOR(st.rdev);
	sx.stx_rdev_minor = VFS_MINOR(st.rdev);
	sx.stx_dev_major = VFS_MAJOR(st.dev);
	sx.stx_dev_minor = VFS_MINOR(st.dev);
	return FR_PUT_USER(sx, fr_uaddr(a->arg[4])) ? -EFAULT : 0;
}

static long put_statfs(uint64_t u, struct super_block *sb, struct mount *m)
{
	struct statfs s;

	memset(&s, 0, sizeof(s));
	s.f_type = (long)sb->magic;
	s.f_bsize = FR_PAGE_SIZE;
	s.f_frsize = FR_PAGE_SIZE;
	if (sb->magic == TMPFS_MAGIC) {
		struct fr_mem_stats ms;

		fr_mem_stats(&ms);
		/* Linux's default size: half of RAM */
		s.f_blocks = (long)(ms.total / FR_PAGE_SIZE / 2);
		s.f_bfree = s.f_blocks > (long)sb->blocks_used ?
				    s.f_blocks - (long)sb->blocks_used :
				    0;
		s.f_bavail = s.f_bfree;
		s.f_files = s.f_blocks;
		s.f_ffree = s.f_files - (long)sb->next_ino;
	}
	s.f_fsid.val[0] = (int)sb->dev;
	s.f_namelen = VFS_NAME_MAX;
	s.f_flags = (long)(m ? m->flags : 0) | 0x20 /* ST_VALID */;
	return FR_PUT_USER(s, fr_uaddr(u)) ? -EFAULT : 0;
}

long sys_statfs(const struct syscall_args *a)
{
	long err;
	char *path = path_from_user(a->arg[0], &err);
	struct path p;

	if (!path)
		return err;
	err = vfs_lookup(AT_FDCWD, path, LOOKUP_FOLLOW, &p);
	path_free(path);
	if (err)
		return err;
	err = p.dentry->inode ? put_statfs(a->arg[1], p.dentry->sb, p.mnt) :
				-ENOENT;
	path_put(&p);
	return err;
}

long sys_fstatfs(const struct syscall_args *a)
{
	struct file *f = fd_get((int)a->arg[0]);
	long err;

	if (!f)
		return -EBADF;
	err = f->inode->sb ? put_statfs(a->arg[1], f->inode->sb, f->path.mnt) :
			     -ENOSYS;
	file_put(f);
	return err;
}
