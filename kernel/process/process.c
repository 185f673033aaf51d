/*
 * Process lifetime: PID 1's creation, fork, exec, the per-thread user
 * loop, exit with zombies and reparenting to init, wait, and kill with
 * the default actions of signals (handlers come with the signal work).
 */
#include <frame/heap.h>
#include <frame/log.h>
#include <libs/string.h>
#include <asm/signal.h>
#include "process/process.h"
#include "syscall/syscall.h"

struct fr_mutex process_tree_lock;
static struct process *init_process;	/* [tree] pid 1 */
static struct process *all_processes;	/* [tree] list through next_all */
static int next_pid = 1;		/* [tree] */

/* Linux numbers signals 1..64 (_NSIG, which the UAPI hides from users). */
#define SIGNAL_COUNT 64

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

	return p ? &p->vm : NULL;
}

static int pending_kill(const struct process *p)
{
	return __atomic_load_n(&p->pending_kill, __ATOMIC_ACQUIRE);
}

bool thread_interrupted(void)
{
	struct process *p = current_process();

	return p && pending_kill(p);
}

static void deliver_fault(struct thread *t, const struct fr_user_exception *e)
{
	int sig = SIGSEGV;

	if (e->vector == FR_EXC_PAGE_FAULT) {
		int err = vm_map_fault(&t->proc->vm, e->fault_addr,
				       e->error_code & FR_PF_WRITE,
				       e->error_code & FR_PF_INSTR);
		if (!err)
			return;
		if (err == -ENOMEM) {
			fr_printk("[pid %d] out of memory at %lx\n",
				  t->proc->pid, e->fault_addr);
			sig = SIGKILL;
		} else if (err == -EIO) {
			sig = SIGBUS; /* past the end of shared memory */
		}
	} else if (e->vector == FR_EXC_DIVIDE || e->vector == FR_EXC_FPU ||
		   e->vector == FR_EXC_SIMD) {
		sig = SIGFPE;
	} else if (e->vector == FR_EXC_INVALID_OPCODE) {
		sig = SIGILL;
	} else if (e->vector == FR_EXC_BREAKPOINT ||
		   e->vector == FR_EXC_DEBUG) {
		sig = SIGTRAP;
	}
	/* no signal handlers yet: the default action ends the process */
	fr_printk("[pid %d] %s: %s at %lx ip %lx error %lx\n", t->proc->pid,
		  t->proc->comm,
		  sig == SIGSEGV ? "segfault" :
		  sig == SIGBUS	 ? "bus error" :
		  sig == SIGILL	 ? "illegal instruction" :
				   "fatal exception",
		  e->fault_addr, fr_user_context_regs(t->uctx)->rip,
		  e->error_code);
	process_exit(sig); /* wait status: killed by @sig */
}

static void thread_main(void *unused)
{
	struct thread *t = current_thread();
	struct fr_user_exception exc;

	(void)unused;
	fr_vm_space_activate(t->proc->vm.space);
	fr_user_fpu_reset();
	for (;;) {
		switch (fr_user_mode_execute(t->uctx, &exc)) {
		case FR_USER_SYSCALL:
			syscall_dispatch(fr_user_context_regs(t->uctx));
			break;
		case FR_USER_EXCEPTION:
			deliver_fault(t, &exc);
			break;
		case FR_USER_EVENT:
			fr_task_clear_event();
			break;
		}
		if (pending_kill(t->proc))
			process_exit(pending_kill(t->proc));
	}
}

static int user_fault(uint64_t addr, bool write)
{
	struct process *p = current_process();

	if (!p)
		return -EFAULT;
	return vm_map_fault(&p->vm, addr, write, false) ? -EFAULT : 0;
}

static void set_comm(struct process *p, const char *path)
{
	const char *base = strrchr(path, '/');

	str_copy(p->comm, base ? base + 1 : path, sizeof(p->comm));
}

/*
 * Give @p and @t a pid, link them, and start the thread.  The process
 * becomes a child of @parent (NULL for init).  A non-zero @set_tid is where
 * the new tid is written in the new process's memory.
 */
static int start_process(struct process *p, struct thread *t,
			 struct process *parent, uint64_t set_tid)
{
	fr_waitqueue_init(&p->exited);
	fr_waitqueue_init(&p->child_wait);
	t->proc = p;
	p->thread = t;
	t->task = fr_task_create(p->comm, thread_main, NULL);
	if (!t->task)
		return -ENOMEM;
	fr_task_set_data(t->task, t);
	fr_mutex_lock(&process_tree_lock);
	p->pid = next_pid++;
	t->tid = p->pid;
	p->parent = parent;
	if (parent) {
		p->sibling = parent->children;
		parent->children = p;
	} else {
		init_process = p;
	}
	p->next_all = all_processes;
	all_processes = p;
	fr_mutex_unlock(&process_tree_lock);
	/* break copy-on-write first: the write must not reach the parent */
	if (set_tid && !vm_map_fault(&p->vm, set_tid, true, false) &&
	    fr_vm_space_write(p->vm.space, fr_uaddr(set_tid), &t->tid,
			      sizeof(t->tid)))
		fr_printk("[pid %d] child tid address not writable\n", p->pid);
	fr_task_start(t->task);
	return p->pid;
}

struct process *process_spawn(const char *path, const char *const *argv,
			      const char *const *envp, int *err)
{
	struct process *p = FR_NEW(struct process);
	struct thread *t = FR_NEW(struct thread);
	uint64_t entry, sp;
	struct fr_user_regs *regs;

	fr_mutex_init(&process_tree_lock);
	fr_inject_user_fault_handler(user_fault);
	*err = -ENOMEM;
	if (!p || !t)
		goto fail;
	*err = vm_map_init(&p->vm);
	if (*err)
		goto fail;
	*err = exec_load(&p->vm, path, argv, envp, &entry, &sp);
	if (*err)
		goto fail_vm;
	*err = -ENOMEM;
	t->uctx = fr_user_context_create();
	if (!t->uctx)
		goto fail_vm;
	regs = fr_user_context_regs(t->uctx);
	regs->rip = entry;
	regs->rsp = sp;
	set_comm(p, path);
	*err = start_process(p, t, NULL, 0);
	if (*err < 0)
		goto fail_ctx;
	*err = 0;
	return p;
fail_ctx:
	fr_user_context_destroy(t->uctx);
fail_vm:
	vm_map_destroy(&p->vm);
fail:
	fr_kfree(t);
	fr_kfree(p);
	return NULL;
}

long process_fork(const struct fr_user_regs *regs, uint64_t set_tid,
		  uint64_t clear_tid)
{
	struct process *parent = current_process();
	struct process *p = FR_NEW(struct process);
	struct thread *t = FR_NEW(struct thread);
	struct fr_user_regs *child_regs;
	long pid;

	if (!p || !t)
		goto fail;
	if (vm_map_init(&p->vm))
		goto fail;
	if (vm_map_clone(&p->vm, &parent->vm))
		goto fail_vm;
	t->uctx = fr_user_context_create();
	if (!t->uctx)
		goto fail_vm;
	child_regs = fr_user_context_regs(t->uctx);
	*child_regs = *regs;
	child_regs->rax = 0;
	str_copy(p->comm, parent->comm, sizeof(p->comm));
	t->clear_child_tid = clear_tid;
	pid = start_process(p, t, parent, set_tid);
	if (pid < 0)
		goto fail_ctx;
	return pid;
fail_ctx:
	fr_user_context_destroy(t->uctx);
fail_vm:
	vm_map_destroy(&p->vm);
fail:
	fr_kfree(t);
	fr_kfree(p);
	return -ENOMEM;
}

long process_exec(struct fr_user_regs *regs, const char *path,
		  const char *const *argv, const char *const *envp)
{
	struct process *p = current_process();
	struct vm_map fresh, old;
	uint64_t entry, sp, cs, ss, rflags;
	int err;

	err = vm_map_init(&fresh);
	if (err)
		return err;
	err = exec_load(&fresh, path, argv, envp, &entry, &sp);
	if (err) {
		vm_map_destroy(&fresh);
		return err;
	}
	/* the point of no return: the old program is gone */
	old = p->vm;
	p->vm = fresh;
	fr_vm_space_activate(p->vm.space);
	vm_map_destroy(&old);
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
	return 0;
}

void process_exit(int status)
{
	struct thread *t = current_thread();
	struct process *p = t->proc, *c;
	int zero = 0;

	/* CLONE_CHILD_CLEARTID; the futex wake-up comes with futexes */
	if (t->clear_child_tid &&
	    FR_PUT_USER(zero, fr_uaddr(t->clear_child_tid)))
		t->clear_child_tid = 0;
	fr_vm_space_activate(NULL);
	vm_map_destroy(&p->vm);
	fr_user_context_destroy(t->uctx);
	fr_task_set_data(t->task, NULL);
	fr_kfree(t);

	fr_mutex_lock(&process_tree_lock);
	p->thread = NULL;
	/* orphans go to init, which reaps them */
	while ((c = p->children)) {
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
	p->state = PROCESS_ZOMBIE;
	/* the parent cannot be reaped and freed while the lock is held */
	if (p->parent) {
		__atomic_add_fetch(&p->parent->child_events, 1,
				   __ATOMIC_RELEASE);
		fr_wake_all(&p->parent->child_wait);
	}
	fr_wake_all(&p->exited);
	fr_mutex_unlock(&process_tree_lock);
	fr_task_exit();
}

static void unlink_all(struct process *p)
{
	struct process **pp = &all_processes;

	while (*pp && *pp != p)
		pp = &(*pp)->next_all;
	if (*pp)
		*pp = p->next_all;
}

long process_wait_child(int pid, int *status, bool nohang)
{
	struct process *self = current_process();

	/* no process groups yet: every child is in the caller's group */
	for (;;) {
		struct process **pp, *c;
		bool any = false;
		unsigned seen;

		fr_mutex_lock(&process_tree_lock);
		for (pp = &self->children; (c = *pp); pp = &c->sibling) {
			if (pid > 0 && c->pid != pid)
				continue;
			any = true;
			if (c->state == PROCESS_ZOMBIE) {
				*pp = c->sibling;
				unlink_all(c);
				fr_mutex_unlock(&process_tree_lock);
				*status = c->exit_status;
				pid = c->pid;
				fr_kfree(c);
				return pid;
			}
		}
		seen = self->child_events;
		fr_mutex_unlock(&process_tree_lock);
		if (!any)
			return -ECHILD;
		if (nohang)
			return 0;
		FR_WAIT_EVENT(&self->child_wait,
			      __atomic_load_n(&self->child_events,
					      __ATOMIC_ACQUIRE) != seen ||
				      pending_kill(self));
		if (pending_kill(self))
			return -EINTR;
	}
}

/* Signals whose default action is not to end the process. */
static bool default_not_fatal(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGCONT:
	case SIGURG:
	case SIGWINCH:
	case SIGSTOP: /* stopping comes with job control */
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return true;
	default:
		return false;
	}
}

int process_kill(int pid, int sig)
{
	struct process *p;
	int err = -ESRCH;

	if (sig < 0 || sig > SIGNAL_COUNT)
		return -EINVAL;
	fr_mutex_lock(&process_tree_lock);
	for (p = all_processes; p; p = p->next_all) {
		if (p->pid != pid)
			continue;
		err = 0;
		if (!sig || p->state == PROCESS_ZOMBIE ||
		    default_not_fatal(sig))
			break;
		__atomic_store_n(&p->pending_kill, sig, __ATOMIC_RELEASE);
		fr_task_post_event(p->thread->task);
		fr_wake_all(&p->child_wait);
		break;
	}
	fr_mutex_unlock(&process_tree_lock);
	return err;
}

int process_wait(struct process *p)
{
	FR_WAIT_EVENT(&p->exited, __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) ==
					  PROCESS_ZOMBIE);
	return p->exit_status;
}
