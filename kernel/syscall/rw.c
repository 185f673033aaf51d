/*
 * The read/write family: read, write, pread64, pwrite64, readv, writev,
 * preadv, pwritev, lseek, ioctl, sendfile, and the advice calls
 * fadvise64 and readahead.  Every call takes its fd
 * through the rights check (a file_reader or file_writer handle).
 */
#include <frame/heap.h>
#include <libs/string.h>
#include <linux/uio.h>
#include <linux/fs.h>
#include <linux/fadvise.h>
#include <asm/ioctls.h>
#include "fs/file.h"
#include "process/process.h"
#include "syscall/restart.h"
#include "syscall/syscall.h"

/* An fd held with the right a transfer needs: reading or writing. */
struct rw_handle {
	bool write;
	file_reader r;
	file_writer w;
};

/* Take @fd with the right to read or write it; -EBADF without. */
static long rw_get(int fd, bool write, struct rw_handle *h)
{
	h->write = write;
	return write ? fd_writer(fd, &h->w) : fd_reader(fd, &h->r);
}

static void rw_put(struct rw_handle *h)
{
	if (h->write)
		file_writer_put(h->w);
	else
		file_reader_put(h->r);
}

/* One buffer through @h; @pos NULL: at the file's position. */
static long rw_do(struct rw_handle *h, uint64_t buf, size_t len,
		  uint64_t *pos)
{
	struct iobuf b = iobuf_user(fr_uaddr(buf));

	return h->write ? vfs_write(h->w, &b, len, pos) :
			  vfs_read(h->r, &b, len, pos);
}

/* Count a call of the read or write family that reached its file, and
 * what it moved, for /proc/PID/io (Linux counts in vfs_read/vfs_write). */
static void rw_account(bool write, long done)
{
	if (write)
		io_account_write(done);
	else
		io_account_read(done);
}

/* A read or write of one buffer; @pos NULL: at the file's position. */
static long rw_one(int fd, bool write, uint64_t buf, int64_t len,
		   uint64_t *pos)
{
	struct rw_handle h;
	long n = rw_get(fd, write, &h);

	if (n)
		return n;
	n = len < 0 ? -EINVAL : rw_do(&h, buf, (size_t)len, pos);
	rw_put(&h);
	if (len >= 0)
		rw_account(write, n);
	return n;
}

long sys_read(const struct syscall_args *a)
{
	return rw_one((int)a->arg[0], false, a->arg[1], (int64_t)a->arg[2],
		      NULL);
}

long sys_write(const struct syscall_args *a)
{
	return rw_one((int)a->arg[0], true, a->arg[1], (int64_t)a->arg[2],
		      NULL);
}

/* Whether @fd may be used at an offset (ESPIPE for pipes and sockets). */
static long check_seekable(int fd)
{
	struct file *f = fd_get(fd);
	long err = 0;

	if (!f)
		return -EBADF;
	if (file_is_stream(f))
		err = -ESPIPE;
	file_put(f);
	return err;
}

static long prw(const struct syscall_args *a, bool write)
{
	uint64_t pos = a->arg[3];
	long err = check_seekable((int)a->arg[0]);

	if (err)
		return err;
	if ((int64_t)pos < 0)
		return -EINVAL;
	return rw_one((int)a->arg[0], write, a->arg[1], (int64_t)a->arg[2],
		      &pos);
}

long sys_pread64(const struct syscall_args *a)
{
	return prw(a, false);
}

long sys_pwrite64(const struct syscall_args *a)
{
	return prw(a, true);
}

/*
 * The vector calls: each segment in turn, stopping at a short transfer;
 * the total is checked first as Linux does (EINVAL past SSIZE_MAX).
 */
static long rw_vec(int fd, bool write, uint64_t uiov, uint64_t cnt,
		   uint64_t *pos)
{
	struct rw_handle h;
	struct iovec *iov;
	uint64_t total = 0;
	long done = 0;

	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	done = rw_get(fd, write, &h);
	if (done)
		return done;
	if (!cnt)
		goto put;
	iov = FR_NEW_ARRAY(struct iovec, cnt);
	if (!iov) {
		done = -ENOMEM;
		goto put;
	}
	if (fr_copy_from_user(iov, fr_uaddr(uiov), sizeof(*iov) * cnt))
		done = -EFAULT;
	for (uint64_t i = 0; i < cnt && !done; i++) {
		if ((int64_t)iov[i].iov_len < 0 ||
		    iov[i].iov_len > 0x7fffffffffffffffULL - total)
			done = -EINVAL;
		total += iov[i].iov_len;
	}
	for (uint64_t i = 0; i < cnt && done >= 0; i++) {
		long n;

		if (!iov[i].iov_len)
			continue;
		n = rw_do(&h, (uint64_t)(uintptr_t)iov[i].iov_base,
			  iov[i].iov_len, pos);
		if (n < 0) {
			if (!done)
				done = n;
			break;
		}
		done += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	fr_kfree(iov);
	rw_account(write, done);
put:
	rw_put(&h);
	return done;
}

long sys_readv(const struct syscall_args *a)
{
	return rw_vec((int)a->arg[0], false, a->arg[1], a->arg[2], NULL);
}

long sys_writev(const struct syscall_args *a)
{
	return rw_vec((int)a->arg[0], true, a->arg[1], a->arg[2], NULL);
}

static long prw_vec(const struct syscall_args *a, bool write)
{
	uint64_t pos = a->arg[3]; /* pos_l; pos_h (arg 4) is 0 on 64-bit */
	long err = check_seekable((int)a->arg[0]);

	if (err)
		return err;
	if ((int64_t)pos < 0)
		return -EINVAL;
	return rw_vec((int)a->arg[0], write, a->arg[1], a->arg[2], &pos);
}

long sys_preadv(const struct syscall_args *a)
{
	return prw_vec(a, false);
}

long sys_pwritev(const struct syscall_args *a)
{
	return prw_vec(a, true);
}

/* Generic seek: from the start, the position or the size. */
static long do_lseek(struct file *f, int64_t off, int whence)
{
	int64_t base;
	long ret;

	if (S_ISFIFO(f->inode->mode) || S_ISSOCK(f->inode->mode))
		return -ESPIPE;
	if (f->fop && f->fop->llseek)
		return f->fop->llseek(f, off, whence);
	fr_mutex_lock(&f->pos_lock);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END:
		base = (int64_t)f->inode->size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (off < 0 || (uint64_t)off >= f->inode->size) {
			fr_mutex_unlock(&f->pos_lock);
			return -ENXIO;
		}
		base = 0;
		if (whence == SEEK_HOLE)
			off = (int64_t)f->inode->size;
		break;
	default:
		fr_mutex_unlock(&f->pos_lock);
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0) {
		ret = -EINVAL;
	} else {
		f->pos = (uint64_t)(base + off);
		ret = (long)f->pos;
	}
	fr_mutex_unlock(&f->pos_lock);
	return ret;
}

long sys_lseek(const struct syscall_args *a)
{
	struct file *f = fd_get((int)a->arg[0]);
	long ret;

	if (!f)
		return -EBADF;
	ret = do_lseek(f, (int64_t)a->arg[1], (int)a->arg[2]);
	file_put(f);
	return ret;
}

long sys_ioctl(const struct syscall_args *a)
{
	int fd = (int)a->arg[0];
	unsigned cmd = (unsigned)a->arg[1];
	struct file *f = fd_get(fd);
	long ret;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		ret = fd_set_cloexec(fd, cmd == FIOCLEX);
		break;
	case FIONBIO: {
		int on;

		if (FR_GET_USER(on, fr_uaddr(a->arg[2]))) {
			ret = -EFAULT;
			break;
		}
		if (on)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~(unsigned)O_NONBLOCK;
		ret = 0;
		break;
	}
	case FIOASYNC:
		ret = 0;
		break;
	default:
		if (f->mode & FMODE_PATH)
			ret = -EBADF;
		else if (f->fop && f->fop->ioctl)
			ret = f->fop->ioctl(f, cmd, a->arg[2]);
		else if (cmd == FIONREAD && S_ISREG(f->inode->mode)) {
			/* Linux: the size minus the offset, as an int
			 * (negative past the end) */
			int n = (int)((int64_t)f->inode->size -
				      (int64_t)f->pos);

			ret = FR_PUT_USER(n, fr_uaddr(a->arg[2])) ? -EFAULT :
								    0;
		} else
			ret = -ENOTTY;
		break;
	}
	file_put(f);
	return ret;
}

#define SENDFILE_CHUNK 4096

long sys_sendfile(const struct syscall_args *a)
{
	int out = (int)a->arg[0], in = (int)a->arg[1];
	uint64_t upos = a->arg[2], count = a->arg[3], pos = 0;
	file_reader r;
	file_writer w;
	uint8_t *buf;
	long done = 0, err;

	err = fd_reader(in, &r);
	if (err)
		return err;
	err = fd_writer(out, &w);
	if (err) {
		file_reader_put(r);
		return err;
	}
	if (file_writer_file(w)->flags & O_APPEND) {
		err = -EINVAL;
		goto out;
	}
	if (upos) {
		if (FR_GET_USER(pos, fr_uaddr(upos))) {
			err = -EFAULT;
			goto out;
		}
		if ((int64_t)pos < 0) {
			err = -EINVAL;
			goto out;
		}
	}
	buf = FR_NEW_ARRAY(uint8_t, SENDFILE_CHUNK);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	struct iobuf b = iobuf_kernel(buf);

	count = FR_MIN(count, (uint64_t)0x7ffff000);
	while ((uint64_t)done < count) {
		size_t want = FR_MIN(count - (uint64_t)done, SENDFILE_CHUNK);
		long n = vfs_read(r, &b, want, upos ? &pos : NULL), m;

		if (n <= 0) {
			if (!done)
				err = n;
			break;
		}
		m = vfs_write(w, &b, (size_t)n, NULL);
		if (m < 0) {
			if (!done)
				err = m;
			break;
		}
		done += m;
		if (m < n) {
			if (upos)
				pos -= (uint64_t)(n - m);
			break;
		}
	}
	fr_kfree(buf);
	io_account_read(done); /* one call of each family, as Linux */
	io_account_write(done);
	if (upos && FR_PUT_USER(pos, fr_uaddr(upos)))
		err = -EFAULT;
out:
	file_reader_put(r);
	file_writer_put(w);
	return done ? done : err;
}

/*
 * fadvise64: advice only (there is no page cache to fill or drop), with
 * Linux's checks: EBADF, ESPIPE for a pipe or FIFO, EINVAL for a
 * negative length or an unknown advice.
 */
long sys_fadvise64(const struct syscall_args *a)
{
	struct file *f = fd_get((int)a->arg[0]);
	int advice = (int)a->arg[3];
	long err = 0;

	if (!f || (f->mode & FMODE_PATH)) {
		file_put(f);
		return -EBADF;
	}
	if (f->inode && S_ISFIFO(f->inode->mode))
		err = -ESPIPE;
	else if ((int64_t)a->arg[2] < 0 || advice < POSIX_FADV_NORMAL ||
		 advice > POSIX_FADV_NOREUSE)
		err = -EINVAL;
	file_put(f);
	return err;
}

/*
 * readahead: the file's pages are already in memory; EBADF unless open
 * for reading, EINVAL unless a regular file, as Linux.
 */
long sys_readahead(const struct syscall_args *a)
{
	file_reader r;
	long err = fd_reader((int)a->arg[0], &r);

	if (err)
		return err;
	if (!file_reader_file(r)->inode ||
	    !S_ISREG(file_reader_file(r)->inode->mode))
		err = -EINVAL;
	file_reader_put(r);
	return err;
}
