/*
 * The serial console as a terminal: /dev/ttyS0 (4:64) and, through
 * /dev/console (5:1), the same line.  Output goes to the port unchanged
 * (the line discipline did the processing); kernel log lines share it.
 *
 * Input arrives by interrupt (fr_console_set_rx): the callback only
 * queues the bytes and wakes a kernel task, "ttyS0-rx", which feeds them
 * to the line discipline in task context, where it may take the tty's
 * mutex and signal process groups.  No reader spins on the port.
 */
#include <frame/log.h>
#include <frame/task.h>
#include "fs/vfs.h"
#include "tty/tty_internal.h"

#define RX_RING 1024

static struct tty serial;

/* Bytes from the interrupt to the task. */
static struct {
	struct fr_spinlock lock;
	uint8_t ring[RX_RING];
	size_t head, tail; /* free-running */
} rx = { .lock = FR_SPINLOCK_INIT };
static struct fr_waitqueue rx_wait;

struct tty *serial_tty(void)
{
	return &serial;
}

static size_t serial_room(struct tty *tty)
{
	return SIZE_MAX / 2; /* the port waits for itself */
}

static void serial_put(struct tty *tty, const uint8_t *buf, size_t len)
{
	fr_console_write_raw((const char *)buf, len);
}

static const struct tty_driver serial_driver = {
	.name = "ttyS",
	.room = serial_room,
	.put = serial_put,
};

/* The receive callback, in IRQ context: queue and wake the task. */
static void serial_rx(const uint8_t *buf, size_t len)
{
	unsigned long irq = fr_spin_lock_irqsave(&rx.lock);

	for (size_t i = 0; i < len && rx.head - rx.tail < RX_RING; i++)
		rx.ring[rx.head++ % RX_RING] = buf[i];
	fr_spin_unlock_irqrestore(&rx.lock, irq);
	fr_wake_all(&rx_wait);
}

static size_t rx_take(uint8_t *out, size_t len)
{
	unsigned long irq = fr_spin_lock_irqsave(&rx.lock);
	size_t n = 0;

	while (n < len && rx.tail != rx.head)
		out[n++] = rx.ring[rx.tail++ % RX_RING];
	fr_spin_unlock_irqrestore(&rx.lock, irq);
	return n;
}

static bool rx_pending(void)
{
	unsigned long irq = fr_spin_lock_irqsave(&rx.lock);
	bool pending = rx.tail != rx.head;

	fr_spin_unlock_irqrestore(&rx.lock, irq);
	return pending;
}

static void serial_rx_task(struct tty *tty)
{
	uint8_t buf[64];
	size_t n;

	for (;;) {
		FR_WAIT_EVENT(&rx_wait, rx_pending());
		while ((n = rx_take(buf, sizeof(buf)))) {
			fr_mutex_lock(&tty->lock);
			tty_receive(tty, buf, n);
			fr_mutex_unlock(&tty->lock);
		}
	}
}

int serial_init(void)
{
	struct fr_task *task;
	int err;

	tty_setup(&serial, &serial_driver, 0, VFS_MKDEV(4, 64));
	serial.termios.c_cflag |= CLOCAL;
	serial.refs = 1; /* never freed */
	fr_waitqueue_init(&rx_wait);
	err = chrdev_register(4, 64, 1, &tty_fops);
	if (err)
		return err;
	task = FR_TASK_CREATE("ttyS0-rx", serial_rx_task, &serial);
	if (!task)
		return -ENOMEM;
	fr_task_start(task);
	err = fr_console_set_rx(serial_rx);
	if (err)
		fr_printk("tty: no console input interrupt: error %d\n", -err);
	return 0;
}
