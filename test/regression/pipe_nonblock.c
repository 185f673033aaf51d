/* Non-blocking pipes: EAGAIN on an empty pipe; writes fill it up to
 * exactly F_GETPIPE_SZ bytes (65536 by default) and then fail with EAGAIN;
 * room is counted in pages as in Linux (a page partly read is not room; a
 * small write shares the last page while it fits); a write of more than
 * PIPE_BUF bytes is cut to the room left; reading makes room again. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "check.h"

static char big[70000], out[70000];

int main(void)
{
    int p[2], sz, n;
    long total = 0, r;

    CHECK(pipe2(p, O_NONBLOCK) == 0, "pipe2");
    errno = 0;
    CHECK(read(p[0], out, 10) == -1 && errno == EAGAIN, "empty read: errno %d", errno);
    sz = fcntl(p[0], F_GETPIPE_SZ);
    CHECK(sz == 65536, "F_GETPIPE_SZ %d", sz);
    CHECK(fcntl(p[1], F_GETPIPE_SZ) == sz, "both ends");
    for (int i = 0; i < (int)sizeof(big); i++)
        big[i] = (char)(i * 7 + i / 4096);

    /* fill with PIPE_BUF-sized writes until EAGAIN */
    for (;;) {
        r = write(p[1], big + total, PIPE_BUF);
        if (r < 0)
            break;
        CHECK(r == PIPE_BUF, "short write %ld", r);
        total += r;
        if (total > sz)
            break;
    }
    CHECK(r == -1 && errno == EAGAIN, "full: r %ld errno %d", r, errno);
    CHECK(total == sz, "capacity %ld, F_GETPIPE_SZ %d", total, sz);
    CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == sz, "FIONREAD %d", n);
    errno = 0;
    CHECK(write(p[1], "x", 1) == -1 && errno == EAGAIN, "one more byte: errno %d", errno);

    /* room is counted in pages, as Linux: with the first page partly
     * read there is still no free page, so even one byte does not fit */
    CHECK(read(p[0], out, 100) == 100 && !memcmp(out, big, 100), "read 100");
    errno = 0;
    CHECK(write(p[1], big, 1) == -1 && errno == EAGAIN, "no free page: errno %d", errno);

    /* one page free: a large write takes it and stops there */
    CHECK(read(p[0], out + 100, 4046) == 4046 && !memcmp(out + 100, big + 100, 4046), "read 4046");
    r = write(p[1], big + total, 10000);
    CHECK(r == 4096, "partial large write %ld", r);
    if (r > 0)
        total += r;
    errno = 0;
    CHECK(write(p[1], big, 1) == -1 && errno == EAGAIN, "full again: errno %d", errno);

    /* everything comes out in order */
    {
        long got = 4146;

        while ((r = read(p[0], out + got, sizeof(out) - got)) > 0)
            got += r;
        CHECK(r == -1 && errno == EAGAIN, "drained: errno %d", errno);
        CHECK(got == total && !memcmp(out, big, total), "contents %ld of %ld", got, total);
    }

    /* small writes share a page while it has room: 40 writes of 100
     * bytes a page, then the next page */
    {
        int q[2];
        long small = 0;

        CHECK(pipe2(q, O_NONBLOCK) == 0, "pipe2");
        while ((r = write(q[1], big, 100)) == 100 && small < 70000)
            small += r;
        CHECK(r == -1 && errno == EAGAIN, "small writes end: r %ld errno %d", r, errno);
        CHECK(small == 16 * 4000, "small writes fill %ld", small);
        CHECK(ioctl(q[0], FIONREAD, &n) == 0 && n == small, "FIONREAD %d", n);
        close(q[0]);
        close(q[1]);
    }
    close(p[1]);
    CHECK(read(p[0], out, 10) == 0, "EOF beats EAGAIN");

    /* O_NONBLOCK set later by fcntl counts */
    CHECK(pipe(p) == 0, "pipe");
    CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0, "F_SETFL");
    errno = 0;
    CHECK(read(p[0], out, 1) == -1 && errno == EAGAIN, "fcntl nonblock: errno %d", errno);
    return check_result("pipe_nonblock");
}
