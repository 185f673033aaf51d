/* A plain exit with a non-zero status must reach the parent intact. */
// expect-exit: 42
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("exiting with status 42\n");
    exit(42);
}
