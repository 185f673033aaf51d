/* execve(2): a child replaces its program with /test/exec_target, which
 * reports through its exit status what it received; bad paths and
 * pointers fail with ENOENT and EFAULT and leave the caller running. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int failures;

#define CHECK(cond, ...)                                                       \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("FAIL: " __VA_ARGS__);                                  \
            printf("\n");                                                  \
            failures++;                                                    \
        }                                                                  \
    } while (0)

int main(void)
{
    char *argv[] = { "exec_target", "from-exec", "two", "three", NULL };
    char *envp[] = { "EXEC_MARK=yes", NULL };
    int status;
    long r;
    pid_t child;

    errno = 0;
    r = execve("/test/no-such-program", argv, envp);
    CHECK(r == -1 && errno == ENOENT, "missing program: %ld errno %d", r, errno);
    errno = 0;
    r = syscall(SYS_execve, (char *)1, argv, envp);
    CHECK(r == -1 && errno == EFAULT, "bad path pointer: %ld errno %d", r, errno);
    errno = 0;
    r = syscall(SYS_execve, "/test/exec_target", (char **)1, envp);
    CHECK(r == -1 && errno == EFAULT, "bad argv pointer: %ld errno %d", r, errno);

    fflush(stdout);
    child = fork();
    if (child == 0) {
        execve("/test/exec_target", argv, envp);
        _exit(99);
    }
    CHECK(waitpid(child, &status, 0) == child, "waitpid");
    /* exec_target exits with argc * 10 + 1 when it sees EXEC_MARK=yes */
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 41,
          "exec'd child status %#x, expected exit 41", status);

    if (failures)
        return 1;
    printf("execve ok\n");
    return 0;
}
