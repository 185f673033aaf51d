/*
 * The console on the first serial port (COM1, 16550 UART).  Output is
 * polled; input is either polled (fr_console_read_byte) or, once a
 * service asks for it with fr_console_set_rx, taken from the UART's
 * receive interrupt on line 4 and handed to the service's callback.
 */
#include "x86.h"
#include "x86_internal.h"
#include <frame/cpu.h>
#include <frame/irq.h>
#include <frame/log.h>

#define COM1 0x3f8
#define COM1_IRQ 4
#define UART_IER 1 /* interrupt enable */
#define UART_IIR 2 /* interrupt identification (read) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_MCR 4 /* modem control: bit 3 (OUT2) gates the IRQ */
#define UART_LSR 5 /* line status: bit 0 data ready, bit 5 room */

static fr_console_rx_fn rx_fn; /* set in task context, read in the IRQ */

void serial_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7); /* FIFO */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
}

void serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

/* The console is a terminal: each newline goes out as CR LF. */
void arch_console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			serial_putc('\r');
		serial_putc(buf[i]);
	}
}

/* fr_console_write_raw - see <frame/log.h>. */
void fr_console_write_raw(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		serial_putc(buf[i]);
}

/* fr_console_read_byte - see <frame/log.h>: polls the UART. */
int fr_console_read_byte(void)
{
	if (!(inb(COM1 + UART_LSR) & 0x01))
		return -EAGAIN;
	return inb(COM1);
}

/* Line 4: drain the receive FIFO into the service's callback. */
static void serial_rx_irq(unsigned line)
{
	fr_console_rx_fn fn = __atomic_load_n(&rx_fn, __ATOMIC_ACQUIRE);
	uint8_t buf[64];
	size_t n = 0;

	(void)line;
	(void)inb(COM1 + UART_IIR); /* acknowledge */
	while (inb(COM1 + UART_LSR) & 0x01) {
		buf[n++] = inb(COM1);
		if (n == sizeof(buf)) {
			if (fn)
				fn(buf, n);
			n = 0;
		}
	}
	if (n && fn)
		fn(buf, n);
}

/* fr_console_set_rx - see <frame/log.h>. */
int fr_console_set_rx(fr_console_rx_fn fn)
{
	static bool registered;
	unsigned long irq;

	if (!fn) {
		outb(COM1 + UART_IER, 0x00);
		__atomic_store_n(&rx_fn, NULL, __ATOMIC_RELEASE);
		return 0;
	}
	if (!registered) {
		int err = fr_irq_register(COM1_IRQ, serial_rx_irq);

		if (err)
			return err;
		registered = true;
	}
	irq = fr_irq_save();
	__atomic_store_n(&rx_fn, fn, __ATOMIC_RELEASE);
	outb(COM1 + UART_FCR, 0x01); /* FIFO on, interrupt at each byte */
	outb(COM1 + UART_MCR, 0x0b); /* DTR, RTS, OUT2 */
	outb(COM1 + UART_IER, 0x01); /* received data available */
	serial_rx_irq(COM1_IRQ);     /* what was typed before */
	fr_irq_restore(irq);
	return 0;
}
