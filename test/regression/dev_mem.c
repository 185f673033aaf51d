/* The memory devices: /dev/null, zero, full, random and urandom (their
 * nodes, reads, writes and seeks), and the other nodes of /dev. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "check.h"

static unsigned char buf[3 * 4096 + 100];

/* @path is a character device @maj:@min with permissions @perm. */
static void check_node(const char *path, unsigned maj, unsigned min,
                       unsigned perm)
{
    struct stat st;

    if (stat(path, &st) != 0) {
        CHECK(0, "stat %s: %s", path, strerror(errno));
        return;
    }
    CHECK(S_ISCHR(st.st_mode), "%s is not a character device", path);
    CHECK(major(st.st_rdev) == maj && minor(st.st_rdev) == min,
          "%s is %u:%u, expected %u:%u", path, major(st.st_rdev),
          minor(st.st_rdev), maj, min);
    CHECK((st.st_mode & 07777) == perm, "%s mode %o, expected %o", path,
          st.st_mode & 07777, perm);
}

static bool all(const unsigned char *p, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return false;
    return true;
}

static void check_null(void)
{
    int fd = open("/dev/null", O_RDWR);

    CHECK(fd >= 0, "open /dev/null: %s", strerror(errno));
    CHECK(read(fd, buf, sizeof(buf)) == 0, "null: read is not EOF");
    CHECK(write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf),
          "null: write");
    CHECK(write(fd, buf, 0) == 0, "null: empty write");
    CHECK(lseek(fd, 1000, SEEK_SET) >= 0, "null: seek");
    CHECK(read(fd, buf, 10) == 0, "null: read after seek");
    /* the data is not looked at: a bad address is fine */
    CHECK(write(fd, (void *)8, 16) == 16, "null: write from a bad address");
    close(fd);
    printf("null: EOF, writes swallowed\n");
}

static void check_zero(void)
{
    int fd = open("/dev/zero", O_RDWR);

    CHECK(fd >= 0, "open /dev/zero: %s", strerror(errno));
    memset(buf, 0xaa, sizeof(buf));
    CHECK(read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf) &&
              all(buf, sizeof(buf), 0),
          "zero: read zeros");
    memset(buf, 0xaa, sizeof(buf));
    CHECK(pread(fd, buf + 1, 10, 12345) == 10 && all(buf + 1, 10, 0) &&
              buf[0] == 0xaa && buf[11] == 0xaa,
          "zero: pread");
    CHECK(write(fd, buf, 100) == 100, "zero: write");
    CHECK(read(fd, (void *)8, 16) < 0 && errno == EFAULT,
          "zero: read to a bad address");
    close(fd);
    printf("zero: zeros, writes swallowed, EFAULT\n");
}

static void check_full(void)
{
    int fd = open("/dev/full", O_RDWR);

    CHECK(fd >= 0, "open /dev/full: %s", strerror(errno));
    CHECK(write(fd, "x", 1) < 0 && errno == ENOSPC, "full: write errno %d",
          errno);
    memset(buf, 0xaa, 64);
    CHECK(read(fd, buf, 64) == 64 && all(buf, 64, 0), "full: read zeros");
    close(fd);
    printf("full: ENOSPC, zeros\n");
}

static void check_random(const char *path)
{
    unsigned char a[64], b[64];
    int fd = open(path, O_RDONLY);

    CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
    CHECK(read(fd, a, sizeof(a)) == sizeof(a), "%s: read", path);
    CHECK(read(fd, b, sizeof(b)) == sizeof(b), "%s: read again", path);
    CHECK(memcmp(a, b, sizeof(a)) != 0, "%s: two reads are equal", path);
    CHECK(!all(a, sizeof(a), 0), "%s: zeros", path);
    CHECK(read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf),
          "%s: long read", path);
    close(fd);
    fd = open(path, O_WRONLY);
    CHECK(fd >= 0 && write(fd, "seed", 4) == 4, "%s: write", path);
    close(fd);
    printf("%s: bytes differ between reads, writes accepted\n", path);
}

/* A node that a full /dev has (Linux's devtmpfs alone does not make
 * every one): when it is there, it must be right. */
static void check_link_if_present(const char *path, const char *target)
{
    char got[64];
    struct stat st;
    ssize_t n;

    if (lstat(path, &st) != 0)
        return;
    n = readlink(path, got, sizeof(got) - 1);
    CHECK(n > 0 && (got[n] = 0, !strcmp(got, target)), "%s -> %s", path,
          n > 0 ? got : strerror(errno));
}

int main(void)
{
    struct stat st;

    check_node("/dev/null", 1, 3, 0666);
    check_node("/dev/zero", 1, 5, 0666);
    check_node("/dev/full", 1, 7, 0666);
    check_node("/dev/random", 1, 8, 0666);
    check_node("/dev/urandom", 1, 9, 0666);
    check_node("/dev/tty", 5, 0, 0666);
    check_node("/dev/console", 5, 1, 0600);
    check_node("/dev/ptmx", 5, 2, 0666);
    CHECK(stat("/dev/ttyS0", &st) == 0 && S_ISCHR(st.st_mode) &&
              st.st_rdev == makedev(4, 64),
          "/dev/ttyS0");
    printf("nodes: numbers and modes\n");
    check_null();
    check_zero();
    check_full();
    check_random("/dev/urandom");
    check_random("/dev/random");
    check_link_if_present("/dev/fd", "/proc/self/fd");
    check_link_if_present("/dev/stdin", "/proc/self/fd/0");
    check_link_if_present("/dev/stdout", "/proc/self/fd/1");
    check_link_if_present("/dev/stderr", "/proc/self/fd/2");
    if (stat("/dev/shm", &st) == 0)
        CHECK(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777,
              "/dev/shm mode %o", st.st_mode);
    return check_result("dev_mem");
}
