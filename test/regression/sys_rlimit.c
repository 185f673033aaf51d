/* Resource limits: the initial ones are Linux's for init (the process and
 * pending-signal limits scale with memory); getrlimit, setrlimit and
 * prlimit64 agree; a soft limit may not exceed its hard limit; root may
 * raise a hard limit, an ordinary process may only lower it; prlimit64
 * reaches another process. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

static int failures;

#define CHECK(cond, ...)                                                       \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("FAIL: " __VA_ARGS__);                                  \
            printf("\n");                                                  \
            failures++;                                                    \
        }                                                                  \
    } while (0)
#define S(...) syscall(__VA_ARGS__)
#define INF RLIM_INFINITY

struct lim {
    int resource;
    const char *name;
    unsigned long long cur, max;
};

/* Linux 6.1's INIT_RLIMITS; 0 for NPROC and SIGPENDING: from memory. */
static const struct lim initial[] = {
    { RLIMIT_CPU, "CPU", INF, INF },
    { RLIMIT_FSIZE, "FSIZE", INF, INF },
    { RLIMIT_DATA, "DATA", INF, INF },
    { RLIMIT_STACK, "STACK", 8 << 20, INF },
    { RLIMIT_CORE, "CORE", 0, INF },
    { RLIMIT_RSS, "RSS", INF, INF },
    { RLIMIT_NPROC, "NPROC", 0, 0 },
    { RLIMIT_NOFILE, "NOFILE", 1024, 4096 },
    { RLIMIT_MEMLOCK, "MEMLOCK", 8 << 20, 8 << 20 },
    { RLIMIT_AS, "AS", INF, INF },
    { RLIMIT_LOCKS, "LOCKS", INF, INF },
    { RLIMIT_SIGPENDING, "SIGPENDING", 0, 0 },
    { RLIMIT_MSGQUEUE, "MSGQUEUE", 819200, 819200 },
    { RLIMIT_NICE, "NICE", 0, 0 },
    { RLIMIT_RTPRIO, "RTPRIO", 0, 0 },
    { RLIMIT_RTTIME, "RTTIME", INF, INF },
};

static void check_initial(void)
{
    struct sysinfo si;
    struct rlimit rl;
    unsigned long long threads;

    /* fork_init(): a kernel stack (16 KiB) per thread in an eighth of RAM,
     * half of those for init; RAM as counted a little before sysinfo's */
    sysinfo(&si);
    threads = (unsigned long long)si.totalram * si.mem_unit / (16384 * 8) / 2;
    for (unsigned i = 0; i < sizeof(initial) / sizeof(initial[0]); i++) {
        const struct lim *l = &initial[i];

        CHECK(S(SYS_getrlimit, l->resource, &rl) == 0, "getrlimit(%s)", l->name);
        if (l->resource == RLIMIT_NPROC || l->resource == RLIMIT_SIGPENDING) {
            CHECK(rl.rlim_cur == rl.rlim_max && rl.rlim_cur >= threads * 90 / 100 &&
                  rl.rlim_cur <= threads + 1,
                  "%s %llu/%llu, expected about %llu", l->name,
                  (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
                  threads);
            continue;
        }
        CHECK(rl.rlim_cur == l->cur && rl.rlim_max == l->max,
              "%s is %llu/%llu, expected %llu/%llu", l->name,
              (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
              l->cur, l->max);
    }
}

int main(void)
{
    struct rlimit rl, old;
    struct { unsigned long long cur, max; } n64, o64; /* prlimit64 layout */
    int status;
    pid_t child;

    check_initial();

    /* set and read back, by both calls */
    rl.rlim_cur = 100; rl.rlim_max = 200;
    CHECK(S(SYS_setrlimit, RLIMIT_CORE, &rl) == 0, "setrlimit(CORE, 100/200)");
    CHECK(S(SYS_prlimit64, 0, RLIMIT_CORE, NULL, &o64) == 0 && o64.cur == 100 &&
          o64.max == 200, "prlimit64 reads %llu/%llu", o64.cur, o64.max);
    n64.cur = 150; n64.max = INF;
    CHECK(S(SYS_prlimit64, 0, RLIMIT_CORE, &n64, &o64) == 0 && o64.cur == 100 &&
          o64.max == 200, "prlimit64 swaps: old %llu/%llu", o64.cur, o64.max);
    CHECK(S(SYS_getrlimit, RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 150 &&
          rl.rlim_max == INF, "root raised the hard limit back to infinity");
    CHECK(S(SYS_prlimit64, getpid(), RLIMIT_CORE, NULL, &o64) == 0 && o64.cur == 150,
          "prlimit64 on its own pid");
    rl.rlim_cur = INF; rl.rlim_max = INF;
    CHECK(S(SYS_setrlimit, RLIMIT_STACK, &rl) == 0, "unlimited stack");
    rl.rlim_cur = 1048576; rl.rlim_max = 1048576;
    CHECK(S(SYS_setrlimit, RLIMIT_NOFILE, &rl) == 0, "NOFILE up to fs.nr_open");
    rl.rlim_cur = 10; rl.rlim_max = 5;
    CHECK(S(SYS_setrlimit, RLIMIT_CORE, &rl) == -1 && errno == EINVAL,
          "soft above hard: errno %d", errno);

    /* another process: the parent reads and sets its child's limits */
    fflush(stdout);
    child = fork();
    if (child == 0) {
        struct rlimit mine;

        /* wait until the parent lowered our limit */
        for (int i = 0; i < 100000; i++) {
            getrlimit(RLIMIT_CORE, &mine);
            if (mine.rlim_cur == 7)
                break;
            sched_yield();
        }
        if (mine.rlim_cur != 7 || mine.rlim_max != 70)
            _exit(1);
        /* unprivileged, it can lower but not raise its hard limit */
        if (S(SYS_setresuid, 1000, 1000, 1000))
            _exit(2);
        mine.rlim_max = 60;
        if (setrlimit(RLIMIT_CORE, &mine))
            _exit(3);
        mine.rlim_max = 61;
        if (setrlimit(RLIMIT_CORE, &mine) != -1 || errno != EPERM)
            _exit(4);
        _exit(0);
    }
    CHECK(S(SYS_prlimit64, child, RLIMIT_CORE, NULL, &o64) == 0 && o64.cur == 150 &&
          o64.max == INF, "the child inherited 150/inf: %llu/%llu", o64.cur, o64.max);
    n64.cur = 7; n64.max = 70;
    CHECK(S(SYS_prlimit64, child, RLIMIT_CORE, &n64, NULL) == 0,
          "prlimit64 sets the child's limit: errno %d", errno);
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) &&
          WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(S(SYS_getrlimit, RLIMIT_CORE, &old) == 0 && old.rlim_cur == 150,
          "the parent's own limit did not change");
    if (failures)
        return 1;
    printf("sys_rlimit ok\n");
    return 0;
}
