/* busybox sh runs test/busybox/files.sh (installed as
 * /test/busybox/files.sh) in a fresh tmpfs, with every applet linked in
 * /tmp/bin; its output (stdout and stderr) must be exactly
 * test/busybox/files.out, the output of the same run on Linux.  On a
 * difference, the first differing line and the whole output are
 * printed. */
#define _GNU_SOURCE
#include "fs_util.h"

#define BUSYBOX "/bin/busybox"
#define SCRIPT "/test/busybox/files.sh"
#define EXPECTED "/test/busybox/files.out"

/* run busybox with @argv, its output into @out; the wait status */
static int run(char *const argv[], const char *out)
{
	char *const envp[] = { "PATH=/tmp/bin:/bin", "HOME=/tmp/work",
			       "LC_ALL=C", NULL };
	int status, fd;
	pid_t pid;

	fflush(stdout);
	pid = OK(fork());
	if (pid == 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) != 1 || dup2(fd, 2) != 2)
			_exit(126);
		close(fd);
		execve(BUSYBOX, argv, envp);
		_exit(127);
	}
	EQ(waitpid(pid, &status, 0), pid);
	return status;
}

/* the whole file @path, NUL-terminated (malloc'd) */
static char *slurp(const char *path, long *len)
{
	int fd = OK(open(path, O_RDONLY));
	long size = OK(lseek(fd, 0, SEEK_END)), n;
	char *buf = malloc(size + 1);

	TRUE(buf != NULL, "malloc");
	n = OK(pread(fd, buf, size, 0));
	EQ(n, size);
	buf[n] = 0;
	OK(close(fd));
	*len = n;
	return buf;
}

/* every applet busybox lists, as a link in /tmp/bin */
static void link_applets(void)
{
	char *list, *name, *save = NULL, path[128];
	long len;

	OK(mkdir("/tmp/bin", 0755));
	EQ(run((char *const[]){ "busybox", "--list", NULL }, "/tmp/list"), 0);
	list = slurp("/tmp/list", &len);
	for (name = strtok_r(list, "\n", &save); name;
	     name = strtok_r(NULL, "\n", &save)) {
		snprintf(path, sizeof(path), "/tmp/bin/%s", name);
		OK(symlink(BUSYBOX, path));
	}
	free(list);
}

int main(void)
{
	char *got, *want;
	long got_len, want_len, line = 1;
	int status;

	fs_setup("busybox_files");
	link_applets();
	OK(mkdir("/tmp/work", 0755));
	section("busybox sh " SCRIPT);
	status = run((char *const[]){ "sh", SCRIPT, NULL }, "/tmp/out");
	got = slurp("/tmp/out", &got_len);
	want = slurp(EXPECTED, &want_len);
	for (long i = 0; i < got_len && i < want_len && got[i] == want[i];
	     i++)
		if (got[i] == '\n')
			line++;
	if (got_len != want_len || memcmp(got, want, got_len)) {
		printf("FAIL: the output differs from Linux's at line %ld; "
		       "the output was:\n%s", line, got);
		printf("busybox_files: FAILED\n");
		return 1;
	}
	TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	     "busybox sh status %#x", status);
	printf("busybox_files: %ld lines as on Linux\n", line - 1);
	return fs_done();
}
