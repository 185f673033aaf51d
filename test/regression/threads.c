// also-glibc
/* Threads: pthreads (clone with CLONE_VM|CLONE_THREAD|CLONE_SETTLS|
 * CLONE_CHILD_CLEARTID...) share memory and the pid, have their own tid
 * and TLS; joining works; a signal sent with tgkill runs on the thread it
 * names; exit_group from any thread ends the process; exit() of the last
 * thread ends it with that thread's status. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "check.h"

#define NTHREADS 8

static atomic_int counter;
static __thread int tls_value = 5;
static volatile pid_t handler_tid;
static volatile int spin_stop;

struct result {
    pid_t pid, tid;
    int tls_before, tls_after;
};

static void *worker(void *arg)
{
    struct result *r = arg;

    r->pid = getpid();
    r->tid = gettid();
    r->tls_before = tls_value;
    tls_value = r->tid;
    for (int i = 0; i < 1000; i++)
        atomic_fetch_add(&counter, 1);
    r->tls_after = tls_value;
    return r;
}

static void on_usr1(int sig)
{
    handler_tid = gettid();
}

static void *waiter(void *arg)
{
    *(pid_t *)arg = gettid();
    while (!spin_stop)
        sched_yield();
    return NULL;
}

static void *exiter(void *arg)
{
    exit(23); /* exit_group: the whole process */
    return NULL;
}

static void *spinner(void *arg)
{
    for (;;)
        sched_yield();
    return NULL;
}

/* Whether thread @tid of this process has ended (a zombie, or gone). */
static int thread_ended(pid_t tid)
{
    char path[64], buf[256], *state;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
    f = fopen(path, "r");
    if (!f)
        return errno == ENOENT;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    state = strrchr(buf, ')');
    return state && state[1] == ' ' && (state[2] == 'Z' || state[2] == 'X');
}

static void *last_one(void *arg)
{
    pid_t leader = getpid();

    /* the main thread must be gone first, also on another CPU */
    for (time_t end = time(NULL) + 20; !thread_ended(leader) && time(NULL) < end;)
        sched_yield();
    syscall(SYS_exit, 9); /* the last thread: its status is the process's */
    return NULL;
}

int main(void)
{
    pthread_t th[NTHREADS];
    struct result res[NTHREADS];
    void *ret;

    memset(res, 0, sizeof(res));
    mkdir("/proc", 0555); /* as PID 1; where it is mounted already, EBUSY */
    mount("proc", "/proc", "proc", 0, NULL);
    for (int i = 0; i < NTHREADS; i++)
        CHECK(pthread_create(&th[i], NULL, worker, &res[i]) == 0, "pthread_create %d", i);
    for (int i = 0; i < NTHREADS; i++) {
        CHECK(pthread_join(th[i], &ret) == 0 && ret == &res[i], "join %d", i);
        CHECK(res[i].pid == getpid(), "thread %d pid %d, expected %d", i, res[i].pid, getpid());
        CHECK(res[i].tid != getpid() && res[i].tid > 0, "thread %d tid %d", i, res[i].tid);
        CHECK(res[i].tls_before == 5 && res[i].tls_after == res[i].tid,
              "thread %d TLS %d/%d", i, res[i].tls_before, res[i].tls_after);
        for (int j = 0; j < i; j++)
            CHECK(res[i].tid != res[j].tid, "threads %d and %d share tid %d", i, j, res[i].tid);
    }
    CHECK(atomic_load(&counter) == NTHREADS * 1000, "counter %d", atomic_load(&counter));
    CHECK(tls_value == 5, "main thread's TLS changed to %d", tls_value);

    /* tgkill runs the handler on the named thread */
    {
        pthread_t w;
        volatile pid_t wtid = 0;

        signal(SIGUSR1, on_usr1);
        pthread_create(&w, NULL, waiter, (void *)&wtid);
        while (!wtid)
            sched_yield();
        CHECK(syscall(SYS_tgkill, getpid(), wtid, SIGUSR1) == 0, "tgkill errno %d", errno);
        /* the handler runs when the waiter's CPU takes the signal */
        for (time_t end = time(NULL) + 20; !handler_tid && time(NULL) < end;)
            sched_yield();
        CHECK(handler_tid == wtid, "handler ran on %d, expected thread %d", handler_tid, wtid);
        spin_stop = 1;
        pthread_join(w, NULL);
    }

    /* exit() in a thread ends every thread */
    {
        pid_t child = fork();
        int status;

        if (child == 0) {
            pthread_t a, b;
            pthread_create(&a, NULL, spinner, NULL);
            pthread_create(&b, NULL, exiter, NULL);
            for (;;)
                sched_yield();
        }
        CHECK(waitpid(child, &status, 0) == child, "waitpid errno %d", errno);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 23, "exit_group status %#x", status);
    }

    /* the main thread leaves first; the last thread's exit code counts */
    {
        pid_t child = fork();
        int status;

        if (child == 0) {
            pthread_t a;
            pthread_create(&a, NULL, last_one, NULL);
            syscall(SYS_exit, 0); /* only the main thread */
        }
        CHECK(waitpid(child, &status, 0) == child, "waitpid errno %d", errno);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 9, "last thread status %#x", status);
    }

    /* a fatal signal ends every thread */
    {
        pid_t child = fork();
        int status;

        if (child == 0) {
            pthread_t a;
            pthread_create(&a, NULL, spinner, NULL);
            for (;;)
                sched_yield();
        }
        for (int i = 0; i < 10; i++)
            sched_yield();
        kill(child, SIGTERM);
        CHECK(waitpid(child, &status, 0) == child, "waitpid errno %d", errno);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "SIGTERM status %#x", status);
    }

    /* bad clone flag combinations */
    errno = 0;
    CHECK(syscall(SYS_clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0) == -1 && errno == EINVAL,
          "CLONE_THREAD without CLONE_SIGHAND: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0) == -1 && errno == EINVAL,
          "CLONE_SIGHAND without CLONE_VM: errno %d", errno);
    return check_result("threads");
}
