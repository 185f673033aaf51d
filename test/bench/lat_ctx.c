/* Context switch time between two processes that pass a one-byte token
 * back and forth over two pipes, as in LMbench's lat_ctx with two
 * processes of size zero: a round trip is two switches plus two pipe
 * writes and two reads, so the cost of a write+read pair within one
 * process (measured first) is taken out:
 *	switch = (round trip - 2 * (write + read)) / 2
 *
 *	lat_ctx 2 */
#include "bench.h"
#include <signal.h>
#include <sys/wait.h>

#define NAME "ctx_switch_2p"

static int out = -1, in = -1;	/* round trip: parent's ends */
static int self[2];		/* overhead: one pipe within one process */

static double run_overhead(long n, void *arg)
{
    char c = 'o';
    double t = bench_now();

    for (long i = 0; i < n; i++) {
        if (write(self[1], &c, 1) != 1 || read(self[0], &c, 1) != 1)
            return -1;
    }
    return bench_now() - t;
}

static double run_ring(long n, void *arg)
{
    char c = 't';
    double t = bench_now();

    for (long i = 0; i < n; i++) {
        if (write(out, &c, 1) != 1 || read(in, &c, 1) != 1)
            return -1;
    }
    return bench_now() - t;
}

int main(int argc, char **argv)
{
    int to_child[2], to_parent[2], err;
    double overhead, ring, sw;
    char c = 't';
    pid_t pid;

    bench_item(argc, argv, "2");
    if (pipe(self) || pipe(to_child) || pipe(to_parent))
        bench_unsupported_exit(NAME, "pipe", errno);
    overhead = bench_measure(run_overhead, NULL);
    if (overhead < 0)
        bench_unsupported_exit(NAME, "pipe-read/write", errno);
    pid = fork();
    if (pid < 0)
        bench_unsupported_exit(NAME, "fork", errno);
    if (pid == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        while (read(to_child[0], &c, 1) == 1)
            if (write(to_parent[1], &c, 1) != 1)
                break;
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    out = to_child[1];
    in = to_parent[0];
    ring = bench_measure(run_ring, NULL);
    err = errno;
    close(out);
    close(in);
    if (ring < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        bench_unsupported_exit(NAME, "round-trip", err);
    }
    waitpid(pid, NULL, 0);
    sw = (ring - 2 * overhead) / 2;
    /* never zero or negative: the harness divides by it */
    if (sw < 1e-9)
        sw = 1e-9;
    bench_report(NAME, sw * 1e6, "us");
    return 0;
}
