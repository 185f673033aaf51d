/*
 * Path resolution as Linux does it: absolute and relative paths from a
 * directory fd or the working directory, "." and "..", ".." stopping at
 * the caller's root and crossing mounts both ways, symbolic links (at most
 * VFS_MAXSYMLINKS in one walk, then -ELOOP), trailing slashes.  A link
 * met on the way is spliced into the rest of the path, so the walk is a
 * loop with one buffer and no recursion.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include "fs/file.h"
#include "fs/internal.h"
#include "fs/vfs.h"

/* The walk's working memory (too large for the stack). */
static struct walk {
	char rest[VFS_PATH_MAX + 1];
	char link[VFS_PATH_MAX + 1];
	struct path cur, root;
	int links;
} the_walk; /* one walk at a time: guarded by vfs_ns_lock */

/* Replace @p by @to (whose reference is taken over). */
static void path_move(struct path *p, struct path *to)
{
	path_put(p);
	*p = *to;
	to->mnt = NULL;
	to->dentry = NULL;
}

/* Step down through the mounts on @p. */
static void cross_mounts_down(struct path *p)
{
	struct mount *m;

	while ((m = mount_at(p->mnt, p->dentry))) {
		struct path to = { m, m->root };

		path_get(&to);
		path_move(p, &to);
	}
}

/* "..": up one, not above @root, crossing to the parent mount at a
 * mount's root. */
static void step_up(struct path *p, const struct path *root)
{
	struct path to;

	for (;;) {
		if (p->mnt == root->mnt && p->dentry == root->dentry)
			return;
		if (p->dentry != p->mnt->root)
			break;
		if (p->mnt->parent == p->mnt)
			return; /* the top of the tree */
		to = (struct path){ p->mnt->parent, p->mnt->mountpoint };
		path_get(&to);
		path_move(p, &to);
	}
	to = (struct path){ p->mnt, p->dentry->parent };
	path_get(&to);
	path_move(p, &to);
	cross_mounts_down(p);
}

/*
 * vfs_lookup_child - the dentry @name in the directory @dir (referenced; may
 * be negative), from the cache or the file system.
 */
int vfs_lookup_child(struct dentry *dir, const char *name, size_t len,
			struct dentry **out)
{
	struct dentry *d = dentry_lookup_cached(dir, name, len);
	struct inode *inode = dir->inode;
	int err;

	if (d) {
		*out = d;
		return 0;
	}
	d = dentry_new(dir, name, len);
	if (!d)
		return -ENOMEM;
	if (inode->iop && inode->iop->lookup) {
		err = inode->iop->lookup(inode, d);
		if (err) {
			dentry_drop(d);
			dentry_put(d);
			return err;
		}
	}
	*out = d;
	return 0;
}

/* The start of a walk: the root for "/", else @dirfd's directory. */
static int walk_start(struct walk *w, int dirfd, const char *path)
{
	fs_get_root(&w->root);
	if (path[0] == '/') {
		w->cur = w->root;
		path_get(&w->cur);
		return 0;
	}
	if (dirfd == AT_FDCWD) {
		fs_get_cwd(&w->cur);
		return 0;
	}
	struct file *f = fd_get(dirfd);

	if (!f)
		return -EBADF;
	w->cur = f->path;
	if (!w->cur.dentry) {
		file_put(f);
		return -ENOTDIR;
	}
	path_get(&w->cur);
	file_put(f);
	return 0;
}

/* Read the link @d into w->link; returns its length or an error. */
static int read_link(struct walk *w, struct dentry *d)
{
	struct inode *inode = d->inode;
	int n;

	if (!inode->iop || !inode->iop->readlink)
		return -EINVAL;
	n = inode->iop->readlink(inode, w->link, VFS_PATH_MAX);
	if (n < 0)
		return n;
	w->link[n] = '\0';
	return n;
}

/*
 * follow_link - continue the walk through the link @d met before @rest:
 * w->rest becomes the link's target then the rest.  Magic links (procfs)
 * set w->cur directly.  Returns 0, 1 when w->cur is the result of a magic
 * link, or an error.
 */
static int follow_link(struct walk *w, struct dentry *d, const char *rest)
{
	struct inode *inode = d->inode;
	size_t n, rest_len = strlen(rest);
	int len;

	if (++w->links > VFS_MAXSYMLINKS)
		return -ELOOP;
	if (inode->iop && inode->iop->get_link_path) {
		struct path to = { NULL, NULL };
		int err = inode->iop->get_link_path(inode, d, &to.mnt,
						    &to.dentry);

		if (err)
			return err;
		path_move(&w->cur, &to);
		/* the rest stays to walk from there */
		memmove(w->rest, rest, rest_len + 1);
		return 1;
	}
	len = read_link(w, d);
	if (len < 0)
		return len;
	if (!len)
		return -ENOENT;
	n = (size_t)len;
	if (n + 1 + rest_len > VFS_PATH_MAX)
		return -ENAMETOOLONG;
	memmove(w->rest + n + 1, rest, rest_len + 1);
	memcpy(w->rest, w->link, n);
	w->rest[n] = rest_len ? '/' : '\0';
	if (w->link[0] == '/') {
		struct path root = w->root;

		path_get(&root);
		path_move(&w->cur, &root);
	}
	return 0;
}

/*
 * walk - resolve w->rest from w->cur.  With @last, stop before the last
 * component and describe it there.  Returns 0 with w->cur the result (it
 * may be negative when the last component does not exist).
 */
static int walk(struct walk *w, unsigned flags, struct last_name *last)
{
	char *p = w->rest;
	bool must_dir = false;

	for (;;) {
		const char *name;
		size_t len;
		char *q;
		bool is_last, trailing;
		struct dentry *child;
		int err;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		name = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - name);
		q = p;
		while (*q == '/')
			q++;
		is_last = !*q;
		trailing = q != p;
		if (len > VFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (!w->cur.dentry->inode)
			return -ENOENT;
		if (!S_ISDIR(w->cur.dentry->inode->mode))
			return -ENOTDIR;
		if (is_last && last) {
			memcpy(last->name, name, len);
			last->name[len] = '\0';
			last->len = len;
			last->trailing_slash = trailing;
			last->type = len == 1 && name[0] == '.' ? LAST_DOT :
				     len == 2 && name[0] == '.' && name[1] == '.' ?
								      LAST_DOTDOT :
								      LAST_NORM;
			return 0;
		}
		err = vfs_permission(w->cur.dentry->inode, MAY_EXEC);
		if (err)
			return err;
		if (len == 1 && name[0] == '.') {
			p = q;
			must_dir |= is_last;
			continue;
		}
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			step_up(&w->cur, &w->root);
			p = q;
			must_dir |= is_last;
			continue;
		}
		err = vfs_lookup_child(w->cur.dentry, name, len, &child);
		if (err)
			return err;
		if (!child->inode) {
			if (!is_last) {
				dentry_put(child);
				return -ENOENT;
			}
			struct path neg = { w->cur.mnt, child };

			__atomic_add_fetch(&neg.mnt->refs, 1,
					   __ATOMIC_RELAXED);
			path_move(&w->cur, &neg);
			if (trailing)
				must_dir = true;
			break;
		}
		if (S_ISLNK(child->inode->mode) &&
		    (!is_last || trailing || (flags & LOOKUP_FOLLOW))) {
			err = follow_link(w, child, q);
			dentry_put(child);
			if (err < 0)
				return err;
			if (trailing && is_last)
				must_dir = true;
			p = w->rest;
			continue;
		}
		struct path next = { w->cur.mnt, child };

		__atomic_add_fetch(&next.mnt->refs, 1, __ATOMIC_RELAXED);
		path_move(&w->cur, &next);
		cross_mounts_down(&w->cur);
		p = q;
		if (is_last && trailing)
			must_dir = true;
	}
	if (last) { /* the path ended in slashes after the root or a dir */
		last->type = LAST_ROOT;
		last->len = 0;
		last->name[0] = '\0';
		return 0;
	}
	if ((must_dir || (flags & LOOKUP_DIRECTORY)) && w->cur.dentry->inode &&
	    !S_ISDIR(w->cur.dentry->inode->mode))
		return -ENOTDIR;
	return 0;
}

static struct walk *walk_begin(int dirfd, const char *path, unsigned flags,
			       int *err)
{
	struct walk *w;
	size_t n = strlen(path);

	if (n >= VFS_PATH_MAX) {
		*err = -ENAMETOOLONG;
		return NULL;
	}
	if (!n && !(flags & LOOKUP_EMPTY)) {
		*err = -ENOENT;
		return NULL;
	}
	w = &the_walk;
	w->cur = w->root = (struct path){ NULL, NULL };
	w->links = 0;
	memcpy(w->rest, path, n + 1);
	*err = walk_start(w, dirfd, path);
	if (*err) {
		path_put(&w->root);
		return NULL;
	}
	return w;
}

static void walk_end(struct walk *w)
{
	path_put(&w->cur);
	path_put(&w->root);
}

int vfs_lookup(int dirfd, const char *path, unsigned flags, struct path *out)
{
	struct walk *w;
	int err;

	fr_mutex_lock(&vfs_ns_lock);
	w = walk_begin(dirfd, path, flags, &err);
	if (w) {
		if (!path[0] && (flags & LOOKUP_EMPTY))
			err = 0; /* AT_EMPTY_PATH: the start itself */
		else
			err = walk(w, flags, NULL);
		if (!err) {
			*out = w->cur;
			w->cur = (struct path){ NULL, NULL };
		}
		walk_end(w);
	}
	fr_mutex_unlock(&vfs_ns_lock);
	return err;
}

int vfs_lookup_parent(int dirfd, const char *path, unsigned flags,
		      struct path *parent, struct last_name *last)
{
	struct walk *w;
	int err;

	fr_mutex_lock(&vfs_ns_lock);
	w = walk_begin(dirfd, path, flags & ~(unsigned)LOOKUP_EMPTY, &err);
	if (w) {
		err = walk(w, flags, last);
		if (!err) {
			*parent = w->cur;
			w->cur = (struct path){ NULL, NULL };
		}
		walk_end(w);
	}
	fr_mutex_unlock(&vfs_ns_lock);
	return err;
}

bool vfs_path_reachable(const struct path *p)
{
	struct path root;
	struct mount *mnt = p->mnt;
	struct dentry *d = p->dentry;
	bool found = false;

	fs_get_root(&root);
	fr_mutex_lock(&vfs_ns_lock);
	for (;;) {
		if (mnt == root.mnt && d == root.dentry) {
			found = true;
			break;
		}
		if (d == mnt->root) {
			if (mnt->parent == mnt)
				break;
			d = mnt->mountpoint;
			mnt = mnt->parent;
			continue;
		}
		if (d->parent == d)
			break;
		d = d->parent;
	}
	fr_mutex_unlock(&vfs_ns_lock);
	path_put(&root);
	return found;
}

int vfs_path_name(const struct path *p, char *buf, size_t size)
{
	struct path root;
	struct mount *mnt = p->mnt;
	struct dentry *d = p->dentry;
	size_t at = size;
	bool deleted = d->dead && d->parent != d;

	if (size < 2)
		return -ENAMETOOLONG;
	fs_get_root(&root);
	fr_mutex_lock(&vfs_ns_lock);
	buf[--at] = '\0';
	if (deleted) {
		static const char mark[] = " (deleted)";

		if (at < sizeof(mark)) {
			at = 0;
			goto out;
		}
		at -= sizeof(mark) - 1;
		memcpy(buf + at, mark, sizeof(mark) - 1);
	}
	for (;;) {
		if (mnt == root.mnt && d == root.dentry)
			break;
		if (d == mnt->root) {
			if (mnt->parent == mnt)
				break;
			d = mnt->mountpoint;
			mnt = mnt->parent;
			continue;
		}
		if (at < d->len + 1) {
			at = 0;
			goto out;
		}
		at -= d->len;
		memcpy(buf + at, d->name, d->len);
		buf[--at] = '/';
		d = d->parent;
	}
	if (at == size - 1 - (deleted ? 10 : 0))
		buf[--at] = '/';
out:
	fr_mutex_unlock(&vfs_ns_lock);
	path_put(&root);
	if (!at)
		return -ENAMETOOLONG;
	memmove(buf, buf + at, size - at);
	return (int)(size - at - 1);
}
