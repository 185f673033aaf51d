/*
 * CPUs, interrupt masking and cross-CPU calls.  The frame is built for
 * several CPUs: every CPU has its own per-CPU block, its current task and
 * its idle task.  The kernel target starts every CPU the firmware lists
 * (ACPI MADT); the hosted target runs one host thread per CPU (-smp).
 */
#ifndef FRAME_CPU_H
#define FRAME_CPU_H

#include <frame/types.h>

#define FR_MAX_CPUS 64

/*
 * fr_cpu_id - the index of the running CPU (0 is the boot CPU), below
 * fr_cpu_count().
 * Context: any; the answer may be stale once preemption is possible.
 */
unsigned fr_cpu_id(void);

/*
 * fr_cpu_count - the number of CPUs running Trellis: CPUs 0 to
 * fr_cpu_count() - 1 are up.  It only grows (while CPUs start, at boot).
 * Context: any.
 */
unsigned fr_cpu_count(void);

typedef void (*fr_cpu_call_fn)(void *arg);

/*
 * fr_cpu_call_others - run @fn(@arg) once on every other running CPU and
 * return when all of them have returned from it (so @arg may live on the
 * caller's stack).  Calls from several CPUs are run one after the other.
 *
 * @fn runs in interrupt context with interrupts off, on a CPU that may be
 * in the middle of anything: it must not sleep, must not take a lock that
 * the interrupted code may hold (only IRQ-safe locks, never one the
 * caller holds), and must not call fr_cpu_call_others itself.
 *
 * Context: task or interrupt context, interrupts on or off.  The caller
 * must not hold a spinlock that another CPU may be spinning on with
 * interrupts off: that CPU could not answer.
 * Returns the number of other CPUs that ran @fn (0 with one CPU), or
 * -EDEADLK (nothing run, a log line) when called from such a function.
 */
int fr_cpu_call_others(fr_cpu_call_fn fn, void *arg);

/*
 * FR_CPU_CALL_OTHERS - fr_cpu_call_others() with a typed argument: @fn
 * takes a pointer of @arg's type (checked at compile time), so that
 * services need not convert the void pointer themselves.
 */
#define FR_CPU_CALL_OTHERS(fn, arg)                                            \
	({                                                                     \
		_Static_assert(__builtin_types_compatible_p(                   \
				       __typeof__(&(fn)),                      \
				       void (*)(__typeof__(arg))),             \
			       "FR_CPU_CALL_OTHERS: " #fn                      \
			       " must take the type of " #arg);                \
		fr_cpu_call_others((fr_cpu_call_fn)(fn), (arg));               \
	})

/*
 * fr_irq_save - disable interrupts on this CPU, returning the old state for
 * fr_irq_restore.  Context: any.
 */
unsigned long fr_irq_save(void);

/*
 * fr_irq_restore - restore the interrupt state saved by fr_irq_save.
 */
void fr_irq_restore(unsigned long flags);

/*
 * fr_irq_enabled - whether interrupts are enabled on this CPU.
 */
bool fr_irq_enabled(void);

/*
 * fr_cpu_relax - a pause for busy-wait loops.
 */
void fr_cpu_relax(void);

/*
 * fr_cpu_idle - wait for the next interrupt with interrupts enabled.
 * Called with interrupts off, it enables them and starts waiting in one
 * step: an interrupt that arrives after a check made with interrupts off
 * ends the wait.
 * Context: task context; returns after an interrupt was handled.
 */
void fr_cpu_idle(void);

/*
 * fr_cpu_hwcap - the CPU feature bits Linux reports as AT_HWCAP (CPUID
 * leaf 1, EDX).  Context: any.
 */
uint64_t fr_cpu_hwcap(void);

#endif
