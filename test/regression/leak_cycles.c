// timeout: 300
/* 10,000 fork/exit/wait cycles and 1,000 threads leave no memory behind:
 * the free memory sysinfo() reports (the frame's free-page count on
 * Trellis) is the same before and after, within 64 KiB.  Linux keeps
 * caches that move its count a little, so there the check allows 4 MiB;
 * a leak of one page per cycle would be 40 MB. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "check.h"

#define FORKS 10000
#define THREADS 1000
#define BATCH 10

static unsigned long free_bytes(void)
{
    struct sysinfo si;

    if (sysinfo(&si))
        return 0;
    return si.freeram * si.mem_unit;
}

static void *thread_fn(void *arg)
{
    volatile char buf[8192];

    buf[0] = buf[8191] = 1; /* touch two stack pages */
    return arg;
}

static void cycles(void)
{
    for (int i = 0; i < FORKS; i++) {
        pid_t child = fork();
        int status;

        if (child == 0)
            _exit(i & 0x7f);
        if (child < 0 || waitpid(child, &status, 0) != child ||
            WEXITSTATUS(status) != (i & 0x7f)) {
            CHECK(0, "cycle %d: fork %d errno %d status %#x", i, child, errno, status);
            return;
        }
    }
    for (int i = 0; i < THREADS; i += BATCH) {
        pthread_t th[BATCH];

        for (int j = 0; j < BATCH; j++)
            if (pthread_create(&th[j], NULL, thread_fn, NULL)) {
                CHECK(0, "pthread_create %d failed", i + j);
                return;
            }
        for (int j = 0; j < BATCH; j++)
            pthread_join(th[j], NULL);
    }
}

int main(void)
{
    struct utsname u;
    unsigned long before, after, slack;
    char *warm;

    uname(&u);
    /* Trellis: a few pages, as which slab or page-table page is left
     * holding the last objects depends on the order CPUs free them in;
     * a leak of 8 bytes per cycle would already be 80 KB */
    slack = strstr(u.release, "trellis") ? 64UL << 10 : 4UL << 20;
    /* one round first, so that the C library's allocations, the page
     * tables for a batch of thread stacks and the kernel's slabs for as
     * many tasks as run at once (more with several CPUs) are made */
    warm = malloc(1);
    free(warm);
    for (int i = 0; i < 200; i++) {
        pid_t child = fork();

        if (child == 0)
            _exit(0);
        waitpid(child, NULL, 0);
    }
    {
        pthread_t t[BATCH];
        for (int j = 0; j < BATCH; j++)
            pthread_create(&t[j], NULL, thread_fn, NULL);
        for (int j = 0; j < BATCH; j++)
            pthread_join(t[j], NULL);
    }
    before = free_bytes();
    CHECK(before > 0, "sysinfo errno %d", errno);
    cycles();
    after = free_bytes();
    printf("free memory before %lu, after %lu bytes\n", before, after);
    CHECK(after + slack >= before, "%lu bytes leaked (allowed %lu)", before - after, slack);
    return check_result("leak_cycles");
}
