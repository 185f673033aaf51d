/* epoll under load: 4 worker threads serve 32 pipe pairs for 4 client
 * threads, each message (a pair and a sequence number) answered on the
 * pair's reply pipe.  First the workers share one epoll set and re-arm
 * each EPOLLONESHOT item once they have drained its pipe; then each
 * worker has its own epoll set watching every request pipe with
 * EPOLLEXCLUSIVE (level-triggered, so whoever is woken reads).  Every
 * message must be answered exactly once with the right answer, and an
 * eventfd in every set stops the workers.  No wake-up may be lost: a
 * client that waits too long for an answer reports it instead of
 * hanging. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include "check.h"

#define NPAIRS 32
#define NWORKERS 4
#define NCLIENTS 4
#define MSGS 100 /* per pair and phase */
#define BATCH 10 /* in flight per pair */
#define STOP UINT64_MAX
#define MAGIC 0x5a5a5a5a00000000ull

static int req[NPAIRS][2], rsp[NPAIRS][2];
static int stopfd;
static unsigned char seen[NPAIRS][MSGS];
static int bad_answers, short_reads, lost, handled;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void note(int *counter, int n)
{
    pthread_mutex_lock(&lock);
    *counter += n;
    pthread_mutex_unlock(&lock);
}

/* Answer what is in pair @i's request pipe; returns when it is empty. */
static void serve(int i)
{
    uint64_t buf[64];
    ssize_t n;

    while ((n = read(req[i][0], buf, sizeof(buf))) > 0) {
        if (n % 8)
            note(&short_reads, 1);
        for (ssize_t k = 0; k < n / 8; k++) {
            uint64_t answer = buf[k] ^ MAGIC;

            if (write(rsp[i][1], &answer, sizeof(answer)) != sizeof(answer))
                note(&bad_answers, 1);
        }
        note(&handled, (int)(n / 8));
    }
}

/* Phase 1: one shared set, one-shot items re-armed after each drain. */
static void *oneshot_worker(void *arg)
{
    int ep = *(int *)arg;
    struct epoll_event ev[4];

    for (;;) {
        int n = epoll_wait(ep, ev, 4, -1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            note(&bad_answers, 1000);
            return NULL;
        }
        for (int k = 0; k < n; k++) {
            struct epoll_event again = { .events = EPOLLIN | EPOLLONESHOT };

            if (ev[k].data.u64 == STOP)
                return NULL;
            serve((int)ev[k].data.u64);
            again.data.u64 = ev[k].data.u64;
            if (epoll_ctl(ep, EPOLL_CTL_MOD, req[ev[k].data.u64][0], &again))
                note(&bad_answers, 1000);
        }
    }
}

/* Phase 2: a set per worker, every request pipe in each, exclusive. */
static void *exclusive_worker(void *arg)
{
    struct epoll_event ev[8];
    int ep = epoll_create1(0);

    for (int i = 0; i < NPAIRS; i++) {
        struct epoll_event e = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data.u64 = (uint64_t)i };

        if (epoll_ctl(ep, EPOLL_CTL_ADD, req[i][0], &e))
            note(&bad_answers, 1000);
    }
    {
        struct epoll_event e = { .events = EPOLLIN, .data.u64 = STOP };

        if (epoll_ctl(ep, EPOLL_CTL_ADD, stopfd, &e))
            note(&bad_answers, 1000);
    }
    __atomic_add_fetch((int *)arg, 1, __ATOMIC_RELEASE);
    for (;;) {
        int n = epoll_wait(ep, ev, 8, -1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            note(&bad_answers, 1000);
            break;
        }
        for (int k = 0; k < n; k++) {
            if (ev[k].data.u64 == STOP) {
                close(ep);
                return NULL;
            }
            serve((int)ev[k].data.u64);
        }
    }
    close(ep);
    return NULL;
}

/* Read @n answers of pair @i, checking them; false when one never came. */
static int collect(int i, int n)
{
    while (n > 0) {
        struct pollfd pf = { .fd = rsp[i][0], .events = POLLIN };
        uint64_t buf[BATCH];
        ssize_t got;

        /* a guard against a lost wake-up, not a timing check */
        if (poll(&pf, 1, 20000) != 1)
            return 0;
        got = read(rsp[i][0], buf, (size_t)n * 8);
        if (got <= 0 || got % 8) {
            note(&short_reads, 1);
            return 0;
        }
        for (ssize_t k = 0; k < got / 8; k++) {
            uint64_t msg = buf[k] ^ MAGIC;
            unsigned pair = (unsigned)(msg >> 16), seq = (unsigned)(msg & 0xffff);

            if ((msg >> 32) || pair != (unsigned)i || seq >= MSGS) {
                note(&bad_answers, 1);
                continue;
            }
            pthread_mutex_lock(&lock);
            seen[pair][seq]++;
            pthread_mutex_unlock(&lock);
        }
        n -= (int)(got / 8);
    }
    return 1;
}

static void *client(void *arg)
{
    int first = *(int *)arg * (NPAIRS / NCLIENTS);

    for (int round = 0; round < MSGS / BATCH; round++) {
        for (int i = first; i < first + NPAIRS / NCLIENTS; i++) {
            uint64_t msgs[BATCH];

            for (int k = 0; k < BATCH; k++)
                msgs[k] = (uint64_t)i << 16 | (uint64_t)(round * BATCH + k);
            if (write(req[i][1], msgs, sizeof(msgs)) != sizeof(msgs))
                note(&bad_answers, 1);
        }
        for (int i = first; i < first + NPAIRS / NCLIENTS; i++) {
            if (!collect(i, BATCH)) {
                note(&lost, 1);
                return NULL;
            }
        }
    }
    return NULL;
}

/* Run the clients to the end; every message answered exactly once. */
static void run_clients(const char *phase)
{
    pthread_t th[NCLIENTS];
    int ids[NCLIENTS], once = 0;

    memset(seen, 0, sizeof(seen));
    handled = 0;
    for (int c = 0; c < NCLIENTS; c++) {
        ids[c] = c;
        CHECK(pthread_create(&th[c], NULL, client, &ids[c]) == 0, "client");
    }
    for (int c = 0; c < NCLIENTS; c++)
        pthread_join(th[c], NULL);
    for (int i = 0; i < NPAIRS; i++)
        for (int s = 0; s < MSGS; s++)
            once += seen[i][s] == 1;
    CHECK(lost == 0, "%s: %d clients waited in vain", phase, lost);
    CHECK(once == NPAIRS * MSGS, "%s: %d of %d answered exactly once", phase, once, NPAIRS * MSGS);
    CHECK(bad_answers == 0 && short_reads == 0, "%s: %d bad answers, %d short reads", phase, bad_answers,
          short_reads);
    printf("%s: %d messages answered\n", phase, once);
}

/* Stop the workers; they served each message once (counted once they
 * are done: an answer may be read before its worker counts it). */
static void stop_workers(pthread_t *th, const char *phase)
{
    uint64_t one = 1;

    CHECK(write(stopfd, &one, sizeof(one)) == sizeof(one), "stop");
    for (int w = 0; w < NWORKERS; w++)
        pthread_join(th[w], NULL);
    CHECK(read(stopfd, &one, sizeof(one)) == sizeof(one), "reset stop");
    CHECK(handled == NPAIRS * MSGS, "%s: %d served", phase, handled);
}

int main(void)
{
    pthread_t th[NWORKERS];
    struct epoll_event ev;
    int ep, ready = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 0; i < NPAIRS; i++) {
        CHECK(pipe2(req[i], O_NONBLOCK) == 0 && pipe(rsp[i]) == 0, "pipes: errno %d", errno);
        /* clients write and read blocking; workers read without blocking */
        fcntl(req[i][1], F_SETFL, 0);
    }
    stopfd = eventfd(0, 0);
    CHECK(stopfd >= 0, "eventfd");

    /* phase 1: EPOLLONESHOT in a shared set */
    ep = epoll_create1(0);
    for (int i = 0; i < NPAIRS; i++) {
        ev = (struct epoll_event){ .events = EPOLLIN | EPOLLONESHOT, .data.u64 = (uint64_t)i };
        CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, req[i][0], &ev) == 0, "add %d", i);
    }
    ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = STOP };
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, stopfd, &ev) == 0, "add stop");
    for (int w = 0; w < NWORKERS; w++)
        CHECK(pthread_create(&th[w], NULL, oneshot_worker, &ep) == 0, "worker");
    run_clients("oneshot");
    stop_workers(th, "oneshot");
    close(ep);

    /* phase 2: a set per worker, EPOLLEXCLUSIVE */
    for (int w = 0; w < NWORKERS; w++)
        CHECK(pthread_create(&th[w], NULL, exclusive_worker, &ready) == 0, "worker");
    while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < NWORKERS)
        usleep(1000);
    run_clients("exclusive");
    stop_workers(th, "exclusive");
    return check_result("epoll_pipes");
}
