/*
 * Locks and wait queues.
 *
 * Spinlocks are for short critical sections; the _irqsave variants also
 * mask interrupts and must be used for data shared with IRQ handlers.
 * Mutexes and wait queues sleep and may only be used in task context.
 * A wake-up between fr_wait_prepare() and fr_wait_sleep() is never lost.
 */
#ifndef FRAME_SYNC_H
#define FRAME_SYNC_H

#include <frame/types.h>

struct fr_task;

struct fr_spinlock {
	uint32_t locked; /* 0 or 1, changed atomically */
	uint32_t owner;	 /* CPU id + 1 of the holder, for lock debugging */
};

#define FR_SPINLOCK_INIT { 0, 0 }

/*
 * fr_spin_lock / fr_spin_unlock - take / release a spinlock without
 * touching the interrupt state.  Context: any; a lock also taken by an IRQ
 * handler needs the _irqsave form.  Taking a lock this CPU already holds is
 * a bug and panics.
 */
void fr_spin_lock(struct fr_spinlock *lock);
void fr_spin_unlock(struct fr_spinlock *lock);

/*
 * fr_spin_trylock - take the lock if free.  Returns true when taken.
 */
bool fr_spin_trylock(struct fr_spinlock *lock) FR_MUST_CHECK;

/*
 * fr_spin_lock_irqsave / fr_spin_unlock_irqrestore - mask interrupts on this
 * CPU and take the lock; release and restore.  Context: any.
 */
unsigned long fr_spin_lock_irqsave(struct fr_spinlock *lock);
void fr_spin_unlock_irqrestore(struct fr_spinlock *lock, unsigned long flags);

/*
 * fr_spin_held - whether this CPU holds @lock (for assertions).
 */
bool fr_spin_held(const struct fr_spinlock *lock);

/* A waiter, on the sleeping task's stack. */
struct fr_wait_node {
	struct fr_task *task;
	struct fr_wait_node *next;
	struct fr_wait_node *prev;
	bool queued;
	bool woken; /* taken off by a wake-up (fr_wait_woken) */
};

/* A queue of sleeping tasks. */
struct fr_waitqueue {
	struct fr_spinlock lock;
	struct fr_wait_node head; /* circular list; guarded by lock */
};

/*
 * fr_waitqueue_init - make an empty wait queue.  Context: any.
 */
void fr_waitqueue_init(struct fr_waitqueue *wq);

/*
 * fr_wait_prepare - queue the current task on @wq and mark it sleeping.
 * Context: task context.  Check the condition after this call, then call
 * fr_wait_sleep(); a wake-up in between makes fr_wait_sleep return at once.
 */
void fr_wait_prepare(struct fr_waitqueue *wq, struct fr_wait_node *node);

/*
 * fr_wait_sleep - sleep until woken.  Context: task context, interrupts on.
 */
void fr_wait_sleep(void);

/*
 * fr_wait_finish - leave @wq and mark the task running again.
 */
void fr_wait_finish(struct fr_waitqueue *wq, struct fr_wait_node *node);

/*
 * fr_wait_add - queue the current task on @wq like fr_wait_prepare(), but
 * leave it running: for a task that waits on several queues at once (poll),
 * with one node per queue.  It then marks itself sleeping with
 * fr_wait_prepare() on a queue of its own, asks fr_wait_woken() of each
 * node, and sleeps only if none was woken: a wake-up on any queue after
 * the fr_wait_add() is never lost.  A node still queued is left as is.
 * fr_wait_finish() takes the node off again.  Context: task context.
 */
void fr_wait_add(struct fr_waitqueue *wq, struct fr_wait_node *node);

/*
 * fr_wait_woken - whether a wake-up on @wq took @node off it since it was
 * queued by fr_wait_add() or fr_wait_prepare() (false before it was ever
 * queued, and after fr_wait_finish()).  Context: any.
 */
bool fr_wait_woken(struct fr_waitqueue *wq, const struct fr_wait_node *node);

/*
 * fr_wake_one / fr_wake_all - wake the first / every task on @wq.
 * Context: any, including IRQ handlers.  Returns the number woken.
 */
unsigned fr_wake_one(struct fr_waitqueue *wq);
unsigned fr_wake_all(struct fr_waitqueue *wq);

/*
 * FR_WAIT_EVENT - sleep on @wq until @cond is true.  @cond is evaluated
 * in the caller's context after each wake-up.
 */
#define FR_WAIT_EVENT(wq, cond)                                                \
	do {                                                                   \
		struct fr_wait_node __node = { .task = NULL };                                \
		for (;;) {                                                     \
			fr_wait_prepare((wq), &__node);                        \
			if (cond)                                              \
				break;                                         \
			fr_wait_sleep();                                       \
		}                                                              \
		fr_wait_finish((wq), &__node);                                 \
	} while (0)

/* A sleeping lock with an owner. */
struct fr_mutex {
	struct fr_task *owner; /* atomic: taken and freed by compare-and-swap */
	struct fr_waitqueue waiters;
};

/*
 * fr_mutex_init / fr_mutex_lock / fr_mutex_unlock - a mutex.  Taking a
 * free one, and freeing one nobody waits for, is one atomic instruction.
 * Context: task context (lock may sleep).  Unlocking a mutex the current
 * task does not hold, or locking one it holds, panics.
 */
void fr_mutex_init(struct fr_mutex *m);
void fr_mutex_lock(struct fr_mutex *m);
void fr_mutex_unlock(struct fr_mutex *m);

/*
 * fr_mutex_trylock - take the mutex if free.  Returns true when taken.
 */
bool fr_mutex_trylock(struct fr_mutex *m) FR_MUST_CHECK;

#endif
