/*
 * Reading "newc" cpio archives (the initramfs format).  Every field is
 * checked: a corrupt or truncated archive gives -EINVAL, never an
 * out-of-bounds read.
 */
#ifndef LIBS_CPIO_H
#define LIBS_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* File types in cpio_entry.mode (the st_mode bits of stat(2)). */
#define CPIO_S_IFMT 0170000
#define CPIO_S_IFDIR 0040000
#define CPIO_S_IFREG 0100000
#define CPIO_S_IFLNK 0120000
#define CPIO_S_IFCHR 0020000
#define CPIO_S_IFBLK 0060000
#define CPIO_S_IFIFO 0010000

/* Linux's limits on a path walk: bytes of a path (with its NUL), bytes of
 * one name, symbolic links followed. */
#define CPIO_PATH_MAX 4096
#define CPIO_NAME_MAX 255
#define CPIO_MAXSYMLINKS 40

struct cpio_entry {
	const char *name; /* not NUL-terminated: name_len bytes */
	size_t name_len;
	uint32_t mode;
	uint32_t uid, gid;
	uint32_t mtime;
	uint32_t rdev_major, rdev_minor; /* device nodes */
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

/* The working memory of cpio_resolve (too large for a kernel stack). */
struct cpio_walk {
	char dir[CPIO_PATH_MAX];  /* the directory reached, "" for the root */
	char rest[CPIO_PATH_MAX]; /* the part of the path still to walk */
};

/*
 * cpio_resolve - walk @path in the archive as Linux's path walk does: from
 * the root (a relative path starts there too: it is the only working
 * directory), "." and ".." (the root's ".." is the root), symbolic links
 * (their target, relative to the link's directory), at most
 * CPIO_MAXSYMLINKS of them.  A symbolic link as the last component is
 * followed when @follow, or when the path ends with "/", which also asks
 * for a directory.  The root, which has no entry, comes back as a
 * directory named "".
 * Returns 0 with @e filled, -ENOENT (a missing component, or an empty
 * @path), -ENOTDIR (a component other than the last is not a directory),
 * -ELOOP, -ENAMETOOLONG (a name longer than CPIO_NAME_MAX, or a path that
 * grows past CPIO_PATH_MAX), or -EINVAL for a corrupt archive.
 */
int cpio_resolve(const uint8_t *buf, size_t len, const char *path,
		 bool follow, struct cpio_walk *w, struct cpio_entry *e);

#endif
