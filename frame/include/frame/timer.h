/*
 * Time: the periodic tick and a monotonic clock.
 */
#ifndef FRAME_TIMER_H
#define FRAME_TIMER_H

#include <frame/types.h>

#define FR_TICK_HZ 100

/*
 * fr_ticks - timer ticks since boot.  Context: any.
 */
uint64_t fr_ticks(void);

/*
 * fr_monotonic_ns - nanoseconds since boot, monotonic.  Context: any.
 */
uint64_t fr_monotonic_ns(void);

/*
 * fr_tick_hook - called on every tick of the boot CPU, in IRQ context.
 */
typedef void (*fr_tick_fn)(void);

/*
 * fr_inject_tick_hook - install the services' tick hook (timers).
 * Context: boot.
 */
void fr_inject_tick_hook(fr_tick_fn fn);

#endif
