/*
 * Reading "newc" cpio archives (the initramfs format).  Every field is
 * checked: a corrupt or truncated archive gives -EINVAL, never an
 * out-of-bounds read.
 */
#ifndef LIBS_CPIO_H
#define LIBS_CPIO_H

#include <stddef.h>
#include <stdint.h>

struct cpio_entry {
	const char *name; /* not NUL-terminated: name_len bytes */
	size_t name_len;
	uint32_t mode;
	uint32_t uid, gid;
	uint32_t mtime;
	const uint8_t *data;
	size_t size;
};

struct cpio_iter {
	const uint8_t *buf;
	size_t len;
	size_t off;
};

/* cpio_iter_init - start reading @buf of @len bytes. */
void cpio_iter_init(struct cpio_iter *it, const uint8_t *buf, size_t len);

/*
 * cpio_next - the next entry.  Returns 1 with @e filled, 0 at the
 * trailer, or -EINVAL for a corrupt archive.
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);

/*
 * cpio_find - find the entry whose name is @path (a leading "/" or "./" on
 * either side is ignored).  Returns 0, -ENOENT, or -EINVAL when corrupt.
 */
int cpio_find(const uint8_t *buf, size_t len, const char *path,
	      struct cpio_entry *e);

#endif
