/*
 * Open files: opening an inode (permission, the operations for its type,
 * the file system's open), reference counts, the read and write rights as
 * handles, and reads and writes at a position.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include <linux/mount.h>
#include "fs/file.h"
#include "fs/eventpoll.h"
#include "fs/internal.h"
#include "fs/locks.h"
#include "fs/pipe.h"

struct file *file_reader_file(file_reader r)
{
	return r.obj;
}

struct file *file_writer_file(file_writer w)
{
	return w.obj;
}

/* The file operations for @inode's type. */
static const struct file_ops *ops_for(struct inode *inode, int *err)
{
	const struct file_ops *fop;

	switch (inode->mode & S_IFMT) {
	case S_IFCHR:
		fop = chrdev_fops(inode->rdev);
		if (!fop)
			*err = -ENXIO;
		return fop;
	case S_IFIFO:
		return &fifo_fops;
	case S_IFSOCK:
		*err = -ENXIO;
		return NULL;
	case S_IFBLK:
		*err = -ENXIO;
		return NULL;
	default:
		return inode->fop;
	}
}

static struct file *file_alloc(struct inode *inode, const struct file_ops *fop,
			       unsigned mode, unsigned flags)
{
	struct file *f = FR_NEW(struct file);

	if (!f)
		return NULL;
	f->refs = 1;
	f->inode = inode;
	inode_get(inode);
	f->fop = fop;
	f->mode = mode;
	f->flags = flags;
	fr_mutex_init(&f->pos_lock);
	if (mode & FMODE_WRITE) /* file_put() drops it again */
		__atomic_add_fetch(&inode->writers, 1, __ATOMIC_RELAXED);
	return f;
}

struct file *file_new(struct inode *inode, const struct file_ops *fop,
		      unsigned mode, unsigned flags)
{
	return file_alloc(inode, fop, mode, flags);
}

static unsigned fmode_of(unsigned flags)
{
	if (flags & O_PATH)
		return FMODE_PATH;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return FMODE_READ;
	case O_WRONLY:
		return FMODE_WRITE;
	default:
		return FMODE_READ | FMODE_WRITE;
	}
}

/* file_open(), without the permission check when @check is false (a
 * file just created opens with any mode). */
static struct file *open_path(const struct path *p, unsigned flags,
			      bool check, int *err)
{
	struct inode *inode = p->dentry->inode;
	unsigned mode = fmode_of(flags);
	const struct file_ops *fop = NULL;
	struct file *f;
	int mask = 0;

	*err = 0;
	if (!(mode & FMODE_PATH)) {
		if (mode & FMODE_READ)
			mask |= MAY_READ;
		/* O_TRUNC needs the right to write, even with O_RDONLY */
		if ((mode & FMODE_WRITE) || (flags & O_TRUNC))
			mask |= MAY_WRITE;
		if (S_ISDIR(inode->mode) && (mask & MAY_WRITE)) {
			*err = -EISDIR;
			return NULL;
		}
		*err = check ? vfs_permission(inode, mask) : 0;
		if (*err)
			return NULL;
		if ((mode & FMODE_WRITE) && (p->mnt->flags & MS_RDONLY) &&
		    !S_ISCHR(inode->mode) && !S_ISFIFO(inode->mode)) {
			*err = -EROFS;
			return NULL;
		}
		if ((mode & FMODE_WRITE) &&
		    __atomic_load_n(&inode->writers, __ATOMIC_ACQUIRE) < 0) {
			*err = -ETXTBSY;
			return NULL;
		}
		fop = ops_for(inode, err);
		if (*err)
			return NULL;
	}
	f = file_alloc(inode, fop, mode,
		       flags & ~(unsigned)(O_CREAT | O_EXCL | O_NOCTTY |
					   O_TRUNC | O_CLOEXEC));
	if (!f) {
		*err = -ENOMEM;
		return NULL;
	}
	f->path = *p;
	path_get(&f->path);
	if (fop && fop->open) {
		/* the open may look at O_NOCTTY, O_NONBLOCK: full flags */
		unsigned keep = f->flags;

		f->flags = flags;
		*err = fop->open(inode, f);
		f->flags = keep | (f->flags & O_NONBLOCK);
		if (*err) {
			f->fop = NULL; /* no release for a failed open */
			file_put(f);
			return NULL;
		}
	}
	return f;
}

struct file *file_open(const struct path *p, unsigned flags, int *err)
{
	return open_path(p, flags, true, err);
}

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	if (!f || __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL))
		return;
	eventpoll_release(f);
	locks_remove_file(f);
	if (f->fop && f->fop->release)
		f->fop->release(f);
	if (f->mode & FMODE_WRITE)
		__atomic_sub_fetch(&f->inode->writers, 1, __ATOMIC_RELAXED);
	fr_kfree(f->priv.seq && f->seq_len ? f->priv.seq : NULL);
	path_put(&f->path);
	inode_put(f->inode);
	fr_kfree(f);
}

int file_as_reader(struct file *f, file_reader *out)
{
	if (!(f->mode & FMODE_READ))
		return -EBADF;
	file_get(f);
	*out = (file_reader){ f };
	return 0;
}

int file_as_writer(struct file *f, file_writer *out)
{
	if (!(f->mode & FMODE_WRITE))
		return -EBADF;
	file_get(f);
	*out = (file_writer){ f };
	return 0;
}

void file_reader_put(file_reader r)
{
	file_put(r.obj);
}

void file_writer_put(file_writer w)
{
	file_put(w.obj);
}

unsigned file_status_flags(const struct file *f)
{
	unsigned acc = (f->mode & FMODE_PATH) ? O_PATH :
		       (f->mode & FMODE_WRITE) ?
			       ((f->mode & FMODE_READ) ? O_RDWR : O_WRONLY) :
			       O_RDONLY;

	/* O_LARGEFILE only where Linux sets it (open, memfd) */
	return (f->flags & ~(unsigned)(O_ACCMODE | O_PATH)) | acc;
}

bool file_is_stream(const struct file *f)
{
	return S_ISFIFO(f->inode->mode) || S_ISSOCK(f->inode->mode) ||
	       f->anon_name;
}

/* Whether reads and writes use the file's position (not pipes, ttys). */
static bool positioned(const struct file *f)
{
	return !file_is_stream(f) && !S_ISCHR(f->inode->mode);
}

long vfs_read(file_reader r, const struct iobuf *b, size_t len, uint64_t *pos)
{
	struct file *f = r.obj;
	uint64_t own;
	long n;

	if (!f->fop || !f->fop->read)
		return S_ISDIR(f->inode->mode) ? -EISDIR : -EINVAL;
	if (len > 0x7ffff000)
		len = 0x7ffff000; /* Linux's MAX_RW_COUNT */
	if (pos || !positioned(f))
		return f->fop->read(f, b, len, pos ? pos : &own);
	fr_mutex_lock(&f->pos_lock);
	own = f->pos;
	n = f->fop->read(f, b, len, &own);
	f->pos = own;
	fr_mutex_unlock(&f->pos_lock);
	return n;
}

long vfs_write(file_writer w, const struct iobuf *b, size_t len, uint64_t *pos)
{
	struct file *f = w.obj;
	uint64_t own;
	long n;

	if (!f->fop || !f->fop->write)
		return -EINVAL;
	if (len > 0x7ffff000)
		len = 0x7ffff000;
	if (pos && (f->flags & O_APPEND) && positioned(f)) {
		/* pwrite on O_APPEND appends, as Linux does; *pos unmoved */
		own = f->inode->size;
		return f->fop->write(f, b, len, &own);
	}
	if (pos || !positioned(f))
		return f->fop->write(f, b, len, pos ? pos : &own);
	fr_mutex_lock(&f->pos_lock);
	own = (f->flags & O_APPEND) ? f->inode->size : f->pos;
	n = f->fop->write(f, b, len, &own);
	f->pos = own;
	fr_mutex_unlock(&f->pos_lock);
	return n;
}

struct file *vfs_open(int dirfd, const char *path, unsigned flags,
		      uint32_t mode, int *err)
{
	unsigned lookup = 0;
	bool created = false;
	struct path p;
	struct file *f;
	size_t n = strlen(path);

	if ((flags & __O_TMPFILE) == __O_TMPFILE) {
		*err = -EOPNOTSUPP;
		return NULL;
	}
	if (!(flags & O_NOFOLLOW) || (flags & O_PATH))
		lookup |= LOOKUP_FOLLOW;
	if (flags & O_NOFOLLOW)
		lookup &= ~(unsigned)LOOKUP_FOLLOW;
	if (flags & O_DIRECTORY)
		lookup |= LOOKUP_DIRECTORY;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		lookup &= ~(unsigned)LOOKUP_FOLLOW;
	*err = vfs_lookup(dirfd, path, lookup, &p);
	if (*err)
		return NULL;
	if (!p.dentry->inode) {
		if (!(flags & O_CREAT)) {
			*err = -ENOENT;
		} else if (n && path[n - 1] == '/') {
			*err = -EISDIR;
		} else {
			/* create it in the parent, as the walk left it */
			struct dentry *d = p.dentry;
			struct inode *dir = d->parent->inode;

			fr_mutex_lock(&vfs_ns_lock);
			if (d->dead || d->inode || d->parent->dead) {
				/* a removed directory takes no new names */
				*err = !d->inode	  ? -ENOENT :
				       (flags & O_EXCL) ? -EEXIST :
							  0;
			} else if ((*err = vfs_permission(dir, MAY_WRITE |
								       MAY_EXEC))) {
			} else if (p.mnt->flags & MS_RDONLY) {
				*err = -EROFS;
			} else if (!dir->iop || !dir->iop->mknod) {
				*err = -EACCES;
			} else {
				*err = dir->iop->mknod(dir, d,
						       S_IFREG | (mode & 07777),
						       0);
				created = !*err;
			}
			fr_mutex_unlock(&vfs_ns_lock);
		}
		if (*err) {
			path_put(&p);
			return NULL;
		}
	} else if ((flags & O_CREAT) && (flags & O_EXCL)) {
		path_put(&p);
		*err = -EEXIST;
		return NULL;
	}
	struct inode *inode = p.dentry->inode;

	if ((flags & O_CREAT) && S_ISDIR(inode->mode) && !(flags & O_PATH)) {
		path_put(&p);
		*err = -EISDIR;
		return NULL;
	}
	if (S_ISLNK(inode->mode) && !(flags & O_PATH)) {
		path_put(&p);
		*err = -ELOOP; /* O_NOFOLLOW on a link */
		return NULL;
	}
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode)) {
		path_put(&p);
		*err = -ENOTDIR;
		return NULL;
	}
	/* the new file's permission bits do not apply to this open */
	f = open_path(&p, flags, !created, err);
	if (f && (flags & O_TRUNC) && !(f->mode & FMODE_PATH) &&
	    S_ISREG(inode->mode) && inode->size) {
		struct vfs_attr a = { .valid = ATTR_SIZE | ATTR_MTIME,
				      .size = 0,
				      .mtime = vfs_now() };

		*err = vfs_setattr(&p, &a);
		if (*err) {
			file_put(f);
			f = NULL;
		}
	}
	path_put(&p);
	return f;
}
