/* What fork passes on: the ids and groups, the umask, the resource limits,
 * dumpable, no_new_privs and keep_caps are inherited; the parent-death
 * signal and the subreaper flag are not.  A grandchild of a child that
 * dropped root is unprivileged too.  A reaped child's processor time
 * shows in the parent's RUSAGE_CHILDREN. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

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

static int prctl_int(int option)
{
    int v = -1;

    S(SYS_prctl, option, &v);
    return v;
}

static void check_limit(int resource, rlim_t cur, rlim_t max, const char *who)
{
    struct rlimit rl;

    CHECK(getrlimit(resource, &rl) == 0 && rl.rlim_cur == cur && rl.rlim_max == max,
          "%s: limit %d is %llu/%llu, expected %llu/%llu", who, resource,
          (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
          (unsigned long long)cur, (unsigned long long)max);
}

static void check_ids(unsigned r, unsigned e, unsigned s, const char *who)
{
    uid_t gr = 99, ge = 99, gs = 99;

    S(SYS_getresuid, &gr, &ge, &gs);
    CHECK(gr == r && ge == e && gs == s, "%s: uids %u %u %u, expected %u %u %u",
          who, gr, ge, gs, r, e, s);
}

/* The grandchild: what its unprivileged parent had, it has. */
static int grandchild(void)
{
    struct rlimit rl = { 4096, 4097 };

    check_ids(1000, 1000, 1000, "grandchild");
    CHECK(umask(0) == 027, "grandchild: umask");
    check_limit(RLIMIT_CORE, 4096, 4096, "grandchild");
    CHECK(setrlimit(RLIMIT_CORE, &rl) == -1 && errno == EPERM,
          "grandchild may not raise a hard limit (errno %d)", errno);
    CHECK(S(SYS_setuid, 0) == -1 && errno == EPERM, "grandchild: setuid(0)");
    return failures;
}

/* The child: checks what it inherited, drops root, forks again. */
static int child(void)
{
    gid_t groups[4] = { 0 };
    struct rlimit rl;
    struct rusage ru;
    int status;
    pid_t pid;

    check_ids(1000, 0, 2000, "child");
    CHECK(getgid() == 100 && getegid() == 100, "child: gids %u %u", getgid(), getegid());
    CHECK(S(SYS_getgroups, 4, groups) == 2 && groups[0] == 3 && groups[1] == 7,
          "child: groups %u %u", groups[0], groups[1]);
    CHECK(umask(027) == 027, "child: umask");
    check_limit(RLIMIT_CORE, 4096, 8192, "child");
    check_limit(RLIMIT_NOFILE, 256, 512, "child");
    CHECK(S(SYS_prctl, PR_GET_DUMPABLE) == 0, "child: dumpable");
    CHECK(S(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1, "child: no_new_privs");
    CHECK(S(SYS_prctl, PR_GET_KEEPCAPS) == 1, "child: keep_caps");
    CHECK(prctl_int(PR_GET_PDEATHSIG) == 0, "child: pdeathsig %d, expected 0",
          prctl_int(PR_GET_PDEATHSIG));
    CHECK(prctl_int(PR_GET_CHILD_SUBREAPER) == 0, "child: subreaper %d, expected 0",
          prctl_int(PR_GET_CHILD_SUBREAPER));
    CHECK(S(SYS_getrusage, RUSAGE_CHILDREN, &ru) == 0 && ru.ru_utime.tv_sec == 0 &&
          ru.ru_utime.tv_usec == 0, "child: its children used no time yet");

    /* drop root, lower a limit, and pass both on */
    CHECK(S(SYS_setuid, 1000) == 0, "child: setuid(1000) errno %d", errno);
    rl.rlim_cur = rl.rlim_max = 4096;
    CHECK(setrlimit(RLIMIT_CORE, &rl) == 0, "child: lower RLIMIT_CORE");
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int f = grandchild();

        fflush(stdout);
        _exit(f ? 1 : 0);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
          WEXITSTATUS(status) == 0, "grandchild status %#x", status);

    /* use some processor time for the parent to see */
    for (;;) {
        volatile unsigned long x = 0;

        for (unsigned long i = 0; i < 1000000; i++)
            x += i;
        S(SYS_getrusage, RUSAGE_SELF, &ru);
        if (ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec >= 200000)
            break;
    }
    return failures;
}

int main(void)
{
    gid_t groups[2] = { 7, 3 };
    struct rlimit rl;
    struct rusage ru;
    long usec;
    int status;
    pid_t pid;

    /* what an earlier program of this process reaped counts too: a delta */
    CHECK(S(SYS_getrusage, RUSAGE_CHILDREN, &ru) == 0, "getrusage(CHILDREN)");
    usec = ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec;
    CHECK(umask(027) == 022, "the initial umask is 022");
    rl.rlim_cur = 4096; rl.rlim_max = 8192;
    CHECK(setrlimit(RLIMIT_CORE, &rl) == 0, "setrlimit(CORE)");
    rl.rlim_cur = 256; rl.rlim_max = 512;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0, "setrlimit(NOFILE)");
    CHECK(S(SYS_setgroups, 2, groups) == 0, "setgroups");
    CHECK(S(SYS_setresgid, 100, 100, 100) == 0, "setresgid");
    CHECK(S(SYS_setresuid, 1000, 0, 2000) == 0, "setresuid(1000, 0, 2000)");
    CHECK(S(SYS_prctl, PR_SET_DUMPABLE, 0) == 0, "PR_SET_DUMPABLE 0");
    CHECK(S(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "PR_SET_NO_NEW_PRIVS");
    CHECK(S(SYS_prctl, PR_SET_KEEPCAPS, 1) == 0, "PR_SET_KEEPCAPS");
    CHECK(S(SYS_prctl, PR_SET_PDEATHSIG, SIGCHLD) == 0, "PR_SET_PDEATHSIG");
    CHECK(S(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1) == 0, "PR_SET_CHILD_SUBREAPER");
    fflush(stdout);

    pid = fork();
    if (pid == 0) {
        int f = child();

        fflush(stdout);
        _exit(f ? 1 : 0);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
          WEXITSTATUS(status) == 0, "child status %#x", status);

    /* the parent kept its own settings */
    check_ids(1000, 0, 2000, "parent");
    CHECK(prctl_int(PR_GET_PDEATHSIG) == SIGCHLD, "parent: pdeathsig");
    CHECK(prctl_int(PR_GET_CHILD_SUBREAPER) == 1, "parent: subreaper");
    check_limit(RLIMIT_CORE, 4096, 8192, "parent");
    S(SYS_prctl, PR_SET_PDEATHSIG, 0);
    CHECK(S(SYS_getrusage, RUSAGE_CHILDREN, &ru) == 0, "getrusage(CHILDREN)");
    usec = ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec - usec;
    CHECK(usec >= 200000 && usec < 60000000,
          "the reaped child's user time: %ld us, expected at least 200000", usec);
    if (failures)
        return 1;
    printf("id_inherit ok\n");
    return 0;
}
