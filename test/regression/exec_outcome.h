/* Shared by the exec regression programs: run a program in a child and
 * describe how that went as one number, so that a test compares it with
 * what Linux gives: ERR(errno) when the exec failed, SIG(n) when the new
 * program was killed, EXIT(n) when it exited. */
#ifndef REGRESSION_EXEC_OUTCOME_H
#define REGRESSION_EXEC_OUTCOME_H
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#define ERR(e) (1000 + (e))
#define EXIT(n) (n)
#define SIG(s) (2000 + (s))

static int failures;

/* In the child after a failed exec: report the errno as the exit code. */
static inline void exit_with_errno(void)
{
    _exit(errno < 256 - 100 ? 100 + errno : 255);
}

/* Wait for @child and turn its end into an outcome (-1: no child). */
static inline int wait_outcome(pid_t child)
{
    int status;

    if (child < 0 || waitpid(child, &status, 0) != child)
        return -1;
    if (WIFSIGNALED(status))
        return SIG(WTERMSIG(status));
    if (WEXITSTATUS(status) >= 100)
        return ERR(WEXITSTATUS(status) - 100);
    return EXIT(WEXITSTATUS(status));
}

/* execve @path in a child: the outcome. */
static inline int run(const char *path, char *const argv[], char *const envp[])
{
    pid_t child;

    fflush(stdout);
    child = fork();
    if (child == 0) {
        execve(path, argv, envp);
        exit_with_errno();
    }
    return wait_outcome(child);
}

static inline void describe(char *buf, size_t len, int o)
{
    if (o >= 2000)
        snprintf(buf, len, "signal %d", o - 2000);
    else if (o >= 1000)
        snprintf(buf, len, "errno %d (%s)", o - 1000, strerror(o - 1000));
    else
        snprintf(buf, len, "exit %d", o);
}

/* Compare an outcome with Linux's; print it, and count a difference. */
static inline void check(const char *what, int got, int want)
{
    char g[48], w[48];

    describe(g, sizeof(g), got);
    describe(w, sizeof(w), want);
    if (got != want) {
        printf("FAIL: %s: %s, expected %s\n", what, g, w);
        failures++;
    } else {
        printf("%s: %s\n", what, g);
    }
}
#endif
