/* pipe(2) and pipe2(2): bytes come out in order, a read returns what is
 * there, EOF once no writer is left; the ends are FIFOs of their own
 * access mode (EBADF the wrong way); pipe2's O_CLOEXEC and O_NONBLOCK,
 * EINVAL for unknown flags, EFAULT for a bad array; FIONREAD; zero-length
 * reads and writes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

int main(void)
{
    int p[2], q[2], n;
    char buf[64];
    struct stat st, st2;

    CHECK(pipe(p) == 0, "pipe: errno %d", errno);
    CHECK(p[0] >= 0 && p[1] >= 0 && p[0] != p[1], "fds %d %d", p[0], p[1]);
    CHECK(write(p[1], "hello", 5) == 5, "write");
    CHECK(write(p[1], " world", 6) == 6, "write 2");
    CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == 11, "FIONREAD %d", n);
    memset(buf, 0, sizeof(buf));
    CHECK(read(p[0], buf, 3) == 3 && !memcmp(buf, "hel", 3), "read 3: %s", buf);
    /* a read returns what is there, not what was asked */
    CHECK(read(p[0], buf, sizeof(buf)) == 8 && !memcmp(buf, "lo world", 8),
          "read rest: %.8s", buf);
    CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == 0, "FIONREAD empty %d", n);
    CHECK(read(p[0], buf, 0) == 0, "zero read");
    CHECK(write(p[1], buf, 0) == 0, "zero write");

    /* wrong directions */
    errno = 0;
    CHECK(write(p[0], "x", 1) == -1 && errno == EBADF, "write read end: errno %d", errno);
    errno = 0;
    CHECK(read(p[1], buf, 1) == -1 && errno == EBADF, "read write end: errno %d", errno);

    /* fstat: FIFOs, same inode for both ends */
    CHECK(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat mode %o", st.st_mode);
    CHECK(fstat(p[1], &st2) == 0 && st2.st_ino == st.st_ino && st2.st_dev == st.st_dev,
          "same inode %lu %lu", (unsigned long)st.st_ino, (unsigned long)st2.st_ino);
    CHECK((st.st_mode & 0777) == 0600, "mode %o", st.st_mode & 0777);
    CHECK(pipe(q) == 0 && fstat(q[0], &st2) == 0 && st2.st_ino != st.st_ino, "new inode");
    close(q[0]);
    close(q[1]);

    /* access modes */
    CHECK((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY, "read end flags %#x", fcntl(p[0], F_GETFL));
    CHECK((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "write end flags %#x", fcntl(p[1], F_GETFL));
    CHECK(!(fcntl(p[0], F_GETFL) & O_NONBLOCK) && fcntl(p[0], F_GETFD) == 0, "plain pipe flags");

    /* EOF once the writer is gone, data first */
    CHECK(write(p[1], "end", 3) == 3, "write end");
    close(p[1]);
    CHECK(read(p[0], buf, sizeof(buf)) == 3, "data before EOF");
    CHECK(read(p[0], buf, sizeof(buf)) == 0, "EOF");
    CHECK(read(p[0], buf, sizeof(buf)) == 0, "EOF again");
    close(p[0]);

    /* pipe2 flags */
    CHECK(pipe2(q, O_CLOEXEC | O_NONBLOCK) == 0, "pipe2: errno %d", errno);
    CHECK(fcntl(q[0], F_GETFD) == FD_CLOEXEC && fcntl(q[1], F_GETFD) == FD_CLOEXEC, "cloexec");
    CHECK((fcntl(q[0], F_GETFL) & O_NONBLOCK) && (fcntl(q[1], F_GETFL) & O_NONBLOCK), "nonblock");
    errno = 0;
    CHECK(read(q[0], buf, 1) == -1 && errno == EAGAIN, "nonblocking read: errno %d", errno);
    close(q[0]);
    close(q[1]);
    errno = 0;
    CHECK(pipe2(q, O_APPEND) == -1 && errno == EINVAL, "pipe2 O_APPEND: errno %d", errno);
    errno = 0;
    CHECK(pipe2(q, 0x40000000) == -1 && errno == EINVAL, "pipe2 junk: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_pipe, (void *)8) == -1 && errno == EFAULT, "pipe EFAULT: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_pipe2, (void *)8, 0) == -1 && errno == EFAULT, "pipe2 EFAULT: errno %d", errno);
    /* the failed calls left no descriptor behind: the next is the lowest */
    CHECK(pipe(q) == 0 && q[0] == p[0] && q[1] == p[1], "fds reused %d %d", q[0], q[1]);
    return check_result("pipe_basic");
}
