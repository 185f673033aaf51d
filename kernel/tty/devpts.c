/*
 * devpts: the directory of pseudo-terminal slaves.  Its names live in the
 * dentry cache, as tmpfs's do: a pty's master opening adds a pinned name
 * "N" (a character device 136:N owned by the opener, mode 0600 as
 * Linux's default), its master closing removes it.  "ptmx" (5:2, mode
 * 000 as Linux's default ptmxmode) is always there.  One instance: every
 * mount shows the same super block.
 */
#include <libs/fmt.h>
#include <libs/string.h>
#include "fs/internal.h"
#include "tty/devpts.h"
#include "tty/tty_internal.h"

#define DEVPTS_SUPER_MAGIC 0x1cd1

static struct super_block *devpts_sb;

static const struct inode_ops devpts_dir_iops = { .lookup = NULL };

static const struct file_ops devpts_dir_fops = {
	.readdir = dcache_readdir,
};

static int devpts_mount(const struct fs_type *type, const char *source,
			unsigned long flags, struct super_block **out)
{
	if (!devpts_sb)
		return -ENOMEM;
	*out = devpts_sb;
	return 0;
}

static const struct fs_type devpts_type = {
	.name = "devpts",
	.nodev = true,
	.mount = devpts_mount,
};

/* Add the name @name for a device @mode/@rdev.  vfs_ns_lock held. */
static void add_node(const char *name, uint32_t mode, uint64_t rdev)
{
	struct dentry *root = devpts_sb->root, *d;
	struct inode *inode;
	size_t len = strlen(name);

	d = dentry_lookup_cached(root, name, len);
	if (d && d->inode) { /* still there: the same number again */
		dentry_put(d);
		return;
	}
	if (!d)
		d = dentry_new(root, name, len);
	if (!d)
		return;
	inode = inode_new(devpts_sb, mode);
	if (!inode) {
		dentry_drop(d);
		dentry_put(d);
		return;
	}
	inode->rdev = rdev;
	dentry_instantiate(d, inode);
	d->pinned = true; /* the reference from here is the directory's */
}

void devpts_pty_added(unsigned index)
{
	char name[16];

	if (!devpts_sb)
		return;
	str_format(name, sizeof(name), "%u", index);
	fr_mutex_lock(&vfs_ns_lock);
	add_node(name, S_IFCHR | 0600, VFS_MKDEV(PTY_SLAVE_MAJOR, index));
	fr_mutex_unlock(&vfs_ns_lock);
}

void devpts_pty_removed(unsigned index)
{
	char name[16];
	struct dentry *d;

	if (!devpts_sb)
		return;
	str_format(name, sizeof(name), "%u", index);
	fr_mutex_lock(&vfs_ns_lock);
	d = dentry_lookup_cached(devpts_sb->root, name, strlen(name));
	if (d && d->inode && d->pinned) {
		d->inode->nlink = 0;
		d->pinned = false;
		dentry_drop(d);
		dentry_put(d); /* the directory's reference */
	}
	fr_mutex_unlock(&vfs_ns_lock);
	dentry_put(d);
}

int devpts_init(void)
{
	struct inode *root;

	devpts_sb = sb_new(&devpts_type, DEVPTS_SUPER_MAGIC, 0755);
	if (!devpts_sb)
		return -ENOMEM;
	root = devpts_sb->root->inode;
	root->iop = &devpts_dir_iops;
	root->fop = &devpts_dir_fops;
	root->uid = root->gid = 0;
	fr_mutex_lock(&vfs_ns_lock);
	add_node("ptmx", S_IFCHR, VFS_MKDEV(5, 2));
	fr_mutex_unlock(&vfs_ns_lock);
	vfs_register(&devpts_type);
	return 0;
}
