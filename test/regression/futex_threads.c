/* futex(2) between threads made with raw clone(CLONE_THREAD): FUTEX_WAKE
 * wakes as many waiters as asked, oldest first; FUTEX_CMP_REQUEUE and
 * FUTEX_REQUEUE wake some and move the others to a second futex, where a
 * later wake finds them; FUTEX_WAKE_OP wakes the second futex's waiters
 * only when its comparison holds; FUTEX_WAKE_BITSET wakes only waiters
 * whose bitset meets its own; and a signal with a handler interrupts a
 * futex wait (EINTR, or a transparent restart with SA_RESTART) and a
 * nanosleep (EINTR with the time left).  Waiters are counted without
 * waking them by requeueing a futex onto itself.  The threads run in a
 * child process, so that PID 1 stays single-threaded, and use only raw
 * system calls: they share the parent's TLS and errno. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include "check.h"

#define MS 1000000L
#define STACK_SIZE (64 * 1024)
#define MAX_THREADS 24
#define THREAD_FLAGS                                                           \
    (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |       \
     CLONE_SYSVSEM)

/* A raw system call: the result or -errno, errno untouched. */
static long rsys(long n, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;

    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

static long futex(uint32_t *uaddr, int op, uint32_t val, long timeout_or_val2,
                  uint32_t *uaddr2, uint32_t val3)
{
    return rsys(SYS_futex, (long)uaddr, op, val, timeout_or_val2, (long)uaddr2, val3);
}

/* Waiters of @f (which holds @val), counted by requeueing @f onto itself. */
static long waiters(uint32_t *f, uint32_t val)
{
    return futex(f, FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, f, val);
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, ms % 1000 * MS };

    rsys(SYS_nanosleep, (long)&ts, 0, 0, 0, 0, 0);
}

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)
#define INC(x) __atomic_add_fetch(&(x), 1, __ATOMIC_SEQ_CST)

/* Poll @cond every few ms for up to 5 s; whether it became true. */
#define WAIT_FOR(cond)                                                         \
    ({                                                                     \
        int __i;                                                           \
        for (__i = 0; __i < 1000 && !(cond); __i++)                        \
            sleep_ms(5);                                                   \
        (cond);                                                            \
    })

/* ---- threads ---- */

struct waiter {
    uint32_t *futex;
    uint32_t val;
    uint32_t bitset; /* 0: FUTEX_WAIT */
    long timeout_ms; /* 0: none */
    long result;     /* what the wait returned */
    int order;       /* rank among the woken */
    int done;        /* atomic: the thread is about to exit */
    int tid;
};

static char stacks[MAX_THREADS][STACK_SIZE] __attribute__((aligned(16)));
static int next_stack;
static int woken_count; /* atomic */

/* clone() a thread running @fn(@arg) on a fresh stack; its tid or -errno. */
static long spawn(void (*fn)(struct waiter *), struct waiter *arg)
{
    uintptr_t *sp;
    long ret;

    if (next_stack >= MAX_THREADS)
        return -ENOMEM;
    sp = (uintptr_t *)(stacks[next_stack++] + STACK_SIZE);
    *--sp = (uintptr_t)arg;
    *--sp = (uintptr_t)fn;
    register long r10 __asm__("r10") = 0;
    register long r8 __asm__("r8") = 0;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "pop %%rax\n\t" /* the child: fn */
                     "pop %%rdi\n\t" /* arg */
                     "call *%%rax\n\t"
                     "xor %%edi, %%edi\n\t"
                     "mov %[exit], %%eax\n\t"
                     "syscall\n\t"
                     "hlt\n"
                     "1:"
                     : "=a"(ret)
                     : "a"((long)SYS_clone), "D"((long)THREAD_FLAGS), "S"(sp), "d"(0L),
                       "r"(r10), "r"(r8), [exit] "i"(SYS_exit)
                     : "rcx", "r11", "memory");
    return ret;
}

static void wait_fn(struct waiter *w)
{
    struct timespec ts = { w->timeout_ms / 1000, w->timeout_ms % 1000 * MS };
    long r;

    w->tid = (int)rsys(SYS_gettid, 0, 0, 0, 0, 0, 0);
    if (w->bitset)
        r = futex(w->futex, FUTEX_WAIT_BITSET_PRIVATE, w->val, 0, NULL, w->bitset);
    else
        r = futex(w->futex, FUTEX_WAIT_PRIVATE, w->val,
                  w->timeout_ms ? (long)&ts : 0, NULL, 0);
    w->result = r;
    w->order = INC(woken_count);
    STORE(w->done, 1);
}

/*
 * Start a waiter and wait until @f has @expect waiters.  Plain waits have
 * a timeout as a safety net (no test waits that long), except with
 * @untimed: an interrupted timed wait is not restarted.
 */
static void start_waiter_(struct waiter *w, uint32_t *f, uint32_t val, uint32_t bitset,
                          long expect, bool untimed)
{
    memset(w, 0, sizeof(*w));
    w->futex = f;
    w->val = val;
    w->bitset = bitset;
    w->timeout_ms = bitset || untimed ? 0 : 10000;
    w->result = 1;
    long tid = spawn(wait_fn, w);
    CHECK(tid > 0, "clone failed: %ld", tid);
    CHECK(WAIT_FOR(waiters(f, val) == expect), "futex has %ld waiters, expected %ld",
          waiters(f, val), expect);
}

static void start_waiter(struct waiter *w, uint32_t *f, uint32_t val, uint32_t bitset,
                         long expect)
{
    start_waiter_(w, f, val, bitset, expect, false);
}

static int count_done(struct waiter *w, int n)
{
    int c = 0;

    for (int i = 0; i < n; i++)
        c += LOAD(w[i].done);
    return c;
}

/* ---- the tests ---- */

static void test_wake_counts(void)
{
    static uint32_t f;
    static struct waiter w[4];

    STORE(woken_count, 0);
    for (int i = 0; i < 4; i++)
        start_waiter(&w[i], &f, 0, 0, i + 1);
    CHECK(futex(&f, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0) == 1, "WAKE 1 did not wake 1");
    CHECK(WAIT_FOR(count_done(w, 4) == 1), "%d threads woke after WAKE 1", count_done(w, 4));
    CHECK(LOAD(w[0].done) && w[0].result == 0,
          "the oldest waiter was not the one woken (result %ld)", w[0].result);
    CHECK(waiters(&f, 0) == 3, "%ld waiters left, expected 3", waiters(&f, 0));
    CHECK(futex(&f, FUTEX_WAKE_PRIVATE, 2, 0, NULL, 0) == 2, "WAKE 2 did not wake 2");
    CHECK(WAIT_FOR(count_done(w, 4) == 3), "%d threads woke after WAKE 2", count_done(w, 4));
    CHECK(LOAD(w[1].done) && LOAD(w[2].done) && !LOAD(w[3].done),
          "WAKE 2 did not wake the next two in order");
    CHECK(futex(&f, FUTEX_WAKE_PRIVATE, 10, 0, NULL, 0) == 1, "WAKE 10 did not wake the last");
    CHECK(WAIT_FOR(count_done(w, 4) == 4), "%d threads woke after WAKE 10", count_done(w, 4));
    for (int i = 0; i < 4; i++)
        CHECK(w[i].result == 0, "waiter %d returned %ld", i, w[i].result);
    CHECK(futex(&f, FUTEX_WAKE_PRIVATE, 10, 0, NULL, 0) == 0, "a wake found a waiter left");
}

static void test_requeue(void)
{
    static uint32_t f1, f2;
    static struct waiter w[4];

    STORE(woken_count, 0);
    for (int i = 0; i < 4; i++)
        start_waiter(&w[i], &f1, 0, 0, i + 1);
    /* a different value: nothing happens */
    CHECK(futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &f2, 5) == -EAGAIN,
          "CMP_REQUEUE with the wrong value did not give EAGAIN");
    CHECK(waiters(&f1, 0) == 4, "EAGAIN moved waiters");
    /* wake one, move two */
    CHECK(futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &f2, 0) == 3,
          "CMP_REQUEUE(1, 2) did not count 3");
    CHECK(WAIT_FOR(count_done(w, 4) == 1), "%d woke after CMP_REQUEUE", count_done(w, 4));
    CHECK(LOAD(w[0].done), "CMP_REQUEUE did not wake the oldest");
    CHECK(waiters(&f1, 0) == 1 && waiters(&f2, 0) == 2,
          "after CMP_REQUEUE: %ld on the first futex, %ld on the second",
          waiters(&f1, 0), waiters(&f2, 0));
    /* move the last one without waking */
    CHECK(futex(&f1, FUTEX_REQUEUE_PRIVATE, 0, 10, &f2, 0) == 1,
          "REQUEUE(0, 10) did not count 1");
    CHECK(waiters(&f1, 0) == 0 && waiters(&f2, 0) == 3,
          "after REQUEUE: %ld on the first futex, %ld on the second",
          waiters(&f1, 0), waiters(&f2, 0));
    sleep_ms(20);
    CHECK(count_done(w, 4) == 1, "REQUEUE woke a waiter");
    /* the first futex is empty; the second wakes them in their order */
    CHECK(futex(&f1, FUTEX_WAKE_PRIVATE, 10, 0, NULL, 0) == 0,
          "a wake of the emptied futex woke someone");
    CHECK(futex(&f2, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0) == 1, "a wake of the second futex");
    CHECK(WAIT_FOR(LOAD(w[1].done)), "the requeued waiters keep their order");
    CHECK(futex(&f2, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0) == 2,
          "the second futex did not have 2 more waiters");
    CHECK(WAIT_FOR(count_done(w, 4) == 4), "%d woke in all", count_done(w, 4));
    for (int i = 0; i < 4; i++)
        CHECK(w[i].result == 0, "requeued waiter %d returned %ld", i, w[i].result);
}

static void test_wake_op(void)
{
    static uint32_t fa, fb;
    static struct waiter a[2], b[2];

    STORE(woken_count, 0);
    start_waiter(&a[0], &fa, 0, 0, 1);
    start_waiter(&a[1], &fa, 0, 0, 2);
    start_waiter(&b[0], &fb, 0, 0, 1);
    start_waiter(&b[1], &fb, 0, 0, 2);
    /* fb: 0 -> 1; the old value 0 == 0, so both futexes get a wake */
    CHECK(futex(&fa, FUTEX_WAKE_OP_PRIVATE, 1, 1, &fb,
                FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)) == 2,
          "WAKE_OP with a true comparison did not wake 2");
    CHECK(fb == 1, "WAKE_OP left %u, expected 1", fb);
    CHECK(WAIT_FOR(count_done(a, 2) == 1 && count_done(b, 2) == 1),
          "WAKE_OP woke %d and %d", count_done(a, 2), count_done(b, 2));
    /* fb: 1 -> 2; the old value 1 > 5 is false: only the first futex */
    CHECK(futex(&fa, FUTEX_WAKE_OP_PRIVATE, 1, 1, &fb,
                FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 5)) == 1,
          "WAKE_OP with a false comparison did not wake 1");
    CHECK(fb == 2, "WAKE_OP left %u, expected 2", fb);
    CHECK(WAIT_FOR(count_done(a, 2) == 2), "the first futex's last waiter did not wake");
    sleep_ms(20);
    CHECK(count_done(b, 2) == 1, "a false comparison woke the second futex");
    /* a negative comparison argument: the old value 2 >= -1 */
    CHECK(futex(&fa, FUTEX_WAKE_OP_PRIVATE, 1, 5, &fb,
                FUTEX_OP(FUTEX_OP_OR, 0, FUTEX_OP_CMP_GE, 0xfff)) == 1,
          "WAKE_OP with a signed comparison did not wake the last waiter");
    CHECK(WAIT_FOR(count_done(b, 2) == 2), "the second futex's last waiter did not wake");
    CHECK(a[0].result == 0 && a[1].result == 0 && b[0].result == 0 && b[1].result == 0,
          "WAKE_OP waiters returned %ld %ld %ld %ld", a[0].result, a[1].result,
          b[0].result, b[1].result);
}

static void test_bitset(void)
{
    static uint32_t f;
    static struct waiter w[3];

    STORE(woken_count, 0);
    start_waiter(&w[0], &f, 0, 0x1, 1);
    start_waiter(&w[1], &f, 0, 0x2, 2);
    start_waiter(&w[2], &f, 0, 0x6, 3);
    CHECK(futex(&f, FUTEX_WAKE_BITSET_PRIVATE, 10, 0, NULL, 0x8) == 0,
          "a disjoint bitset woke someone");
    CHECK(futex(&f, FUTEX_WAKE_BITSET_PRIVATE, 1, 0, NULL, 0x4) == 1,
          "bitset 0x4 did not wake one");
    CHECK(WAIT_FOR(LOAD(w[2].done)), "bitset 0x4 did not wake the 0x6 waiter");
    CHECK(futex(&f, FUTEX_WAKE_BITSET_PRIVATE, 10, 0, NULL, 0x2) == 1,
          "bitset 0x2 did not wake exactly one");
    CHECK(WAIT_FOR(LOAD(w[1].done)), "bitset 0x2 did not wake the 0x2 waiter");
    sleep_ms(20);
    CHECK(!LOAD(w[0].done), "the 0x1 waiter woke too");
    /* a plain wake matches every bitset */
    CHECK(futex(&f, FUTEX_WAKE_PRIVATE, 10, 0, NULL, 0) == 1, "a plain wake");
    CHECK(WAIT_FOR(LOAD(w[0].done)), "the 0x1 waiter did not wake");
    for (int i = 0; i < 3; i++)
        CHECK(w[i].result == 0, "bitset waiter %d returned %ld", i, w[i].result);
}

/* ---- interruptions by a signal ---- */

static int handled; /* atomic */

static void on_usr1(int sig)
{
    (void)sig;
    INC(handled);
}

static void set_handler(int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_usr1;
    sa.sa_flags = flags;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction errno %d", errno);
}

static void sleep_fn(struct waiter *w)
{
    /* a waiter slot holds a sleeper's results: reuse its fields */
    struct timespec req = { 2, 0 }, rem = { -1, -1 };

    STORE(w->tid, (int)rsys(SYS_gettid, 0, 0, 0, 0, 0, 0));
    w->result = rsys(SYS_nanosleep, (long)&req, (long)&rem, 0, 0, 0, 0);
    w->val = (uint32_t)rem.tv_sec;
    w->bitset = (uint32_t)(rem.tv_nsec / MS);
    STORE(w->done, 1);
}

static void test_interrupted(void)
{
    static uint32_t f;
    static struct waiter w, s;
    int pid = getpid();

    /* without SA_RESTART: the wait fails with EINTR */
    set_handler(0);
    STORE(handled, 0);
    start_waiter_(&w, &f, 0, 0, 1, true);
    CHECK(rsys(SYS_tgkill, pid, w.tid, SIGUSR1, 0, 0, 0) == 0, "tgkill failed");
    CHECK(WAIT_FOR(LOAD(w.done)), "a signal did not end the futex wait");
    CHECK(w.result == -EINTR, "the interrupted wait returned %ld, expected EINTR", w.result);
    CHECK(LOAD(handled) == 1, "the handler ran %d times", LOAD(handled));

    /* with SA_RESTART: the handler runs and the wait goes on */
    set_handler(SA_RESTART);
    STORE(handled, 0);
    start_waiter_(&w, &f, 0, 0, 1, true);
    CHECK(rsys(SYS_tgkill, pid, w.tid, SIGUSR1, 0, 0, 0) == 0, "tgkill failed");
    CHECK(WAIT_FOR(LOAD(handled) == 1), "the handler did not run");
    CHECK(WAIT_FOR(waiters(&f, 0) == 1), "the wait was not restarted");
    CHECK(!LOAD(w.done), "the restarted wait returned %ld", w.result);
    CHECK(futex(&f, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0) == 1, "the restarted waiter");
    CHECK(WAIT_FOR(LOAD(w.done)) && w.result == 0, "the restarted wait returned %ld",
          w.result);

    /* nanosleep: EINTR (even with SA_RESTART) and the time left */
    STORE(handled, 0);
    memset(&s, 0, sizeof(s));
    CHECK(spawn(sleep_fn, &s) > 0, "clone failed");
    CHECK(WAIT_FOR(LOAD(s.tid) != 0), "the sleeper did not start");
    sleep_ms(100);
    CHECK(rsys(SYS_tgkill, pid, LOAD(s.tid), SIGUSR1, 0, 0, 0) == 0, "tgkill failed");
    CHECK(WAIT_FOR(LOAD(s.done)), "a signal did not end the nanosleep");
    CHECK(s.result == -EINTR, "the interrupted nanosleep returned %ld", s.result);
    CHECK((s.val == 1 && s.bitset < 1000) || (s.val == 0 && s.bitset > 0),
          "nanosleep(2 s) interrupted after ~100 ms left %u s %u ms", s.val, s.bitset);
    signal(SIGUSR1, SIG_DFL);
}

static int run_tests(void)
{
    test_wake_counts();
    test_requeue();
    test_wake_op();
    test_bitset();
    test_interrupted();
    return check_result("futex_threads");
}

int main(void)
{
    int status;
    pid_t child;

    fflush(stdout);
    child = fork();
    if (child == 0)
        _exit(run_tests());
    CHECK(child > 0, "fork errno %d", errno);
    CHECK(waitpid(child, &status, 0) == child, "waitpid errno %d", errno);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the test process: status %#x",
          status);
    return failures ? 1 : 0;
}
