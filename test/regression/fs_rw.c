/* read, write, pread64, pwrite64, readv, writev, preadv, pwritev and lseek
 * on tmpfs files: offsets, holes, end of file, O_APPEND, the vectors'
 * limits, and the errors Linux gives (EBADF, EFAULT, EINVAL, EISDIR,
 * ESPIPE). */
#define _GNU_SOURCE
#include <limits.h>
#include <sys/uio.h>
#include "fs_util.h"

static void check_read_write(void)
{
	char buf[64], big[10000];
	struct stat st;
	int fd, dfd;

	section("write and read back; the offset moves; end of file");
	fd = OK(open("f", O_RDWR | O_CREAT | O_TRUNC, 0644));
	EQ(write(fd, "hello world", 11), 11);
	EQ(lseek(fd, 0, SEEK_CUR), 11);
	EQ(read(fd, buf, sizeof(buf)), 0);
	EQ(lseek(fd, 0, SEEK_SET), 0);
	EQ(read(fd, buf, 5), 5);
	SAME(buf, "hello", 5);
	EQ(read(fd, buf, sizeof(buf)), 6);
	SAME(buf, " world", 6);
	EQ(read(fd, buf, sizeof(buf)), 0);
	/* zero-length calls */
	EQ(read(fd, buf, 0), 0);
	EQ(write(fd, buf, 0), 0);
	EQ(write(fd, NULL, 0), 0);
	EQ(read(fd, NULL, 0), 0);

	section("overwrite in the middle; a write past the end leaves a hole");
	EQ(lseek(fd, 6, SEEK_SET), 6);
	EQ(write(fd, "WORLD", 5), 5);
	EQ(lseek(fd, 20, SEEK_SET), 20);
	EQ(write(fd, "end", 3), 3);
	OK(fstat(fd, &st));
	EQ(st.st_size, 23);
	EQ(pread(fd, buf, sizeof(buf), 0), 23);
	SAME(buf, "hello WORLD\0\0\0\0\0\0\0\0\0end", 23);

	section("a large write spanning pages");
	for (int i = 0; i < (int)sizeof(big); i++)
		big[i] = 'a' + i % 26;
	EQ(pwrite(fd, big, sizeof(big), 4000), sizeof(big));
	OK(fstat(fd, &st));
	EQ(st.st_size, 14000);
	memset(big, 0, sizeof(big));
	EQ(pread(fd, big, sizeof(big), 4000), sizeof(big));
	for (int i = 0; i < (int)sizeof(big); i++)
		TRUE(big[i] == 'a' + i % 26, "byte %d is %d", i, big[i]);
	EQ(pread(fd, big, sizeof(big), 13990), 10);
	EQ(pread(fd, big, sizeof(big), 14000), 0);
	EQ(pread(fd, big, sizeof(big), 1 << 30), 0);

	section("bad buffers, descriptors and offsets");
	ERR(read(fd, BADPTR, 10), EFAULT);
	ERR(write(fd, BADPTR, 10), EFAULT);
	ERR(pread(fd, BADPTR, 10, 0), EFAULT);
	ERR(pwrite(fd, BADPTR, 10, 0), EFAULT);
	ERR(read(-1, buf, 1), EBADF);
	ERR(write(-1, buf, 1), EBADF);
	ERR(read(999, buf, 1), EBADF);
	ERR(pread(-1, buf, 1, 0), EBADF);
	ERR(pwrite(-1, buf, 1, 0), EBADF);
	ERR(pread(fd, buf, 1, -1), EINVAL);
	ERR(pwrite(fd, buf, 1, -1), EINVAL);
	OK(close(fd));
	ERR(read(fd, buf, 1), EBADF);

	section("reading a directory: EISDIR");
	dfd = OK(open(".", O_RDONLY | O_DIRECTORY));
	ERR(read(dfd, buf, sizeof(buf)), EISDIR);
	ERR(pread(dfd, buf, sizeof(buf), 0), EISDIR);
	OK(close(dfd));

	section("pread and pwrite leave the offset alone");
	fd = OK(open("f", O_RDWR));
	EQ(lseek(fd, 3, SEEK_SET), 3);
	EQ(pread(fd, buf, 5, 0), 5);
	SAME(buf, "hello", 5);
	EQ(pwrite(fd, "J", 1, 0), 1);
	EQ(lseek(fd, 0, SEEK_CUR), 3);
	EQ(read(fd, buf, 2), 2);
	SAME(buf, "lo", 2);
	OK(close(fd));

	section("O_APPEND: write and pwrite go to the end on Linux");
	put_file("ap", "abc");
	fd = OK(open("ap", O_RDWR | O_APPEND));
	EQ(write(fd, "de", 2), 2);
	EQ(lseek(fd, 0, SEEK_CUR), 5);
	EQ(pwrite(fd, "XY", 2, 0), 2);
	EQ(lseek(fd, 0, SEEK_CUR), 5);
	OK(close(fd));
	FILE_IS("ap", "abcdeXY");
}

static void check_vectors(void)
{
	char a[4], b[8], c[3], buf[32];
	struct iovec iov[3], many[IOV_MAX + 1];
	int fd;

	section("writev and readv: in order, short at the end of file");
	fd = OK(open("v", O_RDWR | O_CREAT | O_TRUNC, 0644));
	iov[0] = (struct iovec){ "one", 3 };
	iov[1] = (struct iovec){ NULL, 0 };
	iov[2] = (struct iovec){ "-two-three", 10 };
	EQ(writev(fd, iov, 3), 13);
	EQ(lseek(fd, 0, SEEK_CUR), 13);
	EQ(lseek(fd, 0, SEEK_SET), 0);
	iov[0] = (struct iovec){ a, sizeof(a) };
	iov[1] = (struct iovec){ b, sizeof(b) };
	iov[2] = (struct iovec){ c, sizeof(c) };
	EQ(readv(fd, iov, 3), 13);
	SAME(a, "one-", 4);
	SAME(b, "two-thre", 8);
	SAME(c, "e", 1);
	EQ(readv(fd, iov, 3), 0);
	EQ(readv(fd, iov, 0), 0);
	EQ(writev(fd, iov, 0), 0);

	section("preadv and pwritev at an offset; the offset stays");
	EQ(lseek(fd, 2, SEEK_SET), 2);
	iov[0] = (struct iovec){ "AB", 2 };
	iov[1] = (struct iovec){ "CD", 2 };
	EQ(pwritev(fd, iov, 2, 4), 4);
	EQ(lseek(fd, 0, SEEK_CUR), 2);
	memset(buf, 0, sizeof(buf));
	iov[0] = (struct iovec){ buf, 3 };
	iov[1] = (struct iovec){ buf + 3, 20 };
	EQ(preadv(fd, iov, 2, 1), 12);
	SAME(buf, "ne-ABCDthree", 12);
	EQ(preadv(fd, iov, 2, 13), 0);
	EQ(lseek(fd, 0, SEEK_CUR), 2);

	section("vector errors: count, length, addresses, descriptor");
	for (int i = 0; i <= IOV_MAX; i++)
		many[i] = (struct iovec){ buf, 1 };
	EQ(pwritev(fd, many, IOV_MAX, 0), IOV_MAX);
	ERR(writev(fd, many, IOV_MAX + 1), EINVAL);
	ERR(readv(fd, many, IOV_MAX + 1), EINVAL);
	ERR(readv(fd, many, -1), EINVAL);
	ERR(preadv(fd, many, 1, -1), EINVAL);
	ERR(pwritev(fd, many, 1, -1), EINVAL);
	iov[0] = (struct iovec){ buf, (size_t)-1 };
	ERR(writev(fd, iov, 1), EINVAL);
	ERR(readv(fd, BADPTR, 1), EFAULT);
	ERR(writev(fd, BADPTR, 1), EFAULT);
	iov[0] = (struct iovec){ BADPTR, 4 };
	ERR(writev(fd, iov, 1), EFAULT);
	ERR(preadv(fd, iov, 1, 0), EFAULT);
	ERR(readv(-1, iov, 1), EBADF);
	ERR(writev(-1, iov, 1), EBADF);
	ERR(preadv(-1, iov, 1, 0), EBADF);
	ERR(pwritev(-1, iov, 1, 0), EBADF);
	/* a partial transfer stops at the bad element */
	EQ(lseek(fd, 0, SEEK_SET), 0);
	iov[0] = (struct iovec){ "ok", 2 };
	iov[1] = (struct iovec){ BADPTR, 4 };
	EQ(writev(fd, iov, 2), 2);
	OK(close(fd));
}

static void check_lseek(void)
{
	int fd, pfd[2], dfd;

	section("lseek: SEEK_SET, SEEK_CUR, SEEK_END, past the end, errors");
	fd = OK(open("s", O_RDWR | O_CREAT | O_TRUNC, 0644));
	EQ(write(fd, "0123456789", 10), 10);
	EQ(lseek(fd, 0, SEEK_END), 10);
	EQ(lseek(fd, -3, SEEK_END), 7);
	EQ(lseek(fd, 2, SEEK_CUR), 9);
	EQ(lseek(fd, -9, SEEK_CUR), 0);
	EQ(lseek(fd, 100, SEEK_SET), 100);
	EQ(lseek(fd, 0, SEEK_CUR), 100);
	ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	ERR(lseek(fd, -11, SEEK_END), EINVAL);
	ERR(lseek(fd, -101, SEEK_CUR), EINVAL);
	EQ(lseek(fd, 0, SEEK_CUR), 100);
	ERR(lseek(fd, 0, 5), EINVAL);
	ERR(lseek(fd, 0, -1), EINVAL);
	ERR(lseek(-1, 0, SEEK_SET), EBADF);
	ERR(lseek(fd, LLONG_MAX, SEEK_CUR), EINVAL);

	section("SEEK_DATA and SEEK_HOLE");
	EQ(lseek(fd, 0, SEEK_DATA), 0);
	EQ(lseek(fd, 0, SEEK_HOLE), 10);
	ERR(lseek(fd, 10, SEEK_DATA), ENXIO);
	ERR(lseek(fd, 11, SEEK_HOLE), ENXIO);
	OK(close(fd));

	section("directories may seek; pipes may not (ESPIPE)");
	dfd = OK(open(".", O_RDONLY | O_DIRECTORY));
	EQ(lseek(dfd, 0, SEEK_SET), 0);
	OK(close(dfd));
	OK(pipe(pfd));
	ERR(lseek(pfd[0], 0, SEEK_SET), ESPIPE);
	ERR(pread(pfd[0], &fd, 1, 0), ESPIPE);
	ERR(pwrite(pfd[1], &fd, 1, 0), ESPIPE);
	OK(close(pfd[0]));
	OK(close(pfd[1]));
}

int main(void)
{
	fs_setup("fs_rw");
	check_read_write();
	check_vectors();
	check_lseek();
	return fs_done();
}
