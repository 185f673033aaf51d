/* execve(2)'s limits on arguments and environment, as Linux has them with
 * the default 8 MiB stack limit: the strings (the file name included) and
 * their pointers (one at least for argv) take at most 2 MiB, one string at
 * most MAX_ARG_STRLEN (128 KiB) bytes with its NUL; beyond, E2BIG and the
 * caller goes on.  At the limit exactly, the program runs and gets
 * everything.  An empty or NULL argv gives the program { "" }. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "exec_outcome.h"

#define LIMIT (2 * 1024 * 1024)
#define STRLEN_MAX (32 * 4096)
#define TARGET "/test/exec_target"

/* A string of @len bytes with its NUL. */
static char *string(size_t len, char c)
{
    char *s = malloc(len);

    if (!s) {
        printf("FAIL: out of memory\n");
        exit(1);
    }
    memset(s, c, len - 1);
    s[len - 1] = '\0';
    return s;
}

/* exec_target's status for @argc arguments and EXEC_MARK=yes */
static int target_status(int argc)
{
    return EXIT((argc * 10 + 1) & 0xff);
}

int main(void)
{
    /* 15 strings of MAX_ARG_STRLEN, 8 short ones (exec_target exits with
     * (26 * 10 + 1) & 0xff: below the statuses that report an errno),
     * and one to fill up to the limit */
    enum { FULL = 15, SHORT = 8, ARGC = 2 + FULL + SHORT + 1 };
    char *envp[] = { "EXEC_MARK=yes", NULL };
    char *argv[ARGC + 1] = { "exec_target", "from-exec" };
    char *const empty_envp[] = { "ARGC=1", "ARG0=", NULL };
    char *const no_args[] = { NULL };
    size_t used, last;
    char **many;

    /* one string: at most MAX_ARG_STRLEN bytes with its NUL */
    argv[2] = string(STRLEN_MAX, 's');
    argv[3] = NULL;
    check("an argument of MAX_ARG_STRLEN bytes", run(TARGET, argv, envp),
          target_status(3));
    argv[2] = string(STRLEN_MAX + 1, 's');
    check("an argument of MAX_ARG_STRLEN + 1 bytes", run(TARGET, argv, envp),
          ERR(E2BIG));
    argv[2] = "x";
    envp[1] = string(STRLEN_MAX + 1, 'e');
    check("an environment string of MAX_ARG_STRLEN + 1 bytes",
          run(TARGET, argv, envp), ERR(E2BIG));
    envp[1] = NULL;

    /* all of them: 2 MiB of strings and pointers, exactly, then one more
     * byte */
    used = sizeof(TARGET) + strlen(envp[0]) + 1 + strlen(argv[0]) + 1 +
           strlen(argv[1]) + 1;
    for (int i = 0; i < FULL; i++) {
        argv[2 + i] = string(STRLEN_MAX, 'a' + i);
        used += STRLEN_MAX;
    }
    for (int i = 0; i < SHORT; i++) {
        argv[2 + FULL + i] = "y";
        used += 2;
    }
    used += (ARGC + 1) * sizeof(char *); /* argv and envp */
    last = LIMIT - used;
    argv[ARGC - 1] = string(last, 'z');
    argv[ARGC] = NULL;
    check("2 MiB of arguments", run(TARGET, argv, envp),
          target_status(ARGC));
    argv[ARGC - 1] = string(last + 1, 'z');
    check("2 MiB + 1 byte of arguments", run(TARGET, argv, envp),
          ERR(E2BIG));

    /* pointers alone: 2 MiB of them is too many */
    many = calloc(LIMIT / sizeof(char *) + 1, sizeof(char *));
    if (!many) {
        printf("FAIL: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < LIMIT / sizeof(char *); i++)
        many[i] = "";
    check("2 MiB of argument pointers", run(TARGET, many, envp), ERR(E2BIG));
    check("2 MiB of environment pointers",
          run(TARGET, (char *[]){ "x", NULL }, many), ERR(E2BIG));

    /* an empty argv becomes { "" } */
    check("NULL argv", run("/test/exec_argv", NULL, empty_envp), EXIT(0));
    check("empty argv", run("/test/exec_argv", no_args, empty_envp),
          EXIT(0));
    /* a NULL environment is an empty one: exec_target alone exits 0 */
    check("NULL envp", run(TARGET, (char *[]){ "x", NULL }, NULL), EXIT(0));

    if (failures)
        return 1;
    printf("exec_limits ok\n");
    return 0;
}
