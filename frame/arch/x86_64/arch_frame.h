/*
 * What the x86-64 kernel target tells the frame's core (included by
 * frame_internal.h): a task's saved context and the kernel stack size.
 * Frame-private.
 */
#ifndef FRAME_ARCH_X86_64_ARCH_FRAME_H
#define FRAME_ARCH_X86_64_ARCH_FRAME_H

#include <frame/types.h>

#define TASK_STACK_SIZE (16 * 1024)

/* A switched-out task: its stack pointer and its FPU/SSE registers. */
struct arch_task {
	uint64_t saved_rsp;
	uint8_t fpu[512] __attribute__((aligned(16))); /* FXSAVE area */
};

/*
 * This CPU's block, whose first word points to itself, through GS in
 * kernel mode.  Inline: under an emulator a call and its return cost
 * more than the load.  The memory clobber keeps the compiler from
 * reusing the value across a task switch, after which the task may run
 * on another CPU.
 */
#define ARCH_INLINE_THIS_CPU
struct percpu;
static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(p) : : "memory");
	return p;
}

#endif
