// also-glibc
/* fork(2) and wait4(2): the child gets 0 and its own pid, the parent gets
 * the child's pid; exit statuses and WNOHANG come back as on Linux; memory
 * is copied, not shared (copy-on-write). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

static int failures;
static int shared_counter = 100;

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
    pid_t parent = getpid();
    char *heap = malloc(64 * 1024);
    int status;
    pid_t child, got;

    memset(heap, 'p', 64 * 1024);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        if (getppid() != parent || getpid() == parent)
            _exit(10);
        if (heap[0] != 'p' || heap[64 * 1024 - 1] != 'p' || shared_counter != 100)
            _exit(11);
        memset(heap, 'c', 64 * 1024);
        shared_counter = 7;
        _exit(42);
    }
    CHECK(child > 0, "fork returned %d errno %d", child, errno);
    got = waitpid(child, &status, 0);
    CHECK(got == child, "waitpid returned %d, expected %d", got, child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42,
          "child status %#x, expected exit 42", status);
    CHECK(heap[0] == 'p' && heap[64 * 1024 - 1] == 'p' && shared_counter == 100,
          "the child's writes reached the parent");

    /* no children left */
    errno = 0;
    got = wait(&status);
    CHECK(got == -1 && errno == ECHILD, "wait with no children: %d errno %d", got, errno);

    /* WNOHANG on a running child, then kill it */
    child = fork();
    if (child == 0) {
        for (;;)
            sched_yield();
    }
    got = waitpid(child, &status, WNOHANG);
    CHECK(got == 0, "WNOHANG on a running child returned %d", got);
    CHECK(kill(child, 0) == 0, "kill(child, 0) errno %d", errno);
    CHECK(kill(child, SIGKILL) == 0, "kill(child, SIGKILL) errno %d", errno);
    got = waitpid(-1, &status, 0);
    CHECK(got == child, "waitpid(-1) returned %d, expected %d", got, child);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
          "status %#x, expected killed by SIGKILL", status);
    errno = 0;
    CHECK(kill(child, 0) == -1 && errno == ESRCH, "kill of a reaped child: errno %d", errno);

    /* a child that faults is killed by SIGSEGV */
    child = fork();
    if (child == 0) {
        *(volatile int *)0 = 1;
        _exit(1);
    }
    got = waitpid(child, &status, 0);
    CHECK(got == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
          "faulting child: %d status %#x, expected killed by SIGSEGV", got, status);

    /* many children, reaped in any order */
    for (int i = 0; i < 8; i++) {
        child = fork();
        if (child == 0)
            _exit(i);
    }
    int seen = 0;
    for (int i = 0; i < 8; i++) {
        got = wait(&status);
        CHECK(got > 0 && WIFEXITED(status), "wait %d: %d status %#x", i, got, status);
        if (got > 0 && WIFEXITED(status))
            seen |= 1 << WEXITSTATUS(status);
    }
    CHECK(seen == 0xff, "exit codes seen %#x", seen);

    if (failures)
        return 1;
    printf("fork_wait ok\n");
    return 0;
}
