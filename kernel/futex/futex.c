/*
 * Futexes.  Waiters live on the waiting thread's stack, queued in one of
 * FUTEX_BUCKETS hash buckets by their key; each bucket has a mutex (a
 * sleeping lock: user memory is read under it, and reading may fault a
 * page in).  A waiter compares the user word and queues itself under the
 * bucket lock, so a waker that changed the word first and then takes the
 * lock either finds it queued or made it see the new value: no wake-up
 * is lost.  A waker dequeues the waiter, marks it woken and wakes its
 * task, all under the bucket lock; the waiter takes that lock again before
 * it returns, so it never leaves while a waker still touches it.  Requeue
 * moves waiters between buckets under both locks and updates their bucket
 * pointer.  Timeouts and signals come through KTIME_WAIT_EVENT.
 */
#include <stddef.h>
#include <frame/sync.h>
#include <frame/task.h>
#include <frame/user.h>
#include <frame/vm.h>
#include <linux/futex.h>
#include "futex/futex.h"
#include "process/process.h"
#include "syscall/restart.h"
#include "time/timer.h"
#include "vm/vm_map.h"

#define FUTEX_BUCKETS 256
#define FUTEX_HASH_BITS 8

/* What names a futex (see futex.h); unused members are NULL / 0. */
struct futex_key {
	const struct vm_map *vm;   /* address-space key: the map ... */
	const struct fr_page *page; /* shared-mapping key: the page ... */
	uint64_t offset;	   /* ... and the address / offset in it */
};

struct futex_bucket;

struct futex_waiter {
	struct futex_key key;	     /* [bucket lock] changed by requeue */
	uint32_t bitset;
	struct fr_task *task;
	struct futex_bucket *bucket; /* [both bucket locks to change] */
	bool queued;		     /* [bucket lock] */
	bool woken;		     /* atomic: set by a waker */
	struct futex_waiter *next;   /* [bucket lock] */
	struct futex_waiter *prev;
};

struct futex_bucket {
	struct fr_mutex lock;
	struct futex_waiter head; /* circular list sentinel */
};

static struct futex_bucket buckets[FUTEX_BUCKETS];

void futex_setup(void)
{
	for (unsigned i = 0; i < FUTEX_BUCKETS; i++) {
		fr_mutex_init(&buckets[i].lock);
		buckets[i].head.next = &buckets[i].head;
		buckets[i].head.prev = &buckets[i].head;
	}
}

/* ---- keys and buckets ---- */

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->vm == b->vm && a->page == b->page && a->offset == b->offset;
}

static struct futex_bucket *bucket_of(const struct futex_key *k)
{
	uint64_t h = (uint64_t)(uintptr_t)k->vm ^
		     (uint64_t)(uintptr_t)k->page ^ (k->offset >> 2);

	h *= 0x9e3779b97f4a7c15ULL;
	return &buckets[h >> (64 - FUTEX_HASH_BITS)];
}

/* The user range check of Linux's access_ok() for one word. */
static bool user_word(uint64_t uaddr)
{
	return uaddr < FR_USER_END && FR_USER_END - uaddr >= sizeof(uint32_t);
}

/*
 * The key of the futex at @uaddr.  Returns 0, -EINVAL (misaligned) or
 * -EFAULT (outside user space; for a shared futex, no readable area).
 */
static int get_key(uint64_t uaddr, bool shared, struct futex_key *key)
{
	struct vm_map *vm = current_vm();
	struct fr_page *page;
	struct vma *area;
	unsigned prot;

	if (uaddr % sizeof(uint32_t))
		return -EINVAL;
	if (!user_word(uaddr) || !vm)
		return -EFAULT;
	key->vm = vm;
	key->page = NULL;
	key->offset = uaddr;
	if (!shared)
		return 0;
	area = vm_map_find(vm, uaddr);
	if (!area || !(area->prot & FR_PROT_READ))
		return -EFAULT;
	if (!(area->flags & VMA_SHARED))
		return 0;
	/* a shared mapping: the page, so that every space that maps it
	 * finds the same futex */
	page = fr_vm_space_query(vm->space, fr_uaddr(uaddr & ~(FR_PAGE_SIZE - 1)),
				 &prot);
	if (!page) {
		if (vm_map_fault(vm, uaddr, false, false))
			return -EFAULT;
		page = fr_vm_space_query(
			vm->space, fr_uaddr(uaddr & ~(FR_PAGE_SIZE - 1)), &prot);
		if (!page)
			return -EFAULT;
	}
	key->vm = NULL;
	key->page = page;
	key->offset = uaddr & (FR_PAGE_SIZE - 1);
	return 0;
}

/* Lock the buckets of two keys, in address order, once if the same. */
static void lock_two(struct futex_bucket *a, struct futex_bucket *b)
{
	if (a == b) {
		fr_mutex_lock(&a->lock);
	} else if (a < b) {
		fr_mutex_lock(&a->lock);
		fr_mutex_lock(&b->lock);
	} else {
		fr_mutex_lock(&b->lock);
		fr_mutex_lock(&a->lock);
	}
}

static void unlock_two(struct futex_bucket *a, struct futex_bucket *b)
{
	fr_mutex_unlock(&a->lock);
	if (a != b)
		fr_mutex_unlock(&b->lock);
}

/* ---- waiter lists (bucket lock held) ---- */

static void enqueue(struct futex_bucket *b, struct futex_waiter *w)
{
	w->next = &b->head;
	w->prev = b->head.prev;
	b->head.prev->next = w;
	b->head.prev = w;
	w->queued = true;
	__atomic_store_n(&w->bucket, b, __ATOMIC_RELEASE);
}

static void dequeue(struct futex_waiter *w)
{
	w->prev->next = w->next;
	w->next->prev = w->prev;
	w->next = NULL;
	w->prev = NULL;
	w->queued = false;
}

/* Wake @w: its task may run, but not return before the lock is let go. */
static void wake_waiter(struct futex_waiter *w)
{
	struct fr_task *task = w->task;

	dequeue(w);
	__atomic_store_n(&w->woken, true, __ATOMIC_RELEASE);
	fr_task_wake(task);
}

/* Wake waiters of @key in @b whose bitset meets @bitset; at least one. */
static int wake_locked(struct futex_bucket *b, const struct futex_key *key,
		       int nr, uint32_t bitset)
{
	struct futex_waiter *w, *next;
	int n = 0;

	for (w = b->head.next; w != &b->head; w = next) {
		next = w->next;
		if (!key_eq(&w->key, key) || !(w->bitset & bitset))
			continue;
		wake_waiter(w);
		if (++n >= nr)
			break;
	}
	return n;
}

/*
 * Take @w off its queue if a waker did not.  Returns true when it was
 * still queued (not woken).  The bucket pointer is stable once its lock
 * is held and it still names that bucket (requeue holds both locks).
 */
static bool unqueue(struct futex_waiter *w)
{
	struct futex_bucket *b;
	bool was_queued;

	for (;;) {
		b = __atomic_load_n(&w->bucket, __ATOMIC_ACQUIRE);
		fr_mutex_lock(&b->lock);
		if (__atomic_load_n(&w->bucket, __ATOMIC_RELAXED) == b)
			break;
		fr_mutex_unlock(&b->lock);
	}
	was_queued = w->queued;
	if (was_queued)
		dequeue(w);
	fr_mutex_unlock(&b->lock);
	return was_queued;
}

/* ---- the operations ---- */

long futex_wait(uint64_t uaddr, bool shared, uint32_t val, uint64_t deadline,
		uint32_t bitset)
{
	struct futex_waiter w = { .bitset = bitset };
	struct futex_bucket *b;
	struct fr_waitqueue wq;
	uint32_t cur;
	int err, ret;

	if (!bitset)
		return -EINVAL;
	err = get_key(uaddr, shared, &w.key);
	if (err)
		return err;
	b = bucket_of(&w.key);
	fr_mutex_lock(&b->lock);
	if (FR_GET_USER(cur, fr_uaddr(uaddr))) {
		fr_mutex_unlock(&b->lock);
		return -EFAULT;
	}
	if (cur != val) {
		fr_mutex_unlock(&b->lock);
		return -EAGAIN;
	}
	w.task = fr_task_current();
	enqueue(b, &w);
	fr_mutex_unlock(&b->lock);

	fr_waitqueue_init(&wq);
	ret = KTIME_WAIT_EVENT(&wq, __atomic_load_n(&w.woken, __ATOMIC_ACQUIRE),
			       deadline);
	if (!unqueue(&w))
		return 0; /* woken, whatever else happened meanwhile */
	if (ret == -ETIMEDOUT)
		return -ETIMEDOUT;
	return deadline == KTIME_NEVER ? -ERESTARTSYS : -ERESTART_RESTARTBLOCK;
}

long futex_wake(uint64_t uaddr, bool shared, int nr, uint32_t bitset)
{
	struct futex_key key;
	struct futex_bucket *b;
	int err, n;

	if (!bitset)
		return -EINVAL;
	err = get_key(uaddr, shared, &key);
	if (err)
		return err;
	b = bucket_of(&key);
	fr_mutex_lock(&b->lock);
	n = wake_locked(b, &key, nr, bitset);
	fr_mutex_unlock(&b->lock);
	return n;
}

long futex_requeue(uint64_t uaddr, bool shared, uint64_t uaddr2, int nr_wake,
		   int nr_requeue, const uint32_t *cmpval)
{
	struct futex_key key1, key2;
	struct futex_bucket *b1, *b2;
	struct futex_waiter *w, *next;
	uint32_t cur;
	int err, count = 0;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	err = get_key(uaddr, shared, &key1);
	if (!err)
		err = get_key(uaddr2, shared, &key2);
	if (err)
		return err;
	b1 = bucket_of(&key1);
	b2 = bucket_of(&key2);
	lock_two(b1, b2);
	if (cmpval) {
		if (FR_GET_USER(cur, fr_uaddr(uaddr))) {
			unlock_two(b1, b2);
			return -EFAULT;
		}
		if (cur != *cmpval) {
			unlock_two(b1, b2);
			return -EAGAIN;
		}
	}
	for (w = b1->head.next; w != &b1->head; w = next) {
		next = w->next;
		if (count - nr_wake >= nr_requeue)
			break;
		if (!key_eq(&w->key, &key1))
			continue;
		if (++count <= nr_wake) {
			wake_waiter(w);
			continue;
		}
		w->key = key2;
		if (b1 != b2) {
			dequeue(w);
			enqueue(b2, w);
		}
	}
	unlock_two(b1, b2);
	return count;
}

/* Sign-extend the 12-bit field of a FUTEX_WAKE_OP operation. */
static int32_t op_arg(uint32_t field)
{
	return (int32_t)(field << 20) >> 20;
}

/*
 * Apply the operation of @encoded to the word at @uaddr atomically.
 * Returns whether its comparison holds for the old value (0 or 1),
 * -EFAULT, or -ENOSYS for an unknown operation or comparison.
 */
static int atomic_op(uint32_t encoded, uint64_t uaddr)
{
	unsigned op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int32_t oparg = op_arg(encoded >> 12 & 0xfff);
	int32_t cmparg = op_arg(encoded & 0xfff);
	uint32_t old = 0, now, new;
	int32_t oldval;
	int err;

	if (encoded & (FUTEX_OP_OPARG_SHIFT << 28)) {
		/* Linux masks out-of-range shifts (and warns) */
		oparg = (int32_t)(1U << (oparg & 31));
	}
	if (!user_word(uaddr))
		return -EFAULT;
	if (op > FUTEX_OP_XOR)
		return -ENOSYS;
	for (;;) {
		switch (op) {
		case FUTEX_OP_SET:
			new = (uint32_t)oparg;
			break;
		case FUTEX_OP_ADD:
			new = old + (uint32_t)oparg;
			break;
		case FUTEX_OP_OR:
			new = old | (uint32_t)oparg;
			break;
		case FUTEX_OP_ANDN:
			new = old & ~(uint32_t)oparg;
			break;
		default: /* FUTEX_OP_XOR */
			new = old ^ (uint32_t)oparg;
			break;
		}
		now = old;
		err = fr_user_cmpxchg_u32(fr_uaddr(uaddr), &now, new);
		if (err)
			return err;
		if (now == old)
			break;
		old = now; /* changed meanwhile: compute again */
	}
	oldval = (int32_t)old;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		return oldval == cmparg;
	case FUTEX_OP_CMP_NE:
		return oldval != cmparg;
	case FUTEX_OP_CMP_LT:
		return oldval < cmparg;
	case FUTEX_OP_CMP_LE:
		return oldval <= cmparg;
	case FUTEX_OP_CMP_GT:
		return oldval > cmparg;
	case FUTEX_OP_CMP_GE:
		return oldval >= cmparg;
	default:
		return -ENOSYS;
	}
}

long futex_wake_op(uint64_t uaddr, bool shared, uint64_t uaddr2, int nr_wake,
		   int nr_wake2, uint32_t op)
{
	struct futex_key key1, key2;
	struct futex_bucket *b1, *b2;
	int err, n, cond;

	err = get_key(uaddr, shared, &key1);
	if (!err)
		err = get_key(uaddr2, shared, &key2);
	if (err)
		return err;
	b1 = bucket_of(&key1);
	b2 = bucket_of(&key2);
	lock_two(b1, b2);
	cond = atomic_op(op, uaddr2);
	if (cond < 0) {
		unlock_two(b1, b2);
		return cond;
	}
	n = wake_locked(b1, &key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (cond)
		n += wake_locked(b2, &key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	unlock_two(b1, b2);
	return n;
}

void futex_wake_address(uint64_t uaddr)
{
	struct futex_key shared_key, private_key;

	if (get_key(uaddr, true, &shared_key))
		return;
	if (futex_wake(uaddr, true, 1, FUTEX_BITSET_MATCH_ANY) > 0)
		return;
	/* a private waiter of a shared mapping has another key */
	if (!get_key(uaddr, false, &private_key) &&
	    !key_eq(&shared_key, &private_key))
		futex_wake(uaddr, false, 1, FUTEX_BITSET_MATCH_ANY);
}

/* ---- robust lists ---- */

/* Compare-exchange attempts: a thread flipping the word cannot hold us. */
#define ROBUST_CMPXCHG_TRIES 64

/*
 * The lock word at @uaddr of a thread @tid that dies: a lock it owns gets
 * FUTEX_OWNER_DIED, keeping only FUTEX_WAITERS, and one waiter is woken
 * if there were waiters (for non-PI locks); a pending lock (@pending)
 * with no owner wakes a waiter, in case the unlock raced with the death.
 * Returns -1 when the word cannot be read or written.
 */
static int handle_death(uint64_t uaddr, int tid, bool pi, bool pending)
{
	uint32_t uval, mval, seen;

	if (uaddr % sizeof(uint32_t))
		return -1;
	for (int tries = 0; tries < ROBUST_CMPXCHG_TRIES; tries++) {
		if (FR_GET_USER(uval, fr_uaddr(uaddr)))
			return -1;
		if (pending && !pi && !(uval & FUTEX_TID_MASK)) {
			futex_wake_address(uaddr);
			return 0;
		}
		if ((uval & FUTEX_TID_MASK) != (uint32_t)tid)
			return 0;
		mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		seen = uval;
		if (fr_user_cmpxchg_u32(fr_uaddr(uaddr), &seen, mval))
			return -1;
		if (seen != uval)
			continue; /* changed meanwhile */
		if (!pi && (uval & FUTEX_WAITERS))
			futex_wake_address(uaddr);
		return 0;
	}
	return -1;
}

/* Read a robust-list pointer at @uaddr: the entry and its PI bit. */
static int fetch_entry(uint64_t uaddr, uint64_t *entry, bool *pi)
{
	uint64_t v;

	if (FR_GET_USER(v, fr_uaddr(uaddr)))
		return -EFAULT;
	*entry = v & ~1ULL;
	*pi = v & 1;
	return 0;
}

void futex_exit_robust_list(void)
{
	struct thread *t = current_thread();
	uint64_t head, entry, next = 0, pending, list;
	bool pi, next_pi = false, pending_pi;
	unsigned limit = ROBUST_LIST_LIMIT;
	int64_t futex_offset;
	int rc;

	if (!t || !t->robust_list)
		return;
	head = t->robust_list;
	list = head + offsetof(struct robust_list_head, list);
	if (fetch_entry(list + offsetof(struct robust_list, next), &entry,
			&pi) ||
	    FR_GET_USER(futex_offset,
			fr_uaddr(head + offsetof(struct robust_list_head,
						 futex_offset))) ||
	    fetch_entry(head + offsetof(struct robust_list_head,
					list_op_pending),
			&pending, &pending_pi))
		return;
	while (entry != list) {
		/* the next link first: the lock's owner may free the entry */
		rc = fetch_entry(entry + offsetof(struct robust_list, next),
				 &next, &next_pi);
		if (entry != pending &&
		    handle_death(entry + (uint64_t)futex_offset, t->tid, pi,
				 false))
			return;
		if (rc)
			return;
		entry = next;
		pi = next_pi;
		if (!--limit)
			break;
	}
	if (pending)
		handle_death(pending + (uint64_t)futex_offset, t->tid,
			     pending_pi, true);
}
