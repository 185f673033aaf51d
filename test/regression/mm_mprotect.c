/* mprotect: PROT_NONE makes any access SIGSEGV and PROT_READ a write, on
 * exactly the pages asked; the contents survive; a range with a hole is
 * changed up to the hole and fails with ENOMEM; PROT_GROWSDOWN extends the
 * change down to the start of a MAP_GROWSDOWN mapping; making a
 * copy-on-write page writable again does not let a child write into the
 * parent's page. */
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

static char *mm(unsigned long len, int prot, int flags)
{
    long r = syscall(SYS_mmap, 0, len, prot, flags, -1, 0);

    return r == -1 ? MAP_FAILED : (char *)r;
}

static long prot(void *p, unsigned long len, unsigned long prot)
{
    return syscall(SYS_mprotect, p, len, prot);
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

static void touch_read(char *p)
{
    if (*(volatile char *)p == 0x5a)
        _exit(9); /* keep the read */
}

static void touch_write(char *p)
{
    *(volatile char *)p = 1;
}

static void test_none_read(void)
{
    char *x = mm(3 * P, RW, PRIV);
    unsigned char vec[3];
    int st;

    memset(x, 'x', 3 * P);
    CHECK(prot(x + P, P, PROT_NONE) == 0, "mprotect the middle page PROT_NONE");
    st = in_child(touch_read, x + P);
    CHECK(SEGV(st), "reading it: SIGSEGV (status %#x)", st);
    st = in_child(touch_write, x + P + 100);
    CHECK(SEGV(st), "writing it: SIGSEGV (status %#x)", st);
    st = in_child(touch_write, x + 2 * P);
    CHECK(EXIT0(st), "the page after stays writable (status %#x)", st);
    st = in_child(touch_write, x + P - 1);
    CHECK(EXIT0(st), "the page before too (status %#x)", st);
    CHECK(syscall(SYS_mincore, x, 3 * P, vec) == 0 && vec[1] == 1,
          "the PROT_NONE page stays resident");

    CHECK(prot(x + P, P, PROT_READ) == 0, "mprotect it PROT_READ");
    st = in_child(touch_read, x + P);
    CHECK(EXIT0(st), "reading it works (status %#x)", st);
    st = in_child(touch_write, x + P);
    CHECK(SEGV(st), "writing it: SIGSEGV (status %#x)", st);
    CHECK(x[P] == 'x' && x[2 * P - 1] == 'x', "its contents are kept");

    CHECK(prot(x + P, P, RW) == 0, "mprotect it read-write again");
    x[P] = 'y';
    CHECK(x[P] == 'y' && x[P + 1] == 'x', "it is writable, contents kept");

    CHECK(prot(x, 3 * P, PROT_NONE) == 0 && prot(x, 3 * P, RW | PROT_EXEC) == 0 &&
          x[0] == 'x', "PROT_NONE then read-write-exec over the whole mapping");
}

static void test_hole(void)
{
    char *h = mm(4 * P, RW, PRIV);
    int st;

    syscall(SYS_munmap, h + 2 * P, P);
    errno = 0;
    CHECK(prot(h, 4 * P, PROT_READ) == -1 && errno == ENOMEM,
          "mprotect over a hole: ENOMEM (errno %d)", errno);
    st = in_child(touch_write, h + P);
    CHECK(SEGV(st), "the pages before the hole were changed (status %#x)", st);
    st = in_child(touch_write, h + 3 * P);
    CHECK(EXIT0(st), "the page after it was not (status %#x)", st);
    errno = 0;
    CHECK(prot(h + 2 * P, 2 * P, PROT_NONE) == -1 && errno == ENOMEM,
          "mprotect starting in the hole: ENOMEM (errno %d)", errno);
    st = in_child(touch_write, h + 3 * P);
    CHECK(EXIT0(st), "and nothing changed (status %#x)", st);
}

static void test_growsdown(void)
{
    char *g = mm(4 * P, RW, PRIV | MAP_GROWSDOWN);
    int st;

    CHECK(g != MAP_FAILED, "a MAP_GROWSDOWN mapping of 4 pages");
    CHECK(prot(g + 2 * P, P, PROT_READ | PROT_GROWSDOWN) == 0,
          "mprotect its third page PROT_READ|PROT_GROWSDOWN");
    st = in_child(touch_write, g);
    CHECK(SEGV(st), "the change reaches down to its first page (status %#x)", st);
    st = in_child(touch_read, g);
    CHECK(EXIT0(st), "which stays readable (status %#x)", st);
    st = in_child(touch_write, g + 3 * P);
    CHECK(EXIT0(st), "the page above the range is not changed (status %#x)", st);
    errno = 0;
    CHECK(prot(g, P, PROT_READ | PROT_GROWSUP) == -1 && errno == EINVAL,
          "PROT_GROWSUP: EINVAL (errno %d)", errno);
}

static void cow_child(char *c)
{
    /* read-only and back: the page is still shared with the parent */
    if (prot(c, P, PROT_READ) || prot(c, P, RW))
        _exit(2);
    c[0] = 'c';
    _exit(c[0] == 'c' ? 0 : 3);
}

static void test_cow(void)
{
    char *c = mm(P, RW, PRIV);
    int st;

    c[0] = 'p';
    st = in_child(cow_child, c);
    CHECK(EXIT0(st), "a child made a copy-on-write page read-only, writable, wrote it (status %#x)", st);
    CHECK(c[0] == 'p', "the parent's page is unchanged");
}

int main(void)
{
    test_none_read();
    test_hole();
    test_growsdown();
    test_cow();
    if (failures) {
        printf("mm_mprotect: %d failure(s)\n", failures);
        return 1;
    }
    printf("mm_mprotect ok\n");
    return 0;
}
