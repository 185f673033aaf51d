/*
 * Console logging and panics.  The console device and the backtrace are
 * the target's (arch_console_write, dump_backtrace).
 */
#include "frame_internal.h"
#include <frame/power.h>
#include <libs/fmt.h>
#include <libs/string.h>

static struct fr_spinlock console_lock = FR_SPINLOCK_INIT;
static int panicking;

void fr_console_write(const char *buf, size_t len)
{
	arch_console_write(buf, len);
}

void fr_vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	size_t n = str_vformat(buf, sizeof(buf), fmt, ap);
	unsigned long irq = 0;
	bool locked = !panicking;

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (locked)
		irq = fr_spin_lock_irqsave(&console_lock);
	fr_console_write(buf, n);
	if (locked)
		fr_spin_unlock_irqrestore(&console_lock, irq);
}

void fr_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fr_vprintk(fmt, ap);
	va_end(ap);
}

void panic_stop(void)
{
	fr_printk("---[ end Kernel panic ]---\n");
	fr_poweroff(3);
}

void fr_panic(const char *fmt, ...)
{
	va_list ap;

	fr_irq_save();
	panicking = 1;
	fr_printk("\nKERNEL PANIC: ");
	va_start(ap, fmt);
	fr_vprintk(fmt, ap);
	va_end(ap);
	fr_printk("\n");
	dump_backtrace((uint64_t)__builtin_frame_address(0),
		       (uint64_t)__builtin_return_address(0));
	panic_stop();
}
