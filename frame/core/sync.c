/*
 * Spinlocks, wait queues and mutexes.
 */
#include "frame_internal.h"

void task_set_sleeping(bool sleeping);
bool task_is_sleeping(void);
void schedule(void);

void fr_spin_lock(struct fr_spinlock *lock)
{
	uint32_t me = this_cpu()->id + 1;

	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == me)
			fr_panic("spinlock %p taken twice by CPU %u", lock,
				 me - 1);
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			fr_cpu_relax();
	}
	/* owner is read by CPUs spinning on the lock: atomic accesses */
	__atomic_store_n(&lock->owner, me, __ATOMIC_RELAXED);
}

bool fr_spin_trylock(struct fr_spinlock *lock)
{
	if (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	__atomic_store_n(&lock->owner, this_cpu()->id + 1, __ATOMIC_RELAXED);
	return true;
}

void fr_spin_unlock(struct fr_spinlock *lock)
{
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

unsigned long fr_spin_lock_irqsave(struct fr_spinlock *lock)
{
	unsigned long flags = fr_irq_save();

	fr_spin_lock(lock);
	return flags;
}

void fr_spin_unlock_irqrestore(struct fr_spinlock *lock, unsigned long flags)
{
	fr_spin_unlock(lock);
	fr_irq_restore(flags);
}

bool fr_spin_held(const struct fr_spinlock *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) &&
	       __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) ==
		       this_cpu()->id + 1;
}

void fr_waitqueue_init(struct fr_waitqueue *wq)
{
	wq->lock = (struct fr_spinlock)FR_SPINLOCK_INIT;
	wq->head.next = &wq->head;
	wq->head.prev = &wq->head;
	wq->head.task = NULL;
}

/*
 * The next pointers are written atomically: fr_mutex_unlock reads the
 * head's without the queue's lock to see whether anyone waits.
 */
static void wq_unlink(struct fr_wait_node *node)
{
	__atomic_store_n(&node->prev->next, node->next, __ATOMIC_RELAXED);
	node->next->prev = node->prev;
	node->queued = false;
}

/* A task waiter goes at the tail, behind the callback waiters. */
static void wq_enqueue(struct fr_waitqueue *wq, struct fr_wait_node *node)
{
	node->task = fr_task_current();
	node->fn = NULL;
	node->exclusive = false;
	node->next = &wq->head;
	node->prev = wq->head.prev;
	__atomic_store_n(&wq->head.prev->next, node, __ATOMIC_SEQ_CST);
	wq->head.prev = node;
	node->queued = true;
	node->woken = false;
}

void fr_wait_prepare(struct fr_waitqueue *wq, struct fr_wait_node *node)
{
	unsigned long irq = fr_spin_lock_irqsave(&wq->lock);

	if (!node->queued || node->task != fr_task_current())
		wq_enqueue(wq, node);
	task_set_sleeping(true);
	fr_spin_unlock_irqrestore(&wq->lock, irq);
}

void fr_wait_add(struct fr_waitqueue *wq, struct fr_wait_node *node)
{
	unsigned long irq = fr_spin_lock_irqsave(&wq->lock);

	if (!node->queued || node->task != fr_task_current())
		wq_enqueue(wq, node);
	fr_spin_unlock_irqrestore(&wq->lock, irq);
}

bool fr_wait_woken(struct fr_waitqueue *wq, const struct fr_wait_node *node)
{
	/* under the lock: the waker writes it, and the lock orders that
	 * write with our own earlier fr_wait_prepare() on another queue */
	unsigned long irq = fr_spin_lock_irqsave(&wq->lock);
	bool woken = node->woken;

	fr_spin_unlock_irqrestore(&wq->lock, irq);
	return woken;
}

void fr_wait_sleep(void)
{
	if (task_is_sleeping())
		schedule();
}

void fr_wait_finish(struct fr_waitqueue *wq, struct fr_wait_node *node)
{
	unsigned long irq = fr_spin_lock_irqsave(&wq->lock);

	if (node->queued)
		wq_unlink(node);
	node->woken = false;
	task_set_sleeping(false);
	fr_spin_unlock_irqrestore(&wq->lock, irq);
}

/*
 * Callback waiters sit at the head of the queue and stay there; task
 * waiters follow, and a wake-up takes them off.
 */
static unsigned wake(struct fr_waitqueue *wq, bool all)
{
	unsigned long irq = fr_spin_lock_irqsave(&wq->lock);
	struct fr_wait_node *node = wq->head.next, *next;
	bool exclusive_taken = false;
	unsigned n = 0, tasks = 0;

	/* the callbacks may not change this queue: next stays valid */
	for (; node != &wq->head && node->fn; node = next) {
		next = node->next;
		if (node->exclusive && exclusive_taken)
			continue;
		if (node->fn(node->arg)) {
			n++;
			if (node->exclusive)
				exclusive_taken = true;
		}
	}
	for (; node != &wq->head; node = next) {
		next = node->next;
		wq_unlink(node);
		node->woken = true;
		if (fr_task_wake(node->task)) {
			n++;
			tasks++;
		}
		if (!all && tasks)
			break;
	}
	fr_spin_unlock_irqrestore(&wq->lock, irq);
	return n;
}

void fr_wait_add_callback(struct fr_waitqueue *wq, struct fr_wait_node *node,
			  fr_wait_fn fn, void *arg, unsigned flags)
{
	unsigned long irq;

	if (!fn)
		fr_panic("fr_wait_add_callback: no function");
	irq = fr_spin_lock_irqsave(&wq->lock);
	if (node->queued)
		fr_panic("fr_wait_add_callback: node %p already queued", node);
	node->task = NULL;
	node->fn = fn;
	node->arg = arg;
	node->exclusive = flags & FR_WAIT_EXCLUSIVE;
	node->woken = false;
	/* at the head: a wake-up runs the callbacks before the tasks */
	node->prev = &wq->head;
	node->next = wq->head.next;
	wq->head.next->prev = node;
	wq->head.next = node;
	node->queued = true;
	fr_spin_unlock_irqrestore(&wq->lock, irq);
}

void fr_wait_del_callback(struct fr_waitqueue *wq, struct fr_wait_node *node)
{
	/* the lock waits for a callback running on another CPU */
	unsigned long irq = fr_spin_lock_irqsave(&wq->lock);

	if (node->queued)
		wq_unlink(node);
	fr_spin_unlock_irqrestore(&wq->lock, irq);
}

unsigned fr_wake_one(struct fr_waitqueue *wq)
{
	return wake(wq, false);
}

unsigned fr_wake_all(struct fr_waitqueue *wq)
{
	return wake(wq, true);
}

/*
 * A mutex is its owner word, changed by compare-and-swap: a free mutex is
 * taken, and released, with one atomic instruction.  A task that finds it
 * taken queues itself on the waiters (FR_WAIT_EVENT) before it tries
 * again; the unlocker frees the word before it looks at the queue.  The
 * four steps are sequentially consistent, so either the waiter's retry
 * sees the mutex free or the unlocker sees the waiter and wakes it.
 */
void fr_mutex_init(struct fr_mutex *m)
{
	m->owner = NULL;
	fr_waitqueue_init(&m->waiters);
}

bool fr_mutex_trylock(struct fr_mutex *m)
{
	struct fr_task *none = NULL;

	return __atomic_compare_exchange_n(&m->owner, &none,
					   fr_task_current(), false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

void fr_mutex_lock(struct fr_mutex *m)
{
	struct fr_task *self = fr_task_current();
	struct fr_task *owner = NULL;

	if (__atomic_compare_exchange_n(&m->owner, &owner, self, false,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (owner == self)
		fr_panic("mutex %p locked twice by task %s", m,
			 fr_task_name(self));
	FR_WAIT_EVENT(&m->waiters, fr_mutex_trylock(m));
}

void fr_mutex_unlock(struct fr_mutex *m)
{
	struct fr_task *self = fr_task_current();
	struct fr_task *owner = self;

	if (!__atomic_compare_exchange_n(&m->owner, &owner, NULL, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		fr_panic("mutex %p unlocked by task %s, not its owner", m,
			 fr_task_name(self));
	/* without waiters the queue's lock is not taken */
	if (__atomic_load_n(&m->waiters.head.next, __ATOMIC_SEQ_CST) !=
	    &m->waiters.head)
		fr_wake_one(&m->waiters);
}
