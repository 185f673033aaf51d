/*
 * Terminals: the tty object with its line discipline (Linux's N_TTY:
 * canonical line editing, echo, signal characters, input and output
 * processing, VMIN/VTIME), controlling terminals and job control, and the
 * devices built on it: the serial console (/dev/ttyS0, /dev/console),
 * /dev/tty, and pseudo-terminals (/dev/ptmx and the devpts file system).
 *
 * A tty is driven from below by its driver (bytes typed on the serial
 * port, or written to a pty's master) through tty_receive(), and from
 * above by the file operations (read, write, ioctl, poll) of the files
 * open on it.  Everything in a tty is guarded by its mutex; a pty pair
 * shares its slave's.  Lock order: a tty's lock, then process_tree_lock.
 */
#ifndef KERNEL_TTY_TTY_H
#define KERNEL_TTY_TTY_H

#include <frame/sync.h>
#include <frame/types.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <asm/ioctls.h>

/* The input buffer: a power of two (line positions wrap with it). */
#define TTY_BUF 4096

struct tty;
struct pty;
struct process;

/* What a tty's device does with output; called with the tty's lock. */
struct tty_driver {
	const char *name;
	/* How many bytes the device takes now (output may wait for room). */
	size_t (*room)(struct tty *tty);
	/* Send @len bytes (at most room()) to the device. */
	void (*put)(struct tty *tty, const uint8_t *buf, size_t len);
	/* The tty read input: its writers (a pty's master) may go on. */
	void (*input_drained)(struct tty *tty);
	/* The last file open on the tty was closed. */
	void (*closed)(struct tty *tty);
};

struct tty {
	struct fr_mutex lock;
	int refs; /* atomic: open files, controlling-terminal pointers */
	const struct tty_driver *driver;
	unsigned index;	  /* the device's number (pty N) */
	uint64_t rdev;	  /* the device number of the node, for stat */
	struct termios termios;
	struct winsize winsize;
	/*
	 * Input: a ring of TTY_BUF bytes with free-running positions; in
	 * canonical mode [tail, canon) holds complete lines, [canon, head)
	 * the line being edited.  delim marks a byte that ends a line, eof
	 * one that is an end-of-file mark (not delivered).
	 */
	uint8_t buf[TTY_BUF];
	uint8_t delim[TTY_BUF / 8];
	uint8_t eof[TTY_BUF / 8];
	uint64_t head, tail, canon;
	unsigned column;       /* output column (tabs, erasing) */
	unsigned line_column;  /* column where the edited line began */
	bool lnext;	       /* the next byte is literal (VLNEXT) */
	bool stopped;	       /* output stopped (VSTOP, TCOOFF) */
	bool hungup;	       /* the other side went away: EOF, EIO */
	int pgrp;	       /* foreground process group, or 0 */
	int session;	       /* the session it controls, or 0 */
	int opens;	       /* open files of this side */
	struct fr_waitqueue read_wait;	/* input arrived, or hangup */
	struct fr_waitqueue write_wait; /* room for output, restarted */
	struct pty *pty;       /* a pty's slave: its pair */
};

/*
 * tty_setup - initialize @tty for @driver with Linux's default terminal
 * settings (tty_std_termios): canonical mode, echo, ISIG, ICRNL, ONLCR.
 */
void tty_setup(struct tty *tty, const struct tty_driver *driver,
	       unsigned index, uint64_t rdev);

/*
 * tty_receive - bytes arriving from the device: input processing, line
 * editing, echo, signal characters.  Returns how many were taken (all of
 * them, but a full buffer drops what does not fit).  [lock] held.
 */
size_t tty_receive(struct tty *tty, const uint8_t *buf, size_t len);

/* tty_input_room - bytes tty_receive can take now.  [lock] held. */
size_t tty_input_room(const struct tty *tty);

/*
 * tty_read_input - take up to @len bytes of input into @out as read(2)
 * would now, without waiting.  Canonical mode: at most one line, and
 * *@end tells that the line's end was reached (its delimiter, or an
 * end-of-file mark, which is not delivered: a read of 0 bytes then means
 * end of file).  [lock] held.
 */
size_t tty_read_input(struct tty *tty, uint8_t *out, size_t len, bool *end);

/* tty_readable - whether a read would return something now.  [lock] */
bool tty_readable(const struct tty *tty);

/* tty_inq - FIONREAD: bytes a reader may take.  [lock] held. */
size_t tty_inq(const struct tty *tty);

/* tty_flush_input - drop every byte of input.  [lock] held. */
void tty_flush_input(struct tty *tty);

/*
 * tty_output - output processing (OPOST...) of @len bytes to the device,
 * as much as fits now; returns the bytes consumed.  [lock] held.
 */
size_t tty_output(struct tty *tty, const uint8_t *buf, size_t len);

/* tty_set_termios - new settings (what TCSETS does to the line
 * discipline: switching canonical mode makes input readable).  [lock] */
void tty_set_termios(struct tty *tty, const struct termios *t);

/*
 * tty_signal_pgrp - send @sig (from the kernel, SI_KERNEL) to every
 * process of group @pgrp.  Takes process_tree_lock.
 */
void tty_signal_pgrp(int pgrp, int sig);

void tty_get(struct tty *tty);
void tty_put(struct tty *tty);

/*
 * Controlling terminals, called by the process code.  A process's
 * terminal is process->tty (referenced), guarded by process_tree_lock;
 * fork copies it (tty_fork), setsid and a session's end drop it.
 */
/* tty_fork - the child of fork takes its parent's terminal. [tree] */
void tty_fork(struct process *child, const struct process *parent);
/* tty_setsid - @p starts a session: no terminal.  [tree] held */
void tty_setsid(struct process *p);
/* tty_process_exit - @p ends: a session leader's terminal is freed
 * (SIGHUP to its foreground group); the reference is dropped.
 * Context: task context, no lock held. */
void tty_process_exit(struct process *p);

/* tty_init - register the terminal devices and devpts.  Returns 0 or an
 * error.  Context: boot, from vfs_init. */
int tty_init(void);

#endif
