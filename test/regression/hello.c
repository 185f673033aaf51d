/* printf "hello, world" and check printf's return value. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    int n = printf("hello, world\n");
    if (n != 13) {
        char msg[] = "FAIL: printf returned wrong count\n";
        write(2, msg, sizeof msg - 1);
        return 1;
    }
    if (fflush(stdout) != 0) {
        char msg[] = "FAIL: fflush(stdout) failed\n";
        write(2, msg, sizeof msg - 1);
        return 1;
    }
    return 0;
}
