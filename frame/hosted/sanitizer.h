/*
 * The sanitizer runtimes' annotations the hosted target needs, as inline
 * wrappers that compile to nothing when the sanitizer is not built in:
 * poisoning of kernel memory (ASan), and fiber switches (ASan keeps the
 * running stack's bounds, TSan keeps one thread state per fiber).  The
 * only place that tests which sanitizer is present.  Frame-private.
 */
#ifndef FRAME_HOSTED_SANITIZER_H
#define FRAME_HOSTED_SANITIZER_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define HOSTED_ASAN 1
#else
#define HOSTED_ASAN 0
#endif

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#define HOSTED_TSAN 1
#else
#define HOSTED_TSAN 0
#endif

#if HOSTED_ASAN || HOSTED_TSAN
#include <sanitizer/common_interface_defs.h>
#endif

static inline void san_poison(const void *addr, size_t len)
{
#if HOSTED_ASAN
	__asan_poison_memory_region(addr, len);
#else
	(void)addr;
	(void)len;
#endif
}

static inline void san_unpoison(const void *addr, size_t len)
{
#if HOSTED_ASAN
	__asan_unpoison_memory_region(addr, len);
#else
	(void)addr;
	(void)len;
#endif
}

/*
 * Before switching stacks: @fake_stack_save receives the current fiber's
 * fake stack (NULL when the current fiber ends for good); the target stack
 * is [bottom, bottom + size).
 */
static inline void san_start_switch(void **fake_stack_save, const void *bottom,
				    size_t size)
{
#if HOSTED_ASAN
	__sanitizer_start_switch_fiber(fake_stack_save, bottom, size);
#else
	(void)fake_stack_save;
	(void)bottom;
	(void)size;
#endif
}

/* First thing after a switch, on the stack switched to. */
static inline void san_finish_switch(void *fake_stack_save)
{
#if HOSTED_ASAN
	__sanitizer_finish_switch_fiber(fake_stack_save, NULL, NULL);
#else
	(void)fake_stack_save;
#endif
}

/* TSan: the fiber of the calling context, a new one, switching, ending. */
static inline void *san_current_fiber(void)
{
#if HOSTED_TSAN
	return __tsan_get_current_fiber();
#else
	return NULL;
#endif
}

static inline void *san_create_fiber(void)
{
#if HOSTED_TSAN
	return __tsan_create_fiber(0);
#else
	return NULL;
#endif
}

static inline void san_switch_to_fiber(void *fiber)
{
#if HOSTED_TSAN
	__tsan_switch_to_fiber(fiber, 0);
#else
	(void)fiber;
#endif
}

static inline void san_destroy_fiber(void *fiber)
{
#if HOSTED_TSAN
	__tsan_destroy_fiber(fiber);
#else
	(void)fiber;
#endif
}

/* Print the calling thread's stack, symbolized, when a runtime can. */
static inline bool san_print_stack(void)
{
#if HOSTED_ASAN || HOSTED_TSAN
	__sanitizer_print_stack_trace();
	return true;
#else
	return false;
#endif
}

#endif
