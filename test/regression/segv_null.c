/* A write through a NULL pointer kills the process with SIGSEGV (a shell
 * reports 128 + 11); the kernel itself keeps running. */
// expect-exit: 139
#include <stdio.h>

int *volatile target;

int main(void)
{
    printf("writing through NULL\n");
    fflush(stdout);
    *target = 1;
    printf("FAIL: still alive after writing through NULL\n");
    return 1;
}
