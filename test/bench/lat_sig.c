/* Signals, as in LMbench's lat_sig: installing a handler with sigaction,
 * and delivering a signal that a process sends itself with kill and that
 * a handler catches (delivery, the handler and sigreturn).
 *
 *	lat_sig install|deliver */
#include "bench.h"
#include <signal.h>

static volatile long caught;

static void handler(int sig)
{
    caught++;
}

static double run_install(long n, void *arg)
{
    struct sigaction sa = { .sa_handler = handler };
    double t = bench_now();

    for (long i = 0; i < n; i++)
        sigaction(SIGUSR1, &sa, NULL);
    return bench_now() - t;
}

static double run_catch(long n, void *arg)
{
    pid_t me = getpid();
    long before = caught;
    double t = bench_now();

    for (long i = 0; i < n; i++)
        kill(me, SIGUSR1);
    t = bench_now() - t;
    if (caught - before != n)
        return errno = EIO, -1;
    return t;
}

int main(int argc, char **argv)
{
    const char *item = bench_item(argc, argv, "install|deliver");
    struct sigaction sa = { .sa_handler = handler };

    if (sigaction(SIGUSR1, &sa, NULL))
        bench_unsupported_exit(!strcmp(item, "deliver") ? "sig_deliver"
                                                      : "sig_install",
                               "sigaction", errno);
    if (!strcmp(item, "install"))
        return bench_latency("sig_install", run_install, NULL);
    if (!strcmp(item, "deliver")) {
        if (kill(getpid(), SIGUSR1) || caught != 1)
            bench_unsupported_exit("sig_deliver", "kill", errno);
        return bench_latency("sig_deliver", run_catch, NULL);
    }
    fprintf(stderr, "lat_sig: unknown item %s\n", item);
    return 1;
}
