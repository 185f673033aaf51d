/* The fd table and the file system context of a process: O_CLOEXEC and
 * FD_CLOEXEC across execve (the program runs itself again to look), the
 * table shared by clone(CLONE_FILES) and copied by fork (with the open
 * files and their offsets shared), cwd and umask shared by CLONE_FS, and
 * RLIMIT_NOFILE (EMFILE, EBADF, EINVAL). */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "fs_util.h"

#define SELF "/test/fs_fdtable"

/* after execve: @closed must be closed, @kept open at offset 3 of "f" */
static int after_exec(int closed, int kept, int kept_dup)
{
	char c;

	fs_test_name = "fs_fdtable (exec'd)";
	ERR(fcntl(closed, F_GETFD), EBADF);
	EQ(fcntl(kept, F_GETFD), 0);
	EQ(fcntl(kept_dup, F_GETFD), 0);
	EQ(lseek(kept, 0, SEEK_CUR), 3);
	EQ(read(kept, &c, 1), 1);
	EQ(c, '3');
	EQ(lseek(kept_dup, 0, SEEK_CUR), 4);
	return 0;
}

static void check_exec(void)
{
	int closed, kept, dup_of_closed, status;
	char a[3][16];
	pid_t pid;

	section("execve closes O_CLOEXEC and FD_CLOEXEC descriptors only");
	put_file("f", "0123456789");
	closed = OK(open("f", O_RDONLY | O_CLOEXEC));
	kept = OK(open("f", O_RDONLY));
	EQ(lseek(kept, 3, SEEK_SET), 3);
	/* a duplicate does not inherit FD_CLOEXEC */
	dup_of_closed = OK(dup(kept));
	OK(fcntl(dup_of_closed, F_SETFD, FD_CLOEXEC));
	OK(fcntl(dup_of_closed, F_SETFD, 0));
	snprintf(a[0], sizeof(a[0]), "%d", closed);
	snprintf(a[1], sizeof(a[1]), "%d", kept);
	snprintf(a[2], sizeof(a[2]), "%d", dup_of_closed);
	fflush(stdout);
	pid = OK(fork());
	if (pid == 0) {
		char *argv[] = { SELF, "exec", a[0], a[1], a[2], NULL };

		execv(SELF, argv);
		printf("FAIL: execv %s: %s\n", SELF, errname(errno));
		_exit(127);
	}
	EQ(waitpid(pid, &status, 0), pid);
	TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	     "exec'd program status %#x", status);
	/* the child moved the shared offset */
	EQ(lseek(kept, 0, SEEK_CUR), 4);
	OK(close(closed));
	OK(close(kept));
	OK(close(dup_of_closed));
}

static int opened_fd = -1;
static int to_close = -1;

static int clone_child(void *arg)
{
	(void)arg;
	opened_fd = open("f", O_RDONLY);
	if (opened_fd < 0 || close(to_close))
		return 100;
	return opened_fd;
}

static char stack[64 * 1024] __attribute__((aligned(16)));

static int run_clone(int flags)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = OK(clone(clone_child, stack + sizeof(stack), flags | SIGCHLD,
		       NULL));
	EQ(waitpid(pid, &status, 0), pid);
	TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 100,
	     "clone child status %#x", status);
	return WEXITSTATUS(status);
}

static void check_clone_files(void)
{
	int fd, status;
	pid_t pid;
	char c;

	section("clone(CLONE_FILES): one table, opens and closes are shared");
	to_close = OK(open("f", O_RDONLY));
	fd = run_clone(CLONE_FILES);
	EQ(fcntl(fd, F_GETFD), 0);
	EQ(read(fd, &c, 1), 1);
	EQ(c, '0');
	ERR(fcntl(to_close, F_GETFD), EBADF);
	OK(close(fd));

	section("fork and clone without CLONE_FILES: a copy of the table");
	to_close = OK(open("f", O_RDONLY));
	fd = run_clone(0);
	EQ(fd, to_close + 1);
	ERR(fcntl(fd, F_GETFD), EBADF);
	EQ(fcntl(to_close, F_GETFD), 0);
	/* the open file itself is shared: its offset moves for both */
	fflush(stdout);
	pid = OK(fork());
	if (pid == 0) {
		if (lseek(to_close, 6, SEEK_SET) != 6 || close(to_close))
			_exit(1);
		if (open("f", O_RDONLY) != to_close)
			_exit(2);
		_exit(0);
	}
	EQ(waitpid(pid, &status, 0), pid);
	EQ(status, 0);
	EQ(lseek(to_close, 0, SEEK_CUR), 6);
	OK(close(to_close));
}

static int fs_child(void *arg)
{
	(void)arg;
	if (chdir("sub"))
		return 1;
	umask(077);
	return 0;
}

static void check_clone_fs(void)
{
	char buf[PATH_MAX];
	int status;
	pid_t pid;

	section("clone(CLONE_FS): the working directory and umask are shared");
	OK(mkdir("sub", 0755));
	umask(022);
	fflush(stdout);
	pid = OK(clone(fs_child, stack + sizeof(stack), CLONE_FS | SIGCHLD,
		       NULL));
	EQ(waitpid(pid, &status, 0), pid);
	EQ(status, 0);
	EQ(getcwd(buf, sizeof(buf)), buf);
	TRUE(!strcmp(buf, "/tmp/sub"), "cwd %s", buf);
	EQ(umask(022), 077);
	OK(chdir("/tmp"));

	section("without CLONE_FS: a copy");
	pid = OK(clone(fs_child, stack + sizeof(stack), SIGCHLD, NULL));
	EQ(waitpid(pid, &status, 0), pid);
	EQ(status, 0);
	EQ(getcwd(buf, sizeof(buf)), buf);
	TRUE(!strcmp(buf, "/tmp"), "cwd %s", buf);
	EQ(umask(022), 022);
}

static void limited(void)
{
	struct rlimit rl = { 8, 8 };
	int fds[16], n = 0, fd;

	section("RLIMIT_NOFILE: EMFILE past the limit");
	/* close what the runner left open above 2 */
	OK(syscall(SYS_close_range, 3, ~0U, 0));
	OK(setrlimit(RLIMIT_NOFILE, &rl));
	while (n < 16) {
		fd = open("f", O_RDONLY);
		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	EQ(n, 5);
	EQ(fds[4], 7);
	ERR(open("f", O_RDONLY), EMFILE);
	ERR(dup(0), EMFILE);
	ERR(fcntl(0, F_DUPFD, 0), EMFILE);
	ERR(fcntl(0, F_DUPFD, 8), EINVAL);
	ERR(dup2(0, 8), EBADF);
	EQ(dup2(0, 7), 7);
	ERR(openat(AT_FDCWD, "f", O_RDONLY | O_CLOEXEC), EMFILE);
	ERR(memfd_create("m", 0), EMFILE);
	OK(close(fds[2]));
	EQ(open("f", O_RDONLY), fds[2]);

	section("RLIMIT_NOFILE below open descriptors: they stay usable");
	rl.rlim_cur = 4;
	OK(setrlimit(RLIMIT_NOFILE, &rl));
	EQ(fcntl(7, F_GETFD), 0);
	OK(close(7));
	ERR(open("f", O_RDONLY), EMFILE);
	ERR(dup2(0, 5), EBADF);
	OK(close(3));
	EQ(open("f", O_RDONLY), 3);
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "exec"))
		return after_exec(atoi(argv[2]), atoi(argv[3]),
				  atoi(argv[4]));
	fs_setup("fs_fdtable");
	check_exec();
	check_clone_files();
	check_clone_fs();
	in_child(limited);
	return fs_done();
}
