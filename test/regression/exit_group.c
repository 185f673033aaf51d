/* Raw exit_group system call; stdio is flushed by hand first. */
// expect-exit: 7
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(void)
{
    printf("calling exit_group(7)\n");
    fflush(stdout);
    syscall(SYS_exit_group, 7);
    printf("FAIL: exit_group returned\n");
    return 1;
}
