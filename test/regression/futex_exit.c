/* Futexes at thread exit: a thread made with CLONE_CHILD_CLEARTID wakes a
 * futex waiter on its tid word when it ends (the word cleared first), and
 * the robust list of a thread that dies holding locks is cleaned up as
 * Linux does: each lock it owns gets FUTEX_OWNER_DIED (its tid cleared,
 * FUTEX_WAITERS kept) and one waiter woken, locks owned by others are left
 * alone, the lock in list_op_pending wakes a waiter when it has no owner,
 * and a circular list or a bad pointer neither hangs nor crashes the
 * exit.  The waits are shared (no FUTEX_PRIVATE_FLAG): Linux wakes these
 * with a shared key.  Threads run in a child process, so that PID 1
 * stays single-threaded, and use only raw system calls.
 *
 * Pending: passes on Linux; on Trellis it needs thread_exit() and
 * process_exec() to call futex_exit_robust_list() and
 * futex_wake_address() (kernel/futex/futex.h). */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
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
#define MAX_THREADS 8
#define THREAD_FLAGS                                                           \
    (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |       \
     CLONE_SYSVSEM | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)

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

/* Shared waiters of @f (holding @val), counted by requeueing onto itself. */
static long waiters(uint32_t *f, uint32_t val)
{
    return futex(f, FUTEX_CMP_REQUEUE, 0, INT_MAX, f, val);
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, ms % 1000 * MS };

    rsys(SYS_nanosleep, (long)&ts, 0, 0, 0, 0, 0);
}

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)

/* Poll @cond every few ms for up to 5 s; whether it became true. */
#define WAIT_FOR(cond)                                                         \
    ({                                                                     \
        int __i;                                                           \
        for (__i = 0; __i < 1000 && !(cond); __i++)                        \
            sleep_ms(5);                                                   \
        (cond);                                                            \
    })

/* A robust lock as a C library lays it out: the link, then the word. */
struct lock {
    struct robust_list link;
    uint32_t word;
};

#define LOCK_OFFSET ((long)offsetof(struct lock, word) - (long)offsetof(struct lock, link))

/* What one thread does: its robust list, and a futex to wait on first. */
struct job {
    struct robust_list_head head;
    uint32_t *wait_on; /* waits there (value 0) before ending, if set */
    struct lock *take[4]; /* locks the thread takes (its tid in the word) */
    int tid;	       /* CLONE_CHILD_SETTID / CLEARTID word */
    int ready;	       /* atomic */
    long wait_result;
};

static char stacks[MAX_THREADS][STACK_SIZE] __attribute__((aligned(16)));
static int next_stack;

static long spawn(void (*fn)(struct job *), struct job *arg)
{
    uintptr_t *sp;
    long ret;

    if (next_stack >= MAX_THREADS)
        return -ENOMEM;
    sp = (uintptr_t *)(stacks[next_stack++] + STACK_SIZE);
    *--sp = (uintptr_t)arg;
    *--sp = (uintptr_t)fn;
    register long r10 __asm__("r10") = (long)&arg->tid;
    register long r8 __asm__("r8") = 0;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "pop %%rax\n\t"
                     "pop %%rdi\n\t"
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

/* Register the robust list, take the locks, wait a little, and end. */
static void locker_fn(struct job *j)
{
    int tid = (int)rsys(SYS_gettid, 0, 0, 0, 0, 0, 0);

    for (int i = 0; i < 4 && j->take[i]; i++)
        j->take[i]->word = (uint32_t)tid;
    if (rsys(SYS_set_robust_list, (long)&j->head, sizeof(j->head), 0, 0, 0, 0))
        return;
    STORE(j->ready, 1);
    if (j->wait_on) {
        struct timespec ts = { 5, 0 };

        j->wait_result = futex(j->wait_on, FUTEX_WAIT, 0, (long)&ts, NULL, 0);
    } else {
        sleep_ms(300);
    }
}

static void test_cleartid(void)
{
    static struct job j;
    struct timespec ts = { 5, 0 };
    long tid, r;

    j.head.list.next = &j.head.list;
    tid = spawn(locker_fn, &j);
    CHECK(tid > 0, "clone failed: %ld", tid);
    CHECK(WAIT_FOR(LOAD(j.tid) == tid), "CLONE_CHILD_SETTID wrote %d, expected %ld",
          LOAD(j.tid), tid);
    r = futex((uint32_t *)&j.tid, FUTEX_WAIT, (uint32_t)tid, (long)&ts, NULL, 0);
    CHECK(r == 0, "the wait on the tid word returned %ld, expected a wake-up", r);
    CHECK(LOAD(j.tid) == 0, "the tid word holds %d after the exit", LOAD(j.tid));
}

static void test_robust(void)
{
    static struct job j, w;
    static struct lock l[4];
    struct timespec ts = { 5, 0 };
    long tid, r;
    uint32_t word;

    /* l0, l1 taken by the thread (l0 with a waiter), l2 someone else's;
     * l3 is the lock the thread was taking (list_op_pending), unowned */
    j.head.list.next = &l[0].link;
    l[0].link.next = &l[1].link;
    l[1].link.next = &l[2].link;
    l[2].link.next = &j.head.list;
    j.head.futex_offset = LOCK_OFFSET;
    j.head.list_op_pending = &l[3].link;
    j.take[0] = &l[0];
    j.take[1] = &l[1];
    l[2].word = 12345;
    l[3].word = 0;
    /* a second thread waits on l3 */
    w.head.list.next = &w.head.list;
    w.wait_on = &l[3].word;
    CHECK(spawn(locker_fn, &w) > 0, "clone failed");
    CHECK(WAIT_FOR(waiters(&l[3].word, 0) == 1), "no waiter on the pending lock");

    tid = spawn(locker_fn, &j);
    CHECK(tid > 0, "clone failed: %ld", tid);
    CHECK(WAIT_FOR(LOAD(j.ready)), "the locking thread did not start");
    CHECK(l[0].word == (uint32_t)tid && l[1].word == (uint32_t)tid,
          "the thread's locks hold %#x %#x", l[0].word, l[1].word);
    /* wait for l0 as a C library would: mark waiters, then sleep */
    word = __atomic_or_fetch(&l[0].word, FUTEX_WAITERS, __ATOMIC_SEQ_CST);
    r = futex(&l[0].word, FUTEX_WAIT, word, (long)&ts, NULL, 0);
    CHECK(r == 0, "the wait on the dead thread's lock returned %ld", r);
    CHECK(WAIT_FOR(LOAD(j.tid) == 0), "the locking thread did not end");
    CHECK(l[0].word == (FUTEX_OWNER_DIED | FUTEX_WAITERS),
          "the lock with waiters holds %#x, expected %#x", l[0].word,
          FUTEX_OWNER_DIED | FUTEX_WAITERS);
    CHECK(l[1].word == FUTEX_OWNER_DIED, "the lock without waiters holds %#x, expected %#x",
          l[1].word, FUTEX_OWNER_DIED);
    CHECK(l[2].word == 12345, "another owner's lock was changed to %#x", l[2].word);
    CHECK(l[3].word == 0, "the pending lock was changed to %#x", l[3].word);
    CHECK(WAIT_FOR(LOAD(w.tid) == 0), "the pending lock's waiter did not end");
    CHECK(w.wait_result == 0, "the pending lock's waiter returned %ld, expected a wake-up",
          w.wait_result);
}

static void test_bad_lists(void)
{
    static struct job cyc, bad;
    static struct lock c[2], b[1];

    /* a cycle that never comes back to the head */
    cyc.head.list.next = &c[0].link;
    c[0].link.next = &c[1].link;
    c[1].link.next = &c[0].link;
    cyc.head.futex_offset = LOCK_OFFSET;
    cyc.take[0] = &c[0];
    cyc.take[1] = &c[1];
    CHECK(spawn(locker_fn, &cyc) > 0, "clone failed");
    /* a list that runs into a bad pointer */
    bad.head.list.next = &b[0].link;
    b[0].link.next = (struct robust_list *)8;
    bad.head.futex_offset = LOCK_OFFSET;
    bad.take[0] = &b[0];
    CHECK(spawn(locker_fn, &bad) > 0, "clone failed");
    CHECK(WAIT_FOR(LOAD(cyc.ready) && LOAD(bad.ready)), "the threads did not start");
    CHECK(WAIT_FOR(LOAD(cyc.tid) == 0), "the thread with a circular list did not end");
    CHECK(WAIT_FOR(LOAD(bad.tid) == 0), "the thread with a bad pointer did not end");
    CHECK(c[0].word == FUTEX_OWNER_DIED && c[1].word == FUTEX_OWNER_DIED,
          "the circular list's locks hold %#x %#x", c[0].word, c[1].word);
    CHECK(b[0].word == FUTEX_OWNER_DIED, "the lock before the bad pointer holds %#x",
          b[0].word);
}

static int run_tests(void)
{
    test_cleartid();
    test_robust();
    test_bad_lists();
    return check_result("futex_exit");
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
