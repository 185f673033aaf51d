/* Prints its arguments and environment, one per line ("argv[N]=..." and
 * "envp: ..."), so that the runner can compare what Trellis and Linux pass
 * to PID 1 from the same kernel command line. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv, char **envp)
{
    if (argc < 1 || !argv[0] || argv[argc] != NULL) {
        printf("FAIL: malformed argv\n");
        return 1;
    }
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    for (char **e = envp; *e; e++)
        printf("envp: %s\n", *e);
    return 0;
}
