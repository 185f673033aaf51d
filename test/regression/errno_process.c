/* Bad arguments to the process and signal calls: invalid pointers
 * (unmapped, kernel and non-canonical addresses), sizes and flags give
 * Linux's errno values, and nothing else happens. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "check.h"

static const uintptr_t bad_ptrs[] = {
    8,                      /* unmapped, near NULL */
    0xffff800000001000UL,   /* the kernel's half */
    0x0000900000000000UL,   /* non-canonical */
    0x00007ffffffff000UL,   /* the last user page, unmapped */
};

#define EXPECT_ERR(err, call)                                                  \
    do {                                                                   \
        long r_;                                                           \
        errno = 0;                                                         \
        r_ = (call);                                                       \
        CHECK(r_ == -1 && errno == (err), "%s: returned %ld errno %d, expected %d", \
              #call, r_, errno, (err));                                     \
    } while (0)

static pid_t pauser(void)
{
    pid_t child = fork();

    if (child == 0)
        for (;;)
            pause();
    return child;
}

int main(void)
{
    uint64_t set = 0;
    stack_t ss;
    struct timespec bad_ts = { 0, 2000000000 };
    siginfo_t si;
    struct clone_args ca;
    unsigned char big[128];
    pid_t child;
    int status;

    for (unsigned i = 0; i < sizeof(bad_ptrs) / sizeof(bad_ptrs[0]); i++) {
        uintptr_t p = bad_ptrs[i];

        EXPECT_ERR(EFAULT, syscall(SYS_rt_sigaction, SIGUSR1, p, 0, 8));
        EXPECT_ERR(EFAULT, syscall(SYS_rt_sigaction, SIGUSR1, 0, p, 8));
        EXPECT_ERR(EFAULT, syscall(SYS_rt_sigprocmask, SIG_BLOCK, p, 0, 8));
        EXPECT_ERR(EFAULT, syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, p, 8));
        EXPECT_ERR(EFAULT, syscall(SYS_rt_sigpending, p, 8));
        EXPECT_ERR(EFAULT, syscall(SYS_rt_sigsuspend, p, 8));
        EXPECT_ERR(EFAULT, syscall(SYS_rt_sigtimedwait, p, 0, 0, 8));
        EXPECT_ERR(EFAULT, syscall(SYS_rt_sigtimedwait, &set, 0, p, 8));
        EXPECT_ERR(EFAULT, syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, p));
        EXPECT_ERR(EFAULT, syscall(SYS_sigaltstack, p, 0));
        EXPECT_ERR(EFAULT, syscall(SYS_sigaltstack, 0, p));
        EXPECT_ERR(EFAULT, syscall(SYS_clone3, p, sizeof(ca)));
        EXPECT_ERR(EFAULT, syscall(SYS_execve, p, 0, 0));
        EXPECT_ERR(EFAULT, syscall(SYS_uname, p));

        child = fork();
        if (child == 0)
            _exit(3);
        EXPECT_ERR(EFAULT, syscall(SYS_wait4, child, p, 0, 0));
        child = fork();
        if (child == 0)
            _exit(3);
        EXPECT_ERR(EFAULT, syscall(SYS_waitid, P_PID, child, p, WEXITED, 0));
    }
    /* the failed reports above still reaped their children */
    EXPECT_ERR(ECHILD, waitpid(-1, &status, WNOHANG));

    /* sizes */
    EXPECT_ERR(EINVAL, syscall(SYS_rt_sigaction, SIGUSR1, 0, 0, 16));
    EXPECT_ERR(EINVAL, syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 4));
    EXPECT_ERR(EINVAL, syscall(SYS_rt_sigpending, &set, 16));
    EXPECT_ERR(EINVAL, syscall(SYS_rt_sigsuspend, &set, 4));
    EXPECT_ERR(EINVAL, syscall(SYS_rt_sigtimedwait, &set, 0, 0, 4));
    EXPECT_ERR(EINVAL, syscall(SYS_rt_sigtimedwait, &set, 0, &bad_ts, 8));
    memset(&ca, 0, sizeof(ca));
    ca.exit_signal = SIGCHLD;
    EXPECT_ERR(EINVAL, syscall(SYS_clone3, &ca, 32));
    EXPECT_ERR(E2BIG, syscall(SYS_clone3, &ca, 8192));
    memset(big, 0, sizeof(big));
    memcpy(big, &ca, sizeof(ca));
    big[sizeof(big) - 1] = 1; /* a field this kernel does not know */
    EXPECT_ERR(E2BIG, syscall(SYS_clone3, big, sizeof(big)));

    /* signal numbers and flags */
    EXPECT_ERR(EINVAL, syscall(SYS_rt_sigaction, 0, 0, 0, 8));
    EXPECT_ERR(EINVAL, syscall(SYS_rt_sigaction, 65, 0, 0, 8));
    EXPECT_ERR(EINVAL, syscall(SYS_rt_sigaction, SIGSTOP, &set, 0, 8));
    EXPECT_ERR(EINVAL, kill(getpid(), -1));
    EXPECT_ERR(EINVAL, syscall(SYS_tkill, 0, SIGUSR1));
    EXPECT_ERR(EINVAL, syscall(SYS_tkill, -5, SIGUSR1));
    EXPECT_ERR(EINVAL, syscall(SYS_tgkill, 0, gettid(), SIGUSR1));
    EXPECT_ERR(EINVAL, syscall(SYS_tgkill, getpid(), gettid(), 99));
    EXPECT_ERR(ESRCH, syscall(SYS_tkill, 999999, 0));
    EXPECT_ERR(ESRCH, kill(-999999, 0));
    memset(&si, 0, sizeof(si));
    si.si_code = SI_QUEUE;
    CHECK(syscall(SYS_rt_sigqueueinfo, getpid(), 0, &si) == 0, "sigqueueinfo signal 0");
    EXPECT_ERR(ESRCH, syscall(SYS_rt_sigqueueinfo, 999999, SIGUSR1, &si));
    EXPECT_ERR(EINVAL, syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, SIGUSR1, &si));
    ss.ss_sp = big;
    ss.ss_size = 1 << 20;
    ss.ss_flags = 0x10;
    EXPECT_ERR(EINVAL, sigaltstack(&ss, NULL));
    EXPECT_ERR(EINVAL, syscall(SYS_wait4, -1, &status, 0x10000, 0));
    EXPECT_ERR(ECHILD, syscall(SYS_wait4, 999999, &status, 0, 0));
    EXPECT_ERR(EINVAL, syscall(SYS_waitid, P_PID, 0, &si, WEXITED, 0));
    EXPECT_ERR(EINVAL, syscall(SYS_waitid, P_PGID, -1, &si, WEXITED, 0));
    EXPECT_ERR(EINVAL, syscall(SYS_waitid, P_ALL, 0, &si, WEXITED | 0x100000, 0));
    EXPECT_ERR(EINVAL, syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0));
    ca.exit_signal = 100;
    EXPECT_ERR(EINVAL, syscall(SYS_clone3, &ca, sizeof(ca)));
    EXPECT_ERR(EINVAL, setpgid(0, -1));
    EXPECT_ERR(ESRCH, getpgid(-5));
    EXPECT_ERR(ESRCH, getsid(999999));

    /* a bad pointer for the child's tid is not the parent's error */
    child = syscall(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, 0, 0, 8, 0);
    if (child == 0)
        _exit(6);
    CHECK(child > 0, "clone with a bad child tid address: %d errno %d", child, errno);
    CHECK(waitpid(child, &status, 0) == child && WEXITSTATUS(status) == 6,
          "that child: status %#x", status);

    /* and none of this disturbed a bystander */
    child = pauser();
    kill(child, SIGKILL);
    CHECK(waitpid(child, &status, 0) == child && WTERMSIG(status) == SIGKILL,
          "bystander: status %#x", status);
    return check_result("errno_process");
}
