/*
 * What the VFS's own files share and file systems built into the kernel
 * use, beyond the public vfs.h: super blocks, the mount table's lookups,
 * dentry cursors, and tmpfs (the root and /dev).
 */
#ifndef KERNEL_FS_INTERNAL_H
#define KERNEL_FS_INTERNAL_H

#include "fs/vfs.h"

/*
 * sb_new - a super block of @type with a root directory (mode @root_mode),
 * whose operations the file system sets.  NULL when out of memory.
 */
struct super_block *sb_new(const struct fs_type *type, uint64_t magic,
			   uint32_t root_mode);

/* The mount on @d in @parent, or NULL.  Context: vfs_ns_lock held. */
struct mount *mount_at(struct mount *parent, struct dentry *d);
struct mount *vfs_root_mount(void);
int vfs_mount_root(const struct fs_type *type);

/* The dentry @name in directory @dir, from the cache or the file system
 * (referenced; may be negative).  Context: vfs_ns_lock held. */
int vfs_lookup_child(struct dentry *dir, const char *name, size_t len,
		     struct dentry **out);

/* The first live positive child of @dir with seq >= @seq, referenced. */
struct dentry *dentry_next_child(struct dentry *dir, uint64_t seq);
/* dentry_move - rename: @d takes the place (parent, name) of @target,
 * which leaves the tree.  Returns 0 or -ENOMEM. */
int dentry_move(struct dentry *d, struct dentry *target);
/* dentry_exchange - @a and @b swap places (RENAME_EXCHANGE). */
int dentry_exchange(struct dentry *a, struct dentry *b);
/* Whether @dir has a positive child. */
bool dentry_has_children(struct dentry *dir);

/* tmpfs, the root file system. */
extern const struct fs_type tmpfs_type;
/* tmpfs_set_data - make @inode's contents @data (@len bytes, read only,
 * not owned: the initramfs), copied at the first write or mapping. */
void tmpfs_set_data(struct inode *inode, const uint8_t *data, size_t len);
/*
 * tmpfs_data - the contents of a regular tmpfs file as one block, for
 * exec: when they are one block already (initramfs files never changed,
 * mapped or not) the block itself, else NULL.
 */
const uint8_t *tmpfs_data(struct inode *inode);

/*
 * tmpfs_anon_file - an open read-write regular file with no name in the
 * tree (memfd_create): its path is "/@name (deleted)" in an internal
 * tmpfs.  Returns the file or NULL with @err.
 */
struct file *tmpfs_anon_file(const char *name, int *err);

/* The early console at /dev/console (fs/console.c). */
int early_console_init(void);

/* The directory file operations every dcache-backed fs can use. */
int dcache_readdir(struct file *f, struct dir_context *ctx);

#endif
