/*
 * The name-space operations behind mknod, mkdir, rmdir, unlink, symlink,
 * link, rename, readlink, stat and the attribute changes, with Linux's
 * checks in Linux's order: the walk's errors, then existence, type,
 * permission on the directory, busy mounts, and the file system's own.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include "fs/internal.h"
#include "fs/vfs.h"
#include "process/process.h"

/* Whether the caller may remove @victim from the sticky directory @dir. */
static bool sticky_allows(struct inode *dir, struct inode *victim)
{
	bool ok = true;
	cred_r c;

	if (!(dir->mode & S_ISVTX) || !current_process())
		return true;
	c = vfs_cred_get();
	if (!cred_privileged(c) && cred_fsuid(c) != victim->uid &&
	    cred_fsuid(c) != dir->uid)
		ok = false;
	vfs_cred_put();
	return ok;
}

static bool mount_readonly(const struct path *p)
{
	return p->mnt && (p->mnt->flags & MS_RDONLY);
}

/* Whether @d is a mount point or the root of a file system. */
static bool busy(struct dentry *d)
{
	return d->mounted || d->parent == d;
}

/*
 * last_child_begin - the parent of @path and the dentry of its last
 * component (referenced; it may be negative), with vfs_ns_lock held, for
 * the calls that create or remove a name.  When the last component is not
 * a name ("." "..", or a path that is only slashes) @last->type says so
 * and nothing is held.  Returns 0, or the walk's error (nothing held).
 */
static int last_child_begin(int dirfd, const char *path,
			    struct last_name *last, struct path *parent,
			    struct dentry **d)
{
	int err = vfs_lookup_parent(dirfd, path, 0, parent, last);

	*d = NULL;
	if (err)
		return err;
	if (last->type != LAST_NORM) {
		path_put(parent);
		return 0;
	}
	fr_mutex_lock(&vfs_ns_lock);
	if (parent->dentry->dead) /* removed since the walk */
		err = -ENOENT;
	else
		err = vfs_lookup_child(parent->dentry, last->name, last->len,
				       d);
	if (err) {
		fr_mutex_unlock(&vfs_ns_lock);
		path_put(parent);
	}
	return err;
}

/* Give up what last_child_begin() holds. */
static void last_child_end(struct path *parent, struct dentry *d)
{
	fr_mutex_unlock(&vfs_ns_lock);
	dentry_put(d);
	path_put(parent);
}

/*
 * create_begin - look up the parent of @path and the negative dentry of
 * its last component, for a call that creates it.  @dir says a directory
 * is made (a trailing slash is then allowed).  Returns 0 with @parent and
 * @d referenced and vfs_ns_lock held, or an error (lock not held).
 */
static int create_begin(int dirfd, const char *path, bool dir,
			struct path *parent, struct dentry **d)
{
	struct last_name last;
	int err = last_child_begin(dirfd, path, &last, parent, d);

	if (err)
		return err;
	if (last.type != LAST_NORM)
		return -EEXIST;
	if ((*d)->inode)
		err = -EEXIST;
	else if (last.trailing_slash && !dir)
		err = -ENOENT;
	else
		err = vfs_permission(parent->dentry->inode, MAY_WRITE | MAY_EXEC);
	if (!err && mount_readonly(parent))
		err = -EROFS;
	if (err) {
		last_child_end(parent, *d);
		*d = NULL;
	}
	return err;
}


int vfs_mknod(int dirfd, const char *path, uint32_t mode, uint64_t rdev)
{
	struct path parent;
	struct dentry *d = NULL;
	int err = create_begin(dirfd, path, false, &parent, &d);

	if (err)
		return err;
	struct inode *dir = parent.dentry->inode;

	err = dir->iop && dir->iop->mknod ? dir->iop->mknod(dir, d, mode, rdev) :
					    -EPERM;
	last_child_end(&parent, d);
	return err;
}

int vfs_mkdir(int dirfd, const char *path, uint32_t mode)
{
	struct path parent;
	struct dentry *d = NULL;
	int err = create_begin(dirfd, path, true, &parent, &d);

	if (err)
		return err;
	struct inode *dir = parent.dentry->inode;

	err = dir->iop && dir->iop->mkdir ? dir->iop->mkdir(dir, d, mode) :
					    -EPERM;
	last_child_end(&parent, d);
	return err;
}

int vfs_symlink(const char *target, int dirfd, const char *path)
{
	struct path parent;
	struct dentry *d = NULL;
	int err;

	if (!target[0])
		return -ENOENT;
	if (strlen(target) >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	err = create_begin(dirfd, path, false, &parent, &d);
	if (err)
		return err;
	struct inode *dir = parent.dentry->inode;

	err = dir->iop && dir->iop->symlink ?
		      dir->iop->symlink(dir, d, target) :
		      -EPERM;
	last_child_end(&parent, d);
	return err;
}

/*
 * remove_begin - the parent and the positive dentry of @path's last
 * component, for unlink and rmdir (vfs_ns_lock held on success).
 */
static int remove_begin(int dirfd, const char *path, bool rmdir,
			struct path *parent, struct dentry **d)
{
	struct last_name last;
	int err = last_child_begin(dirfd, path, &last, parent, d);
	struct inode *victim;

	if (err)
		return err;
	if (last.type != LAST_NORM)
		return !rmdir			 ? -EISDIR :
		       last.type == LAST_DOT	 ? -EINVAL :
		       last.type == LAST_DOTDOT ? -ENOTEMPTY :
						   -EBUSY;
	victim = (*d)->inode;
	if (!victim)
		err = -ENOENT;
	else if (rmdir && !S_ISDIR(victim->mode))
		err = -ENOTDIR;
	else if (!rmdir && S_ISDIR(victim->mode))
		err = -EISDIR;
	else if (!rmdir && last.trailing_slash)
		err = -ENOTDIR;
	else if ((err = vfs_permission(parent->dentry->inode,
				       MAY_WRITE | MAY_EXEC)))
		;
	else if (!sticky_allows(parent->dentry->inode, victim))
		err = -EPERM;
	else if (busy(*d))
		err = -EBUSY;
	else if (mount_readonly(parent))
		err = -EROFS;
	if (err) {
		last_child_end(parent, *d);
		*d = NULL;
	}
	return err;
}

int vfs_rmdir(int dirfd, const char *path)
{
	struct path parent;
	struct dentry *d;
	int err = remove_begin(dirfd, path, true, &parent, &d);

	if (err)
		return err;
	struct inode *dir = parent.dentry->inode;

	if (dentry_has_children(d))
		err = -ENOTEMPTY;
	else
		err = dir->iop && dir->iop->rmdir ? dir->iop->rmdir(dir, d) :
						    -EPERM;
	last_child_end(&parent, d);
	return err;
}

int vfs_unlink(int dirfd, const char *path)
{
	struct path parent;
	struct dentry *d;
	int err = remove_begin(dirfd, path, false, &parent, &d);

	if (err)
		return err;
	struct inode *dir = parent.dentry->inode;

	err = dir->iop && dir->iop->unlink ? dir->iop->unlink(dir, d) : -EPERM;
	last_child_end(&parent, d);
	return err;
}

int vfs_link(int olddirfd, const char *oldpath, int newdirfd,
	     const char *newpath, unsigned flags)
{
	struct path old, parent;
	struct dentry *d = NULL;
	int err;

	if (flags & ~(unsigned)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = vfs_lookup(olddirfd, oldpath,
			 (flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0) |
				 (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0),
			 &old);
	if (err)
		return err;
	if (!old.dentry->inode) {
		path_put(&old);
		return -ENOENT;
	}
	err = create_begin(newdirfd, newpath, false, &parent, &d);
	if (err) {
		path_put(&old);
		return err;
	}
	struct inode *dir = parent.dentry->inode;

	if (parent.mnt != old.mnt)
		err = -EXDEV;
	else if (S_ISDIR(old.dentry->inode->mode))
		err = -EPERM;
	else if (!old.dentry->inode->nlink)
		err = -ENOENT;
	else
		err = dir->iop && dir->iop->link ?
			      dir->iop->link(old.dentry, dir, d) :
			      -EPERM;
	last_child_end(&parent, d);
	path_put(&old);
	return err;
}

/* Whether @a is @d or one of its ancestors (in one file system). */
static bool is_ancestor(struct dentry *a, struct dentry *d)
{
	for (;;) {
		if (d == a)
			return true;
		if (d->parent == d)
			return false;
		d = d->parent;
	}
}

int vfs_rename(int olddirfd, const char *oldpath, int newdirfd,
	       const char *newpath, unsigned flags)
{
	struct last_name *lo = FR_NEW(struct last_name);
	struct last_name *ln = FR_NEW(struct last_name);
	struct path op = { NULL, NULL }, np = { NULL, NULL };
	struct dentry *od = NULL, *nd = NULL;
	struct inode *odir, *ndir, *oi, *ni;
	int err;

	if (!lo || !ln) {
		err = -ENOMEM;
		goto free;
	}
	if (flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE |
				RENAME_WHITEOUT)) {
		err = -EINVAL;
		goto free;
	}
	if ((flags & RENAME_EXCHANGE) &&
	    (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT))) {
		err = -EINVAL;
		goto free;
	}
	err = vfs_lookup_parent(olddirfd, oldpath, 0, &op, lo);
	if (err)
		goto free;
	err = vfs_lookup_parent(newdirfd, newpath, 0, &np, ln);
	if (err)
		goto put;
	if (op.mnt != np.mnt) {
		err = -EXDEV;
		goto put;
	}
	if (lo->type != LAST_NORM || ln->type != LAST_NORM) {
		err = -EBUSY;
		goto put;
	}
	if (flags & RENAME_WHITEOUT) {
		err = -EINVAL; /* tmpfs supports it on Linux; we do not */
		goto put;
	}
	fr_mutex_lock(&vfs_ns_lock);
	err = vfs_lookup_child(op.dentry, lo->name, lo->len, &od);
	if (err)
		goto unlock;
	err = vfs_lookup_child(np.dentry, ln->name, ln->len, &nd);
	if (err)
		goto unlock;
	oi = od->inode;
	ni = nd->inode;
	odir = op.dentry->inode;
	ndir = np.dentry->inode;
	if (!oi || ((flags & RENAME_EXCHANGE) && !ni))
		err = -ENOENT;
	else if ((flags & RENAME_NOREPLACE) && ni)
		err = -EEXIST;
	else if ((err = vfs_permission(odir, MAY_WRITE | MAY_EXEC)) ||
		 (err = vfs_permission(ndir, MAY_WRITE | MAY_EXEC)))
		;
	else if (!sticky_allows(odir, oi) || (ni && !sticky_allows(ndir, ni)))
		err = -EPERM;
	else if (oi == ni)
		err = 0; /* the same file: nothing to do */
	else if (is_ancestor(od, np.dentry) ||
		 ((flags & RENAME_EXCHANGE) && is_ancestor(nd, op.dentry)))
		err = -EINVAL;
	else if (ni && !(flags & RENAME_EXCHANGE) && S_ISDIR(oi->mode) &&
		 !S_ISDIR(ni->mode))
		err = -ENOTDIR;
	else if (ni && !(flags & RENAME_EXCHANGE) && !S_ISDIR(oi->mode) &&
		 S_ISDIR(ni->mode))
		err = -EISDIR;
	else if (!S_ISDIR(oi->mode) && (lo->trailing_slash ||
					 (ln->trailing_slash && !ni)))
		err = -ENOTDIR;
	else if (ni && S_ISDIR(ni->mode) && !(flags & RENAME_EXCHANGE) &&
		 dentry_has_children(nd))
		err = -ENOTEMPTY;
	else if (busy(od) || (ni && busy(nd)))
		err = -EBUSY;
	else if (mount_readonly(&op))
		err = -EROFS;
	else
		err = odir->iop && odir->iop->rename ?
			      odir->iop->rename(odir, od, ndir, nd, flags) :
			      -EPERM;
unlock:
	fr_mutex_unlock(&vfs_ns_lock);
	dentry_put(od);
	dentry_put(nd);
put:
	path_put(&op);
	path_put(&np);
free:
	fr_kfree(lo);
	fr_kfree(ln);
	return err;
}

int vfs_readlink(int dirfd, const char *path, char *buf, size_t size)
{
	struct path p;
	int err = vfs_lookup(dirfd, path, LOOKUP_EMPTY, &p);
	struct inode *inode;

	if (err)
		return err;
	inode = p.dentry->inode;
	if (!inode)
		err = -ENOENT;
	else if (!S_ISLNK(inode->mode))
		err = path[0] ? -EINVAL : -ENOENT; /* "": the fd's own file */
	else if (inode->iop && inode->iop->readlink)
		err = inode->iop->readlink(inode, buf, size);
	else
		err = -EINVAL;
	path_put(&p);
	return err;
}

int vfs_stat_path(int dirfd, const char *path, unsigned lookup_flags,
		  struct vfs_stat *st)
{
	struct path p;
	int err = vfs_lookup(dirfd, path, lookup_flags, &p);

	if (err)
		return err;
	if (!p.dentry->inode)
		err = -ENOENT;
	else
		inode_stat(p.dentry->inode, st);
	path_put(&p);
	return err;
}

int vfs_setattr(struct path *p, const struct vfs_attr *attr)
{
	struct inode *inode = p->dentry->inode;
	int err = 0;

	if (mount_readonly(p))
		return -EROFS;
	fr_mutex_lock(&inode->lock);
	if (inode->iop && inode->iop->setattr) {
		err = inode->iop->setattr(inode, attr);
	} else if (attr->valid & ATTR_SIZE) {
		err = -EINVAL;
	}
	if (!err) {
		if (attr->valid & ATTR_MODE)
			inode->mode = (inode->mode & S_IFMT) |
				      (attr->mode & 07777);
		if (attr->valid & ATTR_UID)
			inode->uid = attr->uid;
		if (attr->valid & ATTR_GID)
			inode->gid = attr->gid;
		if (attr->valid & ATTR_ATIME)
			inode->atime = attr->atime;
		if (attr->valid & ATTR_MTIME)
			inode->mtime = attr->mtime;
		if (attr->valid & ATTR_CTIME)
			inode->ctime = attr->ctime;
		else
			inode->ctime = vfs_now();
	}
	fr_mutex_unlock(&inode->lock);
	return err;
}
