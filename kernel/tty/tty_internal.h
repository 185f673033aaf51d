/*
 * What the terminal files share among themselves (not for other services).
 */
#ifndef KERNEL_TTY_TTY_INTERNAL_H
#define KERNEL_TTY_TTY_INTERNAL_H

#include "fs/file.h"
#include "tty/tty.h"

/* The file operations of a terminal (serial line, pty slave). */
extern const struct file_ops tty_fops;

/* Open @f on @tty; without @noctty (and O_NOCTTY) a session leader may
 * acquire it as its controlling terminal. */
int tty_file_open(struct tty *tty, struct file *f, bool noctty);

/* read/write/ioctl of a terminal file.  [lock] held */
long tty_do_read(struct tty *tty, struct file *f, const struct iobuf *b,
		 size_t len);
long tty_do_write(struct tty *tty, struct file *f, const struct iobuf *b,
		  size_t len);
long tty_do_ioctl(struct tty *tty, struct file *f, bool master,
		  unsigned cmd, uint64_t arg);
int tty_job_control(struct tty *tty, int sig);

/* The other side of a pty went away: SIGHUP to the session leader, the
 * session loses its terminal.  [lock] held */
void tty_hangup_session(struct tty *tty);

/* serial.c */
struct tty *serial_tty(void);
int serial_init(void);

/* pty.c */
#define PTY_SLAVE_MAJOR 136
#define PTY_MAX 256 /* pty numbers 0..255 */
int pty_init(void);
/* Open the slave of pty @index: -EIO while locked or when its master is
 * gone, -ENXIO when there is no such pty. */
int pty_slave_open(unsigned index, struct file *f);
void pty_free(struct pty *pty);
/* Whether pty @index has its master open (its slave is listed). */
bool pty_exists(unsigned index);
/* The numbers of the listed ptys, ascending, at most @max. */
size_t pty_list(unsigned *out, size_t max);

#endif
