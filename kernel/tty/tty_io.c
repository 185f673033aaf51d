/*
 * Files open on terminals: read (canonical lines, VMIN/VTIME, O_NONBLOCK,
 * interruptible), write (output processing, waiting for room), poll, the
 * terminal ioctls, controlling terminals (acquired by a session leader's
 * open, TIOCSCTTY, TIOCNOTTY, a session's end) and the job-control checks
 * (SIGTTIN, SIGTTOU), as Linux's tty_io.c, tty_ioctl.c and n_tty.c do.
 */
#include <frame/heap.h>
#include <frame/log.h>
#include <libs/string.h>
#include <asm-generic/signal.h>
#include "fs/file.h"
#include "fs/poll.h"
#include "fs/vfs.h"
#include "process/process.h"
#include "syscall/restart.h"
#include "time/timer.h"
#include "tty/tty.h"
#include "tty/tty_internal.h"

#define HANDLER_IGNORE 1 /* SIG_IGN, as the sigaction handler value */
#define SI_KERNEL_CODE 0x80
#define NSEC_PER_DECISECOND 100000000ULL

void tty_get(struct tty *tty)
{
	__atomic_add_fetch(&tty->refs, 1, __ATOMIC_RELAXED);
}

void tty_put(struct tty *tty)
{
	if (__atomic_sub_fetch(&tty->refs, 1, __ATOMIC_ACQ_REL) == 0 &&
	    tty->pty)
		pty_free(tty->pty);
}

/* ---- signals and controlling terminals ---- */

static void send_kernel_signal(struct process *p, int sig)
{
	struct k_siginfo info = { .signo = sig, .code = SI_KERNEL_CODE,
				  .kind = SI_KIND_KILL };

	signal_send(p, NULL, &info, false);
}

void tty_signal_pgrp(int pgrp, int sig)
{
	struct process *p;

	if (pgrp <= 0)
		return;
	fr_mutex_lock(&process_tree_lock);
	for (p = process_first(); p; p = p->next_all)
		if (p->pgid == pgrp && p->state != PROCESS_ZOMBIE)
			send_kernel_signal(p, sig);
	fr_mutex_unlock(&process_tree_lock);
}

/* Whether a process of session @sid is in group @pgrp.  [tree] held */
static bool pgrp_in_session(int pgrp, int sid)
{
	for (struct process *p = process_first(); p; p = p->next_all)
		if (p->pgid == pgrp && p->state != PROCESS_ZOMBIE)
			return p->sid == sid;
	return false;
}

/* Forget @tty as the terminal of every process of @sid.  [tree] held */
static void session_clear_tty(struct tty *tty, int sid)
{
	for (struct process *p = process_first(); p; p = p->next_all) {
		if (p->sid == sid && p->tty == tty) {
			p->tty = NULL;
			tty_put(tty);
		}
	}
}

/* The caller's controlling terminal (not referenced), or NULL. */
static struct tty *current_tty(void)
{
	struct process *p = current_process();
	struct tty *tty;

	if (!p)
		return NULL;
	fr_mutex_lock(&process_tree_lock);
	tty = p->tty;
	fr_mutex_unlock(&process_tree_lock);
	return tty;
}

/*
 * A session leader without a terminal opening one that controls no
 * session acquires it (Linux's rule for an open without O_NOCTTY).
 * [lock] held.
 */
static void maybe_acquire(struct tty *tty)
{
	struct process *p = current_process();

	if (!p || tty->session)
		return;
	fr_mutex_lock(&process_tree_lock);
	if (p->sid == p->pid && !p->tty) {
		p->tty = tty;
		tty_get(tty);
		tty->session = p->sid;
		tty->pgrp = p->pgid;
	}
	fr_mutex_unlock(&process_tree_lock);
}

/*
 * The session of @tty ends (its leader let go): every process forgets
 * it, its foreground group gets SIGHUP (and SIGCONT unless the leader is
 * exiting).  [lock] held.
 */
static void disassociate(struct tty *tty, bool on_exit)
{
	int pgrp = tty->pgrp, sid = tty->session;

	if (!sid)
		return;
	fr_mutex_lock(&process_tree_lock);
	session_clear_tty(tty, sid);
	fr_mutex_unlock(&process_tree_lock);
	tty->session = 0;
	tty->pgrp = 0;
	if (pgrp) {
		tty_signal_pgrp(pgrp, SIGHUP);
		if (!on_exit)
			tty_signal_pgrp(pgrp, SIGCONT);
	}
}

void tty_hangup_session(struct tty *tty)
{
	int sid = tty->session;

	if (!sid)
		return;
	/* the leader gets SIGHUP and SIGCONT; the session loses its tty */
	fr_mutex_lock(&process_tree_lock);
	for (struct process *p = process_first(); p; p = p->next_all)
		if (p->pid == sid && p->tty == tty &&
		    p->state != PROCESS_ZOMBIE) {
			send_kernel_signal(p, SIGHUP);
			send_kernel_signal(p, SIGCONT);
		}
	session_clear_tty(tty, sid);
	fr_mutex_unlock(&process_tree_lock);
	tty->session = 0;
	tty->pgrp = 0;
}

void tty_fork(struct process *child, const struct process *parent)
{
	child->tty = parent->tty;
	if (child->tty)
		tty_get(child->tty);
}

void tty_setsid(struct process *p)
{
	if (p->tty) {
		tty_put(p->tty);
		p->tty = NULL;
	}
}

void tty_process_exit(struct process *p)
{
	struct tty *tty;
	bool leader;

	fr_mutex_lock(&process_tree_lock);
	tty = p->tty;
	leader = p->sid == p->pid;
	if (tty)
		tty_get(tty); /* kept while we look at it */
	fr_mutex_unlock(&process_tree_lock);
	if (!tty)
		return;
	if (leader) {
		fr_mutex_lock(&tty->lock);
		if (tty->session == p->sid)
			disassociate(tty, true);
		fr_mutex_unlock(&tty->lock);
	}
	fr_mutex_lock(&process_tree_lock);
	if (p->tty == tty) {
		p->tty = NULL;
		tty_put(tty);
	}
	fr_mutex_unlock(&process_tree_lock);
	tty_put(tty);
}

/*
 * Linux's __tty_check_change: a process of a background group of its
 * terminal's session touching the terminal.  Returns 0 (go on), -EIO
 * (SIGTTIN ignored, or an orphaned group), or -ERESTARTSYS after sending
 * @sig to the caller's group.  [lock] held.
 */
int tty_job_control(struct tty *tty, int sig)
{
	struct process *p = current_process();
	struct thread *t = current_thread();
	unsigned long irq;
	bool ignored;
	int pgrp;

	if (!p || !t)
		return 0;
	fr_mutex_lock(&process_tree_lock);
	pgrp = p->pgid;
	if (p->tty != tty || !tty->pgrp || pgrp == tty->pgrp) {
		fr_mutex_unlock(&process_tree_lock);
		return 0;
	}
	fr_mutex_unlock(&process_tree_lock);
	irq = fr_spin_lock_irqsave(&p->siglock);
	ignored = p->sig.action[sig - 1].handler == HANDLER_IGNORE ||
		  (t->sig.blocked & SIGNAL_BIT(sig));
	fr_spin_unlock_irqrestore(&p->siglock, irq);
	if (ignored)
		return sig == SIGTTIN ? -EIO : 0;
	if (process_group_orphaned(pgrp))
		return -EIO;
	tty_signal_pgrp(pgrp, sig);
	return -ERESTARTSYS;
}

/* ---- open and close ---- */

int tty_file_open(struct tty *tty, struct file *f, bool noctty)
{
	fr_mutex_lock(&tty->lock);
	tty->opens++;
	tty_get(tty);
	f->priv.tty = tty;
	if (!noctty && !(f->flags & O_NOCTTY))
		maybe_acquire(tty);
	fr_mutex_unlock(&tty->lock);
	return 0;
}

static void tty_release(struct file *f)
{
	struct tty *tty = f->priv.tty;
	bool last;

	if (!tty)
		return;
	fr_mutex_lock(&tty->lock);
	last = --tty->opens == 0;
	if (last && tty->driver->closed)
		tty->driver->closed(tty);
	fr_mutex_unlock(&tty->lock);
	f->priv.tty = NULL;
	tty_put(tty);
}

/* ---- reading and writing ---- */

/* Sleep until @tty may be read or the deadline; the lock is dropped. */
static int wait_readable(struct tty *tty, uint64_t deadline)
{
	int ret;

	fr_mutex_unlock(&tty->lock);
	ret = KTIME_WAIT_EVENT(&tty->read_wait, tty_readable(tty), deadline);
	fr_mutex_lock(&tty->lock);
	return ret;
}

long tty_do_read(struct tty *tty, struct file *f, const struct iobuf *b,
		 size_t len)
{
	uint8_t chunk[256];
	size_t done = 0, n, minimum = 0;
	const struct termios *t = &tty->termios;
	bool canon, end;
	unsigned vmin, vtime;
	uint64_t interval = 0, deadline = KTIME_NEVER;
	long ret;

	if (!len)
		return 0;
	ret = tty_job_control(tty, SIGTTIN);
	if (ret)
		return ret;
	canon = t->c_lflag & ICANON;
	vmin = t->c_cc[VMIN];
	vtime = t->c_cc[VTIME];
	if (!canon) {
		minimum = FR_MIN((size_t)vmin, len);
		interval = (uint64_t)vtime * NSEC_PER_DECISECOND;
		if (!vmin && vtime)
			deadline = fr_monotonic_ns() + interval;
	}
	for (;;) {
		if (done < len &&
		    (canon ? tty->canon != tty->tail : tty->head != tty->tail)) {
			n = tty_read_input(tty, chunk,
					   FR_MIN(len - done, sizeof(chunk)),
					   &end);
			if (n && iobuf_put(b, done, chunk, n))
				return done ? (long)done : -EFAULT;
			done += n;
			if (canon && (end || done == len))
				break;
			if (!canon && n && vmin && vtime)
				deadline = fr_monotonic_ns() + interval;
			continue;
		}
		if (canon ? done > 0 : done >= len)
			break;
		if (!canon) {
			if (!vmin && !vtime)
				break;
			if (vmin && done >= minimum)
				break;
			if (!vmin && done)
				break;
		}
		if (tty->hungup)
			break;
		if (f->flags & O_NONBLOCK) {
			if (!done)
				return -EAGAIN;
			break;
		}
		ret = wait_readable(tty, deadline);
		if (ret == -ETIMEDOUT)
			break;
		if (ret) {
			if (!done)
				return -ERESTARTSYS;
			break;
		}
	}
	return (long)done;
}

static bool can_output(struct tty *tty)
{
	return tty->hungup ||
	       (!tty->stopped && tty->driver->room(tty) >= 8);
}

long tty_do_write(struct tty *tty, struct file *f, const struct iobuf *b,
		  size_t len)
{
	uint8_t chunk[256];
	size_t done = 0;
	long ret;
	int err;

	if (tty->hungup)
		return -EIO;
	if (tty->termios.c_lflag & TOSTOP) {
		ret = tty_job_control(tty, SIGTTOU);
		if (ret)
			return ret;
	}
	while (done < len) {
		size_t n = FR_MIN(len - done, sizeof(chunk)), off = 0;

		if (iobuf_get(b, done, chunk, n))
			return done ? (long)done : -EFAULT;
		while (off < n) {
			off += tty_output(tty, chunk + off, n - off);
			if (off == n)
				break;
			if (tty->hungup)
				return done + off ? (long)(done + off) : -EIO;
			if (f->flags & O_NONBLOCK)
				return done + off ? (long)(done + off)
						  : -EAGAIN;
			fr_mutex_unlock(&tty->lock);
			err = KTIME_WAIT_EVENT(&tty->write_wait,
					       can_output(tty), KTIME_NEVER);
			fr_mutex_lock(&tty->lock);
			if (err)
				return done + off ? (long)(done + off)
						  : -ERESTARTSYS;
		}
		done += n;
	}
	return (long)done;
}

static long tty_read(struct file *f, const struct iobuf *b, size_t len,
		     uint64_t *pos)
{
	struct tty *tty = f->priv.tty;
	long ret;

	fr_mutex_lock(&tty->lock);
	ret = tty_do_read(tty, f, b, len);
	fr_mutex_unlock(&tty->lock);
	return ret;
}

static long tty_write(struct file *f, const struct iobuf *b, size_t len,
		      uint64_t *pos)
{
	struct tty *tty = f->priv.tty;
	long ret;

	fr_mutex_lock(&tty->lock);
	ret = tty_do_write(tty, f, b, len);
	fr_mutex_unlock(&tty->lock);
	return ret;
}

static unsigned tty_poll(struct file *f, struct poll_table *pt)
{
	struct tty *tty = f->priv.tty;
	unsigned mask = 0;

	poll_wait(pt, &tty->read_wait);
	poll_wait(pt, &tty->write_wait);
	fr_mutex_lock(&tty->lock);
	if (tty_readable(tty))
		mask |= POLLIN | POLLRDNORM;
	if (tty->hungup)
		mask |= POLLHUP;
	if (can_output(tty))
		mask |= POLLOUT | POLLWRNORM;
	fr_mutex_unlock(&tty->lock);
	return mask;
}

/* ---- ioctls ---- */

static int put_int(uint64_t arg, int v)
{
	return FR_PUT_USER(v, fr_uaddr(arg)) ? -EFAULT : 0;
}

static int set_termios(struct tty *tty, uint64_t arg, unsigned cmd)
{
	struct termios t;
	int err = tty_job_control(tty, SIGTTOU);

	if (err)
		return err;
	if (fr_copy_from_user(&t, fr_uaddr(arg), sizeof(t)))
		return -EFAULT;
	if (cmd == TCSETSF)
		tty_flush_input(tty);
	tty_set_termios(tty, &t);
	return 0;
}

static int set_winsize(struct tty *tty, uint64_t arg)
{
	struct winsize ws;

	if (fr_copy_from_user(&ws, fr_uaddr(arg), sizeof(ws)))
		return -EFAULT;
	if (memcmp(&ws, &tty->winsize, sizeof(ws))) {
		tty->winsize = ws;
		if (tty->pgrp)
			tty_signal_pgrp(tty->pgrp, SIGWINCH);
	}
	return 0;
}

/* Whether group @pgrp has a live process.  [tree] held */
static bool process_group_exists(int pgrp)
{
	for (struct process *p = process_first(); p; p = p->next_all)
		if (p->pgid == pgrp && p->state != PROCESS_ZOMBIE)
			return true;
	return false;
}

static int set_pgrp(struct tty *tty, uint64_t arg)
{
	struct process *p = current_process();
	int pgrp, err = tty_job_control(tty, SIGTTOU);

	if (err == -EIO)
		return -ENOTTY;
	if (err)
		return err;
	if (FR_GET_USER(pgrp, fr_uaddr(arg)))
		return -EFAULT;
	fr_mutex_lock(&process_tree_lock);
	if (!p || p->tty != tty || tty->session != p->sid)
		err = -ENOTTY;
	else if (pgrp < 0)
		err = -EINVAL;
	else if (!process_group_exists(pgrp))
		err = -ESRCH;
	else if (!pgrp_in_session(pgrp, p->sid))
		err = -EPERM;
	else
		tty->pgrp = pgrp;
	fr_mutex_unlock(&process_tree_lock);
	return err;
}

static bool caller_is_root(void)
{
	bool root = cred_euid(vfs_cred_get()) == 0;

	vfs_cred_put();
	return root;
}

static int set_ctty(struct tty *tty, struct file *f, uint64_t arg)
{
	struct process *p = current_process();
	int err = 0;
	bool root = caller_is_root();

	fr_mutex_lock(&process_tree_lock);
	if (!p) {
		err = -EPERM;
	} else if (p->sid == p->pid && p->tty == tty) {
		err = 0;
	} else if (p->sid != p->pid || p->tty) {
		err = -EPERM;
	} else if (tty->session && tty->session != p->sid) {
		if (arg == 1 && root)
			session_clear_tty(tty, tty->session);
		else
			err = -EPERM;
	} else if (!(f->mode & FMODE_READ) && !root) {
		err = -EPERM;
	}
	if (!err && p->tty != tty) {
		p->tty = tty;
		tty_get(tty);
		tty->session = p->sid;
		tty->pgrp = p->pgid;
	}
	fr_mutex_unlock(&process_tree_lock);
	return err;
}

static int drop_ctty(struct tty *tty)
{
	struct process *p = current_process();
	bool leader;

	fr_mutex_lock(&process_tree_lock);
	if (!p || p->tty != tty) {
		fr_mutex_unlock(&process_tree_lock);
		return -ENOTTY;
	}
	leader = p->sid == p->pid;
	if (!leader) {
		p->tty = NULL;
		tty_put(tty);
	}
	fr_mutex_unlock(&process_tree_lock);
	if (leader)
		disassociate(tty, false);
	return 0;
}

/*
 * The ioctls of a terminal; @tty is the slave side or the serial line
 * (a pty master passes its slave with @master set: no
 * controlling-terminal check for the reading ones, as Linux).  [lock]
 */
long tty_do_ioctl(struct tty *tty, struct file *f, bool master,
		  unsigned cmd, uint64_t arg)
{
	struct tty *ctty;
	int err;

	switch (cmd) {
	case TCGETS:
		if (fr_copy_to_user(fr_uaddr(arg), &tty->termios,
				    sizeof(tty->termios)))
			return -EFAULT;
		return 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(tty, arg, cmd);
	case TIOCGWINSZ:
		if (fr_copy_to_user(fr_uaddr(arg), &tty->winsize,
				    sizeof(tty->winsize)))
			return -EFAULT;
		return 0;
	case TIOCSWINSZ:
		return set_winsize(tty, arg);
	case TIOCGPGRP:
		ctty = current_tty();
		if (!master && ctty != tty)
			return -ENOTTY;
		return put_int(arg, tty->pgrp);
	case TIOCSPGRP:
		return set_pgrp(tty, arg);
	case TIOCGSID:
		ctty = current_tty();
		if (!master && ctty != tty)
			return -ENOTTY;
		if (!tty->session)
			return -ENOTTY;
		return put_int(arg, tty->session);
	case TIOCSCTTY:
		return set_ctty(tty, f, arg);
	case TIOCNOTTY:
		if (master)
			return -ENOTTY;
		return drop_ctty(tty);
	case FIONREAD:
		return put_int(arg, (int)tty_inq(tty));
	case TIOCOUTQ:
		return put_int(arg, 0);
	case TCFLSH:
		err = tty_job_control(tty, SIGTTOU);
		if (err)
			return err;
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg == TCIFLUSH || arg == TCIOFLUSH)
			tty_flush_input(tty);
		return 0;
	case TCXONC:
		err = tty_job_control(tty, SIGTTOU);
		if (err)
			return err;
		if (arg == TCOOFF) {
			tty->stopped = true;
		} else if (arg == TCOON) {
			tty->stopped = false;
			fr_wake_all(&tty->write_wait);
		} else if (arg != TCIOFF && arg != TCION) {
			return -EINVAL;
		}
		return 0;
	case TCSBRK:
	case TCSBRKP:
	case TIOCSBRK:
	case TIOCCBRK:
	case TIOCEXCL:
	case TIOCNXCL:
		return 0;
	case TIOCGETD:
		return put_int(arg, 0); /* N_TTY */
	case TIOCSETD:
		if (FR_GET_USER(err, fr_uaddr(arg)))
			return -EFAULT;
		return err == 0 ? 0 : -EINVAL;
	default:
		return -ENOTTY;
	}
}

static long tty_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct tty *tty = f->priv.tty;
	long ret;

	fr_mutex_lock(&tty->lock);
	ret = tty_do_ioctl(tty, f, false, cmd, arg);
	fr_mutex_unlock(&tty->lock);
	return ret;
}

/*
 * Opening a terminal device: /dev/ttyS0 (4:64), /dev/tty (5:0, the
 * caller's controlling terminal), /dev/console (5:1, the serial line,
 * never acquired by open, as Linux), /dev/pts/N (136:N).
 */
static int tty_open(struct inode *inode, struct file *f)
{
	unsigned major = VFS_MAJOR(inode->rdev), minor = VFS_MINOR(inode->rdev);
	struct tty *tty;

	if (major == 4 && minor == 64)
		return tty_file_open(serial_tty(), f, false);
	if (major == 5 && minor == 0) {
		tty = current_tty();
		if (!tty)
			return -ENXIO;
		return tty_file_open(tty, f, true);
	}
	if (major == 5 && minor == 1)
		return tty_file_open(serial_tty(), f, true);
	if (major == PTY_SLAVE_MAJOR)
		return pty_slave_open(minor, f);
	return -ENXIO;
}

const struct file_ops tty_fops = {
	.open = tty_open,
	.release = tty_release,
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
};

int tty_init(void)
{
	int err;

	err = chrdev_register(5, 0, 2, &tty_fops);
	if (!err)
		err = serial_init();
	if (!err)
		err = pty_init();
	if (err)
		fr_printk("tty: cannot register the terminals: error %d\n",
			  -err);
	return err;
}
