/*
 * File system types, super blocks and the mount table, character device
 * registration, and mount(2)/umount2(2) behind the system calls.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include <linux/mount.h>
#include "fs/file.h"
#include "fs/internal.h"
#include "fs/vfs.h"

#define MAX_FS_TYPES 16
#define MAX_CHRDEVS 32

static const struct fs_type *fs_types[MAX_FS_TYPES];
static struct mount *mount_list; /* in mount order; guarded by vfs_ns_lock */
static uint64_t next_anon_dev = 1;

static struct chrdev {
	unsigned major, minor, count;
	const struct file_ops *fop;
} chrdevs[MAX_CHRDEVS];

void vfs_register(const struct fs_type *type)
{
	for (size_t i = 0; i < MAX_FS_TYPES; i++)
		if (!fs_types[i] || fs_types[i] == type) {
			fs_types[i] = type;
			return;
		}
}

const struct fs_type *vfs_fs_type(const char *name)
{
	for (size_t i = 0; i < MAX_FS_TYPES && fs_types[i]; i++)
		if (!strcmp(fs_types[i]->name, name))
			return fs_types[i];
	return NULL;
}

const struct fs_type *vfs_fs_type_at(size_t i)
{
	return i < MAX_FS_TYPES ? fs_types[i] : NULL;
}

struct mount *vfs_mounts(void)
{
	return mount_list;
}

int chrdev_register(unsigned major, unsigned minor, unsigned count,
		    const struct file_ops *fop)
{
	for (size_t i = 0; i < MAX_CHRDEVS; i++)
		if (!chrdevs[i].fop) {
			chrdevs[i] = (struct chrdev){ major, minor, count, fop };
			return 0;
		}
	return -ENOSPC;
}

const struct file_ops *chrdev_fops(uint64_t rdev)
{
	unsigned major = VFS_MAJOR(rdev), minor = VFS_MINOR(rdev);

	for (size_t i = 0; i < MAX_CHRDEVS && chrdevs[i].fop; i++)
		if (chrdevs[i].major == major && minor >= chrdevs[i].minor &&
		    minor - chrdevs[i].minor < chrdevs[i].count)
			return chrdevs[i].fop;
	return NULL;
}

/*
 * sb_new - a super block for @type with a root directory inode of @mode;
 * the file system sets the root's operations.  Returns NULL when out of
 * memory.
 */
struct super_block *sb_new(const struct fs_type *type, uint64_t magic,
			   uint32_t root_mode)
{
	struct super_block *sb = FR_NEW(struct super_block);
	struct inode *inode;

	if (!sb)
		return NULL;
	sb->type = type;
	sb->magic = magic;
	sb->dev = VFS_MKDEV(0, __atomic_fetch_add(&next_anon_dev, 1,
						  __ATOMIC_RELAXED));
	sb->root = dentry_new(NULL, "/", 1);
	inode = sb->root ? inode_new(sb, S_IFDIR | root_mode) : NULL;
	if (!inode) {
		dentry_put(sb->root);
		fr_kfree(sb);
		return NULL;
	}
	inode->nlink = 2;
	sb->root->sb = sb;
	dentry_instantiate(sb->root, inode);
	return sb;
}

static char *str_dup(const char *s)
{
	size_t n = strlen(s);
	char *c = FR_NEW_ARRAY(char, n + 1);

	if (c)
		memcpy(c, s, n);
	return c;
}

/* The id of the next mount (atomic). */
static int next_mount_id = 1;

/* Graft @sb at @at (NULL: the first, root mount). */
static struct mount *mount_add(struct super_block *sb, const struct path *at,
			       const char *source, unsigned long flags)
{
	struct mount *m = FR_NEW(struct mount);
	struct mount **link = &mount_list;

	if (!m)
		return NULL;
	m->id = __atomic_fetch_add(&next_mount_id, 1, __ATOMIC_RELAXED);
	m->source = str_dup(source);
	if (!m->source) {
		fr_kfree(m);
		return NULL;
	}
	m->sb = sb;
	m->root = dentry_get(sb->root);
	m->flags = flags;
	if (at) {
		m->parent = at->mnt;
		m->mountpoint = dentry_get(at->dentry);
		at->dentry->mounted = true;
	} else {
		m->parent = m;
		m->mountpoint = dentry_get(sb->root);
	}
	sb->mounts++;
	while (*link)
		link = &(*link)->next;
	*link = m;
	return m;
}

/*
 * mount_at - the mount on @d in @parent (the last one mounted), or NULL.
 * Context: vfs_ns_lock held.
 */
struct mount *mount_at(struct mount *parent, struct dentry *d)
{
	struct mount *found = NULL;

	if (!d->mounted)
		return NULL;
	for (struct mount *m = mount_list; m; m = m->next)
		if (m->parent == parent && m->mountpoint == d && m != parent)
			found = m;
	return found;
}

static struct mount *root_mount;

struct mount *vfs_root_mount(void)
{
	return root_mount;
}

/* vfs_mount_root - mount @type as the root of the tree. */
int vfs_mount_root(const struct fs_type *type)
{
	struct super_block *sb;
	int err = type->mount(type, "rootfs", 0, &sb);

	if (err)
		return err;
	root_mount = mount_add(sb, NULL, "rootfs", 0);
	return root_mount ? 0 : -ENOMEM;
}

/* umount2 flags (not in the UAPI headers). */
#define MNT_FORCE 1
#define MNT_DETACH 2
#define MNT_EXPIRE 4
#define UMOUNT_NOFOLLOW 8

int vfs_mount(const char *source, const char *target, const char *type,
	      unsigned long flags)
{
	const struct fs_type *fst;
	struct super_block *sb;
	struct path at;
	int err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	err = vfs_lookup(AT_FDCWD, target, LOOKUP_FOLLOW, &at);
	if (err)
		return err;
	if (!at.dentry->inode) {
		path_put(&at);
		return -ENOENT;
	}
	if (flags & (MS_REMOUNT | MS_PRIVATE | MS_SLAVE | MS_SHARED |
		     MS_UNBINDABLE)) {
		/* propagation types and remounts: accepted, nothing moves */
		if ((flags & MS_REMOUNT) && at.dentry != at.mnt->root)
			err = -EINVAL;
		else if (flags & MS_REMOUNT)
			at.mnt->flags = (at.mnt->flags & ~(unsigned long)MS_RDONLY) |
					(flags & MS_RDONLY);
		path_put(&at);
		return err;
	}
	if (flags & (MS_BIND | MS_MOVE)) {
		path_put(&at);
		return -EINVAL; /* not yet */
	}
	fst = type ? vfs_fs_type(type) : NULL;
	if (!fst) {
		path_put(&at);
		return -ENODEV;
	}
	if (!S_ISDIR(at.dentry->inode->mode)) {
		path_put(&at);
		return -ENOTDIR;
	}
	err = fst->mount(fst, source ? source : "none", flags, &sb);
	if (!err) {
		fr_mutex_lock(&vfs_ns_lock);
		if (!mount_add(sb, &at, source ? source : "none",
			       flags & (MS_RDONLY | MS_NOSUID | MS_NODEV |
					MS_NOEXEC | MS_NOATIME)))
			err = -ENOMEM;
		fr_mutex_unlock(&vfs_ns_lock);
	}
	path_put(&at);
	return err;
}

int vfs_umount(const char *target, int flags)
{
	struct path at;
	struct mount *m;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	err = vfs_lookup(AT_FDCWD, target,
			 flags & UMOUNT_NOFOLLOW ? 0 : LOOKUP_FOLLOW, &at);
	if (err)
		return err;
	if (!at.dentry->inode) {
		path_put(&at);
		return -ENOENT;
	}
	m = at.mnt;
	if (at.dentry != m->root || m == root_mount) {
		path_put(&at);
		return -EINVAL;
	}
	fr_mutex_lock(&vfs_ns_lock);
	/* busy: used beyond the walk's reference, or something mounted below */
	for (struct mount *c = mount_list; c; c = c->next)
		if (c->parent == m && c != m)
			err = -EBUSY;
	if (!(flags & MNT_DETACH) && __atomic_load_n(&m->refs, __ATOMIC_ACQUIRE) > 1)
		err = -EBUSY;
	if (!err) {
		struct mount **link = &mount_list;

		while (*link != m)
			link = &(*link)->next;
		*link = m->next;
		if (!mount_at(m->parent, m->mountpoint))
			m->mountpoint->mounted = false;
		/* the mount itself stays allocated while paths in it live;
		 * it is no longer reachable from the tree */
		m->sb->mounts--;
	}
	fr_mutex_unlock(&vfs_ns_lock);
	path_put(&at);
	return err;
}
