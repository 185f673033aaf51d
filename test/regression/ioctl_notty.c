/* ioctl: a bad fd gives EBADF; TIOCGWINSZ on stdout works or gives ENOTTY. */
#include <stdio.h>
#include <errno.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

int main(void)
{
    int failures = 0;
    struct winsize ws;
    long r;

    errno = 0;
    r = syscall(SYS_ioctl, 99, TIOCGWINSZ, &ws);
    if (r != -1 || errno != EBADF) {
        printf("FAIL: ioctl(99, TIOCGWINSZ) -> %ld errno %d, expected -1 EBADF\n",
               r, errno);
        failures++;
    } else {
        printf("ioctl(99, TIOCGWINSZ) -> EBADF ok\n");
    }

    /* stdout may be a terminal or a captured file; both are fine. */
    errno = 0;
    r = syscall(SYS_ioctl, 1, TIOCGWINSZ, &ws);
    if (r == 0) {
        printf("ioctl(1, TIOCGWINSZ) -> 0 (terminal) ok\n");
    } else if (r == -1 && errno == ENOTTY) {
        printf("ioctl(1, TIOCGWINSZ) -> ENOTTY ok\n");
    } else {
        printf("FAIL: ioctl(1, TIOCGWINSZ) -> %ld errno %d, expected 0 or ENOTTY\n",
               r, errno);
        failures++;
    }

    if (failures) {
        printf("ioctl_notty: %d failure(s)\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
