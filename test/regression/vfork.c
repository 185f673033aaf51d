/* vfork: the parent is suspended until the child exits or execs, and the
 * child runs in the parent's memory (as on Linux). */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
#include <sys/wait.h>
#include "check.h"

static volatile int written_by_child;

int main(void)
{
    int status;
    pid_t child, got;
    char *argv[] = { "exec_target", "from-exec", "x", NULL };
    char *envp[] = { "EXEC_MARK=yes", NULL };

    child = vfork();
    if (child == 0) {
        written_by_child = 77; /* the parent's memory: Linux shows it */
        _exit(4);
    }
    /* the child has exited before vfork returned here */
    CHECK(written_by_child == 77, "the child's write is not visible: %d", written_by_child);
    got = waitpid(child, &status, 0);
    CHECK(got == child && WIFEXITED(status) && WEXITSTATUS(status) == 4,
          "vfork child: got %d status %#x", got, status);

    child = vfork();
    if (child == 0) {
        execve("/test/exec_target", argv, envp);
        _exit(127);
    }
    got = waitpid(child, &status, 0);
    CHECK(got == child && WEXITSTATUS(status) == 31, "vfork+exec: status %#x", status);

    return check_result("vfork");
}
