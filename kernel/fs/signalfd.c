/*
 * signalfd (see signalfd.h).  What a signalfd reports depends on the
 * thread that reads or polls it, not on a process of its own (a file may
 * be shared by fork, or watched by epoll in another process), so a
 * signal becoming pending wakes every signalfd whose mask has it: they
 * are few, and all on one list.  A wake-up there makes their readers and
 * pollers look again at their own thread's pending signals.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include <asm/siginfo.h>
#include <asm/signal.h>
#include <linux/signalfd.h>
#include "fs/anon_inode.h"
#include "fs/poll.h"
#include "fs/procfs.h"
#include "fs/signalfd.h"
#include "process/process.h"
#include "syscall/restart.h"
#include "time/timer.h"

#define UNBLOCKABLE (SIGNAL_BIT(SIGKILL) | SIGNAL_BIT(SIGSTOP))

struct signalfd_ctx {
	uint64_t mask; /* atomic */
	struct fr_waitqueue wq;
	struct signalfd_ctx *next, *prev; /* [list_lock] every signalfd */
};

_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo");

static struct fr_spinlock list_lock = FR_SPINLOCK_INIT;
static struct signalfd_ctx *list_head; /* [list_lock] */
static unsigned list_count;	       /* atomic: signalfds alive */

static const struct file_ops signalfd_fops;

bool file_is_signalfd(const struct file *f)
{
	return f->fop == &signalfd_fops;
}

static uint64_t mask_of(struct signalfd_ctx *ctx)
{
	return __atomic_load_n(&ctx->mask, __ATOMIC_ACQUIRE);
}

void signalfd_notify(int sig)
{
	unsigned long irq;

	if (!__atomic_load_n(&list_count, __ATOMIC_ACQUIRE))
		return;
	irq = fr_spin_lock_irqsave(&list_lock);
	for (struct signalfd_ctx *ctx = list_head; ctx; ctx = ctx->next)
		if (mask_of(ctx) & SIGNAL_BIT(sig))
			fr_wake_all(&ctx->wq);
	fr_spin_unlock_irqrestore(&list_lock, irq);
}

void signalfd_set_mask(struct file *f, uint64_t mask)
{
	struct signalfd_ctx *ctx = f->priv.signalfd;

	__atomic_store_n(&ctx->mask, mask & ~UNBLOCKABLE, __ATOMIC_RELEASE);
	fr_wake_all(&ctx->wq); /* signals pending already may match now */
}

/* Pending signals of @mask for the calling thread. */
static uint64_t pending(uint64_t mask)
{
	struct thread *t = current_thread();
	unsigned long irq;
	uint64_t set;

	if (!t)
		return 0;
	irq = fr_spin_lock_irqsave(&t->proc->siglock);
	set = (t->sig.pending.set | t->proc->sig.shared.set) & mask;
	fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
	return set;
}

/* Take one signal of @mask, filling @info: the signal, or 0. */
static int dequeue(uint64_t mask, struct k_siginfo *info)
{
	struct thread *t = current_thread();
	unsigned long irq;
	int sig;

	if (!t)
		return 0;
	irq = fr_spin_lock_irqsave(&t->proc->siglock);
	sig = signal_dequeue(t, mask, info);
	fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
	return sig;
}

/* @info as Linux's signalfd_copyinfo lays it out for its siginfo layout. */
static void fill(struct signalfd_siginfo *ssi, const struct k_siginfo *info)
{
	memset(ssi, 0, sizeof(*ssi));
	ssi->ssi_signo = (uint32_t)info->signo;
	ssi->ssi_errno = info->errno_;
	ssi->ssi_code = info->code;
	switch (info->kind) {
	case SI_KIND_FAULT:
		ssi->ssi_addr = info->value;
		break;
	case SI_KIND_CHLD:
		ssi->ssi_pid = (uint32_t)info->pid;
		ssi->ssi_uid = info->uid;
		ssi->ssi_status = info->status;
		ssi->ssi_utime = (uint64_t)info->utime;
		ssi->ssi_stime = (uint64_t)info->stime;
		break;
	case SI_KIND_TIMER:
		ssi->ssi_tid = (uint32_t)info->pid;
		ssi->ssi_overrun = (uint32_t)info->status;
		ssi->ssi_ptr = info->value;
		ssi->ssi_int = (int32_t)info->value;
		break;
	case SI_KIND_RT:
		ssi->ssi_pid = (uint32_t)info->pid;
		ssi->ssi_uid = info->uid;
		ssi->ssi_ptr = info->value;
		ssi->ssi_int = (int32_t)info->value;
		break;
	default: /* kill(), the kernel's own */
		ssi->ssi_pid = (uint32_t)info->pid;
		ssi->ssi_uid = info->uid;
		break;
	}
}

static long signalfd_read(struct file *f, const struct iobuf *b, size_t len,
			  uint64_t *pos)
{
	struct signalfd_ctx *ctx = f->priv.signalfd;
	bool nonblock = f->flags & O_NONBLOCK;
	size_t count = len / sizeof(struct signalfd_siginfo), done = 0;

	if (!count)
		return -EINVAL;
	while (done < count) {
		struct signalfd_siginfo ssi;
		struct k_siginfo info;

		if (!dequeue(mask_of(ctx), &info)) {
			if (nonblock)
				break;
			if (KTIME_WAIT_EVENT(&ctx->wq, pending(mask_of(ctx)),
					     KTIME_NEVER))
				return -ERESTARTSYS;
			continue;
		}
		fill(&ssi, &info);
		/* as Linux: a signal that cannot be copied out is lost */
		if (iobuf_put(b, done * sizeof(ssi), &ssi, sizeof(ssi)))
			return done ? (long)(done * sizeof(ssi)) : -EFAULT;
		done++;
		nonblock = true; /* only the first one is waited for */
	}
	return done ? (long)(done * sizeof(struct signalfd_siginfo)) : -EAGAIN;
}

static unsigned signalfd_poll(struct file *f, struct poll_table *pt)
{
	struct signalfd_ctx *ctx = f->priv.signalfd;

	poll_wait(pt, &ctx->wq);
	return pending(mask_of(ctx)) ? POLLIN : 0; /* as Linux: no RDNORM */
}

static void signalfd_release(struct file *f)
{
	struct signalfd_ctx *ctx = f->priv.signalfd;
	unsigned long irq = fr_spin_lock_irqsave(&list_lock);

	if (ctx->prev)
		ctx->prev->next = ctx->next;
	else
		list_head = ctx->next;
	if (ctx->next)
		ctx->next->prev = ctx->prev;
	__atomic_sub_fetch(&list_count, 1, __ATOMIC_RELEASE);
	fr_spin_unlock_irqrestore(&list_lock, irq);
	fr_kfree(ctx);
}

/* The signals it takes, as Linux renders a sigset: 16 hex digits. */
static void signalfd_show_fdinfo(struct file *f, struct proc_text *t)
{
	proc_printf(t, "sigmask:\t%016llx\n",
		    (unsigned long long)mask_of(f->priv.signalfd));
}

static const struct file_ops signalfd_fops = {
	.release = signalfd_release,
	.show_fdinfo = signalfd_show_fdinfo,
	.read = signalfd_read,
	.poll = signalfd_poll,
	.llseek = anon_inode_llseek,
};

struct file *signalfd_create(uint64_t mask, unsigned flags)
{
	struct signalfd_ctx *ctx = FR_NEW(struct signalfd_ctx);
	unsigned long irq;
	struct file *f;

	if (!ctx)
		return NULL;
	ctx->mask = mask & ~UNBLOCKABLE;
	fr_waitqueue_init(&ctx->wq);
	f = anon_inode_file("[signalfd]", &signalfd_fops, flags);
	if (!f) {
		fr_kfree(ctx);
		return NULL;
	}
	f->priv.signalfd = ctx;
	irq = fr_spin_lock_irqsave(&list_lock);
	ctx->next = list_head;
	if (list_head)
		list_head->prev = ctx;
	list_head = ctx;
	__atomic_add_fetch(&list_count, 1, __ATOMIC_RELEASE);
	fr_spin_unlock_irqrestore(&list_lock, irq);
	return f;
}
