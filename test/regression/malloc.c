/* malloc/free/realloc across small and mmap-sized blocks (brk + mmap).
 * Small sizes stay below a page so musl never needs madvise here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define NBLK 200

static unsigned char pat(size_t i, size_t k)
{
    return (unsigned char)((i * 31u + k * 7u + 0x5a) & 0xff);
}

static void fill(unsigned char *p, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++)
        p[i] = pat(i, k);
}

static long verify(const unsigned char *p, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != pat(i, k))
            return (long)i;
    return -1;
}

static size_t size_for(size_t k)
{
    static const size_t big[] = {
        100000, 200000, 1 << 20, (1 << 20) + 1, 3 << 20, 5000000,
    };
    if (k % 25 == 24)
        return big[(k / 25) % (sizeof big / sizeof big[0])];
    return 1 + (k * 37 % 4000);
}

int main(void)
{
    static unsigned char *blk[NBLK];
    int failures = 0;
    size_t total = 0;
    long bad;

    for (size_t k = 0; k < NBLK; k++) {
        size_t n = size_for(k);
        blk[k] = malloc(n);
        if (!blk[k]) {
            printf("FAIL: malloc(%zu) returned NULL\n", n);
            return 1;
        }
        if ((uintptr_t)blk[k] % 16) {
            printf("FAIL: malloc(%zu) = %p not 16-byte aligned\n", n, (void *)blk[k]);
            failures++;
        }
        fill(blk[k], n, k);
        total += n;
    }
    printf("allocated %d blocks, %zu bytes\n", NBLK, total);

    /* Free every other block, then check the survivors. */
    for (size_t k = 0; k < NBLK; k += 2) {
        free(blk[k]);
        blk[k] = NULL;
    }
    for (size_t k = 1; k < NBLK; k += 2) {
        if ((bad = verify(blk[k], size_for(k), k)) >= 0) {
            printf("FAIL: block %zu (size %zu) corrupt at offset %ld\n",
                   k, size_for(k), bad);
            failures++;
        }
    }

    /* Re-allocate the holes with different sizes and check again. */
    for (size_t k = 0; k < NBLK; k += 2) {
        size_t n = size_for(k + 1000);
        blk[k] = malloc(n);
        if (!blk[k]) {
            printf("FAIL: malloc(%zu) returned NULL\n", n);
            return 1;
        }
        fill(blk[k], n, k + 1000);
    }
    for (size_t k = 0; k < NBLK; k++) {
        size_t key = (k % 2) ? k : k + 1000;
        if ((bad = verify(blk[k], size_for(key), key)) >= 0) {
            printf("FAIL: block %zu (size %zu) corrupt at offset %ld\n",
                   k, size_for(key), bad);
            failures++;
        }
    }
    for (size_t k = NBLK; k-- > 0;)
        free(blk[k]);
    printf("free/reuse pass done\n");

    /* calloc must return zeroed memory, also for a large block. */
    {
        static const size_t cs[] = { 64, 5000, 2 << 20 };
        for (size_t i = 0; i < 3; i++) {
            unsigned char *c = calloc(cs[i], 1);
            if (!c) {
                printf("FAIL: calloc(%zu) returned NULL\n", cs[i]);
                return 1;
            }
            for (size_t j = 0; j < cs[i]; j++)
                if (c[j]) {
                    printf("FAIL: calloc(%zu) byte %zu not zero\n", cs[i], j);
                    failures++;
                    break;
                }
            free(c);
        }
    }

    /* realloc grows a block step by step; contents must be preserved. */
    {
        static const size_t steps[] = { 16, 100, 1000, 8000, 60000, 2 << 20 };
        unsigned char *p = malloc(steps[0]);
        fill(p, steps[0], 1);
        for (size_t i = 1; i < sizeof steps / sizeof steps[0]; i++) {
            unsigned char *q = realloc(p, steps[i]);
            if (!q) {
                printf("FAIL: realloc to %zu returned NULL\n", steps[i]);
                return 1;
            }
            p = q;
            if ((bad = verify(p, steps[0], 1)) >= 0) {
                printf("FAIL: realloc to %zu lost data at offset %ld\n", steps[i], bad);
                failures++;
            }
            memset(p + steps[0], 0xee, steps[i] - steps[0]);
        }
        free(p);
        printf("realloc pass done\n");
    }

    if (failures) {
        printf("malloc: %d failure(s)\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
