/* brk: growing maps zero pages up to the page holding the new break,
 * shrinking frees the pages above it (they fault, and come back as zeros),
 * a break below the start or beyond user space leaves it unchanged and is
 * answered with the current one, and growing keeps a free page before the
 * next mapping.  (No malloc here: musl may use brk for its own data.) */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define P 4096UL

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

static unsigned long sbrk_to(unsigned long want)
{
    return (unsigned long)syscall(SYS_brk, want);
}

static void touch_write(char *p)
{
    *(volatile char *)p = 1;
}

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

int main(void)
{
    unsigned long b0 = sbrk_to(0), cur, end;
    char *heap = (char *)b0;
    int st, zero = 1;

    CHECK(b0 && !(b0 % P), "the initial break %#lx is page aligned", b0);

    end = b0 + 5 * P + 123;
    CHECK(sbrk_to(end) == end, "grow the break to start + 5 pages + 123");
    memset(heap, 'h', 6 * P); /* up to the end of the last page */
    CHECK(heap[0] == 'h' && heap[6 * P - 1] == 'h', "the new memory is writable to its page end");

    CHECK(sbrk_to(b0 + P) == b0 + P, "shrink it to start + 1 page");
    st = in_child(touch_write, heap + 3 * P);
    CHECK(SEGV(st), "a freed page faults: SIGSEGV (status %#x)", st);
    CHECK(heap[P - 1] == 'h', "the page below the break is kept");
    CHECK(sbrk_to(b0 + 5 * P) == b0 + 5 * P, "grow it again");
    for (unsigned long i = P; i < 5 * P; i++)
        zero &= heap[i] == 0;
    CHECK(zero && heap[0] == 'h', "the pages freed come back as zeros");

    cur = sbrk_to(0);
    CHECK(cur == b0 + 5 * P, "brk(0) returns the current break");
    CHECK(sbrk_to(b0 - P) == cur, "a break below the start: unchanged");
    CHECK(sbrk_to(0x7ffffffff000UL) == cur, "a break at the end of user space: unchanged");
    CHECK(sbrk_to(-1UL) == cur, "brk(-1): unchanged");
    CHECK(sbrk_to(b0 + 3 * P + 10) == b0 + 3 * P + 10 &&
          sbrk_to(b0 + 3 * P + 20) == b0 + 3 * P + 20,
          "a break moved inside its page");

    /* a mapping 4 pages above the start: growing keeps a page free */
    CHECK(sbrk_to(b0 + P) == b0 + P, "shrink to start + 1 page");
    if (syscall(SYS_mmap, b0 + 4 * P, P, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) == (long)(b0 + 4 * P)) {
        CHECK(sbrk_to(b0 + 4 * P) == b0 + P, "up to the mapping: refused");
        CHECK(sbrk_to(b0 + 3 * P + 1) == b0 + P, "to a page before it: refused");
        CHECK(sbrk_to(b0 + 3 * P) == b0 + 3 * P, "a page away from it: granted");
    } else {
        printf("FAIL: could not map a page above the break\n");
        failures++;
    }
    CHECK(sbrk_to(b0) == b0, "back to the start");

    if (failures) {
        printf("mm_brk: %d failure(s)\n", failures);
        return 1;
    }
    printf("mm_brk ok\n");
    return 0;
}
