/* Anonymous private mappings: zero fill, read/write, munmap, EINVAL cases. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PAGE 4096UL
#define NPAGES 16

int main(void)
{
    int failures = 0;
    long r;
    unsigned char *p;

    r = syscall(SYS_mmap, 0, NPAGES * PAGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == -1) {
        printf("FAIL: mmap(%lu) failed, errno %d\n", NPAGES * PAGE, errno);
        return 1;
    }
    p = (unsigned char *)r;
    printf("mmap 16 pages at %p\n", (void *)p);
    if ((unsigned long)p % PAGE) {
        printf("FAIL: mapping not page aligned\n");
        failures++;
    }

    /* Every byte of every page must read as zero. */
    for (unsigned long i = 0; i < NPAGES * PAGE; i++)
        if (p[i]) {
            printf("FAIL: byte %lu not zero (0x%02x)\n", i, p[i]);
            failures++;
            break;
        }

    /* Touch each page, then fill everything and read it back. */
    for (unsigned long pg = 0; pg < NPAGES; pg++)
        p[pg * PAGE] = (unsigned char)(pg + 1);
    for (unsigned long pg = 0; pg < NPAGES; pg++)
        if (p[pg * PAGE] != (unsigned char)(pg + 1)) {
            printf("FAIL: page %lu first byte lost\n", pg);
            failures++;
        }
    for (unsigned long i = 0; i < NPAGES * PAGE; i++)
        p[i] = (unsigned char)(i ^ (i >> 12));
    for (unsigned long i = 0; i < NPAGES * PAGE; i++)
        if (p[i] != (unsigned char)(i ^ (i >> 12))) {
            printf("FAIL: byte %lu reads 0x%02x\n", i, p[i]);
            failures++;
            break;
        }

    r = syscall(SYS_munmap, p, NPAGES * PAGE);
    if (r != 0) {
        printf("FAIL: munmap returned %ld errno %d\n", r, errno);
        failures++;
    } else {
        printf("munmap ok\n");
    }

    errno = 0;
    r = syscall(SYS_mmap, 0, 0, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r != -1 || errno != EINVAL) {
        printf("FAIL: mmap(len 0) -> %ld errno %d, expected -1 EINVAL\n", r, errno);
        failures++;
    } else {
        printf("mmap(len 0) -> EINVAL ok\n");
    }

    /* Map a page so the unaligned address below is otherwise valid. */
    r = syscall(SYS_mmap, 0, PAGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == -1) {
        printf("FAIL: mmap(1 page) failed, errno %d\n", errno);
        return 1;
    }
    p = (unsigned char *)r;
    errno = 0;
    r = syscall(SYS_munmap, p + 1, PAGE);
    if (r != -1 || errno != EINVAL) {
        printf("FAIL: munmap(unaligned) -> %ld errno %d, expected -1 EINVAL\n", r, errno);
        failures++;
    } else {
        printf("munmap(unaligned) -> EINVAL ok\n");
    }
    p[0] = 1; /* still mapped after the failed munmap */
    if (syscall(SYS_munmap, p, PAGE) != 0) {
        printf("FAIL: munmap(1 page) errno %d\n", errno);
        failures++;
    }

    if (failures) {
        printf("mmap_anon: %d failure(s)\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
