/*
 * KTESTs of the preallocated signal entries of POSIX timers: an entry is
 * queued once and further sends count overruns, which the dequeue
 * reports and resets; a classic signal already pending from a timer is
 * not queued again by kill, but a timer's entry joins a classic one that
 * is; unqueueing an entry leaves the other instances of its signal
 * pending; a flush gives the entry back without freeing it.  The process
 * is a bare one without threads, so no task is woken.
 */
#include <frame/heap.h>
#include <frame/ktest.h>
#include <asm/signal.h>
#include <asm/siginfo.h>
#include "process/process.h"

static struct process *bare_process(void)
{
	struct process *p = FR_NEW(struct process);

	if (p)
		p->siglock = (struct fr_spinlock)FR_SPINLOCK_INIT;
	return p;
}

static void timer_entry(struct sigqueue *q, int sig, int id)
{
	*q = (struct sigqueue){
		.info = { .signo = sig, .code = SI_TIMER, .pid = id,
			  .kind = SI_KIND_TIMER },
		.preallocated = true,
	};
}

static int send_entry(struct process *p, struct sigqueue *q, uint64_t missed)
{
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);
	int ret = signal_send_preallocated_locked(p, NULL, q, missed);

	fr_spin_unlock_irqrestore(&p->siglock, irq);
	return ret;
}

static int take(struct process *p, int sig, struct k_siginfo *info)
{
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);
	int got = signal_dequeue_from(&p->sig.shared, SIGNAL_BIT(sig), info);

	fr_spin_unlock_irqrestore(&p->siglock, irq);
	return got;
}

KTEST(signal, timer_entry_overruns)
{
	struct process *p = bare_process();
	struct k_siginfo info;
	struct sigqueue q;

	KT_ASSERT(p != NULL);
	timer_entry(&q, SIGUSR1, 7);
	KT_EXPECT_EQ(send_entry(p, &q, 0), 0);
	KT_EXPECT(q.queued);
	KT_EXPECT_EQ(send_entry(p, &q, 2), 0); /* pending: 1 + 2 overruns */
	/* kill's SIGUSR1 is dropped while one is pending, as on Linux */
	KT_EXPECT_EQ(signal_send_simple(p, NULL, SIGUSR1), 0);
	KT_EXPECT_EQ(take(p, SIGUSR1, &info), SIGUSR1);
	KT_EXPECT_EQ(info.code, SI_TIMER);
	KT_EXPECT_EQ(info.pid, 7);
	KT_EXPECT_EQ(info.status, 3);
	KT_EXPECT_EQ(q.overrun_last, 3);
	KT_EXPECT(!q.queued);
	KT_EXPECT_EQ(take(p, SIGUSR1, &info), 0);
	KT_EXPECT_EQ(p->sig.shared.set & SIGNAL_BIT(SIGUSR1), 0);
	/* sent again: a fresh count */
	KT_EXPECT_EQ(send_entry(p, &q, 0), 0);
	KT_EXPECT_EQ(take(p, SIGUSR1, &info), SIGUSR1);
	KT_EXPECT_EQ(info.status, 0);
	signal_flush(&p->sig.shared);
	fr_kfree(p);
}

KTEST(signal, timer_entry_beside_others)
{
	struct process *p = bare_process();
	struct k_siginfo info;
	struct sigqueue q, r;
	unsigned long irq;

	KT_ASSERT(p != NULL);
	/* a classic signal pending from kill, then from a timer: both */
	timer_entry(&q, SIGUSR2, 1);
	KT_EXPECT_EQ(signal_send_simple(p, NULL, SIGUSR2), 0);
	KT_EXPECT_EQ(send_entry(p, &q, 0), 0);
	KT_EXPECT_EQ(take(p, SIGUSR2, &info), SIGUSR2);
	KT_EXPECT(info.code != SI_TIMER); /* the first one came first */
	KT_EXPECT(p->sig.shared.set & SIGNAL_BIT(SIGUSR2));
	KT_EXPECT_EQ(take(p, SIGUSR2, &info), SIGUSR2);
	KT_EXPECT_EQ(info.code, SI_TIMER);
	KT_EXPECT_EQ(p->sig.shared.set & SIGNAL_BIT(SIGUSR2), 0);

	/* an RT timer entry unqueued: another instance stays pending */
	timer_entry(&r, SIGRTMIN + 3, 2);
	KT_EXPECT_EQ(send_entry(p, &r, 0), 0);
	KT_EXPECT_EQ(signal_send_simple(p, NULL, SIGRTMIN + 3), 0);
	irq = fr_spin_lock_irqsave(&p->siglock);
	signal_unqueue_locked(&r);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	KT_EXPECT(!r.queued);
	KT_EXPECT(p->sig.shared.set & SIGNAL_BIT(SIGRTMIN + 3));
	KT_EXPECT_EQ(take(p, SIGRTMIN + 3, &info), SIGRTMIN + 3);
	KT_EXPECT(info.code != SI_TIMER);
	KT_EXPECT_EQ(p->sig.shared.set & SIGNAL_BIT(SIGRTMIN + 3), 0);

	/* unqueued alone, it leaves nothing pending */
	KT_EXPECT_EQ(send_entry(p, &r, 0), 0);
	irq = fr_spin_lock_irqsave(&p->siglock);
	signal_unqueue_locked(&r);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	KT_EXPECT_EQ(p->sig.shared.set, 0);

	/* a flush gives the entries back, unfreed */
	KT_EXPECT_EQ(send_entry(p, &q, 0), 0);
	KT_EXPECT_EQ(send_entry(p, &r, 0), 0);
	signal_flush(&p->sig.shared);
	KT_EXPECT(!q.queued && !r.queued);
	KT_EXPECT_EQ(p->sig.shared.set, 0);
	KT_EXPECT(p->sig.shared.queue == NULL);
	fr_kfree(p);
}

KTEST(signal, timer_entry_of_an_ending_process)
{
	struct process *p = bare_process();
	struct sigqueue q;

	KT_ASSERT(p != NULL);
	timer_entry(&q, SIGALRM, 3);
	p->group_exit = true;
	KT_EXPECT_EQ(send_entry(p, &q, 0), 1); /* not queued */
	KT_EXPECT(!q.queued);
	KT_EXPECT_EQ(p->sig.shared.set, 0);
	fr_kfree(p);
}
