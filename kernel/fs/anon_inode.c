/*
 * Anonymous inodes (see anon_inode.h): one inode, made at the first use,
 * owned by root like Linux's (made at boot), shared by every such file.
 */
#include <frame/heap.h>
#include <linux/fcntl.h>
#include <linux/magic.h>
#include "fs/anon_inode.h"
#include "fs/internal.h"

static int anon_mount(const struct fs_type *type, const char *source,
		      unsigned long flags, struct super_block **out)
{
	return -EINVAL; /* internal: cannot be mounted */
}

static const struct fs_type anon_inode_type = {
	.name = "anon_inodefs",
	.nodev = true,
	.mount = anon_mount,
};

static struct inode *anon_inode; /* atomic: made at the first use */

/* The shared inode, or NULL when out of memory. */
static struct inode *anon_inode_get(void)
{
	struct inode *inode = __atomic_load_n(&anon_inode, __ATOMIC_ACQUIRE);
	struct inode *none = NULL;
	struct super_block *sb;

	if (inode)
		return inode;
	sb = sb_new(&anon_inode_type, ANON_INODE_FS_MAGIC, 0700);
	if (!sb)
		return NULL;
	sb->mounts = 1; /* never unmounted */
	inode = inode_new(sb, S_IRUSR | S_IWUSR);
	if (!inode) {
		dentry_put(sb->root);
		fr_kfree(sb);
		return NULL;
	}
	inode->uid = inode->gid = 0;
	if (!__atomic_compare_exchange_n(&anon_inode, &none, inode, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		/* another thread made it first: ours goes */
		inode_put(inode);
		dentry_put(sb->root);
		fr_kfree(sb);
		inode = none;
	}
	return inode;
}

int64_t anon_inode_llseek(struct file *f, int64_t off, int whence)
{
	return 0;
}

struct file *anon_inode_file(const char *name, const struct file_ops *fop,
			     unsigned flags)
{
	struct inode *inode = anon_inode_get();
	struct file *f;

	if (!inode)
		return NULL;
	f = file_new(inode, fop, FMODE_READ | FMODE_WRITE,
		     O_RDWR | (flags & O_NONBLOCK));
	if (f)
		f->anon_name = name;
	return f;
}
