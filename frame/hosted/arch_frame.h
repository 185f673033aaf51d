/*
 * What the hosted target tells the frame's core (included by
 * frame_internal.h): a task's saved context and the kernel stack size.
 * The core is compiled without the C library's headers, so the host's
 * ucontext_t is kept here as opaque, suitably sized storage (checked in
 * context.c).  Frame-private.
 */
#ifndef FRAME_HOSTED_ARCH_FRAME_H
#define FRAME_HOSTED_ARCH_FRAME_H

#include <frame/types.h>

/*
 * Larger than the kernel's 16 KiB: sanitizer builds put redzones around
 * every stack object and need several times the stack.
 */
#define TASK_STACK_SIZE (64 * 1024)

#define HOSTED_UCONTEXT_BYTES 1024

/* A task as a fiber: its host context and what the sanitizers track. */
struct arch_task {
	uint8_t ucontext[HOSTED_UCONTEXT_BYTES] __attribute__((aligned(16)));
	uint64_t stack_size; /* bytes from fr_task.stack_bottom up */
	void *asan_fake_stack; /* ASan's fake stack while switched out */
	void *tsan_fiber;      /* TSan's fiber for this context */
	bool started;	       /* has run at least once */
};

#endif
