/* futex(2) in one thread: a wait on a word that holds another value
 * fails with EAGAIN; a wait that nobody wakes times out (relative
 * timeouts for FUTEX_WAIT, absolute ones on the monotonic or realtime
 * clock for FUTEX_WAIT_BITSET) no earlier than asked; wakes and requeues
 * with no waiter return 0; FUTEX_WAKE_OP applies each of its operations
 * to the second word; and bad arguments give Linux's errors (EINVAL,
 * EFAULT, EAGAIN, ENOSYS).  Also set_robust_list/get_robust_list. */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/futex.h>

#include "check.h"

#define MS 1000000LL
#define KERNEL_PTR 0xffffffff80000000UL

static uint32_t word = 7, word2 = 0;

/* futex(2): its result, or -errno. */
static long futex(void *uaddr, int op, uint32_t val, const void *timeout_or_val2,
                  void *uaddr2, uint32_t val3)
{
    long r = syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);

    return r == -1 ? -errno : r;
}

static long futexl(unsigned long uaddr, int op, uint32_t val, const void *timeout)
{
    long r = syscall(SYS_futex, uaddr, op, val, timeout, 0, 0);

    return r == -1 ? -errno : r;
}

static int64_t now_ns(clockid_t clk)
{
    struct timespec ts;

    clock_gettime(clk, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec ts_of(int64_t ns)
{
    struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };

    return ts;
}

/* The count argument of the requeue and wake-op, passed as the timeout. */
static const void *count(unsigned long n)
{
    return (const void *)n;
}

static void check_eagain(void)
{
    struct timespec t = { 0, 50 * MS };

    word = 7;
    CHECK(futex(&word, FUTEX_WAIT, 8, NULL, NULL, 0) == -EAGAIN,
          "FUTEX_WAIT on a different value did not give EAGAIN");
    CHECK(futex(&word, FUTEX_WAIT_PRIVATE, 6, &t, NULL, 0) == -EAGAIN,
          "FUTEX_WAIT_PRIVATE on a different value did not give EAGAIN");
    CHECK(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 1) == -EAGAIN,
          "FUTEX_WAIT_BITSET on a different value did not give EAGAIN");
    CHECK(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, count(1), &word2, 8) == -EAGAIN,
          "FUTEX_CMP_REQUEUE with a different value did not give EAGAIN");
    CHECK(futex(&word, FUTEX_CMP_REQUEUE, 1, count(1), &word2, 8) == -EAGAIN,
          "shared FUTEX_CMP_REQUEUE with a different value did not give EAGAIN");
}

static void check_timeouts(void)
{
    struct timespec t = { 0, 50 * MS }, zero = { 0, 0 }, abs;
    int64_t t0, t1, deadline;

    word = 7;
    t0 = now_ns(CLOCK_MONOTONIC);
    CHECK(futex(&word, FUTEX_WAIT_PRIVATE, 7, &t, NULL, 0) == -ETIMEDOUT,
          "FUTEX_WAIT_PRIVATE with a 50 ms timeout did not time out");
    t1 = now_ns(CLOCK_MONOTONIC);
    CHECK(t1 - t0 >= 50 * MS && t1 - t0 < 2000 * MS,
          "FUTEX_WAIT_PRIVATE timed out after %lld ns, asked 50 ms",
          (long long)(t1 - t0));

    t0 = now_ns(CLOCK_MONOTONIC);
    CHECK(futex(&word, FUTEX_WAIT, 7, &t, NULL, 0) == -ETIMEDOUT,
          "shared FUTEX_WAIT with a 50 ms timeout did not time out");
    t1 = now_ns(CLOCK_MONOTONIC);
    CHECK(t1 - t0 >= 50 * MS && t1 - t0 < 2000 * MS,
          "shared FUTEX_WAIT timed out after %lld ns, asked 50 ms",
          (long long)(t1 - t0));

    /* FUTEX_WAIT_BITSET: absolute, on the monotonic clock */
    deadline = now_ns(CLOCK_MONOTONIC) + 50 * MS;
    abs = ts_of(deadline);
    CHECK(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 7, &abs, NULL,
                FUTEX_BITSET_MATCH_ANY) == -ETIMEDOUT,
          "FUTEX_WAIT_BITSET with an absolute deadline did not time out");
    t1 = now_ns(CLOCK_MONOTONIC);
    CHECK(t1 >= deadline && t1 - deadline < 2000 * MS,
          "FUTEX_WAIT_BITSET returned %lld ns after its deadline",
          (long long)(t1 - deadline));

    /* ... or on the realtime clock */
    deadline = now_ns(CLOCK_REALTIME) + 30 * MS;
    abs = ts_of(deadline);
    CHECK(futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 7, &abs, NULL,
                0x10) == -ETIMEDOUT,
          "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME did not time out");
    t1 = now_ns(CLOCK_REALTIME);
    CHECK(t1 >= deadline && t1 - deadline < 2000 * MS,
          "realtime FUTEX_WAIT_BITSET returned %lld ns after its deadline",
          (long long)(t1 - deadline));

    /* deadlines already past, and a zero timeout */
    abs = ts_of(0);
    CHECK(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 7, &abs, NULL, 1) == -ETIMEDOUT,
          "FUTEX_WAIT_BITSET with a past deadline did not time out");
    CHECK(futex(&word, FUTEX_WAIT_PRIVATE, 7, &zero, NULL, 0) == -ETIMEDOUT,
          "FUTEX_WAIT with a zero timeout did not time out");
    /* the value is compared before the time */
    CHECK(futex(&word, FUTEX_WAIT_PRIVATE, 1, &zero, NULL, 0) == -EAGAIN,
          "FUTEX_WAIT with a zero timeout on another value did not give EAGAIN");
}

static void check_no_waiters(void)
{
    word = 0;
    CHECK(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0) == 0, "FUTEX_WAKE woke someone");
    CHECK(futex(&word, FUTEX_WAKE_PRIVATE, 100, NULL, NULL, 0) == 0,
          "FUTEX_WAKE_PRIVATE woke someone");
    CHECK(futex(&word, FUTEX_WAKE_PRIVATE, 0, NULL, NULL, 0) == 0,
          "FUTEX_WAKE_PRIVATE of 0 woke someone");
    CHECK(futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0xff) == 0,
          "FUTEX_WAKE_BITSET woke someone");
    CHECK(futex(&word, FUTEX_REQUEUE_PRIVATE, 1, count(5), &word2, 0) == 0,
          "FUTEX_REQUEUE moved someone");
    CHECK(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, count(5), &word2, 0) == 0,
          "FUTEX_CMP_REQUEUE moved someone");
    CHECK(futex(&word, FUTEX_CMP_REQUEUE, 0, count(0), &word2, 0) == 0,
          "shared FUTEX_CMP_REQUEUE moved someone");
}

/* FUTEX_WAKE_OP: each operation applied to the second word. */
static void check_wake_op(void)
{
    static const struct {
        int op, oparg;
        uint32_t before, after;
    } ops[] = {
        { FUTEX_OP_SET, 5, 100, 5 },
        { FUTEX_OP_ADD, 5, 100, 105 },
        { FUTEX_OP_ADD, -1, 100, 99 }, /* the argument is signed */
        { FUTEX_OP_OR, 0x30, 0x0f, 0x3f },
        { FUTEX_OP_ANDN, 0x3, 0xff, 0xfc },
        { FUTEX_OP_XOR, 0xff, 0x0f, 0xf0 },
        { FUTEX_OP_SET, -2048, 0, 0xfffff800 },
        { FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4, 1, 0x11 },
        { FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 31, 0, 0x80000000 },
        { FUTEX_OP_ANDN | FUTEX_OP_OPARG_SHIFT, 0, 3, 2 },
    };

    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        for (int cmp = FUTEX_OP_CMP_EQ; cmp <= FUTEX_OP_CMP_GE; cmp++) {
            uint32_t op = (uint32_t)ops[i].op << 28 | (uint32_t)cmp << 24 |
                          ((uint32_t)ops[i].oparg & 0xfff) << 12;
            long r;

            word2 = ops[i].before;
            r = futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, count(1), &word2, op);
            CHECK(r == 0, "FUTEX_WAKE_OP %d/%d returned %ld", ops[i].op, cmp, r);
            CHECK(word2 == ops[i].after,
                  "FUTEX_WAKE_OP %#x (%#x) on %#x gave %#x, expected %#x", ops[i].op,
                  ops[i].oparg, ops[i].before, word2, ops[i].after);
        }
    }
    /* shared, on the same word as the first */
    word = 1;
    CHECK(futex(&word, FUTEX_WAKE_OP, 1, count(1), &word,
                FUTEX_OP(FUTEX_OP_ADD, 2, FUTEX_OP_CMP_EQ, 1)) == 0,
          "shared FUTEX_WAKE_OP failed");
    CHECK(word == 3, "shared FUTEX_WAKE_OP gave %u, expected 3", word);
    /* an unknown operation: ENOSYS, the word untouched */
    word2 = 42;
    CHECK(futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, count(1), &word2,
                (6u << 28) | (1 << 12)) == -ENOSYS,
          "FUTEX_WAKE_OP with operation 6 did not give ENOSYS");
    CHECK(word2 == 42, "FUTEX_WAKE_OP with operation 6 changed the word to %u", word2);
    /* an unknown comparison: ENOSYS, but only after the operation */
    CHECK(futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, count(1), &word2,
                FUTEX_OP(FUTEX_OP_ADD, 1, 7, 0)) == -ENOSYS,
          "FUTEX_WAKE_OP with comparison 7 did not give ENOSYS");
    CHECK(word2 == 43, "FUTEX_WAKE_OP with comparison 7 left %u, expected 43", word2);
}

static void check_errors(void)
{
    struct timespec bad_ts[] = { { 0, 1000000000 }, { 0, -1 }, { -1, 0 } };
    char *unmapped, *ro;
    uint32_t *odd = (uint32_t *)((char *)&word + 1);

    unmapped = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(unmapped != MAP_FAILED && ro != MAP_FAILED, "mmap failed");
    if (unmapped == MAP_FAILED || ro == MAP_FAILED)
        return;
    CHECK(munmap(unmapped, 4096) == 0, "munmap failed");

    /* EINVAL: misaligned words, a zero bitset, bad timespecs, bad counts */
    word = 0;
    CHECK(futex(odd, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) == -EINVAL,
          "FUTEX_WAIT on a misaligned word did not give EINVAL");
    CHECK(futex(odd, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == -EINVAL,
          "FUTEX_WAKE on a misaligned word did not give EINVAL");
    CHECK(futex(odd, FUTEX_WAKE, 1, NULL, NULL, 0) == -EINVAL,
          "shared FUTEX_WAKE on a misaligned word did not give EINVAL");
    CHECK(futex(&word, FUTEX_REQUEUE_PRIVATE, 1, count(1), odd, 0) == -EINVAL,
          "FUTEX_REQUEUE to a misaligned word did not give EINVAL");
    CHECK(futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, count(1), odd, 0) == -EINVAL,
          "FUTEX_WAKE_OP on a misaligned word did not give EINVAL");
    CHECK(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0) == -EINVAL,
          "FUTEX_WAIT_BITSET with bitset 0 did not give EINVAL");
    CHECK(futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0) == -EINVAL,
          "FUTEX_WAKE_BITSET with bitset 0 did not give EINVAL");
    for (unsigned i = 0; i < 3; i++) {
        CHECK(futex(&word, FUTEX_WAIT_PRIVATE, 0, &bad_ts[i], NULL, 0) == -EINVAL,
              "FUTEX_WAIT with timeout {%lld, %ld} did not give EINVAL",
              (long long)bad_ts[i].tv_sec, bad_ts[i].tv_nsec);
        CHECK(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &bad_ts[i], NULL, 1) == -EINVAL,
              "FUTEX_WAIT_BITSET with timeout {%lld, %ld} did not give EINVAL",
              (long long)bad_ts[i].tv_sec, bad_ts[i].tv_nsec);
    }
    CHECK(futex(&word, FUTEX_REQUEUE_PRIVATE, -1, count(1), &word2, 0) == -EINVAL,
          "FUTEX_REQUEUE of -1 waiters did not give EINVAL");
    CHECK(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, count(0x80000000UL), &word2, 0) ==
              -EINVAL,
          "FUTEX_CMP_REQUEUE of a negative count did not give EINVAL");

    /* EFAULT: unmapped and kernel words, bad timeout pointers */
    CHECK(futex(unmapped, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) == -EFAULT,
          "FUTEX_WAIT on an unmapped word did not give EFAULT");
    CHECK(futex(unmapped, FUTEX_WAIT, 0, NULL, NULL, 0) == -EFAULT,
          "shared FUTEX_WAIT on an unmapped word did not give EFAULT");
    CHECK(futex(NULL, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) == -EFAULT,
          "FUTEX_WAIT on NULL did not give EFAULT");
    CHECK(futexl(KERNEL_PTR, FUTEX_WAIT_PRIVATE, 0, NULL) == -EFAULT,
          "FUTEX_WAIT on a kernel address did not give EFAULT");
    CHECK(futexl(KERNEL_PTR, FUTEX_WAKE_PRIVATE, 1, NULL) == -EFAULT,
          "FUTEX_WAKE on a kernel address did not give EFAULT");
    CHECK(futexl(0x7ffffffffffcUL, FUTEX_WAKE_PRIVATE, 1, NULL) == -EFAULT,
          "FUTEX_WAKE at the end of user space did not give EFAULT");
    CHECK(futex(unmapped, FUTEX_WAKE, 1, NULL, NULL, 0) == -EFAULT,
          "shared FUTEX_WAKE on an unmapped word did not give EFAULT");
    /* a private wake only names the word: it does not read it */
    CHECK(futex(unmapped, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0,
          "FUTEX_WAKE_PRIVATE on an unmapped word did not return 0");
    CHECK(futex(&word, FUTEX_WAIT_PRIVATE, 0, (void *)8, NULL, 0) == -EFAULT,
          "FUTEX_WAIT with a bad timeout pointer did not give EFAULT");
    CHECK(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, (void *)8, NULL, 1) == -EFAULT,
          "FUTEX_WAIT_BITSET with a bad timeout pointer did not give EFAULT");
    CHECK(futex(unmapped, FUTEX_CMP_REQUEUE_PRIVATE, 1, count(1), &word2, 0) == -EFAULT,
          "FUTEX_CMP_REQUEUE on an unmapped word did not give EFAULT");
    CHECK(futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, count(1), unmapped,
                FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)) == -EFAULT,
          "FUTEX_WAKE_OP on an unmapped word did not give EFAULT");
    CHECK(futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, count(1), ro,
                FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)) == -EFAULT,
          "FUTEX_WAKE_OP on a read-only word did not give EFAULT");
    CHECK(ro[0] == 0, "FUTEX_WAKE_OP wrote a read-only word");

    /* ENOSYS: removed and unknown operations, FUTEX_CLOCK_REALTIME with
     * operations other than FUTEX_WAIT_BITSET */
    CHECK(futex(&word, FUTEX_FD, 0, NULL, NULL, 0) == -ENOSYS,
          "FUTEX_FD did not give ENOSYS");
    CHECK(futex(&word, 14, 0, NULL, NULL, 0) == -ENOSYS, "operation 14 did not give ENOSYS");
    CHECK(futex(&word, 99 | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0) == -ENOSYS,
          "operation 99 did not give ENOSYS");
    CHECK(futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0) == -ENOSYS,
          "FUTEX_WAKE|FUTEX_CLOCK_REALTIME did not give ENOSYS");
    CHECK(futex(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0) == -ENOSYS,
          "FUTEX_WAIT|FUTEX_CLOCK_REALTIME did not give ENOSYS");
    munmap(ro, 4096);
}

static void check_robust_list(void)
{
    static struct robust_list_head head = { { &head.list }, 0, NULL };
    struct robust_list_head *saved = NULL, *got = NULL;
    size_t len = 0, saved_len = 0;

    CHECK(syscall(SYS_get_robust_list, 0, &saved, &saved_len) == 0,
          "get_robust_list(0) errno %d", errno);
    CHECK(saved_len == sizeof(head), "robust list length %zu", saved_len);
    errno = 0;
    CHECK(syscall(SYS_set_robust_list, &head, sizeof(head) + 1) == -1 && errno == EINVAL,
          "set_robust_list with a wrong size did not give EINVAL");
    CHECK(syscall(SYS_set_robust_list, &head, 0) == -1 && errno == EINVAL,
          "set_robust_list with size 0 did not give EINVAL");
    CHECK(syscall(SYS_set_robust_list, &head, sizeof(head)) == 0,
          "set_robust_list errno %d", errno);
    CHECK(syscall(SYS_get_robust_list, 0, &got, &len) == 0 && got == &head &&
              len == sizeof(head),
          "get_robust_list(0) gave %p/%zu, expected %p", (void *)got, len, (void *)&head);
    got = NULL;
    CHECK(syscall(SYS_get_robust_list, syscall(SYS_gettid), &got, &len) == 0 && got == &head,
          "get_robust_list(own tid) gave %p, expected %p", (void *)got, (void *)&head);
    errno = 0;
    CHECK(syscall(SYS_get_robust_list, 0, (void *)8, &len) == -1 && errno == EFAULT,
          "get_robust_list to a bad head pointer did not give EFAULT");
    errno = 0;
    CHECK(syscall(SYS_get_robust_list, 0, &got, (void *)8) == -1 && errno == EFAULT,
          "get_robust_list to a bad length pointer did not give EFAULT");
    errno = 0;
    CHECK(syscall(SYS_get_robust_list, 99999, &got, &len) == -1 && errno == ESRCH,
          "get_robust_list of no thread did not give ESRCH");
    CHECK(syscall(SYS_set_robust_list, saved, sizeof(head)) == 0,
          "set_robust_list (restore) errno %d", errno);
}

int main(void)
{
    check_eagain();
    check_timeouts();
    check_no_waiters();
    check_wake_op();
    check_errors();
    check_robust_list();
    return check_result("futex_basic");
}
