/* The errors every file call shares, call by call: EBADF for a bad or
 * closed descriptor, EFAULT for a bad path pointer, ENAMETOOLONG,
 * ENOENT for an empty path, ENOTDIR through a file; a read-only open file
 * cannot be written (write, pwrite64, writev, pwritev, fallocate: EBADF;
 * ftruncate: EINVAL), a write-only one cannot be read; O_PATH descriptors
 * allow no I/O; ETXTBSY for a running program and for exec of a file open
 * for writing. */
#define _GNU_SOURCE
#include <limits.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <linux/stat.h>
#include "fs_util.h"

#define SELF "/test/fs_errno"

/* each path call with the path @p; the error @e expected from all */
#define PATH_CALLS(p, e)                                                       \
	do {                                                                  \
		struct stat st_;                                              \
		struct statfs sf_;                                            \
		struct statx sx_;                                             \
		char b_[64];                                                  \
		ERR(syscall(SYS_open, p, O_RDONLY), e);                        \
		ERR(syscall(SYS_open, p, O_RDWR | O_CREAT, 0644), e);          \
		ERR(syscall(SYS_openat, AT_FDCWD, p, O_RDONLY), e);            \
		ERR(syscall(SYS_creat, p, 0644), e);                           \
		ERR(syscall(SYS_stat, p, &st_), e);                            \
		ERR(syscall(SYS_lstat, p, &st_), e);                           \
		ERR(syscall(SYS_newfstatat, AT_FDCWD, p, &st_, 0), e);         \
		ERR(syscall(SYS_statx, AT_FDCWD, p, 0, STATX_BASIC_STATS,      \
			    &sx_), e);                                         \
		ERR(syscall(SYS_statfs, p, &sf_), e);                          \
		ERR(syscall(SYS_mkdir, p, 0755), e);                           \
		ERR(syscall(SYS_mkdirat, AT_FDCWD, p, 0755), e);               \
		ERR(syscall(SYS_rmdir, p), e);                                 \
		ERR(syscall(SYS_unlink, p), e);                                \
		ERR(syscall(SYS_unlinkat, AT_FDCWD, p, 0), e);                 \
		ERR(syscall(SYS_rename, p, "x"), e);                           \
		ERR(syscall(SYS_rename, "f", p), e);                           \
		ERR(syscall(SYS_renameat, AT_FDCWD, p, AT_FDCWD, "x"), e);     \
		ERR(syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, p, 0), e); \
		ERR(syscall(SYS_link, p, "x"), e);                             \
		ERR(syscall(SYS_link, "f", p), e);                             \
		ERR(syscall(SYS_linkat, AT_FDCWD, p, AT_FDCWD, "x", 0), e);    \
		ERR(syscall(SYS_symlink, "x", p), e);                          \
		ERR(syscall(SYS_symlinkat, "x", AT_FDCWD, p), e);              \
		ERR(syscall(SYS_readlink, p, b_, sizeof(b_)), e);              \
		ERR(syscall(SYS_readlinkat, AT_FDCWD, p, b_, sizeof(b_)), e);  \
		ERR(syscall(SYS_chmod, p, 0644), e);                           \
		ERR(syscall(SYS_fchmodat, AT_FDCWD, p, 0644), e);              \
		ERR(syscall(SYS_chown, p, 0, 0), e);                           \
		ERR(syscall(SYS_lchown, p, 0, 0), e);                          \
		ERR(syscall(SYS_fchownat, AT_FDCWD, p, 0, 0, 0), e);           \
		ERR(syscall(SYS_access, p, F_OK), e);                          \
		ERR(syscall(SYS_faccessat, AT_FDCWD, p, F_OK), e);             \
		ERR(syscall(SYS_faccessat2, AT_FDCWD, p, F_OK, 0), e);         \
		ERR(syscall(SYS_truncate, p, 0), e);                           \
		ERR(syscall(SYS_utimensat, AT_FDCWD, p, NULL, 0), e);          \
		ERR(syscall(SYS_mknod, p, S_IFIFO | 0644, 0), e);              \
		ERR(syscall(SYS_mknodat, AT_FDCWD, p, S_IFIFO | 0644, 0), e);  \
		ERR(syscall(SYS_chdir, p), e);                                 \
		ERR(syscall(SYS_chroot, p), e);                                \
		ERR(syscall(SYS_mount, "tmpfs", p, "tmpfs", 0, NULL), e);      \
		ERR(syscall(SYS_umount2, p, 0), e);                            \
	} while (0)

static void check_paths(void)
{
	char name[NAME_MAX + 2];

	put_file("f", "0123456789");
	section("EFAULT for a bad path, in every path call");
	PATH_CALLS(BADPTR, EFAULT);
	section("ENOENT for an empty path, in every path call");
	PATH_CALLS("", ENOENT);
	section("ENOENT through a missing directory, in every path call");
	PATH_CALLS("missing/x", ENOENT);
	section("ENOTDIR through a file, in every path call");
	PATH_CALLS("f/x", ENOTDIR);
	section("ENAMETOOLONG for a name past NAME_MAX, in every path call");
	memset(name, 'n', NAME_MAX + 1);
	name[NAME_MAX + 1] = 0;
	PATH_CALLS(name, ENAMETOOLONG);
}

/* each call on a descriptor @fd; the error @e expected from all */
#define FD_CALLS(fd, e)                                                        \
	do {                                                                  \
		struct stat st_;                                              \
		struct statfs sf_;                                            \
		struct statx sx_;                                             \
		char b_[64];                                                  \
		struct iovec iov_ = { b_, 1 };                                \
		struct flock fl_ = { .l_type = F_RDLCK };                     \
		int n_;                                                       \
		ERR(syscall(SYS_read, fd, b_, 1), e);                          \
		ERR(syscall(SYS_write, fd, b_, 1), e);                         \
		ERR(syscall(SYS_pread64, fd, b_, 1, 0), e);                    \
		ERR(syscall(SYS_pwrite64, fd, b_, 1, 0), e);                   \
		ERR(syscall(SYS_readv, fd, &iov_, 1), e);                      \
		ERR(syscall(SYS_writev, fd, &iov_, 1), e);                     \
		ERR(syscall(SYS_preadv, fd, &iov_, 1, 0, 0), e);               \
		ERR(syscall(SYS_pwritev, fd, &iov_, 1, 0, 0), e);              \
		ERR(syscall(SYS_lseek, fd, 0, SEEK_SET), e);                   \
		ERR(syscall(SYS_fstat, fd, &st_), e);                          \
		ERR(syscall(SYS_newfstatat, fd, "", &st_, AT_EMPTY_PATH), e);  \
		ERR(syscall(SYS_newfstatat, fd, "x", &st_, 0), e);             \
		ERR(syscall(SYS_statx, fd, "x", 0, STATX_BASIC_STATS, &sx_),   \
		    e);                                                        \
		ERR(syscall(SYS_fstatfs, fd, &sf_), e);                        \
		ERR(syscall(SYS_getdents64, fd, b_, sizeof(b_)), e);           \
		ERR(syscall(SYS_fcntl, fd, F_GETFD), e);                       \
		ERR(syscall(SYS_fcntl, fd, F_GETFL), e);                       \
		ERR(syscall(SYS_fcntl, fd, F_DUPFD, 0), e);                    \
		ERR(syscall(SYS_fcntl, fd, F_GETLK, &fl_), e);                 \
		ERR(syscall(SYS_flock, fd, LOCK_SH), e);                       \
		ERR(syscall(SYS_dup, fd), e);                                  \
		ERR(syscall(SYS_dup2, fd, 50), e);                             \
		ERR(syscall(SYS_dup3, fd, 50, 0), e);                          \
		ERR(syscall(SYS_ioctl, fd, FIONREAD, &n_), e);                 \
		ERR(syscall(SYS_ioctl, fd, FIOCLEX), e);                       \
		ERR(syscall(SYS_fchdir, fd), e);                               \
		ERR(syscall(SYS_fchmod, fd, 0644), e);                         \
		ERR(syscall(SYS_fchown, fd, 0, 0), e);                         \
		ERR(syscall(SYS_ftruncate, fd, 0), e);                         \
		ERR(syscall(SYS_fallocate, fd, 0, 0, 1), e);                   \
		ERR(syscall(SYS_fsync, fd), e);                                \
		ERR(syscall(SYS_fdatasync, fd), e);                            \
		ERR(syscall(SYS_syncfs, fd), e);                               \
		ERR(syscall(SYS_sendfile, fd, 0, NULL, 1), e);                 \
		ERR(syscall(SYS_sendfile, 1, fd, NULL, 1), e);                 \
		ERR(syscall(SYS_utimensat, fd, NULL, NULL, 0), e);             \
		ERR(syscall(SYS_openat, fd, "x", O_RDONLY), e);                \
		ERR(syscall(SYS_mkdirat, fd, "x", 0755), e);                   \
		ERR(syscall(SYS_mknodat, fd, "x", S_IFIFO | 0644, 0), e);      \
		ERR(syscall(SYS_unlinkat, fd, "x", 0), e);                     \
		ERR(syscall(SYS_renameat, fd, "x", AT_FDCWD, "y"), e);         \
		ERR(syscall(SYS_renameat, AT_FDCWD, "f", fd, "y"), e);         \
		ERR(syscall(SYS_linkat, fd, "x", AT_FDCWD, "y", 0), e);        \
		ERR(syscall(SYS_linkat, AT_FDCWD, "f", fd, "y", 0), e);        \
		ERR(syscall(SYS_symlinkat, "x", fd, "y"), e);                  \
		ERR(syscall(SYS_readlinkat, fd, "x", b_, sizeof(b_)), e);      \
		ERR(syscall(SYS_fchmodat, fd, "x", 0644), e);                  \
		ERR(syscall(SYS_fchownat, fd, "x", 0, 0, 0), e);               \
		ERR(syscall(SYS_faccessat, fd, "x", F_OK), e);                 \
		ERR(syscall(SYS_faccessat2, fd, "x", F_OK, 0), e);             \
		ERR(syscall(SYS_utimensat, fd, "x", NULL, 0), e);              \
		ERR(syscall(SYS_close, fd), e);                                \
	} while (0)

static void check_fds(void)
{
	int fd;

	section("EBADF for -1, in every call on a descriptor");
	FD_CALLS(-1, EBADF);
	section("EBADF for a closed descriptor");
	fd = OK(open("f", O_RDONLY));
	OK(close(fd));
	FD_CALLS(fd, EBADF);
	section("EBADF for a number past the table");
	FD_CALLS(INT_MAX, EBADF);
}

static void check_rights(void)
{
	struct iovec iov = { "x", 1 };
	char buf[8];
	int fd;

	section("a read-only file cannot be written");
	fd = OK(open("f", O_RDONLY));
	ERR(write(fd, "x", 1), EBADF);
	ERR(pwrite(fd, "x", 1, 0), EBADF);
	ERR(writev(fd, &iov, 1), EBADF);
	ERR(pwritev(fd, &iov, 1, 0), EBADF);
	ERR(ftruncate(fd, 0), EINVAL);
	ERR(fallocate(fd, 0, 0, 100), EBADF);
	ERR(sendfile(fd, fd, NULL, 1), EBADF);
	/* an empty write is refused as well */
	ERR(write(fd, "x", 0), EBADF);
	OK(close(fd));
	FILE_IS("f", "0123456789");

	section("a write-only file cannot be read");
	fd = OK(open("f", O_WRONLY));
	ERR(read(fd, buf, 1), EBADF);
	ERR(pread(fd, buf, 1, 0), EBADF);
	iov = (struct iovec){ buf, 1 };
	ERR(readv(fd, &iov, 1), EBADF);
	ERR(preadv(fd, &iov, 1, 0), EBADF);
	ERR(read(fd, buf, 0), EBADF);
	ERR(sendfile(1, fd, NULL, 1), EBADF);
	OK(close(fd));

	section("O_PATH: no I/O, but stat and fchdir");
	fd = OK(open("f", O_PATH));
	ERR(read(fd, buf, 1), EBADF);
	ERR(write(fd, "x", 1), EBADF);
	ERR(syscall(SYS_fchmod, fd, 0644), EBADF);
	ERR(syscall(SYS_fchown, fd, 0, 0), EBADF);
	ERR(ftruncate(fd, 0), EBADF);
	ERR(ioctl(fd, FIONREAD, buf), EBADF);
	ERR(flock(fd, LOCK_SH), EBADF);
	{
		struct stat st;

		OK(syscall(SYS_fstat, fd, &st));
		EQ(st.st_size, 10);
	}
	EQ(fcntl(fd, F_GETFL), O_PATH);
	OK(close(fd));
}

/* a copy of this program in /tmp */
static void copy_self(const char *to)
{
	char buf[4096];
	int in = OK(open(SELF, O_RDONLY));
	int out = OK(open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755));
	long n;

	while ((n = OK(read(in, buf, sizeof(buf)))) > 0)
		EQ(write(out, buf, n), n);
	OK(close(in));
	OK(close(out));
}

static int exec_status(const char *path)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = OK(fork());
	if (pid == 0) {
		char *argv[] = { (char *)path, "exit", NULL };

		execv(path, argv);
		_exit(errno == ETXTBSY ? 50 : 51);
	}
	EQ(waitpid(pid, &status, 0), pid);
	TRUE(WIFEXITED(status), "status %#x", status);
	return WEXITSTATUS(status);
}

static void check_txtbsy(void)
{
	int fd;

	section("ETXTBSY: a file open for writing cannot be executed");
	copy_self("prog");
	EQ(exec_status("/tmp/prog"), 0);
	fd = OK(open("prog", O_WRONLY));
	EQ(exec_status("/tmp/prog"), 50);
	OK(close(fd));
	EQ(exec_status("/tmp/prog"), 0);

	section("ETXTBSY: the running program cannot be opened for writing");
	ERR(open(SELF, O_WRONLY), ETXTBSY);
	ERR(open(SELF, O_RDWR), ETXTBSY);
	ERR(truncate(SELF, 0), ETXTBSY);
	fd = OK(open(SELF, O_RDONLY));
	OK(close(fd));
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "exit"))
		return 0;
	fs_setup("fs_errno");
	check_paths();
	check_fds();
	check_rights();
	check_txtbsy();
	return fs_done();
}
