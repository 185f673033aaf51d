/*
 * Legacy interrupt controller (8259 PIC pair, remapped to vectors 32..47)
 * and the 8254 PIT as the periodic tick on line 0.  Device lines are
 * handed to services through fr_irq_register().
 */
#include "x86.h"
#include "x86_internal.h"
#include <frame/irq.h>
#include <frame/timer.h>

#define PIC1 0x20
#define PIC2 0xa0
#define PIT_HZ 1193182

static fr_irq_handler_t handlers[FR_IRQ_LINES];
static uint16_t irq_mask = 0xffff;
static uint64_t ticks;
static fr_tick_fn tick_hook;

static void pic_write_mask(void)
{
	outb(PIC1 + 1, irq_mask & 0xff);
	outb(PIC2 + 1, irq_mask >> 8);
}

void pic_init(void)
{
	outb(PIC1, 0x11);
	outb(PIC2, 0x11);
	outb(PIC1 + 1, 32);
	outb(PIC2 + 1, 40);
	outb(PIC1 + 1, 4);
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1);
	outb(PIC2 + 1, 1);
	irq_mask = 0xffff & ~(1 << 2); /* cascade */
	pic_write_mask();
}

void pic_unmask(unsigned line)
{
	irq_mask &= ~(1 << line);
	pic_write_mask();
}

void pic_mask(unsigned line)
{
	irq_mask |= 1 << line;
	pic_write_mask();
}

void pic_eoi(unsigned line)
{
	if (line >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
}

void pit_init(void)
{
	unsigned divisor = PIT_HZ / FR_TICK_HZ;

	outb(0x43, 0x34); /* channel 0, rate generator */
	outb(0x40, divisor & 0xff);
	outb(0x40, divisor >> 8);
	pic_unmask(0);
}

/* Channel 0's current count (it counts down from the divisor, again). */
static unsigned pit_count(void)
{
	unsigned long irq = fr_irq_save();
	unsigned lo, hi;

	outb(0x43, 0x00); /* latch channel 0 */
	lo = inb(0x40);
	hi = inb(0x40);
	fr_irq_restore(irq);
	return lo | hi << 8;
}

/*
 * Busy-wait at least @us microseconds, from the count of the tick's own
 * channel: it works with interrupts off and does not disturb the tick.
 * Context: the boot CPU (SMP start-up); a wait may last longer when this
 * virtual CPU is not scheduled for a whole tick.
 */
void pit_delay_us(uint64_t us)
{
	unsigned divisor = PIT_HZ / FR_TICK_HZ;
	uint64_t want = us * PIT_HZ / 1000000, done = 0;
	unsigned prev = pit_count();

	while (done < want) {
		unsigned now = pit_count();

		done += now <= prev ? prev - now : prev + divisor - now;
		prev = now;
		fr_cpu_relax();
	}
}

void irq_dispatch(unsigned line)
{
	if (line == 7 || line == 15) {
		/* spurious unless in-service */
		uint8_t isr;

		outb(line == 7 ? PIC1 : PIC2, 0x0b);
		isr = inb(line == 7 ? PIC1 : PIC2);
		if (!(isr & 0x80)) {
			if (line == 15)
				outb(PIC1, 0x20);
			return;
		}
	}
	pic_eoi(line);
	if (line == 0) {
		__atomic_fetch_add(&ticks, 1, __ATOMIC_RELAXED);
		if (tick_hook)
			tick_hook();
		sched_tick();
	} else if (handlers[line]) {
		handlers[line](line);
	}
}

int fr_irq_register(unsigned line, fr_irq_handler_t handler)
{
	unsigned long irq;
	int err = 0;

	if (line >= FR_IRQ_LINES || line == 2 || !handler)
		return -EINVAL;
	irq = fr_irq_save();
	if (line == 0 || handlers[line])
		err = -EBUSY;
	else {
		handlers[line] = handler;
		pic_unmask(line);
	}
	fr_irq_restore(irq);
	return err;
}

void fr_irq_unregister(unsigned line)
{
	unsigned long irq;

	if (line == 0 || line >= FR_IRQ_LINES)
		return;
	irq = fr_irq_save();
	pic_mask(line);
	handlers[line] = NULL;
	fr_irq_restore(irq);
}

uint64_t fr_ticks(void)
{
	return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

uint64_t fr_monotonic_ns(void)
{
	return fr_ticks() * (1000000000ULL / FR_TICK_HZ);
}

void fr_inject_tick_hook(fr_tick_fn fn)
{
	tick_hook = fn;
}
