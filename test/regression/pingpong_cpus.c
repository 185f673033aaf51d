// timeout: 900
/* No lost wake-ups across CPUs: two threads, pinned to two different CPUs
 * when there are two, hand a token back and forth 100,000 times through a
 * futex word and through a pair of pipes, and 10,000 times through a
 * pthread condition variable (which is made of futexes too).  A lost
 * wake-up leaves both threads asleep: the alarm then ends the program
 * with SIGALRM, and the test fails.  Each thread also checks that it ran
 * on the CPU it was pinned to. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

#define ROUNDS 100000
#define CONDVAR_ROUNDS 10000
#define WATCHDOG_SECONDS 600

enum method { FUTEX, CONDVAR, PIPE };

struct pingpong {
    enum method method;
    long rounds;
    int cpu[2];            /* each side's CPU, -1: not pinned */
    atomic_int turn;       /* FUTEX: whose turn, 0 or 1 */
    pthread_mutex_t lock;  /* CONDVAR */
    pthread_cond_t cond;
    int cv_turn;           /* CONDVAR, under lock */
    int pipes[2][2];       /* PIPE: [to side i][read, write] */
    long done[2];          /* rounds each side completed */
    int wrong_cpu[2];      /* times a side found itself on another CPU */
};

static struct pingpong pp;

static long futex(atomic_int *word, int op, int val)
{
    return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

static int pin(int cpu)
{
    cpu_set_t set;

    if (cpu < 0)
        return 0;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof(set), &set);
}

/* Wait for my turn, then give the turn to the other side. */
static int exchange(int me)
{
    int other = !me;
    char byte = 'x';

    switch (pp.method) {
    case FUTEX:
        while (atomic_load(&pp.turn) != me)
            if (futex(&pp.turn, FUTEX_WAIT_PRIVATE, other) && errno != EAGAIN &&
                errno != EINTR)
                return -1;
        atomic_store(&pp.turn, other);
        return futex(&pp.turn, FUTEX_WAKE_PRIVATE, 1) < 0 ? -1 : 0;
    case CONDVAR:
        pthread_mutex_lock(&pp.lock);
        while (pp.cv_turn != me)
            pthread_cond_wait(&pp.cond, &pp.lock);
        pp.cv_turn = other;
        pthread_cond_signal(&pp.cond);
        pthread_mutex_unlock(&pp.lock);
        return 0;
    case PIPE:
        if (me == 1 && read(pp.pipes[1][0], &byte, 1) != 1)
            return -1;
        if (write(pp.pipes[other][1], &byte, 1) != 1)
            return -1;
        if (me == 0 && read(pp.pipes[0][0], &byte, 1) != 1)
            return -1;
        return 0;
    }
    return -1;
}

static void *side(void *arg)
{
    int me = (int)(intptr_t)arg;

    if (pin(pp.cpu[me]))
        return (void *)-1L;
    for (long i = 0; i < pp.rounds; i++) {
        if (exchange(me))
            return (void *)-1L;
        pp.done[me]++;
        if (pp.cpu[me] >= 0 && i % 1000 == 0 && sched_getcpu() != pp.cpu[me])
            pp.wrong_cpu[me]++;
    }
    return NULL;
}

static void run(enum method method, const char *name, long rounds, int ncpus)
{
    pthread_t t[2];
    void *ret[2] = { NULL, NULL };

    memset(&pp, 0, sizeof(pp));
    pp.method = method;
    pp.rounds = rounds;
    pp.cpu[0] = ncpus >= 2 ? 0 : -1;
    pp.cpu[1] = ncpus >= 2 ? 1 : -1;
    pthread_mutex_init(&pp.lock, NULL);
    pthread_cond_init(&pp.cond, NULL);
    if (method == PIPE)
        CHECK(pipe(pp.pipes[0]) == 0 && pipe(pp.pipes[1]) == 0, "pipe: errno %d", errno);
    for (int i = 0; i < 2; i++)
        CHECK(pthread_create(&t[i], NULL, side, (void *)(intptr_t)i) == 0, "pthread_create");
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], &ret[i]);
    for (int i = 0; i < 2; i++) {
        CHECK(ret[i] == NULL, "%s: side %d failed after %ld rounds (errno %d)", name, i,
              pp.done[i], errno);
        CHECK(pp.done[i] == rounds, "%s: side %d did %ld rounds", name, i, pp.done[i]);
        CHECK(pp.wrong_cpu[i] == 0, "%s: side %d left CPU %d %d times", name, i, pp.cpu[i],
              pp.wrong_cpu[i]);
    }
    if (method == PIPE)
        for (int i = 0; i < 2; i++)
            close(pp.pipes[i][0]), close(pp.pipes[i][1]);
    printf("%s: %ld rounds on CPUs %d and %d\n", name, rounds, pp.cpu[0], pp.cpu[1]);
}

int main(void)
{
    int ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);

    alarm(WATCHDOG_SECONDS); /* a lost wake-up ends here, with SIGALRM */
    printf("%d CPUs online\n", ncpus);
    CHECK(ncpus >= 1, "sysconf(_SC_NPROCESSORS_ONLN) = %d", ncpus);
    run(FUTEX, "futex", ROUNDS, ncpus);
    run(CONDVAR, "condvar", CONDVAR_ROUNDS, ncpus);
    run(PIPE, "pipe", ROUNDS, ncpus);
    return check_result("pingpong_cpus");
}
