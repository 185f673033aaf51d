/* MAP_SHARED|MAP_ANONYMOUS memory stays shared between parent and child
 * after fork, both ways and for pages neither had touched before, also
 * after one side moved it with mremap or forked again; private memory
 * is copied.  Growing shared memory with mremap does not grow what is
 * behind it: a touch past its end is SIGBUS. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/mman.h>

#define P 4096UL
#define RW (PROT_READ | PROT_WRITE)
#define SHARED (MAP_SHARED | MAP_ANONYMOUS)
#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)

static int failures;

#define CHECK(cond, ...)                                                       \
    do {                                                                   \
        if (cond) {                                                        \
            printf("ok: ");                                                \
        } else {                                                           \
            printf("FAIL: ");                                              \
            failures++;                                                    \
        }                                                                  \
        printf(__VA_ARGS__);                                               \
        printf("\n");                                                      \
        fflush(stdout);                                                    \
    } while (0)

#define EXIT0(st) (WIFEXITED(st) && WEXITSTATUS(st) == 0)

static char *mm(void *addr, unsigned long len, int prot, int flags)
{
    long r = syscall(SYS_mmap, addr, len, prot, flags, -1, 0);

    return r == -1 ? MAP_FAILED : (char *)r;
}

static pid_t fork_flushed(void)
{
    fflush(stdout);
    return fork();
}

static int wait_child(pid_t pid)
{
    int status;

    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

/* Wait (yielding) until *flag becomes @value; false after a long time. */
static int wait_for(volatile char *flag, char value)
{
    for (long i = 0; i < 2000000; i++) {
        if (*flag == value)
            return 1;
        sched_yield();
    }
    return 0;
}

static void test_both_ways(void)
{
    char *s = mm(0, 4 * P, RW, SHARED), *priv = mm(0, P, RW, PRIV);
    pid_t pid;
    int st;

    s[0] = 'A';
    priv[0] = 'a';
    pid = fork_flushed();
    if (pid == 0) {
        if (s[0] != 'A')
            _exit(2);
        s[0] = 'B';      /* a page touched before fork */
        s[P] = 'C';      /* one nobody had touched */
        priv[0] = 'b';   /* private: the parent must not see it */
        /* the parent writes after fork: the child sees it */
        if (!wait_for(&s[2 * P], 'D'))
            _exit(3);
        s[2 * P + 1] = 'E';
        _exit(0);
    }
    s[2 * P] = 'D';
    st = wait_child(pid);
    CHECK(EXIT0(st), "the child saw the parent's data, before and after fork (status %#x)", st);
    CHECK(s[0] == 'B', "the parent sees the child's write to a page touched before fork");
    CHECK(s[P] == 'C', "and to a page nobody had touched");
    CHECK(s[2 * P + 1] == 'E', "and the child's answer to a write made after fork");
    CHECK(priv[0] == 'a', "private memory stayed copy-on-write");
    CHECK(s[3 * P] == 0, "untouched shared pages read as zero");
}

static void test_refs(void)
{
    char *s = mm(0, 2 * P, RW, SHARED);
    pid_t pid;
    int st;

    s[0] = 'K';
    pid = fork_flushed();
    if (pid == 0) {
        /* the child drops its mapping or changes it: the parent's stays */
        syscall(SYS_mprotect, s, P, PROT_READ);
        syscall(SYS_madvise, s, 2 * P, MADV_DONTNEED);
        _exit(munmap(s, 2 * P) == 0 ? 0 : 1);
    }
    st = wait_child(pid);
    s[P] = 'L';
    CHECK(EXIT0(st) && s[0] == 'K' && s[P] == 'L',
          "the child's mprotect, MADV_DONTNEED and munmap leave the parent's mapping (status %#x)", st);
    syscall(SYS_madvise, s, 2 * P, MADV_DONTNEED);
    CHECK(s[0] == 'K' && s[P] == 'L', "MADV_DONTNEED keeps the contents of shared memory");

    /* a grandchild's write reaches the first process */
    pid = fork_flushed();
    if (pid == 0) {
        pid_t grandchild = fork();

        if (grandchild == 0) {
            s[1] = 'G';
            _exit(0);
        }
        st = wait_child(grandchild);
        _exit(EXIT0(st) ? 0 : 1);
    }
    st = wait_child(pid);
    CHECK(EXIT0(st) && s[1] == 'G', "a grandchild's write is seen (status %#x)", st);
}

static void test_moved(void)
{
    char *s = mm(0, 4 * P, RW, SHARED), *flags = mm(0, P, RW, SHARED);
    char *target = mm(0, 8 * P, PROT_NONE, PRIV), *moved;
    pid_t pid;
    int st;

    munmap(target, 8 * P);
    s[0] = 'M';
    pid = fork_flushed();
    if (pid == 0) {
        /* the child keeps using the old address */
        if (!wait_for(&flags[0], 1))
            _exit(2);
        if (s[0] != 'N')
            _exit(3);
        s[P] = 'O';
        _exit(0);
    }
    moved = (char *)syscall(SYS_mremap, s, 4 * P, 4 * P,
                            MREMAP_MAYMOVE | MREMAP_FIXED, target);
    CHECK(moved == target && moved[0] == 'M', "the parent moved its shared mapping");
    if (moved == target)
        moved[0] = 'N';
    flags[0] = 1;
    st = wait_child(pid);
    CHECK(EXIT0(st) && moved == target && moved[P] == 'O',
          "after the move both still share the memory (status %#x)", st);

    /* a move before fork: the child inherits the moved mapping shared */
    pid = fork_flushed();
    if (pid == 0) {
        target[2 * P] = 'Q';
        _exit(0);
    }
    st = wait_child(pid);
    CHECK(EXIT0(st) && target[2 * P] == 'Q', "a moved mapping is shared with a later child");
}

static void test_past_end(void)
{
    char *s = mm(0, 2 * P, RW, SHARED), *grown;
    pid_t pid;
    int st;

    s[0] = 'S';
    grown = (char *)syscall(SYS_mremap, s, 2 * P, 4 * P, MREMAP_MAYMOVE);
    CHECK(grown != MAP_FAILED && grown[0] == 'S', "mremap grows shared memory's mapping");
    if (grown == MAP_FAILED)
        return;
    grown[P] = 'T';
    pid = fork_flushed();
    if (pid == 0) {
        grown[3 * P] = 1;
        _exit(0);
    }
    st = wait_child(pid);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS,
          "a touch past the end of the memory is SIGBUS (status %#x)", st);
    CHECK(grown[P] == 'T', "the pages inside stay usable");
}

int main(void)
{
    test_both_ways();
    test_refs();
    test_moved();
    test_past_end();
    if (failures) {
        printf("mm_shared_fork: %d failure(s)\n", failures);
        return 1;
    }
    printf("mm_shared_fork ok\n");
    return 0;
}
