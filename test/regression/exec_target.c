/* The program execve.c runs: with "from-exec" as its first argument it
 * exits with argc * 10 + (1 if EXEC_MARK=yes is in its environment), so
 * the caller can check what execve passed.  With "pause" it sends SIGUSR1
 * to its parent (which then knows the exec is done) and waits for a
 * signal forever.  Alone it exits with 0. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *mark = getenv("EXEC_MARK");

    if (argc == 2 && !strcmp(argv[1], "pause")) {
        kill(getppid(), SIGUSR1);
        for (;;)
            pause();
    }
    if (argc < 2 || strcmp(argv[1], "from-exec"))
        return 0;
    return argc * 10 + (mark && !strcmp(mark, "yes"));
}
