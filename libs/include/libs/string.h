/*
 * Memory and string functions with their C-library names and meanings.
 * In the kernel target they are implemented in libs/string.c; the hosted
 * target uses the host C library's.
 */
#ifndef LIBS_STRING_H
#define LIBS_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/* str_copy - copy @src into @dst of @size bytes, always NUL-terminated.
 * Returns the length of @src (truncation if >= @size). */
size_t str_copy(char *dst, const char *src, size_t size);

/* str_starts_with - whether @s begins with @prefix. */
int str_starts_with(const char *s, const char *prefix);

#endif
