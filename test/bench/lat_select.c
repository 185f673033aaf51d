/* select and poll on 100 file descriptors, as in LMbench's lat_select on
 * files: 100 descriptors of one file on tmpfs, all readable, polled with
 * a zero timeout (the call scans them all and returns 100).
 *
 *	lat_select select|poll */
#include "bench.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/select.h>

#define NFDS 100
#define FILE_PATH "/tmp/lat_select.file"

static int fds[NFDS];
static int maxfd;
static fd_set all;
static struct pollfd pfds[NFDS];

static int select_once(void)
{
    fd_set set = all;
    struct timeval tv = { 0, 0 };

    return select(maxfd + 1, &set, NULL, NULL, &tv);
}

static double run_select(long n, void *arg)
{
    double t = bench_now();

    for (long i = 0; i < n; i++)
        if (select_once() != NFDS)
            return -1;
    return bench_now() - t;
}

static double run_poll(long n, void *arg)
{
    double t = bench_now();

    for (long i = 0; i < n; i++)
        if (poll(pfds, NFDS, 0) != NFDS)
            return -1;
    return bench_now() - t;
}

int main(int argc, char **argv)
{
    const char *item = bench_item(argc, argv, "select|poll");
    int use_poll = !strcmp(item, "poll");
    const char *name = use_poll ? "poll_100fd" : "select_100fd";
    int r;

    if (!use_poll && strcmp(item, "select")) {
        fprintf(stderr, "lat_select: unknown item %s\n", item);
        return 1;
    }
    fds[0] = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fds[0] < 0)
        bench_unsupported_exit(name, "open", errno);
    FD_ZERO(&all);
    for (int i = 0; i < NFDS; i++) {
        if (i && (fds[i] = dup(fds[0])) < 0)
            bench_unsupported_exit(name, "dup", errno);
        FD_SET(fds[i], &all);
        if (fds[i] > maxfd)
            maxfd = fds[i];
        pfds[i].fd = fds[i];
        pfds[i].events = POLLIN;
    }
    r = use_poll ? poll(pfds, NFDS, 0) : select_once();
    if (r < 0)
        bench_unsupported_exit(name, use_poll ? "poll" : "select", errno);
    if (r != NFDS) {
        printf("bench %s unsupported ready:%d-of-%d\n", name, r, NFDS);
        return 2;
    }
    r = bench_latency(name, use_poll ? run_poll : run_select, NULL);
    unlink(FILE_PATH);
    return r;
}
