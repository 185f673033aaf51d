/*
 * Process creation, the per-thread user loop and process exit.
 */
#include <frame/heap.h>
#include <frame/log.h>
#include <libs/string.h>
#include "process/process.h"
#include "syscall/syscall.h"

static int next_pid = 1;

struct thread *current_thread(void)
{
	return FR_TASK_DATA(fr_task_current(), struct thread);
}

struct process *current_process(void)
{
	struct thread *t = current_thread();

	return t ? t->proc : NULL;
}

static void deliver_fault(struct thread *t, const struct fr_user_exception *e)
{
	int sig = 11; /* SIGSEGV */

	if (e->vector == FR_EXC_PAGE_FAULT) {
		int err = vm_map_fault(&t->proc->vm, e->fault_addr,
				       e->error_code & FR_PF_WRITE,
				       e->error_code & FR_PF_INSTR);
		if (!err)
			return;
		if (err == -ENOMEM) {
			fr_printk("[pid %d] out of memory at %lx\n",
				  t->proc->pid, e->fault_addr);
			sig = 9; /* SIGKILL */
		}
	} else if (e->vector == FR_EXC_DIVIDE || e->vector == FR_EXC_FPU ||
		   e->vector == FR_EXC_SIMD) {
		sig = 8; /* SIGFPE */
	} else if (e->vector == FR_EXC_INVALID_OPCODE) {
		sig = 4; /* SIGILL */
	} else if (e->vector == FR_EXC_BREAKPOINT ||
		   e->vector == FR_EXC_DEBUG) {
		sig = 5; /* SIGTRAP */
	}
	/* no signal handlers yet: the default action ends the process */
	fr_printk("[pid %d] %s: %s at %lx ip %lx error %lx\n", t->proc->pid,
		  t->proc->comm,
		  sig == 11 ? "segfault" : sig == 4 ? "illegal instruction" :
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
	}
}

static int user_fault(uint64_t addr, bool write)
{
	struct process *p = current_process();

	if (!p)
		return -EFAULT;
	return vm_map_fault(&p->vm, addr, write, false) ? -EFAULT : 0;
}

struct process *process_spawn(const char *path, const char *const *argv,
			      const char *const *envp, int *err)
{
	struct process *p = FR_NEW(struct process);
	struct thread *t = FR_NEW(struct thread);
	uint64_t entry, sp;
	const char *base;
	struct fr_user_regs *regs;

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
	p->pid = next_pid++;
	t->tid = p->pid;
	t->proc = p;
	fr_waitqueue_init(&p->exited);
	base = strrchr(path, '/');
	str_copy(p->comm, base ? base + 1 : path, sizeof(p->comm));
	t->task = fr_task_create(p->comm, thread_main, NULL);
	if (!t->task)
		goto fail_ctx;
	fr_task_set_data(t->task, t);
	fr_task_start(t->task);
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

void process_exit(int status)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;

	p->exiting = true;
	p->exit_status = status;
	fr_vm_space_activate(NULL);
	vm_map_destroy(&p->vm);
	fr_user_context_destroy(t->uctx);
	fr_task_set_data(t->task, NULL);
	fr_kfree(t);
	fr_wake_all(&p->exited);
	fr_task_exit();
}

int process_wait(struct process *p)
{
	FR_WAIT_EVENT(&p->exited, p->exiting);
	return p->exit_status;
}
