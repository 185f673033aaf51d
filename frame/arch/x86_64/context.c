/*
 * The x86-64 side of tasks: a new task's first stack frame, the context
 * switch (FXSAVE state, then the stack switch in entry.S), and the hooks
 * the core calls around scheduling (the SMP ones are in smp.c).
 */
#include "x86_internal.h"
#include <libs/string.h>

void arch_task_setup(struct fr_task *task)
{
	uint64_t *sp;

	arch_fpu_init_state(task->arch.fpu);
	/* the frame arch_switch pops: r15 r14 r13 r12 rbp rbx, then ret */
	sp = (uint64_t *)(task->stack_bottom + TASK_STACK_SIZE - 72);
	memset(sp, 0, 72);
	sp[3] = (uint64_t)task; /* r12: arch_task_trampoline's argument */
	sp[6] = (uint64_t)arch_task_trampoline;
	task->arch.saved_rsp = (uint64_t)sp;
}

void arch_task_adopt_current(struct fr_task *task)
{
	/* the boot stack, or the stack an application processor started on */
	task->stack_bottom = cpu_first_stack_bottom(this_cpu()->id);
	arch_fpu_init_state(task->arch.fpu);
}

void arch_task_switch(struct fr_task *prev, struct fr_task *next)
{
	arch_fpu_save(prev->arch.fpu);
	arch_fpu_restore(next->arch.fpu);
	arch_switch(&prev->arch.saved_rsp, next->arch.saved_rsp);
}

void arch_task_release(struct fr_task *task)
{
	(void)task; /* the stack is all there is, and kstack_free frees it */
}

void arch_irq_poll(void)
{
	/* interrupts are asynchronous: nothing to poll */
}
