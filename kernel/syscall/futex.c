/*
 * Futex system calls: futex (its operations decoded as Linux does, the
 * work done by futex/futex.c), set_robust_list and get_robust_list.
 *
 * The priority-inheritance operations (FUTEX_LOCK_PI, LOCK_PI2,
 * UNLOCK_PI, TRYLOCK_PI, WAIT_REQUEUE_PI, CMP_REQUEUE_PI) return -ENOSYS,
 * as Linux built without CONFIG_FUTEX_PI does; C libraries take that as
 * "no PI mutexes".  FUTEX_FD and unknown operations are -ENOSYS too.
 */
#include <linux/futex.h>
#include <linux/time.h>
#include "syscall/syscall.h"
#include "futex/futex.h"
#include "process/process.h"
#include "time/clock.h"
#include "time/timer.h"

/* The operations whose fourth argument is a timeout. */
static bool has_timeout(int cmd)
{
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_LOCK_PI:
	case FUTEX_LOCK_PI2:
	case FUTEX_WAIT_BITSET:
	case FUTEX_WAIT_REQUEUE_PI:
		return true;
	default:
		return false;
	}
}

long sys_futex(const struct syscall_args *a)
{
	uint64_t uaddr = a->arg[0], utime = a->arg[3], uaddr2 = a->arg[4];
	int op = (int)a->arg[1];
	uint32_t val = (uint32_t)a->arg[2], val3 = (uint32_t)a->arg[5];
	/* the fourth argument as a count, for the requeue and wake-op */
	int val2 = (int)(uint32_t)utime;
	int cmd = op & FUTEX_CMD_MASK;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	uint64_t deadline = KTIME_NEVER;

	if (utime && has_timeout(cmd)) {
		uint64_t ns;
		int err = timespec_from_user(fr_uaddr(utime), &ns);

		if (err)
			return err;
		/* FUTEX_WAIT's timeout is relative, the others absolute */
		if (cmd == FUTEX_WAIT)
			deadline = ktime_add(fr_monotonic_ns(), ns);
		else
			deadline = clock_to_monotonic(
				realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, ns);
	}
	if (realtime && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;

	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, shared, val, deadline,
				  FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, shared, val, deadline, val3);
	case FUTEX_WAKE:
		return futex_wake(uaddr, shared, (int)val,
				  FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, shared, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, shared, uaddr2, (int)val, val2,
				     NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, shared, uaddr2, (int)val, val2,
				     &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, shared, uaddr2, (int)val, val2,
				     val3);
	default:
		return -ENOSYS;
	}
}

long sys_set_robust_list(const struct syscall_args *a)
{
	struct thread *t = current_thread();

	if (a->arg[1] != sizeof(struct robust_list_head))
		return -EINVAL;
	t->robust_list = a->arg[0];
	t->robust_len = a->arg[1];
	return 0;
}

long sys_get_robust_list(const struct syscall_args *a)
{
	int tid = (int)a->arg[0];
	uint64_t len = sizeof(struct robust_list_head), head;
	struct thread *t = current_thread();

	/* any thread may be asked about (as root may ptrace anyone) */
	if (tid && tid != t->tid) {
		fr_mutex_lock(&process_tree_lock);
		t = thread_find(tid);
		head = t ? t->robust_list : 0;
		fr_mutex_unlock(&process_tree_lock);
		if (!t)
			return -ESRCH;
	} else {
		head = t->robust_list;
	}
	if (FR_PUT_USER(len, fr_uaddr(a->arg[2])))
		return -EFAULT;
	return FR_PUT_USER(head, fr_uaddr(a->arg[1])) ? -EFAULT : 0;
}
