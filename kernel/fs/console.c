/*
 * The early console: /dev/console (5:1) as a plain character device on
 * the frame's console, until the terminal layer takes it over.  Reads
 * poll for one byte at a time; it is not a terminal (ioctls: -ENOTTY).
 */
#include <frame/log.h>
#include <frame/task.h>
#include "fs/file.h"
#include "fs/internal.h"

#define CHUNK 256

static long console_read(struct file *f, const struct iobuf *b, size_t len,
			 uint64_t *pos)
{
	uint8_t byte;
	int c;

	(void)f;
	(void)pos;
	if (!len)
		return 0;
	while ((c = fr_console_read_byte()) < 0)
		fr_task_yield();
	byte = (uint8_t)c;
	return iobuf_put(b, 0, &byte, 1) ? -EFAULT : 1;
}

static long console_write(struct file *f, const struct iobuf *b, size_t len,
			  uint64_t *pos)
{
	char chunk[CHUNK];
	size_t done = 0;

	(void)f;
	(void)pos;
	while (done < len) {
		size_t n = FR_MIN(len - done, sizeof(chunk));

		if (iobuf_get(b, done, chunk, n))
			return done ? (long)done : -EFAULT;
		fr_console_write(chunk, n);
		done += n;
	}
	return (long)done;
}

static const struct file_ops console_fops = {
	.read = console_read,
	.write = console_write,
};

int early_console_init(void)
{
	int err = chrdev_register(5, 1, 1, &console_fops);

	if (err)
		return err;
	err = vfs_mkdir(AT_FDCWD, "/dev", 0755);
	if (err && err != -EEXIST)
		return err;
	err = vfs_mknod(AT_FDCWD, "/dev/console", S_IFCHR | 0600,
			VFS_MKDEV(5, 1));
	return err == -EEXIST ? 0 : err;
}
