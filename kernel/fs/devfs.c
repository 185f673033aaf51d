/*
 * /dev (see fs/devfs.h): the memory character devices of Linux's
 * drivers/char/mem.c and random.c, and the nodes made at boot.
 *
 *   null     reads end of file, writes are swallowed
 *   zero     reads zeros, writes are swallowed; maps anonymous memory
 *   full     reads zeros, writes fail with ENOSPC
 *   random   reads the kernel's generator (random/random.h), which never
 *   urandom  blocks (Linux 5.6+ random does not either once seeded);
 *            writes are accepted and not used
 */
#include <frame/task.h>
#include <libs/string.h>
#include <linux/fcntl.h>
#include "fs/devfs.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "process/process.h"
#include "random/random.h"

static const uint8_t zeros[FR_PAGE_SIZE];

/*
 * Between pages of a long read: give the processor up when asked, and
 * stop early for a signal (the part read so far is returned).
 */
static bool long_read_stop(size_t done)
{
	if (fr_task_need_resched())
		fr_task_yield();
	return done && current_thread() && thread_interrupted();
}

static long null_read(struct file *f, const struct iobuf *b, size_t len,
		      uint64_t *pos)
{
	return 0;
}

static long null_write(struct file *f, const struct iobuf *b, size_t len,
		       uint64_t *pos)
{
	return (long)len;
}

static long zero_read(struct file *f, const struct iobuf *b, size_t len,
		      uint64_t *pos)
{
	size_t done = 0;

	while (done < len) {
		size_t n = FR_MIN(len - done, sizeof(zeros));

		if (iobuf_put(b, done, zeros, n))
			return done ? (long)done : -EFAULT;
		done += n;
		if (done < len && long_read_stop(done))
			break;
	}
	return (long)done;
}

static long full_write(struct file *f, const struct iobuf *b, size_t len,
		       uint64_t *pos)
{
	return -ENOSPC;
}

static long random_read(struct file *f, const struct iobuf *b, size_t len,
			uint64_t *pos)
{
	uint8_t block[CHACHA20_BLOCK_SIZE];
	struct random_stream s;
	size_t done = 0;
	long ret = 0;

	random_stream_open(&s);
	while (done < len) {
		size_t n = FR_MIN(len - done, sizeof(block));

		random_stream_next(&s, block);
		if (iobuf_put(b, done, block, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
		if (done < len && !(done % FR_PAGE_SIZE) &&
		    long_read_stop(done))
			break;
	}
	random_stream_close(&s);
	memset(block, 0, sizeof(block));
	return done ? (long)done : ret;
}

static const struct file_ops null_fops = {
	.read = null_read,
	.write = null_write,
};

/* Mapping /dev/zero gives anonymous memory. */
static int zero_mmap(struct file *f, struct vm_object **out)
{
	(void)f;
	*out = NULL;
	return 0;
}

static const struct file_ops zero_fops = {
	.read = zero_read,
	.write = null_write,
	.mmap = zero_mmap,
};

static const struct file_ops full_fops = {
	.read = zero_read,
	.write = full_write,
};

static const struct file_ops random_fops = {
	.read = random_read,
	.write = null_write,
};

static const struct {
	unsigned minor;
	const struct file_ops *fop;
} mem_devices[] = {
	{ MEM_NULL_MINOR, &null_fops },
	{ MEM_ZERO_MINOR, &zero_fops },
	{ MEM_FULL_MINOR, &full_fops },
	{ MEM_RANDOM_MINOR, &random_fops },
	{ MEM_URANDOM_MINOR, &random_fops },
};

const struct file_ops *mem_fops(unsigned minor)
{
	for (size_t i = 0; i < FR_ARRAY_SIZE(mem_devices); i++)
		if (mem_devices[i].minor == minor)
			return mem_devices[i].fop;
	return NULL;
}

int devfs_init(void)
{
	for (size_t i = 0; i < FR_ARRAY_SIZE(mem_devices); i++) {
		int err = chrdev_register(MEM_MAJOR, mem_devices[i].minor, 1,
					  mem_devices[i].fop);

		if (err)
			return err;
	}
	return 0;
}

/* ---- the nodes ---- */

/* Debian's groups of the device nodes. */
#define GID_TTY 5
#define GID_DIALOUT 20

static const struct dev_node {
	const char *path;
	uint32_t mode; /* type and permission bits */
	unsigned major, minor;
	uint32_t gid;
} dev_nodes[] = {
	{ "/dev/null", S_IFCHR | 0666, MEM_MAJOR, MEM_NULL_MINOR, 0 },
	{ "/dev/zero", S_IFCHR | 0666, MEM_MAJOR, MEM_ZERO_MINOR, 0 },
	{ "/dev/full", S_IFCHR | 0666, MEM_MAJOR, MEM_FULL_MINOR, 0 },
	{ "/dev/random", S_IFCHR | 0666, MEM_MAJOR, MEM_RANDOM_MINOR, 0 },
	{ "/dev/urandom", S_IFCHR | 0666, MEM_MAJOR, MEM_URANDOM_MINOR, 0 },
	{ "/dev/tty", S_IFCHR | 0666, TTYAUX_MAJOR, 0, GID_TTY },
	{ "/dev/console", S_IFCHR | 0600, TTYAUX_MAJOR, 1, 0 },
	{ "/dev/ptmx", S_IFCHR | 0666, TTYAUX_MAJOR, 2, GID_TTY },
	{ "/dev/ttyS0", S_IFCHR | 0660, TTY_MAJOR, 64, GID_DIALOUT },
	{ "/dev/pts", S_IFDIR | 0755, 0, 0, 0 },
	{ "/dev/shm", S_IFDIR | 01777, 0, 0, 0 },
};

static const struct dev_link {
	const char *path, *target;
} dev_links[] = {
	{ "/dev/fd", "/proc/self/fd" },
	{ "/dev/stdin", "/proc/self/fd/0" },
	{ "/dev/stdout", "/proc/self/fd/1" },
	{ "/dev/stderr", "/proc/self/fd/2" },
};

/* Give @path exactly @mode's permission bits and group @gid (the umask
 * of whoever made it does not apply to /dev). */
static int set_attrs(const char *path, uint32_t mode, uint32_t gid)
{
	struct vfs_attr attr = {
		.valid = ATTR_MODE | ATTR_GID,
		.mode = mode & 07777,
		.gid = gid,
	};
	struct path p;
	int err = vfs_lookup(AT_FDCWD, path, 0, &p);

	if (err)
		return err;
	err = p.dentry->inode ? vfs_setattr(&p, &attr) : -ENOENT;
	path_put(&p);
	return err;
}

static int make_node(const struct dev_node *n)
{
	int err;

	if (S_ISDIR(n->mode))
		err = vfs_mkdir(AT_FDCWD, n->path, n->mode & 07777);
	else
		err = vfs_mknod(AT_FDCWD, n->path, n->mode,
				VFS_MKDEV(n->major, n->minor));
	if (err == -EEXIST)
		return 0;
	if (err)
		return err;
	return set_attrs(n->path, n->mode, n->gid);
}

int devfs_populate(void)
{
	int err = vfs_mkdir(AT_FDCWD, "/dev", 0755), first = 0;

	if (err && err != -EEXIST)
		return err;
	for (size_t i = 0; i < FR_ARRAY_SIZE(dev_nodes); i++) {
		err = make_node(&dev_nodes[i]);
		if (err && !first)
			first = err;
	}
	for (size_t i = 0; i < FR_ARRAY_SIZE(dev_links); i++) {
		err = vfs_symlink(dev_links[i].target, AT_FDCWD,
				  dev_links[i].path);
		if (err && err != -EEXIST && !first)
			first = err;
	}
	return first;
}
