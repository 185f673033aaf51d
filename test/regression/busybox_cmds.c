/* Debian's static busybox (/bin/busybox) run with fork and execve: its
 * applets' exit statuses, and busybox sh running commands, subshells,
 * loops and arithmetic. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#define BUSYBOX "/bin/busybox"

static int failures;

/* busybox with @argv (argv[0] included); its wait status, or -1 */
static int run(char *const argv[])
{
    char *const envp[] = { "PATH=/bin", NULL };
    int status;
    pid_t child;

    fflush(stdout);
    child = fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        execve(BUSYBOX, argv, envp);
        _exit(127);
    }
    if (waitpid(child, &status, 0) != child)
        return -1;
    return status;
}

static void expect_exit(const char *what, char *const argv[], int want)
{
    int status = run(argv);

    if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != want) {
        printf("FAIL: %s: wait status %#x, expected exit %d\n", what, status,
               want);
        failures++;
    } else {
        printf("%s: exit %d\n", what, want);
    }
}

#define SH(script, want)                                                       \
    expect_exit("sh -c '" script "'",                                      \
                (char *const[]){ "sh", "-c", script, NULL }, want)

int main(void)
{
    expect_exit("busybox true", (char *const[]){ "busybox", "true", NULL },
                0);
    expect_exit("busybox false", (char *const[]){ "busybox", "false", NULL },
                1);
    expect_exit("busybox echo hi",
                (char *const[]){ "busybox", "echo", "hi", NULL }, 0);
    expect_exit("true (argv[0] names the applet)",
                (char *const[]){ "true", NULL }, 0);
    expect_exit("busybox no-such-applet",
                (char *const[]){ "busybox", "no-such-applet", NULL }, 127);
    SH("exit 3", 3);
    SH("true", 0);
    SH("false", 1);
    SH("n=0; for i in 1 2 3; do (exit $i) || n=$((n+$?)); done; exit $n", 6);
    SH("x=$((6 * 7)); [ $x -eq 42 ] && exit 5; exit 1", 5);
    SH("f() { return 9; }; f; exit $?", 9);
    SH("(exit 4); exit $?", 4);
    SH("i=0; while [ $i -lt 10 ]; do i=$((i + 1)); done; exit $i", 10);
    SH("case abc in a*) exit 11;; *) exit 1;; esac", 11);
    SH("echo hi; exit 2", 2);
    SH("! true; exit $?", 1);
    SH("exec /test/exec_target from-exec two", 30);
    SH("/test/exec_target from-exec; exit $?", 20);
    /* a script run by its "#!/bin/busybox sh" line: ash opens and reads
     * the file (openat, read, fcntl F_DUPFD, close) */
    SH("/test/exec/sh_exit7; exit $?", 7);
    /* redirections: openat, dup2, fcntl, close */
    SH("echo hi > /dev/null; exit 4", 4);
    /* cd: chdir, getcwd */
    SH("cd /test && [ \"$PWD\" = /test ] && exit 12", 12);
    /* a background job: rt_sigprocmask, rt_sigsuspend (the shell waits
     * for SIGCHLD), rt_sigaction and the delivery of SIGCHLD to its
     * handler (rt_sigreturn), openat of /dev/null */
    SH("true & wait $!; exit 14", 14);
    /* trap: rt_sigaction, a signal delivered to a handler, rt_sigreturn */
    SH("trap \"exit 8\" USR1; kill -USR1 $$; exit 1", 8);
#if 0
    /*
     * These pass on Linux, not yet on Trellis.  What blocks each:
     */
    /* the read builtin polls its input first (poll) */
    SH("read x < /test/exec/s_arg; [ \"$x\" = \"#!/test/exec_argv one\" ] "
       "&& exit 13", 13);
    /* command substitution and pipelines: pipe2, pipe, poll */
    SH("x=$(echo 5); exit $x", 5);
    SH("echo hi | { read x; [ \"$x\" = hi ] && exit 6; }; exit $?", 6);
#endif

    if (failures)
        return 1;
    printf("busybox_cmds ok\n");
    return 0;
}
