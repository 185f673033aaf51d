/* The identity, limit and information calls given bad pointers and bad
 * values: each must fail with Linux's errno (the values were found by
 * running this program on Linux), in Linux's order of checks, and change
 * nothing.  The unprivileged cases run in a child that dropped root. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/prctl.h>

#define BAD ((void *)8)                     /* never mapped */
#define KERNEL ((void *)0xffff800000000000UL) /* not user space */

static int failures;

static void expect(const char *what, long ret, int err, long want_ret, int want_err)
{
    if (ret == want_ret && (want_ret != -1 || err == want_err)) {
        printf("ok: %s -> %ld", what, ret);
    } else {
        printf("FAIL: %s -> %ld errno %d (%s), expected %ld", what, ret, err,
               strerror(err), want_ret);
        failures++;
    }
    if (want_ret == -1)
        printf(" errno %d (%s)", want_err, strerror(want_err));
    printf("\n");
    fflush(stdout);
}

/* ERR(call, errno): the call fails with that errno; RET(call, value). */
#define ERR(call, e) do { errno = 0; long r_ = (long)(call); expect(#call, r_, errno, -1, e); } while (0)
#define RET(call, v) do { errno = 0; long r_ = (long)(call); expect(#call, r_, errno, v, 0); } while (0)
#define S(...) syscall(__VA_ARGS__)

static void limits(void)
{
    struct rlimit rl, before;

    getrlimit(RLIMIT_CORE, &before);
    ERR(S(SYS_getrlimit, RLIM_NLIMITS, &rl), EINVAL);
    ERR(S(SYS_getrlimit, -1, &rl), EINVAL);
    ERR(S(SYS_getrlimit, 0, BAD), EFAULT);
    ERR(S(SYS_getrlimit, 0, KERNEL), EFAULT);
    ERR(S(SYS_getrlimit, 99, BAD), EINVAL);   /* resource first */
    ERR(S(SYS_setrlimit, 0, BAD), EFAULT);
    ERR(S(SYS_setrlimit, 99, BAD), EFAULT);   /* copy first */
    rl.rlim_cur = 10; rl.rlim_max = 5;
    ERR(S(SYS_setrlimit, RLIMIT_CORE, &rl), EINVAL);
    ERR(S(SYS_setrlimit, 99, &rl), EINVAL);
    rl.rlim_cur = 1024; rl.rlim_max = 2000000; /* above fs.nr_open */
    ERR(S(SYS_setrlimit, RLIMIT_NOFILE, &rl), EPERM);
    rl.rlim_cur = 1048577; rl.rlim_max = 1048576;
    ERR(S(SYS_setrlimit, RLIMIT_NOFILE, &rl), EINVAL);
    ERR(S(SYS_prlimit64, 0, 99, NULL, NULL), EINVAL);
    RET(S(SYS_prlimit64, 0, 0, NULL, NULL), 0);
    ERR(S(SYS_prlimit64, 999999, 0, NULL, &rl), ESRCH);
    ERR(S(SYS_prlimit64, -1, 0, NULL, &rl), ESRCH);
    ERR(S(SYS_prlimit64, 999999, 99, NULL, &rl), ESRCH); /* pid first */
    ERR(S(SYS_prlimit64, 0, 0, NULL, BAD), EFAULT);
    ERR(S(SYS_prlimit64, 0, 0, BAD, NULL), EFAULT);
    ERR(S(SYS_prlimit64, 0, 99, BAD, BAD), EFAULT);
    rl.rlim_cur = 10; rl.rlim_max = 5;
    ERR(S(SYS_prlimit64, 0, RLIMIT_CORE, &rl, BAD), EINVAL);
    getrlimit(RLIMIT_CORE, &rl);
    if (rl.rlim_cur != before.rlim_cur || rl.rlim_max != before.rlim_max) {
        printf("FAIL: a refused call changed RLIMIT_CORE\n");
        failures++;
    }
}

static void randomness(void)
{
    char buf[32];
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    munmap(p + 4096, 4096);
    ERR(S(SYS_getrandom, BAD, 16, 0), EFAULT);
    ERR(S(SYS_getrandom, KERNEL, 16, 0), EFAULT);
    ERR(S(SYS_getrandom, p + 4096, 1, 0), EFAULT);
    ERR(S(SYS_getrandom, 0x7ffffffff000UL, 0x2000, 0), EFAULT);
    ERR(S(SYS_getrandom, buf, 16, 8), EINVAL);
    ERR(S(SYS_getrandom, BAD, 16, 8), EINVAL);  /* flags first */
    ERR(S(SYS_getrandom, buf, 16, 0x80000000), EINVAL);
    ERR(S(SYS_getrandom, buf, 16, 6), EINVAL);  /* GRND_RANDOM|GRND_INSECURE */
    ERR(S(SYS_getrandom, buf, 16, 7), EINVAL);
    RET(S(SYS_getrandom, BAD, 0, 0), 0);
    RET(S(SYS_getrandom, NULL, 0, 0), 0);
    munmap(p, 4096);
}

static void information(void)
{
    struct rusage ru;

    ERR(S(SYS_sysinfo, BAD), EFAULT);
    ERR(S(SYS_sysinfo, NULL), EFAULT);
    ERR(S(SYS_getcpu, BAD, NULL, NULL), EFAULT);
    ERR(S(SYS_getcpu, NULL, BAD, NULL), EFAULT);
    RET(S(SYS_getcpu, NULL, NULL, BAD), 0);   /* the cache is unused */
    RET(S(SYS_getcpu, NULL, NULL, NULL), 0);
    ERR(S(SYS_getrusage, 2, &ru), EINVAL);
    ERR(S(SYS_getrusage, -2, &ru), EINVAL);   /* RUSAGE_BOTH: wait4's only */
    ERR(S(SYS_getrusage, 5, BAD), EINVAL);    /* who first */
    ERR(S(SYS_getrusage, RUSAGE_SELF, BAD), EFAULT);
    ERR(S(SYS_getrusage, RUSAGE_CHILDREN, NULL), EFAULT);
    ERR(S(SYS_getrusage, RUSAGE_THREAD, KERNEL), EFAULT);
}

static void process_control(void)
{
    int v;

    ERR(S(SYS_prctl, PR_SET_NAME, BAD), EFAULT);
    ERR(S(SYS_prctl, PR_GET_NAME, BAD), EFAULT);
    ERR(S(SYS_prctl, PR_SET_PDEATHSIG, 65), EINVAL);
    ERR(S(SYS_prctl, PR_SET_PDEATHSIG, -1), EINVAL);
    ERR(S(SYS_prctl, PR_SET_PDEATHSIG, 0x100000009UL), EINVAL);
    ERR(S(SYS_prctl, PR_GET_PDEATHSIG, BAD), EFAULT);
    ERR(S(SYS_prctl, PR_SET_DUMPABLE, 2), EINVAL);
    ERR(S(SYS_prctl, PR_SET_DUMPABLE, 3), EINVAL);
    ERR(S(SYS_prctl, PR_SET_DUMPABLE, 0x100000001UL), EINVAL);
    ERR(S(SYS_prctl, PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), EINVAL);
    ERR(S(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 1), EINVAL);
    ERR(S(SYS_prctl, PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0), EINVAL);
    ERR(S(SYS_prctl, PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL);
    ERR(S(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL);
    ERR(S(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 1), EINVAL);
    RET(S(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
    ERR(S(SYS_prctl, PR_GET_CHILD_SUBREAPER, BAD), EFAULT);
    ERR(S(SYS_prctl, PR_SET_KEEPCAPS, 2), EINVAL);
    ERR(S(SYS_prctl, PR_CAPBSET_READ, 41), EINVAL); /* past CAP_LAST_CAP */
    ERR(S(SYS_prctl, PR_CAPBSET_READ, -1), EINVAL);
    ERR(S(SYS_prctl, PR_CAPBSET_READ, 0x100000000UL), EINVAL);
    ERR(S(SYS_prctl, 9999), EINVAL);
    ERR(S(SYS_prctl, 0), EINVAL);
    ERR(S(SYS_prctl, -1), EINVAL);
    v = 77;
    RET(S(SYS_prctl, PR_GET_PDEATHSIG, &v), 0);
    RET(v, 0);
    RET(S(SYS_prctl, PR_GET_DUMPABLE), 1);
}

static void ids(void)
{
    gid_t gl[4] = { 5, (gid_t)-1 };
    uid_t r = 77, e = 77;

    ERR(S(SYS_getgroups, -1, gl), EINVAL);
    RET(S(SYS_getgroups, 4, BAD), 0);         /* no groups: nothing copied */
    ERR(S(SYS_setgroups, 1, BAD), EFAULT);
    ERR(S(SYS_setgroups, 65537, gl), EINVAL); /* NGROUPS_MAX + 1 */
    ERR(S(SYS_setgroups, 65537, BAD), EINVAL);
    ERR(S(SYS_setgroups, -1, gl), EINVAL);
    ERR(S(SYS_setgroups, 2, gl), EINVAL);     /* (gid_t)-1 is no group */
    RET(S(SYS_setgroups, 0, BAD), 0);
    gl[1] = 3;
    RET(S(SYS_setgroups, 2, gl), 0);
    ERR(S(SYS_getgroups, 1, gl), EINVAL);     /* too small */
    ERR(S(SYS_getgroups, 2, BAD), EFAULT);
    RET(S(SYS_setgroups, 0, NULL), 0);
    ERR(S(SYS_getresuid, BAD, BAD, BAD), EFAULT);
    ERR(S(SYS_getresuid, &r, &e, BAD), EFAULT);
    RET(r, 0);                                /* written before the fault */
    RET(e, 0);
    ERR(S(SYS_getresgid, BAD, NULL, NULL), EFAULT);
    ERR(S(SYS_setuid, -1), EINVAL);
    ERR(S(SYS_setgid, -1), EINVAL);
    RET(S(SYS_setuid, 0x100000000UL), 0);     /* a 32-bit argument: 0 */
    RET(S(SYS_setreuid, -1, -1), 0);
    RET(S(SYS_setresuid, -1, -1, -1), 0);
    RET(S(SYS_setfsuid, -1), 0);              /* the old fsuid, no change */
    RET(S(SYS_setfsgid, -1), 0);
    RET(S(SYS_umask, 0777777), 022);          /* only 0777 is kept */
    RET(S(SYS_umask, 022), 0777);
    RET(getuid(), 0);
    RET(geteuid(), 0);
}

/* In a child that is no longer root. */
static int unprivileged(void)
{
    struct rlimit rl;
    uid_t r, e, s;

    RET(S(SYS_setresuid, 1, 2, 3), 0);
    ERR(S(SYS_setgroups, 0, NULL), EPERM);
    ERR(S(SYS_setgroups, 1, BAD), EPERM);     /* permission first */
    ERR(S(SYS_setgroups, 65537, BAD), EPERM);
    ERR(S(SYS_setuid, 2), EPERM);             /* the effective uid is not enough */
    ERR(S(SYS_setreuid, 3, -1), EPERM);       /* nor the saved one for the real */
    ERR(S(SYS_setresuid, 3, 3, 4), EPERM);
    ERR(S(SYS_setresuid, 0, 0, 0), EPERM);
    ERR(S(SYS_setuid, 0), EPERM);
    RET(S(SYS_getresuid, &r, &e, &s), 0);
    RET(r, 1);
    RET(e, 2);
    RET(s, 3);
    RET(S(SYS_setfsuid, 7), 2);               /* refused: returns the old */
    RET(S(SYS_setfsuid, -1), 2);
    RET(S(SYS_getrlimit, RLIMIT_CORE, &rl), 0);
    rl.rlim_max = 1000; rl.rlim_cur = 10;
    RET(S(SYS_setrlimit, RLIMIT_CORE, &rl), 0); /* lowering is allowed */
    rl.rlim_max = 1001;
    ERR(S(SYS_setrlimit, RLIMIT_CORE, &rl), EPERM);
    rl.rlim_max = 1001; rl.rlim_cur = 1002;
    ERR(S(SYS_setrlimit, RLIMIT_CORE, &rl), EINVAL);
    ERR(S(SYS_prlimit64, getppid(), RLIMIT_CORE, NULL, &rl), EPERM);
    ERR(S(SYS_prlimit64, getppid(), 99, NULL, &rl), EPERM); /* permission first */
    return failures;
}

int main(void)
{
    int status;
    pid_t child;

    limits();
    randomness();
    information();
    process_control();
    ids();
    child = fork();
    if (child == 0) {
        failures = 0; /* only the child's */
        _exit(unprivileged() ? 1 : 0);
    }
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        printf("FAIL: unprivileged checks (status %#x)\n", status);
        failures++;
    }
    if (failures) {
        printf("%d failures\n", failures);
        return 1;
    }
    printf("id_errno ok\n");
    return 0;
}
