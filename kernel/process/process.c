/*
 * Process and thread lifetime: PID 1's creation, clone (threads, fork,
 * vfork), exec, the per-thread user loop, exit with zombies and
 * reparenting to init, wait, process groups and sessions.
 */
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/timer.h>
#include <libs/string.h>
#include <asm/signal.h>
#include <asm/siginfo.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include "process/process.h"
#include "futex/futex.h"
#include "syscall/syscall.h"
#include "syscall/restart.h"
#include "tty/tty.h"

struct fr_mutex process_tree_lock;
static struct process *init_process;	/* [tree] pid 1 */
static struct process *all_processes;	/* [tree] list through next_all */
static int next_pid = 1;		/* [tree] the next pid to try */
static int last_pid;			/* [tree] atomic reads: given last */
static int pid_max = PID_MAX_DEFAULT;	/* [tree] */
static bool pids_wrapped;		/* [tree] next_pid went back once */
static struct thread *reserved_threads; /* [tree] through next_reserved */

struct thread *current_thread(void)
{
	return FR_TASK_DATA(fr_task_current(), struct thread);
}

struct process *current_process(void)
{
	struct thread *t = current_thread();

	return t ? t->proc : NULL;
}

struct vm_map *current_vm(void)
{
	struct process *p = current_process();

	return p && p->mm ? &p->mm->map : NULL;
}

bool thread_interrupted(void)
{
	struct thread *t = current_thread();
	unsigned long irq;
	bool pending;

	if (!t)
		return false;
	irq = fr_spin_lock_irqsave(&t->proc->siglock);
	pending = signal_pending_for(t) ||
		  (t->proc->exec_thread && t->proc->exec_thread != t);
	fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
	return pending;
}

/* ---- address spaces ---- */

static struct mm *mm_create(void)
{
	struct mm *mm = FR_NEW(struct mm);

	if (!mm)
		return NULL;
	if (vm_map_init(&mm->map)) {
		fr_kfree(mm);
		return NULL;
	}
	mm->users = 1;
	return mm;
}

/*
 * The program file may not be opened for writing while a memory runs it
 * (ETXTBSY, as Linux's deny_write_access); the memory's end allows it.
 */
static int mm_deny_exe_write(struct mm *mm)
{
	int err;

	if (!mm->exe.dentry || !mm->exe.dentry->inode)
		return 0;
	err = inode_deny_write(mm->exe.dentry->inode);
	mm->exe_denied = !err;
	return err;
}

static void mm_put(struct mm *mm)
{
	if (__atomic_sub_fetch(&mm->users, 1, __ATOMIC_ACQ_REL))
		return;
	vm_map_destroy(&mm->map);
	if (mm->exe_denied)
		inode_allow_write(mm->exe.dentry->inode);
	path_put(&mm->exe);
	fr_kfree(mm);
}

/* ---- the user loop ---- */

static void deliver_fault(struct thread *t, const struct fr_user_exception *e)
{
	struct fr_user_regs *regs = fr_user_context_regs(t->uctx);
	int sig = SIGSEGV, code = SI_KERNEL;
	uint64_t addr = 0;

	switch (e->vector) {
	case FR_EXC_PAGE_FAULT: {
		int err = vm_map_fault(&t->proc->mm->map, e->fault_addr,
				       e->error_code & FR_PF_WRITE,
				       e->error_code & FR_PF_INSTR);
		if (!err)
			return;
		if (err == -ENOMEM) {
			fr_printk("[pid %d] out of memory at %lx\n",
				  t->proc->pid, e->fault_addr);
			process_exit_group(SIGKILL);
		}
		addr = e->fault_addr;
		if (err == -EIO) { /* past the end of shared memory */
			sig = SIGBUS;
			code = BUS_ADRERR;
			break;
		}
		code = err == -EACCES ? SEGV_ACCERR : SEGV_MAPERR;
		break;
	}
	case FR_EXC_DIVIDE:
		sig = SIGFPE;
		code = FPE_INTDIV;
		addr = regs->rip;
		break;
	case FR_EXC_FPU:
	case FR_EXC_SIMD:
		sig = SIGFPE;
		code = FPE_FLTINV;
		addr = regs->rip;
		break;
	case FR_EXC_INVALID_OPCODE:
		sig = SIGILL;
		code = ILL_ILLOPN;
		addr = regs->rip;
		break;
	case FR_EXC_BREAKPOINT:
	case FR_EXC_DEBUG:
		sig = SIGTRAP;
		break;
	default:
		break;
	}
	if (!t->proc->sig.action[sig - 1].handler)
		fr_printk("[pid %d] %s: %s at %lx ip %lx error %lx\n",
			  t->proc->pid, t->proc->comm,
			  sig == SIGSEGV ? "segfault" :
			  sig == SIGILL	 ? "illegal instruction" :
					   "fatal exception",
			  e->fault_addr, regs->rip, e->error_code);
	signal_force(t, sig, code, addr);
}

static void thread_main(void *unused)
{
	struct thread *t = current_thread();
	struct fr_user_regs *regs = fr_user_context_regs(t->uctx);
	struct fr_user_exception exc;

	(void)unused;
	fr_vm_space_activate(t->proc->mm->map.space);
	if (t->start_fpu) {
		fr_user_fpu_restore(t->start_fpu);
		fr_kfree(t->start_fpu);
		t->start_fpu = NULL;
	} else {
		fr_user_fpu_reset();
	}
	for (;;) {
		t->syscall_nr = -1;
		switch (fr_user_mode_execute(t->uctx, &exc)) {
		case FR_USER_SYSCALL:
			t->syscall_nr = (long)regs->rax;
			syscall_dispatch(regs);
			break;
		case FR_USER_EXCEPTION:
			deliver_fault(t, &exc);
			break;
		case FR_USER_EVENT:
			fr_task_clear_event();
			break;
		}
		signal_deliver(t, regs);
	}
}

static int user_fault(uint64_t addr, bool write)
{
	struct vm_map *vm = current_vm();

	if (!vm)
		return -EFAULT;
	return vm_map_fault(vm, addr, write, false) ? -EFAULT : 0;
}

static void set_comm(struct process *p, const char *path)
{
	const char *base = strrchr(path, '/');

	str_copy(p->comm, base ? base + 1 : path, sizeof(p->comm));
}

/* ---- creation ---- */

void process_real_timer_fired(struct ktimer *timer)
{
	struct process *p = timer->process;
	struct k_siginfo info = { .signo = SIGALRM, .code = SI_KERNEL,
				  .kind = SI_KIND_KILL };

	signal_send(p, NULL, &info, false);
	if (p->real_interval)
		ktimer_arm(timer, ktime_add(fr_monotonic_ns(), p->real_interval));
}

static struct process *process_alloc(void)
{
	struct process *p = FR_NEW(struct process);

	if (!p)
		return NULL;
	fr_waitqueue_init(&p->exited);
	fr_waitqueue_init(&p->child_wait);
	fr_waitqueue_init(&p->stop_wait);
	fr_waitqueue_init(&p->thread_gone);
	p->siglock = (struct fr_spinlock)FR_SPINLOCK_INIT;
	p->exit_signal = SIGCHLD;
	p->start_ns = fr_monotonic_ns();
	ktimer_init(&p->real_timer, process_real_timer_fired, NULL);
	p->real_timer.process = p;
	process_timers_init(p);
	return p;
}

static struct thread *thread_alloc(const struct fr_user_regs *regs)
{
	struct thread *t = FR_NEW(struct thread);

	if (!t)
		return NULL;
	t->uctx = fr_user_context_create();
	if (!t->uctx) {
		fr_kfree(t);
		return NULL;
	}
	if (regs)
		*fr_user_context_regs(t->uctx) = *regs;
	fr_waitqueue_init(&t->vfork_done);
	t->syscall_nr = -1;
	return t;
}

static void thread_free(struct thread *t)
{
	unsigned long irq = fr_spin_lock_irqsave(&t->proc->siglock);

	signal_flush(&t->sig.pending);
	fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
	fr_user_context_destroy(t->uctx);
	fr_kfree(t->start_fpu);
	fr_kfree(t);
}

/* Add @t to @p's threads.  [tree] held */
static void link_thread(struct process *p, struct thread *t)
{
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);

	t->proc = p;
	t->next_in_process = p->threads;
	p->threads = t;
	p->thread_count++;
	fr_spin_unlock_irqrestore(&p->siglock, irq);
}

/* ---- pids ---- */

/* Whether @pid names a thread, process, group or session, or is
 * reserved.  [tree] */
static bool pid_in_use_locked(int pid)
{
	for (struct thread *r = reserved_threads; r; r = r->next_reserved)
		if (r->tid == pid)
			return true;
	for (struct process *p = all_processes; p; p = p->next_all) {
		if (p->pid == pid || p->pgid == pid || p->sid == pid)
			return true;
		for (struct thread *t = p->threads; t; t = t->next_in_process)
			if (t->tid == pid)
				return true;
	}
	return false;
}

/*
 * Give @t the next free pid as its tid (and its new process's pid),
 * reserved until pid_unreserve_locked().  As Linux: pids go up to
 * pid_max, then around from RESERVED_PIDS, skipping those in use.
 * Returns 0, or -EAGAIN when every one is taken.  [tree]
 */
static int pid_reserve_locked(struct thread *t)
{
	for (int tries = 0; tries < pid_max; tries++) {
		int pid;

		if (next_pid >= pid_max) {
			next_pid = RESERVED_PIDS;
			pids_wrapped = true;
		}
		pid = next_pid++;
		/* before the first wrap every pid given is new */
		if (pids_wrapped && pid_in_use_locked(pid))
			continue;
		t->tid = pid;
		__atomic_store_n(&last_pid, pid, __ATOMIC_RELAXED);
		t->next_reserved = reserved_threads;
		reserved_threads = t;
		return 0;
	}
	return -EAGAIN;
}

/* @t is linked in, or given up: its tid is no longer only reserved. */
static void pid_unreserve_locked(struct thread *t)
{
	for (struct thread **l = &reserved_threads; *l; l = &(*l)->next_reserved)
		if (*l == t) {
			*l = t->next_reserved;
			t->next_reserved = NULL;
			return;
		}
}

/* pid_reserve_locked() taking the tree lock. */
static int pid_reserve(struct thread *t)
{
	int err;

	fr_mutex_lock(&process_tree_lock);
	err = pid_reserve_locked(t);
	fr_mutex_unlock(&process_tree_lock);
	return err;
}

int process_pid_max(void)
{
	int max;

	fr_mutex_lock(&process_tree_lock);
	max = pid_max;
	fr_mutex_unlock(&process_tree_lock);
	return max;
}

int process_set_pid_max(int max)
{
	if (max <= RESERVED_PIDS || max > PID_MAX_LIMIT)
		return -EINVAL;
	fr_mutex_lock(&process_tree_lock);
	pid_max = max;
	fr_mutex_unlock(&process_tree_lock);
	return 0;
}

/* Add the new process @p with its first thread @t, whose tid is
 * reserved: it becomes the pid.  [tree] held */
static void link_process(struct process *p, struct thread *t,
			 struct process *parent)
{
	pid_unreserve_locked(t);
	p->pid = t->tid;
	p->parent = parent;
	if (parent) {
		p->sibling = parent->children;
		parent->children = p;
		p->pgid = parent->pgid;
		p->sid = parent->sid;
	} else {
		init_process = p;
		p->pgid = p->sid = 0; /* as Linux: the kernel's own session */
	}
	p->next_all = all_processes;
	all_processes = p;
	link_thread(p, t);
}

static int start_thread(struct thread *t)
{
	t->task = fr_task_create(t->proc->comm, thread_main, NULL);
	if (!t->task)
		return -ENOMEM;
	fr_task_set_data(t->task, t);
	return 0;
}

struct process *process_spawn(const char *path, const char *const *argv,
			      const char *const *envp, int *err)
{
	struct process *p = process_alloc();
	struct thread *t = thread_alloc(NULL);
	uint64_t entry, sp;
	struct fr_user_regs *regs;

	fr_mutex_init(&process_tree_lock);
	fr_inject_user_fault_handler(user_fault);
	*err = -ENOMEM;
	if (!p || !t || process_attrs_init(&p->attrs))
		goto fail;
	p->mm = mm_create();
	p->files = fd_table_new();
	p->fs = fs_context_new_root();
	if (!p->mm || !p->files || !p->fs)
		goto fail;
	fd_table_open_console(p->files);
	*err = exec_load(&p->mm->map, path, argv, envp, &entry, &sp,
			 &p->mm->exe);
	if (!*err)
		*err = mm_deny_exe_write(p->mm);
	if (*err)
		goto fail;
	regs = fr_user_context_regs(t->uctx);
	regs->rip = entry;
	regs->rsp = sp;
	set_comm(p, path);
	t->proc = p;
	*err = pid_reserve(t); /* the first process: pid 1 */
	if (*err)
		goto fail;
	*err = start_thread(t);
	fr_mutex_lock(&process_tree_lock);
	if (*err)
		pid_unreserve_locked(t);
	else
		link_process(p, t, NULL);
	fr_mutex_unlock(&process_tree_lock);
	if (*err)
		goto fail;
	fr_task_start(t->task);
	return p;
fail:
	if (p && p->mm)
		mm_put(p->mm);
	if (p) {
		fd_table_put(p->files);
		fs_context_put(p->fs);
	}
	if (t) {
		fr_user_context_destroy(t->uctx);
		fr_kfree(t);
	}
	fr_kfree(p);
	return NULL;
}

/* Write @t's tid at the user address @addr of its (new) address space. */
static void write_child_tid(struct thread *t, uint64_t addr)
{
	struct vm_map *vm = &t->proc->mm->map;

	/* break copy-on-write first: the write must not reach the parent */
	if (vm_map_fault(vm, addr, true, false) ||
	    fr_vm_space_write(vm->space, fr_uaddr(addr), &t->tid,
			      sizeof(t->tid)))
		fr_printk("[pid %d] child tid address not writable\n",
			  t->proc->pid);
}

long process_clone(const struct fr_user_regs *regs,
		   const struct clone_request *req)
{
	struct thread *self = current_thread(), *t;
	struct process *parent = self->proc, *p;
	struct fr_user_regs *child_regs;
	unsigned long irq;
	long tid, err = -ENOMEM;

	t = thread_alloc(regs);
	if (!t)
		return -ENOMEM;
	err = pid_reserve(t);
	if (err) {
		fr_user_context_destroy(t->uctx);
		fr_kfree(t);
		return err;
	}
	err = -ENOMEM;
	t->start_fpu = FR_NEW(struct fr_fpu_state);
	if (!t->start_fpu)
		goto fail_thread;
	fr_user_fpu_save(t->start_fpu);
	child_regs = fr_user_context_regs(t->uctx);
	child_regs->rax = 0;
	if (req->stack)
		child_regs->rsp = req->stack;
	if (req->flags & CLONE_SETTLS)
		child_regs->fs_base = req->tls;
	if (req->flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = req->child_tid;
	irq = fr_spin_lock_irqsave(&parent->siglock);
	t->sig.blocked = self->sig.blocked;
	if (!(req->flags & CLONE_VM) || (req->flags & CLONE_VFORK)) {
		t->sig.ss_sp = self->sig.ss_sp;
		t->sig.ss_size = self->sig.ss_size;
		t->sig.ss_flags = self->sig.ss_flags;
	}
	fr_spin_unlock_irqrestore(&parent->siglock, irq);

	if (req->flags & CLONE_THREAD) {
		t->proc = parent;
		if (start_thread(t))
			goto fail_thread;
		fr_mutex_lock(&process_tree_lock);
		pid_unreserve_locked(t);
		link_thread(parent, t);
		irq = fr_spin_lock_irqsave(&parent->siglock);
		if (parent->group_exit || parent->exec_thread)
			fr_task_post_event(t->task); /* it ends at once */
		fr_spin_unlock_irqrestore(&parent->siglock, irq);
		fr_mutex_unlock(&process_tree_lock);
		p = parent;
	} else {
		p = process_alloc();
		if (!p)
			goto fail_thread;
		if (process_attrs_copy(&p->attrs, &parent->attrs)) {
			fr_kfree(p);
			goto fail_thread;
		}
		str_copy(p->comm, parent->comm, sizeof(p->comm));
		signal_process_fork(&p->sig, &parent->sig);
		p->exit_signal = req->exit_signal;
		if (req->flags & CLONE_VM) {
			p->mm = parent->mm;
			__atomic_add_fetch(&p->mm->users, 1, __ATOMIC_RELAXED);
		} else {
			p->mm = mm_create();
			if (!p->mm ||
			    vm_map_clone(&p->mm->map, &parent->mm->map)) {
				if (p->mm)
					mm_put(p->mm);
				process_attrs_release(&p->attrs);
				fr_kfree(p);
				goto fail_thread;
			}
			p->mm->exe = parent->mm->exe;
			path_get(&p->mm->exe);
			(void)mm_deny_exe_write(p->mm);
		}
		p->files = parent->files;
		if (req->flags & CLONE_FILES)
			fd_table_get(p->files);
		else
			p->files = fd_table_copy(p->files);
		p->fs = parent->fs;
		if (req->flags & CLONE_FS)
			fs_context_get(p->fs);
		else
			p->fs = fs_context_copy(p->fs);
		t->proc = p;
		if (!p->files || !p->fs || start_thread(t)) {
			fd_table_put(p->files);
			fs_context_put(p->fs);
			mm_put(p->mm);
			process_attrs_release(&p->attrs);
			fr_kfree(p);
			goto fail_thread;
		}
		fr_mutex_lock(&process_tree_lock);
		link_process(p, t, (req->flags & CLONE_PARENT) &&
						   parent->parent ?
					   parent->parent :
					   parent);
		tty_fork(p, parent);
		fr_mutex_unlock(&process_tree_lock);
	}
	tid = t->tid;
	if (req->flags & CLONE_CHILD_SETTID)
		write_child_tid(t, req->child_tid);
	if (req->flags & CLONE_VFORK) {
		self->vfork_pending = true;
		t->vfork_parent = self;
	}
	fr_task_start(t->task);
	if (req->flags & CLONE_VFORK)
		/* not interruptible: the child uses our memory until it lets go */
		FR_WAIT_EVENT(&self->vfork_done,
			      !__atomic_load_n(&self->vfork_pending,
					       __ATOMIC_ACQUIRE));
	return tid;
fail_thread:
	fr_mutex_lock(&process_tree_lock);
	pid_unreserve_locked(t);
	fr_mutex_unlock(&process_tree_lock);
	fr_user_context_destroy(t->uctx);
	fr_kfree(t->start_fpu);
	fr_kfree(t);
	return err;
}

/* A vfork child stops using its parent's memory: let the parent go on. */
static void vfork_release(struct thread *t)
{
	struct thread *parent;

	fr_mutex_lock(&process_tree_lock);
	parent = t->vfork_parent;
	t->vfork_parent = NULL;
	if (parent) {
		__atomic_store_n(&parent->vfork_pending, false,
				 __ATOMIC_RELEASE);
		fr_wake_all(&parent->vfork_done);
	}
	fr_mutex_unlock(&process_tree_lock);
}

/* End every other thread of the caller's process (for exec). */
static int end_other_threads(struct thread *t)
{
	struct process *p = t->proc;
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);
	struct thread *th;

	if (p->group_exit || p->exec_thread) {
		fr_spin_unlock_irqrestore(&p->siglock, irq);
		return -EAGAIN; /* being killed, or another exec won */
	}
	p->exec_thread = t;
	for (th = p->threads; th; th = th->next_in_process)
		if (th != t)
			fr_task_post_event(th->task);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	FR_WAIT_EVENT(&p->thread_gone,
		      __atomic_load_n(&p->thread_count, __ATOMIC_ACQUIRE) == 1);
	irq = fr_spin_lock_irqsave(&p->siglock);
	p->exec_thread = NULL;
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	return 0;
}

/*
 * At exec the fd table stops being shared (as Linux's unshare_files) and
 * loses its O_CLOEXEC fds.  A copy that cannot be made leaves the table
 * shared, which only matters to CLONE_FILES users.
 */
static void exec_unshare_files(struct process *p)
{
	struct fd_table *t = p->files, *copy;

	if (__atomic_load_n(&t->refs, __ATOMIC_ACQUIRE) > 1 &&
	    (copy = fd_table_copy(t))) {
		fr_mutex_lock(&process_tree_lock);
		p->files = copy;
		fr_mutex_unlock(&process_tree_lock);
		fd_table_put(t);
	}
	fd_table_exec(p->files);
}

long process_exec(struct fr_user_regs *regs, const char *path,
		  const char *const *argv, const char *const *envp)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	struct mm *fresh, *old;
	uint64_t entry, sp, cs, ss, rflags;
	unsigned long irq;
	int err, zero = 0;

	fresh = mm_create();
	if (!fresh)
		return -ENOMEM;
	err = exec_load(&fresh->map, path, argv, envp, &entry, &sp,
			&fresh->exe);
	if (!err)
		err = mm_deny_exe_write(fresh);
	if (err) {
		mm_put(fresh);
		return err;
	}
	if (p->thread_count > 1 && end_other_threads(t)) {
		mm_put(fresh);
		return -EAGAIN;
	}
	/* the point of no return: the old program is gone */
	futex_exit_robust_list();
	if (t->clear_child_tid && p->mm->users > 1 &&
	    !FR_PUT_USER(zero, fr_uaddr(t->clear_child_tid)))
		futex_wake_address(t->clear_child_tid);
	t->clear_child_tid = 0;
	t->robust_list = 0;
	fr_mutex_lock(&process_tree_lock);
	old = p->mm;
	p->mm = fresh;
	t->tid = p->pid; /* the thread that execs takes the process's id */
	p->did_exec = true;
	fr_mutex_unlock(&process_tree_lock);
	fr_vm_space_activate(fresh->map.space);
	mm_put(old);
	vfork_release(t);
	exec_unshare_files(p);

	process_timers_exec(p); /* the interval timers stay */
	irq = fr_spin_lock_irqsave(&p->siglock);
	signal_process_exec(&p->sig);
	t->sig.ss_sp = t->sig.ss_size = 0;
	t->sig.ss_flags = 0;
	fr_spin_unlock_irqrestore(&p->siglock, irq);

	cs = regs->cs;
	ss = regs->ss;
	rflags = regs->rflags;
	memset(regs, 0, sizeof(*regs));
	regs->cs = cs;
	regs->ss = ss;
	regs->rflags = rflags;
	regs->rip = entry;
	regs->rsp = sp;
	fr_user_fpu_reset();
	set_comm(p, path);
	process_attrs_exec(&p->attrs);
	return 0;
}

/* ---- the end ---- */

/* Whether @parent asked that its children be reaped without a wait. */
static bool parent_autoreaps(const struct process *parent)
{
	const struct k_sigaction *ka = &parent->sig.action[SIGCHLD - 1];

	return ka->handler == 1 /* SIG_IGN */ || (ka->flags & SA_NOCLDWAIT);
}

static void unlink_all(struct process *p)
{
	struct process **pp = &all_processes;

	while (*pp && *pp != p)
		pp = &(*pp)->next_all;
	if (*pp)
		*pp = p->next_all;
}

static void unlink_child(struct process *c)
{
	struct process **pp = &c->parent->children;

	while (*pp && *pp != c)
		pp = &(*pp)->sibling;
	if (*pp)
		*pp = c->sibling;
}

static void process_free(struct process *p)
{
	signal_flush(&p->sig.shared);
	fr_kfree(p);
}

/* The last thread of @p is gone: make it a zombie and tell the parent. */
static void process_end(struct process *p, int status)
{
	struct process *c, *parent;
	bool reap = false;

	ktimer_cancel(&p->real_timer); /* no SIGALRM for a zombie */
	process_timers_exit(p);
	fr_mutex_lock(&process_tree_lock);
	/* orphans go to init, which reaps them */
	while ((c = p->children)) {
		int pdeath = process_attrs_get(&c->attrs, PROCESS_PDEATHSIG);

		if (pdeath && c->state != PROCESS_ZOMBIE) {
			struct k_siginfo info = { .signo = pdeath,
						  .code = SI_USER,
						  .pid = p->pid,
						  .kind = SI_KIND_KILL };

			signal_send(c, NULL, &info, false);
		}
		p->children = c->sibling;
		c->parent = p == init_process ? NULL : init_process;
		if (!c->parent)
			continue;
		c->sibling = init_process->children;
		init_process->children = c;
		if (c->state == PROCESS_ZOMBIE) {
			__atomic_add_fetch(&init_process->child_events, 1,
					   __ATOMIC_RELEASE);
			fr_wake_all(&init_process->child_wait);
		}
	}
	p->exit_status = status;
	__atomic_store_n(&p->state, PROCESS_ZOMBIE, __ATOMIC_RELEASE);
	parent = p->parent;
	if (parent) {
		struct k_siginfo info = {
			.signo = p->exit_signal,
			.code = (status & 0x7f) ? ((status & 0x80) ? CLD_DUMPED :
								    CLD_KILLED) :
						  CLD_EXITED,
			.pid = p->pid,
			.status = (status & 0x7f) ? (status & 0x7f) :
						    (status >> 8) & 0xff,
			.kind = SI_KIND_CHLD,
		};

		if (p->exit_signal)
			signal_send(parent, NULL, &info, false);
		if (parent_autoreaps(parent)) {
			unlink_child(p);
			unlink_all(p);
			reap = true;
		}
		__atomic_add_fetch(&parent->child_events, 1, __ATOMIC_RELEASE);
		fr_wake_all(&parent->child_wait);
	}
	fr_wake_all(&p->exited);
	fr_mutex_unlock(&process_tree_lock);
	if (reap) {
		process_attrs_release(&p->attrs);
		process_free(p);
	}
}

void thread_exit(int status)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	struct thread **pp;
	unsigned long irq;
	struct mm *mm = NULL;
	struct fd_table *files = NULL;
	struct fs_context *fs = NULL;
	struct io_counts io;
	int zero = 0;
	bool last;

	vfork_release(t);
	/* robust futexes first, then CLONE_CHILD_CLEARTID, as Linux */
	futex_exit_robust_list();
	if (t->clear_child_tid &&
	    !FR_PUT_USER(zero, fr_uaddr(t->clear_child_tid)))
		futex_wake_address(t->clear_child_tid);
	t->clear_child_tid = 0;

	fr_mutex_lock(&process_tree_lock);
	irq = fr_spin_lock_irqsave(&p->siglock);
	for (pp = &p->threads; *pp && *pp != t; pp = &(*pp)->next_in_process)
		;
	if (*pp)
		*pp = t->next_in_process;
	cputime_thread_leaves(p, t); /* its time stays the process's */
	thread_io(t, &io);		/* and so does its I/O */
	p->ended_io.rchar += io.rchar;
	p->ended_io.wchar += io.wchar;
	p->ended_io.syscr += io.syscr;
	p->ended_io.syscw += io.syscw;
	last = --p->thread_count == 0;
	if (last && p->group_exit)
		status = p->exit_status;
	/* a thread that ends with signals for the process passes them on */
	if (!last && p->sig.shared.set)
		for (struct thread *th = p->threads; th;
		     th = th->next_in_process)
			fr_task_post_event(th->task);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	if (last) {
		mm = p->mm;
		p->mm = NULL;
		files = p->files;
		p->files = NULL;
		fs = p->fs;
		p->fs = NULL;
	}
	fr_wake_all(&p->thread_gone);
	fr_mutex_unlock(&process_tree_lock);

	fr_vm_space_activate(NULL);
	if (mm)
		mm_put(mm);
	fd_table_put(files);
	fs_context_put(fs);
	if (last)
		tty_process_exit(p); /* after its files, as Linux */
	fr_task_set_data(t->task, NULL);
	thread_free(t);
	if (last)
		process_end(p, status);
	fr_task_exit();
}

void process_exit_group(int status)
{
	struct thread *t = current_thread(), *th;
	struct process *p = t->proc;
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);

	if (!p->group_exit) {
		p->group_exit = true;
		p->exit_status = status;
	}
	for (th = p->threads; th; th = th->next_in_process)
		if (th != t)
			fr_task_post_event(th->task);
	fr_wake_all(&p->stop_wait);
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	thread_exit(status);
}

/* ---- waiting ---- */

static bool wait_matches(const struct process *c, enum wait_which which,
			 int id)
{
	switch (which) {
	case WAIT_PID:
		return c->pid == id;
	case WAIT_PGID:
		return c->pgid == id;
	default:
		return true;
	}
}

/* A report on @c for the options, if it has one.  [tree] held */
static bool child_report(struct process *c, int options,
			 struct wait_result *res)
{
	unsigned long irq;
	bool found = false;

	if ((options & WEXITED) && c->state == PROCESS_ZOMBIE) {
		int st = c->exit_status;

		res->status = st;
		res->code = (st & 0x7f) ? ((st & 0x80) ? CLD_DUMPED : CLD_KILLED) :
					  CLD_EXITED;
		res->child_status = (st & 0x7f) ? (st & 0x7f) : (st >> 8) & 0xff;
		return true;
	}
	irq = fr_spin_lock_irqsave(&c->siglock);
	if ((options & WSTOPPED) && c->stopped && c->report_stop) {
		res->status = (c->stop_signal << 8) | 0x7f;
		res->code = CLD_STOPPED;
		res->child_status = c->stop_signal;
		if (!(options & WNOWAIT))
			c->report_stop = false;
		found = true;
	} else if ((options & WCONTINUED) && c->report_continue) {
		res->status = 0xffff;
		res->code = CLD_CONTINUED;
		res->child_status = SIGCONT;
		if (!(options & WNOWAIT))
			c->report_continue = false;
		found = true;
	}
	fr_spin_unlock_irqrestore(&c->siglock, irq);
	return found;
}

long process_wait_child(enum wait_which which, int id, int options,
			struct wait_result *res)
{
	struct process *self = current_process();

	for (;;) {
		struct process *c;
		bool any = false;
		unsigned seen;

		fr_mutex_lock(&process_tree_lock);
		for (c = self->children; c; c = c->sibling) {
			if (!wait_matches(c, which, id))
				continue;
			any = true;
			if (!child_report(c, options, res))
				continue;
			res->pid = c->pid;
			if (c->state == PROCESS_ZOMBIE &&
			    !(options & WNOWAIT)) {
				unlink_child(c);
				unlink_all(c);
				fr_mutex_unlock(&process_tree_lock);
				process_attrs_reap(&self->attrs, &c->attrs,
						   c->ended_time.user_ns,
						   c->ended_time.sys_ns);
				process_free(c);
			} else {
				fr_mutex_unlock(&process_tree_lock);
			}
			return res->pid;
		}
		seen = self->child_events;
		fr_mutex_unlock(&process_tree_lock);
		if (!any)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		FR_WAIT_EVENT(&self->child_wait,
			      __atomic_load_n(&self->child_events,
					      __ATOMIC_ACQUIRE) != seen ||
				      thread_interrupted());
		if (thread_interrupted())
			return -ERESTARTSYS;
	}
}

int process_wait(struct process *p)
{
	FR_WAIT_EVENT(&p->exited, __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) ==
					  PROCESS_ZOMBIE);
	return p->exit_status;
}

/* ---- lookup ---- */

struct process *process_first(void)
{
	return all_processes;
}

struct process *process_find(int pid)
{
	struct process *p;

	for (p = all_processes; p; p = p->next_all)
		if (p->pid == pid)
			return p;
	return NULL;
}

struct thread *thread_find(int tid)
{
	struct process *p;
	struct thread *t;

	for (p = all_processes; p; p = p->next_all)
		for (t = p->threads; t; t = t->next_in_process)
			if (t->tid == tid)
				return t;
	return NULL;
}

/* ---- process groups and sessions ---- */

bool process_group_orphaned(int pgid)
{
	struct process *p;
	bool orphaned = true;

	fr_mutex_lock(&process_tree_lock);
	for (p = all_processes; p && orphaned; p = p->next_all)
		if (p->pgid == pgid && p->state != PROCESS_ZOMBIE && p->parent &&
		    p->parent->pgid != pgid && p->parent->sid == p->sid)
			orphaned = false;
	fr_mutex_unlock(&process_tree_lock);
	return orphaned;
}

/* Whether a process of session @sid leads or belongs to group @pgid. */
static bool group_exists_in_session(int pgid, int sid)
{
	struct process *p;

	for (p = all_processes; p; p = p->next_all)
		if (p->pgid == pgid && p->sid == sid &&
		    p->state != PROCESS_ZOMBIE)
			return true;
	return false;
}

int process_setpgid(int pid, int pgid)
{
	struct process *self = current_process(), *p;
	int err = 0;

	if (pgid < 0)
		return -EINVAL;
	fr_mutex_lock(&process_tree_lock);
	if (!pid)
		pid = self->pid;
	if (!pgid)
		pgid = pid;
	p = process_find(pid);
	if (!p || (p != self && p->parent != self)) {
		err = -ESRCH;
	} else if (p->sid != self->sid) {
		err = -EPERM; /* another session */
	} else if (p != self && p->did_exec) {
		err = -EACCES;
	} else if (p->sid == p->pid) {
		err = -EPERM; /* a session leader */
	} else if (pgid != p->pid && !group_exists_in_session(pgid, self->sid)) {
		err = -EPERM;
	} else {
		p->pgid = pgid;
	}
	fr_mutex_unlock(&process_tree_lock);
	return err;
}

int process_setsid(void)
{
	struct process *self = current_process(), *p;
	int ret;

	fr_mutex_lock(&process_tree_lock);
	for (p = all_processes; p; p = p->next_all)
		if (p->pgid == self->pid)
			break;
	if (p) {
		ret = -EPERM; /* already leads a process group */
	} else {
		self->sid = self->pgid = self->pid;
		tty_setsid(self); /* a new session has no terminal */
		ret = self->pid;
	}
	fr_mutex_unlock(&process_tree_lock);
	return ret;
}

int process_getpgid(int pid)
{
	struct process *p;
	int ret;

	fr_mutex_lock(&process_tree_lock);
	p = pid ? process_find(pid) : current_process();
	ret = p ? p->pgid : -ESRCH;
	fr_mutex_unlock(&process_tree_lock);
	return ret;
}

int process_getsid(int pid)
{
	struct process *p;
	int ret;

	fr_mutex_lock(&process_tree_lock);
	p = pid ? process_find(pid) : current_process();
	ret = p ? p->sid : -ESRCH;
	fr_mutex_unlock(&process_tree_lock);
	return ret;
}

/* ---- I/O accounting ---- */

/* Add @bytes (if any) and a call to @bytes_ctr and @calls_ctr of the
 * calling thread: only it writes them, others read them whole. */
static void io_add(uint64_t *bytes_ctr, uint64_t *calls_ctr, long bytes)
{
	if (bytes > 0)
		__atomic_store_n(bytes_ctr,
				 __atomic_load_n(bytes_ctr, __ATOMIC_RELAXED) +
					 (uint64_t)bytes,
				 __ATOMIC_RELAXED);
	__atomic_store_n(calls_ctr,
			 __atomic_load_n(calls_ctr, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

void io_account_read(long done)
{
	struct thread *t = current_thread();

	if (t)
		io_add(&t->io.rchar, &t->io.syscr, done);
}

void io_account_write(long done)
{
	struct thread *t = current_thread();

	if (t)
		io_add(&t->io.wchar, &t->io.syscw, done);
}

void thread_io(const struct thread *t, struct io_counts *out)
{
	out->rchar = __atomic_load_n(&t->io.rchar, __ATOMIC_RELAXED);
	out->wchar = __atomic_load_n(&t->io.wchar, __ATOMIC_RELAXED);
	out->syscr = __atomic_load_n(&t->io.syscr, __ATOMIC_RELAXED);
	out->syscw = __atomic_load_n(&t->io.syscw, __ATOMIC_RELAXED);
}

void process_io(struct process *p, struct io_counts *out)
{
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);
	struct io_counts c;

	*out = p->ended_io;
	for (const struct thread *t = p->threads; t; t = t->next_in_process) {
		thread_io(t, &c);
		out->rchar += c.rchar;
		out->wchar += c.wchar;
		out->syscr += c.syscr;
		out->syscw += c.syscw;
	}
	fr_spin_unlock_irqrestore(&p->siglock, irq);
}

int process_last_pid(void)
{
	return __atomic_load_n(&last_pid, __ATOMIC_RELAXED);
}

struct mm *process_mm_get(struct process *p)
{
	if (p->mm)
		__atomic_add_fetch(&p->mm->users, 1, __ATOMIC_RELAXED);
	return p->mm;
}

void process_mm_put(struct mm *mm)
{
	mm_put(mm);
}

unsigned process_count(void)
{
	struct process *p;
	unsigned n = 0;

	fr_mutex_lock(&process_tree_lock);
	for (p = all_processes; p; p = p->next_all)
		n++;
	fr_mutex_unlock(&process_tree_lock);
	return n;
}

/* The target cannot be reaped while the tree lock is held. */
int process_prlimit(int pid, unsigned resource, const struct rlimit64 *new,
		    struct rlimit64 *old)
{
	struct process *self = current_process(), *p;
	int err = -ESRCH;

	fr_mutex_lock(&process_tree_lock);
	p = process_find(pid);
	if (p)
		err = process_attrs_prlimit_of(&p->attrs, &self->attrs,
					       resource, new, old);
	fr_mutex_unlock(&process_tree_lock);
	return err;
}
