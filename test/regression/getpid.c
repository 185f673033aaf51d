/* getpid returns a positive pid, the same on every call. */
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(void)
{
    long a = syscall(SYS_getpid);
    long b = getpid();

    if (a <= 0 || a != b) {
        printf("FAIL: getpid returned %ld and %ld\n", a, b);
        return 1;
    }
    printf("getpid ok\n");
    return 0;
}
