/*
 * The hosted target's interrupt controller and timer: the tick count, the
 * services' tick and event hooks, the clocks (the host's CLOCK_MONOTONIC
 * since boot, its CLOCK_REALTIME at boot for the wall clock), and
 * handlers for device lines, with the kernel target's rules (line 0 is
 * the timer's, line 2 the cascade).  The timer thread (cpu.c) wakes for
 * each tick and at the event's deadline, which the event hook then runs
 * on CPU 0 at its next safe point, like the handler of a device line.  No
 * emulated device raises a line yet; when one does, it calls
 * hosted_irq_raise() (see cpu.c).
 */
#include "hosted.h"
#include "vdso_data.h"
#include <frame/irq.h>
#include <frame/timer.h>
#include <time.h>

static fr_irq_handler_t handlers[FR_IRQ_LINES]; /* atomic; irq_lock */
static struct fr_spinlock irq_lock = FR_SPINLOCK_INIT;
static uint64_t ticks;	      /* atomic */
static fr_tick_fn tick_hook; /* atomic */
static fr_tick_fn event_hook; /* atomic */
static uint64_t event_at = UINT64_MAX; /* atomic: the event's deadline */
static uint64_t boot_mono_ns;	       /* the host's clocks at boot */
static uint64_t boot_real_ns;

static uint64_t host_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void hosted_clock_init(void)
{
	boot_mono_ns = host_clock_ns(CLOCK_MONOTONIC);
	boot_real_ns = host_clock_ns(CLOCK_REALTIME);
}

void hosted_clock_publish(void)
{
	/* no user code reads it here; it says what the kernel's would */
	vdso_set_clock(VDSO_CLOCK_NONE, 0, 0, 1, 1000000000ULL / FR_TICK_HZ);
}

uint64_t hosted_boot_monotonic_ns(void)
{
	return boot_mono_ns;
}

bool hosted_take_due_event(uint64_t now)
{
	uint64_t at = __atomic_load_n(&event_at, __ATOMIC_SEQ_CST);

	return at <= now &&
	       __atomic_compare_exchange_n(&event_at, &at, UINT64_MAX, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

uint64_t hosted_event_deadline(void)
{
	return __atomic_load_n(&event_at, __ATOMIC_SEQ_CST);
}

void hosted_timer_event(void)
{
	fr_tick_fn hook = __atomic_load_n(&event_hook, __ATOMIC_ACQUIRE);

	if (hook)
		hook();
}

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

/*
 * fr_monotonic_ns - see <frame/timer.h>: the host's CLOCK_MONOTONIC since
 * boot; a safe point for pending interrupts, as fr_ticks().
 */
uint64_t fr_monotonic_ns(void)
{
	arch_irq_poll();
	return host_clock_ns(CLOCK_MONOTONIC) - boot_mono_ns;
}

/* fr_timer_resolution_ns - see <frame/timer.h>: events come when due. */
uint64_t fr_timer_resolution_ns(void)
{
	return 1;
}

/* fr_inject_tick_hook - see <frame/timer.h>. */
void fr_inject_tick_hook(fr_tick_fn fn)
{
	__atomic_store_n(&tick_hook, fn, __ATOMIC_RELEASE);
}

/* fr_inject_timer_event_hook - see <frame/timer.h>. */
void fr_inject_timer_event_hook(fr_tick_fn fn)
{
	__atomic_store_n(&event_hook, fn, __ATOMIC_RELEASE);
}

/* fr_timer_event_at - see <frame/timer.h>: the timer thread wakes for it. */
void fr_timer_event_at(uint64_t deadline_ns)
{
	__atomic_store_n(&event_at, deadline_ns, __ATOMIC_SEQ_CST);
	hosted_timer_wake();
}

/* fr_rtc_boot_realtime_ns - see <frame/timer.h>: the host's wall clock. */
int fr_rtc_boot_realtime_ns(uint64_t *ns)
{
	*ns = boot_real_ns;
	return 0;
}
