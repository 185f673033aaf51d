/* The program the exec tests run to check what execve built: the
 * environment says what to expect (ARGC=N, ARG0=..., ARG<N-1>=..., and
 * optionally EXECFN=..., the AT_EXECFN string); it exits 0 when argv and
 * AT_EXECFN match, 1 (after printing the difference) when not.  Run alone
 * (no ARGC), it checks that AT_EXECFN names the program it was started as. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

int main(int argc, char **argv)
{
    const char *want_argc = getenv("ARGC"), *want_execfn = getenv("EXECFN");
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    int bad = 0;

    if (!want_argc) {
        if (!execfn || strcmp(execfn, argv[0])) {
            printf("FAIL: AT_EXECFN \"%s\", argv[0] \"%s\"\n",
                   execfn ? execfn : "(none)", argv[0]);
            return 1;
        }
        printf("exec_argv ok\n");
        return 0;
    }
    if (atoi(want_argc) != argc) {
        printf("exec_argv: argc %d, expected %s\n", argc, want_argc);
        bad = 1;
    }
    for (int i = 0; i < argc; i++) {
        char name[16];
        const char *want;

        snprintf(name, sizeof(name), "ARG%d", i);
        want = getenv(name);
        if (!want || strcmp(want, argv[i])) {
            printf("exec_argv: argv[%d] \"%s\", expected \"%s\"\n", i,
                   argv[i], want ? want : "(none)");
            bad = 1;
        }
    }
    if (want_execfn && (!execfn || strcmp(execfn, want_execfn))) {
        printf("exec_argv: AT_EXECFN \"%s\", expected \"%s\"\n",
               execfn ? execfn : "(none)", want_execfn);
        bad = 1;
    }
    fflush(stdout);
    return bad;
}
