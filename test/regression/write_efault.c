/* Bad user pointers must give EFAULT, a bad fd must give EBADF. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/uio.h>
#include <sys/syscall.h>

static int failures;

static void expect_err(const char *what, long ret, int err, int want)
{
    if (ret == -1 && err == want) {
        printf("ok: %s -> -1 errno %d (%s)\n", what, err, strerror(err));
    } else {
        printf("FAIL: %s -> %ld errno %d (%s), expected -1 errno %d (%s)\n",
               what, ret, err, strerror(err), want, strerror(want));
        failures++;
    }
    fflush(stdout);
}

int main(void)
{
    long r;
    struct iovec bad_iov[1] = { { (void *)1, 10 } };
    struct iovec good_iov[1] = { { "x", 1 } };

    errno = 0;
    r = syscall(SYS_write, 1, (void *)1, 10);
    expect_err("write(1, 0x1, 10)", r, errno, EFAULT);

    errno = 0;
    r = syscall(SYS_write, 1, (void *)0xffff800000000000UL, 10);
    expect_err("write(1, 0xffff800000000000, 10)", r, errno, EFAULT);

    errno = 0;
    r = syscall(SYS_writev, 1, bad_iov, 1);
    expect_err("writev(1, {0x1, 10}, 1)", r, errno, EFAULT);

    errno = 0;
    r = syscall(SYS_writev, 1, (void *)1, 1);
    expect_err("writev(1, iov=0x1, 1)", r, errno, EFAULT);

    errno = 0;
    r = syscall(SYS_write, 99, "x", 1);
    expect_err("write(99, \"x\", 1)", r, errno, EBADF);

    errno = 0;
    r = syscall(SYS_writev, 99, good_iov, 1);
    expect_err("writev(99, ...)", r, errno, EBADF);

    if (failures) {
        printf("write_efault: %d failure(s)\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
