/*
 * printf-style formatting into a buffer, for the frame's console and for
 * services that build text (/proc files, messages).
 * Formats: %d %i %u %x %X %o %p %s %c %% with the l, ll, z and h
 * modifiers, a field width, '-' and '0' flags, and %.Ns precision.
 */
#ifndef LIBS_FMT_H
#define LIBS_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* str_vformat - format into @buf (always NUL-terminated when @size > 0).
 * Returns the length the full output would have. */
size_t str_vformat(char *buf, size_t size, const char *fmt, va_list ap);

/* str_format - str_vformat with variable arguments. */
size_t str_format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
