/* Shared by the fs_* regression programs: a fresh tmpfs on /tmp to work
 * in (as on Linux, whose initramfs root is also a RAM file system), and
 * checks that stop at the first failure with the call, its result and its
 * errno.  Each program prints the group of calls it checks, then
 * "NAME: ok". */
#ifndef REGRESSION_FS_UTIL_H
#define REGRESSION_FS_UTIL_H
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static const char *fs_test_name = "fs";
static pid_t fs_owner;

static const char *errname(int e)
{
	static const struct { int e; const char *n; } t[] = {
		{ 0, "0" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" },
		{ ESRCH, "ESRCH" }, { EINTR, "EINTR" }, { EIO, "EIO" },
		{ ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { ENOEXEC, "ENOEXEC" },
		{ EBADF, "EBADF" }, { ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ EXDEV, "EXDEV" }, { ENODEV, "ENODEV" },
		{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
		{ EINVAL, "EINVAL" }, { ENFILE, "ENFILE" }, { EMFILE, "EMFILE" },
		{ ENOTTY, "ENOTTY" }, { ETXTBSY, "ETXTBSY" }, { EFBIG, "EFBIG" },
		{ ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" }, { EROFS, "EROFS" },
		{ EMLINK, "EMLINK" }, { EPIPE, "EPIPE" }, { ERANGE, "ERANGE" },
		{ EDEADLK, "EDEADLK" }, { ENAMETOOLONG, "ENAMETOOLONG" },
		{ ENOLCK, "ENOLCK" }, { ENOSYS, "ENOSYS" },
		{ ENOTEMPTY, "ENOTEMPTY" }, { ELOOP, "ELOOP" },
		{ EOVERFLOW, "EOVERFLOW" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	};
	static char buf[16];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return t[i].n;
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

static void fs_fail(const char *file, int line, const char *what,
		    long got, int err, const char *want)
{
	const char *base = strrchr(file, '/');

	printf("FAIL %s:%d: %s -> %ld (%s), expected %s\n",
	       base ? base + 1 : file, line, what,
	       got, errname(err), want);
	printf("%s: FAILED\n", fs_test_name);
	fflush(stdout);
	exit(1);
}

/* the call succeeds (does not return -1); its value */
#define OK(expr)                                                              \
	({                                                                    \
		errno = 0;                                                    \
		long ok_r_ = (long)(expr);                                    \
		if (ok_r_ == -1)                                              \
			fs_fail(__FILE__, __LINE__, #expr, ok_r_, errno,      \
				"success");                                   \
		ok_r_;                                                        \
	})

/* the call fails with errno @e */
#define ERR(expr, e)                                                          \
	do {                                                                  \
		errno = 0;                                                    \
		long err_r_ = (long)(expr);                                   \
		int err_e_ = errno;                                           \
		if (err_r_ != -1 || err_e_ != (e))                            \
			fs_fail(__FILE__, __LINE__, #expr, err_r_, err_e_,    \
				"-1 " #e);                                    \
	} while (0)

/* the value of @expr is @want */
#define EQ(expr, want)                                                        \
	do {                                                                  \
		errno = 0;                                                    \
		long eq_r_ = (long)(expr);                                    \
		long eq_w_ = (long)(want);                                    \
		if (eq_r_ != eq_w_) {                                         \
			char eq_b_[32];                                       \
			snprintf(eq_b_, sizeof(eq_b_), "%ld", eq_w_);         \
			fs_fail(__FILE__, __LINE__, #expr, eq_r_, errno,      \
				eq_b_);                                       \
		}                                                             \
	} while (0)

/* a condition that must hold */
#define TRUE(cond, ...)                                                       \
	do {                                                                  \
		if (!(cond)) {                                                \
			printf("FAIL line %d: %s: ", __LINE__, #cond);        \
			printf(__VA_ARGS__);                                  \
			printf("\n%s: FAILED\n", fs_test_name);               \
			fflush(stdout);                                       \
			exit(1);                                              \
		}                                                             \
	} while (0)

/* the memory at @p is the string @s (without its NUL) */
#define SAME(p, s, n)                                                         \
	TRUE(memcmp((p), (s), (n)) == 0, "got \"%.*s\"", (int)(n),            \
	     (const char *)(p))

static inline void section(const char *what)
{
	printf("%s: %s\n", fs_test_name, what);
	fflush(stdout);
}

static void fs_cleanup(void)
{
	/* on Linux, the harness reads the output back from /tmp: uncover it
	 * (in the process that mounted it, not in a failing child) */
	if (getpid() == fs_owner && chdir("/") == 0)
		umount2("/tmp", MNT_DETACH);
}

/* a fresh tmpfs on /tmp, the working directory; not sticky, so that
 * Debian's protected_symlinks does not apply in it */
static void fs_setup(const char *name)
{
	fs_test_name = name;
	fs_owner = getpid();
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	mkdir("/tmp", 0777);
	OK(mount("tmpfs", "/tmp", "tmpfs", 0, NULL));
	atexit(fs_cleanup);
	OK(chmod("/tmp", 0777));
	OK(chdir("/tmp"));
}

static int fs_done(void)
{
	printf("%s: ok\n", fs_test_name);
	return 0;
}

/* a file @path with the bytes @s */
static inline void put_file(const char *path, const char *s)
{
	int fd = OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));

	EQ(write(fd, s, strlen(s)), strlen(s));
	OK(close(fd));
}

/* the content of @path must be @s */
#define FILE_IS(path, s)                                                      \
	do {                                                                  \
		char fi_b_[256];                                              \
		int fi_fd_ = OK(open((path), O_RDONLY));                      \
		long fi_n_ = OK(read(fi_fd_, fi_b_, sizeof(fi_b_)));          \
		OK(close(fi_fd_));                                            \
		TRUE(fi_n_ == (long)strlen(s) && !memcmp(fi_b_, s, fi_n_),    \
		     "%s holds \"%.*s\"", (path), (int)fi_n_, fi_b_);         \
	} while (0)

/* run @fn in a child process (e.g. as another user); its exit status must
 * be 0 */
static inline void in_child(void (*fn)(void))
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = OK(fork());
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	EQ(waitpid(pid, &status, 0), pid);
	TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	     "child status %#x", status);
}

/* in a child: become the unprivileged user @uid (group @uid too) */
static inline void child_setuid(uid_t uid)
{
	if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)) {
		printf("FAIL: setresuid(%d)\n", (int)uid);
		_exit(1);
	}
}

/* an address that is never mapped */
#define BADPTR ((void *)1)

#endif
