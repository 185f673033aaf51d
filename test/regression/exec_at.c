/* execveat(2), and how execve finds a program: paths with ".", ".." and
 * repeated slashes, relative to the working directory (the root),
 * symbolic links (40 at most), AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH,
 * directory descriptors (absolute paths ignore them), bad flags, file
 * types and execute bits, name lengths, and a static PIE.  Each program
 * that runs is /test/exec_target (exit 21 for these arguments) or
 * /test/exec_argv (exit 0 when argv and AT_EXECFN are as expected). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "exec_outcome.h"

/* exec_target's status for argv "x from-exec" and EXEC_MARK=yes */
#define RUNS EXIT(21)
#define CLOSED_FD 100

static char *const target_argv[] = { "x", "from-exec", NULL };
static char *const target_envp[] = { "EXEC_MARK=yes", NULL };
static char *const *volatile bad_pointer = (char *const *)8;

/* execveat in a child: its errno, or how the program ended */
static int run_at(int dirfd, const char *path, char *const argv[],
                  char *const envp[], int flags)
{
    pid_t child;

    fflush(stdout);
    child = fork();
    if (child == 0) {
        syscall(SYS_execveat, dirfd, path, argv, envp, flags);
        exit_with_errno();
    }
    return wait_outcome(child);
}

/* execveat(@dirfd, @path, ..., @flags) of exec_target's arguments */
static void at(int dirfd, const char *path, int flags, int want)
{
    char what[160];

    snprintf(what, sizeof(what), "execveat(%d, \"%.100s\", %#x)", dirfd,
             path, flags);
    check(what, run_at(dirfd, path, target_argv, target_envp, flags), want);
}

static void path(const char *p, int want)
{
    at(AT_FDCWD, p, 0, want);
}

int main(void)
{
    static char long_path[PATH_MAX + 1], long_name[300];
    char *const argv_envp[] = { "ARGC=1", "ARG0=x",
                                "EXECFN=test/exec_argv", NULL };
    char *const argv_x[] = { "x", NULL };

    /* paths */
    path("/test/exec_target", RUNS);
    path("test/exec_target", RUNS);
    path("./test//exec_target", RUNS);
    path("/test/../test/./exec_target", RUNS);
    path("/../../test/exec_target", RUNS);
    path("//test/exec/../exec_target", RUNS);
    path("/test/no-such-program", ERR(ENOENT));
    path("/test/no-such-dir/exec_target", ERR(ENOENT));
    path("/test/exec_target/", ERR(ENOTDIR));
    path("/test/exec_target/x", ERR(ENOTDIR));
    path("/test/exec_target/..", ERR(ENOTDIR));
    /* what is not a regular file with an execute bit */
    path("/test", ERR(EACCES));
    path("/test/", ERR(EACCES));
    path("/", ERR(EACCES));
    path("/test/exec/nonexec_elf", ERR(EACCES));
    path("/test/exec/other_exec", RUNS);
    /* symbolic links */
    path("/test/exec/link_target", RUNS);
    path("/test/exec/link_abs", RUNS);
    path("/test/exec/link_dir/exec_target", RUNS);
    path("/test/exec/link_dir/exec/link_dir/exec_target", RUNS);
    path("/test/exec/link_target/", ERR(ENOTDIR));
    path("/test/exec/link_loop", ERR(ELOOP));
    path("/test/exec/link_dangling", ERR(ENOENT));
    path("/test/exec/l1", RUNS);
    path("/test/exec/l0", ERR(ELOOP));
    /* AT_SYMLINK_NOFOLLOW: only the last component */
    at(AT_FDCWD, "/test/exec_target", AT_SYMLINK_NOFOLLOW, RUNS);
    at(AT_FDCWD, "/test/exec/link_target", AT_SYMLINK_NOFOLLOW, ERR(ELOOP));
    at(AT_FDCWD, "/test/exec/link_dangling", AT_SYMLINK_NOFOLLOW,
       ERR(ELOOP));
    at(AT_FDCWD, "/test/exec/link_dir/exec_target", AT_SYMLINK_NOFOLLOW,
       RUNS);
    at(AT_FDCWD, "/test/exec/no-such", AT_SYMLINK_NOFOLLOW, ERR(ENOENT));
    /* AT_EMPTY_PATH: the working directory is not a program */
    at(AT_FDCWD, "", AT_EMPTY_PATH, ERR(EACCES));
    at(AT_FDCWD, "", 0, ERR(ENOENT));
    at(AT_FDCWD, "/test/exec_target", AT_EMPTY_PATH, RUNS);
    /* directory descriptors: closed, not a directory, ignored */
    at(CLOSED_FD, "test/exec_target", 0, ERR(EBADF));
    at(CLOSED_FD, "", AT_EMPTY_PATH, ERR(EBADF));
    at(-1, "test/exec_target", 0, ERR(EBADF));
    at(CLOSED_FD, "/test/exec_target", 0, RUNS);
    at(1, "test/exec_target", 0, ERR(ENOTDIR));
    at(1, "", AT_EMPTY_PATH, ERR(EACCES));
    /* flags */
    at(AT_FDCWD, "/test/exec_target", 0x1234, ERR(EINVAL));
    at(AT_FDCWD, "/test/exec_target", AT_SYMLINK_FOLLOW, ERR(EINVAL));
    at(AT_FDCWD, "", 0x1234, ERR(EINVAL)); /* 0x1234 has AT_EMPTY_PATH */
    at(AT_FDCWD, "", 0x2, ERR(ENOENT));
    check("execveat with bad flags and argv",
          run_at(AT_FDCWD, "/test/exec_target", bad_pointer, target_envp,
                 0x1234),
          ERR(EFAULT));
    /* name lengths */
    memset(long_path, '/', PATH_MAX);
    path(long_path, ERR(ENAMETOOLONG));
    long_path[PATH_MAX - 1] = '\0';
    path(long_path, ERR(EACCES)); /* the root */
    long_name[0] = '/';
    memset(long_name + 1, 'n', 256);
    path(long_name, ERR(ENAMETOOLONG));
    long_name[256] = '\0';
    path(long_name, ERR(ENOENT));
    /* a static PIE */
    path("/test/exec/pie_target", RUNS);
    /* AT_EXECFN is the name as given */
    check("execveat(AT_FDCWD, \"test/exec_argv\") AT_EXECFN",
          run_at(AT_FDCWD, "test/exec_argv", argv_x, argv_envp, 0),
          EXIT(0));

    if (failures)
        return 1;
    printf("exec_at ok\n");
    return 0;
}
