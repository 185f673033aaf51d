/*
 * Pipes and FIFOs (see pipe.h).  The ring's pages are made when a slot
 * is first used and kept until the pipe goes or shrinks.  Readers sleep
 * on rd_wait, writers on wr_wait;
 * their conditions read head, tail and the end counts atomically, without
 * the pipe's mutex, so that they may be tested while marked sleeping.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include <linux/magic.h>
#include <asm-generic/ioctls.h>
#include <asm-generic/signal.h>
#include <asm-generic/siginfo.h>
#include "fs/internal.h"
#include "fs/pipe.h"
#include "fs/poll.h"
#include "process/process.h"
#include "syscall/restart.h"
#include "time/timer.h"

static unsigned max_size = 1048576; /* atomic: pipe-max-size */

#define RD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define WR(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

/* ---- pipefs: the super block of anonymous pipes' inodes ---- */

static int pipefs_mount(const struct fs_type *type, const char *source,
			unsigned long flags, struct super_block **out)
{
	return -EINVAL; /* internal: cannot be mounted */
}

static const struct fs_type pipefs_type = {
	.name = "pipefs",
	.nodev = true,
	.mount = pipefs_mount,
};

static struct super_block *pipefs_sb; /* atomic: made at the first pipe */

/* The pipefs super block (its own anonymous device number for st_dev). */
static struct super_block *pipefs(void)
{
	struct super_block *sb = __atomic_load_n(&pipefs_sb, __ATOMIC_ACQUIRE);
	struct super_block *none = NULL;

	if (sb)
		return sb;
	sb = sb_new(&pipefs_type, PIPEFS_MAGIC, 0700);
	if (!sb)
		return NULL;
	sb->mounts = 1; /* never unmounted */
	if (!__atomic_compare_exchange_n(&pipefs_sb, &none, sb, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		/* another thread made it first: ours goes */
		dentry_put(sb->root);
		fr_kfree(sb);
		sb = none;
	}
	return sb;
}

/* ---- the ring ---- */

static size_t pipe_capacity(const struct pipe *p)
{
	return p->npages * PIPE_PAGE;
}

/* A free slot: room for a write. */
static bool pipe_has_room(struct pipe *p)
{
	return RD(p->head) - RD(p->tail) < RD(p->npages);
}

/* The conditions a sleeping reader and writer wait for. */
static bool pipe_readable(struct pipe *p)
{
	return RD(p->head) != RD(p->tail) || !RD(p->writers);
}

static bool pipe_writable(struct pipe *p)
{
	return pipe_has_room(p) || !RD(p->readers);
}

static struct pipe_buffer *slot(struct pipe *p, uint64_t i)
{
	return &p->bufs[i & (p->npages - 1)];
}

/* Bytes in the pipe.  [lock] */
static size_t pipe_bytes(struct pipe *p)
{
	size_t n = 0;

	for (uint64_t i = p->tail; i != p->head; i++)
		n += slot(p, i)->len;
	return n;
}

static void free_bufs(struct pipe_buffer *bufs, size_t n)
{
	if (!bufs)
		return;
	for (size_t i = 0; i < n; i++)
		fr_kfree(bufs[i].page);
	fr_kfree(bufs);
}

static struct pipe *pipe_alloc(void)
{
	struct pipe *p = FR_NEW(struct pipe);
	unsigned max = pipe_max_size();

	if (!p)
		return NULL;
	p->npages = PIPE_DEF_PAGES;
	/* as Linux: without privilege, no bigger than pipe-max-size */
	if (PIPE_DEF_PAGES * PIPE_PAGE > max && current_process() &&
	    !vfs_privileged())
		p->npages = max / PIPE_PAGE;
	p->bufs = FR_NEW_ARRAY(struct pipe_buffer, p->npages);
	if (!p->bufs) {
		fr_kfree(p);
		return NULL;
	}
	fr_mutex_init(&p->lock);
	fr_waitqueue_init(&p->rd_wait);
	fr_waitqueue_init(&p->wr_wait);
	return p;
}

static void pipe_free(struct pipe *p)
{
	free_bufs(p->bufs, p->npages);
	fr_kfree(p);
}

static void pipe_wake(struct pipe *p)
{
	fr_wake_all(&p->rd_wait);
	fr_wake_all(&p->wr_wait);
}

struct pipe *pipe_of(struct file *f)
{
	if (!f || (f->fop != &pipe_fops && f->fop != &fifo_fops))
		return NULL;
	return f->priv.pipe;
}

/* ---- reading and writing ---- */

/* Copy out of the ring from the oldest buffer on.  [lock] */
static long pipe_take(struct pipe *p, const struct iobuf *b, size_t len)
{
	size_t done = 0;

	while (p->head != p->tail && done < len) {
		struct pipe_buffer *buf = slot(p, p->tail);
		size_t n = buf->len < len - done ? buf->len : len - done;

		if (iobuf_put(b, done, &buf->page[buf->offset], n))
			return done ? (long)done : -EFAULT;
		done += n;
		buf->offset += (uint16_t)n;
		buf->len -= (uint16_t)n;
		if (buf->packet)
			buf->len = 0; /* one packet a read; its rest is lost */
		if (!buf->len)
			WR(p->tail, p->tail + 1);
		if (buf->packet)
			break;
	}
	return (long)done;
}

static long pipe_read(struct file *f, const struct iobuf *b, size_t len,
		      uint64_t *pos)
{
	struct pipe *p = f->priv.pipe;
	long ret;

	if (!len)
		return 0;
	fr_mutex_lock(&p->lock);
	for (;;) {
		if (p->head != p->tail) {
			ret = pipe_take(p, b, len);
			fr_mutex_unlock(&p->lock);
			fr_wake_all(&p->wr_wait);
			return ret;
		}
		if (!RD(p->writers)) {
			fr_mutex_unlock(&p->lock);
			return 0;
		}
		fr_mutex_unlock(&p->lock);
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (KTIME_WAIT_EVENT(&p->rd_wait, pipe_readable(p),
				     KTIME_NEVER))
			return -ERESTARTSYS;
		fr_mutex_lock(&p->lock);
	}
}

/* No reader: SIGPIPE to the calling thread (from itself, SI_USER, as
 * Linux's send_sig), and -EPIPE. */
static long broken_pipe(void)
{
	struct thread *t = current_thread();
	struct k_siginfo info = {
		.signo = SIGPIPE,
		.code = SI_USER,
		.kind = SI_KIND_KILL,
	};

	if (!t)
		return -EPIPE;
	info.pid = t->proc->pid;
	info.uid = cred_uid(vfs_cred_get());
	vfs_cred_put();
	signal_send(t->proc, t, &info, false);
	return -EPIPE;
}

/*
 * Append the first len % PIPE_PAGE bytes of a write to the last buffer
 * when they fit in its page, as Linux does; returns the bytes taken
 * (0 when they do not fit) or -EFAULT.  [lock]
 */
static long pipe_merge(struct pipe *p, const struct iobuf *b, size_t len,
		       bool packet)
{
	size_t chars = len % PIPE_PAGE;
	struct pipe_buffer *buf;

	if (!chars || packet || p->head == p->tail)
		return 0;
	buf = slot(p, p->head - 1);
	if (!buf->can_merge || buf->offset + buf->len + chars > PIPE_PAGE)
		return 0;
	if (iobuf_get(b, 0, &buf->page[buf->offset + buf->len], chars))
		return -EFAULT;
	buf->len += (uint16_t)chars;
	return (long)chars;
}

static long pipe_write(struct file *f, const struct iobuf *b, size_t len,
		       uint64_t *pos)
{
	struct pipe *p = f->priv.pipe;
	bool packet = f->flags & O_DIRECT;
	long err = 0;
	size_t done;

	if (!len)
		return 0;
	fr_mutex_lock(&p->lock);
	if (!RD(p->readers)) {
		fr_mutex_unlock(&p->lock);
		return broken_pipe();
	}
	err = pipe_merge(p, b, len, packet);
	if (err < 0) {
		fr_mutex_unlock(&p->lock);
		return err;
	}
	done = (size_t)err;
	err = 0;
	if (done)
		fr_wake_all(&p->rd_wait);
	/* then a page at a time: up to PIPE_BUF bytes go in one page, whole */
	while (done < len) {
		struct pipe_buffer *buf;
		size_t n = len - done < PIPE_PAGE ? len - done : PIPE_PAGE;

		if (!RD(p->readers)) {
			fr_mutex_unlock(&p->lock);
			err = broken_pipe();
			return done ? (long)done : err;
		}
		if (!pipe_has_room(p)) {
			fr_mutex_unlock(&p->lock);
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			if (KTIME_WAIT_EVENT(&p->wr_wait, pipe_writable(p),
					     KTIME_NEVER))
				return done ? (long)done : -ERESTARTSYS;
			fr_mutex_lock(&p->lock);
			continue;
		}
		buf = slot(p, p->head);
		if (!buf->page) {
			buf->page = FR_NEW_ARRAY(uint8_t, PIPE_PAGE);
			if (!buf->page) {
				err = -ENOMEM;
				break;
			}
		}
		if (iobuf_get(b, done, buf->page, n)) {
			err = -EFAULT;
			break;
		}
		buf->offset = 0;
		buf->len = (uint16_t)n;
		buf->packet = packet;
		buf->can_merge = !packet;
		WR(p->head, p->head + 1);
		done += n;
		fr_wake_all(&p->rd_wait);
	}
	fr_mutex_unlock(&p->lock);
	if (done)
		inode_touch(f->inode, true, true);
	return done ? (long)done : err;
}

static long pipe_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct pipe *p = f->priv.pipe;
	int n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	fr_mutex_lock(&p->lock);
	n = (int)pipe_bytes(p);
	fr_mutex_unlock(&p->lock);
	return FR_PUT_USER(n, fr_uaddr(arg)) ? -EFAULT : 0;
}

static unsigned pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->priv.pipe;
	unsigned mask = 0;

	if (f->mode & FMODE_READ)
		poll_wait(pt, &p->rd_wait);
	if (f->mode & FMODE_WRITE)
		poll_wait(pt, &p->wr_wait);
	/* after the registration: a change from now on wakes us */
	if (f->mode & FMODE_READ) {
		if (RD(p->head) != RD(p->tail))
			mask |= POLLIN | POLLRDNORM;
		/* a FIFO reader sees a hang-up once a writer came and went */
		if (!RD(p->writers) && f->pipe_version != RD(p->w_counter))
			mask |= POLLHUP;
	}
	if (f->mode & FMODE_WRITE) {
		if (pipe_has_room(p))
			mask |= POLLOUT | POLLWRNORM;
		if (!RD(p->readers))
			mask |= POLLERR;
	}
	return mask;
}

/* One user less of @p (a file of @inode); the last one frees it. */
static void pipe_put(struct inode *inode, struct pipe *p)
{
	bool last;

	fr_mutex_lock(&inode->lock);
	last = --p->users == 0;
	if (last && inode->priv.pipe == p)
		inode->priv.pipe = NULL;
	fr_mutex_unlock(&inode->lock);
	if (last)
		pipe_free(p);
}

/* Detach @f from its pipe: one end less, and one user. */
static void pipe_detach(struct file *f)
{
	struct pipe *p = f->priv.pipe;

	if (!p)
		return;
	fr_mutex_lock(&p->lock);
	if (f->mode & FMODE_READ)
		WR(p->readers, p->readers - 1);
	if (f->mode & FMODE_WRITE)
		WR(p->writers, p->writers - 1);
	fr_mutex_unlock(&p->lock);
	pipe_wake(p);
	f->priv.pipe = NULL;
	pipe_put(f->inode, p);
}

static void pipe_release(struct file *f)
{
	pipe_detach(f);
}

const struct file_ops pipe_fops = {
	.release = pipe_release,
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
};

/* ---- anonymous pipes ---- */

int pipe_create(unsigned flags, struct file **rd, struct file **wr)
{
	struct super_block *sb = pipefs();
	struct pipe *p = sb ? pipe_alloc() : NULL;
	unsigned st = flags & (O_NONBLOCK | O_DIRECT);
	struct inode *inode;

	if (!p)
		return -ENOMEM;
	/* owned by the caller's fs uid and gid, as Linux's */
	inode = inode_new(sb, S_IFIFO | S_IRUSR | S_IWUSR);
	if (!inode) {
		pipe_free(p);
		return -ENOMEM;
	}
	inode->priv.pipe = p;
	p->r_counter = p->w_counter = 1;
	*rd = file_new(inode, &pipe_fops, FMODE_READ, O_RDONLY | st);
	if (*rd) {
		(*rd)->priv.pipe = p;
		p->users++;
		p->readers++;
	}
	*wr = file_new(inode, &pipe_fops, FMODE_WRITE, O_WRONLY | st);
	if (*wr) {
		(*wr)->priv.pipe = p;
		(*wr)->pipe_writer = true;
		p->users++;
		p->writers++;
	}
	inode_put(inode); /* the files hold it */
	if (*rd && *wr)
		return 0;
	if (*rd)
		file_put(*rd); /* the last user: frees the pipe */
	else if (*wr)
		file_put(*wr);
	else
		pipe_free(p);
	*rd = *wr = NULL;
	return -ENOMEM;
}

/* ---- FIFOs ---- */

/* Sleep until *@counter moves from @seen (the other side opened). */
static int wait_for_partner(struct pipe *p, unsigned *counter, unsigned seen)
{
	if (KTIME_WAIT_EVENT(&p->rd_wait, RD(*counter) != seen, KTIME_NEVER))
		return -ERESTARTSYS;
	return 0;
}

static int fifo_open(struct inode *inode, struct file *f)
{
	bool nonblock = f->flags & O_NONBLOCK;
	struct pipe *p;
	int err = 0;

	fr_mutex_lock(&inode->lock);
	p = inode->priv.pipe;
	if (!p) {
		p = pipe_alloc();
		if (!p) {
			fr_mutex_unlock(&inode->lock);
			return -ENOMEM;
		}
		inode->priv.pipe = p;
	}
	p->users++;
	fr_mutex_unlock(&inode->lock);
	f->priv.pipe = p;
	f->pipe_writer = f->mode & FMODE_WRITE;

	fr_mutex_lock(&p->lock);
	if ((f->mode & FMODE_WRITE) && !(f->mode & FMODE_READ) && nonblock &&
	    !RD(p->readers)) {
		/* no reader to write to: not even opened */
		fr_mutex_unlock(&p->lock);
		f->priv.pipe = NULL;
		pipe_put(inode, p);
		return -ENXIO;
	}
	if (f->mode & FMODE_READ) {
		WR(p->readers, p->readers + 1);
		WR(p->r_counter, p->r_counter + 1);
	}
	if (f->mode & FMODE_WRITE) {
		WR(p->writers, p->writers + 1);
		WR(p->w_counter, p->w_counter + 1);
	}
	fr_mutex_unlock(&p->lock);
	pipe_wake(p); /* openers waiting for us */

	if ((f->mode & (FMODE_READ | FMODE_WRITE)) == FMODE_READ &&
	    !RD(p->writers)) {
		unsigned seen = RD(p->w_counter);

		if (nonblock)
			f->pipe_version = seen; /* no hang-up before a writer */
		else
			err = wait_for_partner(p, &p->w_counter, seen);
	} else if ((f->mode & (FMODE_READ | FMODE_WRITE)) == FMODE_WRITE &&
		   !RD(p->readers)) {
		err = wait_for_partner(p, &p->r_counter, RD(p->r_counter));
	}
	if (err)
		pipe_detach(f);
	return err;
}

const struct file_ops fifo_fops = {
	.open = fifo_open,
	.release = pipe_release,
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
};

/* ---- F_GETPIPE_SZ / F_SETPIPE_SZ ---- */

/* Move the buffers in use to a ring of @npages slots.  [lock] */
static int pipe_resize(struct pipe *p, size_t npages)
{
	struct pipe_buffer *bufs;

	if (npages == p->npages)
		return 0;
	if (p->head - p->tail > npages)
		return -EBUSY;
	bufs = FR_NEW_ARRAY(struct pipe_buffer, npages);
	if (!bufs)
		return -ENOMEM;
	for (uint64_t i = p->tail; i != p->head; i++) {
		struct pipe_buffer *old = slot(p, i);

		bufs[i & (npages - 1)] = *old;
		old->page = NULL;
	}
	free_bufs(p->bufs, p->npages); /* the pages not in use */
	p->bufs = bufs;
	WR(p->npages, npages);
	return 0;
}

/* Bytes of a capacity of @size as Linux's round_pipe_size(): a
 * power-of-two number of pages, at least one; 0 above 2 GiB. */
static uint64_t round_size(uint64_t size)
{
	uint64_t bytes = PIPE_PAGE;

	if (size > (1ULL << 31))
		return 0;
	while (bytes < size)
		bytes <<= 1;
	return bytes;
}

unsigned pipe_max_size(void)
{
	return __atomic_load_n(&max_size, __ATOMIC_RELAXED);
}

int pipe_set_max_size(uint64_t size)
{
	uint64_t bytes = round_size(size);

	if (!bytes)
		return -EINVAL;
	__atomic_store_n(&max_size, (unsigned)bytes, __ATOMIC_RELAXED);
	return 0;
}

long pipe_fcntl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct pipe *p = pipe_of(f);
	uint64_t bytes;
	size_t npages;
	long ret;

	if (!p)
		return -EBADF;
	if (cmd == F_GETPIPE_SZ) {
		fr_mutex_lock(&p->lock);
		ret = (long)pipe_capacity(p);
		fr_mutex_unlock(&p->lock);
		return ret;
	}
	if (cmd != F_SETPIPE_SZ)
		return -EINVAL;
	bytes = round_size(arg);
	if (!bytes)
		return -EINVAL;
	npages = bytes / PIPE_PAGE;
	fr_mutex_lock(&p->lock);
	if (npages > p->npages && bytes > pipe_max_size()) {
		if (!vfs_privileged()) {
			fr_mutex_unlock(&p->lock);
			return -EPERM;
		}
	}
	ret = pipe_resize(p, npages);
	if (!ret)
		ret = (long)pipe_capacity(p);
	fr_mutex_unlock(&p->lock);
	pipe_wake(p); /* more room, or a different POLLOUT */
	return ret;
}
