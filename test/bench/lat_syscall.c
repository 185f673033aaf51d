/* Latency of single system calls: the null call (getppid), open+close,
 * stat and fstat of a file, and 4 KiB read and write on tmpfs (pread and
 * pwrite at offset 0 of a file in /tmp, which the runner mounts as tmpfs).
 *
 *	lat_syscall null|open|stat|fstat|read|write */
#include "bench.h"
#include <fcntl.h>
#include <sys/stat.h>

#define FILE_PATH "/tmp/lat_syscall.file"
#define IO_SIZE 4096

static int fd = -1;
static char buf[IO_SIZE];

static double run_null(long n, void *arg)
{
    double t = bench_now();

    for (long i = 0; i < n; i++)
        getppid();
    return bench_now() - t;
}

static double run_open(long n, void *arg)
{
    double t = bench_now();

    for (long i = 0; i < n; i++)
        close(open(FILE_PATH, O_RDONLY));
    return bench_now() - t;
}

static double run_stat(long n, void *arg)
{
    struct stat st;
    double t = bench_now();

    for (long i = 0; i < n; i++)
        stat(FILE_PATH, &st);
    return bench_now() - t;
}

static double run_fstat(long n, void *arg)
{
    struct stat st;
    double t = bench_now();

    for (long i = 0; i < n; i++)
        fstat(fd, &st);
    return bench_now() - t;
}

static double run_read(long n, void *arg)
{
    double t = bench_now();

    for (long i = 0; i < n; i++)
        pread(fd, buf, IO_SIZE, 0);
    return bench_now() - t;
}

static double run_write(long n, void *arg)
{
    double t = bench_now();

    for (long i = 0; i < n; i++)
        pwrite(fd, buf, IO_SIZE, 0);
    return bench_now() - t;
}

/* Create the test file (4 KiB) and check that the call of @item works on
 * it once, so that an unsupported call is reported rather than timed. */
static void setup(const char *name, const char *item)
{
    struct stat st;
    int probe;

    memset(buf, 'b', sizeof(buf));
    fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        bench_unsupported_exit(name, "open-create", errno);
    if (write(fd, buf, IO_SIZE) != IO_SIZE)
        bench_unsupported_exit(name, "write", errno);
    if (!strcmp(item, "open")) {
        probe = open(FILE_PATH, O_RDONLY);
        if (probe < 0)
            bench_unsupported_exit(name, "open", errno);
        close(probe);
    } else if (!strcmp(item, "stat")) {
        if (stat(FILE_PATH, &st) || st.st_size != IO_SIZE)
            bench_unsupported_exit(name, "stat", errno);
    } else if (!strcmp(item, "fstat")) {
        if (fstat(fd, &st) || st.st_size != IO_SIZE)
            bench_unsupported_exit(name, "fstat", errno);
    } else if (!strcmp(item, "read")) {
        if (pread(fd, buf, IO_SIZE, 0) != IO_SIZE)
            bench_unsupported_exit(name, "pread", errno);
    } else if (!strcmp(item, "write")) {
        if (pwrite(fd, buf, IO_SIZE, 0) != IO_SIZE)
            bench_unsupported_exit(name, "pwrite", errno);
    }
}

int main(int argc, char **argv)
{
    const char *item = bench_item(argc, argv,
                                  "null|open|stat|fstat|read|write");
    int rc;

    if (!strcmp(item, "null"))
        return bench_latency("null_syscall", run_null, NULL);
    if (!strcmp(item, "open")) {
        setup("open_close", item);
        rc = bench_latency("open_close", run_open, NULL);
    } else if (!strcmp(item, "stat")) {
        setup("stat", item);
        rc = bench_latency("stat", run_stat, NULL);
    } else if (!strcmp(item, "fstat")) {
        setup("fstat", item);
        rc = bench_latency("fstat", run_fstat, NULL);
    } else if (!strcmp(item, "read")) {
        setup("read_4k", item);
        rc = bench_latency("read_4k", run_read, NULL);
    } else if (!strcmp(item, "write")) {
        setup("write_4k", item);
        rc = bench_latency("write_4k", run_write, NULL);
    } else {
        fprintf(stderr, "lat_syscall: unknown item %s\n", item);
        return 1;
    }
    close(fd);
    unlink(FILE_PATH);
    return rc;
}
