/* Creating and deleting empty files in a directory on tmpfs, as in
 * LMbench's lat_fs: files are made in batches of at most 1000 so that the
 * directory's size does not depend on the iteration count.  "create"
 * times open(O_CREAT|O_EXCL)+close, "delete" times unlink.
 *
 *	lat_fs create|delete */
#include "bench.h"
#include <fcntl.h>
#include <sys/stat.h>

#define DIR_PATH "/tmp/lat_fs"
#define BATCH 1000L

static char names[BATCH][32];

static int create(long i)
{
    int fd = open(names[i], O_WRONLY | O_CREAT | O_EXCL, 0644);

    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static double run(long n, void *arg)
{
    int deleting = *(int *)arg;
    double total = 0, t = 0;

    while (n > 0) {
        long files = n < BATCH ? n : BATCH;

        if (!deleting)
            t = bench_now();
        for (long i = 0; i < files; i++)
            if (create(i))
                return -1;
        if (deleting)
            t = bench_now();
        else
            total += bench_now() - t;
        for (long i = 0; i < files; i++)
            if (unlink(names[i]))
                return -1;
        if (deleting)
            total += bench_now() - t;
        n -= files;
    }
    return total;
}

int main(int argc, char **argv)
{
    const char *item = bench_item(argc, argv, "create|delete");
    int deleting = !strcmp(item, "delete");
    const char *name = deleting ? "file_delete" : "file_create";

    if (!deleting && strcmp(item, "create")) {
        fprintf(stderr, "lat_fs: unknown item %s\n", item);
        return 1;
    }
    for (long i = 0; i < BATCH; i++)
        snprintf(names[i], sizeof(names[i]), DIR_PATH "/f%ld", i);
    if (mkdir(DIR_PATH, 0755) && errno != EEXIST)
        bench_unsupported_exit(name, "mkdir", errno);
    if (create(0))
        bench_unsupported_exit(name, "create", errno);
    if (unlink(names[0]))
        bench_unsupported_exit(name, "unlink", errno);
    return bench_latency(name, run, &deleting);
}
