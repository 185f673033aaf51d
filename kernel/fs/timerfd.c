/*
 * timerfd (see timerfd.h) on a ktimer.  The state is under a spinlock
 * that the timer's callback (IRQ context) takes too: the next expiry on
 * the monotonic clock (0: disarmed), the interval, the expirations not
 * read yet, and whether a periodic timer expired and waits to be moved
 * on.  The callback counts an expiry only when the clock has reached it:
 * a callback of an earlier setting, or one that came early, re-arms the
 * timer for the current expiry instead, so setting the timer never has to
 * wait for a callback.
 *
 * A timer set to an absolute time of the wall clock (CLOCK_REALTIME,
 * CLOCK_REALTIME_ALARM) is on the list of those that follow it: when the
 * clock is set, timerfd_clock_was_set() moves its monotonic expiry, and
 * with TFD_TIMER_CANCEL_ON_SET marks it canceled, so that its next read
 * fails with ECANCELED (Linux's cancel list).  Lock order: the list's
 * lock, then a timer's.
 */
#include <frame/heap.h>
#include <linux/time.h>
#include <linux/timerfd.h>
#include "fs/anon_inode.h"
#include "fs/poll.h"
#include "fs/procfs.h"
#include "fs/timerfd.h"
#include "syscall/restart.h"
#include "time/clock.h"
#include "time/timer.h"

struct timerfd_ctx {
	struct fr_spinlock lock;
	struct fr_waitqueue wq;
	struct ktimer timer;
	int clockid;
	uint64_t expiry;   /* [lock] monotonic ns of the next expiry; 0: none */
	uint64_t interval; /* [lock] ns, 0: one-shot */
	uint64_t ticks;	   /* [lock] expirations not read; atomic reads */
	bool expired;	   /* [lock] a periodic expiry not moved on yet */
	unsigned settime_flags; /* [lock] the last timerfd_settime's */
	bool cancel_on_set; /* [lock] TFD_TIMER_CANCEL_ON_SET was given */
	bool canceled;	   /* [lock] the clock was set: read gives ECANCELED */
	int64_t offset;	   /* [lock] the clock's offset that expiry is for */
	/* [follow_lock] on the list of timers that follow the wall clock */
	struct timerfd_ctx *follow_next, *follow_prev;
	bool following;
};

/* The timers set to an absolute time of the wall clock. */
static struct fr_spinlock follow_lock = FR_SPINLOCK_INIT;
static struct timerfd_ctx *follow_list;

/* Whether @ctx's clock is the wall clock, which clock_settime moves. */
static bool on_wall_clock(const struct timerfd_ctx *ctx)
{
	return ctx->clockid == CLOCK_REALTIME ||
	       ctx->clockid == CLOCK_REALTIME_ALARM;
}

/* Put @ctx on the follow list or take it off.  [follow_lock] */
static void set_following(struct timerfd_ctx *ctx, bool follow)
{
	if (follow == ctx->following)
		return;
	if (follow) {
		ctx->follow_prev = NULL;
		ctx->follow_next = follow_list;
		if (follow_list)
			follow_list->follow_prev = ctx;
		follow_list = ctx;
	} else {
		if (ctx->follow_prev)
			ctx->follow_prev->follow_next = ctx->follow_next;
		else
			follow_list = ctx->follow_next;
		if (ctx->follow_next)
			ctx->follow_next->follow_prev = ctx->follow_prev;
		ctx->follow_next = ctx->follow_prev = NULL;
	}
	ctx->following = follow;
}

static const struct file_ops timerfd_fops;

bool file_is_timerfd(const struct file *f)
{
	return f->fop == &timerfd_fops;
}

static uint64_t ticks_of(struct timerfd_ctx *ctx)
{
	return __atomic_load_n(&ctx->ticks, __ATOMIC_ACQUIRE);
}

static void set_ticks(struct timerfd_ctx *ctx, uint64_t ticks)
{
	__atomic_store_n(&ctx->ticks, ticks, __ATOMIC_RELEASE);
}

/* The timer fired (IRQ context). */
static void timerfd_fire(struct ktimer *t)
{
	struct timerfd_ctx *ctx = t->timerfd;
	unsigned long irq = fr_spin_lock_irqsave(&ctx->lock);
	bool wake = false;

	if (ctx->expiry && !ctx->expired) {
		if (fr_monotonic_ns() >= ctx->expiry) {
			set_ticks(ctx, ctx->ticks + 1);
			if (ctx->interval)
				ctx->expired = true; /* moved on when read */
			else
				ctx->expiry = 0; /* a one-shot timer is done */
			wake = true;
		} else {
			ktimer_arm(t, ctx->expiry);
		}
	}
	fr_spin_unlock_irqrestore(&ctx->lock, irq);
	if (wake)
		fr_wake_all(&ctx->wq);
}

/*
 * A periodic timer that expired: move its expiry past @now, counting the
 * intervals it skipped (Linux's hrtimer_forward_now), and arm it.  [lock]
 */
static void forward(struct timerfd_ctx *ctx, uint64_t now)
{
	uint64_t skipped, step;

	if (!ctx->expired)
		return;
	skipped = now > ctx->expiry ? (now - ctx->expiry) / ctx->interval : 0;
	/* the expiry that fired, then @skipped more up to now */
	set_ticks(ctx, ctx->ticks + skipped);
	step = skipped + 1 > KTIME_NEVER / ctx->interval ?
		       KTIME_NEVER :
		       (skipped + 1) * ctx->interval;
	ctx->expiry = ktime_add(ctx->expiry, step);
	ctx->expired = false;
	ktimer_arm(&ctx->timer, ctx->expiry);
}

/* The time left until the next expiry (0 when disarmed).  [lock] */
static uint64_t time_left(struct timerfd_ctx *ctx, uint64_t now)
{
	return ctx->expiry > now ? ctx->expiry - now : 0;
}

void timerfd_set(struct file *f, unsigned flags, uint64_t value,
		 uint64_t interval, uint64_t *old_value,
		 uint64_t *old_interval)
{
	struct timerfd_ctx *ctx = f->priv_timerfd;
	bool wall = (flags & TFD_TIMER_ABSTIME) && on_wall_clock(ctx);
	unsigned long irq = fr_spin_lock_irqsave(&follow_lock);
	uint64_t now = fr_monotonic_ns();
	int64_t offset = 0;

	fr_spin_lock(&ctx->lock);
	forward(ctx, now);
	*old_value = time_left(ctx, now);
	*old_interval = ctx->interval;
	set_ticks(ctx, 0);
	ctx->expired = false;
	ctx->interval = interval;
	ctx->canceled = false;
	ctx->settime_flags =
		flags & (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET);
	ctx->cancel_on_set = wall && (flags & TFD_TIMER_CANCEL_ON_SET);
	/* one reading of the offset, which a clock set may be changing */
	if (clock_offset(ctx->clockid, &offset))
		offset = 0; /* the clock was checked at creation */
	ctx->offset = offset;
	set_following(ctx, wall);
	if (!value)
		ctx->expiry = 0;
	else if (flags & TFD_TIMER_ABSTIME)
		ctx->expiry = clock_offset_to_monotonic(value, offset);
	else
		ctx->expiry = ktime_add(now, value);
	if (value && !ctx->expiry)
		ctx->expiry = 1; /* already past: fires at once */
	/* a callback of the old setting finds the new one (see the top) */
	ktimer_arm(&ctx->timer, ctx->expiry ? ctx->expiry : KTIME_NEVER);
	fr_spin_unlock(&ctx->lock);
	fr_spin_unlock_irqrestore(&follow_lock, irq);
}

/*
 * @ctx's clock now has @offset: move its expiry to the same time of the
 * clock, and cancel it if it asked to be.  Returns whether to wake its
 * readers.  [ctx->lock]
 */
static bool follow_clock(struct timerfd_ctx *ctx, int64_t offset)
{
	int64_t moved = ctx->offset - offset;

	if (moved == 0)
		return false;
	ctx->offset = offset;
	if (ctx->expiry && ctx->expiry != KTIME_NEVER) {
		if (moved > 0)
			ctx->expiry = ktime_add(ctx->expiry, (uint64_t)moved);
		else if (ctx->expiry > (uint64_t)-moved + 1)
			ctx->expiry -= (uint64_t)-moved;
		else
			ctx->expiry = 1; /* now past: fires at once */
		if (!ctx->expired)
			ktimer_arm(&ctx->timer, ctx->expiry);
	}
	if (!ctx->cancel_on_set)
		return false;
	ctx->canceled = true;
	set_ticks(ctx, ctx->ticks + 1); /* readable, to be told */
	return true;
}

void timerfd_clock_was_set(void)
{
	unsigned long irq = fr_spin_lock_irqsave(&follow_lock);

	for (struct timerfd_ctx *ctx = follow_list; ctx;
	     ctx = ctx->follow_next) {
		int64_t offset;
		bool wake = false;

		fr_spin_lock(&ctx->lock);
		if (!clock_offset(ctx->clockid, &offset))
			wake = follow_clock(ctx, offset);
		fr_spin_unlock(&ctx->lock);
		if (wake)
			fr_wake_all(&ctx->wq);
	}
	fr_spin_unlock_irqrestore(&follow_lock, irq);
}

void timerfd_get(struct file *f, uint64_t *value, uint64_t *interval)
{
	struct timerfd_ctx *ctx = f->priv_timerfd;
	uint64_t now = fr_monotonic_ns();
	unsigned long irq = fr_spin_lock_irqsave(&ctx->lock);

	forward(ctx, now);
	*value = time_left(ctx, now);
	*interval = ctx->interval;
	fr_spin_unlock_irqrestore(&ctx->lock, irq);
}

/*
 * The expirations to read (moving a periodic timer on), now 0; or
 * -ECANCELED once after the clock was set under a timer that asked for
 * it, whose expirations are then dropped (a periodic one that expired
 * stops, as in Linux: its owner must set it again).
 */
static int take_ticks(struct timerfd_ctx *ctx, uint64_t *out)
{
	unsigned long irq = fr_spin_lock_irqsave(&ctx->lock);
	uint64_t ticks = 0;

	if (ctx->canceled) {
		ctx->canceled = false;
		set_ticks(ctx, 0);
		if (ctx->expired)
			ctx->expiry = 0;
		ctx->expired = false;
		fr_spin_unlock_irqrestore(&ctx->lock, irq);
		return -ECANCELED;
	}
	if (ctx->ticks) {
		forward(ctx, fr_monotonic_ns());
		ticks = ctx->ticks;
		set_ticks(ctx, 0);
	}
	fr_spin_unlock_irqrestore(&ctx->lock, irq);
	*out = ticks;
	return 0;
}

static long timerfd_read(struct file *f, const struct iobuf *b, size_t len,
			 uint64_t *pos)
{
	struct timerfd_ctx *ctx = f->priv_timerfd;
	uint64_t ticks;
	int err;

	if (len < sizeof(ticks))
		return -EINVAL;
	for (;;) {
		err = take_ticks(ctx, &ticks);
		if (err)
			return err;
		if (ticks)
			break;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (KTIME_WAIT_EVENT(&ctx->wq, ticks_of(ctx) != 0,
				     KTIME_NEVER))
			return -ERESTARTSYS;
	}
	if (iobuf_put(b, 0, &ticks, sizeof(ticks)))
		return -EFAULT;
	return sizeof(ticks);
}

static unsigned timerfd_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd_ctx *ctx = f->priv_timerfd;

	poll_wait(pt, &ctx->wq);
	return ticks_of(ctx) ? POLLIN : 0; /* as Linux: no POLLRDNORM */
}

static void timerfd_release(struct file *f)
{
	struct timerfd_ctx *ctx = f->priv_timerfd;
	unsigned long irq = fr_spin_lock_irqsave(&follow_lock);

	set_following(ctx, false);
	fr_spin_unlock_irqrestore(&follow_lock, irq);
	irq = fr_spin_lock_irqsave(&ctx->lock);
	ctx->expiry = 0; /* a callback from now on does not re-arm it */
	fr_spin_unlock_irqrestore(&ctx->lock, irq);
	ktimer_cancel(&ctx->timer); /* and wait for a running callback */
	fr_kfree(ctx);
}

/*
 * TFD_IOC_SET_TICKS (Linux's, for checkpoint/restore): set the
 * expirations to read to the u64 at @arg, which may not be 0.  A timer
 * canceled by a clock set answers -ECANCELED instead, once.
 */
static long timerfd_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct timerfd_ctx *ctx = f->priv_timerfd;
	unsigned long irq;
	uint64_t ticks;
	long ret = 0;

	if (cmd != TFD_IOC_SET_TICKS)
		return -ENOTTY;
	if (FR_GET_USER(ticks, fr_uaddr(arg)))
		return -EFAULT;
	if (!ticks)
		return -EINVAL;
	irq = fr_spin_lock_irqsave(&ctx->lock);
	if (ctx->canceled) {
		ctx->canceled = false;
		ret = -ECANCELED;
	} else {
		set_ticks(ctx, ticks);
	}
	fr_spin_unlock_irqrestore(&ctx->lock, irq);
	if (!ret)
		fr_wake_all(&ctx->wq);
	return ret;
}

static void timerfd_show_fdinfo(struct file *f, struct proc_text *t)
{
	struct timerfd_ctx *ctx = f->priv_timerfd;
	uint64_t value, interval, ticks;
	unsigned flags;
	unsigned long irq;

	timerfd_get(f, &value, &interval);
	irq = fr_spin_lock_irqsave(&ctx->lock);
	ticks = ctx->ticks;
	flags = ctx->settime_flags;
	fr_spin_unlock_irqrestore(&ctx->lock, irq);
	proc_printf(t,
		    "clockid: %d\nticks: %llu\nsettime flags: 0%o\n"
		    "it_value: (%llu, %llu)\nit_interval: (%llu, %llu)\n",
		    ctx->clockid, (unsigned long long)ticks, flags,
		    (unsigned long long)(value / NSEC_PER_SEC),
		    (unsigned long long)(value % NSEC_PER_SEC),
		    (unsigned long long)(interval / NSEC_PER_SEC),
		    (unsigned long long)(interval % NSEC_PER_SEC));
}

static const struct file_ops timerfd_fops = {
	.release = timerfd_release,
	.show_fdinfo = timerfd_show_fdinfo,
	.ioctl = timerfd_ioctl,
	.read = timerfd_read,
	.poll = timerfd_poll,
	.llseek = anon_inode_llseek,
};

struct file *timerfd_file_create(int clockid, unsigned flags)
{
	struct timerfd_ctx *ctx = FR_NEW(struct timerfd_ctx);
	struct file *f;

	if (!ctx)
		return NULL;
	ctx->lock = (struct fr_spinlock)FR_SPINLOCK_INIT;
	fr_waitqueue_init(&ctx->wq);
	ktimer_init(&ctx->timer, timerfd_fire, NULL);
	ctx->timer.timerfd = ctx;
	ctx->clockid = clockid;
	f = anon_inode_file("[timerfd]", &timerfd_fops, flags);
	if (!f) {
		fr_kfree(ctx);
		return NULL;
	}
	f->priv_timerfd = ctx;
	return f;
}
