/* Thread-local storage of the main thread: initial values and writes. */
#include <stdio.h>
#include <stdint.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>

#ifndef ARCH_GET_FS
#define ARCH_GET_FS 0x1003
#endif

__thread int tls_init = 42;
__thread long tls_zero;
__thread char tls_buf[256] = "tls-data";

static int bump(void)
{
    return ++tls_init;
}

int main(void)
{
    int failures = 0;
    uintptr_t fs0, fsbase = 0;

    if (tls_init != 42) {
        printf("FAIL: tls_init = %d, expected 42\n", tls_init);
        failures++;
    }
    if (tls_zero != 0) {
        printf("FAIL: tls_zero = %ld, expected 0\n", tls_zero);
        failures++;
    }
    for (int i = 0; i < 256; i++) {
        char want = i < 8 ? "tls-data"[i] : 0;
        if (tls_buf[i] != want) {
            printf("FAIL: tls_buf[%d] = %d, expected %d\n", i, tls_buf[i], want);
            failures++;
            break;
        }
    }

    tls_zero = 0x123456789abcL;
    bump();
    for (int i = 0; i < 256; i++)
        tls_buf[i] = (char)i;
    if (tls_init != 43 || tls_zero != 0x123456789abcL) {
        printf("FAIL: TLS writes lost (%d, %lx)\n", tls_init, tls_zero);
        failures++;
    }
    for (int i = 0; i < 256; i++)
        if (tls_buf[i] != (char)i) {
            printf("FAIL: tls_buf[%d] write lost\n", i);
            failures++;
            break;
        }

    /* x86-64 ABI: %fs:0 holds the thread pointer itself. */
    __asm__ volatile("mov %%fs:0, %0" : "=r"(fs0));
    if (syscall(SYS_arch_prctl, ARCH_GET_FS, &fsbase) != 0) {
        printf("FAIL: arch_prctl(ARCH_GET_FS) errno %d\n", errno);
        failures++;
    } else if (fsbase != fs0) {
        printf("FAIL: fs base %#lx != %%fs:0 %#lx\n",
               (unsigned long)fsbase, (unsigned long)fs0);
        failures++;
    }
    if ((uintptr_t)&tls_init >= fs0 || fs0 - (uintptr_t)&tls_init > 4096) {
        printf("FAIL: &tls_init %p not just below thread pointer %#lx\n",
               (void *)&tls_init, (unsigned long)fs0);
        failures++;
    }

    printf("thread pointer %#lx, &tls_init %p\n", (unsigned long)fs0, (void *)&tls_init);
    if (failures) {
        printf("tls: %d failure(s)\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
