/* mremap: shrinking unmaps the tail, growing happens in place when the
 * pages after are free, MREMAP_MAYMOVE moves the pages (their contents,
 * and only the resident ones stay resident: nothing is copied in),
 * MREMAP_FIXED moves onto a given place replacing what is there,
 * MREMAP_DONTUNMAP leaves the old range mapped and empty, a part of a
 * mapping can be moved out of it, a copy-on-write page moved by a child
 * stays the parent's, and adjacent areas that became alike again are one
 * (mremap across them works). */
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

static char *remap(void *old, unsigned long old_len, unsigned long new_len,
                   int flags, void *new_addr)
{
    long r = syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);

    return r == -1 ? MAP_FAILED : (char *)r;
}

static char *free_range(unsigned long len)
{
    char *p = mm(0, len, PROT_NONE, PRIV);

    if (p != MAP_FAILED)
        munmap(p, len);
    return p;
}

/* Whether nothing is mapped at the page @p. */
static int unmapped(char *p)
{
    unsigned char v;

    errno = 0;
    return syscall(SYS_mincore, p, P, &v) == -1 && errno == ENOMEM;
}

/* The residency of @n pages at @p as a string of 0/1 ("-" on error). */
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

/* Fill page i of @p with the byte 'a' + i. */
static void fill(char *p, unsigned long pages)
{
    for (unsigned long i = 0; i < pages; i++)
        memset(p + i * P, 'a' + (int)i, P);
}

static int filled(const char *p, unsigned long pages)
{
    for (unsigned long i = 0; i < pages; i++)
        for (unsigned long j = 0; j < P; j += 511)
            if (p[i * P + j] != 'a' + (int)i)
                return 0;
    return 1;
}

static int zero(const char *p, unsigned long len)
{
    for (unsigned long i = 0; i < len; i++)
        if (p[i])
            return 0;
    return 1;
}

static void test_shrink_grow(void)
{
    char *x = mm(0, 8 * P, RW, PRIV), *r;

    fill(x, 8);
    r = remap(x, 8 * P, 2 * P, 0, 0);
    CHECK(r == x && filled(x, 2) && unmapped(x + 2 * P) && unmapped(x + 7 * P),
          "shrinking keeps the head in place and unmaps the tail");

    /* free pages after it: grows in place */
    r = remap(x, 2 * P, 6 * P, 0, 0);
    CHECK(r == x, "growing into free pages stays in place (%p, was %p)", (void *)r, (void *)x);
    CHECK(r == x && filled(x, 2) && zero(x + 2 * P, 4 * P),
          "the head keeps its contents, the new pages are zero");

    /* another mapping in the way */
    r = mm(x + 6 * P, P, RW, PRIV | MAP_FIXED_NOREPLACE);
    CHECK(r == x + 6 * P, "a mapping right after it");
    errno = 0;
    r = remap(x, 6 * P, 8 * P, 0, 0);
    CHECK(r == MAP_FAILED && errno == ENOMEM && filled(x, 2),
          "growing into it without MREMAP_MAYMOVE: ENOMEM, nothing changed (errno %d)", errno);
    r = remap(x, 6 * P, 10 * P, MREMAP_MAYMOVE, 0);
    CHECK(r != MAP_FAILED && r != x, "with MREMAP_MAYMOVE it moves (to %p)", (void *)r);
    CHECK(r != MAP_FAILED && filled(r, 2) && zero(r + 2 * P, 8 * P),
          "the moved memory has the contents, the new pages are zero");
    CHECK(unmapped(x) && unmapped(x + 5 * P), "the old range is unmapped");
    CHECK(x[6 * P] == 0, "the mapping that was in the way is untouched");
}

static void test_move_pages(void)
{
    char *m = mm(0, 8 * P, RW, PRIV), *t = free_range(16 * P), *r;

    /* only pages 0, 1 and 5 exist */
    m[0] = 'a';
    m[P] = 'b';
    m[5 * P + 7] = 'f';
    CHECK(!strcmp(residency(m, 8), "11000100"), "pages 0, 1, 5 resident before the move: %s",
          residency(m, 8));
    r = remap(m, 8 * P, 16 * P, MREMAP_MAYMOVE | MREMAP_FIXED, t);
    CHECK(r == t, "MREMAP_FIXED moves to the given free range");
    CHECK(r == t && !strcmp(residency(t, 16), "1100010000000000"),
          "the same pages are resident there, none was added: %s", residency(t, 16));
    CHECK(r == t && t[0] == 'a' && t[P] == 'b' && t[5 * P + 7] == 'f' && t[2 * P] == 0,
          "with their contents");
    CHECK(unmapped(m) && unmapped(m + 7 * P), "the old range is unmapped");

    /* onto an existing mapping: it is replaced */
    m = mm(0, 2 * P, RW, PRIV);
    fill(m, 2);
    r = mm(0, 4 * P, RW, PRIV);
    memset(r, 'T', 4 * P);
    t = remap(m, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, r + P);
    CHECK(t == r + P && filled(t, 2), "MREMAP_FIXED onto a mapping replaces its pages");
    CHECK(r[0] == 'T' && r[3 * P] == 'T', "the pages around stay");
}

static void test_dontunmap(void)
{
    char *d = mm(0, 2 * P, RW, PRIV), *n;

    fill(d, 2);
    n = remap(d, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
    CHECK(n != MAP_FAILED && n != d && filled(n, 2),
          "MREMAP_DONTUNMAP moves the pages to a new place");
    CHECK(!strcmp(residency(d, 2), "00"), "the old range stays mapped, with no page: %s",
          residency(d, 2));
    CHECK(zero(d, 2 * P), "and reads as zeros");
}

static void test_part(void)
{
    char *a = mm(0, 3 * P, RW, PRIV), *t = free_range(P), *r;

    fill(a, 3);
    r = remap(a + P, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, t);
    CHECK(r == t && r[0] == 'b' && r[P - 1] == 'b', "the middle page of a mapping moved out");
    CHECK(a[0] == 'a' && a[2 * P] == 'c' && unmapped(a + P),
          "the pages around it stay, its old place is a hole");
}

static void test_cow(void)
{
    char *c = mm(0, 4 * P, RW, PRIV);
    pid_t pid;
    int st;

    memset(c, 'p', 4 * P);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char *n = remap(c, 4 * P, 8 * P, MREMAP_MAYMOVE, 0);

        if (n == MAP_FAILED || n[0] != 'p' || n[3 * P] != 'p')
            _exit(2);
        memset(n, 'c', 8 * P);
        _exit(0);
    }
    st = pid > 0 && waitpid(pid, &st, 0) == pid ? st : -1;
    CHECK(EXIT0(st), "a child moved and wrote its copy-on-write memory (status %#x)", st);
    CHECK(c[0] == 'p' && c[4 * P - 1] == 'p', "the parent's pages were not touched");
}

static void test_merge(void)
{
    char *x = mm(0, 8 * P, RW, PRIV), *r;

    fill(x, 8);
    syscall(SYS_mprotect, x + 4 * P, 4 * P, PROT_READ);
    errno = 0;
    r = remap(x + 2 * P, 4 * P, 6 * P, MREMAP_MAYMOVE, 0);
    CHECK(r == MAP_FAILED && errno == EFAULT,
          "mremap across two areas (read-write, read-only): EFAULT (errno %d)", errno);
    syscall(SYS_mprotect, x + 4 * P, 4 * P, RW);
    r = remap(x + 2 * P, 4 * P, 6 * P, MREMAP_MAYMOVE, 0);
    CHECK(r != MAP_FAILED, "once alike again they are one area: mremap across works");
    CHECK(r != MAP_FAILED && r[0] == 'c' && r[3 * P] == 'f' && zero(r + 4 * P, 2 * P),
          "the moved pages keep their contents");
    CHECK(x[0] == 'a' && x[7 * P] == 'h' && unmapped(x + 2 * P), "the rest stays");
}

static void test_dup_shared(void)
{
    char *s = mm(0, 2 * P, RW, MAP_SHARED | MAP_ANONYMOUS), *d;

    s[0] = 'S';
    d = remap(s, 0, 2 * P, MREMAP_MAYMOVE, 0);
    CHECK(d != MAP_FAILED && d != s && d[0] == 'S',
          "old_len 0 maps shared memory a second time");
    if (d != MAP_FAILED)
        d[1] = 'D';
    CHECK(s[1] == 'D', "both mappings are the same memory");
}

int main(void)
{
    test_shrink_grow();
    test_move_pages();
    test_dontunmap();
    test_part();
    test_cow();
    test_merge();
    test_dup_shared();
    if (failures) {
        printf("mm_mremap: %d failure(s)\n", failures);
        return 1;
    }
    printf("mm_mremap ok\n");
    return 0;
}
