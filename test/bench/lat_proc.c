/* Process creation, as in LMbench's lat_proc: fork and exit (the parent
 * waits), fork and execve of a program that exits at once (/bench/nop),
 * and fork and execve of "/bin/sh -c /bench/nop".
 *
 *	lat_proc fork|exec|shell */
#include "bench.h"
#include <sys/wait.h>

#define NOP "/bench/nop"

enum kind { FORK, EXEC, SHELL };

static char *const nop_argv[] = { NOP, NULL };
static char *const sh_argv[] = { "/bin/sh", "-c", NOP, NULL };
static char *const envp[] = { "PATH=/bin", NULL };

/* One fork of @kind; the child's exit status, or -1. */
static int once(enum kind kind)
{
    int status;
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (kind == EXEC)
            execve(NOP, nop_argv, envp);
        else if (kind == SHELL)
            execve(sh_argv[0], sh_argv, envp);
        _exit(kind == FORK ? 0 : 127);
    }
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static double run(long n, void *arg)
{
    enum kind kind = *(enum kind *)arg;
    double t = bench_now();

    for (long i = 0; i < n; i++) {
        if (once(kind) != 0)
            return -1;
    }
    return bench_now() - t;
}

int main(int argc, char **argv)
{
    const char *item = bench_item(argc, argv, "fork|exec|shell");
    const char *name;
    enum kind kind;
    int status;

    if (!strcmp(item, "fork")) {
        kind = FORK;
        name = "fork_exit";
    } else if (!strcmp(item, "exec")) {
        kind = EXEC;
        name = "fork_execve";
    } else if (!strcmp(item, "shell")) {
        kind = SHELL;
        name = "fork_sh";
    } else {
        fprintf(stderr, "lat_proc: unknown item %s\n", item);
        return 1;
    }
    status = once(kind);
    if (status) {
        printf("bench %s unsupported child-exit:%d\n", name, status);
        return 2;
    }
    return bench_latency(name, run, &kind);
}
