/*
 * The virtual file system: inodes (the objects: files, directories, links,
 * devices, FIFOs), dentries (their names, cached as a tree), super blocks
 * (one per mounted file system) and mounts (where a file system's root is
 * grafted into the tree).  File systems fill in the inode and file
 * operations; the VFS walks paths, checks permissions and keeps the
 * dentry cache.  Open files and the fd table are in fs/file.h.
 *
 * Locking: the name space (dentries, mounts, directory contents) is guarded
 * by vfs_ns_lock; an inode's data and size by its own mutex.  Reference
 * counts are atomic.
 */
#ifndef KERNEL_FS_VFS_H
#define KERNEL_FS_VFS_H

#include <frame/sync.h>
#include <frame/types.h>
#include <frame/user.h>
#include <linux/stat.h>
#include <linux/fcntl.h>
#include <asm-generic/errno.h>
#include "security/cred.h"

struct inode;
struct dentry;
struct file;
struct super_block;
struct mount;
struct poll_table;
struct dir_context;
struct vm_object;
struct proc_text;

/* Linux's limits. */
#define VFS_PATH_MAX 4096
#define VFS_NAME_MAX 255
#define VFS_MAXSYMLINKS 40

/* Access wanted, for vfs_permission(). */
#define MAY_EXEC 1
#define MAY_WRITE 2
#define MAY_READ 4

/* Where a read or write goes: user memory or a kernel buffer. */
struct iobuf {
	bool user;
	fr_uaddr_t uaddr; /* when user */
	uint8_t *kbuf;	  /* when not user: the buffer */
};

static inline struct iobuf iobuf_user(fr_uaddr_t a)
{
	return (struct iobuf){ .user = true, .uaddr = a };
}

static inline struct iobuf iobuf_kernel(uint8_t *buf)
{
	return (struct iobuf){ .user = false, .kbuf = buf };
}

/*
 * iobuf_put - copy @len bytes from @src to @b at offset @off (a read's
 * destination).  Returns 0 or -EFAULT.
 */
int iobuf_put(const struct iobuf *b, size_t off, const void *src, size_t len);

/*
 * iobuf_get - copy @len bytes at offset @off of @b (a write's source) to
 * @dst.  Returns 0 or -EFAULT.
 */
int iobuf_get(const struct iobuf *b, size_t off, void *dst, size_t len);

struct fr_page;

/*
 * iobuf_put_page / iobuf_get_page - iobuf_put/iobuf_get with a page as the
 * other side (@poff in it), without a bounce buffer for user memory.
 */
int iobuf_put_page(const struct iobuf *b, size_t off,
		   const struct fr_page *page, size_t poff, size_t len);
int iobuf_get_page(const struct iobuf *b, size_t off, struct fr_page *page,
		   size_t poff, size_t len);

/* What stat(2) and statx(2) report; the VFS fills the device numbers. */
struct vfs_stat {
	uint64_t ino;
	uint32_t mode;
	uint32_t nlink;
	uint32_t uid, gid;
	uint64_t rdev;
	uint64_t dev;
	uint64_t size;
	uint64_t blocks; /* in 512-byte units */
	uint32_t blksize;
	struct timespec64_vfs {
		int64_t sec;
		int64_t nsec;
	} atime, mtime, ctime, btime;
};

/* Attribute changes for setattr: which fields (ATTR_*) and their values. */
#define ATTR_MODE 1
#define ATTR_UID 2
#define ATTR_GID 4
#define ATTR_SIZE 8
#define ATTR_ATIME 16
#define ATTR_MTIME 32
#define ATTR_CTIME 64

struct vfs_attr {
	unsigned valid;
	uint32_t mode; /* permission bits only */
	uint32_t uid, gid;
	uint64_t size;
	struct timespec64_vfs atime, mtime, ctime;
};

/*
 * Operations on an inode.  A missing operation means the file system does
 * not support it (the VFS answers -EPERM, -ENOTDIR or -EINVAL as Linux
 * does).  Directory operations are called with vfs_ns_lock held; @d is the
 * dentry of the name (negative for the creating calls).
 */
struct inode_ops {
	/* Fill @d (a name in @dir) with its inode, or leave it negative:
	 * returns 0 either way, or an error. */
	int (*lookup)(struct inode *dir, struct dentry *d);
	/* A regular file, FIFO, socket or device node (@mode has the type). */
	int (*mknod)(struct inode *dir, struct dentry *d, uint32_t mode,
		     uint64_t rdev);
	int (*mkdir)(struct inode *dir, struct dentry *d, uint32_t mode);
	int (*symlink)(struct inode *dir, struct dentry *d, const char *target);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *d);
	int (*unlink)(struct inode *dir, struct dentry *d);
	int (*rmdir)(struct inode *dir, struct dentry *d);
	/* Move @od to @nd (which may be positive: replaced); RENAME_* flags
	 * already checked by the VFS but passed for RENAME_EXCHANGE. */
	int (*rename)(struct inode *odir, struct dentry *od, struct inode *ndir,
		      struct dentry *nd, unsigned flags);
	/* The target of a symbolic link into @buf (@size bytes, no NUL):
	 * returns its length, or an error. */
	int (*readlink)(struct inode *inode, char *buf, size_t size);
	/* Change attributes (ATTR_SIZE truncates); permission already
	 * checked.  NULL: the VFS changes the inode's fields itself. */
	int (*setattr)(struct inode *inode, const struct vfs_attr *attr);
	/* The inode for a "magic" link such as /proc/self/cwd: fills @out
	 * with a referenced path.  NULL for ordinary links. */
	int (*get_link_path)(struct inode *inode, struct dentry *d,
			     struct mount **mnt_out, struct dentry **d_out);
	/* Free what the inode owns, at its last reference. */
	void (*evict)(struct inode *inode);
};

/*
 * Operations on an open file.  Missing read/write give -EINVAL, a missing
 * ioctl -ENOTTY, a missing poll "always ready".  @pos is the file
 * position to use and advance (the VFS keeps it in the file).
 */
struct file_ops {
	int (*open)(struct inode *inode, struct file *f);
	void (*release)(struct file *f);
	long (*read)(struct file *f, const struct iobuf *b, size_t len,
		     uint64_t *pos);
	long (*write)(struct file *f, const struct iobuf *b, size_t len,
		      uint64_t *pos);
	long (*ioctl)(struct file *f, unsigned cmd, uint64_t arg);
	/* Ready events (POLLIN...); registers the waitqueues with @pt. */
	unsigned (*poll)(struct file *f, struct poll_table *pt);
	/* Emit directory entries from ctx->pos on. */
	int (*readdir)(struct file *f, struct dir_context *ctx);
	/* SEEK_* on a file whose size is not the inode's (directories,
	 * /proc files); NULL: the generic seek. */
	int64_t (*llseek)(struct file *f, int64_t off, int whence);
	/* The pages that mmap maps (vm/vm_object.h), referenced, or NULL
	 * for anonymous memory (/dev/zero); returns 0 or an error.  NULL:
	 * the file cannot be mapped (-ENODEV). */
	int (*mmap)(struct file *f, struct vm_object **out);
	/* The lines this kind of file adds to /proc/PID/fdinfo/FD. */
	void (*show_fdinfo)(struct file *f, struct proc_text *t);
};

/*
 * One directory walk: readdir calls emit for each entry from pos on;
 * emit returns false when the caller's buffer is full (the entry is then
 * not consumed).  pos is the file system's cookie of the next entry.
 */
struct dir_context {
	bool (*emit)(struct dir_context *ctx, const char *name, size_t len,
		     uint64_t ino, unsigned type);
	uint64_t pos;
	/* the caller's state */
	struct iobuf buf;
	size_t size, used;
	int error;
};

/* Per-file-system private data, typed (safe C has no void pointers). */
struct tmpfs_data;
struct proc_entry;
struct pipe;
struct tty;

/* An object in a file system.  Fields other than refs are guarded by
 * lock, but the ones a lookup sets once. */
struct inode {
	uint64_t ino;
	uint32_t mode; /* S_IF* and permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint64_t rdev; /* device nodes: Linux's encoding (major << 8 | minor) */
	uint64_t size;
	struct timespec64_vfs atime, mtime, ctime, btime;
	int refs;	/* atomic */
	int writers;	/* open for writing; -1 when executing (ETXTBSY) */
	struct file_lock *locks; /* advisory locks (fs/locks.c) */
	struct super_block *sb;
	const struct inode_ops *iop;
	const struct file_ops *fop;
	struct fr_mutex lock;
	struct {
		union { /* the file system's or the object's */
			struct tmpfs_data *tmpfs;
			const struct proc_entry *proc;
			struct tty *tty;
		};
		/* a FIFO's pipe, made at first open: beside the file
		 * system's own data (a FIFO in tmpfs has both) */
		struct pipe *pipe;
	} priv;
	int priv_pid; /* procfs: the process the inode is about */
	int priv_num; /* procfs: the fd of a PID/fd link */
};

/* A name in a directory.  Guarded by vfs_ns_lock. */
struct dentry {
	char *name; /* NUL-terminated, owned */
	size_t len;
	struct dentry *parent; /* itself for a file system's root */
	struct inode *inode;   /* NULL: negative (a cached "no such name") */
	struct dentry *children;   /* first child */
	struct dentry *last_child; /* and the last */
	struct dentry *next, *prev; /* siblings, in creation order */
	struct dentry *hash_next;   /* in the dcache's hash bucket */
	uint32_t hash;		    /* of the parent and the name */
	int refs;		 /* atomic; children and users hold one */
	bool pinned;	/* kept while positive (tmpfs: the dcache is the fs) */
	bool mounted;	/* a mount is on it */
	bool dead;	/* removed from the tree */
	uint64_t seq;	/* creation order: the readdir cookie */
	struct super_block *sb;
};

/* A file system type, for mount(2) and /proc/filesystems. */
struct fs_type {
	const char *name;
	bool nodev; /* listed as "nodev" (no backing device) */
	/* Make a super block with its root dentry. */
	int (*mount)(const struct fs_type *type, const char *source,
		     unsigned long flags, struct super_block **out);
	void (*kill)(struct super_block *sb); /* after the last unmount */
};

struct super_block {
	const struct fs_type *type;
	uint64_t dev;	       /* st_dev: anonymous device number */
	uint64_t magic;	       /* f_type of statfs */
	struct dentry *root;
	uint64_t next_ino;
	unsigned long flags;   /* MS_RDONLY... */
	int mounts;	       /* mounts of this super block */
	uint64_t blocks_used;  /* pages in use, for statfs */
};

/* A file system grafted into the tree at a dentry of its parent mount. */
struct mount {
	struct super_block *sb;
	struct dentry *root;	   /* the super block's root */
	struct mount *parent;	   /* itself for the root mount */
	struct dentry *mountpoint; /* in parent */
	char *source;		   /* for /proc/mounts */
	unsigned long flags;	   /* MS_RDONLY, MS_NOSUID... */
	struct mount *next;	   /* all mounts, in mount order */
	int refs;		   /* atomic */
	int id;			   /* unique, as /proc/PID/fdinfo's mnt_id */
};

/* A place in the tree: a mount and a dentry in it (referenced). */
struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

extern struct fr_mutex vfs_ns_lock;

/* vfs_init - mount the root tmpfs and fill it from the initramfs;
 * returns 0, or an error (a corrupt initramfs: -EINVAL, with a log line
 * naming the bad entry; what was read before it stays). */
int vfs_init(const uint8_t *initrd, size_t len);

/* vfs_register - make a file system type known to mount(2). */
void vfs_register(const struct fs_type *type);
const struct fs_type *vfs_fs_type(const char *name);
const struct fs_type *vfs_fs_type_at(size_t i); /* NULL past the end */

/*
 * Character devices: chrdev_register makes @count minors from @minor of
 * @major open with @fop (whose open finds its per-minor state from
 * inode->rdev); opening a device node without a driver gives -ENXIO.
 */
int chrdev_register(unsigned major, unsigned minor, unsigned count,
		    const struct file_ops *fop);
const struct file_ops *chrdev_fops(uint64_t rdev);
/* Device numbers in Linux's user encoding (what stat reports). */
#define VFS_MKDEV(major, minor)                                                \
	(((uint64_t)(minor)&0xff) | ((uint64_t)(major) << 8) |                 \
	 (((uint64_t)(minor) & ~0xffULL) << 12))
#define VFS_MAJOR(dev) ((unsigned)((dev) >> 8) & 0xfff)
#define VFS_MINOR(dev) ((unsigned)((dev)&0xff) | (unsigned)(((dev) >> 12) & 0xfff00))

/* The first mount (walk with ->next), for /proc/mounts; under the lock. */
struct mount *vfs_mounts(void);

/* Inodes: allocate for @sb with @mode (ino numbered by the sb). */
struct inode *inode_new(struct super_block *sb, uint32_t mode);
void inode_get(struct inode *inode);
void inode_put(struct inode *inode);
void inode_touch(struct inode *inode, bool mtime, bool ctime);
/*
 * inode_deny_write / inode_allow_write - a running program's file: while
 * denied (inode->writers < 0) opening it for writing gives -ETXTBSY.
 * Deny returns -ETXTBSY when it is open for writing already.
 */
int inode_deny_write(struct inode *inode);
void inode_allow_write(struct inode *inode);
void inode_stat(struct inode *inode, struct vfs_stat *st);

/* Dentries. */
struct dentry *dentry_new(struct dentry *parent, const char *name,
			  size_t len);
struct dentry *dentry_get(struct dentry *d);
void dentry_put(struct dentry *d);
/* Make @d positive with @inode (whose reference it takes). */
void dentry_instantiate(struct dentry *d, struct inode *inode);
/* The child @name of @parent in the cache (referenced), or NULL. */
struct dentry *dentry_lookup_cached(struct dentry *parent, const char *name,
				    size_t len);
/* Unhook @d from its parent (after unlink/rmdir). */
void dentry_drop(struct dentry *d);

void path_get(const struct path *p);
void path_put(struct path *p);

/* The current time for inode times (CLOCK_REALTIME). */
struct timespec64_vfs vfs_now(void);

/* The calling process's credential (read only until vfs_cred_put);
 * only in a process (current_process() not NULL). */
cred_r vfs_cred_get(void);
void vfs_cred_put(void);
/* Whether the calling process is privileged (root); not in the kernel
 * itself. */
bool vfs_privileged(void);

/*
 * vfs_permission - may the caller access @inode with @mask (MAY_*)?
 * Root may read and write anything, and execute what has an x bit or is a
 * directory.  Returns 0 or -EACCES.
 */
int vfs_permission(struct inode *inode, int mask);

/* Lookup flags for the path walk. */
#define LOOKUP_FOLLOW 1	   /* follow a symbolic link in the last component */
#define LOOKUP_DIRECTORY 2 /* the result must be a directory */
#define LOOKUP_EMPTY 4	   /* an empty path names the start (AT_EMPTY_PATH) */
#define LOOKUP_PARENT 8	   /* stop at the parent of the last component */

/*
 * vfs_lookup - resolve @path (a kernel string) from @dirfd (a directory
 * fd or AT_FDCWD) as Linux does: "." and "..", ".." stops at the root and
 * crosses mounts, symbolic links (VFS_MAXSYMLINKS, then -ELOOP), trailing
 * slashes (the result must be a directory).  Returns 0 with a referenced
 * @out (which may be negative: check out->dentry->inode), or -ENOENT,
 * -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EACCES (no search permission), -EBADF.
 * Context: takes vfs_ns_lock.
 */
int vfs_lookup(int dirfd, const char *path, unsigned flags, struct path *out);

/* The last component of a path, for the calls that create or remove. */
enum last_type { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };
struct last_name {
	char name[VFS_NAME_MAX + 1];
	size_t len;
	enum last_type type;
	bool trailing_slash; /* "name/" */
};

/*
 * vfs_lookup_parent - the directory that would hold @path's last
 * component (not followed if a link), and that component in @last.
 * Returns 0 with a referenced @parent, or vfs_lookup's errors.
 */
int vfs_lookup_parent(int dirfd, const char *path, unsigned flags,
		      struct path *parent, struct last_name *last);

/* The path of @p from the caller's root, into @buf of @size (for
 * getcwd and /proc links).  Returns the length without the NUL, or
 * -ENAMETOOLONG. */
int vfs_path_name(const struct path *p, char *buf, size_t size);
/* Whether @p is at or below the caller's root (not after a chroot that
 * left it outside: getcwd then says "(unreachable)"). */
bool vfs_path_reachable(const struct path *p);

/* Name-space operations behind the system calls, with Linux's errors. */
int vfs_mknod(int dirfd, const char *path, uint32_t mode, uint64_t rdev);
int vfs_mkdir(int dirfd, const char *path, uint32_t mode);
int vfs_rmdir(int dirfd, const char *path);
int vfs_unlink(int dirfd, const char *path);
int vfs_symlink(const char *target, int dirfd, const char *path);
int vfs_link(int olddirfd, const char *oldpath, int newdirfd,
	     const char *newpath, unsigned flags);
int vfs_rename(int olddirfd, const char *oldpath, int newdirfd,
	       const char *newpath, unsigned flags);
int vfs_readlink(int dirfd, const char *path, char *buf, size_t size);
int vfs_stat_path(int dirfd, const char *path, unsigned lookup_flags,
		  struct vfs_stat *st);
int vfs_setattr(struct path *p, const struct vfs_attr *attr);
int vfs_mount(const char *source, const char *target, const char *type,
	      unsigned long flags);
int vfs_umount(const char *target, int flags);

#endif
