/*
 * The line discipline (Linux's N_TTY) on a tty's buffers: input
 * processing (ISTRIP, IGNCR/ICRNL/INLCR, IXON/IXANY), signal characters
 * (ISIG), canonical line editing (VERASE, VKILL, VWERASE, VLNEXT,
 * VREPRINT, VEOF, VEOL/VEOL2) with echo (ECHO, ECHOE, ECHOK, ECHOKE,
 * ECHOCTL, ECHONL), and output processing (OPOST: ONLCR, OCRNL, ONOCR,
 * ONLRET, XTABS).  Reading with VMIN/VTIME and waiting are in tty_io.c;
 * this file never sleeps.
 */
#include <libs/string.h>
#include <asm-generic/signal.h>
#include "tty/tty.h"

#define MASK (TTY_BUF - 1)

/* Linux's tty_std_termios: INIT_C_CC, 38400 baud, 8 bits. */
static const struct termios std_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		   IEXTEN,
	.c_cc = { [VINTR] = 3,	   [VQUIT] = 28,   [VERASE] = 127,
		  [VKILL] = 21,	   [VEOF] = 4,	   [VTIME] = 0,
		  [VMIN] = 1,	   [VSWTC] = 0,	   [VSTART] = 17,
		  [VSTOP] = 19,	   [VSUSP] = 26,   [VEOL] = 0,
		  [VREPRINT] = 18, [VDISCARD] = 15, [VWERASE] = 23,
		  [VLNEXT] = 22,   [VEOL2] = 0 },
};

void tty_setup(struct tty *tty, const struct tty_driver *driver,
	       unsigned index, uint64_t rdev)
{
	fr_mutex_init(&tty->lock);
	fr_waitqueue_init(&tty->read_wait);
	fr_waitqueue_init(&tty->write_wait);
	tty->driver = driver;
	tty->index = index;
	tty->rdev = rdev;
	tty->termios = std_termios;
	tty->refs = 1;
}

static bool lflag(const struct tty *tty, unsigned f)
{
	return (tty->termios.c_lflag & f) != 0;
}

static bool iflag(const struct tty *tty, unsigned f)
{
	return (tty->termios.c_iflag & f) != 0;
}

static uint8_t cc(const struct tty *tty, int which)
{
	return tty->termios.c_cc[which];
}

/* Whether @c is the special character @which; 0 disables one
 * (_POSIX_VDISABLE). */
static bool is(const struct tty *tty, uint8_t c, int which)
{
	return c && c == tty->termios.c_cc[which];
}

static bool is_cntrl(uint8_t c)
{
	return c < 0x20 || c == 0x7f;
}

static bool bit(const uint8_t *map, uint64_t pos)
{
	return map[(pos & MASK) / 8] & (1u << (pos & 7));
}

static void set_bit(uint8_t *map, uint64_t pos, bool on)
{
	if (on)
		map[(pos & MASK) / 8] |= (uint8_t)(1u << (pos & 7));
	else
		map[(pos & MASK) / 8] &= (uint8_t)~(1u << (pos & 7));
}

/* ---- output ---- */

/* Output processing of one byte into @out (at most 8 bytes). */
static size_t process_out(struct tty *tty, uint8_t c, uint8_t *out)
{
	unsigned oflag = tty->termios.c_oflag, spaces;

	if (!(oflag & OPOST)) {
		out[0] = c;
		return 1;
	}
	switch (c) {
	case '\n':
		if (oflag & ONLRET)
			tty->column = 0;
		if (oflag & ONLCR) {
			tty->column = 0;
			out[0] = '\r';
			out[1] = '\n';
			return 2;
		}
		out[0] = c;
		return 1;
	case '\r':
		if ((oflag & ONOCR) && tty->column == 0)
			return 0;
		if (oflag & OCRNL) {
			if (oflag & ONLRET)
				tty->column = 0;
			out[0] = '\n';
			return 1;
		}
		tty->column = 0;
		out[0] = c;
		return 1;
	case '\t':
		spaces = 8 - (tty->column & 7);
		tty->column += spaces;
		if ((oflag & TABDLY) == XTABS) {
			memset(out, ' ', spaces);
			return spaces;
		}
		out[0] = c;
		return 1;
	case '\b':
		if (tty->column)
			tty->column--;
		out[0] = c;
		return 1;
	default:
		if (!is_cntrl(c) && !(iflag(tty, IUTF8) && (c & 0xc0) == 0x80))
			tty->column++;
		out[0] = c;
		return 1;
	}
}

size_t tty_output(struct tty *tty, const uint8_t *buf, size_t len)
{
	uint8_t out[256];
	size_t n = 0, i = 0, room = tty->driver->room(tty);

	while (i < len && !tty->stopped && n + 8 <= room) {
		n += process_out(tty, buf[i++], out + n);
		if (n + 8 > sizeof(out)) {
			tty->driver->put(tty, out, n);
			room -= n;
			n = 0;
		}
	}
	if (n)
		tty->driver->put(tty, out, n);
	return i;
}

/* Echo output: dropped when the device has no room. */
static void echo_raw(struct tty *tty, const uint8_t *buf, size_t n)
{
	if (tty->driver->room(tty) >= n)
		tty->driver->put(tty, buf, n);
}

static void echo_processed(struct tty *tty, uint8_t c)
{
	uint8_t out[8];
	size_t n;

	if (tty->driver->room(tty) < sizeof(out))
		return;
	n = process_out(tty, c, out);
	if (n)
		tty->driver->put(tty, out, n);
}

/* Echo @c as typed: control characters as ^X under ECHOCTL. */
static void echo_char(struct tty *tty, uint8_t c)
{
	if (lflag(tty, ECHOCTL) && is_cntrl(c) && c != '\t' && c != '\n') {
		uint8_t out[2] = { '^', (uint8_t)(c ^ 0100) };

		echo_raw(tty, out, 2);
		tty->column += 2;
	} else {
		echo_processed(tty, c);
	}
}

/* ---- input ---- */

size_t tty_input_room(const struct tty *tty)
{
	return TTY_BUF - (size_t)(tty->head - tty->tail);
}

static void wake_readers(struct tty *tty)
{
	fr_wake_all(&tty->read_wait);
}

/* Store @c; @delim ends a line, @eof marks an end of file. */
static bool put_input(struct tty *tty, uint8_t c, bool delim, bool eof)
{
	size_t used = (size_t)(tty->head - tty->tail);
	/* canonical mode keeps one byte for the line's end */
	size_t limit = lflag(tty, ICANON) && !delim ? TTY_BUF - 1 : TTY_BUF;

	if (used >= limit)
		return false;
	tty->buf[tty->head & MASK] = c;
	set_bit(tty->delim, tty->head, delim);
	set_bit(tty->eof, tty->head, eof);
	tty->head++;
	return true;
}

/* End the edited line: it becomes readable. */
static void commit_line(struct tty *tty)
{
	tty->canon = tty->head;
	wake_readers(tty);
}

/* The displayed width of input byte @c under ECHOCTL. */
static unsigned echo_width(const struct tty *tty, uint8_t c)
{
	if (lflag(tty, ECHOCTL) && is_cntrl(c) && c != '\t' && c != '\n')
		return 2;
	if (iflag(tty, IUTF8) && (c & 0xc0) == 0x80)
		return 0;
	return 1;
}

static void echo_backspaces(struct tty *tty, unsigned n, bool wipe)
{
	static const uint8_t wipe_seq[3] = { '\b', ' ', '\b' };

	while (n--) {
		if (wipe)
			echo_raw(tty, wipe_seq, 3);
		else
			echo_raw(tty, wipe_seq, 1);
		if (tty->column)
			tty->column--;
	}
}

/* Erase the last byte of the edited line on the screen and in the buffer. */
static void erase_one(struct tty *tty)
{
	uint64_t pos = tty->head - 1;
	uint8_t c = tty->buf[pos & MASK];

	tty->head = pos;
	if (!lflag(tty, ECHO))
		return;
	if (!lflag(tty, ECHOE)) {
		echo_char(tty, cc(tty, VERASE));
		return;
	}
	if (c == '\t') {
		/* the columns the tab took: redo the line up to it */
		unsigned col = tty->line_column, after;

		for (uint64_t p = tty->canon; p < pos; p++) {
			uint8_t d = tty->buf[p & MASK];

			if (d == '\t')
				col = (col | 7) + 1;
			else
				col += echo_width(tty, d);
		}
		after = (col | 7) + 1;
		echo_backspaces(tty, after - col, false);
		return;
	}
	echo_backspaces(tty, echo_width(tty, c), true);
}

static bool is_word_char(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

/* VERASE, VWERASE, VKILL in canonical mode. */
static void eraser(struct tty *tty, uint8_t c)
{
	bool seen_word = false;

	if (tty->head == tty->canon)
		return; /* nothing to erase on this line */
	if (is(tty, c, VKILL)) {
		if (!lflag(tty, ECHO)) {
			tty->head = tty->canon;
			return;
		}
		if (!lflag(tty, ECHOK) || !lflag(tty, ECHOKE) ||
		    !lflag(tty, ECHOE)) {
			tty->head = tty->canon;
			echo_char(tty, c);
			if (lflag(tty, ECHOK))
				echo_processed(tty, '\n');
			return;
		}
		while (tty->head != tty->canon)
			erase_one(tty);
		return;
	}
	if (is(tty, c, VERASE)) {
		erase_one(tty);
		return;
	}
	/* VWERASE: trailing separators, then the word */
	while (tty->head != tty->canon) {
		uint8_t d = tty->buf[(tty->head - 1) & MASK];

		if (is_word_char(d))
			seen_word = true;
		else if (seen_word)
			break;
		erase_one(tty);
	}
}

/* VREPRINT: the edited line again on a new line. */
static void reprint(struct tty *tty, uint8_t c)
{
	echo_char(tty, c);
	echo_processed(tty, '\n');
	tty->line_column = tty->column;
	for (uint64_t p = tty->canon; p < tty->head; p++)
		echo_char(tty, tty->buf[p & MASK]);
}

/* A signal character: flush unless NOFLSH, echo, signal the group. */
static void signal_char(struct tty *tty, uint8_t c, int sig)
{
	if (!lflag(tty, NOFLSH)) {
		tty_flush_input(tty);
		tty->stopped = false;
		fr_wake_all(&tty->write_wait);
	}
	if (lflag(tty, ECHO))
		echo_char(tty, c);
	if (tty->pgrp)
		tty_signal_pgrp(tty->pgrp, sig);
}

/* A byte stored as input, with its echo. */
static void receive_plain(struct tty *tty, uint8_t c)
{
	bool canon = lflag(tty, ICANON);

	if (canon && tty->head == tty->canon)
		tty->line_column = tty->column;
	if (!put_input(tty, c, false, false))
		return;
	if (lflag(tty, ECHO))
		echo_char(tty, c);
	if (!canon)
		wake_readers(tty);
}

static void receive_one(struct tty *tty, uint8_t c)
{
	bool canon = lflag(tty, ICANON), iexten = lflag(tty, IEXTEN);

	if (iflag(tty, ISTRIP))
		c &= 0x7f;
	if (tty->lnext) {
		tty->lnext = false;
		receive_plain(tty, c); /* over the "^" shown */
		return;
	}
	if (iflag(tty, IXON)) {
		if (is(tty, c, VSTART)) {
			tty->stopped = false;
			fr_wake_all(&tty->write_wait);
			return;
		}
		if (is(tty, c, VSTOP)) {
			tty->stopped = true;
			return;
		}
	}
	if (lflag(tty, ISIG)) {
		int sig = is(tty, c, VINTR)	? SIGINT
			  : is(tty, c, VQUIT) ? SIGQUIT
			  : is(tty, c, VSUSP) ? SIGTSTP
						: 0;

		if (sig) {
			signal_char(tty, c, sig);
			return;
		}
	}
	if (tty->stopped && iflag(tty, IXON) && iflag(tty, IXANY)) {
		tty->stopped = false;
		fr_wake_all(&tty->write_wait);
	}
	if (c == '\r') {
		if (iflag(tty, IGNCR))
			return;
		if (iflag(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && iflag(tty, INLCR)) {
		c = '\r';
	}
	if (!canon) {
		receive_plain(tty, c);
		return;
	}
	if (is(tty, c, VERASE) || is(tty, c, VKILL) ||
	    (is(tty, c, VWERASE) && iexten)) {
		eraser(tty, c);
		return;
	}
	if (is(tty, c, VLNEXT) && iexten) {
		tty->lnext = true;
		if (lflag(tty, ECHO) && lflag(tty, ECHOCTL)) {
			static const uint8_t hat[2] = { '^', '\b' };

			echo_raw(tty, hat, 2);
		}
		return;
	}
	if (is(tty, c, VREPRINT) && iexten && lflag(tty, ECHO)) {
		reprint(tty, c);
		return;
	}
	if (c == '\n') {
		if (put_input(tty, c, true, false)) {
			if (lflag(tty, ECHO) || lflag(tty, ECHONL))
				echo_processed(tty, '\n');
			commit_line(tty);
		}
		return;
	}
	if (is(tty, c, VEOF)) {
		if (put_input(tty, c, true, true))
			commit_line(tty);
		return;
	}
	if (is(tty, c, VEOL) || (is(tty, c, VEOL2) && iexten)) {
		if (tty->head == tty->canon)
			tty->line_column = tty->column;
		if (put_input(tty, c, true, false)) {
			if (lflag(tty, ECHO))
				echo_char(tty, c);
			commit_line(tty);
		}
		return;
	}
	receive_plain(tty, c);
}

size_t tty_receive(struct tty *tty, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		receive_one(tty, buf[i]);
	return len;
}

/* ---- reading ---- */

bool tty_readable(const struct tty *tty)
{
	if (tty->hungup)
		return true;
	if (lflag(tty, ICANON))
		return tty->canon != tty->tail;
	return tty->head != tty->tail;
}

size_t tty_inq(const struct tty *tty)
{
	uint64_t end = lflag(tty, ICANON) ? tty->canon : tty->head;
	size_t n = 0;

	for (uint64_t p = tty->tail; p < end; p++)
		if (!bit(tty->eof, p))
			n++;
	return n;
}

size_t tty_read_input(struct tty *tty, uint8_t *out, size_t len, bool *end)
{
	size_t n = 0;

	*end = false;
	if (!lflag(tty, ICANON)) {
		while (n < len && tty->tail != tty->head) {
			uint64_t p = tty->tail++;

			if (!bit(tty->eof, p))
				out[n++] = tty->buf[p & MASK];
		}
	} else {
		while (n < len && tty->tail != tty->canon) {
			uint64_t p = tty->tail;
			bool delim = bit(tty->delim, p);

			tty->tail++;
			*end = delim;
			if (bit(tty->eof, p))
				break; /* ends the line, not delivered */
			out[n++] = tty->buf[p & MASK];
			if (delim)
				break;
		}
	}
	if (n || *end) {
		if (tty->driver->input_drained)
			tty->driver->input_drained(tty);
	}
	return n;
}

void tty_flush_input(struct tty *tty)
{
	tty->tail = tty->canon = tty->head;
	tty->lnext = false;
	if (tty->driver->input_drained)
		tty->driver->input_drained(tty);
}

void tty_set_termios(struct tty *tty, const struct termios *t)
{
	bool was_canon = lflag(tty, ICANON);

	tty->termios = *t;
	if (!was_canon && lflag(tty, ICANON)) {
		/* what was typed becomes one readable line */
		if (tty->head != tty->tail)
			set_bit(tty->delim, tty->head - 1, true);
		tty->canon = tty->head;
	} else if (was_canon && !lflag(tty, ICANON)) {
		tty->canon = tty->head;
	}
	if (!iflag(tty, IXON) && tty->stopped) {
		tty->stopped = false;
		fr_wake_all(&tty->write_wait);
	}
	wake_readers(tty);
}
