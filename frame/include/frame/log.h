/*
 * Console output and fatal errors.  The console is the first serial port
 * in the kernel target and standard output in the hosted target.
 */
#ifndef FRAME_LOG_H
#define FRAME_LOG_H

#include <frame/types.h>

/*
 * fr_printk - print a formatted message on the console.
 * Context: any, including IRQ handlers; lines from several CPUs do not
 * interleave within one call.  Formats: %d %i %u %x %X %p %s %c %% with
 * l/ll/z modifiers, width and zero padding.
 */
void fr_printk(const char *fmt, ...) FR_PRINTF(1, 2);

/*
 * fr_vprintk - fr_printk with a va_list.
 * Context: any.
 */
void fr_vprintk(const char *fmt, va_list ap);

/*
 * fr_console_write - write raw bytes to the console.
 * Context: any.  Returns nothing; the console cannot fail.
 */
void fr_console_write(const char *buf, size_t len);

/*
 * fr_console_read_byte - take one byte typed on the console, if any.
 * Context: any.  Returns the byte (0..255) or -EAGAIN when none is waiting.
 */
int fr_console_read_byte(void);

/*
 * fr_console_write_raw - write bytes to the console exactly as given: no
 * newline translation (a terminal driver does its own output processing).
 * Context: any.
 */
void fr_console_write_raw(const char *buf, size_t len);

/*
 * fr_console_rx_fn - receives bytes typed on the console as they arrive.
 * Context: IRQ (interrupts off): it must not sleep.
 */
typedef void (*fr_console_rx_fn)(const uint8_t *buf, size_t len);

/*
 * fr_console_set_rx - deliver console input to @fn as it arrives, so that
 * no reader has to poll: the kernel target enables the UART's receive
 * interrupt (COM1, line 4) and drains its FIFO from the interrupt; the
 * hosted target checks standard input on CPU 0's tick.  NULL stops the
 * delivery (input is then left for fr_console_read_byte).
 * Context: task context.  Returns 0, or -EBUSY when line 4 is taken.
 */
int fr_console_set_rx(fr_console_rx_fn fn) FR_MUST_CHECK;

/*
 * fr_panic - report a fatal kernel error with a backtrace and stop.
 * Context: any.  Never returns: the machine powers off with status 3.
 */
FR_NORETURN void fr_panic(const char *fmt, ...) FR_PRINTF(1, 2);

/* FR_BUG_ON - panic with the location when a kernel invariant fails. */
#define FR_BUG_ON(cond)                                                        \
	do {                                                                   \
		if (__builtin_expect(!!(cond), 0))                             \
			fr_panic("BUG at %s:%d: %s", __FILE__, __LINE__,       \
				 #cond);                                       \
	} while (0)

#endif
