/* write() to fd 1 and 2, writev() with 3 iovecs, zero-length write. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/uio.h>

static int failures;

static void check(const char *what, long got, long want)
{
    char buf[160];
    int n;
    if (got == want)
        n = snprintf(buf, sizeof buf, "ok: %s = %ld\n", what, got);
    else {
        n = snprintf(buf, sizeof buf, "FAIL: %s = %ld (errno %d), expected %ld\n",
                     what, got, errno, want);
        failures++;
    }
    write(1, buf, n);
}

int main(void)
{
    static const char a[] = "write to fd 1\n";
    static const char b[] = "write to fd 2\n";
    char p1[] = "writev part one, ";
    char p2[] = "part two, ";
    char p3[] = "part three\n";
    struct iovec iov[3] = {
        { p1, sizeof p1 - 1 },
        { p2, sizeof p2 - 1 },
        { p3, sizeof p3 - 1 },
    };
    long total = (long)(sizeof p1 - 1 + sizeof p2 - 1 + sizeof p3 - 1);

    check("write(1)", write(1, a, sizeof a - 1), sizeof a - 1);
    check("write(2)", write(2, b, sizeof b - 1), sizeof b - 1);
    check("writev(1, 3 iovecs)", writev(1, iov, 3), total);
    check("write(1, len 0)", write(1, a, 0), 0);
    check("writev(1, 0 iovecs)", writev(1, iov, 0), 0);

    if (failures) {
        printf("write_fds: %d failure(s)\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
