/*
 * The hosted target's interrupt controller and timer: the tick count, the
 * services' tick hook, and handlers for device lines, with the kernel
 * target's rules (line 0 is the timer's, line 2 the cascade).  No emulated
 * device raises a line yet; when one does, it calls hosted_irq_raise() and
 * the handler runs on CPU 0 at its next safe point (see cpu.c).
 */
#include "hosted.h"
#include <frame/irq.h>
#include <frame/timer.h>

static fr_irq_handler_t handlers[FR_IRQ_LINES]; /* atomic; irq_lock */
static struct fr_spinlock irq_lock = FR_SPINLOCK_INIT;
static uint64_t ticks;	      /* atomic */
static fr_tick_fn tick_hook; /* atomic */

void hosted_timer_tick(unsigned cpu)
{
	if (cpu == 0) {
		fr_tick_fn hook = __atomic_load_n(&tick_hook, __ATOMIC_ACQUIRE);

		__atomic_fetch_add(&ticks, 1, __ATOMIC_RELAXED);
		hosted_console_rx_tick();
		if (hook)
			hook();
	}
	sched_tick();
}

void hosted_irq_dispatch(unsigned line)
{
	fr_irq_handler_t handler =
		__atomic_load_n(&handlers[line], __ATOMIC_ACQUIRE);

	if (handler)
		handler(line);
}

bool hosted_irq_unmasked(unsigned line)
{
	return __atomic_load_n(&handlers[line], __ATOMIC_ACQUIRE) != NULL;
}

/* fr_irq_register - see <frame/irq.h>. */
int fr_irq_register(unsigned line, fr_irq_handler_t handler)
{
	unsigned long irq;
	int err = 0;

	if (line >= FR_IRQ_LINES || line == 2 || !handler)
		return -EINVAL;
	irq = fr_spin_lock_irqsave(&irq_lock);
	if (line == 0 || handlers[line])
		err = -EBUSY;
	else
		__atomic_store_n(&handlers[line], handler, __ATOMIC_RELEASE);
	fr_spin_unlock_irqrestore(&irq_lock, irq);
	return err;
}

/* fr_irq_unregister - see <frame/irq.h>. */
void fr_irq_unregister(unsigned line)
{
	unsigned long irq;

	if (line == 0 || line >= FR_IRQ_LINES)
		return;
	irq = fr_spin_lock_irqsave(&irq_lock);
	__atomic_store_n(&handlers[line], NULL, __ATOMIC_RELEASE);
	fr_spin_unlock_irqrestore(&irq_lock, irq);
}

/* fr_ticks - see <frame/timer.h>; a safe point for pending ticks. */
uint64_t fr_ticks(void)
{
	arch_irq_poll();
	return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

/* fr_monotonic_ns - see <frame/timer.h>: tick-based, as in the kernel. */
uint64_t fr_monotonic_ns(void)
{
	return fr_ticks() * (1000000000ULL / FR_TICK_HZ);
}

/* fr_inject_tick_hook - see <frame/timer.h>. */
void fr_inject_tick_hook(fr_tick_fn fn)
{
	__atomic_store_n(&tick_hook, fn, __ATOMIC_RELEASE);
}
