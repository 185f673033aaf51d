/* F_GETPIPE_SZ / F_SETPIPE_SZ: sizes round up to a power-of-two number of
 * pages (at least one), the capacity follows, contents survive a resize,
 * shrinking below the contents is EBUSY, above pipe-max-size (1 MiB) is
 * EPERM for a non-root user but allowed for root, not a pipe is EBADF. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "check.h"

static char buf[300000];

/* Bytes a non-blocking write end takes in 4096-byte writes. */
static long fill(int fd)
{
    long total = 0, r;

    while ((r = write(fd, buf, 4096)) > 0)
        total += r;
    return total;
}

int main(void)
{
    int p[2], fd, status;
    char out[8];
    pid_t child;

    memcpy(buf, "abcd", 4);
    CHECK(pipe2(p, O_NONBLOCK) == 0, "pipe2");
    CHECK(fcntl(p[0], F_GETPIPE_SZ) == 65536, "default %d", fcntl(p[0], F_GETPIPE_SZ));
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 1) == 4096, "1 -> 4096");
    CHECK(fcntl(p[0], F_GETPIPE_SZ) == 4096, "now 4096");
    CHECK(fill(p[1]) == 4096, "capacity 4096");
    /* one page in use: one page is still enough */
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 0) == 4096, "0 -> 4096 with a page in use");
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 5000) == 8192, "5000 -> 8192");
    CHECK(fill(p[1]) == 4096, "one more page");
    errno = 0;
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 4096) == -1 && errno == EBUSY, "shrink: errno %d", errno);
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 100000) == 131072, "100000 -> 131072");
    CHECK(fcntl(p[0], F_GETPIPE_SZ) == 131072, "now 128 KiB");
    CHECK(fill(p[1]) == 131072 - 8192, "grown capacity");
    /* the contents survived */
    memset(out, 0, sizeof(out));
    CHECK(read(p[0], out, 4) == 4 && !memcmp(out, "abcd", 4), "data kept: %.4s", out);
    errno = 0;
    CHECK(fcntl(p[0], F_SETPIPE_SZ, (1UL << 31) + 1) == -1 && errno == EINVAL, "2^31 + 1: errno %d", errno);
    /* root may go past pipe-max-size */
    CHECK(fcntl(p[0], F_SETPIPE_SZ, 2 << 20) == 2 << 20, "root 2 MiB: errno %d", errno);
    close(p[0]);
    close(p[1]);

    /* not root: at most 1 MiB */
    CHECK(pipe(p) == 0, "pipe");
    child = fork();
    if (child == 0) {
        int bad = 0;

        if (setuid(65534))
            _exit(10);
        if (fcntl(p[0], F_SETPIPE_SZ, 1 << 20) != 1 << 20)
            bad |= 1;
        errno = 0;
        if (fcntl(p[0], F_SETPIPE_SZ, (1 << 20) + 1) != -1 || errno != EPERM)
            bad |= 2;
        if (fcntl(p[0], F_SETPIPE_SZ, 4096) != 4096) /* shrinking is fine */
            bad |= 4;
        _exit(bad);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "non-root: status %#x", status);
    close(p[0]);
    close(p[1]);

    /* a regular file is no pipe */
    mkdir("/tmp", 0777);
    CHECK(mount("tmpfs", "/tmp", "tmpfs", 0, 0) == 0, "mount tmpfs: errno %d", errno);
    fd = open("/tmp/f", O_CREAT | O_RDWR, 0600);
    CHECK(fd >= 0, "open: errno %d", errno);
    errno = 0;
    CHECK(fcntl(fd, F_GETPIPE_SZ) == -1 && errno == EBADF, "F_GETPIPE_SZ file: errno %d", errno);
    errno = 0;
    CHECK(fcntl(fd, F_SETPIPE_SZ, 4096) == -1 && errno == EBADF, "F_SETPIPE_SZ file: errno %d", errno);
    return check_result("pipe_setsz");
}
