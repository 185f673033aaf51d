/* mincore reports exactly the resident pages (touched by a read or a
 * write, not dropped since), as 0 or 1, also for long vectors and for a
 * length that is not a page multiple; before a hole it fills the vector
 * for the mapped pages and fails with ENOMEM; a shared page touched only
 * by a child is resident for the parent too.  msync on anonymous memory
 * succeeds and changes nothing. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define P 4096UL
#define RW (PROT_READ | PROT_WRITE)
#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)
#define BIG 600

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

static char *mm(unsigned long len, int prot, int flags)
{
    long r = syscall(SYS_mmap, 0, len, prot, flags, -1, 0);

    return r == -1 ? MAP_FAILED : (char *)r;
}

/* The vector for @len bytes at @p as a string of its bytes ("-" on error). */
static const char *vec_str(char *p, unsigned long len)
{
    static char out[65];
    unsigned char vec[64];
    unsigned long n = (len + P - 1) / P;

    memset(vec, 7, sizeof(vec));
    if (n > 64 || syscall(SYS_mincore, p, len, vec))
        return "-";
    for (unsigned long i = 0; i < n; i++)
        out[i] = '0' + vec[i];
    out[n] = 0;
    return out;
}

static void test_pattern(void)
{
    char *x = mm(8 * P, RW, PRIV);
    volatile char sink;

    CHECK(!strcmp(vec_str(x, 8 * P), "00000000"), "a new mapping: nothing resident (%s)",
          vec_str(x, 8 * P));
    x[0] = 1;
    x[2 * P + 5] = 1;
    x[5 * P] = 1;
    sink = x[7 * P + 100]; /* a read makes a page resident too */
    (void)sink;
    CHECK(!strcmp(vec_str(x, 8 * P), "10100101"), "pages 0, 2, 5 written, 7 read: %s",
          vec_str(x, 8 * P));
    CHECK(!strcmp(vec_str(x + 2 * P, P + 1), "10"), "a length of a page + 1 covers 2 pages: %s",
          vec_str(x + 2 * P, P + 1));
    syscall(SYS_madvise, x + 2 * P, P, MADV_DONTNEED);
    CHECK(!strcmp(vec_str(x, 8 * P), "10000101"), "after MADV_DONTNEED of page 2: %s",
          vec_str(x, 8 * P));
    munmap(x + 6 * P, 2 * P);
    memset(x, 1, 6 * P);
    errno = 0;
    {
        unsigned char vec[8];

        memset(vec, 9, sizeof(vec));
        CHECK(syscall(SYS_mincore, x, 8 * P, vec) == -1 && errno == ENOMEM,
              "a range ending in a hole: ENOMEM (errno %d)", errno);
        CHECK(vec[0] == 1 && vec[5] == 1 && vec[6] == 9,
              "the vector is filled up to the hole (%d %d %d)", vec[0], vec[5], vec[6]);
    }
}

static void test_long(void)
{
    char *y = mm(BIG * P, RW, PRIV);
    static unsigned char vec[BIG];
    int good = 1;

    for (unsigned long i = 0; i < BIG; i += 7)
        y[i * P] = 1;
    memset(vec, 9, sizeof(vec));
    CHECK(syscall(SYS_mincore, y, BIG * P, vec) == 0, "mincore of %d pages", BIG);
    for (unsigned long i = 0; i < BIG; i++)
        good &= vec[i] == (i % 7 == 0);
    CHECK(good, "every 7th page resident, and only those");
}

static void test_shared(void)
{
    char *s = mm(4 * P, RW, MAP_SHARED | MAP_ANONYMOUS);
    pid_t pid;
    int st;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        s[P] = 's';
        _exit(0);
    }
    waitpid(pid, &st, 0);
    CHECK(!strcmp(vec_str(s, 4 * P), "0100"),
          "a shared page touched only by the child is resident for the parent: %s",
          vec_str(s, 4 * P));
    CHECK(s[P] == 's', "with the child's data");
}

static void test_msync(void)
{
    char *x = mm(4 * P, RW, PRIV), *s = mm(4 * P, RW, MAP_SHARED | MAP_ANONYMOUS);

    memset(x, 'x', 4 * P);
    memset(s, 's', 4 * P);
    CHECK(msync(x, 4 * P, MS_SYNC) == 0 && msync(x, 4 * P, MS_ASYNC) == 0 &&
          msync(x + P, P, MS_INVALIDATE) == 0, "msync of private memory");
    CHECK(msync(s, 4 * P, MS_SYNC) == 0 && msync(s, 4 * P, MS_ASYNC | MS_INVALIDATE) == 0,
          "msync of shared memory");
    CHECK(x[P] == 'x' && s[3 * P] == 's' && !strcmp(vec_str(x, 4 * P), "1111"),
          "contents and residency unchanged");
    munmap(x + P, P);
    errno = 0;
    CHECK(msync(x, 4 * P, MS_SYNC) == -1 && errno == ENOMEM,
          "msync over a hole: ENOMEM (errno %d)", errno);
}

int main(void)
{
    test_pattern();
    test_long();
    test_shared();
    test_msync();
    if (failures) {
        printf("mm_mincore: %d failure(s)\n", failures);
        return 1;
    }
    printf("mm_mincore ok\n");
    return 0;
}
