/* The scheduling calls with Linux's values and errors: the priority
 * ranges, sched_setscheduler/getscheduler/setparam/getparam (as root),
 * sched_rr_get_interval, sched_setattr/getattr and their size rules,
 * SCHED_RESET_ON_FORK and what fork and threads inherit, getpriority and
 * setpriority for a thread, a process group and a user (the raw call
 * returns 20 - nice), the affinity calls' sizes and errors, what
 * /proc/PID/stat shows, and what an unprivileged process may not do
 * (EPERM, EACCES; RLIMIT_NICE and RLIMIT_RTPRIO lift it).  musl does not
 * wrap sched_setscheduler, so the raw calls are used throughout. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>
/* the UAPI's struct sched_param is also musl's: rename it on the way */
#define sched_param uapi_sched_param
#include <linux/sched/types.h>
#undef sched_param

#define BAD ((void *)8) /* never mapped */

static int failures;

static void expect(const char *what, long ret, int err, long want_ret, int want_err)
{
    if (ret == want_ret && (want_ret != -1 || err == want_err))
        return;
    printf("FAIL: %s -> %ld errno %d (%s), expected %ld", what, ret, err,
           strerror(err), want_ret);
    if (want_ret == -1)
        printf(" errno %d (%s)", want_err, strerror(want_err));
    printf("\n");
    fflush(stdout);
    failures++;
}

/* ERR(call, errno): the call fails with that errno; RET(call, value). */
#define ERR(call, e) do { errno = 0; long r_ = (long)(call); expect(#call, r_, errno, -1, e); } while (0)
#define RET(call, v) do { errno = 0; long r_ = (long)(call); expect(#call, r_, errno, v, 0); } while (0)
#define CHECK(cond, ...) do { if (!(cond)) { printf("FAIL %d: ", __LINE__); printf(__VA_ARGS__); printf("\n"); fflush(stdout); failures++; } } while (0)
#define S(...) syscall(__VA_ARGS__)

struct param { int prio; };

static long setsched(pid_t pid, int policy, int prio)
{
    struct param p = { prio };

    return S(SYS_sched_setscheduler, pid, policy, &p);
}

static int getparam(pid_t pid)
{
    struct param p = { -1 };

    if (S(SYS_sched_getparam, pid, &p))
        return -1;
    return p.prio;
}

static long setattr(pid_t pid, unsigned policy, int nice, unsigned prio, unsigned long long flags)
{
    struct sched_attr a;

    memset(&a, 0, sizeof(a));
    a.size = sizeof(a);
    a.sched_policy = policy;
    a.sched_nice = nice;
    a.sched_priority = prio;
    a.sched_flags = flags;
    return S(SYS_sched_setattr, pid, &a, 0);
}

static struct sched_attr getattr(pid_t pid)
{
    struct sched_attr a;

    memset(&a, 0xaa, sizeof(a));
    if (S(SYS_sched_getattr, pid, &a, sizeof(a), 0))
        a.size = 0;
    return a;
}

/* The raw getpriority(): 20 - nice. */
static long rawprio(int which, int who)
{
    return S(SYS_getpriority, which, who);
}

/* A pid that no longer exists: a reaped child's. */
static pid_t dead_pid(void)
{
    pid_t pid = fork();

    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    return pid;
}

/* Fields 18 (priority), 19 (nice), 39 (processor), 40 (rt_priority) and
 * 41 (policy) of a /proc stat file. */
struct stat_sched { long prio, nice, cpu, rt_prio, policy; };

static int read_stat(const char *path, struct stat_sched *out)
{
    char buf[1024], *p;
    long f[52];
    int n = 0;
    FILE *fp = fopen(path, "r");
    size_t len;

    if (!fp)
        return -1;
    len = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[len] = 0;
    p = strrchr(buf, ')');
    if (!p)
        return -1;
    p += 2; /* field 3, the state */
    p = strchr(p, ' ');
    while (p && n < 50) {
        f[n++] = strtol(p + 1, &p, 10); /* fields 4 on */
        if (*p != ' ')
            break;
    }
    if (n < 38) {
        printf("%s: only %d fields: %s\n", path, n, buf);
        return -1;
    }
    out->prio = f[18 - 4];
    out->nice = f[19 - 4];
    out->cpu = f[39 - 4];
    out->rt_prio = f[40 - 4];
    out->policy = f[41 - 4];
    return 0;
}

static void ranges(void)
{
    RET(S(SYS_sched_get_priority_max, SCHED_FIFO), 99);
    RET(S(SYS_sched_get_priority_min, SCHED_FIFO), 1);
    RET(S(SYS_sched_get_priority_max, SCHED_RR), 99);
    RET(S(SYS_sched_get_priority_min, SCHED_RR), 1);
    RET(S(SYS_sched_get_priority_max, SCHED_NORMAL), 0);
    RET(S(SYS_sched_get_priority_min, SCHED_NORMAL), 0);
    RET(S(SYS_sched_get_priority_max, SCHED_BATCH), 0);
    RET(S(SYS_sched_get_priority_max, SCHED_IDLE), 0);
    RET(S(SYS_sched_get_priority_min, SCHED_IDLE), 0);
    RET(S(SYS_sched_get_priority_max, SCHED_DEADLINE), 0);
    ERR(S(SYS_sched_get_priority_max, 4), EINVAL);
    ERR(S(SYS_sched_get_priority_min, 7), EINVAL);
    ERR(S(SYS_sched_get_priority_max, -1), EINVAL);
}

static void policies(void)
{
    struct param p = { 0 };
    struct stat_sched st = { 0 };
    struct timespec ts;
    pid_t dead = dead_pid();

    RET(S(SYS_sched_getscheduler, 0), SCHED_NORMAL);
    RET(S(SYS_sched_getscheduler, getpid()), SCHED_NORMAL);
    ERR(S(SYS_sched_getscheduler, -1), EINVAL);
    ERR(S(SYS_sched_getscheduler, dead), ESRCH);
    RET(getparam(0), 0);
    ERR(S(SYS_sched_getparam, 0, NULL), EINVAL);
    ERR(S(SYS_sched_getparam, -1, &p), EINVAL);
    ERR(S(SYS_sched_getparam, 0, BAD), EFAULT);
    ERR(S(SYS_sched_getparam, dead, &p), ESRCH);

    /* the checks, in Linux's order */
    ERR(setsched(0, SCHED_FIFO, 0), EINVAL);
    ERR(setsched(0, SCHED_FIFO, 100), EINVAL);
    ERR(setsched(0, SCHED_FIFO, -1), EINVAL);
    ERR(setsched(0, SCHED_NORMAL, 5), EINVAL);
    ERR(setsched(0, SCHED_IDLE, 1), EINVAL);
    ERR(setsched(0, 4, 0), EINVAL);
    ERR(setsched(0, -1, 0), EINVAL);
    ERR(setsched(0, SCHED_DEADLINE, 0), EINVAL); /* no deadline given */
    ERR(S(SYS_sched_setscheduler, 0, SCHED_NORMAL, NULL), EINVAL);
    ERR(S(SYS_sched_setscheduler, -1, SCHED_NORMAL, &p), EINVAL);
    ERR(S(SYS_sched_setscheduler, 0, SCHED_NORMAL, BAD), EFAULT);
    ERR(setsched(dead, SCHED_NORMAL, 0), ESRCH);
    ERR(S(SYS_sched_setparam, 0, NULL), EINVAL);
    ERR(S(SYS_sched_setparam, 0, BAD), EFAULT);
    ERR(S(SYS_sched_setparam, dead, &p), ESRCH);
    p.prio = 3;
    ERR(S(SYS_sched_setparam, 0, &p), EINVAL); /* SCHED_NORMAL takes 0 */
    RET(S(SYS_sched_getscheduler, 0), SCHED_NORMAL);

    /* real time, as root */
    RET(setsched(0, SCHED_FIFO, 10), 0);
    RET(S(SYS_sched_getscheduler, 0), SCHED_FIFO);
    RET(getparam(0), 10);
    CHECK(read_stat("/proc/self/stat", &st) == 0 && st.prio == -11 &&
          st.rt_prio == 10 && st.policy == SCHED_FIFO && st.nice == 0,
          "stat of FIFO 10: priority %ld nice %ld rt_priority %ld policy %ld",
          st.prio, st.nice, st.rt_prio, st.policy);
    p.prio = 20;
    RET(S(SYS_sched_setparam, 0, &p), 0);
    RET(getparam(0), 20);
    p.prio = 0;
    ERR(S(SYS_sched_setparam, 0, &p), EINVAL);
    RET(S(SYS_sched_rr_get_interval, 0, &ts), 0);
    CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0, "FIFO interval %ld.%09ld",
          (long)ts.tv_sec, ts.tv_nsec);
    RET(setsched(0, SCHED_RR, 5), 0);
    RET(S(SYS_sched_getscheduler, 0), SCHED_RR);
    RET(S(SYS_sched_rr_get_interval, 0, &ts), 0);
    CHECK(ts.tv_sec == 0 && ts.tv_nsec == 100000000, "RR interval %ld.%09ld",
          (long)ts.tv_sec, ts.tv_nsec);
    CHECK(read_stat("/proc/self/stat", &st) == 0 && st.prio == -6 &&
          st.rt_prio == 5 && st.policy == SCHED_RR,
          "stat of RR 5: priority %ld rt_priority %ld policy %ld", st.prio,
          st.rt_prio, st.policy);
    ERR(S(SYS_sched_rr_get_interval, -1, &ts), EINVAL);
    ERR(S(SYS_sched_rr_get_interval, dead, &ts), ESRCH);
    ERR(S(SYS_sched_rr_get_interval, 0, BAD), EFAULT);

    /* the nice value is kept through real time */
    RET(setsched(0, SCHED_NORMAL, 0), 0);
    RET(setpriority(PRIO_PROCESS, 0, 4), 0);
    RET(setsched(0, SCHED_FIFO, 1), 0);
    RET(rawprio(PRIO_PROCESS, 0), 16);
    RET(setsched(0, SCHED_BATCH, 0), 0);
    RET(S(SYS_sched_getscheduler, 0), SCHED_BATCH);
    RET(rawprio(PRIO_PROCESS, 0), 16);
    RET(getparam(0), 0);
    CHECK(read_stat("/proc/self/stat", &st) == 0 && st.prio == 24 &&
          st.rt_prio == 0 && st.policy == SCHED_BATCH && st.nice == 4,
          "stat of BATCH nice 4: priority %ld nice %ld rt_priority %ld policy %ld",
          st.prio, st.nice, st.rt_prio, st.policy);
    RET(S(SYS_sched_rr_get_interval, 0, &ts), 0);
    CHECK(ts.tv_sec == 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000,
          "fair interval %ld.%09ld", (long)ts.tv_sec, ts.tv_nsec);
    RET(setsched(0, SCHED_IDLE, 0), 0);
    RET(S(SYS_sched_getscheduler, 0), SCHED_IDLE);
    RET(setsched(0, SCHED_NORMAL, 0), 0);
    RET(setpriority(PRIO_PROCESS, 0, 0), 0);
}

static void attrs(void)
{
    struct sched_attr a;
    unsigned char big[80];
    pid_t dead = dead_pid();

    a = getattr(0);
    CHECK(a.size == sizeof(a) && a.sched_policy == SCHED_NORMAL &&
          a.sched_flags == 0 && a.sched_nice == 0 && a.sched_priority == 0 &&
          a.sched_runtime == 0 && a.sched_deadline == 0 && a.sched_period == 0,
          "getattr: size %u policy %u flags %llx nice %d prio %u", a.size,
          a.sched_policy, (unsigned long long)a.sched_flags, a.sched_nice,
          a.sched_priority);
    /* getattr: a smaller size gets that much, a larger one the kernel's */
    memset(big, 0xaa, sizeof(big));
    RET(S(SYS_sched_getattr, 0, big, SCHED_ATTR_SIZE_VER0, 0), 0);
    memcpy(&a, big, sizeof(a.size));
    CHECK(a.size == SCHED_ATTR_SIZE_VER0 && big[SCHED_ATTR_SIZE_VER0] == 0xaa,
          "getattr of 48 bytes: size %u, byte 48 %#x", a.size,
          big[SCHED_ATTR_SIZE_VER0]);
    memset(big, 0xaa, sizeof(big));
    RET(S(SYS_sched_getattr, 0, big, sizeof(big), 0), 0);
    memcpy(&a, big, sizeof(a.size));
    CHECK(a.size == sizeof(a) && big[sizeof(a)] == 0xaa,
          "getattr of 80 bytes: size %u, byte 56 %#x", a.size, big[sizeof(a)]);
    ERR(S(SYS_sched_getattr, 0, &a, SCHED_ATTR_SIZE_VER0 - 1, 0), EINVAL);
    ERR(S(SYS_sched_getattr, 0, &a, 4097, 0), EINVAL);
    ERR(S(SYS_sched_getattr, 0, &a, sizeof(a), 1), EINVAL);
    ERR(S(SYS_sched_getattr, 0, NULL, sizeof(a), 0), EINVAL);
    ERR(S(SYS_sched_getattr, -1, &a, sizeof(a), 0), EINVAL);
    ERR(S(SYS_sched_getattr, dead, &a, sizeof(a), 0), ESRCH);
    ERR(S(SYS_sched_getattr, 0, BAD, sizeof(a), 0), EFAULT);

    /* setattr's sizes: 0 is the first version's; too small or too big
     * is E2BIG with the kernel's size written back */
    memset(&a, 0, sizeof(a));
    a.sched_policy = SCHED_NORMAL;
    a.size = 0;
    RET(S(SYS_sched_setattr, 0, &a, 0), 0);
    a.size = SCHED_ATTR_SIZE_VER0 - 1;
    ERR(S(SYS_sched_setattr, 0, &a, 0), E2BIG);
    CHECK(a.size == sizeof(a), "size told back %u", a.size);
    a.size = 4097;
    ERR(S(SYS_sched_setattr, 0, &a, 0), E2BIG);
    CHECK(a.size == sizeof(a), "size told back %u", a.size);
    memset(big, 0, sizeof(big));
    a.size = sizeof(big);
    memcpy(big, &a, sizeof(a));
    RET(S(SYS_sched_setattr, 0, big, 0), 0); /* a larger one, zeros after */
    big[70] = 1;
    ERR(S(SYS_sched_setattr, 0, big, 0), E2BIG);
    memcpy(&a, big, sizeof(a));
    CHECK(a.size == sizeof(a), "size told back %u", a.size);
    a.size = sizeof(a);
    ERR(S(SYS_sched_setattr, 0, &a, 1), EINVAL);
    ERR(S(SYS_sched_setattr, 0, NULL, 0), EINVAL);
    ERR(S(SYS_sched_setattr, -1, &a, 0), EINVAL);
    ERR(S(SYS_sched_setattr, 0, BAD, 0), EFAULT);
    ERR(S(SYS_sched_setattr, dead, &a, 0), ESRCH);
    ERR(setattr(0, 0x80000000u, 0, 0, 0), EINVAL);
    ERR(setattr(0, SCHED_NORMAL, 0, 0, 0x80), EINVAL);
    ERR(setattr(0, SCHED_NORMAL, 0, 1, 0), EINVAL);
    ERR(setattr(0, SCHED_FIFO, 0, 100, 0), EINVAL);
    ERR(setattr(0, SCHED_DEADLINE, 0, 0, 0), EINVAL);
    /* utilization clamps: a field of the second version, not built in */
    a.sched_flags = SCHED_FLAG_UTIL_CLAMP_MIN;
    a.size = SCHED_ATTR_SIZE_VER0;
    ERR(S(SYS_sched_setattr, 0, &a, 0), EINVAL);
    ERR(setattr(0, SCHED_NORMAL, 0, 0, SCHED_FLAG_UTIL_CLAMP_MIN), EOPNOTSUPP);

    /* nice through setattr, clamped */
    RET(setattr(0, SCHED_NORMAL, 5, 0, 0), 0);
    RET(rawprio(PRIO_PROCESS, 0), 15);
    a = getattr(0);
    CHECK(a.sched_nice == 5 && a.sched_policy == SCHED_NORMAL, "nice %d", a.sched_nice);
    RET(setattr(0, SCHED_NORMAL, -25, 0, 0), 0);
    RET(rawprio(PRIO_PROCESS, 0), 40);
    RET(setattr(0, SCHED_BATCH, 30, 0, 0), 0);
    RET(rawprio(PRIO_PROCESS, 0), 1);
    RET(S(SYS_sched_getscheduler, 0), SCHED_BATCH);
    /* real time: the priority, the nice value stays */
    RET(setattr(0, SCHED_FIFO, 0, 30, 0), 0);
    a = getattr(0);
    CHECK(a.sched_policy == SCHED_FIFO && a.sched_priority == 30 && a.sched_nice == 0,
          "FIFO 30: policy %u prio %u nice %d", a.sched_policy, a.sched_priority,
          a.sched_nice);
    RET(rawprio(PRIO_PROCESS, 0), 1);
    /* keep the policy, change the priority; keep both */
    RET(setattr(0, SCHED_NORMAL, 0, 40, SCHED_FLAG_KEEP_POLICY), 0);
    RET(S(SYS_sched_getscheduler, 0), SCHED_FIFO);
    RET(getparam(0), 40);
    RET(setattr(0, SCHED_RR, 0, 50, SCHED_FLAG_KEEP_ALL), 0);
    RET(S(SYS_sched_getscheduler, 0), SCHED_FIFO);
    RET(getparam(0), 40);
    RET(setattr(0, SCHED_NORMAL, 0, 0, 0), 0);
    RET(rawprio(PRIO_PROCESS, 0), 20);
    RET(getparam(0), 0);
}

/* What a child of fork sees: its policy, priority and nice as "P/p/n". */
static int child_sched(char *out, size_t n)
{
    int fds[2], status;
    pid_t pid;
    ssize_t got;

    if (pipe(fds))
        return -1;
    pid = fork();
    if (pid == 0) {
        char buf[64];
        int len = snprintf(buf, sizeof(buf), "%ld/%d/%ld", S(SYS_sched_getscheduler, 0),
                           getparam(0), 20 - rawprio(PRIO_PROCESS, 0));

        write(fds[1], buf, (size_t)len);
        _exit(0);
    }
    close(fds[1]);
    got = read(fds[0], out, n - 1);
    close(fds[0]);
    waitpid(pid, &status, 0);
    out[got > 0 ? got : 0] = 0;
    return 0;
}

static void *thread_sched(void *arg)
{
    char *out = arg;

    snprintf(out, 64, "%ld/%d/%ld", S(SYS_sched_getscheduler, 0), getparam(0),
             20 - rawprio(PRIO_PROCESS, 0));
    return NULL;
}

static void inheritance(void)
{
    char got[64];
    struct sched_attr a;
    pthread_t th;

    RET(setsched(0, SCHED_RR, 7), 0);
    RET(setpriority(PRIO_PROCESS, 0, 3), 0);
    child_sched(got, sizeof(got));
    CHECK(!strcmp(got, "2/7/3"), "child of RR 7 nice 3: %s", got);
    pthread_create(&th, NULL, thread_sched, got);
    pthread_join(th, NULL);
    CHECK(!strcmp(got, "2/7/3"), "thread of RR 7 nice 3: %s", got);

    /* SCHED_RESET_ON_FORK: real time becomes SCHED_NORMAL, nice 0 */
    RET(setsched(0, SCHED_FIFO | SCHED_RESET_ON_FORK, 10), 0);
    RET(S(SYS_sched_getscheduler, 0), SCHED_FIFO | SCHED_RESET_ON_FORK);
    a = getattr(0);
    CHECK(a.sched_flags == SCHED_FLAG_RESET_ON_FORK, "flags %llx",
          (unsigned long long)a.sched_flags);
    child_sched(got, sizeof(got));
    CHECK(!strcmp(got, "0/0/0"), "child with reset on fork: %s", got);
    pthread_create(&th, NULL, thread_sched, got);
    pthread_join(th, NULL);
    CHECK(!strcmp(got, "0/0/0"), "thread with reset on fork: %s", got);
    /* sched_setparam keeps the flag */
    struct param p = { 12 };
    RET(S(SYS_sched_setparam, 0, &p), 0);
    RET(S(SYS_sched_getscheduler, 0), SCHED_FIFO | SCHED_RESET_ON_FORK);
    /* a negative nice becomes 0, a positive one stays */
    RET(setattr(0, SCHED_NORMAL, -5, 0, SCHED_FLAG_RESET_ON_FORK), 0);
    child_sched(got, sizeof(got));
    CHECK(!strcmp(got, "0/0/0"), "child of nice -5 with reset on fork: %s", got);
    RET(setattr(0, SCHED_BATCH, 6, 0, SCHED_FLAG_RESET_ON_FORK), 0);
    child_sched(got, sizeof(got));
    CHECK(!strcmp(got, "3/0/6"), "child of BATCH nice 6 with reset on fork: %s", got);
    /* root may clear the flag */
    RET(setattr(0, SCHED_NORMAL, 0, 0, 0), 0);
    RET(S(SYS_sched_getscheduler, 0), SCHED_NORMAL);
}

struct prio_thread {
    pid_t tid;
    int go, done;
    pthread_mutex_t lock;
    pthread_cond_t cond;
};

static void *prio_thread_fn(void *arg)
{
    struct prio_thread *pt = arg;

    pthread_mutex_lock(&pt->lock);
    pt->tid = gettid();
    setpriority(PRIO_PROCESS, 0, 9);
    pt->go = 1;
    pthread_cond_broadcast(&pt->cond);
    while (!pt->done)
        pthread_cond_wait(&pt->cond, &pt->lock);
    pthread_mutex_unlock(&pt->lock);
    return NULL;
}

/* A child that waits for its pipe to close, in its own process group
 * (with @pgrp) or as user @uid (if not 0); returns its pid once it is. */
static pid_t waiting_child(int *wfd, int pgrp, uid_t uid)
{
    int fds[2], ready[2];
    pid_t pid;
    char c = 0;

    if (pipe(fds) || pipe(ready))
        return -1;
    pid = fork();
    if (pid == 0) {
        close(fds[1]);
        close(ready[0]);
        if (pgrp)
            setpgid(0, 0);
        if (uid && setuid(uid))
            _exit(2);
        write(ready[1], &c, 1);
        read(fds[0], &c, 1);
        _exit(0);
    }
    close(fds[0]);
    close(ready[1]);
    if (pgrp)
        setpgid(pid, pid);
    read(ready[0], &c, 1);
    close(ready[0]);
    *wfd = fds[1];
    return pid;
}

static void end_child(pid_t pid, int wfd)
{
    close(wfd);
    waitpid(pid, NULL, 0);
}

static void priorities(void)
{
    struct prio_thread pt = { .lock = PTHREAD_MUTEX_INITIALIZER,
                              .cond = PTHREAD_COND_INITIALIZER };
    struct stat_sched st = { 0 };
    char path[64];
    pthread_t th;
    pid_t dead = dead_pid(), child, child2;
    int wfd, wfd2;

    RET(rawprio(PRIO_PROCESS, 0), 20);
    RET(getpriority(PRIO_PROCESS, 0), 0);
    RET(setpriority(PRIO_PROCESS, 0, 7), 0);
    RET(rawprio(PRIO_PROCESS, 0), 13);
    RET(rawprio(PRIO_PROCESS, getpid()), 13);
    RET(nice(1), 8);
    RET(rawprio(PRIO_PROCESS, 0), 12);
    RET(setpriority(PRIO_PROCESS, 0, 100), 0);
    RET(rawprio(PRIO_PROCESS, 0), 1);
    RET(setpriority(PRIO_PROCESS, 0, -100), 0);
    RET(rawprio(PRIO_PROCESS, 0), 40);
    ERR(S(SYS_setpriority, 3, 0, 0), EINVAL);
    ERR(S(SYS_setpriority, -1, 0, 0), EINVAL);
    ERR(rawprio(3, 0), EINVAL);
    ERR(rawprio(-1, 0), EINVAL);
    ERR(setpriority(PRIO_PROCESS, dead, 0), ESRCH);
    ERR(rawprio(PRIO_PROCESS, dead), ESRCH);
    RET(setpriority(PRIO_PROCESS, 0, 0), 0);
    CHECK(read_stat("/proc/self/stat", &st) == 0 && st.prio == 20 && st.nice == 0 &&
          st.policy == 0 && st.rt_prio == 0,
          "stat: priority %ld nice %ld policy %ld", st.prio, st.nice, st.policy);

    /* a thread's own nice value */
    pthread_create(&th, NULL, prio_thread_fn, &pt);
    pthread_mutex_lock(&pt.lock);
    while (!pt.go)
        pthread_cond_wait(&pt.cond, &pt.lock);
    pthread_mutex_unlock(&pt.lock);
    RET(rawprio(PRIO_PROCESS, 0), 20);
    RET(rawprio(PRIO_PROCESS, pt.tid), 11);
    snprintf(path, sizeof(path), "/proc/self/task/%d/stat", pt.tid);
    CHECK(read_stat(path, &st) == 0 && st.nice == 9 && st.prio == 29,
          "thread's stat: nice %ld priority %ld", st.nice, st.prio);
    CHECK(read_stat("/proc/self/stat", &st) == 0 && st.nice == 0,
          "process's stat: nice %ld", st.nice);
    RET(setpriority(PRIO_PROCESS, pt.tid, 2), 0);
    RET(rawprio(PRIO_PROCESS, pt.tid), 18);
    RET(rawprio(PRIO_PROCESS, 0), 20);
    RET(setsched(pt.tid, SCHED_FIFO, 3), 0);
    RET(S(SYS_sched_getscheduler, pt.tid), SCHED_FIFO);
    RET(S(SYS_sched_getscheduler, 0), SCHED_NORMAL);
    RET(setsched(pt.tid, SCHED_NORMAL, 0), 0);
    pthread_mutex_lock(&pt.lock);
    pt.done = 1;
    pthread_cond_broadcast(&pt.cond);
    pthread_mutex_unlock(&pt.lock);
    pthread_join(th, NULL);

    /* a process group: every member */
    child = waiting_child(&wfd, 1, 0);
    child2 = fork();
    if (child2 == 0) {
        setpgid(0, child);
        sleep(100);
        _exit(0);
    }
    setpgid(child2, child);
    RET(setpriority(PRIO_PGRP, child, 6), 0);
    RET(rawprio(PRIO_PROCESS, child), 14);
    RET(rawprio(PRIO_PROCESS, child2), 14);
    RET(rawprio(PRIO_PROCESS, 0), 20);
    RET(setpriority(PRIO_PROCESS, child2, 3), 0);
    RET(rawprio(PRIO_PGRP, child), 17); /* the highest */
    ERR(setpriority(PRIO_PGRP, dead, 0), ESRCH);
    ERR(rawprio(PRIO_PGRP, dead), ESRCH);
    RET(setpgid(0, 0), 0); /* a group of our own (not the kernel's, 0) */
    RET(rawprio(PRIO_PGRP, 0), 20);
    kill(child2, SIGKILL);
    waitpid(child2, NULL, 0);
    end_child(child, wfd);

    /* a user: every process of theirs */
    child = waiting_child(&wfd, 0, 4242);
    child2 = waiting_child(&wfd2, 0, 4242);
    RET(setpriority(PRIO_USER, 4242, 11), 0);
    RET(rawprio(PRIO_PROCESS, child), 9);
    RET(rawprio(PRIO_PROCESS, child2), 9);
    RET(rawprio(PRIO_USER, 4242), 9);
    RET(rawprio(PRIO_PROCESS, 0), 20);
    ERR(setpriority(PRIO_USER, 4243, 0), ESRCH);
    ERR(rawprio(PRIO_USER, 4243), ESRCH);
    /* root's: this process's at least (kernel threads may have more) */
    CHECK(rawprio(PRIO_USER, 0) >= 20, "PRIO_USER of root %ld", rawprio(PRIO_USER, 0));
    end_child(child2, wfd2); /* it has the first one's pipe too */
    end_child(child, wfd);
}

static void affinity(void)
{
    unsigned long long mask = 0, big[4];
    long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
    pid_t dead = dead_pid();

    RET(S(SYS_sched_getaffinity, 0, sizeof(mask), &mask), sizeof(mask));
    CHECK(ncpus >= 1 && ncpus <= 64 &&
          mask == (ncpus == 64 ? ~0ULL : (1ULL << ncpus) - 1),
          "mask %#llx with %ld CPUs", mask, ncpus);
    memset(big, 0xff, sizeof(big));
    RET(S(SYS_sched_getaffinity, 0, sizeof(big), big), sizeof(mask));
    CHECK(big[0] == mask && big[1] == ~0ULL, "a longer mask: %#llx %#llx", big[0], big[1]);
    ERR(S(SYS_sched_getaffinity, 0, 0, &mask), EINVAL);
    ERR(S(SYS_sched_getaffinity, 0, 4, &mask), EINVAL);
    ERR(S(SYS_sched_getaffinity, 0, 12, big), EINVAL);
    ERR(S(SYS_sched_getaffinity, dead, sizeof(mask), &mask), ESRCH);
    ERR(S(SYS_sched_getaffinity, 0, sizeof(mask), BAD), EFAULT);

    mask = 0;
    ERR(S(SYS_sched_setaffinity, 0, sizeof(mask), &mask), EINVAL);
    mask = 1ULL << 63; /* no such CPU */
    ERR(S(SYS_sched_setaffinity, 0, sizeof(mask), &mask), EINVAL);
    mask = 1;
    ERR(S(SYS_sched_setaffinity, 0, 0, &mask), EINVAL); /* nothing read */
    ERR(S(SYS_sched_setaffinity, dead, sizeof(mask), &mask), ESRCH);
    ERR(S(SYS_sched_setaffinity, 0, sizeof(mask), BAD), EFAULT);
    RET(S(SYS_sched_setaffinity, 0, 4, &mask), 0); /* the rest is zero */
    mask = 0;
    RET(S(SYS_sched_getaffinity, 0, sizeof(mask), &mask), sizeof(mask));
    CHECK(mask == 1, "pinned to CPU 0: %#llx", mask);
    mask = ~0ULL; /* the CPUs there are */
    RET(S(SYS_sched_setaffinity, 0, sizeof(mask), &mask), 0);
    RET(S(SYS_sched_getaffinity, 0, sizeof(mask), &mask), sizeof(mask));
    CHECK(mask == (ncpus == 64 ? ~0ULL : (1ULL << ncpus) - 1), "all: %#llx", mask);
}

/* In a child: what an ordinary user may not do.  Returns its failures. */
static int unprivileged(pid_t parent)
{
    struct rlimit rl = { 30, 30 }; /* nice down to -10 */
    unsigned long long mask = 1;
    struct param p = { 0 };

    failures = 0;
    RET(setsched(0, SCHED_NORMAL | SCHED_RESET_ON_FORK, 0), 0);
    RET(setrlimit(RLIMIT_NICE, &rl), 0);
    if (setuid(1000)) {
        printf("FAIL: setuid\n");
        return 1;
    }
    /* the reset-on-fork flag is not the user's to clear */
    ERR(setsched(0, SCHED_NORMAL, 0), EPERM);
    RET(setsched(0, SCHED_BATCH | SCHED_RESET_ON_FORK, 0), 0);
    rl.rlim_cur = rl.rlim_max = 0;
    RET(setrlimit(RLIMIT_NICE, &rl), 0); /* lowering a limit is allowed */
    /* another user's process */
    ERR(setpriority(PRIO_PROCESS, parent, 1), EPERM);
    ERR(setsched(parent, SCHED_NORMAL, 0), EPERM);
    ERR(S(SYS_sched_setaffinity, parent, sizeof(mask), &mask), EPERM);
    RET(rawprio(PRIO_PROCESS, parent), 20);
    RET(S(SYS_sched_getscheduler, parent), SCHED_NORMAL);
    RET(S(SYS_sched_getaffinity, parent, sizeof(mask), &mask), sizeof(mask));
    /* nice: lower only, EACCES for setpriority, EPERM for setattr */
    RET(setpriority(PRIO_PROCESS, 0, 5), 0);
    ERR(setpriority(PRIO_PROCESS, 0, 4), EACCES);
    ERR(nice(-1), EPERM);
    ERR(setattr(0, SCHED_BATCH, 3, 0, SCHED_FLAG_RESET_ON_FORK), EPERM);
    RET(setattr(0, SCHED_BATCH, 7, 0, SCHED_FLAG_RESET_ON_FORK), 0);
    RET(rawprio(PRIO_PROCESS, 0), 13);
    /* real time: not without RLIMIT_RTPRIO */
    ERR(setsched(0, SCHED_FIFO | SCHED_RESET_ON_FORK, 1), EPERM);
    ERR(setsched(0, SCHED_RR | SCHED_RESET_ON_FORK, 1), EPERM);
    /* SCHED_IDLE: in, but not out again without RLIMIT_NICE */
    RET(setsched(0, SCHED_IDLE | SCHED_RESET_ON_FORK, 0), 0);
    ERR(setsched(0, SCHED_BATCH | SCHED_RESET_ON_FORK, 0), EPERM);
    p.prio = 0;
    RET(S(SYS_sched_setparam, 0, &p), 0);
    RET(S(SYS_sched_getscheduler, 0), SCHED_IDLE | SCHED_RESET_ON_FORK);
    return failures;
}

/* In a child: what RLIMIT_NICE and RLIMIT_RTPRIO let a user do. */
static int with_limits(void)
{
    struct rlimit nice_rl = { 30, 30 }, rt_rl = { 10, 10 };
    struct param p;

    failures = 0;
    RET(setrlimit(RLIMIT_NICE, &nice_rl), 0);
    RET(setrlimit(RLIMIT_RTPRIO, &rt_rl), 0);
    if (setuid(1000)) {
        printf("FAIL: setuid\n");
        return 1;
    }
    RET(setpriority(PRIO_PROCESS, 0, -10), 0);
    ERR(setpriority(PRIO_PROCESS, 0, -11), EACCES);
    RET(rawprio(PRIO_PROCESS, 0), 30);
    RET(setpriority(PRIO_PROCESS, 0, 0), 0);
    ERR(setsched(0, SCHED_FIFO, 11), EPERM);
    RET(setsched(0, SCHED_FIFO, 10), 0);
    p.prio = 11;
    ERR(S(SYS_sched_setparam, 0, &p), EPERM);
    p.prio = 4;
    RET(S(SYS_sched_setparam, 0, &p), 0);
    p.prio = 10;
    RET(S(SYS_sched_setparam, 0, &p), 0);
    RET(setsched(0, SCHED_NORMAL, 0), 0);
    /* out of SCHED_IDLE with RLIMIT_NICE allowing the nice value */
    RET(setsched(0, SCHED_IDLE, 0), 0);
    RET(setsched(0, SCHED_NORMAL, 0), 0);
    return failures;
}

static void in_child(const char *what, int (*fn)(pid_t), pid_t arg)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        int f = fn(arg);

        fflush(stdout);
        _exit(f ? 1 : 0);
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        printf("FAIL: %s (status %#x)\n", what, status);
        failures++;
    }
}

static int with_limits_fn(pid_t unused)
{
    return with_limits();
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    mkdir("/proc", 0555);
    if (access("/proc/self/stat", R_OK) != 0 &&
        mount("proc", "/proc", "proc", 0, NULL) != 0)
        printf("mount proc: %s\n", strerror(errno));
    ranges();
    printf("priority ranges\n");
    policies();
    printf("setscheduler, getscheduler, setparam, getparam, rr_get_interval\n");
    attrs();
    printf("setattr, getattr\n");
    inheritance();
    printf("fork and threads inherit, SCHED_RESET_ON_FORK\n");
    priorities();
    printf("getpriority, setpriority\n");
    affinity();
    printf("setaffinity, getaffinity\n");
    in_child("unprivileged", unprivileged, getpid());
    in_child("with limits", with_limits_fn, 0);
    printf("unprivileged\n");
    if (failures) {
        printf("sched_calls: %d failures\n", failures);
        return 1;
    }
    printf("sched_calls ok\n");
    return 0;
}
