/*
 * Time: the periodic tick, the monotonic clock, one-shot timer events and
 * the wall-clock time the battery-backed clock gave at boot.
 *
 * The kernel target's monotonic clock is the TSC (calibrated at boot,
 * nanosecond resolution) when the CPU has a usable one, else the tick
 * count.  Every CPU with a local APIC timer has its own tick; the boot
 * CPU's tick also counts fr_ticks() and runs the services' tick hook.
 * Timer events (fr_timer_event_at) run the services' event hook on the
 * boot CPU when due, to the nanosecond with a one-shot timer, else at
 * the first tick at or after the deadline.  The hosted target reads the
 * host's CLOCK_MONOTONIC and CLOCK_REALTIME.
 */
#ifndef FRAME_TIMER_H
#define FRAME_TIMER_H

#include <frame/types.h>

#define FR_TICK_HZ 100

/*
 * fr_ticks - ticks of the boot CPU since boot.  Context: any.
 */
uint64_t fr_ticks(void);

/*
 * fr_monotonic_ns - nanoseconds since boot, monotonic: it never goes
 * back, on one CPU or across CPUs.  Context: any.
 */
uint64_t fr_monotonic_ns(void);

/*
 * fr_timer_resolution_ns - the resolution of timer events, and of the
 * clock they follow: 1 when events come when due (a one-shot timer and a
 * nanosecond clock), else the tick (1 / FR_TICK_HZ s).  Context: any,
 * after boot.
 */
uint64_t fr_timer_resolution_ns(void);

/*
 * fr_tick_fn - a hook of the services: the tick hook, called on every
 * tick of the boot CPU, and the event hook, called when the timer event
 * is due; both in IRQ context on the boot CPU.
 */
typedef void (*fr_tick_fn)(void);

/*
 * fr_inject_tick_hook - install the services' tick hook (timers).
 * Context: boot.
 */
void fr_inject_tick_hook(fr_tick_fn fn);

/*
 * fr_inject_timer_event_hook - install the services' event hook, which
 * fr_timer_event_at() schedules.  Context: boot.
 */
void fr_inject_timer_event_hook(fr_tick_fn fn);

/*
 * fr_timer_event_at - run the event hook once, on the boot CPU, when
 * fr_monotonic_ns() reaches @deadline_ns (at once when it is past),
 * replacing the deadline set before; UINT64_MAX sets none.  The hook may
 * set the next deadline.  Without a one-shot timer (see
 * fr_timer_resolution_ns) the hook runs at the first tick at or after the
 * deadline.  Context: any; callers serialize their changes (the last one
 * stands).
 */
void fr_timer_event_at(uint64_t deadline_ns);

/*
 * fr_rtc_boot_realtime_ns - the wall-clock time (ns since 1970-01-01
 * 00:00:00 UTC) at monotonic time 0, from the battery-backed clock read
 * once at boot (whole seconds).  Context: any.  Returns 0 with *@ns set;
 * -ENODEV when there is no such clock; -EIO when its reading was not a
 * valid date (the frame logged what it read).
 */
int fr_rtc_boot_realtime_ns(uint64_t *ns) FR_MUST_CHECK;

#endif
