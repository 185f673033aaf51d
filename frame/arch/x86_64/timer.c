/*
 * The tick and the timer events of the x86-64 target.
 *
 * Every CPU with a local APIC timer gets its own tick, FR_TICK_HZ times a
 * second, and calls sched_tick() from it; the boot CPU's tick also counts
 * fr_ticks() and runs the services' tick hook.  One timer event (the
 * services' earliest deadline, fr_timer_event_at) runs the event hook on
 * the boot CPU.  Three modes, chosen at boot:
 *
 *   one-shot:  the TSC is the clock and the APIC timer works: the boot
 *              CPU's timer is set, at each of its interrupts, for the
 *              earlier of the next tick (a multiple of 1 / FR_TICK_HZ s of
 *              the monotonic clock) and the event, so that events come
 *              when due (1 ns resolution); ticks a late interrupt missed
 *              are counted at once.  Another CPU that moves the event
 *              before the time the timer is set for sends the boot CPU
 *              VECTOR_TIMER.
 *   periodic:  the APIC timer works but the clock counts ticks: every
 *              CPU's timer is periodic; the event is looked at each tick.
 *   PIT:       no usable APIC timer ("nolapic_timer", no APIC): the PIT's
 *              line is the boot CPU's tick, the others have none; the
 *              event is looked at each tick.
 *
 * The other CPUs' timers are periodic in the first two modes.
 */
#include "arch.h"
#include "x86.h"
#include "x86_internal.h"
#include "time_math.h"
#include <frame/timer.h>

#define TICK_NS (TIME_NS_PER_SEC / FR_TICK_HZ)
#define NEVER UINT64_MAX
#define MIN_LAPIC_HZ (FR_TICK_HZ * 1000ULL) /* a count per 10 us at least */

enum timer_mode { MODE_PIT, MODE_PERIODIC, MODE_ONESHOT };

static enum timer_mode mode = MODE_PIT; /* set once at boot */
static uint32_t lapic_period;		 /* APIC timer counts per tick */
static uint64_t lapic_mult;		 /* ns to APIC timer counts */
static uint64_t ticks;			 /* atomic */
static fr_tick_fn tick_hook;		 /* atomic */
static fr_tick_fn event_hook;		 /* atomic */
static uint64_t event_at = NEVER;	 /* atomic: the event's deadline */
static uint64_t programmed = NEVER;	 /* atomic: when the timer fires */
/* the boot CPU's own, with interrupts off (one-shot mode) */
static uint64_t next_tick;
static bool in_interrupt;

uint64_t fr_ticks(void)
{
	return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

uint64_t timer_tick_clock_ns(void)
{
	return fr_ticks() * TICK_NS;
}

uint64_t fr_timer_resolution_ns(void)
{
	return mode == MODE_ONESHOT ? 1 : TICK_NS;
}

void fr_inject_tick_hook(fr_tick_fn fn)
{
	__atomic_store_n(&tick_hook, fn, __ATOMIC_RELEASE);
}

void fr_inject_timer_event_hook(fr_tick_fn fn)
{
	__atomic_store_n(&event_hook, fn, __ATOMIC_RELEASE);
}

/* @n ticks of the boot CPU went by. */
static void run_tick(uint64_t n)
{
	fr_tick_fn hook = __atomic_load_n(&tick_hook, __ATOMIC_ACQUIRE);

	__atomic_fetch_add(&ticks, n, __ATOMIC_RELAXED);
	if (hook)
		hook();
	sched_tick();
}

/* The event, when due at @now.  A deadline moved meanwhile is kept. */
static void run_event(uint64_t now)
{
	uint64_t at = __atomic_load_n(&event_at, __ATOMIC_SEQ_CST);
	fr_tick_fn hook;

	if (at > now || !__atomic_compare_exchange_n(&event_at, &at, NEVER,
						     false, __ATOMIC_SEQ_CST,
						     __ATOMIC_SEQ_CST))
		return;
	hook = __atomic_load_n(&event_hook, __ATOMIC_ACQUIRE);
	if (hook)
		hook();
}

/*
 * Set the boot CPU's timer for the next tick or the event, whichever
 * comes first (one-shot mode, interrupts off).  Publishing the time
 * before reading the event again pairs with fr_timer_event_at(), which
 * stores the event before reading the time: one of the two sees the
 * other's change.
 */
static void program(void)
{
	uint64_t at, now, counts;

	do {
		at = FR_MIN(next_tick,
			    __atomic_load_n(&event_at, __ATOMIC_SEQ_CST));
		__atomic_store_n(&programmed, at, __ATOMIC_SEQ_CST);
	} while (__atomic_load_n(&event_at, __ATOMIC_SEQ_CST) < at);
	now = fr_monotonic_ns();
	counts = at > now ? time_scale(at - now, lapic_mult) : 1;
	lapic_timer_oneshot((uint32_t)FR_MIN(FR_MAX(counts, 1), 0xffffffffULL));
}

void fr_timer_event_at(uint64_t deadline_ns)
{
	unsigned long irq = fr_irq_save();

	__atomic_store_n(&event_at, deadline_ns, __ATOMIC_SEQ_CST);
	if (mode == MODE_ONESHOT) {
		if (fr_cpu_id() != 0) {
			if (deadline_ns <
			    __atomic_load_n(&programmed, __ATOMIC_SEQ_CST))
				smp_kick_timer_bsp();
		} else if (!in_interrupt) {
			program();
		}
	}
	fr_irq_restore(irq);
}

/* The boot CPU's APIC timer in one-shot mode (or a kick). */
static void oneshot_interrupt(void)
{
	uint64_t now = fr_monotonic_ns();

	in_interrupt = true;
	if (now >= next_tick) {
		uint64_t n = (now - next_tick) / TICK_NS + 1;

		next_tick += n * TICK_NS;
		run_tick(n);
	}
	run_event(fr_monotonic_ns());
	in_interrupt = false;
	program();
}

void timer_lapic_interrupt(void)
{
	if (fr_cpu_id() != 0) {
		sched_tick();
	} else if (mode == MODE_ONESHOT) {
		oneshot_interrupt();
	} else if (mode == MODE_PERIODIC) {
		run_tick(1);
		run_event(fr_monotonic_ns());
	}
}

void timer_pit_interrupt(void)
{
	if (mode != MODE_PIT)
		return;
	run_tick(1);
	run_event(fr_monotonic_ns());
}

void timer_init_bsp(void)
{
	uint64_t hz = 0;

	if (boot_param("nolapic_timer"))
		fr_printk("timer: local APIC timers not used "
			  "(nolapic_timer)\n");
	else
		hz = lapic_timer_calibrate();
	if (hz >= MIN_LAPIC_HZ && hz / FR_TICK_HZ <= 0xffffffffULL) {
		lapic_period = (uint32_t)(hz / FR_TICK_HZ);
		lapic_mult = time_mult(TIME_NS_PER_SEC, hz);
		if (tsc_clock() && lapic_mult) {
			mode = MODE_ONESHOT;
			next_tick = (fr_monotonic_ns() / TICK_NS + 1) * TICK_NS;
			program();
		} else {
			mode = MODE_PERIODIC;
			lapic_timer_periodic(lapic_period);
		}
		fr_printk("timer: local APIC timers at %lu.%03lu MHz, %u Hz "
			  "ticks on every CPU, %s timer events\n",
			  hz / 1000000, hz / 1000 % 1000, FR_TICK_HZ,
			  mode == MODE_ONESHOT ? "one-shot" : "tick-bound");
	} else {
		mode = MODE_PIT;
		pic_unmask(0);
		fr_printk("timer: the PIT's %u Hz tick on CPU 0 only, "
			  "tick-bound timer events\n", FR_TICK_HZ);
	}
	tsc_publish(fr_timer_resolution_ns());
}

void timer_init_ap(void)
{
	if (mode != MODE_PIT)
		lapic_timer_periodic(lapic_period);
}
