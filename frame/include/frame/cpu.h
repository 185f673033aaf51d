/*
 * CPUs and interrupt masking.  The frame is built for several CPUs: every
 * CPU has its own per-CPU block, its current task and its idle task.
 */
#ifndef FRAME_CPU_H
#define FRAME_CPU_H

#include <frame/types.h>

#define FR_MAX_CPUS 64

/*
 * fr_cpu_id - the index of the running CPU (0 is the boot CPU).
 * Context: any; the answer may be stale once preemption is possible.
 */
unsigned fr_cpu_id(void);

/*
 * fr_cpu_count - the number of CPUs running Trellis.
 */
unsigned fr_cpu_count(void);

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
 * Context: task context; returns after an interrupt was handled.
 */
void fr_cpu_idle(void);

/*
 * fr_cpu_hwcap - the CPU feature bits Linux reports as AT_HWCAP (CPUID
 * leaf 1, EDX).  Context: any.
 */
uint64_t fr_cpu_hwcap(void);

#endif
