/* The program execve.c runs: with "from-exec" as its first argument it
 * exits with argc * 10 + (1 if EXEC_MARK=yes is in its environment), so
 * the caller can check what execve passed.  Alone it exits with 0. */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *mark = getenv("EXEC_MARK");

    if (argc < 2 || strcmp(argv[1], "from-exec"))
        return 0;
    return argc * 10 + (mark && !strcmp(mark, "yes"));
}
