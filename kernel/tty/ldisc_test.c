/*
 * KTESTs of the line discipline on a tty whose device is a buffer: what
 * typed bytes become as input and as echo, and output processing.
 */
#include <frame/heap.h>
#include <frame/ktest.h>
#include <libs/string.h>
#include "tty/tty.h"

static uint8_t screen[512];
static size_t screen_len;

static size_t test_room(struct tty *tty)
{
	return sizeof(screen) - screen_len;
}

static void test_put(struct tty *tty, const uint8_t *buf, size_t len)
{
	memcpy(screen + screen_len, buf, len);
	screen_len += len;
}

static const struct tty_driver test_driver = {
	.name = "test",
	.room = test_room,
	.put = test_put,
};

static struct tty *new_tty(void)
{
	struct tty *tty = FR_NEW(struct tty);

	if (tty)
		tty_setup(tty, &test_driver, 0, 0);
	screen_len = 0;
	return tty;
}

static void type(struct tty *tty, const char *s)
{
	tty_receive(tty, (const uint8_t *)s, strlen(s));
}

/* The next read's bytes as a string (NUL-terminated in @out). */
static size_t read_str(struct tty *tty, char *out, size_t len, bool *end)
{
	size_t n = tty_read_input(tty, (uint8_t *)out, len - 1, end);

	out[n] = '\0';
	return n;
}

static bool screen_is(const char *s)
{
	return screen_len == strlen(s) && !memcmp(screen, s, screen_len);
}

KTEST(tty, canonical_line_and_echo)
{
	struct tty *tty = new_tty();
	char buf[64];
	bool end;

	KT_ASSERT(tty);
	type(tty, "ab");
	KT_EXPECT(!tty_readable(tty)); /* no line yet */
	type(tty, "\x7f" "c\r");       /* erase b, CR becomes NL */
	KT_EXPECT(tty_readable(tty));
	KT_EXPECT_EQ(tty_inq(tty), 3);
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 3);
	KT_EXPECT(!strcmp(buf, "ac\n"));
	KT_EXPECT(end);
	KT_EXPECT(screen_is("ab\b \bc\r\n"));
	KT_EXPECT(!tty_readable(tty));
	fr_kfree(tty);
}

KTEST(tty, one_line_per_read)
{
	struct tty *tty = new_tty();
	char buf[64];
	bool end;

	KT_ASSERT(tty);
	type(tty, "one\ntwo\n");
	KT_EXPECT_EQ(read_str(tty, buf, 3, &end), 2); /* short buffer */
	KT_EXPECT(!strcmp(buf, "on"));
	KT_EXPECT(!end);
	KT_EXPECT(tty_readable(tty));
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 2);
	KT_EXPECT(!strcmp(buf, "e\n"));
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 4);
	KT_EXPECT(!strcmp(buf, "two\n"));
	fr_kfree(tty);
}

KTEST(tty, kill_and_word_erase)
{
	struct tty *tty = new_tty();
	char buf[64];
	bool end;

	KT_ASSERT(tty);
	type(tty, "abc\x15" "foo bar\x17" "baz\n");
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 8);
	KT_EXPECT(!strcmp(buf, "foo baz\n"));
	/* erasing stops at the start of the line */
	type(tty, "x\n\x7f\x7fy\n");
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 2);
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 2);
	KT_EXPECT(!strcmp(buf, "y\n"));
	fr_kfree(tty);
}

KTEST(tty, end_of_file)
{
	struct tty *tty = new_tty();
	char buf[64];
	bool end;

	KT_ASSERT(tty);
	type(tty, "ab\x04");
	KT_EXPECT(tty_readable(tty));
	KT_EXPECT_EQ(tty_inq(tty), 2);
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 2);
	KT_EXPECT(!strcmp(buf, "ab"));
	KT_EXPECT(end); /* ^D after text only pushes the line */
	KT_EXPECT(!tty_readable(tty));
	type(tty, "\x04");
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 0);
	KT_EXPECT(end);
	KT_EXPECT(screen_is("ab")); /* ^D is not echoed */
	fr_kfree(tty);
}

KTEST(tty, disabled_characters)
{
	struct tty *tty = new_tty();
	char buf[64];
	bool end;

	KT_ASSERT(tty);
	/* VEOL is 0: NUL is an ordinary byte, not a line end */
	tty_receive(tty, (const uint8_t *)"a\0b\n", 4);
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 4);
	tty->termios.c_cc[VINTR] = 0; /* disabled */
	tty_receive(tty, (const uint8_t *)"\0\n", 2);
	KT_EXPECT_EQ(tty_inq(tty), 2);
	fr_kfree(tty);
}

KTEST(tty, control_echo_and_tab_erase)
{
	struct tty *tty = new_tty();

	KT_ASSERT(tty);
	type(tty, "\x01");
	KT_EXPECT(screen_is("^A"));
	type(tty, "\x7f");
	KT_EXPECT(screen_is("^A\b \b\b \b"));
	screen_len = 0;
	type(tty, "ab\t\x7f");
	KT_EXPECT(screen_is("ab\t\b\b\b\b\b\b"));
	fr_kfree(tty);
}

KTEST(tty, signal_char_flushes_and_echoes)
{
	struct tty *tty = new_tty();

	KT_ASSERT(tty);
	type(tty, "partial\x03");
	KT_EXPECT(screen_is("partial^C"));
	KT_EXPECT_EQ(tty->head - tty->tail, 0);
	tty->termios.c_lflag |= NOFLSH;
	type(tty, "x\x1c");
	KT_EXPECT_EQ(tty->head - tty->tail, 1);
	tty->termios.c_lflag &= ~ISIG;
	type(tty, "\x03\n");
	KT_EXPECT_EQ(tty_inq(tty), 3); /* a plain byte without ISIG */
	fr_kfree(tty);
}

KTEST(tty, raw_mode)
{
	struct tty *tty = new_tty();
	struct termios t;
	char buf[64];
	bool end;

	KT_ASSERT(tty);
	type(tty, "half");
	t = tty->termios;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_iflag &= ~ICRNL;
	tty_set_termios(tty, &t);
	KT_EXPECT(tty_readable(tty)); /* the edited line is readable */
	type(tty, "\r\x7f");
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 6);
	KT_EXPECT(!memcmp(buf, "half\r\x7f", 6));
	KT_EXPECT(screen_is("half"));
	/* back to canonical: raw input left over becomes a line */
	type(tty, "xy");
	t.c_lflag |= ICANON;
	tty_set_termios(tty, &t);
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 2);
	KT_EXPECT(end);
	fr_kfree(tty);
}

KTEST(tty, input_maps)
{
	struct tty *tty = new_tty();
	char buf[64];
	bool end;

	KT_ASSERT(tty);
	tty->termios.c_iflag |= IGNCR;
	type(tty, "a\rb\n");
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 3);
	KT_EXPECT(!strcmp(buf, "ab\n"));
	tty->termios.c_iflag = INLCR;
	tty->termios.c_lflag &= ~ICANON;
	type(tty, "\n");
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 1);
	KT_EXPECT_EQ(buf[0], '\r');
	fr_kfree(tty);
}

KTEST(tty, output_processing)
{
	struct tty *tty = new_tty();

	KT_ASSERT(tty);
	KT_EXPECT_EQ(tty_output(tty, (const uint8_t *)"a\nb", 3), 3);
	KT_EXPECT(screen_is("a\r\nb"));
	screen_len = 0;
	tty->termios.c_oflag |= XTABS;
	tty_output(tty, (const uint8_t *)"\tx", 2);
	KT_EXPECT(screen_is("       x")); /* column 1: 7 spaces */
	screen_len = 0;
	tty->termios.c_oflag &= ~OPOST;
	tty_output(tty, (const uint8_t *)"\n", 1);
	KT_EXPECT(screen_is("\n"));
	/* a stopped tty takes nothing */
	tty->stopped = true;
	KT_EXPECT_EQ(tty_output(tty, (const uint8_t *)"z", 1), 0);
	fr_kfree(tty);
}

KTEST(tty, full_buffer_keeps_a_place_for_the_newline)
{
	struct tty *tty = new_tty();
	char buf[8];
	bool end;

	KT_ASSERT(tty);
	tty->termios.c_lflag &= ~ECHO;
	for (int i = 0; i < TTY_BUF + 10; i++)
		type(tty, "x");
	KT_EXPECT_EQ(tty->head - tty->tail, TTY_BUF - 1);
	type(tty, "\n");
	KT_EXPECT(tty_readable(tty));
	KT_EXPECT_EQ(tty_inq(tty), TTY_BUF);
	KT_EXPECT_EQ(read_str(tty, buf, sizeof(buf), &end), 7);
	fr_kfree(tty);
}
