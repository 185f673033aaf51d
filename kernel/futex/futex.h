/*
 * Futexes: sleeping on a 32-bit user word until another thread wakes it,
 * with the operations of futex(2) (PI operations excepted), and the
 * robust-list cleanup of a dying thread.
 *
 * A futex is named by a key: a private futex (FUTEX_PRIVATE_FLAG) by its
 * address space and address; a shared one by the physical page and the
 * offset in it when the page lies in a shared mapping (VMA_SHARED), else
 * like a private one (so private and shared operations on private memory
 * meet, where Linux keeps them apart).
 *
 * Deadlines are monotonic nanoseconds (KTIME_NEVER: none).  An
 * interrupted wait returns -ERESTARTSYS without a deadline and
 * -ERESTART_RESTARTBLOCK with one, as Linux does.
 */
#ifndef KERNEL_FUTEX_FUTEX_H
#define KERNEL_FUTEX_FUTEX_H

#include <frame/types.h>

/* futex_setup - initialize the hash buckets.  Context: boot, once. */
void futex_setup(void);

/*
 * futex_wait - sleep while the word at @uaddr holds @val, until woken
 * by a wake whose bitset meets @bitset, @deadline or a signal.
 * Returns 0 (woken), -EAGAIN (the word differs), -ETIMEDOUT, -EINVAL
 * (@bitset 0, misaligned), -EFAULT or an -ERESTART* code.
 */
long futex_wait(uint64_t uaddr, bool shared, uint32_t val, uint64_t deadline,
		uint32_t bitset);

/*
 * futex_wake - wake waiters of @uaddr whose bitset meets @bitset: @nr of
 * them, but at least one (as Linux, which wakes one for @nr <= 0).
 * Returns the number woken, -EINVAL or -EFAULT.
 */
long futex_wake(uint64_t uaddr, bool shared, int nr, uint32_t bitset);

/*
 * futex_requeue - wake @nr_wake waiters of @uaddr and move up to
 * @nr_requeue more to @uaddr2; with @cmpval, only if the word at @uaddr
 * holds *@cmpval (else -EAGAIN).  Returns the number woken and moved,
 * -EINVAL or -EFAULT.
 */
long futex_requeue(uint64_t uaddr, bool shared, uint64_t uaddr2, int nr_wake,
		   int nr_requeue, const uint32_t *cmpval);

/*
 * futex_wake_op - apply the encoded operation @op to the word at @uaddr2
 * atomically, wake @nr_wake waiters of @uaddr and, when the comparison
 * of @op holds for the old value, @nr_wake2 waiters of @uaddr2.  Returns
 * the number woken, -EINVAL, -EFAULT, or -ENOSYS for an unknown
 * operation or comparison (the operation is done before the comparison
 * is decoded, as in Linux).
 */
long futex_wake_op(uint64_t uaddr, bool shared, uint64_t uaddr2, int nr_wake,
		   int nr_wake2, uint32_t op);

/*
 * futex_wake_address - wake one waiter of the futex at @uaddr in the
 * calling thread's address space, whether it waits with a shared or a
 * private key (for CLONE_CHILD_CLEARTID at thread exit).  Bad addresses
 * are ignored.  Context: a user thread, its address space active.
 */
void futex_wake_address(uint64_t uaddr);

/*
 * futex_exit_robust_list - walk the calling thread's robust list (set by
 * set_robust_list) as Linux does at thread exit: every lock still owned
 * by the thread's tid, and the one in list_op_pending, gets
 * FUTEX_OWNER_DIED (its tid cleared) and one waiter woken when
 * FUTEX_WAITERS was set; at most ROBUST_LIST_LIMIT entries, stopping at
 * the first bad user pointer.  Context: a user thread, its address space
 * still active (before the vm is released, and before the
 * clear_child_tid wake-up).
 */
void futex_exit_robust_list(void);

#endif
