/* /proc/loadavg: the load averages rise while busy threads run (two or
 * more samples of them, taken every 5 seconds as Linux does, in an 11
 * second window), the runnable field counts at least those threads, the
 * total at least every thread of this process, and the last pid is at
 * least the newest thread's id.  Only lower bounds: a loaded host adds to
 * Linux's figures, never takes away. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

#define BUSY 2

static atomic_int stop, newest;

static void *busy_fn(void *arg)
{
    atomic_store(&newest, gettid());
    while (!atomic_load_explicit(&stop, memory_order_relaxed))
        ;
    return arg;
}

struct loadavg {
    int whole[3], hundredths[3];
    int running, total, last;
};

static int read_loadavg(struct loadavg *l)
{
    FILE *f = fopen("/proc/loadavg", "r");
    int n;

    if (!f)
        return -1;
    n = fscanf(f, "%d.%d %d.%d %d.%d %d/%d %d", &l->whole[0], &l->hundredths[0],
               &l->whole[1], &l->hundredths[1], &l->whole[2], &l->hundredths[2],
               &l->running, &l->total, &l->last);
    fclose(f);
    return n == 9 ? 0 : -1;
}

int main(void)
{
    pthread_t th[BUSY];
    struct loadavg l;

    mkdir("/proc", 0555);
    if (access("/proc/loadavg", R_OK) != 0 &&
        mount("proc", "/proc", "proc", 0, NULL) != 0)
        printf("mount proc: %s\n", strerror(errno));
    for (int i = 0; i < BUSY; i++)
        pthread_create(&th[i], NULL, busy_fn, NULL);
    sleep(11);
    CHECK(read_loadavg(&l) == 0, "/proc/loadavg unreadable or malformed");
    printf("after 11 s with %d busy threads: %d.%02d %d.%02d %d.%02d %d/%d %d\n", BUSY,
           l.whole[0], l.hundredths[0], l.whole[1], l.hundredths[1], l.whole[2],
           l.hundredths[2], l.running, l.total, l.last);
    /* two samples of at least BUSY: 1 - (1884/2048)^2, 0.15, of it (and
     * 0.03, 0.01 for the others); a little less is allowed */
    CHECK(l.whole[0] * 100 + l.hundredths[0] >= BUSY * 12,
          "1-minute average %d.%02d", l.whole[0], l.hundredths[0]);
    CHECK(l.whole[1] * 100 + l.hundredths[1] >= BUSY * 2,
          "5-minute average %d.%02d", l.whole[1], l.hundredths[1]);
    CHECK(l.whole[2] * 100 + l.hundredths[2] >= 1,
          "15-minute average %d.%02d", l.whole[2], l.hundredths[2]);
    for (int i = 0; i < 3; i++)
        CHECK(l.hundredths[i] >= 0 && l.hundredths[i] < 100, "hundredths %d",
              l.hundredths[i]);
    CHECK(l.running >= BUSY + 1, "%d runnable, %d threads spin and one reads",
          l.running, BUSY);
    CHECK(l.total >= BUSY + 1, "%d threads in all", l.total);
    CHECK(l.last >= atomic_load(&newest), "last pid %d, newest thread %d", l.last,
          atomic_load(&newest));
    atomic_store(&stop, 1);
    for (int i = 0; i < BUSY; i++)
        pthread_join(th[i], NULL);
    return check_result("sched_loadavg");
}
