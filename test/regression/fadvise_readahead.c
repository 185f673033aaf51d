/* fadvise64 and readahead, which only advise: 0 for every known advice
 * on a file (an eventfd too), then Linux's errors in its order: EBADF
 * (not open, O_PATH), ESPIPE for a pipe, EINVAL for a negative length or
 * an unknown advice; readahead is EBADF unless open for reading and
 * EINVAL unless a regular file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>

#include "check.h"

static long advise(int fd, long off, long len, int advice)
{
    long r = syscall(SYS_fadvise64, fd, off, len, advice);

    return r == -1 ? -errno : r;
}

static long ahead(int fd, long off, long count)
{
    long r = syscall(SYS_readahead, fd, off, count);

    return r == -1 ? -errno : r;
}

int main(void)
{
    int fd = open("/tmp/advice", O_RDWR | O_CREAT | O_TRUNC, 0600);
    int wr = open("/tmp/advice", O_WRONLY);
    int path = open("/tmp/advice", O_PATH);
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    int efd = eventfd(0, 0), p[2];

    CHECK(fd >= 0 && wr >= 0 && path >= 0 && dir >= 0 && efd >= 0 && pipe(p) == 0, "setup");
    CHECK(write(fd, "data", 4) == 4, "write");
    for (int advice = 0; advice <= 5; advice++) {
        CHECK(advise(fd, 0, 0, advice) == 0, "advice %d: %ld", advice, advise(fd, 0, 0, advice));
        CHECK(advise(efd, 0, 4096, advice) == 0, "eventfd, advice %d", advice);
    }
    CHECK(advise(fd, 0, 0, 6) == -EINVAL, "advice 6");
    CHECK(advise(fd, 0, -1, 0) == -EINVAL, "negative length");
    CHECK(advise(fd, 1 << 20, 100, 3) == 0, "past the end");
    CHECK(advise(p[0], 0, 0, 0) == -ESPIPE, "pipe");
    CHECK(advise(p[0], 0, -1, 99) == -ESPIPE, "pipe before EINVAL");
    CHECK(advise(99, 0, 0, 0) == -EBADF, "not open");
    CHECK(advise(path, 0, 0, 0) == -EBADF, "O_PATH: %ld", advise(path, 0, 0, 0));
    CHECK(advise(99, 0, -1, 99) == -EBADF, "EBADF first");

    CHECK(ahead(fd, 0, 4096) == 0, "readahead");
    CHECK(ahead(wr, 0, 4096) == -EBADF, "write-only: %ld", ahead(wr, 0, 4096));
    CHECK(ahead(p[0], 0, 4096) == -EINVAL, "pipe: %ld", ahead(p[0], 0, 4096));
    CHECK(ahead(dir, 0, 4096) == -EINVAL, "directory: %ld", ahead(dir, 0, 4096));
    CHECK(ahead(99, 0, 1) == -EBADF, "not open");
    unlink("/tmp/advice");
    return check_result("fadvise_readahead");
}
