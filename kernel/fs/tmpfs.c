/*
 * tmpfs: a file system in memory whose names are the dentry cache itself
 * (positive dentries are pinned) and whose file contents are pages, kept
 * in a memory object (vm/vm_object.h) that mmap maps too.  The root file
 * system is one, filled from the initramfs: those files keep pointing at
 * the archive's bytes until first written or mapped, and keep them as a
 * view of their unchanged contents after that (for exec) until first
 * changed.
 */
#include <frame/heap.h>
#include <frame/mm.h>
#include <libs/string.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include "fs/file.h"
#include "fs/internal.h"
#include "vm/vm_object.h"

#define CHUNK 1024

struct tmpfs_data {
	/* the initramfs's bytes, while the contents are still those (the
	 * pages, once owned, are a copy of them) */
	const uint8_t *borrowed;
	/* the pages, once owned (holes read as zeros); its size covers the
	 * file's, so that mappings beyond the end fault (SIGBUS) */
	struct vm_object *obj;
	char *link; /* a symbolic link's target */
};

static uint64_t pages_for(uint64_t size)
{
	return size / FR_PAGE_SIZE + !!(size % FR_PAGE_SIZE);
}

static const struct inode_ops tmpfs_dir_iops, tmpfs_file_iops,
	tmpfs_link_iops, tmpfs_special_iops;
static const struct file_ops tmpfs_file_fops, tmpfs_dir_fops;

static void tmpfs_evict(struct inode *inode)
{
	struct tmpfs_data *t = inode->priv.tmpfs;

	if (!t)
		return;
	vm_object_put(t->obj); /* the pages leave blocks_used */
	fr_kfree(t->link);
	fr_kfree(t);
	inode->priv.tmpfs = NULL;
}

/* A new inode of @mode in @dir's file system, with its operations. */
static struct inode *tmpfs_inode(struct super_block *sb, uint32_t mode,
				 uint64_t rdev)
{
	struct inode *inode = inode_new(sb, mode);

	if (!inode)
		return NULL;
	inode->priv.tmpfs = FR_NEW(struct tmpfs_data);
	if (!inode->priv.tmpfs) {
		inode_put(inode);
		return NULL;
	}
	inode->rdev = rdev;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		inode->iop = &tmpfs_dir_iops;
		inode->fop = &tmpfs_dir_fops;
		inode->nlink = 2;
		break;
	case S_IFREG:
		inode->iop = &tmpfs_file_iops;
		inode->fop = &tmpfs_file_fops;
		break;
	case S_IFLNK:
		inode->iop = &tmpfs_link_iops;
		break;
	default:
		inode->iop = &tmpfs_special_iops;
		break;
	}
	return inode;
}

/* Make @d a pinned name of @inode (taking the caller's reference). */
static void tmpfs_attach(struct inode *dir, struct dentry *d,
			 struct inode *inode)
{
	dentry_instantiate(d, inode);
	d->pinned = true;
	dentry_get(d);
	inode_touch(dir, true, true);
}

/* Remove the name @d (its inode loses a link). */
static void tmpfs_detach(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->inode;

	if (S_ISDIR(inode->mode)) {
		inode->nlink = 0;
		dir->nlink--;
	} else {
		inode->nlink--;
	}
	inode_touch(inode, false, true);
	inode_touch(dir, true, true);
	d->pinned = false;
	dentry_drop(d);
	dentry_put(d);
}

static int tmpfs_mknod(struct inode *dir, struct dentry *d, uint32_t mode,
		       uint64_t rdev)
{
	struct inode *inode = tmpfs_inode(dir->sb, mode, rdev);

	if (!inode)
		return -ENOSPC;
	if (dir->mode & S_ISGID)
		inode->gid = dir->gid;
	tmpfs_attach(dir, d, inode);
	return 0;
}

static int tmpfs_mkdir(struct inode *dir, struct dentry *d, uint32_t mode)
{
	struct inode *inode = tmpfs_inode(dir->sb, S_IFDIR | (mode & 07777), 0);

	if (!inode)
		return -ENOSPC;
	if (dir->mode & S_ISGID) {
		inode->gid = dir->gid;
		inode->mode |= S_ISGID;
	}
	dir->nlink++;
	tmpfs_attach(dir, d, inode);
	return 0;
}

static int tmpfs_symlink(struct inode *dir, struct dentry *d,
			 const char *target)
{
	struct inode *inode = tmpfs_inode(dir->sb, S_IFLNK | 0777, 0);
	size_t n = strlen(target);

	if (!inode)
		return -ENOSPC;
	inode->priv.tmpfs->link = FR_NEW_ARRAY(char, n + 1);
	if (!inode->priv.tmpfs->link) {
		inode_put(inode);
		return -ENOSPC;
	}
	memcpy(inode->priv.tmpfs->link, target, n);
	inode->size = n;
	tmpfs_attach(dir, d, inode);
	return 0;
}

static int tmpfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->inode;

	inode_get(inode);
	inode->nlink++;
	inode_touch(inode, false, true);
	tmpfs_attach(dir, d, inode);
	return 0;
}

static int tmpfs_unlink(struct inode *dir, struct dentry *d)
{
	tmpfs_detach(dir, d);
	return 0;
}

static int tmpfs_rename(struct inode *odir, struct dentry *od,
			struct inode *ndir, struct dentry *nd, unsigned flags)
{
	struct inode *oi = od->inode, *ni = nd->inode;

	if (flags & RENAME_EXCHANGE) {
		if (S_ISDIR(oi->mode) != S_ISDIR(ni->mode) && odir != ndir) {
			if (S_ISDIR(oi->mode)) {
				odir->nlink--;
				ndir->nlink++;
			} else {
				odir->nlink++;
				ndir->nlink--;
			}
		}
		inode_touch(oi, false, true);
		inode_touch(ni, false, true);
		inode_touch(odir, true, true);
		inode_touch(ndir, true, true);
		return dentry_exchange(od, nd);
	}
	if (ni) {
		tmpfs_detach(ndir, nd);
		/* the name stays for the moved entry below */
	}
	if (S_ISDIR(oi->mode) && odir != ndir) {
		odir->nlink--;
		ndir->nlink++;
	}
	inode_touch(oi, false, true);
	inode_touch(odir, true, true);
	inode_touch(ndir, true, true);
	return dentry_move(od, nd);
}

static int tmpfs_rmdir(struct inode *dir, struct dentry *d)
{
	tmpfs_detach(dir, d);
	return 0;
}

static int tmpfs_readlink(struct inode *inode, char *buf, size_t size)
{
	size_t n = FR_MIN((size_t)inode->size, size);

	memcpy(buf, inode->priv.tmpfs->link, n);
	return (int)n;
}

/*
 * Give @inode its pages before the first change or mapping, copying the
 * borrowed bytes (which stay a view of the contents until they change:
 * tmpfs_changing()).  Under the inode's lock.
 */
static int tmpfs_own(struct inode *inode, struct tmpfs_data *t)
{
	const uint8_t *src = t->borrowed;
	uint64_t size = inode->size;

	if (t->obj)
		return 0;
	t->obj = vm_object_new(pages_for(size), &inode->sb->blocks_used);
	if (!t->obj)
		return -ENOSPC;
	for (uint64_t i = 0; src && i < pages_for(size); i++) {
		size_t n = FR_MIN(size - i * FR_PAGE_SIZE, FR_PAGE_SIZE);
		struct fr_page *page;

		if (vm_object_page(t->obj, i, &page) ||
		    fr_page_write(page, 0, src + i * FR_PAGE_SIZE, n)) {
			vm_object_put(t->obj);
			t->obj = NULL;
			return -ENOSPC;
		}
	}
	return 0;
}

/*
 * Own the pages of @inode before a change to them (a write, a resize, a
 * mapping that may write to them): the borrowed bytes stop being its
 * contents.  Under the inode's lock.
 */
static int tmpfs_changing(struct inode *inode, struct tmpfs_data *t)
{
	int err = tmpfs_own(inode, t);

	if (!err)
		t->borrowed = NULL;
	return err;
}

/* Resize to @size: the pages past it go (unmapped from every mapping),
 * and the tail of the last one is cleared. */
static void tmpfs_resize(struct tmpfs_data *t, uint64_t old, uint64_t size)
{
	struct fr_page *page;

	if (size < old && size % FR_PAGE_SIZE) {
		page = vm_object_lookup(t->obj, size / FR_PAGE_SIZE);
		if (page)
			(void)fr_page_fill(page, size % FR_PAGE_SIZE, 0,
					   FR_PAGE_SIZE - size % FR_PAGE_SIZE);
	}
	vm_object_resize(t->obj, pages_for(size));
}

/* The largest file: Linux's MAX_LFS_FILESIZE. */
#define TMPFS_MAX_SIZE 0x7fffffffffffffffULL

static int tmpfs_setattr(struct inode *inode, const struct vfs_attr *attr)
{
	struct tmpfs_data *t = inode->priv.tmpfs;
	int err;

	if (!(attr->valid & ATTR_SIZE))
		return 0;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	if (attr->size > TMPFS_MAX_SIZE)
		return -EFBIG;
	err = tmpfs_changing(inode, t);
	if (err)
		return err;
	tmpfs_resize(t, inode->size, attr->size);
	inode->size = attr->size;
	inode_touch(inode, true, true);
	return 0;
}

static long tmpfs_read(struct file *f, const struct iobuf *b, size_t len,
		       uint64_t *pos)
{
	static const uint8_t zeros[CHUNK];
	struct inode *inode = f->inode;
	struct tmpfs_data *t = inode->priv.tmpfs;
	size_t done = 0;
	long ret = 0;

	fr_mutex_lock(&inode->lock);
	if (*pos >= inode->size)
		goto out;
	len = FR_MIN(len, (size_t)(inode->size - *pos));
	while (done < len) {
		uint64_t at = *pos + done;
		size_t page = at / FR_PAGE_SIZE, off = at % FR_PAGE_SIZE;
		size_t n = FR_MIN(len - done, FR_PAGE_SIZE - off);
		int err;

		struct fr_page *p = t->obj ? vm_object_lookup(t->obj, page) :
					     NULL;

		if (t->borrowed) {
			err = iobuf_put(b, done, t->borrowed + at, n);
		} else if (p) {
			err = iobuf_put_page(b, done, p, off, n);
		} else {
			n = FR_MIN(n, sizeof(zeros));
			err = iobuf_put(b, done, zeros, n);
		}
		if (err) {
			ret = -EFAULT;
			break;
		}
		done += n;
	}
	*pos += done;
out:
	fr_mutex_unlock(&inode->lock);
	return done ? (long)done : ret;
}

static long tmpfs_write(struct file *f, const struct iobuf *b, size_t len,
			uint64_t *pos)
{
	struct inode *inode = f->inode;
	struct tmpfs_data *t = inode->priv.tmpfs;
	size_t done = 0;
	long ret = 0;

	if (*pos > TMPFS_MAX_SIZE || len > TMPFS_MAX_SIZE - *pos)
		return -EFBIG;
	fr_mutex_lock(&inode->lock);
	ret = tmpfs_changing(inode, t);
	/* the pages to write to exist while the write lasts */
	if (!ret && *pos + len > inode->size)
		vm_object_resize(t->obj, pages_for(*pos + len));
	while (!ret && done < len) {
		uint64_t at = *pos + done;
		size_t off = at % FR_PAGE_SIZE;
		size_t n = FR_MIN(len - done, FR_PAGE_SIZE - off);
		struct fr_page *page;

		if (vm_object_page(t->obj, at / FR_PAGE_SIZE, &page)) {
			ret = -ENOSPC;
			break;
		}
		if (iobuf_get_page(b, done, page, off, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
	}
	*pos += done;
	if (*pos > inode->size)
		inode->size = *pos;
	if (t->obj && vm_object_size(t->obj) > pages_for(inode->size))
		vm_object_resize(t->obj, pages_for(inode->size));
	if (done)
		inode_touch(inode, true, true);
	fr_mutex_unlock(&inode->lock);
	return done ? (long)done : ret;
}

static int tmpfs_mmap(struct file *f, struct vm_object **out)
{
	struct inode *inode = f->inode;
	int err;

	fr_mutex_lock(&inode->lock);
	/* only a file open for writing can be mapped shared and writable */
	if (f->mode & FMODE_WRITE)
		err = tmpfs_changing(inode, inode->priv.tmpfs);
	else
		err = tmpfs_own(inode, inode->priv.tmpfs);
	*out = err ? NULL : vm_object_get(inode->priv.tmpfs->obj);
	fr_mutex_unlock(&inode->lock);
	return err ? -ENOMEM : 0;
}

void tmpfs_set_data(struct inode *inode, const uint8_t *data, size_t len)
{
	inode->priv.tmpfs->borrowed = data;
	inode->size = len;
}

const uint8_t *tmpfs_data(struct inode *inode)
{
	if (inode->iop != &tmpfs_file_iops || !inode->priv.tmpfs)
		return NULL;
	return inode->priv.tmpfs->borrowed;
}

int dcache_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->path.dentry;

	if (ctx->pos == 0) {
		if (!ctx->emit(ctx, ".", 1, dir->inode->ino, 4 /* DT_DIR */))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		struct inode *up = dir->parent->inode;

		if (!ctx->emit(ctx, "..", 2, up ? up->ino : dir->inode->ino,
			       4 /* DT_DIR */))
			return 0;
		ctx->pos = 2;
	}
	for (;;) {
		struct dentry *d = dentry_next_child(dir, ctx->pos - 2);
		bool taken;

		if (!d)
			return 0;
		taken = ctx->emit(ctx, d->name, d->len, d->inode->ino,
				  (d->inode->mode >> 12) & 15);
		if (taken)
			ctx->pos = d->seq + 3;
		dentry_put(d);
		if (!taken)
			return 0;
	}
}

static int tmpfs_mount(const struct fs_type *type, const char *source,
		       unsigned long flags, struct super_block **out)
{
	struct super_block *sb = sb_new(type, TMPFS_MAGIC, 01777);

	(void)source;
	(void)flags;
	if (!sb)
		return -ENOMEM;
	struct inode *root = sb->root->inode;

	root->iop = &tmpfs_dir_iops;
	root->fop = &tmpfs_dir_fops;
	root->priv.tmpfs = FR_NEW(struct tmpfs_data);
	root->uid = root->gid = 0;
	*out = sb;
	return 0;
}

const struct fs_type tmpfs_type = {
	.name = "tmpfs",
	.nodev = true,
	.mount = tmpfs_mount,
};

static const struct inode_ops tmpfs_dir_iops = {
	.mknod = tmpfs_mknod,
	.mkdir = tmpfs_mkdir,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.evict = tmpfs_evict,
};

static const struct inode_ops tmpfs_file_iops = {
	.setattr = tmpfs_setattr,
	.evict = tmpfs_evict,
};

static const struct inode_ops tmpfs_link_iops = {
	.readlink = tmpfs_readlink,
	.evict = tmpfs_evict,
};

static const struct inode_ops tmpfs_special_iops = {
	.evict = tmpfs_evict,
};

static const struct file_ops tmpfs_file_fops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.mmap = tmpfs_mmap,
};

static const struct file_ops tmpfs_dir_fops = {
	.readdir = dcache_readdir,
};

static struct super_block *anon_sb;
static struct mount anon_mount;

struct file *tmpfs_anon_file(const char *name, int *err)
{
	struct inode *inode;
	struct dentry *d;
	struct file *f;

	if (!anon_sb) {
		*err = tmpfs_mount(&tmpfs_type, "anon", 0, &anon_sb);
		if (*err)
			return NULL;
		anon_mount.sb = anon_sb;
		anon_mount.root = anon_sb->root;
		anon_mount.parent = &anon_mount;
		anon_mount.mountpoint = anon_sb->root;
		anon_mount.refs = 1;
	}
	*err = -ENOMEM;
	d = dentry_new(anon_sb->root, name, strlen(name));
	if (!d)
		return NULL;
	inode = tmpfs_inode(anon_sb, S_IFREG | 0777, 0);
	if (!inode) {
		dentry_drop(d);
		dentry_put(d);
		return NULL;
	}
	inode->nlink = 0;
	dentry_instantiate(d, inode);
	dentry_drop(d); /* never in the tree: "(deleted)" */
	f = file_new(inode, inode->fop, FMODE_READ | FMODE_WRITE, O_RDWR);
	if (!f) {
		dentry_put(d);
		return NULL;
	}
	f->path = (struct path){ &anon_mount, d };
	__atomic_add_fetch(&anon_mount.refs, 1, __ATOMIC_RELAXED);
	*err = 0;
	return f;
}
