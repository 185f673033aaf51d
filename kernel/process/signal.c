/*
 * Signal delivery.  Senders put a signal in a pending set under the
 * process's siglock and post an event to a thread that can take it; the
 * thread, on its way back to user mode, takes pending signals one by one:
 * the default action (end, stop, ignore), or a frame on the user stack
 * laid out as Linux's x86-64 rt_sigframe so that the C libraries' handlers
 * and their sigreturn trampolines work unchanged.
 */
#include <frame/heap.h>
#include <frame/log.h>
#include <libs/string.h>
#include <asm/signal.h>
#include <asm/siginfo.h>
#include <asm/sigcontext.h>
#include <asm/ucontext.h>
#include <linux/signal.h>
#include "fs/signalfd.h"
#include "process/process.h"
#include "syscall/restart.h"

#define SIG_DFL_HANDLER 0
#define SIG_IGN_HANDLER 1

#define UNBLOCKABLE (SIGNAL_BIT(SIGKILL) | SIGNAL_BIT(SIGSTOP))
#define STOP_SIGNALS                                                           \
	(SIGNAL_BIT(SIGSTOP) | SIGNAL_BIT(SIGTSTP) | SIGNAL_BIT(SIGTTIN) |     \
	 SIGNAL_BIT(SIGTTOU))
/* taken first: the faults of the current instruction */
#define SYNCHRONOUS                                                            \
	(SIGNAL_BIT(SIGSEGV) | SIGNAL_BIT(SIGBUS) | SIGNAL_BIT(SIGILL) |       \
	 SIGNAL_BIT(SIGTRAP) | SIGNAL_BIT(SIGFPE) | SIGNAL_BIT(SIGSYS))
/* A queue bound so that a flood of RT signals cannot eat the heap. */
#define SIGQUEUE_MAX 1024

/* struct ucontext with integers for its pointers (checked below). */
struct frame_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
	struct sigcontext_64 mcontext;
	uint64_t sigmask;
};

/* Linux's struct rt_sigframe: the return address, context, siginfo. */
struct rt_sigframe {
	uint64_t pretcode;
	struct frame_ucontext uc;
	uint8_t info[sizeof(siginfo_t)];
};

_Static_assert(sizeof(struct frame_ucontext) == sizeof(struct ucontext),
	       "ucontext layout");
_Static_assert(offsetof(struct frame_ucontext, ss_size) ==
		       offsetof(struct ucontext, uc_stack.ss_size),
	       "stack_t layout");
_Static_assert(offsetof(struct frame_ucontext, mcontext) ==
		       offsetof(struct ucontext, uc_mcontext),
	       "mcontext offset");
_Static_assert(offsetof(struct frame_ucontext, sigmask) ==
		       offsetof(struct ucontext, uc_sigmask),
	       "sigmask offset");
_Static_assert(sizeof(struct sigcontext_64) == sizeof(struct sigcontext),
	       "sigcontext layout");
_Static_assert(sizeof(siginfo_t) == 128, "siginfo size");

static uint64_t sigqueue_used; /* atomic */

enum signal_default signal_default_action(int sig)
{
	switch (sig) {
	case SIGQUIT:
	case SIGILL:
	case SIGTRAP:
	case SIGABRT:
	case SIGBUS:
	case SIGFPE:
	case SIGSEGV:
	case SIGXCPU:
	case SIGXFSZ:
	case SIGSYS:
		return SIG_DEFAULT_CORE;
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
		return SIG_DEFAULT_IGNORE;
	case SIGCONT:
		return SIG_DEFAULT_CONT;
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return SIG_DEFAULT_STOP;
	default:
		return SIG_DEFAULT_TERM;
	}
}

void signal_process_init(struct signal_state *s)
{
	memset(s, 0, sizeof(*s));
}

void signal_process_fork(struct signal_state *child,
			 const struct signal_state *parent)
{
	memset(child, 0, sizeof(*child));
	memcpy(child->action, parent->action, sizeof(child->action));
}

void signal_process_exec(struct signal_state *s)
{
	for (int i = 0; i < SIGNAL_COUNT; i++) {
		bool ignored = s->action[i].handler == SIG_IGN_HANDLER;

		memset(&s->action[i], 0, sizeof(s->action[i]));
		if (ignored)
			s->action[i].handler = SIG_IGN_HANDLER;
	}
}

/* A new ordinary entry, counted; NULL at SIGQUEUE_MAX or without memory. */
static struct sigqueue *sigqueue_new(void)
{
	struct sigqueue *q = NULL;

	if (__atomic_add_fetch(&sigqueue_used, 1, __ATOMIC_RELAXED) >
		    SIGQUEUE_MAX ||
	    !(q = FR_NEW(struct sigqueue)))
		__atomic_sub_fetch(&sigqueue_used, 1, __ATOMIC_RELAXED);
	return q;
}

/* Take the entry @q off its list; a preallocated one goes back to its owner. */
static void release_entry(struct sigqueue *q)
{
	q->next = NULL;
	if (q->preallocated) {
		q->queued = false;
		q->where = NULL;
		return;
	}
	fr_kfree(q);
	__atomic_sub_fetch(&sigqueue_used, 1, __ATOMIC_RELAXED);
}

/* Whether @sig is still pending on @pend: its classic slot or an entry. */
static bool still_pending(const struct sigpending *pend, int sig)
{
	const struct sigqueue *q;

	if (pend->classic_held & SIGNAL_BIT(sig))
		return true;
	for (q = pend->queue; q; q = q->next)
		if (q->info.signo == sig)
			return true;
	return false;
}

static void drop_queued(struct sigpending *p, uint64_t set)
{
	struct sigqueue **pp = &p->queue, *q;

	while ((q = *pp)) {
		if (SIGNAL_BIT(q->info.signo) & set) {
			*pp = q->next;
			release_entry(q);
		} else {
			pp = &q->next;
		}
	}
	p->classic_held &= ~set;
	p->set &= ~set;
}

void signal_unqueue_locked(struct sigqueue *q)
{
	struct sigpending *pend = q->where;
	struct sigqueue **pp;
	int sig = q->info.signo;

	if (!q->queued || !pend)
		return;
	for (pp = &pend->queue; *pp && *pp != q; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = q->next;
	release_entry(q);
	if (!still_pending(pend, sig))
		pend->set &= ~SIGNAL_BIT(sig);
}

void signal_keep_pending_locked(struct sigqueue *q)
{
	struct sigpending *pend = q->where;
	struct sigqueue **pp, *copy;

	if (!q->queued || !pend)
		return;
	for (pp = &pend->queue; *pp && *pp != q; pp = &(*pp)->next)
		;
	/* counted as RT entries are; without one, it goes with its owner */
	if (!*pp || !(copy = sigqueue_new()))
		return;
	*copy = *q;
	copy->preallocated = false;
	copy->queued = false;
	copy->where = NULL;
	copy->info.status = q->overrun > INT32_MAX ? INT32_MAX :
						     (int32_t)q->overrun;
	*pp = copy;
	q->next = NULL;
	q->queued = false;
	q->where = NULL;
}

void signal_flush(struct sigpending *p)
{
	drop_queued(p, ~0ULL);
}

static bool is_ignored(const struct process *p, int sig, bool forced)
{
	const struct k_sigaction *ka = &p->sig.action[sig - 1];

	if (ka->handler == SIG_IGN_HANDLER)
		return true;
	if (ka->handler != SIG_DFL_HANDLER)
		return false;
	/* init only gets the signals it has a handler for */
	if (p->pid == 1 && !(forced && (SIGNAL_BIT(sig) & SYNCHRONOUS)))
		return true;
	return signal_default_action(sig) == SIG_DEFAULT_IGNORE;
}

/*
 * Queue @info on @pend, or the preallocated entry @pre (which holds its
 * info).  Classic signals do not queue twice, but a timer's entry does
 * (as on Linux).
 */
static int enqueue(struct sigpending *pend, const struct k_siginfo *info,
		   struct sigqueue *pre)
{
	int sig = info->signo;
	struct sigqueue *q = pre, **pp;

	if (pre) {
		pre->queued = true;
		pre->where = pend;
	} else if (sig < 32) {
		if (!(pend->set & SIGNAL_BIT(sig))) {
			pend->classic[sig - 1] = *info;
			pend->classic_held |= SIGNAL_BIT(sig);
		}
		pend->set |= SIGNAL_BIT(sig);
		return 0;
	} else {
		q = sigqueue_new();
		if (!q)
			return -EAGAIN;
		q->info = *info;
	}
	q->next = NULL;
	for (pp = &pend->queue; *pp; pp = &(*pp)->next)
		;
	*pp = q;
	pend->set |= SIGNAL_BIT(sig);
	return 0;
}

static bool wants(const struct thread *t, int sig)
{
	return !(t->sig.blocked & SIGNAL_BIT(sig));
}

/* Blocked now or outside a sigtimedwait: the program wants to see it. */
static bool held_back(const struct thread *t, int sig)
{
	return (t->sig.blocked | t->sig.real_blocked) & SIGNAL_BIT(sig);
}

/* signal_send() with the siglock held; @pre: a timer's entry to queue. */
static int send_locked(struct process *p, struct thread *t,
		       const struct k_siginfo *info, bool forced,
		       struct sigqueue *pre)
{
	int sig = info->signo;
	struct thread *th;
	int err;

	if (sig <= 0 || sig > SIGNAL_COUNT)
		return -EINVAL;
	if (p->state == PROCESS_ZOMBIE || p->group_exit)
		return 1;
	if (sig == SIGCONT || sig == SIGKILL) {
		/* wakes a stopped process; pending stops are forgotten */
		drop_queued(&p->sig.shared, STOP_SIGNALS);
		for (th = p->threads; th; th = th->next_in_process)
			drop_queued(&th->sig.pending, STOP_SIGNALS);
		if (p->stopped) {
			p->stopped = false;
			p->report_stop = false;
			p->report_continue = true;
			p->sig.continued_notify = true;
			fr_wake_all(&p->stop_wait);
		}
	} else if (SIGNAL_BIT(sig) & STOP_SIGNALS) {
		drop_queued(&p->sig.shared, SIGNAL_BIT(SIGCONT));
		for (th = p->threads; th; th = th->next_in_process)
			drop_queued(&th->sig.pending, SIGNAL_BIT(SIGCONT));
	}
	if (sig == SIGKILL && !(p->pid == 1 && !forced)) {
		/* nothing stops SIGKILL: the whole process ends */
		p->group_exit = true;
		p->exit_status = SIGKILL;
		for (th = p->threads; th; th = th->next_in_process)
			fr_task_post_event(th->task);
		return pre ? 1 : 0;
	}
	/* an ignored signal is dropped unless blocked (the handler may change) */
	if (is_ignored(p, sig, forced) &&
	    !(t ? held_back(t, sig) : p->threads && held_back(p->threads, sig)))
		return pre ? 1 : 0;
	err = enqueue(t ? &t->sig.pending : &p->sig.shared, info, pre);
	if (err)
		return err;
	if (t) {
		if (wants(t, sig))
			fr_task_post_event(t->task);
	} else {
		for (th = p->threads; th; th = th->next_in_process) {
			if (wants(th, sig)) {
				fr_task_post_event(th->task);
				break;
			}
		}
	}
	return 0;
}

int signal_send(struct process *p, struct thread *t,
		const struct k_siginfo *info, bool forced)
{
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);
	int err = send_locked(p, t, info, forced, NULL);

	fr_spin_unlock_irqrestore(&p->siglock, irq);
	if (!err)
		signalfd_notify(info->signo); /* pending now: signalfds see it */
	return err > 0 ? 0 : err;
}

int signal_send_locked(struct process *p, struct thread *t,
		       const struct k_siginfo *info)
{
	int err = send_locked(p, t, info, false, NULL);

	if (!err)
		signalfd_notify(info->signo);
	return err > 0 ? 0 : err;
}

int signal_send_preallocated_locked(struct process *p, struct thread *t,
				    struct sigqueue *q, uint64_t missed)
{
	if (q->queued) {
		q->overrun = ktime_add(q->overrun, ktime_add(missed, 1));
		return 0;
	}
	q->overrun = missed;
	if (send_locked(p, t, &q->info, false, q))
		return 1;
	signalfd_notify(q->info.signo);
	return 0;
}

int signal_send_simple(struct process *p, struct thread *t, int sig)
{
	struct process *self = current_process();
	struct k_siginfo info = {
		.signo = sig,
		.code = self ? SI_USER : SI_KERNEL,
		.pid = self ? self->pid : 0,
		.kind = SI_KIND_KILL,
	};

	if (t)
		info.code = SI_TKILL;
	return signal_send(p, t, &info, !self);
}

void signal_force(struct thread *t, int sig, int code, uint64_t addr)
{
	struct process *p = t->proc;
	struct k_sigaction *ka = &p->sig.action[sig - 1];
	struct k_siginfo info = {
		.signo = sig,
		.code = code,
		.value = addr,
		.kind = SI_KIND_FAULT,
	};
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);

	if (ka->handler == SIG_IGN_HANDLER || !wants(t, sig)) {
		ka->handler = SIG_DFL_HANDLER;
		t->sig.blocked &= ~SIGNAL_BIT(sig);
	}
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	signal_send(p, t, &info, true);
}

bool signal_pending_for(const struct thread *t)
{
	const struct process *p = t->proc;

	return p->group_exit || p->stopped ||
	       ((t->sig.pending.set | p->sig.shared.set) & ~t->sig.blocked);
}

/* The info of a dequeued entry; a timer's reports its overruns. */
static void take_entry(struct sigqueue *q, struct k_siginfo *info)
{
	*info = q->info;
	if (q->preallocated) {
		info->status = q->overrun > INT32_MAX ? INT32_MAX :
							 (int32_t)q->overrun;
		q->overrun_last = info->status;
		q->overrun = 0;
	}
	release_entry(q);
}

int signal_dequeue_from(struct sigpending *pend, uint64_t set,
			struct k_siginfo *info)
{
	uint64_t ready = pend->set & set;
	struct sigqueue **pp, *q;
	int sig;

	if (!ready)
		return 0;
	if (ready & SYNCHRONOUS)
		ready &= SYNCHRONOUS;
	sig = __builtin_ctzll(ready) + 1;
	if (pend->classic_held & SIGNAL_BIT(sig)) {
		/* a classic slot is filled only when nothing was pending */
		*info = pend->classic[sig - 1];
		pend->classic_held &= ~SIGNAL_BIT(sig);
	} else {
		for (pp = &pend->queue; (q = *pp); pp = &q->next)
			if (q->info.signo == sig)
				break;
		if (!q) { /* cannot happen: the set and the queue agree */
			pend->set &= ~SIGNAL_BIT(sig);
			return 0;
		}
		*pp = q->next;
		take_entry(q, info);
	}
	/* another instance of the same signal keeps it pending */
	if (!still_pending(pend, sig))
		pend->set &= ~SIGNAL_BIT(sig);
	return sig;
}

int signal_dequeue(struct thread *t, uint64_t set, struct k_siginfo *info)
{
	int sig = signal_dequeue_from(&t->sig.pending, set, info);

	return sig ? sig : signal_dequeue_from(&t->proc->sig.shared, set, info);
}

int signal_info_to_user(uint64_t uaddr, const struct k_siginfo *info)
{
	uint8_t raw[sizeof(siginfo_t)];

	memset(raw, 0, sizeof(raw));
#define PUT32(field, val)                                                      \
	do {                                                                   \
		int32_t v_ = (int32_t)(val);                                   \
		memcpy(raw + offsetof(siginfo_t, field), &v_, sizeof(v_));    \
	} while (0)
#define PUT64(field, val)                                                      \
	do {                                                                   \
		int64_t v_ = (int64_t)(val);                                   \
		memcpy(raw + offsetof(siginfo_t, field), &v_, sizeof(v_));    \
	} while (0)
	PUT32(si_signo, info->signo);
	PUT32(si_errno, info->errno_);
	PUT32(si_code, info->code);
	switch (info->kind) {
	case SI_KIND_FAULT:
		PUT64(si_addr, info->value);
		break;
	case SI_KIND_CHLD:
		PUT32(si_pid, info->pid);
		PUT32(si_uid, info->uid);
		PUT32(si_status, info->status);
		PUT64(si_utime, info->utime);
		PUT64(si_stime, info->stime);
		break;
	case SI_KIND_TIMER:
		PUT32(si_tid, info->pid);
		PUT32(si_overrun, info->status);
		PUT64(si_value, info->value);
		break;
	default:
		PUT32(si_pid, info->pid);
		PUT32(si_uid, info->uid);
		PUT64(si_value, info->value);
		break;
	}
#undef PUT32
#undef PUT64
	return fr_copy_to_user(fr_uaddr(uaddr), raw, sizeof(raw)) ? -EFAULT :
								     0;
}

int signal_info_from_user(struct k_siginfo *info, uint64_t uaddr)
{
	uint8_t raw[sizeof(siginfo_t)];

	if (fr_copy_from_user(raw, fr_uaddr(uaddr), sizeof(raw)))
		return -EFAULT;
	memset(info, 0, sizeof(*info));
	memcpy(&info->signo, raw + offsetof(siginfo_t, si_signo), 4);
	memcpy(&info->errno_, raw + offsetof(siginfo_t, si_errno), 4);
	memcpy(&info->code, raw + offsetof(siginfo_t, si_code), 4);
	memcpy(&info->pid, raw + offsetof(siginfo_t, si_pid), 4);
	memcpy(&info->uid, raw + offsetof(siginfo_t, si_uid), 4);
	memcpy(&info->value, raw + offsetof(siginfo_t, si_value), 8);
	info->kind = SI_KIND_RT;
	return 0;
}

/* ---- delivery ---- */

static bool on_altstack(const struct thread *t, uint64_t sp)
{
	return t->sig.ss_size && sp - t->sig.ss_sp < t->sig.ss_size;
}

/*
 * Build the frame for handler @ka of @sig and point @regs at the handler.
 * @mask is the mask to put back at sigreturn.  Returns 0 or -EFAULT.
 */
static int setup_frame(struct thread *t, struct fr_user_regs *regs, int sig,
		       const struct k_siginfo *info,
		       const struct k_sigaction *ka, uint64_t mask)
{
	struct rt_sigframe frame;
	struct fr_fpu_state fpu;
	struct sigcontext_64 *mc = &frame.uc.mcontext;
	uint64_t sp = regs->rsp - 128, fpstate, addr; /* the red zone */
	bool was_on = on_altstack(t, regs->rsp);

	if (!(ka->flags & SA_RESTORER))
		return -EFAULT; /* x86-64 programs must give a trampoline */
	bool to_altstack = (ka->flags & SA_ONSTACK) && t->sig.ss_size &&
			   !was_on;

	if (to_altstack)
		sp = t->sig.ss_sp + t->sig.ss_size;
	fpstate = (sp - sizeof(fpu)) & ~63UL;
	addr = ((fpstate - sizeof(frame)) & ~15UL) - 8;

	memset(&frame, 0, sizeof(frame));
	frame.pretcode = ka->restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	frame.uc.ss_sp = t->sig.ss_sp;
	frame.uc.ss_size = t->sig.ss_size;
	frame.uc.ss_flags = !t->sig.ss_size ? SS_DISABLE :
			    was_on	   ? SS_ONSTACK :
					     t->sig.ss_flags;
	mc->r8 = regs->r8;
	mc->r9 = regs->r9;
	mc->r10 = regs->r10;
	mc->r11 = regs->r11;
	mc->r12 = regs->r12;
	mc->r13 = regs->r13;
	mc->r14 = regs->r14;
	mc->r15 = regs->r15;
	mc->di = regs->rdi;
	mc->si = regs->rsi;
	mc->bp = regs->rbp;
	mc->bx = regs->rbx;
	mc->dx = regs->rdx;
	mc->ax = regs->rax;
	mc->cx = regs->rcx;
	mc->sp = regs->rsp;
	mc->ip = regs->rip;
	mc->flags = regs->rflags;
	mc->cs = (uint16_t)regs->cs;
	mc->ss = (uint16_t)regs->ss;
	mc->err = info->kind == SI_KIND_FAULT ? regs->error_code : 0;
	mc->trapno = info->kind == SI_KIND_FAULT ? regs->vector : 0;
	mc->oldmask = mask;
	mc->cr2 = info->kind == SI_KIND_FAULT ? info->value : 0;
	mc->fpstate = fpstate;
	frame.uc.sigmask = mask;

	fr_user_fpu_save(&fpu);
	if (fr_copy_to_user(fr_uaddr(fpstate), &fpu, sizeof(fpu)) ||
	    fr_copy_to_user(fr_uaddr(addr), &frame, offsetof(struct rt_sigframe, info)) ||
	    signal_info_to_user(addr + offsetof(struct rt_sigframe, info), info))
		return -EFAULT;

	if (to_altstack && (t->sig.ss_flags & SS_AUTODISARM)) {
		/* sigreturn puts it back from uc_stack */
		t->sig.ss_sp = t->sig.ss_size = 0;
		t->sig.ss_flags = 0;
	}
	regs->rdi = (uint64_t)sig;
	regs->rsi = addr + offsetof(struct rt_sigframe, info);
	regs->rdx = addr + offsetof(struct rt_sigframe, uc);
	regs->rax = 0;
	regs->rip = ka->handler;
	regs->rsp = addr;
	regs->rflags &= ~(0x400UL | 0x100UL | 0x10000UL); /* DF TF RF */
	fr_user_fpu_reset();
	return 0;
}

long signal_sigreturn(struct thread *t, struct fr_user_regs *regs)
{
	struct process *p = t->proc;
	uint64_t addr = regs->rsp - 8;
	struct rt_sigframe frame;
	struct sigcontext_64 *mc = &frame.uc.mcontext;
	struct fr_fpu_state fpu;
	unsigned long irq;

	t->syscall_nr = -1; /* the result is the restored rax, not restarted */
	if (fr_copy_from_user(&frame, fr_uaddr(addr),
			      offsetof(struct rt_sigframe, info)))
		goto bad;
	if (mc->fpstate) {
		if (fr_copy_from_user(&fpu, fr_uaddr(mc->fpstate), sizeof(fpu)))
			goto bad;
		fr_user_fpu_restore(&fpu);
	} else {
		fr_user_fpu_reset();
	}
	regs->r8 = mc->r8;
	regs->r9 = mc->r9;
	regs->r10 = mc->r10;
	regs->r11 = mc->r11;
	regs->r12 = mc->r12;
	regs->r13 = mc->r13;
	regs->r14 = mc->r14;
	regs->r15 = mc->r15;
	regs->rdi = mc->di;
	regs->rsi = mc->si;
	regs->rbp = mc->bp;
	regs->rbx = mc->bx;
	regs->rdx = mc->dx;
	regs->rax = mc->ax;
	regs->rcx = mc->cx;
	regs->rsp = mc->sp;
	regs->rip = mc->ip;
	/* the user may change the arithmetic flags, DF, TF, AC, RF */
	regs->rflags = (regs->rflags & ~0x50dd5UL) | (mc->flags & 0x50dd5UL);

	irq = fr_spin_lock_irqsave(&p->siglock);
	t->sig.blocked = frame.uc.sigmask & ~UNBLOCKABLE;
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	/* the alternate stack as it was (errors are ignored, as on Linux) */
	(void)signal_set_altstack(t, frame.uc.ss_sp, frame.uc.ss_size,
				  frame.uc.ss_flags, regs->rsp);
	return (long)regs->rax;
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	return (long)regs->rax;
bad:
	signal_force(t, SIGSEGV, SI_KERNEL, 0);
	return (long)regs->rax;
}

int signal_get_altstack(struct thread *t, uint64_t rsp, uint64_t *sp,
			uint64_t *size)
{
	unsigned long irq = fr_spin_lock_irqsave(&t->proc->siglock);
	int flags = !t->sig.ss_size	   ? SS_DISABLE :
		    on_altstack(t, rsp) ? SS_ONSTACK :
					  t->sig.ss_flags;

	*sp = t->sig.ss_sp;
	*size = t->sig.ss_size;
	fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
	return flags;
}

int signal_set_altstack(struct thread *t, uint64_t sp, uint64_t size,
			int flags, uint64_t rsp)
{
	int mode = flags & ~SS_AUTODISARM;
	unsigned long irq;

	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE)
		sp = size = 0;
	else if (size < MINSIGSTKSZ)
		return -ENOMEM;
	irq = fr_spin_lock_irqsave(&t->proc->siglock);
	if (on_altstack(t, rsp)) {
		fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
		return -EPERM;
	}
	t->sig.ss_sp = sp;
	t->sig.ss_size = size;
	t->sig.ss_flags = flags & SS_AUTODISARM;
	fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
	return 0;
}

/* Tell the parent that @p stopped or continued (task context). */
static void notify_parent(struct process *p, int code, int status)
{
	struct process *parent;

	fr_mutex_lock(&process_tree_lock);
	parent = p->parent;
	if (parent) {
		struct k_siginfo info = {
			.signo = SIGCHLD,
			.code = code,
			.pid = p->pid,
			.status = status,
			.kind = SI_KIND_CHLD,
		};

		if (!(parent->sig.action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
			signal_send(parent, NULL, &info, false);
		__atomic_add_fetch(&parent->child_events, 1, __ATOMIC_RELEASE);
		fr_wake_all(&parent->child_wait);
	}
	fr_mutex_unlock(&process_tree_lock);
}

/* Stop the whole process with @sig; the caller holds the siglock. */
static void begin_stop(struct process *p, int sig)
{
	struct thread *th;

	p->stopped = true;
	p->stop_signal = sig;
	p->report_stop = true;
	p->report_continue = false;
	for (th = p->threads; th; th = th->next_in_process)
		fr_task_post_event(th->task);
}

static bool still_stopped(struct process *p)
{
	return __atomic_load_n(&p->stopped, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&p->group_exit, __ATOMIC_ACQUIRE);
}

/* An interrupted call: restart it or make it fail with EINTR. */
static void restart_or_eintr(struct thread *t, struct fr_user_regs *regs,
			     const struct k_sigaction *ka)
{
	long ret = (long)regs->rax;

	if (t->syscall_nr < 0)
		return;
	switch (ret) {
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		if (ka)
			break;
		/* fall through */
	case -ERESTARTNOINTR:
		regs->rax = (uint64_t)t->syscall_nr;
		regs->rip -= 2; /* the syscall instruction again */
		t->syscall_nr = -1;
		return;
	case -ERESTARTSYS:
		if (!ka || (ka->flags & SA_RESTART)) {
			regs->rax = (uint64_t)t->syscall_nr;
			regs->rip -= 2;
			t->syscall_nr = -1;
			return;
		}
		break;
	default:
		return;
	}
	regs->rax = (uint64_t)-EINTR;
	t->syscall_nr = -1;
}

/*
 * Whether signal_deliver has anything to do beyond a system call's
 * restart, read without the lock: after each system call this spares the
 * lock's three rounds.  Another CPU that changes one of these for @t
 * afterwards posts it an event, so that it comes back here before it runs
 * user code; its own fields (blocked, restore_mask) only it changes.
 */
static bool signal_work(const struct thread *t)
{
	const struct process *p = t->proc;
	uint64_t pending =
		__atomic_load_n(&t->sig.pending.set, __ATOMIC_RELAXED) |
		__atomic_load_n(&p->sig.shared.set, __ATOMIC_RELAXED);

	return (pending & ~t->sig.blocked) || t->sig.restore_mask ||
	       __atomic_load_n(&p->group_exit, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&p->exec_thread, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&p->stopped, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&p->sig.continued_notify, __ATOMIC_RELAXED);
}

void signal_deliver(struct thread *t, struct fr_user_regs *regs)
{
	struct process *p = t->proc;

	if (!signal_work(t)) {
		long ret = (long)regs->rax;

		/* only the restart codes need restart_or_eintr */
		if (ret >= -ERESTART_RESTARTBLOCK && ret <= -ERESTARTSYS)
			restart_or_eintr(t, regs, NULL);
		return;
	}
	for (;;) {
		struct k_siginfo info;
		struct k_sigaction ka;
		unsigned long irq;
		uint64_t mask;
		bool notify;
		int sig;

		if (__atomic_load_n(&p->group_exit, __ATOMIC_ACQUIRE))
			process_exit_group(p->exit_status);
		irq = fr_spin_lock_irqsave(&p->siglock);
		if (p->exec_thread && p->exec_thread != t) {
			fr_spin_unlock_irqrestore(&p->siglock, irq);
			thread_exit(0); /* another thread runs a new program */
		}
		fr_spin_unlock_irqrestore(&p->siglock, irq);
		if (still_stopped(p)) {
			FR_WAIT_EVENT(&p->stop_wait, !still_stopped(p));
			continue;
		}
		irq = fr_spin_lock_irqsave(&p->siglock);
		notify = p->sig.continued_notify;
		p->sig.continued_notify = false;
		fr_spin_unlock_irqrestore(&p->siglock, irq);
		if (notify)
			notify_parent(p, CLD_CONTINUED, SIGCONT);
		irq = fr_spin_lock_irqsave(&p->siglock);
		sig = signal_dequeue(t, ~t->sig.blocked, &info);
		if (!sig) {
			fr_spin_unlock_irqrestore(&p->siglock, irq);
			restart_or_eintr(t, regs, NULL);
			if (t->sig.restore_mask) {
				irq = fr_spin_lock_irqsave(&p->siglock);
				t->sig.restore_mask = false;
				t->sig.blocked = t->sig.saved_mask;
				fr_spin_unlock_irqrestore(&p->siglock, irq);
			}
			return;
		}
		ka = p->sig.action[sig - 1];
		if (ka.handler == SIG_IGN_HANDLER) {
			fr_spin_unlock_irqrestore(&p->siglock, irq);
			continue;
		}
		if (ka.handler == SIG_DFL_HANDLER) {
			enum signal_default act = signal_default_action(sig);

			if (p->pid == 1 && !(SIGNAL_BIT(sig) & SYNCHRONOUS) &&
			    sig != SIGKILL)
				act = SIG_DEFAULT_IGNORE;
			if (act == SIG_DEFAULT_STOP && sig != SIGSTOP) {
				/* the terminal's stops spare orphaned groups */
				fr_spin_unlock_irqrestore(&p->siglock, irq);
				if (process_group_orphaned(p->pgid))
					continue;
				irq = fr_spin_lock_irqsave(&p->siglock);
			}
			if (act == SIG_DEFAULT_STOP) {
				begin_stop(p, sig);
				fr_spin_unlock_irqrestore(&p->siglock, irq);
				notify_parent(p, CLD_STOPPED, sig);
				continue;
			}
			fr_spin_unlock_irqrestore(&p->siglock, irq);
			if (act == SIG_DEFAULT_IGNORE || act == SIG_DEFAULT_CONT)
				continue;
			/* no core files yet: the wait status has no core flag */
			process_exit_group(sig);
		}
		/* a handler: its frame, then the mask it runs with */
		mask = t->sig.restore_mask ? t->sig.saved_mask : t->sig.blocked;
		t->sig.restore_mask = false;
		t->sig.blocked |= ka.mask & ~UNBLOCKABLE;
		if (!(ka.flags & SA_NODEFER))
			t->sig.blocked |= SIGNAL_BIT(sig);
		if (ka.flags & SA_RESETHAND)
			p->sig.action[sig - 1].handler = SIG_DFL_HANDLER;
		fr_spin_unlock_irqrestore(&p->siglock, irq);
		restart_or_eintr(t, regs, &ka);
		if (setup_frame(t, regs, sig, &info, &ka, mask)) {
			fr_printk("[pid %d] %s: cannot deliver signal %d: bad "
				  "stack %lx\n",
				  p->pid, p->comm, sig, regs->rsp);
			/* as Linux: a SIGSEGV handler that cannot run is reset */
			irq = fr_spin_lock_irqsave(&p->siglock);
			p->sig.action[SIGSEGV - 1].handler = SIG_DFL_HANDLER;
			fr_spin_unlock_irqrestore(&p->siglock, irq);
			signal_force(t, SIGSEGV, SI_KERNEL, 0);
		}
	}
}
