/* TCP over the loopback interface, as in LMbench's lat_tcp and bw_tcp:
 * "lat" is the round trip of one byte between two processes over a
 * connection on 127.0.0.1 (TCP_NODELAY), "bw" the bandwidth of 64 KiB
 * writes from one process to the other.  The loopback interface is
 * brought up first (nothing else does it as PID 1's child).
 *
 *	lat_tcp lat|bw */
#include "bench.h"
#include <signal.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define PORT 31234
#define CHUNK (64 * 1024)

static const char *name;
static int sock = -1;
static char buf[CHUNK];

static void fail(const char *what)
{
    bench_unsupported_exit(name, what, errno);
}

static void loopback_up(void)
{
    struct ifreq ifr = { 0 };
    int s = socket(AF_INET, SOCK_DGRAM, 0);

    if (s < 0)
        fail("socket");
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr))
        fail("SIOCGIFFLAGS");
    if (!(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(s, SIOCSIFFLAGS, &ifr))
            fail("SIOCSIFFLAGS");
    }
    close(s);
}

static double run_lat(long n, void *arg)
{
    char c = 'x';
    double t = bench_now();

    for (long i = 0; i < n; i++) {
        if (write(sock, &c, 1) != 1 || read(sock, &c, 1) != 1)
            return -1;
    }
    return bench_now() - t;
}

static double run_bw(long n, void *arg)
{
    double t = bench_now();

    for (long i = 0; i < n; i++) {
        size_t got = 0;

        while (got < CHUNK) {
            ssize_t r = read(sock, buf + got, CHUNK - got);

            if (r <= 0)
                return -1;
            got += r;
        }
    }
    return bench_now() - t;
}

/* The child: accept one connection on @lsock, then echo bytes (latency)
 * or write chunks without end (bandwidth). */
static void serve(int lsock, int bw)
{
    int s = accept(lsock, NULL, NULL), one = 1;
    char c;

    if (s < 0)
        _exit(1);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (bw) {
        memset(buf, 'w', sizeof(buf));
        while (write(s, buf, CHUNK) > 0)
            ;
    } else {
        while (read(s, &c, 1) == 1)
            if (write(s, &c, 1) != 1)
                break;
    }
    _exit(0);
}

int main(int argc, char **argv)
{
    const char *item = bench_item(argc, argv, "lat|bw");
    int bw = !strcmp(item, "bw");
    struct sockaddr_in addr = {
        .sin_family = AF_INET,
        .sin_port = htons(PORT),
        .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };
    int lsock, one = 1, rc;
    pid_t pid;

    if (!bw && strcmp(item, "lat")) {
        fprintf(stderr, "lat_tcp: unknown item %s\n", item);
        return 1;
    }
    name = bw ? "tcp_bandwidth" : "tcp_latency";
    lsock = socket(AF_INET, SOCK_STREAM, 0);
    if (lsock < 0)
        fail("socket");
    loopback_up();
    setsockopt(lsock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(lsock, (struct sockaddr *)&addr, sizeof(addr)))
        fail("bind");
    if (listen(lsock, 1))
        fail("listen");
    pid = fork();
    if (pid < 0)
        fail("fork");
    if (pid == 0)
        serve(lsock, bw);
    close(lsock);
    sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof(addr))) {
        kill(pid, SIGKILL);
        fail("connect");
    }
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (bw)
        rc = bench_bandwidth(name, run_bw, NULL, CHUNK);
    else
        rc = bench_latency(name, run_lat, NULL);
    kill(pid, SIGKILL);
    close(sock);
    waitpid(pid, NULL, 0);
    return rc;
}
