/* madvise: MADV_DONTNEED makes private pages read as zeros (in the
 * caller only, not in a parent sharing them copy-on-write) and keeps the
 * contents of shared memory; MADV_FREE leaves old data or zeros;
 * MADV_POPULATE_READ/WRITE make pages resident; MADV_REMOVE zeroes shared
 * memory for everyone; MADV_DONTFORK keeps a mapping out of a child,
 * MADV_WIPEONFORK gives the child zeros, also for part of a mapping, and
 * MADV_DOFORK / MADV_KEEPONFORK undo them. */
#define _GNU_SOURCE
#include <errno.h>
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
#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)
#define SHARED (MAP_SHARED | MAP_ANONYMOUS)

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

#define SEGV(st) (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
#define EXIT0(st) (WIFEXITED(st) && WEXITSTATUS(st) == 0)

static char *mm(unsigned long len, int prot, int flags)
{
    long r = syscall(SYS_mmap, 0, len, prot, flags, -1, 0);

    return r == -1 ? MAP_FAILED : (char *)r;
}

static long advise(void *p, unsigned long len, int advice)
{
    return syscall(SYS_madvise, p, len, advice);
}

static const char *residency(char *p, unsigned long n)
{
    static char out[65];
    unsigned char vec[64];

    if (n > 64 || syscall(SYS_mincore, p, n * P, vec))
        return "-";
    for (unsigned long i = 0; i < n; i++)
        out[i] = '0' + (vec[i] & 1);
    out[n] = 0;
    return out;
}

/* Run fn(p) in a child and return its wait status. */
static int in_child(void (*fn)(char *), char *p)
{
    int status;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        fn(p);
        _exit(0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static void dontneed_child(char *x)
{
    if (advise(x, P, MADV_DONTNEED) || x[0] != 0)
        _exit(2);
}

static void test_dontneed(void)
{
    char *x = mm(4 * P, RW, PRIV), *s = mm(2 * P, RW, SHARED);
    int st;

    memset(x, 'x', 4 * P);
    CHECK(advise(x + P, 2 * P, MADV_DONTNEED) == 0, "MADV_DONTNEED on 2 of 4 private pages");
    CHECK(!strcmp(residency(x, 4), "1001"), "they are no longer resident: %s", residency(x, 4));
    CHECK(x[P] == 0 && x[3 * P - 1] == 0 && x[0] == 'x' && x[3 * P] == 'x',
          "they read as zeros, the others keep their data");
    st = in_child(dontneed_child, x);
    CHECK(EXIT0(st) && x[0] == 'x', "a child's MADV_DONTNEED of a shared copy-on-write page "
          "leaves the parent's (status %#x)", st);
    memset(s, 's', 2 * P);
    CHECK(advise(s, 2 * P, MADV_DONTNEED) == 0 && s[0] == 's' && s[2 * P - 1] == 's',
          "MADV_DONTNEED on shared memory keeps its contents");
}

static void test_free_populate(void)
{
    char *f = mm(2 * P, RW, PRIV), *p = mm(4 * P, RW, PRIV), *s = mm(4 * P, RW, SHARED);

    memset(f, 'f', 2 * P);
    CHECK(advise(f, 2 * P, MADV_FREE) == 0, "MADV_FREE on private memory");
    CHECK(f[0] == 'f' || f[0] == 0, "a freed page reads as its old data or zeros");
    f[0] = 'g';
    CHECK(f[0] == 'g', "and can be written again");

    CHECK(advise(p, 2 * P, MADV_POPULATE_READ) == 0 && !strcmp(residency(p, 4), "1100"),
          "MADV_POPULATE_READ makes pages resident: %s", residency(p, 4));
    CHECK(advise(p + 2 * P, 2 * P, MADV_POPULATE_WRITE) == 0 && !strcmp(residency(p, 4), "1111"),
          "MADV_POPULATE_WRITE too: %s", residency(p, 4));
    CHECK(p[0] == 0 && p[4 * P - 1] == 0, "they are zero");
    CHECK(advise(s, 4 * P, MADV_POPULATE_WRITE) == 0 && !strcmp(residency(s, 4), "1111"),
          "MADV_POPULATE_WRITE of shared memory: %s", residency(s, 4));
}

static void remove_child(char *s)
{
    if (advise(s, P, MADV_REMOVE))
        _exit(2);
}

static void test_remove(void)
{
    char *s = mm(2 * P, RW, SHARED);
    int st;

    memset(s, 'r', 2 * P);
    st = in_child(remove_child, s);
    CHECK(EXIT0(st), "a child's MADV_REMOVE of a shared page (status %#x)", st);
    CHECK(s[0] == 0 && s[P - 1] == 0 && s[P] == 'r',
          "the parent sees that page zeroed, the next one kept");
}

static void read_first(char *p)
{
    _exit(p[0]);
}

static void wipe_child(char *w)
{
    if (w[0] != 'w' || w[P] != 0 || w[2 * P] != 'w')
        _exit(2);
    w[P] = 'c';
}

static void test_fork_advice(void)
{
    char *d = mm(P, RW, PRIV), *w = mm(3 * P, RW, PRIV);
    int st;

    d[0] = 'd';
    CHECK(advise(d, P, MADV_DONTFORK) == 0, "MADV_DONTFORK");
    st = in_child(read_first, d);
    CHECK(SEGV(st), "the child has no such mapping: SIGSEGV (status %#x)", st);
    CHECK(advise(d, P, MADV_DOFORK) == 0, "MADV_DOFORK");
    st = in_child(read_first, d);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 'd', "the child has it again (status %#x)", st);

    memset(w, 'w', 3 * P);
    CHECK(advise(w, 3 * P, MADV_WIPEONFORK) == 0, "MADV_WIPEONFORK");
    st = in_child(read_first, w);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child reads zeros (status %#x)", st);
    CHECK(w[0] == 'w', "the parent keeps its data");
    CHECK(advise(w, 3 * P, MADV_KEEPONFORK) == 0 && advise(w + P, P, MADV_WIPEONFORK) == 0,
          "MADV_KEEPONFORK, then MADV_WIPEONFORK on the middle page only");
    st = in_child(wipe_child, w);
    CHECK(EXIT0(st), "the child gets zeros in that page only, and may write it (status %#x)", st);
    CHECK(w[P] == 'w', "the parent's middle page is unchanged");
}

int main(void)
{
    test_dontneed();
    test_free_populate();
    test_remove();
    test_fork_advice();
    if (failures) {
        printf("mm_madvise: %d failure(s)\n", failures);
        return 1;
    }
    printf("mm_madvise ok\n");
    return 0;
}
