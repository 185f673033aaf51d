/* Shared futexes between processes: a word in a MAP_SHARED mapping
 * inherited across fork() is one futex for both processes when used
 * without FUTEX_PRIVATE_FLAG (the parent counts and wakes the child's
 * waiter), while private operations stay within each process (the
 * parent's private wake does not reach the child's private waiter).
 *
 * Pending: passes on Linux; on Trellis it needs MAP_SHARED anonymous
 * memory that stays shared across fork (areas marked VMA_SHARED), which
 * the futex keys already follow. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include "check.h"

static long futex(uint32_t *uaddr, int op, uint32_t val, long timeout_or_val2,
                  uint32_t *uaddr2, uint32_t val3)
{
    long r = syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);

    return r == -1 ? -errno : r;
}

/* Waiters of @f (holding @val), counted by requeueing onto itself. */
static long waiters(uint32_t *f, int private_flag, uint32_t val)
{
    return futex(f, FUTEX_CMP_REQUEUE | private_flag, 0, INT_MAX, f, val);
}

static int wait_for_waiters(uint32_t *f, int private_flag, long n)
{
    struct timespec ts = { 0, 5000000 };

    for (int i = 0; i < 1000; i++) {
        if (waiters(f, private_flag, 0) == n)
            return 1;
        nanosleep(&ts, NULL);
    }
    return 0;
}

/* A child that waits on @f with @op and exits 0 when woken. */
static pid_t waiting_child(uint32_t *f, int op)
{
    pid_t pid = fork();

    if (pid == 0) {
        struct timespec ts = { 3, 0 };

        _exit(futex(f, op, 0, (long)&ts, NULL, 0) == 0 ? 0 : 1);
    }
    return pid;
}

int main(void)
{
    uint32_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                          -1, 0);
    int status;
    pid_t child;

    CHECK(page != MAP_FAILED, "mmap(MAP_SHARED) errno %d", errno);
    if (page == MAP_FAILED)
        return 1;
    fflush(stdout);

    /* shared: the child's waiter is seen and woken from the parent */
    page[1] = 0;
    child = waiting_child(&page[1], FUTEX_WAIT);
    CHECK(child > 0, "fork errno %d", errno);
    CHECK(wait_for_waiters(&page[1], 0, 1), "the parent does not see the child's waiter");
    page[1] = 1;
    CHECK(futex(&page[1], FUTEX_WAKE, 1, 0, NULL, 0) == 1,
          "the parent's shared wake did not find the child's waiter");
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "the shared waiter was not woken (status %#x)", status);

    /* private: each process has its own futex at that address */
    page[2] = 0;
    child = waiting_child(&page[2], FUTEX_WAIT_PRIVATE);
    CHECK(child > 0, "fork errno %d", errno);
    /* the child's private waiter is not counted here: give it time */
    struct timespec ts = { 0, 200000000 };
    nanosleep(&ts, NULL);
    CHECK(waiters(&page[2], FUTEX_PRIVATE_FLAG, 0) == 0,
          "the parent counts the child's private waiter");
    CHECK(futex(&page[2], FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0) == 0,
          "the parent's private wake found the child's waiter");
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) &&
              WEXITSTATUS(status) == 1,
          "the private waiter was woken from another process (status %#x)", status);
    return check_result("futex_shared");
}
