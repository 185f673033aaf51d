/*
 * Pseudo-terminals, as Linux's Unix 98 ptys: opening /dev/ptmx (5:2)
 * makes a pair and gives its master; the slave is /dev/pts/N (136:N) in
 * the devpts file system (devpts.c), locked until the master's owner
 * unlocks it (TIOCSPTLCK, what unlockpt() does).
 *
 * The slave is a full terminal (struct tty with its line discipline).
 * What the master writes is the slave's input (tty_receive); what the
 * slave outputs, echo included, waits in the pair's output ring until the
 * master reads it.  The slave's lock guards the whole pair.  When the
 * master closes, the slave hangs up (reads give end of file, writes EIO,
 * its session leader gets SIGHUP); when every slave file is closed, the
 * master's reads give EIO once the ring is empty.
 */
#include <frame/heap.h>
#include <libs/fmt.h>
#include <libs/string.h>
#include "fs/poll.h"
#include "syscall/restart.h"
#include "time/timer.h"
#include "tty/tty_internal.h"
#include "tty/devpts.h"

struct pty {
	struct tty slave;
	uint8_t out[TTY_BUF]; /* the slave's output, for the master */
	uint64_t out_head, out_tail;
	struct fr_waitqueue master_read;  /* output arrived, slave closed */
	struct fr_waitqueue master_write; /* the slave's input has room */
	bool master_open;
	bool slave_closed; /* the slave was opened, and is closed again */
	bool locked;	   /* TIOCSPTLCK */
	unsigned index;
};

static struct fr_mutex table_lock;
static struct pty *table[PTY_MAX]; /* [table_lock] */

static struct pty *pty_of(struct tty *tty)
{
	return tty->pty;
}

/* ---- the slave's device: output into the ring ---- */

static size_t pty_room(struct tty *tty)
{
	struct pty *pty = pty_of(tty);

	return TTY_BUF - (size_t)(pty->out_head - pty->out_tail);
}

static void pty_put(struct tty *tty, const uint8_t *buf, size_t len)
{
	struct pty *pty = pty_of(tty);

	for (size_t i = 0; i < len; i++)
		pty->out[pty->out_head++ % TTY_BUF] = buf[i];
	fr_wake_all(&pty->master_read);
}

static void pty_input_drained(struct tty *tty)
{
	fr_wake_all(&pty_of(tty)->master_write);
}

static void pty_slave_closed(struct tty *tty)
{
	struct pty *pty = pty_of(tty);

	pty->slave_closed = true;
	fr_wake_all(&pty->master_read);
	fr_wake_all(&pty->master_write);
}

static const struct tty_driver pty_driver = {
	.name = "pts",
	.room = pty_room,
	.put = pty_put,
	.input_drained = pty_input_drained,
	.closed = pty_slave_closed,
};

/* ---- the pair's life ---- */

static struct pty *pty_alloc(int *err)
{
	struct pty *pty = NULL;
	unsigned i;

	fr_mutex_lock(&table_lock);
	for (i = 0; i < PTY_MAX && table[i]; i++)
		;
	if (i == PTY_MAX) {
		*err = -ENOSPC;
	} else if (!(pty = FR_NEW(struct pty))) {
		*err = -ENOMEM;
	} else {
		tty_setup(&pty->slave, &pty_driver, i, VFS_MKDEV(PTY_SLAVE_MAJOR, i));
		pty->slave.pty = pty; /* the master's reference: refs 1 */
		pty->index = i;
		pty->master_open = true;
		pty->locked = true;
		fr_waitqueue_init(&pty->master_read);
		fr_waitqueue_init(&pty->master_write);
		table[i] = pty;
	}
	fr_mutex_unlock(&table_lock);
	return pty;
}

/* The last reference is gone: the number is free again. */
void pty_free(struct pty *pty)
{
	fr_mutex_lock(&table_lock);
	if (table[pty->index] == pty)
		table[pty->index] = NULL;
	fr_mutex_unlock(&table_lock);
	fr_kfree(pty);
}

bool pty_exists(unsigned index)
{
	bool there;

	if (index >= PTY_MAX)
		return false;
	fr_mutex_lock(&table_lock);
	there = table[index] && table[index]->master_open;
	fr_mutex_unlock(&table_lock);
	return there;
}

size_t pty_list(unsigned *out, size_t max)
{
	size_t n = 0;

	fr_mutex_lock(&table_lock);
	for (unsigned i = 0; i < PTY_MAX && n < max; i++)
		if (table[i] && table[i]->master_open)
			out[n++] = i;
	fr_mutex_unlock(&table_lock);
	return n;
}

int pty_slave_open(unsigned index, struct file *f)
{
	struct pty *pty = NULL;
	int err = 0;

	fr_mutex_lock(&table_lock);
	if (index < PTY_MAX)
		pty = table[index];
	if (pty)
		tty_get(&pty->slave);
	fr_mutex_unlock(&table_lock);
	if (!pty)
		return -ENXIO;
	fr_mutex_lock(&pty->slave.lock);
	if (pty->locked || !pty->master_open)
		err = -EIO;
	else
		pty->slave_closed = false;
	fr_mutex_unlock(&pty->slave.lock);
	if (!err)
		err = tty_file_open(&pty->slave, f, false);
	tty_put(&pty->slave);
	return err;
}

/* ---- the master's file ---- */

static int ptmx_open(struct inode *inode, struct file *f)
{
	struct pty *pty;
	int err = 0;

	if (VFS_MINOR(inode->rdev) != 2)
		return -ENXIO;
	pty = pty_alloc(&err);
	if (!pty)
		return err;
	f->priv.tty = &pty->slave;
	devpts_pty_added(pty->index);
	return 0;
}

static void ptmx_release(struct file *f)
{
	struct tty *tty = f->priv.tty;
	struct pty *pty;

	if (!tty)
		return;
	pty = pty_of(tty);
	fr_mutex_lock(&tty->lock);
	pty->master_open = false;
	tty->hungup = true;
	tty_hangup_session(tty);
	fr_wake_all(&tty->read_wait);
	fr_wake_all(&tty->write_wait);
	fr_mutex_unlock(&tty->lock);
	devpts_pty_removed(pty->index);
	f->priv.tty = NULL;
	tty_put(tty);
}

static bool master_readable(struct pty *pty)
{
	return pty->out_head != pty->out_tail || pty->slave_closed;
}

static long ptmx_read(struct file *f, const struct iobuf *b, size_t len,
		      uint64_t *pos)
{
	struct tty *tty = f->priv.tty;
	struct pty *pty = pty_of(tty);
	uint8_t chunk[256];
	size_t done = 0;
	long ret = 0;
	int err;

	if (!len)
		return 0;
	fr_mutex_lock(&tty->lock);
	for (;;) {
		if (pty->out_head != pty->out_tail) {
			size_t n = 0;

			while (n < sizeof(chunk) && done + n < len &&
			       pty->out_tail != pty->out_head)
				chunk[n++] = pty->out[pty->out_tail++ % TTY_BUF];
			fr_wake_all(&tty->write_wait);
			if (iobuf_put(b, done, chunk, n)) {
				ret = done ? (long)done : -EFAULT;
				break;
			}
			done += n;
			if (done == len || pty->out_head == pty->out_tail) {
				ret = (long)done;
				break;
			}
			continue;
		}
		if (pty->slave_closed) {
			ret = -EIO;
			break;
		}
		if (f->flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		fr_mutex_unlock(&tty->lock);
		err = KTIME_WAIT_EVENT(&pty->master_read, master_readable(pty),
				       KTIME_NEVER);
		fr_mutex_lock(&tty->lock);
		if (err) {
			ret = -ERESTARTSYS;
			break;
		}
	}
	fr_mutex_unlock(&tty->lock);
	return ret;
}

/* Whether input written to the slave can go in now (a canonical line
 * that fills the buffer cannot wait for a reader: it is cut). */
static bool master_writable(struct pty *pty)
{
	struct tty *tty = &pty->slave;

	return tty_input_room(tty) > 0 ||
	       ((tty->termios.c_lflag & ICANON) && tty->canon == tty->tail);
}

static long ptmx_write(struct file *f, const struct iobuf *b, size_t len,
		       uint64_t *pos)
{
	struct tty *tty = f->priv.tty;
	struct pty *pty = pty_of(tty);
	uint8_t chunk[256];
	size_t done = 0;
	int err;

	while (done < len) {
		size_t n = FR_MIN(len - done, sizeof(chunk)), off = 0;

		if (iobuf_get(b, done, chunk, n))
			return done ? (long)done : -EFAULT;
		fr_mutex_lock(&tty->lock);
		while (off < n) {
			size_t room = tty_input_room(tty), k;

			if (!room && master_writable(pty))
				room = n - off; /* dropped by the line editing */
			if (room) {
				k = FR_MIN(room, n - off);
				tty_receive(tty, chunk + off, k);
				off += k;
				continue;
			}
			if (f->flags & O_NONBLOCK) {
				fr_mutex_unlock(&tty->lock);
				return done + off ? (long)(done + off) : -EAGAIN;
			}
			fr_mutex_unlock(&tty->lock);
			err = KTIME_WAIT_EVENT(&pty->master_write,
					       master_writable(pty),
					       KTIME_NEVER);
			fr_mutex_lock(&tty->lock);
			if (err) {
				fr_mutex_unlock(&tty->lock);
				return done + off ? (long)(done + off)
						  : -ERESTARTSYS;
			}
		}
		fr_mutex_unlock(&tty->lock);
		done += n;
	}
	return (long)done;
}

static unsigned ptmx_poll(struct file *f, struct poll_table *pt)
{
	struct tty *tty = f->priv.tty;
	struct pty *pty = pty_of(tty);
	unsigned mask = 0;

	poll_wait(pt, &pty->master_read);
	poll_wait(pt, &pty->master_write);
	fr_mutex_lock(&tty->lock);
	if (pty->out_head != pty->out_tail)
		mask |= POLLIN | POLLRDNORM;
	if (pty->slave_closed)
		mask |= POLLHUP;
	if (master_writable(pty))
		mask |= POLLOUT | POLLWRNORM;
	fr_mutex_unlock(&tty->lock);
	return mask;
}

/* TIOCGPTPEER: a file on the slave, opened from the master (through
 * the devpts name, where Linux uses the master's own devpts instance). */
static long open_peer(struct pty *pty, uint64_t flags)
{
	char path[32];
	struct file *f;
	int err, fd;

	if (flags & ~(uint64_t)(O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	str_format(path, sizeof(path), "/dev/pts/%u", pty->index);
	f = vfs_open(AT_FDCWD, path, (unsigned)flags, 0, &err);
	if (!f)
		return err == -ENOENT ? -EIO : err;
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

static long ptmx_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct tty *tty = f->priv.tty;
	struct pty *pty = pty_of(tty);
	unsigned index = pty->index;
	int v;
	long ret;

	switch (cmd) {
	case TIOCGPTN:
		return FR_PUT_USER(index, fr_uaddr(arg)) ? -EFAULT : 0;
	case TIOCSPTLCK:
		if (FR_GET_USER(v, fr_uaddr(arg)))
			return -EFAULT;
		fr_mutex_lock(&tty->lock);
		pty->locked = v != 0;
		fr_mutex_unlock(&tty->lock);
		return 0;
	case TIOCGPTLCK:
		v = pty->locked;
		return FR_PUT_USER(v, fr_uaddr(arg)) ? -EFAULT : 0;
	case TIOCGPTPEER:
		return open_peer(pty, arg);
	case TIOCPKT:
		return -ENOTTY; /* packet mode is not supported */
	}
	fr_mutex_lock(&tty->lock);
	switch (cmd) {
	case FIONREAD:
		v = (int)(pty->out_head - pty->out_tail);
		ret = FR_PUT_USER(v, fr_uaddr(arg)) ? -EFAULT : 0;
		break;
	case TCFLSH:
		if (arg > TCIOFLUSH) {
			ret = -EINVAL;
			break;
		}
		if (arg != TCOFLUSH) {
			pty->out_tail = pty->out_head;
			fr_wake_all(&tty->write_wait);
		}
		if (arg != TCIFLUSH)
			tty_flush_input(tty);
		ret = 0;
		break;
	default:
		ret = tty_do_ioctl(tty, f, true, cmd, arg);
	}
	fr_mutex_unlock(&tty->lock);
	return ret;
}

static const struct file_ops ptmx_fops = {
	.open = ptmx_open,
	.release = ptmx_release,
	.read = ptmx_read,
	.write = ptmx_write,
	.ioctl = ptmx_ioctl,
	.poll = ptmx_poll,
};

int pty_init(void)
{
	int err;

	fr_mutex_init(&table_lock);
	err = chrdev_register(5, 2, 1, &ptmx_fops);
	if (!err)
		err = chrdev_register(PTY_SLAVE_MAJOR, 0, PTY_MAX, &tty_fops);
	if (!err)
		err = devpts_init();
	return err;
}
