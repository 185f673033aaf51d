/*
 * The console on the first serial port (COM1, 16550 UART).
 */
#include "x86.h"
#include "x86_internal.h"

#define COM1 0x3f8

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
	while (!(inb(COM1 + 5) & 0x20))
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

/* fr_console_read_byte - see <frame/log.h>: polls the UART. */
int fr_console_read_byte(void)
{
	if (!(inb(COM1 + 5) & 0x01))
		return -EAGAIN;
	return inb(COM1);
}
