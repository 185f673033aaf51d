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

/*
 * What a callback waiter runs at a wake-up (see fr_wait_add_callback):
 * its argument is the one given when the node was queued.  Returns
 * whether it accepted the wake-up, which matters for FR_WAIT_EXCLUSIVE.
 */
typedef bool (*fr_wait_fn)(void *arg);

/*
 * A waiter: a sleeping task (on its stack), or a callback waiter (in the
 * object that registered it) whose function runs at each wake-up.
 */
struct fr_wait_node {
	struct fr_task *task;
	fr_wait_fn fn;	/* a callback waiter's function, else NULL */
	void *arg;	/* its argument */
	struct fr_wait_node *next;
	struct fr_wait_node *prev;
	bool queued;
	bool woken; /* taken off by a wake-up (fr_wait_woken) */
	bool exclusive; /* FR_WAIT_EXCLUSIVE */
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
 * fr_wake_one / fr_wake_all - wake the first / every task on @wq, after
 * running its callback waiters (fr_wait_add_callback).  Context: any,
 * including IRQ handlers.  Returns the number of tasks woken plus the
 * number of callbacks that accepted the wake-up.
 */
unsigned fr_wake_one(struct fr_waitqueue *wq);
unsigned fr_wake_all(struct fr_waitqueue *wq);

/* A callback waiter of which one per wake-up is enough (see below). */
#define FR_WAIT_EXCLUSIVE 1u

/*
 * fr_wait_add_callback - queue @node on @wq as a callback waiter, for an
 * object that follows the readiness of other objects without a task
 * sleeping on their queues (epoll's interest list).  Each wake-up of @wq
 * calls @fn(@arg) instead of waking a task, and the node stays queued
 * until fr_wait_del_callback(): no wake-up after the add is missed.
 * @fn runs on the waker's CPU under @wq's lock with interrupts off: it
 * must not sleep, nor touch @wq (no add, delete or wake on it); it may
 * take IRQ-safe spinlocks and wake other queues.  With @flags
 * FR_WAIT_EXCLUSIVE, a wake-up runs the exclusive callbacks of @wq in
 * order until one returns true (the others then see nothing of it);
 * callbacks without the flag all run, whatever they return.  @node must
 * not be queued anywhere.  Context: any.  Prefer FR_WAIT_ADD_CALLBACK,
 * which checks @fn's type against @arg's.
 */
void fr_wait_add_callback(struct fr_waitqueue *wq, struct fr_wait_node *node,
			  fr_wait_fn fn, void *arg, unsigned flags);

/*
 * fr_wait_del_callback - take the callback waiter @node off @wq: once it
 * returns, @node's function is not running on any CPU and will not run
 * again for it, so the object that holds @node may go.  A node not
 * queued is left as is.  Context: any, but not in a callback of @wq.
 */
void fr_wait_del_callback(struct fr_waitqueue *wq, struct fr_wait_node *node);

/*
 * FR_WAIT_ADD_CALLBACK - fr_wait_add_callback() with a typed argument:
 * @fn takes a pointer of @arg's type and returns bool (checked at compile
 * time), so that the callback needs no conversion of its own.
 */
#define FR_WAIT_ADD_CALLBACK(wq, node, fn, arg, flags)                         \
	({                                                                     \
		_Static_assert(__builtin_types_compatible_p(                   \
				       __typeof__(&(fn)),                      \
				       bool (*)(__typeof__(arg))),             \
			       "FR_WAIT_ADD_CALLBACK: " #fn                    \
			       " must take the type of " #arg                  \
			       " and return bool");                            \
		fr_wait_add_callback((wq), (node), (fr_wait_fn)(fn), (arg),    \
				     (flags));                                 \
	})

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
