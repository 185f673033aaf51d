/*
 * Tasks as fibers: each task runs on its own kernel stack (RAM pages with
 * a guard page, see memory.c) through the host's ucontext, and a switch is
 * announced to the sanitizers (ASan tracks which stack is running, TSan
 * keeps one thread state per fiber).  A fiber may be resumed by another
 * CPU thread than the one that switched it out, as a task migrates
 * between CPUs.
 */
#include "hosted.h"
#include "sanitizer.h"
#include <string.h>
#include <ucontext.h>

_Static_assert(sizeof(ucontext_t) <= HOSTED_UCONTEXT_BYTES,
	       "HOSTED_UCONTEXT_BYTES is too small for the host's ucontext_t");
_Static_assert(_Alignof(ucontext_t) <= 16, "ucontext_t alignment");

static ucontext_t *task_ucontext(struct fr_task *task)
{
	return (ucontext_t *)(void *)task->arch.ucontext;
}

/* First code of a new fiber: the core already made it current. */
static void fiber_entry(void)
{
	struct fr_task *task;

	san_finish_switch(NULL);
	task = this_cpu()->current;
	/*
	 * ASan's swapcontext interceptor clears the shadow of the stack named
	 * in the target context: right for this first entry, wrong for later
	 * resumes (it would forget the redzones of live frames).
	 */
	task_ucontext(task)->uc_stack.ss_size = 0;
	task->arch.started = true;
	task_entry(task);
}

void arch_task_setup(struct fr_task *task)
{
	ucontext_t *uc = task_ucontext(task);

	memset(&task->arch, 0, sizeof(task->arch));
	if (getcontext(uc))
		fr_panic("hosted: getcontext failed");
	uc->uc_stack.ss_sp = (void *)task->stack_bottom;
	uc->uc_stack.ss_size = TASK_STACK_SIZE;
	uc->uc_link = NULL;
	makecontext(uc, fiber_entry, 0);
	task->arch.stack_size = TASK_STACK_SIZE;
	task->arch.tsan_fiber = san_create_fiber();
}

void arch_task_adopt_current(struct fr_task *task)
{
	memset(&task->arch, 0, sizeof(task->arch));
	hosted_thread_stack(&task->stack_bottom, &task->arch.stack_size);
	task->arch.tsan_fiber = san_current_fiber();
	task->arch.started = true;
}

void arch_task_switch(struct fr_task *prev, struct fr_task *next)
{
	bool prev_ends = prev->state == TASK_DEAD;

	san_start_switch(prev_ends ? NULL : &prev->arch.asan_fake_stack,
			 (const void *)next->stack_bottom, next->arch.stack_size);
	san_switch_to_fiber(next->arch.tsan_fiber);
	if (swapcontext(task_ucontext(prev), task_ucontext(next)))
		fr_panic("hosted: swapcontext failed");
	/* @prev runs again, possibly on another CPU thread */
	san_finish_switch(prev->arch.asan_fake_stack);
}

void arch_task_release(struct fr_task *task)
{
	if (task->arch.tsan_fiber)
		san_destroy_fiber(task->arch.tsan_fiber);
	task->arch.tsan_fiber = NULL;
}
