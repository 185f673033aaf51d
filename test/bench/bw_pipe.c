/* Bandwidth of a pipe, or of a unix stream socket pair, between two
 * processes: the child writes 64 KiB chunks without end, the parent reads
 * them; one operation is one chunk received.  As in LMbench's bw_pipe the
 * data is not touched beyond the copies the kernel makes.
 *
 *	bw_pipe pipe|unix */
#include "bench.h"
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define CHUNK (64 * 1024)

static int in = -1;
static char buf[CHUNK];

/* Receive @n chunks; reads may return less than a chunk. */
static double run(long n, void *arg)
{
    double t = bench_now();

    for (long i = 0; i < n; i++) {
        size_t got = 0;

        while (got < CHUNK) {
            ssize_t r = read(in, buf + got, CHUNK - got);

            if (r <= 0)
                return -1;
            got += r;
        }
    }
    return bench_now() - t;
}

int main(int argc, char **argv)
{
    const char *item = bench_item(argc, argv, "pipe|unix");
    int unix_sock = !strcmp(item, "unix");
    const char *name = unix_sock ? "unix_bandwidth" : "pipe_bandwidth";
    int fds[2], rc;
    pid_t pid;

    if (!unix_sock && strcmp(item, "pipe")) {
        fprintf(stderr, "bw_pipe: unknown item %s\n", item);
        return 1;
    }
    rc = unix_sock ? socketpair(AF_UNIX, SOCK_STREAM, 0, fds) : pipe(fds);
    if (rc)
        bench_unsupported_exit(name, unix_sock ? "socketpair" : "pipe",
                               errno);
    pid = fork();
    if (pid < 0)
        bench_unsupported_exit(name, "fork", errno);
    if (pid == 0) {
        close(fds[0]);
        memset(buf, 'w', sizeof(buf));
        for (;;) {
            if (write(fds[1], buf, CHUNK) <= 0)
                _exit(0);
        }
    }
    close(fds[1]);
    in = fds[0];
    if (run(1, NULL) < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        bench_unsupported_exit(name, "read", errno);
    }
    rc = bench_bandwidth(name, run, NULL, CHUNK);
    kill(pid, SIGKILL);
    close(in);
    waitpid(pid, NULL, 0);
    return rc;
}
