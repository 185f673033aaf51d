/* Round-trip latency of one byte between two processes, over two pipes or
 * over a connected pair of unix stream sockets: the parent writes a byte,
 * the child reads it and writes it back, the parent reads it.  The result
 * is the time of the whole round trip, as in LMbench's lat_pipe.
 *
 *	lat_pipe pipe|unix */
#include "bench.h"
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

/* Parent's ends: it writes to @out and reads from @in. */
static int out = -1, in = -1;

/* A channel: fds[0] is read, fds[1] written (a socket pair reads and
 * writes both ends; we use them the same way). */
static int channel(int unix_sock, int fds[2])
{
    if (unix_sock)
        return socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    return pipe(fds);
}

static double run(long n, void *arg)
{
    char c = 'x';
    double t = bench_now();

    for (long i = 0; i < n; i++) {
        if (write(out, &c, 1) != 1 || read(in, &c, 1) != 1)
            return -1;
    }
    return bench_now() - t;
}

int main(int argc, char **argv)
{
    const char *item = bench_item(argc, argv, "pipe|unix");
    int unix_sock = !strcmp(item, "unix");
    const char *name = unix_sock ? "unix_latency" : "pipe_latency";
    int to_child[2], to_parent[2];
    char c = 'x';
    double s;
    pid_t pid;
    int err;

    if (!unix_sock && strcmp(item, "pipe")) {
        fprintf(stderr, "lat_pipe: unknown item %s\n", item);
        return 1;
    }
    if (channel(unix_sock, to_child) || channel(unix_sock, to_parent))
        bench_unsupported_exit(name, unix_sock ? "socketpair" : "pipe",
                               errno);
    pid = fork();
    if (pid < 0)
        bench_unsupported_exit(name, "fork", errno);
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
    if (write(out, &c, 1) != 1 || read(in, &c, 1) != 1) {
        kill(pid, SIGKILL);
        bench_unsupported_exit(name, "round-trip", errno);
    }
    s = bench_measure(run, NULL);
    err = errno;
    close(out);
    close(in);
    waitpid(pid, NULL, 0);
    if (s < 0)
        bench_unsupported_exit(name, "read/write", err);
    bench_report(name, s * 1e6, "us");
    return 0;
}
