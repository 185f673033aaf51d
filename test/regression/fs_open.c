/* open, openat, creat, close and close_range on a fresh tmpfs: the flags
 * (O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC),
 * the mode under the umask, the lowest free descriptor, and the errors
 * Linux gives for each bad argument. */
#define _GNU_SOURCE
#include <limits.h>
#include <linux/close_range.h>
#include "fs_util.h"

static void check_open(void)
{
	struct stat st;
	char buf[16];
	int fd, fd2;

	section("open O_CREAT, mode under the umask, O_EXCL");
	umask(027);
	fd = OK(open("a", O_RDWR | O_CREAT, 0777));
	TRUE(fd >= 0, "fd %d", fd);
	OK(fstat(fd, &st));
	EQ(st.st_mode, S_IFREG | 0750);
	EQ(st.st_size, 0);
	EQ(st.st_uid, getuid());
	umask(022);
	EQ(write(fd, "hello", 5), 5);
	OK(close(fd));
	ERR(open("a", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	/* O_CREAT on an existing file keeps its content and mode */
	fd = OK(open("a", O_RDWR | O_CREAT, 0600));
	OK(fstat(fd, &st));
	EQ(st.st_mode, S_IFREG | 0750);
	EQ(st.st_size, 5);
	OK(close(fd));
	/* without O_CREAT, a missing file */
	ERR(open("missing", O_RDONLY), ENOENT);
	ERR(open("missing", O_RDWR | O_EXCL), ENOENT);
	ERR(open("nodir/x", O_RDWR | O_CREAT, 0644), ENOENT);
	ERR(open("", O_RDONLY), ENOENT);
	ERR(open("", O_RDWR | O_CREAT, 0644), ENOENT);
	ERR(open(BADPTR, O_RDONLY), EFAULT);

	section("O_TRUNC, O_APPEND");
	fd = OK(open("a", O_WRONLY | O_TRUNC));
	OK(fstat(fd, &st));
	EQ(st.st_size, 0);
	EQ(write(fd, "12345", 5), 5);
	OK(close(fd));
	fd = OK(open("a", O_WRONLY | O_APPEND));
	EQ(lseek(fd, 0, SEEK_CUR), 0);
	EQ(lseek(fd, 1, SEEK_SET), 1);
	EQ(write(fd, "67", 2), 2);
	EQ(lseek(fd, 0, SEEK_CUR), 7);
	OK(close(fd));
	FILE_IS("a", "1234567");
	/* O_TRUNC with O_RDONLY truncates too, on Linux */
	put_file("t", "abc");
	fd = OK(open("t", O_RDONLY | O_TRUNC));
	OK(fstat(fd, &st));
	EQ(st.st_size, 0);
	OK(close(fd));

	section("access modes of the descriptor");
	fd = OK(open("a", O_RDONLY));
	ERR(write(fd, "x", 1), EBADF);
	EQ(read(fd, buf, 3), 3);
	SAME(buf, "123", 3);
	OK(close(fd));
	fd = OK(open("a", O_WRONLY));
	ERR(read(fd, buf, 1), EBADF);
	OK(close(fd));

	section("directories: O_DIRECTORY, EISDIR, ENOTDIR");
	OK(mkdir("d", 0755));
	fd = OK(open("d", O_RDONLY | O_DIRECTORY));
	ERR(read(fd, buf, sizeof(buf)), EISDIR);
	OK(close(fd));
	fd = OK(open("d", O_RDONLY));
	OK(close(fd));
	ERR(open("d", O_WRONLY), EISDIR);
	ERR(open("d", O_RDWR), EISDIR);
	ERR(open("d", O_WRONLY | O_CREAT, 0644), EISDIR);
	ERR(open("d", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	ERR(open("a", O_RDONLY | O_DIRECTORY), ENOTDIR);
	ERR(open("a/x", O_RDONLY), ENOTDIR);
	ERR(open("a/x", O_RDWR | O_CREAT, 0644), ENOTDIR);
	ERR(open("a/", O_RDONLY), ENOTDIR);
	ERR(open("new/", O_RDWR | O_CREAT, 0644), EISDIR);
	ERR(open("missing", O_RDONLY | O_DIRECTORY), ENOENT);

	section("symbolic links: followed, O_NOFOLLOW, O_CREAT through one");
	OK(symlink("a", "la"));
	fd = OK(open("la", O_RDONLY));
	EQ(read(fd, buf, 7), 7);
	SAME(buf, "1234567", 7);
	OK(close(fd));
	ERR(open("la", O_RDONLY | O_NOFOLLOW), ELOOP);
	ERR(open("la", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	OK(symlink("target", "dangling"));
	ERR(open("dangling", O_RDONLY), ENOENT);
	ERR(open("dangling", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	fd = OK(open("dangling", O_RDWR | O_CREAT, 0644));
	OK(close(fd));
	OK(stat("target", &st));
	TRUE(S_ISREG(st.st_mode), "target mode %o", st.st_mode);
	/* O_NOFOLLOW only concerns the last component */
	OK(symlink("d", "ld"));
	put_file("d/f", "in d");
	fd = OK(open("ld/f", O_RDONLY | O_NOFOLLOW));
	OK(close(fd));
	ERR(open("ld", O_RDONLY | O_DIRECTORY | O_NOFOLLOW), ENOTDIR);

	section("the lowest free descriptor; close");
	fd = OK(open("a", O_RDONLY));
	fd2 = OK(open("a", O_RDONLY));
	TRUE(fd2 > fd, "%d then %d", fd, fd2);
	OK(close(fd));
	EQ(open("a", O_RDONLY), fd);
	OK(close(fd));
	OK(close(fd2));
	ERR(close(fd2), EBADF);
	ERR(close(-1), EBADF);
	ERR(close(INT_MAX), EBADF);

	section("names too long");
	{
		char name[300], path[PATH_MAX + 10];

		memset(name, 'n', 255);
		name[255] = 0;
		fd = OK(open(name, O_RDWR | O_CREAT, 0644));
		OK(close(fd));
		memset(name, 'n', 256);
		name[256] = 0;
		ERR(open(name, O_RDWR | O_CREAT, 0644), ENAMETOOLONG);
		ERR(open(name, O_RDONLY), ENAMETOOLONG);
		for (int i = 0; i < PATH_MAX + 8; i += 2)
			memcpy(path + i, "./", 2);
		path[PATH_MAX + 8] = 0;
		ERR(open(path, O_RDONLY), ENAMETOOLONG);
		/* a path of PATH_MAX - 1 bytes is fine */
		path[PATH_MAX - 2] = 'a';
		path[PATH_MAX - 1] = 0;
		fd = OK(open(path, O_RDONLY));
		OK(close(fd));
	}
}

static void check_openat(void)
{
	struct stat st;
	int dfd, fd, ffd;

	section("openat: relative to a directory, AT_FDCWD, absolute paths");
	dfd = OK(open("d", O_RDONLY | O_DIRECTORY));
	fd = OK(openat(dfd, "f", O_RDONLY));
	OK(close(fd));
	fd = OK(openat(dfd, "g", O_RDWR | O_CREAT | O_EXCL, 0600));
	OK(close(fd));
	OK(stat("d/g", &st));
	EQ(st.st_mode, S_IFREG | 0600);
	fd = OK(openat(AT_FDCWD, "d/g", O_RDONLY));
	OK(close(fd));
	/* an absolute path ignores the descriptor, even a bad one */
	fd = OK(openat(-1, "/tmp/a", O_RDONLY));
	OK(close(fd));
	fd = OK(openat(dfd, "/tmp/a", O_RDONLY));
	OK(close(fd));
	ERR(openat(-1, "a", O_RDONLY), EBADF);
	ERR(openat(1000, "a", O_RDONLY), EBADF);
	ffd = OK(open("a", O_RDONLY));
	ERR(openat(ffd, "x", O_RDONLY), ENOTDIR);
	ERR(openat(dfd, "missing", O_RDONLY), ENOENT);
	ERR(openat(dfd, BADPTR, O_RDONLY), EFAULT);
	/* ".." from the directory */
	fd = OK(openat(dfd, "../a", O_RDONLY));
	OK(close(fd));
	OK(close(ffd));
	OK(close(dfd));
	/* the raw call with no O_LARGEFILE: 64-bit Linux adds it */
	fd = OK(syscall(SYS_openat, AT_FDCWD, "a", O_RDONLY));
	EQ(fcntl(fd, F_GETFL), O_RDONLY | O_LARGEFILE);
	OK(close(fd));
	fd = OK(syscall(SYS_open, "a", O_RDWR | O_APPEND));
	EQ(fcntl(fd, F_GETFL), O_RDWR | O_APPEND | O_LARGEFILE);
	OK(close(fd));
	/* O_CLOEXEC is a descriptor flag, not a file status flag */
	fd = OK(open("a", O_RDONLY | O_CLOEXEC));
	EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EQ(fcntl(fd, F_GETFL), O_RDONLY | O_LARGEFILE);
	OK(close(fd));
	fd = OK(open("a", O_RDONLY));
	EQ(fcntl(fd, F_GETFD), 0);
	OK(close(fd));
}

static void check_creat(void)
{
	struct stat st;
	char c;
	int fd;

	section("creat: O_CREAT|O_WRONLY|O_TRUNC");
	put_file("c", "old content");
	fd = OK(creat("c", 0600));
	OK(fstat(fd, &st));
	EQ(st.st_size, 0);
	EQ(st.st_mode, S_IFREG | 0644);
	ERR(read(fd, &c, 1), EBADF);
	EQ(write(fd, "new", 3), 3);
	OK(close(fd));
	FILE_IS("c", "new");
	fd = OK(creat("c2", 0777));
	OK(fstat(fd, &st));
	EQ(st.st_mode, S_IFREG | 0755);
	EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	OK(close(fd));
	ERR(creat("d", 0644), EISDIR);
	ERR(creat("nodir/c", 0644), ENOENT);
	ERR(creat("a/c", 0644), ENOTDIR);
	ERR(creat(BADPTR, 0644), EFAULT);
}

static void check_close_range(void)
{
	int fds[6];

	section("close_range: a range, CLOSE_RANGE_CLOEXEC, bad arguments");
	for (int i = 0; i < 6; i++)
		fds[i] = OK(open("a", O_RDONLY));
	for (int i = 1; i < 6; i++)
		EQ(fds[i], fds[0] + i);
	OK(syscall(SYS_close_range, fds[1], fds[2], 0));
	ERR(fcntl(fds[1], F_GETFD), EBADF);
	ERR(fcntl(fds[2], F_GETFD), EBADF);
	EQ(fcntl(fds[0], F_GETFD), 0);
	EQ(fcntl(fds[3], F_GETFD), 0);
	OK(syscall(SYS_close_range, fds[3], fds[4], CLOSE_RANGE_CLOEXEC));
	EQ(fcntl(fds[3], F_GETFD), FD_CLOEXEC);
	EQ(fcntl(fds[4], F_GETFD), FD_CLOEXEC);
	EQ(fcntl(fds[5], F_GETFD), 0);
	ERR(syscall(SYS_close_range, fds[4], fds[3], 0), EINVAL);
	ERR(syscall(SYS_close_range, fds[3], fds[4], 0x80), EINVAL);
	/* a range with nothing open, and one past every descriptor */
	OK(syscall(SYS_close_range, 5000, 6000, 0));
	OK(syscall(SYS_close_range, fds[3], ~0U, 0));
	ERR(fcntl(fds[3], F_GETFD), EBADF);
	ERR(fcntl(fds[5], F_GETFD), EBADF);
	EQ(fcntl(fds[0], F_GETFD), 0);
	OK(close(fds[0]));
}

int main(void)
{
	fs_setup("fs_open");
	check_open();
	check_openat();
	check_creat();
	check_close_range();
	return fs_done();
}
