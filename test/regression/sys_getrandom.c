/* getrandom(2): every flag Linux accepts works and never blocks; reads
 * differ and look random; a read that runs into unmapped memory returns
 * the bytes before it, and a huge size is cut to what fits; AT_RANDOM
 * differs from one execve to the next. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/random.h>

static int failures;

#define CHECK(cond, ...)                                                       \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("FAIL: " __VA_ARGS__);                                  \
            printf("\n");                                                  \
            failures++;                                                    \
        }                                                                  \
    } while (0)
#define S(...) syscall(__VA_ARGS__)

static unsigned char big[65536];

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

/* Run again with the parent's AT_RANDOM: exit 0 when ours differs. */
static int exec_child(const char *parent_hex)
{
    char hex[33];

    to_hex((const unsigned char *)getauxval(AT_RANDOM), 16, hex);
    return strcmp(hex, parent_hex) == 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    unsigned char a[64], b[64], *p;
    unsigned long ones = 0;
    static const unsigned flags[] = { 0, GRND_NONBLOCK, GRND_RANDOM,
                                      GRND_NONBLOCK | GRND_RANDOM, GRND_INSECURE,
                                      GRND_NONBLOCK | GRND_INSECURE };
    const unsigned char *at_random;
    char hex[33];
    long r;
    int status;
    pid_t pid;

    if (argc == 3 && strcmp(argv[1], "child") == 0)
        return exec_child(argv[2]);

    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        memset(a, 0, sizeof(a));
        memset(b, 0, sizeof(b));
        r = S(SYS_getrandom, a, 64, flags[i]);
        CHECK(r == 64, "getrandom(64, %#x) = %ld errno %d", flags[i], r, errno);
        r = S(SYS_getrandom, b, 64, flags[i]);
        CHECK(r == 64 && memcmp(a, b, 64) != 0, "two reads with flags %#x are equal",
              flags[i]);
    }
    /* an odd size fills exactly that many bytes */
    memset(a, 0xee, sizeof(a));
    CHECK(S(SYS_getrandom, a, 13, 0) == 13, "getrandom(13)");
    for (int i = 13; i < 64; i++)
        CHECK(a[i] == 0xee, "byte %d past the 13 requested was written", i);

    /* about half of the bits are ones */
    CHECK(S(SYS_getrandom, big, sizeof(big), 0) == (long)sizeof(big), "getrandom(64 KiB)");
    for (size_t i = 0; i < sizeof(big); i++)
        ones += __builtin_popcount(big[i]);
    CHECK(ones > sizeof(big) * 8 * 49 / 100 && ones < sizeof(big) * 8 * 51 / 100,
          "%lu ones in %zu bits", ones, sizeof(big) * 8);

    /* partial reads at the end of mapped memory, at a fixed address so
     * that the largest size fits below the top of user space */
    p = mmap((void *)0x10000000, 8192, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(p == (void *)0x10000000, "mmap at 0x10000000: %p errno %d", p, errno);
    CHECK(munmap(p + 4096, 4096) == 0, "munmap the second page");
    memset(p, 0, 4096);
    r = S(SYS_getrandom, p + 4096 - 100, 200, 0);
    CHECK(r == 100, "getrandom across the end: %ld, expected 100", r);
    CHECK(memcmp(p + 4096 - 100, big, 100) != 0 && p[4095] | p[4094] | p[4093],
          "the 100 bytes were written");
    r = S(SYS_getrandom, p + 4096 - 33, 3000, 0);
    CHECK(r == 33, "getrandom 33 bytes before the end: %ld", r);
    r = S(SYS_getrandom, p + 4096 - 1000, 3000, GRND_NONBLOCK);
    CHECK(r == 1000, "getrandom 1000 bytes before the end: %ld", r);
    r = S(SYS_getrandom, p, (size_t)-1, 0);
    CHECK(r == 4096, "getrandom(SIZE_MAX) on one page: %ld", r);
    r = S(SYS_getrandom, p, 0x7ffff000UL, 0);
    CHECK(r == 4096, "getrandom(MAX_RW_COUNT) on one page: %ld", r);
    r = S(SYS_getrandom, p + 4096, 1, 0);
    CHECK(r == -1 && errno == EFAULT, "getrandom on the unmapped page: %ld errno %d", r, errno);

    /* AT_RANDOM: 16 bytes, not all zero, new at each execve */
    at_random = (const unsigned char *)getauxval(AT_RANDOM);
    CHECK(at_random != NULL, "no AT_RANDOM");
    if (at_random) {
        unsigned char any = 0;

        for (int i = 0; i < 16; i++)
            any |= at_random[i];
        CHECK(any, "AT_RANDOM is all zeros");
        to_hex(at_random, 16, hex);
        fflush(stdout);
        pid = fork();
        if (pid == 0) {
            char *args[] = { argv[0], "child", hex, NULL };

            execve(argv[0], args, (char *[]){ NULL });
            _exit(2);
        }
        CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0, "AT_RANDOM after execve: status %#x", status);
    }
    if (failures)
        return 1;
    printf("sys_getrandom ok\n");
    return 0;
}
