// also-glibc
/* Signal handlers: rt_sigaction with SA_SIGINFO, the siginfo of kill,
 * tgkill and sigqueue, masks and pending sets, SA_RESETHAND, SA_NODEFER,
 * sa_mask, the alternate stack, sigsuspend, FPU registers kept across a
 * handler, and a SIGSEGV handler that recovers with siglongjmp. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "check.h"

static volatile sig_atomic_t hits, last_sig, last_code, last_pid, nested;
static volatile int last_value;
static volatile uintptr_t handler_stack;
static volatile uint64_t mask_in_handler;
static sigjmp_buf recover;
static volatile void *fault_addr;
static volatile int fault_code;

static void on_info(int sig, siginfo_t *si, void *uc)
{
    ucontext_t *u = uc;
    int local;

    hits++;
    last_sig = sig;
    last_code = si->si_code;
    last_pid = si->si_pid;
    last_value = si->si_value.sival_int;
    handler_stack = (uintptr_t)&local;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    mask_in_handler = sigismember(&now, SIGUSR1) | sigismember(&now, SIGUSR2) << 1;
    (void)u;
}

static void on_plain(int sig)
{
    hits++;
    last_sig = sig;
}

static void on_nodefer(int sig)
{
    hits++;
    if (hits == 1)
        raise(sig); /* runs nested, at once, with SA_NODEFER */
    else
        nested = 1;
}

static void on_fpu(int sig)
{
    volatile double x = 1.0;

    for (int i = 0; i < 10; i++)
        x = x * 3.5 + 0.25; /* clobbers the SSE registers */
    hits++;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    fault_addr = si->si_addr;
    fault_code = si->si_code;
    siglongjmp(recover, 1);
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction %d: errno %d", sig, errno);
}

static void set_info_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags,
                             int masked)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (masked)
        sigaddset(&sa.sa_mask, masked);
    CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction %d: errno %d", sig, errno);
}

int main(void)
{
    struct sigaction old;
    sigset_t set, pending;
    union sigval val;

    /* kill() to self: SI_USER with our pid; the handler masks the signal
     * itself and what sa_mask names */
    set_info_handler(SIGUSR1, on_info, 0, SIGUSR2);
    CHECK(kill(getpid(), SIGUSR1) == 0, "kill: errno %d", errno);
    CHECK(hits == 1 && last_sig == SIGUSR1, "handler ran %d times, sig %d", hits, last_sig);
    CHECK(last_code == SI_USER && last_pid == getpid(),
          "si_code %d si_pid %d", last_code, last_pid);
    CHECK(mask_in_handler == 3, "mask in the handler %#llx, expected USR1|USR2",
          (unsigned long long)mask_in_handler);
    sigprocmask(SIG_BLOCK, NULL, &set);
    CHECK(!sigismember(&set, SIGUSR1), "mask not restored after the handler");

    /* tgkill: SI_TKILL */
    hits = 0;
    CHECK(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1) == 0, "tgkill errno %d", errno);
    CHECK(hits == 1 && last_code == SI_TKILL, "tgkill: hits %d code %d", hits, last_code);

    /* sigqueue: SI_QUEUE with a value */
    hits = 0;
    val.sival_int = 4242;
    CHECK(sigqueue(getpid(), SIGUSR1, val) == 0, "sigqueue errno %d", errno);
    CHECK(hits == 1 && last_code == SI_QUEUE && last_value == 4242,
          "sigqueue: hits %d code %d value %d", hits, last_code, last_value);

    /* a blocked signal stays pending until unblocked */
    hits = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    kill(getpid(), SIGUSR1);
    CHECK(hits == 0, "a blocked signal was delivered");
    sigpending(&pending);
    CHECK(sigismember(&pending, SIGUSR1), "blocked signal not pending");
    kill(getpid(), SIGUSR1); /* classic signals do not queue twice */
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    CHECK(hits == 1, "unblocked signal delivered %d times, expected 1", hits);
    sigpending(&pending);
    CHECK(!sigismember(&pending, SIGUSR1), "still pending after delivery");

    /* real-time signals queue every instance */
    set_info_handler(SIGRTMIN + 1, on_info, 0, 0);
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    hits = 0;
    for (int i = 0; i < 3; i++) {
        val.sival_int = i;
        sigqueue(getpid(), SIGRTMIN + 1, val);
    }
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    CHECK(hits == 3 && last_value == 2, "RT signal: %d deliveries, last value %d",
          hits, last_value);

    /* SA_RESETHAND: the second one takes the default action (ignore) */
    set_handler(SIGCHLD, on_plain, SA_RESETHAND);
    hits = 0;
    kill(getpid(), SIGCHLD);
    kill(getpid(), SIGCHLD);
    CHECK(hits == 1, "SA_RESETHAND handler ran %d times", hits);
    sigaction(SIGCHLD, NULL, &old);
    CHECK(old.sa_handler == SIG_DFL, "handler not reset");

    /* SA_NODEFER: the same signal nests */
    set_handler(SIGUSR2, on_nodefer, SA_NODEFER);
    hits = 0;
    nested = 0;
    raise(SIGUSR2);
    CHECK(hits == 2 && nested, "SA_NODEFER: hits %d nested %d", hits, nested);

    /* FPU state survives a handler that uses it */
    set_handler(SIGUSR2, on_fpu, 0);
    {
        volatile double a = 1.0 / 3.0, b;
        hits = 0;
        raise(SIGUSR2);
        b = a * 3.0;
        CHECK(hits == 1 && b > 0.9999999 && b < 1.0000001, "FPU state lost: %f", b);
    }

    /* the alternate stack */
    {
        static char alt[64 * 1024];
        stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt), .ss_flags = 0 }, os;

        CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack errno %d", errno);
        set_info_handler(SIGUSR1, on_info, SA_ONSTACK, 0);
        handler_stack = 0;
        raise(SIGUSR1);
        CHECK(handler_stack >= (uintptr_t)alt && handler_stack < (uintptr_t)alt + sizeof(alt),
              "handler ran at %#lx, not on the alternate stack", (unsigned long)handler_stack);
        CHECK(sigaltstack(NULL, &os) == 0 && os.ss_sp == alt && os.ss_flags == 0,
              "sigaltstack report: sp %p flags %d", os.ss_sp, os.ss_flags);
        ss.ss_size = 100;
        errno = 0;
        CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM, "small stack: errno %d", errno);
        ss.ss_flags = 77;
        ss.ss_size = sizeof(alt);
        errno = 0;
        CHECK(sigaltstack(&ss, NULL) == -1 && errno == EINVAL, "bad flags: errno %d", errno);
        ss.ss_flags = SS_DISABLE;
        CHECK(sigaltstack(&ss, NULL) == 0, "disable errno %d", errno);
        CHECK(sigaltstack(NULL, &os) == 0 && os.ss_flags == SS_DISABLE, "not disabled");
    }

    /* sigsuspend: waits with a temporary mask, returns EINTR */
    {
        sigset_t block, wait_mask, after;

        set_handler(SIGUSR1, on_plain, 0);
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        sigprocmask(SIG_BLOCK, &block, NULL);
        kill(getpid(), SIGUSR1); /* pending, blocked */
        hits = 0;
        sigemptyset(&wait_mask);
        errno = 0;
        CHECK(sigsuspend(&wait_mask) == -1 && errno == EINTR, "sigsuspend errno %d", errno);
        CHECK(hits == 1, "sigsuspend: handler ran %d times", hits);
        sigprocmask(SIG_BLOCK, NULL, &after);
        CHECK(sigismember(&after, SIGUSR1), "sigsuspend did not restore the mask");
        sigprocmask(SIG_UNBLOCK, &block, NULL);
    }

    /* a SIGSEGV handler recovers with siglongjmp: MAPERR, then ACCERR */
    set_info_handler(SIGSEGV, on_segv, SA_NODEFER, 0);
    if (!sigsetjmp(recover, 1)) {
        volatile uintptr_t where = 16;
        *(volatile int *)where = 1;
        CHECK(0, "write to address 16 did not fault");
    }
    CHECK(fault_addr == (void *)16 && fault_code == SEGV_MAPERR,
          "NULL fault: addr %p code %d", (void *)fault_addr, fault_code);
    {
        char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        CHECK(page != MAP_FAILED, "mmap errno %d", errno);
        if (!sigsetjmp(recover, 1)) {
            page[100] = 1;
            CHECK(0, "write to a read-only page did not fault");
        }
        CHECK(fault_addr == page + 100 && fault_code == SEGV_ACCERR,
              "read-only fault: addr %p (page %p) code %d", (void *)fault_addr,
              (void *)page, fault_code);
    }

    /* bad arguments */
    errno = 0;
    CHECK(sigaction(SIGKILL, &old, NULL) == -1 && errno == EINVAL, "SIGKILL handler: errno %d", errno);
    errno = 0;
    CHECK(sigaction(65, &old, NULL) == -1 && errno == EINVAL, "signal 65: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4) == -1 && errno == EINVAL,
          "sigsetsize 4: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8) == -1 && errno == EFAULT,
          "bad act pointer: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_rt_sigprocmask, 99, &set, NULL, 8) == -1 && errno == EINVAL,
          "bad how: errno %d", errno);
    errno = 0;
    CHECK(kill(getpid(), 65) == -1 && errno == EINVAL, "kill 65: errno %d", errno);
    errno = 0;
    CHECK(kill(999999, 0) == -1 && errno == ESRCH, "kill missing pid: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_tgkill, getpid(), 0, SIGUSR1) == -1 && errno == EINVAL, "tgkill tid 0: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_tgkill, getpid() + 1000, gettid(), 0) == -1 && errno == ESRCH,
          "tgkill wrong tgid: errno %d", errno);
    {
        siginfo_t si;
        pid_t child = fork();

        if (child == 0)
            for (;;)
                pause();
        memset(&si, 0, sizeof(si));
        si.si_code = SI_USER;
        errno = 0;
        CHECK(syscall(SYS_rt_sigqueueinfo, child, SIGUSR1, &si) == -1 && errno == EPERM,
              "sigqueueinfo SI_USER to another process: errno %d", errno);
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    }
    return check_result("signal_handler");
}
