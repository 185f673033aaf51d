/* mmap's flags: MAP_FIXED replaces what is there, MAP_FIXED_NOREPLACE
 * refuses to, MAP_POPULATE makes the pages present at once, MAP_GROWSDOWN
 * grows on a fault below it (up to the stack limit, and not into the
 * guard gap above another accessible mapping), MAP_NORESERVE lets a
 * mapping exceed the RAM, MAP_32BIT stays below 2 GiB; without MAP_FIXED
 * mappings go top-down, or at the hint when it is free. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define P 4096UL
#define RW (PROT_READ | PROT_WRITE)
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

#define SEGV(st) (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
#define EXIT0(st) (WIFEXITED(st) && WEXITSTATUS(st) == 0)

static char *mm(void *addr, unsigned long len, int prot, int flags)
{
    long r = syscall(SYS_mmap, addr, len, prot, flags, -1, 0);

    return r == -1 ? MAP_FAILED : (char *)r;
}

/* A free range of @len bytes (mapped, then unmapped again). */
static char *free_range(unsigned long len)
{
    char *p = mm(0, len, PROT_NONE, PRIV);

    if (p != MAP_FAILED)
        munmap(p, len);
    return p;
}

/* Number of resident pages among the @n pages at @p, or -1. */
static int resident(char *p, unsigned long n)
{
    unsigned char vec[64];
    int count = 0;

    if (n > sizeof(vec) || syscall(SYS_mincore, p, n * P, vec))
        return -1;
    for (unsigned long i = 0; i < n; i++)
        count += vec[i] & 1;
    return count;
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

static void touch_write(char *p)
{
    *(volatile char *)p = 1;
}

static void test_placement(void)
{
    char *x = mm(0, 4 * P, RW, PRIV), *y = mm(0, 4 * P, RW, PRIV), *r, *h;

    CHECK(x != MAP_FAILED && y != MAP_FAILED && y < x,
          "a second mapping goes below the first (top-down)");
    r = free_range(16 * P);
    h = mm(r + 4 * P, 4 * P, RW, PRIV);
    CHECK(h == r + 4 * P, "a free hint is taken: %p for %p", (void *)h, (void *)(r + 4 * P));
    x[0] = 'x';
    h = mm(x, 4 * P, RW, PRIV);
    CHECK(h != MAP_FAILED && h != x && x[0] == 'x',
          "a busy hint is not: %p for %p, the mapping there intact", (void *)h, (void *)x);
    h = mm((void *)0x1000, P, RW, PRIV);
    CHECK(h != MAP_FAILED && (unsigned long)h >= 0x10000,
          "a hint below mmap_min_addr (64 KiB) is not taken: %p", (void *)h);
    h = mm(0, P, RW, PRIV | MAP_32BIT);
    CHECK(h != MAP_FAILED && (unsigned long)h + P <= 0x80000000UL,
          "MAP_32BIT maps below 2 GiB: %p", (void *)h);
    h = mm(0, P, RW, PRIV | MAP_STACK);
    CHECK(h != MAP_FAILED, "MAP_STACK is accepted");
}

static void test_fixed(void)
{
    char *r = mm(0, 4 * P, RW, PRIV), *f;
    int st;

    memset(r, 'A', 4 * P);
    f = mm(r + P, 2 * P, RW, PRIV | MAP_FIXED);
    CHECK(f == r + P, "MAP_FIXED over the middle of a mapping maps there");
    CHECK(r[0] == 'A' && r[4 * P - 1] == 'A', "MAP_FIXED keeps the pages around it");
    CHECK(resident(r + P, 2) == 0 && r[P] == 0 && r[3 * P - 1] == 0,
          "MAP_FIXED replaces the pages with fresh zero pages");
    f = mm(r + P, P, PROT_READ, PRIV | MAP_FIXED);
    st = in_child(touch_write, r + P);
    CHECK(f == r + P && SEGV(st), "a read-only MAP_FIXED replacement faults on write (status %#x)", st);
    st = in_child(touch_write, r);
    CHECK(EXIT0(st), "the page before stays writable (status %#x)", st);

    errno = 0;
    f = mm(r + 3 * P, 2 * P, RW, PRIV | MAP_FIXED_NOREPLACE);
    CHECK(f == MAP_FAILED && errno == EEXIST && r[3 * P] == 'A',
          "MAP_FIXED_NOREPLACE over a mapping: EEXIST, contents kept (errno %d)", errno);
    r = free_range(8 * P);
    f = mm(r + 2 * P, 2 * P, RW, PRIV | MAP_FIXED_NOREPLACE);
    CHECK(f == r + 2 * P, "MAP_FIXED_NOREPLACE in a free range maps exactly there");
}

static void test_populate(void)
{
    char *p = mm(0, 8 * P, RW, PRIV | MAP_POPULATE);
    char *q = mm(0, 8 * P, RW, PRIV);
    char *s = mm(0, 8 * P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE);
    char *ro = mm(0, 8 * P, PROT_READ, PRIV | MAP_POPULATE);

    CHECK(resident(p, 8) == 8, "MAP_POPULATE: all 8 pages resident at once (%d)", resident(p, 8));
    CHECK(resident(q, 8) == 0, "without it none is (%d)", resident(q, 8));
    CHECK(resident(s, 8) == 8, "MAP_POPULATE of shared memory: 8 resident (%d)", resident(s, 8));
    CHECK(resident(ro, 8) == 8 && ro[5 * P] == 0,
          "MAP_POPULATE of read-only memory: 8 resident zero pages (%d)", resident(ro, 8));
    p[3 * P] = 3;
    CHECK(p[3 * P] == 3 && p[4 * P] == 0, "populated pages are zero and writable");
}

/* The growsdown mapping under test: one page at g. */
static char *g;

static void grow_16(char *unused)
{
    (void)unused;
    g[-16 * (long)P] = 1;
    /* the area now reaches down to the touched page */
    _exit(resident(g - 16 * P, 17) >= 1 ? 0 : 3);
}

static void grow_far(char *unused)
{
    (void)unused;
    g[-3000 * (long)P] = 1; /* 12 MB: beyond the 8 MB stack limit */
}

static void test_growsdown(void)
{
    char *base = free_range(4096 * P), *other;
    int st;

    g = mm(base + 4000 * P, P, RW, PRIV | MAP_GROWSDOWN | MAP_FIXED);
    CHECK(g == base + 4000 * P, "MAP_GROWSDOWN mapping at %p", (void *)g);
    errno = 0;
    CHECK(syscall(SYS_mincore, g - P, P, &st) == -1 && errno == ENOMEM,
          "nothing is mapped below it before a fault (errno %d)", errno);
    st = in_child(grow_16, NULL);
    CHECK(EXIT0(st), "a fault 16 pages below grows it (status %#x)", st);
    st = in_child(grow_far, NULL);
    CHECK(SEGV(st), "a fault 3000 pages below is past the stack limit: SIGSEGV (status %#x)", st);
    other = mm(g - 100 * P, P, RW, PRIV | MAP_FIXED);
    st = in_child(grow_16, NULL);
    CHECK(other == g - 100 * P && SEGV(st),
          "not into the guard gap above a mapping 100 pages below: SIGSEGV (status %#x)", st);
    other = mm(g - 100 * P, P, PROT_NONE, PRIV | MAP_FIXED);
    st = in_child(grow_16, NULL);
    CHECK(other == g - 100 * P && EXIT0(st),
          "a PROT_NONE mapping there keeps no gap (status %#x)", st);
    munmap(other, P);
    other = mm(g - P, P, RW, PRIV);
    CHECK(other != MAP_FAILED && (other + P <= g - 256 * P || other > g),
          "a hint in the guard gap is not taken: %p", (void *)other);
}

static void test_noreserve(void)
{
    unsigned long len = 64UL << 30;
    char *p;

    errno = 0;
    p = mm(0, len, RW, PRIV);
    CHECK(p == MAP_FAILED && errno == ENOMEM,
          "64 GiB of writable memory (more than the RAM): ENOMEM (errno %d)", errno);
    p = mm(0, len, RW, PRIV | MAP_NORESERVE);
    CHECK(p != MAP_FAILED, "with MAP_NORESERVE it is mapped");
    if (p == MAP_FAILED)
        return;
    p[0] = 1;
    p[len / 2] = 2;
    p[len - 1] = 3;
    CHECK(p[0] == 1 && p[len / 2] == 2 && p[len - 1] == 3 && p[len - 2] == 0,
          "its first, middle and last pages are usable");
    CHECK(munmap(p, len) == 0, "and unmapped");
}

int main(void)
{
    test_placement();
    test_fixed();
    test_populate();
    test_growsdown();
    test_noreserve();
    if (failures) {
        printf("mm_mmap_flags: %d failure(s)\n", failures);
        return 1;
    }
    printf("mm_mmap_flags ok\n");
    return 0;
}
