/*
 * The signal system calls: handlers (rt_sigaction), masks, pending sets,
 * waiting for signals, sending them (kill, tkill, tgkill, sigqueue) and
 * the alternate stack.  Delivery itself is in kernel/process/signal.c.
 */
#include <frame/task.h>
#include <frame/timer.h>
#include <libs/string.h>
#include <asm/signal.h>
#include <asm/siginfo.h>
#include <linux/time.h>
#include "syscall/syscall.h"
#include "syscall/restart.h"
#include "process/process.h"
#include "time/timer.h"

#define UNBLOCKABLE (SIGNAL_BIT(SIGKILL) | SIGNAL_BIT(SIGSTOP))

/* stack_t with an integer for its pointer. */
struct user_stack {
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
};
_Static_assert(sizeof(struct user_stack) == sizeof(stack_t), "stack_t");

static bool valid_signal(int sig)
{
	return sig >= 1 && sig <= SIGNAL_COUNT;
}

long sys_rt_sigaction(const struct syscall_args *a)
{
	int sig = (int)a->arg[0];
	struct process *p = current_process();
	struct k_sigaction act, old;
	struct thread *th;
	unsigned long irq;

	if (a->arg[3] != sizeof(uint64_t))
		return -EINVAL;
	if (!valid_signal(sig) ||
	    (a->arg[1] && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	if (a->arg[1] && FR_GET_USER(act, fr_uaddr(a->arg[1])))
		return -EFAULT;
	irq = fr_spin_lock_irqsave(&p->siglock);
	old = p->sig.action[sig - 1];
	if (a->arg[1]) {
		act.mask &= ~UNBLOCKABLE;
		p->sig.action[sig - 1] = act;
		/* POSIX: ignoring a pending signal discards it */
		if (act.handler == 1 ||
		    (act.handler == 0 &&
		     signal_default_action(sig) == SIG_DEFAULT_IGNORE)) {
			uint64_t bit = SIGNAL_BIT(sig);
			struct k_siginfo drop;

			while (p->sig.shared.set & bit)
				signal_dequeue_from(&p->sig.shared, bit, &drop);
			for (th = p->threads; th; th = th->next_in_process)
				while (th->sig.pending.set & bit)
					signal_dequeue_from(&th->sig.pending,
							    bit, &drop);
		}
	}
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	if (a->arg[2] && FR_PUT_USER(old, fr_uaddr(a->arg[2])))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(const struct syscall_args *a)
{
	struct thread *t = current_thread();
	int how = (int)a->arg[0];
	uint64_t set, old = t->sig.blocked;
	unsigned long irq;

	if (a->arg[3] != sizeof(uint64_t))
		return -EINVAL;
	if (a->arg[1]) {
		if (FR_GET_USER(set, fr_uaddr(a->arg[1])))
			return -EFAULT;
		set &= ~UNBLOCKABLE;
		irq = fr_spin_lock_irqsave(&t->proc->siglock);
		old = t->sig.blocked;
		switch (how) {
		case SIG_BLOCK:
			t->sig.blocked |= set;
			break;
		case SIG_UNBLOCK:
			t->sig.blocked &= ~set;
			break;
		case SIG_SETMASK:
			t->sig.blocked = set;
			break;
		default:
			fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
			return -EINVAL;
		}
		fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
	}
	if (a->arg[2] && FR_PUT_USER(old, fr_uaddr(a->arg[2])))
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(const struct syscall_args *a)
{
	struct thread *t = current_thread();
	unsigned long irq;
	uint64_t set;

	if (a->arg[1] > sizeof(uint64_t))
		return -EINVAL;
	irq = fr_spin_lock_irqsave(&t->proc->siglock);
	set = (t->sig.pending.set | t->proc->sig.shared.set) & t->sig.blocked;
	fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
	return fr_copy_to_user(fr_uaddr(a->arg[0]), &set, a->arg[1]) ? -EFAULT :
								       0;
}

/* Sleep until a signal is to be taken (pause, sigsuspend). */
static void sleep_until_signal(void)
{
	struct fr_waitqueue wq;

	fr_waitqueue_init(&wq);
	FR_WAIT_EVENT(&wq, thread_interrupted());
}

long sys_pause(const struct syscall_args *a)
{
	sleep_until_signal();
	return -ERESTARTNOHAND;
}

long sys_rt_sigsuspend(const struct syscall_args *a)
{
	struct thread *t = current_thread();
	unsigned long irq;
	uint64_t mask;

	if (a->arg[1] != sizeof(uint64_t))
		return -EINVAL;
	if (FR_GET_USER(mask, fr_uaddr(a->arg[0])))
		return -EFAULT;
	irq = fr_spin_lock_irqsave(&t->proc->siglock);
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_mask = true;
	t->sig.blocked = mask & ~UNBLOCKABLE;
	fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
	sleep_until_signal();
	return -ERESTARTNOHAND;
}

long sys_rt_sigtimedwait(const struct syscall_args *a)
{
	struct thread *t = current_thread();
	struct k_siginfo info;
	struct __kernel_timespec ts;
	uint64_t set, deadline = KTIME_NEVER, real_blocked;
	bool timed_out = false;
	unsigned long irq;
	int sig;

	if (a->arg[3] != sizeof(uint64_t))
		return -EINVAL;
	if (FR_GET_USER(set, fr_uaddr(a->arg[0])))
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	if (a->arg[2]) {
		if (FR_GET_USER(ts, fr_uaddr(a->arg[2])))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		deadline = ktime_add(fr_monotonic_ns(),
				     ktime_add((uint64_t)ts.tv_sec * NSEC_PER_SEC,
					       (uint64_t)ts.tv_nsec));
	}
	irq = fr_spin_lock_irqsave(&t->proc->siglock);
	real_blocked = t->sig.blocked;
	t->sig.real_blocked = real_blocked;
	/* the awaited signals may wake us while we wait */
	t->sig.blocked &= ~set;
	for (;;) {
		struct fr_waitqueue wq;

		sig = signal_dequeue(t, set, &info);
		if (sig || signal_pending_for(t))
			break;
		fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
		/* an awaited signal makes thread_interrupted() true */
		fr_waitqueue_init(&wq);
		timed_out = KTIME_WAIT_EVENT(&wq, false, deadline) == -ETIMEDOUT;
		irq = fr_spin_lock_irqsave(&t->proc->siglock);
		if (timed_out) {
			sig = signal_dequeue(t, set, &info);
			break;
		}
	}
	t->sig.blocked = real_blocked;
	t->sig.real_blocked = 0;
	fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
	if (!sig)
		return timed_out ? -EAGAIN : -EINTR;
	if (a->arg[1] && signal_info_to_user(a->arg[1], &info))
		return -EFAULT;
	return sig;
}

long sys_rt_sigreturn(const struct syscall_args *a)
{
	return signal_sigreturn(current_thread(), a->regs);
}

/* Send @sig to every process that kill(@pid) names.  [tree] held */
static int kill_many(int pid, int sig)
{
	struct process *self = current_process(), *p;
	int pgid = pid == 0 ? self->pgid : -pid, found = 0, err = 0, e;

	for (p = process_first(); p; p = p->next_all) {
		if (pid == -1 ? (p->pid == 1 || p == self) : p->pgid != pgid)
			continue;
		if (p->state == PROCESS_ZOMBIE && pid == -1)
			continue;
		found++;
		e = sig ? signal_send_simple(p, NULL, sig) : 0;
		if (e)
			err = e;
	}
	return found ? err : -ESRCH;
}

long sys_kill(const struct syscall_args *a)
{
	int pid = (int)a->arg[0], sig = (int)a->arg[1], err;
	struct process *p;

	if (sig && !valid_signal(sig))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	fr_mutex_lock(&process_tree_lock);
	if (pid > 0) {
		p = process_find(pid);
		err = !p ? -ESRCH : sig ? signal_send_simple(p, NULL, sig) : 0;
	} else {
		err = kill_many(pid, sig);
	}
	fr_mutex_unlock(&process_tree_lock);
	return err;
}

/* Send to one thread, of process @tgid unless it is -1. */
static long kill_thread(int tgid, int tid, int sig)
{
	struct thread *t;
	int err;

	if (tid <= 0 || (tgid != -1 && tgid <= 0))
		return -EINVAL;
	if (sig && !valid_signal(sig))
		return -EINVAL;
	fr_mutex_lock(&process_tree_lock);
	t = thread_find(tid);
	if (!t || (tgid != -1 && t->proc->pid != tgid))
		err = -ESRCH;
	else
		err = sig ? signal_send_simple(t->proc, t, sig) : 0;
	fr_mutex_unlock(&process_tree_lock);
	return err;
}

long sys_tkill(const struct syscall_args *a)
{
	return kill_thread(-1, (int)a->arg[0], (int)a->arg[1]);
}

long sys_tgkill(const struct syscall_args *a)
{
	return kill_thread((int)a->arg[0], (int)a->arg[1], (int)a->arg[2]);
}

/* rt_sigqueueinfo / rt_tgsigqueueinfo: the sender's own siginfo. */
static long queue_info(int tgid, int tid, int sig, uint64_t uinfo)
{
	struct process *self = current_process(), *p;
	struct thread *t = NULL;
	struct k_siginfo info;
	int err;

	if (signal_info_from_user(&info, uinfo))
		return -EFAULT;
	if (sig && !valid_signal(sig))
		return -EINVAL;
	/* only the kernel may claim to be the kernel or tkill */
	if ((info.code >= 0 || info.code == SI_TKILL) && tgid != self->pid)
		return -EPERM;
	info.signo = sig;
	fr_mutex_lock(&process_tree_lock);
	if (tid) {
		t = thread_find(tid);
		p = t && t->proc->pid == tgid ? t->proc : NULL;
	} else {
		p = process_find(tgid);
	}
	err = !p ? -ESRCH : sig ? signal_send(p, t, &info, false) : 0;
	fr_mutex_unlock(&process_tree_lock);
	return err;
}

long sys_rt_sigqueueinfo(const struct syscall_args *a)
{
	return queue_info((int)a->arg[0], 0, (int)a->arg[1], a->arg[2]);
}

long sys_rt_tgsigqueueinfo(const struct syscall_args *a)
{
	if ((int)a->arg[0] <= 0 || (int)a->arg[1] <= 0)
		return -EINVAL;
	return queue_info((int)a->arg[0], (int)a->arg[1], (int)a->arg[2],
			  a->arg[3]);
}

long sys_sigaltstack(const struct syscall_args *a)
{
	struct thread *t = current_thread();
	struct user_stack ss, old = { 0 };
	int err;

	old.ss_flags = signal_get_altstack(t, a->regs->rsp, &old.ss_sp,
					   &old.ss_size);
	if (a->arg[0]) {
		if (FR_GET_USER(ss, fr_uaddr(a->arg[0])))
			return -EFAULT;
		err = signal_set_altstack(t, ss.ss_sp, ss.ss_size, ss.ss_flags,
					  a->regs->rsp);
		if (err)
			return err;
	}
	if (a->arg[1] && FR_PUT_USER(old, fr_uaddr(a->arg[1])))
		return -EFAULT;
	return 0;
}
