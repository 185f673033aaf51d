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

#endif
