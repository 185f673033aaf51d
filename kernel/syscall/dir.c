/*
 * Directories: getdents64, mkdir, mkdirat, rmdir, chdir, fchdir, getcwd
 * and chroot.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include "fs/file.h"
#include "process/process.h"
#include "syscall/path.h"
#include "syscall/syscall.h"

/* One struct linux_dirent64 into the caller's buffer, if it fits. */
static bool emit_dirent64(struct dir_context *ctx, const char *name,
			  size_t len, uint64_t ino, unsigned type)
{
	size_t reclen = (19 + len + 1 + 7) & ~(size_t)7;
	uint8_t rec[19 + VFS_NAME_MAX + 1 + 8];
	uint64_t off = ctx->pos + 1;
	uint16_t rl = (uint16_t)reclen;

	if (ctx->used + reclen > ctx->size) {
		if (!ctx->used)
			ctx->error = -EINVAL;
		return false;
	}
	memset(rec, 0, reclen);
	memcpy(rec, &ino, 8);
	memcpy(rec + 8, &off, 8);
	memcpy(rec + 16, &rl, 2);
	rec[18] = (uint8_t)type;
	memcpy(rec + 19, name, len);
	if (iobuf_put(&ctx->buf, ctx->used, rec, reclen)) {
		ctx->error = -EFAULT;
		return false;
	}
	ctx->used += reclen;
	return true;
}

long sys_getdents64(const struct syscall_args *a)
{
	struct file *f = fd_get((int)a->arg[0]);
	struct dir_context ctx = { .emit = emit_dirent64 };
	long ret;

	if (!f)
		return -EBADF;
	if (f->mode & FMODE_PATH) {
		file_put(f);
		return -EBADF;
	}
	if (!f->fop || !f->fop->readdir) {
		file_put(f);
		return -ENOTDIR;
	}
	if (f->path.dentry && f->path.dentry->dead) {
		file_put(f);
		return -ENOENT; /* a removed directory, as Linux's DEADDIR */
	}
	ctx.buf = iobuf_user(fr_uaddr(a->arg[1]));
	ctx.size = (size_t)FR_MIN(a->arg[2], (uint64_t)0x7ffff000);
	fr_mutex_lock(&f->pos_lock);
	ctx.pos = f->pos;
	ret = f->fop->readdir(f, &ctx);
	f->pos = ctx.pos;
	fr_mutex_unlock(&f->pos_lock);
	if (ctx.used)
		ret = (long)ctx.used;
	else if (ctx.error)
		ret = ctx.error;
	file_put(f);
	return ret;
}

static long do_mkdir(int dirfd, uint64_t upath, uint32_t mode)
{
	long err;
	char *path = path_from_user(upath, &err);

	if (!path)
		return err;
	err = vfs_mkdir(dirfd, path, mode & 07777 & ~current_umask());
	path_free(path);
	return err;
}

long sys_mkdir(const struct syscall_args *a)
{
	return do_mkdir(AT_FDCWD, a->arg[0], (uint32_t)a->arg[1]);
}

long sys_mkdirat(const struct syscall_args *a)
{
	return do_mkdir((int)a->arg[0], a->arg[1], (uint32_t)a->arg[2]);
}

long sys_rmdir(const struct syscall_args *a)
{
	long err;
	char *path = path_from_user(a->arg[0], &err);

	if (!path)
		return err;
	err = vfs_rmdir(AT_FDCWD, path);
	path_free(path);
	return err;
}

/* A directory the caller may search, for chdir and chroot. */
static long lookup_dir(uint64_t upath, struct path *out)
{
	long err;
	char *path = path_from_user(upath, &err);

	if (!path)
		return err;
	err = vfs_lookup(AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, out);
	path_free(path);
	if (err)
		return err;
	if (!out->dentry->inode)
		err = -ENOENT;
	else if (!S_ISDIR(out->dentry->inode->mode))
		err = -ENOTDIR;
	else
		err = vfs_permission(out->dentry->inode, MAY_EXEC);
	if (err)
		path_put(out);
	return err;
}

long sys_chdir(const struct syscall_args *a)
{
	struct path p;
	long err = lookup_dir(a->arg[0], &p);

	if (!err)
		fs_set_cwd(&p);
	return err;
}

long sys_fchdir(const struct syscall_args *a)
{
	struct file *f = fd_get((int)a->arg[0]);
	struct path p;
	long err;

	if (!f)
		return -EBADF;
	if (!f->path.dentry || !S_ISDIR(f->inode->mode)) {
		file_put(f);
		return -ENOTDIR;
	}
	err = vfs_permission(f->inode, MAY_EXEC);
	if (!err) {
		p = f->path;
		path_get(&p);
		fs_set_cwd(&p);
	}
	file_put(f);
	return err;
}

long sys_chroot(const struct syscall_args *a)
{
	struct path p;
	long err = lookup_dir(a->arg[0], &p);

	if (err)
		return err;
	if (!vfs_privileged()) {
		path_put(&p);
		return -EPERM;
	}
	fs_set_root(&p);
	return 0;
}

long sys_getcwd(const struct syscall_args *a)
{
	uint64_t size = a->arg[1];
	char *buf = FR_NEW_ARRAY(char, VFS_PATH_MAX);
	struct path cwd;
	int n;
	long ret;

	if (!buf)
		return -ENOMEM;
	fs_get_cwd(&cwd);
	n = vfs_path_name(&cwd, buf + 13, VFS_PATH_MAX - 13);
	if (n >= 0 && cwd.dentry->dead && cwd.dentry->parent != cwd.dentry) {
		/* Linux: "(unreachable)" paths give ENOENT when deleted */
		n = -ENOENT;
	} else if (n >= 0 && !vfs_path_reachable(&cwd)) {
		/* outside the root (chroot): the path from the tree's top */
		memcpy(buf, "(unreachable)", 13);
		n += 13;
	} else if (n >= 0) {
		memmove(buf, buf + 13, (size_t)n + 1);
	}
	path_put(&cwd);
	if (n < 0)
		ret = n;
	else if ((uint64_t)n + 1 > size)
		ret = -ERANGE;
	else if (fr_copy_to_user(fr_uaddr(a->arg[0]), buf, (size_t)n + 1))
		ret = -EFAULT;
	else
		ret = n + 1;
	fr_kfree(buf);
	return ret;
}
