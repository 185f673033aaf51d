/* /proc/PID/io counts the read and write families: bytes moved (rchar,
 * wchar) and calls (syscr, syscw), a read at the end of a file too; a
 * readv is one call, pread one, sendfile one of each; the read that
 * took the previous figures is in the next ones.  An ended thread's
 * writes stay the process's, and task/TID/io is one thread's alone.
 * tmpfs does no block I/O: read_bytes and write_bytes stay 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "check.h"
#include "proc_util.h"

struct io {
    unsigned long long rchar, wchar, syscr, syscw, read_bytes, write_bytes;
    size_t text_len; /* of the file read to take them */
};

static struct io take(const char *path)
{
    struct io io;

    memset(&io, 0, sizeof(io));
    read_text(path);
    io.text_len = strlen(text);
    CHECK(sscanf(text,
                 "rchar: %llu\nwchar: %llu\nsyscr: %llu\nsyscw: %llu\nread_bytes: %llu\n"
                 "write_bytes: %llu\ncancelled_write_bytes: 0\n",
                 &io.rchar, &io.wchar, &io.syscr, &io.syscw, &io.read_bytes,
                 &io.write_bytes) == 6,
          "%s:\n%s", path, text);
    return io;
}

static void *writer(void *arg)
{
    int fd = open("/dev/null", O_WRONLY);

    (void)arg;
    for (int i = 0; i < 3; i++)
        if (write(fd, "0123456789", 10) != 10)
            return arg;
    close(fd);
    return NULL;
}

int main(void)
{
    char buf[1000], path[64];
    struct iovec iov[2] = { { buf, 150 }, { buf + 150, 150 } };
    struct io a, b, c, d;
    pthread_t th;
    int fd, null;

    mount_proc();
    memset(buf, 'x', sizeof(buf));
    fd = open("/tmp/io.txt", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0 && write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf), "make the file");
    close(fd);
    null = open("/dev/null", O_WRONLY);

    a = take("/proc/self/io");
    fd = open("/tmp/io.txt", O_RDONLY);
    for (int i = 0; i < 10; i++)
        CHECK(read(fd, buf, 100) == 100, "read %d", i);
    CHECK(read(fd, buf, 100) == 0, "read at the end");
    CHECK(pread(fd, buf, 50, 10) == 50, "pread");
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && readv(fd, iov, 2) == 300, "readv");
    for (int i = 0; i < 5; i++)
        CHECK(write(null, buf, 200) == 200, "write %d", i);
    b = take("/proc/self/io");
    CHECK(b.rchar - a.rchar == a.text_len + 1000 + 50 + 300, "rchar +%llu, want %zu",
          b.rchar - a.rchar, a.text_len + 1350);
    CHECK(b.syscr - a.syscr == 1 + 11 + 1 + 1, "syscr +%llu", b.syscr - a.syscr);
    CHECK(b.wchar - a.wchar == 1000 && b.syscw - a.syscw == 5, "wchar +%llu syscw +%llu",
          b.wchar - a.wchar, b.syscw - a.syscw);
    CHECK(b.read_bytes == 0 && b.write_bytes == 0, "block I/O %llu %llu", b.read_bytes,
          b.write_bytes);

    /* sendfile: one call of each family */
    CHECK(sendfile(null, fd, NULL, 0) == 0, "sendfile at the end");
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && sendfile(null, fd, NULL, 100) == 100, "sendfile");
    c = take("/proc/self/io");
    CHECK(c.rchar - b.rchar == b.text_len + 100 && c.wchar - b.wchar == 100,
          "sendfile: rchar +%llu wchar +%llu", c.rchar - b.rchar, c.wchar - b.wchar);
    CHECK(c.syscr - b.syscr == 1 + 2 && c.syscw - b.syscw == 2, "sendfile: syscr +%llu syscw +%llu",
          c.syscr - b.syscr, c.syscw - b.syscw);
    close(fd);

    /* a thread's writes: the process's, even once it has ended */
    CHECK(pthread_create(&th, NULL, writer, NULL) == 0, "pthread_create");
    pthread_join(th, NULL);
    d = take("/proc/self/io");
    CHECK(d.wchar - c.wchar == 30 && d.syscw - c.syscw == 3, "thread: wchar +%llu syscw +%llu",
          d.wchar - c.wchar, d.syscw - c.syscw);
    snprintf(path, sizeof(path), "/proc/self/task/%ld/io", (long)syscall(SYS_gettid));
    a = take(path);
    CHECK(a.wchar == d.wchar - 30, "main thread's wchar %llu, process %llu", a.wchar, d.wchar);
    close(null);
    unlink("/tmp/io.txt");
    return check_result("proc_io");
}
