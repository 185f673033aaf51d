/*
 * Inodes: allocation and reference counts, times, stat, and the
 * permission check from mode bits, uid and gid.  Also the I/O buffer
 * helpers every read and write goes through.
 */
#include <frame/heap.h>
#include <frame/mm.h>
#include <libs/string.h>
#include <linux/time.h>
#include "fs/vfs.h"
#include "process/process.h"
#include "time/clock.h"

int iobuf_put(const struct iobuf *b, size_t off, const void *src, size_t len)
{
	if (b->user)
		return fr_copy_to_user(fr_uaddr_add(b->uaddr, off), src, len) ?
			       -EFAULT :
			       0;
	memcpy(b->kbuf + off, src, len);
	return 0;
}

int iobuf_get(const struct iobuf *b, size_t off, void *dst, size_t len)
{
	if (b->user)
		return fr_copy_from_user(dst, fr_uaddr_add(b->uaddr, off),
					 len) ?
			       -EFAULT :
			       0;
	memcpy(dst, b->kbuf + off, len);
	return 0;
}

int iobuf_put_page(const struct iobuf *b, size_t off,
		   const struct fr_page *page, size_t poff, size_t len)
{
	if (b->user)
		return fr_page_copy_to_user(fr_uaddr_add(b->uaddr, off), page,
					    poff, len) ?
			       -EFAULT :
			       0;
	return fr_page_read(page, poff, b->kbuf + off, len) ? -EFAULT : 0;
}

int iobuf_get_page(const struct iobuf *b, size_t off, struct fr_page *page,
		   size_t poff, size_t len)
{
	if (b->user)
		return fr_page_copy_from_user(page, poff,
					      fr_uaddr_add(b->uaddr, off),
					      len) ?
			       -EFAULT :
			       0;
	return fr_page_write(page, poff, b->kbuf + off, len) ? -EFAULT : 0;
}

struct timespec64_vfs vfs_now(void)
{
	uint64_t ns = 0;

	if (clock_read(CLOCK_REALTIME, &ns))
		ns = 0;
	return (struct timespec64_vfs){ (int64_t)(ns / 1000000000),
					(int64_t)(ns % 1000000000) };
}

struct inode *inode_new(struct super_block *sb, uint32_t mode)
{
	struct inode *inode = FR_NEW(struct inode);
	cred_r c;

	if (!inode)
		return NULL;
	inode->ino = __atomic_add_fetch(&sb->next_ino, 1, __ATOMIC_RELAXED);
	inode->mode = mode;
	inode->nlink = 1;
	inode->refs = 1;
	inode->sb = sb;
	if (current_process()) {
		c = vfs_cred_get();
		inode->uid = cred_fsuid(c);
		inode->gid = cred_fsgid(c);
		vfs_cred_put();
	}
	inode->atime = inode->mtime = inode->ctime = inode->btime = vfs_now();
	fr_mutex_init(&inode->lock);
	return inode;
}

void inode_get(struct inode *inode)
{
	__atomic_add_fetch(&inode->refs, 1, __ATOMIC_RELAXED);
}

void inode_put(struct inode *inode)
{
	if (!inode || __atomic_sub_fetch(&inode->refs, 1, __ATOMIC_ACQ_REL))
		return;
	if (inode->iop && inode->iop->evict)
		inode->iop->evict(inode);
	fr_kfree(inode);
}

int inode_deny_write(struct inode *inode)
{
	int w = __atomic_load_n(&inode->writers, __ATOMIC_ACQUIRE);

	do {
		if (w > 0)
			return -ETXTBSY;
	} while (!__atomic_compare_exchange_n(&inode->writers, &w, w - 1, false,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	return 0;
}

void inode_allow_write(struct inode *inode)
{
	__atomic_add_fetch(&inode->writers, 1, __ATOMIC_RELEASE);
}

void inode_touch(struct inode *inode, bool mtime, bool ctime)
{
	struct timespec64_vfs now = vfs_now();

	if (mtime)
		inode->mtime = now;
	if (ctime)
		inode->ctime = now;
}

void inode_stat(struct inode *inode, struct vfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->ino = inode->ino;
	st->mode = inode->mode;
	st->nlink = inode->nlink;
	st->uid = inode->uid;
	st->gid = inode->gid;
	st->rdev = inode->rdev;
	st->dev = inode->sb ? inode->sb->dev : 0;
	st->size = inode->size;
	st->blksize = FR_PAGE_SIZE;
	st->blocks = S_ISREG(inode->mode) || S_ISDIR(inode->mode) ||
				     S_ISLNK(inode->mode) ?
			     (inode->size + FR_PAGE_SIZE - 1) / FR_PAGE_SIZE *
				     (FR_PAGE_SIZE / 512) :
			     0;
	if (S_ISDIR(inode->mode) || S_ISLNK(inode->mode))
		st->blocks = 0;
	st->atime = inode->atime;
	st->mtime = inode->mtime;
	st->ctime = inode->ctime;
	st->btime = inode->btime;
}

static struct process_attrs *caller_attrs(void)
{
	struct process *p = current_process();

	return p ? &p->attrs : NULL;
}

cred_r vfs_cred_get(void)
{
	return process_attrs_cred_lock(caller_attrs());
}

void vfs_cred_put(void)
{
	struct process_attrs *a = caller_attrs();

	if (a)
		process_attrs_cred_unlock(a);
}

bool vfs_privileged(void)
{
	bool ok = cred_privileged(vfs_cred_get());

	vfs_cred_put();
	return ok;
}

int vfs_permission(struct inode *inode, int mask)
{
	unsigned bits = inode->mode;
	int err = 0;
	cred_r c;

	if (!current_process()) /* the kernel itself (boot) */
		return 0;
	c = vfs_cred_get();
	if (cred_privileged(c)) {
		if ((mask & MAY_EXEC) && !S_ISDIR(inode->mode) &&
		    !(inode->mode & 0111))
			err = -EACCES;
	} else {
		if (cred_fsuid(c) == inode->uid)
			bits >>= 6;
		else if (cred_in_group(c, inode->gid))
			bits >>= 3;
		if ((mask & (int)bits & 7) != mask)
			err = -EACCES;
	}
	vfs_cred_put();
	return err;
}
