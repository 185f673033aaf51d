/*
 * procfs, the file system: the "proc" type, its inodes, the lookups and
 * listings of its directories (fixed entries from tables, then numbered
 * ones: processes, threads, fds), links, and the files whose text is
 * generated at open into the open file.  See fs/procfs.h.
 *
 * Nothing is cached beyond what the dentry cache keeps while a name is in
 * use: a lookup asks the process list each time, and an inode of a
 * process that has ended answers -ENOENT or -ESRCH.
 */
#include <frame/heap.h>
#include <libs/fmt.h>
#include <libs/string.h>
#include <linux/magic.h>
#include "fs/file.h"
#include "fs/internal.h"
#include "fs/procfs.h"

/* DT_* of a mode, as getdents reports it. */
#define MODE_DT(mode) (((mode) >> 12) & 15)

/* Inode numbers of the numbered entries: the number, and what it is. */
#define INO_PID_DIR 1
#define INO_TID_DIR 2
#define INO_FD_LINK 3
#define INO_FDINFO 4
#define PROC_INO(num, kind)                                                    \
	(((uint64_t)(uint32_t)(num) << 32) | ((uint64_t)(kind) << 24))
/* A fixed entry's: from its directory's and its index. */
#define CHILD_INO(dir_ino, idx) ((dir_ino)*64 + (idx) + 1)

/* ---- generated text ---- */

void proc_text_init(struct proc_text *t)
{
	memset(t, 0, sizeof(*t));
}

void proc_text_free(struct proc_text *t)
{
	fr_kfree(t->buf);
	proc_text_init(t);
}

/* Room for @need more bytes and a NUL. */
static bool text_room(struct proc_text *t, size_t need)
{
	size_t cap = t->cap ? t->cap : 256;
	char *buf;

	if (t->error)
		return false;
	if (t->len + need < t->cap)
		return true;
	if (need > PROC_TEXT_MAX || t->len + need >= PROC_TEXT_MAX) {
		t->error = -ENOMEM;
		return false;
	}
	while (cap <= t->len + need)
		cap *= 2;
	buf = FR_NEW_ARRAY(char, cap);
	if (!buf) {
		t->error = -ENOMEM;
		return false;
	}
	if (t->len)
		memcpy(buf, t->buf, t->len);
	fr_kfree(t->buf);
	t->buf = buf;
	t->cap = cap;
	return true;
}

void proc_write(struct proc_text *t, const char *s, size_t n)
{
	if (!text_room(t, n))
		return;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void proc_puts(struct proc_text *t, const char *s)
{
	proc_write(t, s, strlen(s));
}

void proc_printf(struct proc_text *t, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!text_room(t, 0))
		return;
	va_start(ap, fmt);
	n = str_vformat(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (t->len + n < t->cap) {
		t->len += n;
		return;
	}
	if (!text_room(t, n))
		return;
	va_start(ap, fmt);
	str_vformat(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += n;
}

int proc_parse_long(const char *s, size_t len, int64_t *out)
{
	size_t i = 0, end = len;
	unsigned base = 10;
	uint64_t v = 0;
	bool neg = false;

	while (i < end && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
		i++;
	while (end > i && (s[end - 1] == ' ' ||
			   (s[end - 1] >= '\t' && s[end - 1] <= '\r') ||
			   s[end - 1] == '\0'))
		end--;
	if (i < end && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (end - i > 1 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		base = 16;
		i += 2;
	} else if (end - i > 1 && s[i] == '0') {
		base = 8;
	}
	if (i == end)
		return -EINVAL;
	for (; i < end; i++) {
		unsigned d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned)(s[i] - 'a' + 10);
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned)(s[i] - 'A' + 10);
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > ((uint64_t)INT64_MAX + 1 - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!neg && v > (uint64_t)INT64_MAX)
		return -ERANGE;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int proc_parse_int(const char *s, size_t len, int *out)
{
	int64_t v;
	int err = proc_parse_long(s, len, &v);

	if (!err && (v > INT32_MAX || v < INT32_MIN))
		err = -ERANGE;
	if (!err)
		*out = (int)v;
	return err;
}

int proc_link_text(const char *s, char *buf, size_t size)
{
	size_t n = FR_MIN(strlen(s), size);

	memcpy(buf, s, n);
	return (int)n;
}

void proc_pad(struct proc_text *t, size_t line_start, size_t col)
{
	size_t at = t->len - line_start;

	if (at < col)
		proc_printf(t, "%*s", (int)(col - at), "");
}

/* ---- inodes ---- */

static const struct inode_ops proc_dir_iops;
static const struct file_ops proc_dir_fops;
static const struct inode_ops proc_link_iops;
static const struct inode_ops proc_magic_iops;
static const struct file_ops proc_file_fops;

/* The directories that are not in a table. */
static const struct proc_entry proc_root_dir = {
	.name = "/",
	.mode = S_IFDIR | 0555,
	.numbered = PROC_NUM_PIDS,
};
static const struct proc_entry proc_pid_dir = {
	.name = "PID",
	.mode = S_IFDIR | 0555,
	.numbered = PROC_NUM_NONE,
};
static const struct proc_entry proc_tid_dir = {
	.name = "TID",
	.mode = S_IFDIR | 0555,
	.numbered = PROC_NUM_NONE,
};
static const struct proc_entry proc_fd_link = {
	.name = "FD",
	.mode = S_IFLNK | 0700,
	.readlink = proc_fd_readlink,
	.magic = PROC_MAGIC_FD,
};

static const struct proc_entry proc_fdinfo_file = {
	.name = "FDINFO",
	.mode = S_IFREG | 0400,
	.show_num = proc_fd_show_info,
};

/* The fixed entries of @e's directory (the tables are in other files). */
static const struct proc_entry *dir_children(const struct proc_entry *e,
					     size_t *n)
{
	if (e == &proc_root_dir) {
		*n = proc_root_nentries;
		return proc_root_entries;
	}
	if (e == &proc_pid_dir) {
		*n = proc_pid_nentries;
		return proc_pid_entries;
	}
	if (e == &proc_tid_dir) {
		*n = proc_pid_nentries - 1; /* not "task" */
		return proc_pid_entries;
	}
	*n = e->nchildren;
	return e->children;
}

/*
 * A new inode for entry @e of process @pid (0: system-wide) with @mode,
 * owned by the process's owner as Linux makes them.
 */
static struct inode *proc_inode(struct super_block *sb,
				const struct proc_entry *e, uint32_t mode,
				int pid, int num, uint64_t ino)
{
	struct inode *inode = inode_new(sb, mode);
	uint32_t uid = 0, gid = 0;

	if (!inode)
		return NULL;
	if (pid && !proc_pid_alive(pid, &uid, &gid)) {
		inode_put(inode);
		return NULL;
	}
	inode->ino = ino;
	inode->uid = uid;
	inode->gid = gid;
	inode->priv.proc = e;
	inode->priv_pid = pid;
	inode->priv_num = num;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		inode->iop = &proc_dir_iops;
		inode->fop = &proc_dir_fops;
		inode->nlink = 2;
		break;
	case S_IFLNK:
		inode->iop = e->magic ? &proc_magic_iops : &proc_link_iops;
		if (e == &proc_fd_link)
			inode->size = 64; /* what Linux's fd links say */
		break;
	default:
		inode->fop = &proc_file_fops;
		break;
	}
	return inode;
}

/* A decimal name as Linux's name_to_int takes it, or -1. */
static int name_to_num(const char *name, size_t len)
{
	unsigned n = 0;

	if (!len || len > 9 || (name[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		n = n * 10 + (unsigned)(name[i] - '0');
	}
	return (int)n;
}

/* Whether the process a directory is about has gone. */
static bool dir_dead(const struct inode *dir)
{
	return dir->priv_pid && !proc_pid_alive(dir->priv_pid, NULL, NULL);
}

static int proc_lookup(struct inode *dir, struct dentry *d)
{
	const struct proc_entry *e = dir->priv.proc, *kids;
	int pid = dir->priv_pid, num;
	struct inode *inode = NULL;
	size_t n;

	/* a name procfs does not have is ENOENT, not a negative entry, so
	 * creating one gives ENOENT as on Linux */
	if (dir_dead(dir))
		return -ENOENT;
	kids = dir_children(e, &n);
	for (size_t i = 0; i < n; i++)
		if (strlen(kids[i].name) == d->len &&
		    !memcmp(kids[i].name, d->name, d->len)) {
			inode = proc_inode(dir->sb, &kids[i], kids[i].mode,
					   pid, 0, CHILD_INO(dir->ino, i));
			if (!inode)
				return pid ? 0 : -ENOMEM;
			dentry_instantiate(d, inode);
			return 0;
		}
	num = name_to_num(d->name, d->len);
	if (num < 0)
		return -ENOENT;
	switch (e->numbered) {
	case PROC_NUM_PIDS:
		if (num > 0)
			inode = proc_inode(dir->sb, &proc_pid_dir,
					   proc_pid_dir.mode, num, 0,
					   PROC_INO(num, INO_PID_DIR));
		break;
	case PROC_NUM_TASKS:
		if (proc_task_of(pid, num))
			inode = proc_inode(dir->sb, &proc_tid_dir,
					   proc_tid_dir.mode, num, 0,
					   PROC_INO(num, INO_TID_DIR));
		break;
	case PROC_NUM_FDS: {
		uint32_t mode = proc_fd_mode(pid, num);

		if (mode)
			inode = proc_inode(dir->sb, &proc_fd_link, mode, pid,
					   num, PROC_INO(pid, INO_FD_LINK) + 1 +
							(uint64_t)num);
		break;
	}
	case PROC_NUM_FDINFO:
		if (proc_fd_mode(pid, num))
			inode = proc_inode(dir->sb, &proc_fdinfo_file,
					   proc_fdinfo_file.mode, pid, num,
					   PROC_INO(pid, INO_FDINFO) + 1 +
						   (uint64_t)num);
		break;
	case PROC_NUM_NONE:
		break;
	}
	if (!inode)
		return -ENOENT;
	dentry_instantiate(d, inode);
	return 0;
}

/* Emit entry @name at cookie ctx->pos and move to @next. */
static bool emit(struct dir_context *ctx, const char *name, uint64_t ino,
		 uint32_t mode, uint64_t next)
{
	if (!ctx->emit(ctx, name, strlen(name), ino, MODE_DT(mode)))
		return false;
	ctx->pos = next;
	return true;
}

/* Up to this many numbered entries are taken from the kernel at a time. */
#define LIST_BATCH 32

static int proc_readdir(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->inode;
	const struct proc_entry *e = dir->priv.proc, *kids;
	int pid = dir->priv_pid;
	uint64_t parent_ino = dir->ino;
	size_t n;

	if (dir_dead(dir))
		return 0;
	kids = dir_children(e, &n);
	if (f->path.dentry && f->path.dentry->parent->inode)
		parent_ino = f->path.dentry->parent->inode->ino;
	if (ctx->pos == 0 && !emit(ctx, ".", dir->ino, S_IFDIR, 1))
		return 0;
	if (ctx->pos == 1 && !emit(ctx, "..", parent_ino, S_IFDIR, 2))
		return 0;
	while (ctx->pos < 2 + n) {
		size_t i = ctx->pos - 2;

		if (!emit(ctx, kids[i].name, CHILD_INO(dir->ino, i),
			  kids[i].mode, ctx->pos + 1))
			return 0;
	}
	if (e->numbered == PROC_NUM_NONE)
		return 0;
	for (;;) {
		int nums[LIST_BATCH];
		uint64_t from = ctx->pos - 2 - n;
		size_t got;

		if (from > INT32_MAX)
			return 0;
		switch (e->numbered) {
		case PROC_NUM_PIDS:
			got = proc_pid_list((int)from, nums, LIST_BATCH);
			break;
		case PROC_NUM_TASKS:
			got = proc_task_list(pid, (int)from, nums, LIST_BATCH);
			break;
		default:
			got = proc_fd_list(pid, (int)from, nums, LIST_BATCH);
			break;
		}
		if (!got)
			return 0;
		for (size_t i = 0; i < got; i++) {
			char name[12];
			uint64_t ino;
			uint32_t mode;

			str_format(name, sizeof(name), "%d", nums[i]);
			if (e->numbered == PROC_NUM_FDS) {
				ino = PROC_INO(pid, INO_FD_LINK) + 1 +
				      (uint64_t)nums[i];
				mode = S_IFLNK;
			} else if (e->numbered == PROC_NUM_FDINFO) {
				ino = PROC_INO(pid, INO_FDINFO) + 1 +
				      (uint64_t)nums[i];
				mode = S_IFREG;
			} else {
				ino = PROC_INO(nums[i],
					       e->numbered == PROC_NUM_PIDS ?
						       INO_PID_DIR :
						       INO_TID_DIR);
				mode = S_IFDIR;
			}
			if (!emit(ctx, name, ino, mode,
				  2 + n + (uint64_t)nums[i] + 1))
				return 0;
		}
	}
}

static int proc_readlink(struct inode *inode, char *buf, size_t size)
{
	const struct proc_entry *e = inode->priv.proc;

	if (!e->readlink)
		return -EINVAL;
	return e->readlink(inode->priv_pid, inode->priv_num, buf, size);
}

static int proc_get_link_path(struct inode *inode, struct dentry *d,
			      struct mount **mnt_out, struct dentry **d_out)
{
	const struct proc_entry *e = inode->priv.proc;
	struct path p = { NULL, NULL };
	int err = proc_magic_path(e->magic, inode->priv_pid, inode->priv_num,
				  &p);

	if (err)
		return err;
	*mnt_out = p.mnt;
	*d_out = p.dentry;
	return 0;
}

static const struct inode_ops proc_dir_iops = {
	.lookup = proc_lookup,
};

static const struct file_ops proc_dir_fops = {
	.readdir = proc_readdir,
};

static const struct inode_ops proc_link_iops = {
	.readlink = proc_readlink,
};

static const struct inode_ops proc_magic_iops = {
	.readlink = proc_readlink,
	.get_link_path = proc_get_link_path,
};

/* ---- generated files ---- */

/* Whether @f was opened in a thread's directory, task/TID. */
static bool in_thread_dir(const struct file *f)
{
	const struct dentry *d = f->path.dentry;

	return d && d->parent && d->parent->inode &&
	       d->parent->inode->priv.proc == &proc_tid_dir;
}

static int proc_file_open(struct inode *inode, struct file *f)
{
	const struct proc_entry *e = inode->priv.proc;
	struct proc_text t;
	int err;

	if (!e->show && !e->show_num && !e->num_get)
		return -EINVAL;
	proc_text_init(&t);
	err = 0;
	if (e->num_get)
		proc_printf(&t, "%lld\n", (long long)e->num_get());
	else if (e->show_num)
		err = e->show_num(&t, inode->priv_pid, inode->priv_num);
	else if (e->show_thread && in_thread_dir(f))
		err = e->show_thread(&t, inode->priv_pid);
	else
		err = e->show(&t, inode->priv_pid);
	if (!err)
		err = t.error;
	if (err) {
		proc_text_free(&t);
		return err;
	}
	f->priv.seq = (uint8_t *)t.buf;
	f->seq_len = t.len;
	return 0;
}

static void proc_file_release(struct file *f)
{
	fr_kfree(f->priv.seq);
	f->priv.seq = NULL;
	f->seq_len = 0;
}

static long proc_file_read(struct file *f, const struct iobuf *b, size_t len,
			   uint64_t *pos)
{
	size_t n;

	if (*pos >= f->seq_len)
		return 0;
	n = FR_MIN(len, f->seq_len - (size_t)*pos);
	if (iobuf_put(b, 0, f->priv.seq + *pos, n))
		return -EFAULT;
	*pos += n;
	return (long)n;
}

/*
 * A write to a writable file: one whole write at offset 0, of which the
 * entry's store takes the first PROC_STORE_MAX bytes; -EINVAL for a file
 * that takes none or at another offset.
 */
static long proc_file_write(struct file *f, const struct iobuf *b,
			    size_t len, uint64_t *pos)
{
	const struct proc_entry *e = f->inode->priv.proc;
	char buf[PROC_STORE_MAX];
	size_t n = FR_MIN(len, sizeof(buf));
	int64_t v;
	int err;

	if ((!e->store && !e->num_set) || *pos)
		return -EINVAL;
	if (iobuf_get(b, 0, buf, n))
		return -EFAULT;
	if (e->num_set)
		err = proc_parse_long(buf, n, &v) ? -EINVAL : e->num_set(v);
	else
		err = e->store(f->inode->priv_pid, buf, n);
	return err ? err : (long)len;
}

static const struct file_ops proc_file_fops = {
	.open = proc_file_open,
	.release = proc_file_release,
	.read = proc_file_read,
	.write = proc_file_write,
};

/* ---- the file system type ---- */

static const struct fs_type proc_fs_type;

static int proc_mount(const struct fs_type *type, const char *source,
		      unsigned long flags, struct super_block **out)
{
	struct super_block *sb = sb_new(type, PROC_SUPER_MAGIC, 0555);
	struct inode *root;

	if (!sb)
		return -ENOMEM;
	root = sb->root->inode;
	root->iop = &proc_dir_iops;
	root->fop = &proc_dir_fops;
	root->priv.proc = &proc_root_dir;
	root->uid = root->gid = 0;
	root->ino = 1;
	sb->next_ino = 1u << 20; /* below the numbered entries' */
	*out = sb;
	return 0;
}

static void proc_kill(struct super_block *sb)
{
	dentry_put(sb->root);
	fr_kfree(sb);
}

static const struct fs_type proc_fs_type = {
	.name = "proc",
	.nodev = true,
	.mount = proc_mount,
	.kill = proc_kill,
};

int procfs_init(void)
{
	vfs_register(&proc_fs_type);
	return 0;
}
