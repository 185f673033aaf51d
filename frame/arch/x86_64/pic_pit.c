/*
 * Legacy interrupt controller (8259 PIC pair, remapped to vectors 32..47)
 * and the 8254 PIT: its channel 0 counts at FR_TICK_HZ for the busy waits
 * and calibrations of the boot, and is the tick on line 0 when there is
 * no local APIC timer (timer.c).  Device lines are handed to services
 * through fr_irq_register().
 */
#include "x86.h"
#include "x86_internal.h"
#include <frame/irq.h>
#include <frame/timer.h>

#define PIC1 0x20
#define PIC2 0xa0
#define PIT_DIVISOR (PIT_HZ / FR_TICK_HZ)

static fr_irq_handler_t handlers[FR_IRQ_LINES];
static uint16_t irq_mask = 0xffff;

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

/* Channel 0 counts down from PIT_DIVISOR, FR_TICK_HZ times a second; its
 * line stays masked until timer.c makes it the tick. */
void pit_init(void)
{
	outb(0x43, 0x34); /* channel 0, rate generator */
	outb(0x40, PIT_DIVISOR & 0xff);
	outb(0x40, PIT_DIVISOR >> 8);
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
	struct pit_window w;

	w.prev = pit_count();
	w.done = 0;
	while (!pit_window_done(&w, us * PIT_HZ / 1000000))
		fr_cpu_relax();
}

void pit_window_start(struct pit_window *w)
{
	unsigned first = pit_count();

	do
		w->prev = pit_count();
	while (w->prev == first);
	w->done = 0;
}

bool pit_window_done(struct pit_window *w, uint64_t counts)
{
	unsigned now = pit_count();

	w->done += now <= w->prev ? w->prev - now : w->prev + PIT_DIVISOR - now;
	w->prev = now;
	return w->done >= counts;
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
		timer_pit_interrupt();
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
