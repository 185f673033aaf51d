/* Anonymous page fault: the time of the first write to a page of private
 * anonymous memory (the kernel allocates a zeroed page and maps it).
 * Mappings of at most 16 MiB are made and unmapped outside the timed
 * part; only the writes, one per page, are timed.
 *
 *	lat_pagefault anon */
#include "bench.h"
#include <sys/mman.h>

#define NAME "page_fault_anon"
#define PAGE 4096
#define BATCH 4096L	/* pages per mapping */

static double run(long n, void *arg)
{
    double total = 0;

    while (n > 0) {
        long pages = n < BATCH ? n : BATCH;
        volatile char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        double t;

        if (p == MAP_FAILED)
            return -1;
        t = bench_now();
        for (long i = 0; i < pages; i++)
            p[i * PAGE] = 1;
        total += bench_now() - t;
        munmap((void *)p, pages * PAGE);
        n -= pages;
    }
    return total;
}

int main(int argc, char **argv)
{
    if (strcmp(bench_item(argc, argv, "anon"), "anon")) {
        fprintf(stderr, "lat_pagefault: unknown item %s\n", argv[1]);
        return 1;
    }
    return bench_latency(NAME, run, NULL);
}
