/*
 * Read/write family: write, writev, read and ioctl.  Until the VFS exists
 * the only open files are 0, 1 and 2, all on the console.
 */
#include <frame/log.h>
#include <frame/task.h>
#include <linux/uio.h>
#include "syscall/syscall.h"

#define CHUNK 256

static bool console_fd(uint64_t fd)
{
	return fd <= 2;
}

/* Write @len bytes from user @buf to the console; bytes written or error. */
static long console_write(fr_uaddr_t buf, size_t len)
{
	char chunk[CHUNK];
	size_t done = 0;

	while (done < len) {
		size_t n = FR_MIN(len - done, sizeof(chunk));

		if (fr_copy_from_user(chunk, fr_uaddr_add(buf, done), n))
			return done ? (long)done : -EFAULT;
		fr_console_write(chunk, n);
		done += n;
	}
	return (long)done;
}

long sys_write(const struct syscall_args *a)
{
	if (!console_fd(a->arg[0]))
		return -EBADF;
	if ((int64_t)a->arg[2] < 0)
		return -EINVAL;
	return console_write(fr_uaddr(a->arg[1]), a->arg[2]);
}

long sys_writev(const struct syscall_args *a)
{
	uint64_t iovcnt = a->arg[2];
	long total = 0;

	if (!console_fd(a->arg[0]))
		return -EBADF;
	if (iovcnt > UIO_MAXIOV)
		return -EINVAL;
	for (uint64_t i = 0; i < iovcnt; i++) {
		struct iovec iov;
		fr_uaddr_t at = fr_uaddr(a->arg[1] + i * sizeof(iov));
		long n;

		if (FR_GET_USER(iov, at))
			return total ? total : -EFAULT;
		if ((int64_t)iov.iov_len < 0)
			return -EINVAL;
		n = console_write(fr_uaddr((uint64_t)(uintptr_t)iov.iov_base),
				  iov.iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < iov.iov_len)
			break;
	}
	return total;
}

long sys_read(const struct syscall_args *a)
{
	uint8_t byte;
	int c;

	if (!console_fd(a->arg[0]))
		return -EBADF;
	if (!a->arg[2])
		return 0;
	/* the console has no line discipline yet: poll for one byte */
	while ((c = fr_console_read_byte()) < 0)
		fr_task_yield();
	byte = (uint8_t)c;
	if (FR_PUT_USER(byte, fr_uaddr(a->arg[1])))
		return -EFAULT;
	return 1;
}

long sys_ioctl(const struct syscall_args *a)
{
	if (!console_fd(a->arg[0]))
		return -EBADF;
	return -ENOTTY; /* the console is not a terminal yet */
}
