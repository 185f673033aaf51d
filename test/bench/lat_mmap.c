/* Mapping memory, as in LMbench's lat_mmap: map 1 MiB, touch every page
 * once, unmap it.  "anon" maps private anonymous memory and writes to each
 * page; "file" maps a 1 MiB file on tmpfs shared and read-only and reads
 * each page.
 *
 *	lat_mmap anon|file */
#include "bench.h"
#include <fcntl.h>
#include <sys/mman.h>

#define SIZE (1024 * 1024)
#define PAGE 4096
#define FILE_PATH "/tmp/lat_mmap.file"

static int fd = -1;

static double run_anon(long n, void *arg)
{
    double t = bench_now();

    for (long i = 0; i < n; i++) {
        volatile char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if (p == MAP_FAILED)
            return -1;
        for (long off = 0; off < SIZE; off += PAGE)
            p[off] = 1;
        munmap((void *)p, SIZE);
    }
    return bench_now() - t;
}

static double run_file(long n, void *arg)
{
    unsigned sum = 0;
    double t = bench_now();

    for (long i = 0; i < n; i++) {
        volatile char *p = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);

        if (p == MAP_FAILED)
            return -1;
        for (long off = 0; off < SIZE; off += PAGE)
            sum += p[off];
        munmap((void *)p, SIZE);
    }
    if (sum != (unsigned)n * (SIZE / PAGE) * 'm')
        return errno = EIO, -1;
    return bench_now() - t;
}

int main(int argc, char **argv)
{
    const char *item = bench_item(argc, argv, "anon|file");
    static char buf[SIZE];
    void *p;
    int rc;

    if (!strcmp(item, "anon"))
        return bench_latency("mmap_anon_1m", run_anon, NULL);
    if (strcmp(item, "file")) {
        fprintf(stderr, "lat_mmap: unknown item %s\n", item);
        return 1;
    }
    memset(buf, 'm', sizeof(buf));
    fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        bench_unsupported_exit("mmap_file_1m", "open", errno);
    if (write(fd, buf, SIZE) != SIZE)
        bench_unsupported_exit("mmap_file_1m", "write", errno);
    p = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        int err = errno;

        unlink(FILE_PATH);	/* the next items find /tmp as it was */
        bench_unsupported_exit("mmap_file_1m", "mmap", err);
    }
    munmap(p, SIZE);
    rc = bench_latency("mmap_file_1m", run_file, NULL);
    close(fd);
    unlink(FILE_PATH);
    return rc;
}
