/*
 * tmpfs: a file system in memory whose names are the dentry cache itself
 * (positive dentries are pinned) and whose file contents are pages.  The
 * root file system is one, filled from the initramfs: those files keep
 * pointing at the archive's bytes until first written.
 */
#include <frame/heap.h>
#include <frame/mm.h>
#include <libs/string.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include "fs/file.h"
#include "fs/internal.h"

#define CHUNK 1024

struct tmpfs_data {
	const uint8_t *borrowed; /* the initramfs's bytes, until written */
	struct fr_page **pages;	 /* NULL entries are holes (zeros) */
	size_t npages;		 /* slots in pages */
	char *link;		 /* a symbolic link's target */
};

static const struct inode_ops tmpfs_dir_iops, tmpfs_file_iops,
	tmpfs_link_iops, tmpfs_special_iops;
static const struct file_ops tmpfs_file_fops, tmpfs_dir_fops;

static void tmpfs_evict(struct inode *inode)
{
	struct tmpfs_data *t = inode->priv.tmpfs;

	if (!t)
		return;
	for (size_t i = 0; i < t->npages; i++)
		if (t->pages[i]) {
			fr_page_put(t->pages[i]);
			__atomic_sub_fetch(&inode->sb->blocks_used, 1,
					   __ATOMIC_RELAXED);
		}
	fr_kfree(t->pages);
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

/* Copy borrowed bytes into pages before the first change. */
static int tmpfs_own(struct inode *inode, struct tmpfs_data *t)
{
	const uint8_t *src = t->borrowed;
	size_t size = inode->size, npages = (size + FR_PAGE_SIZE - 1) /
					    FR_PAGE_SIZE;

	if (!src)
		return 0;
	t->pages = FR_NEW_ARRAY(struct fr_page *, npages ? npages : 1);
	if (!t->pages)
		return -ENOSPC;
	t->npages = npages ? npages : 1;
	for (size_t i = 0; i < npages; i++) {
		size_t n = FR_MIN(size - i * FR_PAGE_SIZE, FR_PAGE_SIZE);

		t->pages[i] = fr_page_alloc(FR_PAGE_ZERO);
		if (!t->pages[i])
			return -ENOSPC; /* evict frees what was made */
		__atomic_add_fetch(&inode->sb->blocks_used, 1,
				   __ATOMIC_RELAXED);
		if (fr_page_write(t->pages[i], 0, src + i * FR_PAGE_SIZE, n))
			return -EIO;
	}
	t->borrowed = NULL;
	return 0;
}

/* Make room for @npages page slots. */
static int tmpfs_reserve(struct tmpfs_data *t, size_t npages)
{
	size_t cap = t->npages ? t->npages : 4;
	struct fr_page **pages;

	if (npages <= t->npages)
		return 0;
	while (cap < npages)
		cap *= 2;
	pages = FR_NEW_ARRAY(struct fr_page *, cap);
	if (!pages)
		return -ENOSPC;
	if (t->npages)
		memcpy(pages, t->pages, sizeof(*pages) * t->npages);
	fr_kfree(t->pages);
	t->pages = pages;
	t->npages = cap;
	return 0;
}

/* Drop the pages past @size and clear the tail of the last one. */
static void tmpfs_shrink(struct inode *inode, struct tmpfs_data *t,
			 uint64_t size)
{
	size_t keep = (size + FR_PAGE_SIZE - 1) / FR_PAGE_SIZE;

	for (size_t i = keep; i < t->npages; i++)
		if (t->pages[i]) {
			fr_page_put(t->pages[i]);
			t->pages[i] = NULL;
			__atomic_sub_fetch(&inode->sb->blocks_used, 1,
					   __ATOMIC_RELAXED);
		}
	if (size % FR_PAGE_SIZE && keep && keep <= t->npages &&
	    t->pages[keep - 1])
		(void)fr_page_fill(t->pages[keep - 1], size % FR_PAGE_SIZE, 0,
				   FR_PAGE_SIZE - size % FR_PAGE_SIZE);
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
	err = tmpfs_own(inode, t);
	if (err)
		return err;
	if (attr->size < inode->size)
		tmpfs_shrink(inode, t, attr->size);
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

		if (t->borrowed) {
			err = iobuf_put(b, done, t->borrowed + at, n);
		} else if (page < t->npages && t->pages[page]) {
			err = iobuf_put_page(b, done, t->pages[page], off, n);
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
	ret = tmpfs_own(inode, t);
	if (!ret)
		ret = tmpfs_reserve(t, (*pos + len + FR_PAGE_SIZE - 1) /
					       FR_PAGE_SIZE);
	while (!ret && done < len) {
		uint64_t at = *pos + done;
		size_t page = at / FR_PAGE_SIZE, off = at % FR_PAGE_SIZE;
		size_t n = FR_MIN(len - done, FR_PAGE_SIZE - off);

		if (!t->pages[page]) {
			t->pages[page] = fr_page_alloc(FR_PAGE_ZERO);
			if (!t->pages[page]) {
				ret = -ENOSPC;
				break;
			}
			__atomic_add_fetch(&inode->sb->blocks_used, 1,
					   __ATOMIC_RELAXED);
		}
		if (iobuf_get_page(b, done, t->pages[page], off, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
	}
	*pos += done;
	if (*pos > inode->size)
		inode->size = *pos;
	if (done)
		inode_touch(inode, true, true);
	fr_mutex_unlock(&inode->lock);
	return done ? (long)done : ret;
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
