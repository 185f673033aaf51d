/*
 * The hosted target's console, power-off and backtraces: the console is
 * the process's standard output (written unbuffered, so that lines are
 * out before a crash) and standard input; powering off exits the process
 * with the power-off code; a backtrace is the host's view of the stack.
 */
#include "hosted.h"
#include "sanitizer.h"
#include <frame/power.h>
#include <errno.h>
#include <execinfo.h>
#include <poll.h>
#include <unistd.h>

void arch_console_write(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* the console cannot fail: output is lost */
		buf += n;
		len -= n;
	}
}

/* fr_console_read_byte - see <frame/log.h>: a byte of standard input. */
int fr_console_read_byte(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	unsigned char byte;

	if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLIN))
		return -EAGAIN;
	if (read(STDIN_FILENO, &byte, 1) != 1)
		return -EAGAIN; /* end of input: nothing more is typed */
	return byte;
}

/* fr_console_write_raw - see <frame/log.h>: standard output as is. */
void fr_console_write_raw(const char *buf, size_t len)
{
	arch_console_write(buf, len);
}

static fr_console_rx_fn rx_fn; /* atomic */

/* fr_console_set_rx - see <frame/log.h>: standard input, polled on CPU 0's
 * tick (hosted_console_rx_tick) while a callback is set. */
int fr_console_set_rx(fr_console_rx_fn fn)
{
	__atomic_store_n(&rx_fn, fn, __ATOMIC_RELEASE);
	return 0;
}

void hosted_console_rx_tick(void)
{
	fr_console_rx_fn fn = __atomic_load_n(&rx_fn, __ATOMIC_ACQUIRE);
	uint8_t buf[64];
	size_t n = 0;
	int c;

	if (!fn)
		return;
	while (n < sizeof(buf) && (c = fr_console_read_byte()) >= 0)
		buf[n++] = (uint8_t)c;
	if (n)
		fn(buf, n);
}

/*
 * fr_poweroff - see <frame/power.h>: the process exits with @code at
 * once, whatever the other CPU threads are doing.
 */
void fr_poweroff(int code)
{
	fr_irq_save();
	_exit(code & 0xff);
}

/* The kernel's frame-pointer walk is the host's stack walk here. */
void dump_backtrace(uint64_t rbp, uint64_t rip)
{
	void *frames[32];
	int n;

	(void)rbp;
	(void)rip;
	fr_printk("Backtrace:\n");
	if (san_print_stack())
		return;
	n = backtrace(frames, 32);
	backtrace_symbols_fd(frames, n, STDOUT_FILENO);
}
