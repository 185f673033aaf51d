/*
 * eventfd (see eventfd.h): the counter under a spinlock, one wait queue
 * for readers, writers and pollers, woken at each change as Linux does
 * (a write of 0 too).  Blocked readers and writers check the count
 * without the lock (atomic loads) while marked sleeping.
 */
#include <frame/heap.h>
#include "fs/anon_inode.h"
#include "fs/eventfd.h"
#include "fs/poll.h"
#include "fs/procfs.h"
#include "syscall/restart.h"
#include "time/timer.h"

#define EFD_MAX UINT64_MAX

struct eventfd_ctx {
	struct fr_spinlock lock;
	struct fr_waitqueue wq;
	uint64_t count; /* [lock]; read atomically outside it */
	bool semaphore;
	int id; /* fdinfo's eventfd-id */
};

/* The id of the next eventfd (atomic). */
static int next_eventfd_id;

static uint64_t count_of(struct eventfd_ctx *ctx)
{
	return __atomic_load_n(&ctx->count, __ATOMIC_ACQUIRE);
}

/* Take the count (or 1) if not 0: what a read returns, or 0. */
static uint64_t take(struct eventfd_ctx *ctx)
{
	unsigned long irq = fr_spin_lock_irqsave(&ctx->lock);
	uint64_t v = ctx->count;

	if (v && ctx->semaphore)
		v = 1;
	__atomic_store_n(&ctx->count, ctx->count - v, __ATOMIC_RELEASE);
	fr_spin_unlock_irqrestore(&ctx->lock, irq);
	return v;
}

/* Add @v if the sum stays below EFD_MAX; returns whether it did. */
static bool add(struct eventfd_ctx *ctx, uint64_t v)
{
	unsigned long irq = fr_spin_lock_irqsave(&ctx->lock);
	bool room = EFD_MAX - ctx->count > v;

	if (room)
		__atomic_store_n(&ctx->count, ctx->count + v,
				 __ATOMIC_RELEASE);
	fr_spin_unlock_irqrestore(&ctx->lock, irq);
	return room;
}

static long eventfd_read(struct file *f, const struct iobuf *b, size_t len,
			 uint64_t *pos)
{
	struct eventfd_ctx *ctx = f->priv.eventfd;
	uint64_t v;

	if (len < sizeof(v))
		return -EINVAL;
	while (!(v = take(ctx))) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (KTIME_WAIT_EVENT(&ctx->wq, count_of(ctx) != 0,
				     KTIME_NEVER))
			return -ERESTARTSYS;
	}
	fr_wake_all(&ctx->wq); /* room for writers */
	/* as Linux: the count is taken even when the copy fails */
	if (iobuf_put(b, 0, &v, sizeof(v)))
		return -EFAULT;
	return sizeof(v);
}

static long eventfd_write(struct file *f, const struct iobuf *b, size_t len,
			  uint64_t *pos)
{
	struct eventfd_ctx *ctx = f->priv.eventfd;
	uint64_t v;

	if (len < sizeof(v))
		return -EINVAL;
	if (iobuf_get(b, 0, &v, sizeof(v)))
		return -EFAULT;
	if (v == EFD_MAX)
		return -EINVAL;
	while (!add(ctx, v)) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (KTIME_WAIT_EVENT(&ctx->wq, EFD_MAX - count_of(ctx) > v,
				     KTIME_NEVER))
			return -ERESTARTSYS;
	}
	fr_wake_all(&ctx->wq);
	return sizeof(v);
}

static unsigned eventfd_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd_ctx *ctx = f->priv.eventfd;
	unsigned mask = 0;
	uint64_t count;

	poll_wait(pt, &ctx->wq);
	count = count_of(ctx); /* after the registration */
	/* as Linux: no POLLRDNORM, POLLWRNORM */
	if (count > 0)
		mask |= POLLIN;
	if (count == EFD_MAX)
		mask |= POLLERR;
	if (EFD_MAX - 1 > count)
		mask |= POLLOUT;
	return mask;
}

static void eventfd_release(struct file *f)
{
	fr_kfree(f->priv.eventfd);
}

static void eventfd_show_fdinfo(struct file *f, struct proc_text *t)
{
	struct eventfd_ctx *ctx = f->priv.eventfd;

	proc_printf(t, "eventfd-count: %16llx\neventfd-id: %d\n",
		    (unsigned long long)count_of(ctx), ctx->id);
}

static const struct file_ops eventfd_fops = {
	.release = eventfd_release,
	.show_fdinfo = eventfd_show_fdinfo,
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.llseek = anon_inode_llseek,
};

struct file *eventfd_create(unsigned count, unsigned flags)
{
	struct eventfd_ctx *ctx = FR_NEW(struct eventfd_ctx);
	struct file *f;

	if (!ctx)
		return NULL;
	ctx->lock = (struct fr_spinlock)FR_SPINLOCK_INIT;
	fr_waitqueue_init(&ctx->wq);
	ctx->count = count;
	ctx->semaphore = flags & EFD_SEMAPHORE;
	ctx->id = __atomic_fetch_add(&next_eventfd_id, 1, __ATOMIC_RELAXED);
	f = anon_inode_file("[eventfd]", &eventfd_fops, flags);
	if (!f) {
		fr_kfree(ctx);
		return NULL;
	}
	f->priv.eventfd = ctx;
	return f;
}
