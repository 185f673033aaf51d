/* Changing user and group ids as Linux does: root may set anything, an
 * ordinary process only shuffles its real, effective and saved ids, with
 * each call's own rules (setuid, setreuid, setresuid, setfsuid and the gid
 * calls); supplementary groups are kept sorted; a change of effective or
 * file-system id makes the process undumpable and clears its
 * parent-death signal.  Each scenario runs in its own child. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
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

static void expect_uids(unsigned r, unsigned e, unsigned s, const char *after)
{
    uid_t gr = 99, ge = 99, gs = 99;

    S(SYS_getresuid, &gr, &ge, &gs);
    CHECK(gr == r && ge == e && gs == s, "after %s: uids %u %u %u, expected %u %u %u",
          after, gr, ge, gs, r, e, s);
    CHECK(getuid() == r && geteuid() == e, "after %s: getuid %u geteuid %u", after,
          getuid(), geteuid());
}

static void expect_gids(unsigned r, unsigned e, unsigned s, const char *after)
{
    gid_t gr = 99, ge = 99, gs = 99;

    S(SYS_getresgid, &gr, &ge, &gs);
    CHECK(gr == r && ge == e && gs == s, "after %s: gids %u %u %u, expected %u %u %u",
          after, gr, ge, gs, r, e, s);
    CHECK(getgid() == r && getegid() == e, "after %s: getgid %u getegid %u", after,
          getgid(), getegid());
}

static int dumpable(void)
{
    return (int)S(SYS_prctl, PR_GET_DUMPABLE);
}

static int pdeathsig(void)
{
    int v = -1;

    S(SYS_prctl, PR_GET_PDEATHSIG, &v);
    return v;
}

/* root: setuid sets all four ids; the file-system id follows. */
static void root_setuid(void)
{
    expect_uids(0, 0, 0, "start");
    CHECK(S(SYS_setresuid, 10, 20, 30) == 0, "setresuid(10, 20, 30) errno %d", errno);
    expect_uids(10, 20, 30, "setresuid(10, 20, 30)");
    CHECK(S(SYS_setfsuid, -1) == 20, "fsuid follows the effective uid");
    CHECK(S(SYS_setresuid, -1, 0, -1) == -1 && errno == EPERM,
          "euid 20: back to 0 refused (errno %d)", errno);
}

static void root_setuid_all(void)
{
    CHECK(S(SYS_setuid, 1000) == 0, "root setuid(1000) errno %d", errno);
    expect_uids(1000, 1000, 1000, "root setuid(1000)");
    CHECK(S(SYS_setfsuid, -1) == 1000, "fsuid after setuid");
    CHECK(S(SYS_setuid, 0) == -1 && errno == EPERM, "setuid(0) after dropping root");
}

/* The unprivileged rules, from real 1, effective 2, saved 3. */
static void unprivileged_uids(void)
{
    CHECK(S(SYS_setresuid, 1, 2, 3) == 0, "setresuid(1, 2, 3)");
    CHECK(S(SYS_setuid, 2) == -1 && errno == EPERM, "setuid(euid) refused");
    CHECK(S(SYS_setuid, 3) == 0, "setuid(suid) allowed");
    expect_uids(1, 3, 3, "setuid(3)");
    CHECK(S(SYS_setuid, 1) == 0, "setuid(ruid) allowed");
    expect_uids(1, 1, 3, "setuid(1)");
    CHECK(S(SYS_setreuid, 3, -1) == -1 && errno == EPERM, "setreuid(suid, -1) refused");
    CHECK(S(SYS_setreuid, -1, 3) == 0, "setreuid(-1, suid)");
    expect_uids(1, 3, 3, "setreuid(-1, 3)");
    /* a real uid change copies the new effective uid to the saved one */
    CHECK(S(SYS_setreuid, 3, 1) == 0, "setreuid(3, 1) errno %d", errno);
    expect_uids(3, 1, 1, "setreuid(3, 1)");
    /* setting the effective uid to the real one keeps the saved one */
    CHECK(S(SYS_setresuid, 1, 3, 3) == 0, "setresuid(1, 3, 3) errno %d", errno);
    CHECK(S(SYS_setreuid, -1, 1) == 0, "setreuid(-1, 1)");
    expect_uids(1, 1, 3, "setreuid(-1, 1)");
    CHECK(S(SYS_setresuid, 1, 1, 4) == -1 && errno == EPERM, "setresuid to a new id");
    /* setfsuid: only among the ids held; returns the previous one */
    CHECK(S(SYS_setfsuid, 7) == 1, "setfsuid(7) returns the old fsuid");
    CHECK(S(SYS_setfsuid, -1) == 1, "setfsuid(7) was refused");
    /* gids: still 0, so they may change; then the same rules */
    CHECK(S(SYS_setgid, 0) == 0, "setgid(0) with gid 0");
    CHECK(S(SYS_setresgid, 5, 6, 7) == -1 && errno == EPERM, "setresgid as a user");
    CHECK(S(SYS_setgroups, 0, NULL) == -1 && errno == EPERM, "setgroups as a user");
    expect_gids(0, 0, 0, "refused gid changes");
}

static void root_gids(void)
{
    gid_t groups[8] = { 50, 7, 300, 7, 12 };
    int n;

    CHECK(S(SYS_setresgid, 10, 20, 30) == 0, "setresgid(10, 20, 30)");
    expect_gids(10, 20, 30, "setresgid(10, 20, 30)");
    CHECK(S(SYS_setfsgid, -1) == 20, "fsgid follows the effective gid");
    CHECK(S(SYS_setregid, 40, -1) == 0, "setregid(40, -1)");
    expect_gids(40, 20, 20, "setregid(40, -1)");
    CHECK(S(SYS_setgid, 5) == 0, "root setgid(5)");
    expect_gids(5, 5, 5, "setgid(5)");
    CHECK(S(SYS_setgroups, 5, groups) == 0, "setgroups(5) errno %d", errno);
    memset(groups, 0, sizeof(groups));
    n = (int)S(SYS_getgroups, 0, NULL);
    CHECK(n == 5, "getgroups(0) = %d", n);
    n = (int)S(SYS_getgroups, 8, groups);
    CHECK(n == 5 && groups[0] == 7 && groups[1] == 7 && groups[2] == 12 &&
          groups[3] == 50 && groups[4] == 300,
          "groups %d: %u %u %u %u %u, expected sorted 7 7 12 50 300", n,
          groups[0], groups[1], groups[2], groups[3], groups[4]);
    CHECK(S(SYS_setgroups, 0, NULL) == 0 && S(SYS_getgroups, 0, NULL) == 0,
          "groups cleared");
}

/* What a change of ids does to dumpable and the parent-death signal. */
static void side_effects(void)
{
    gid_t g = 9;

    CHECK(dumpable() == 1, "dumpable at start");
    S(SYS_prctl, PR_SET_PDEATHSIG, 9);
    CHECK(S(SYS_setresgid, 5, -1, -1) == 0 && pdeathsig() == 9 && dumpable() == 1,
          "a real gid change keeps pdeathsig %d, dumpable %d", pdeathsig(), dumpable());
    CHECK(S(SYS_setgroups, 1, &g) == 0 && pdeathsig() == 9 && dumpable() == 1,
          "setgroups keeps pdeathsig and dumpable");
    CHECK(S(SYS_setresgid, -1, 5, -1) == 0, "setresgid(-1, 5, -1)");
    CHECK(pdeathsig() == 0 && dumpable() == 0,
          "an egid change: pdeathsig %d dumpable %d, expected 0 0", pdeathsig(), dumpable());
    S(SYS_prctl, PR_SET_DUMPABLE, 1);
    S(SYS_prctl, PR_SET_PDEATHSIG, 9);
    CHECK(S(SYS_setfsgid, 9) == 5, "setfsgid(9) returns the old 5");
    CHECK(pdeathsig() == 0 && dumpable() == 0, "an fsgid change clears both");
    S(SYS_prctl, PR_SET_DUMPABLE, 1);
    S(SYS_prctl, PR_SET_PDEATHSIG, 9);
    CHECK(S(SYS_setresuid, 0, 0, 0) == 0 && pdeathsig() == 9 && dumpable() == 1,
          "setting the same ids changes nothing");
    CHECK(S(SYS_setresuid, 1, 2, 3) == 0 && dumpable() == 0 && pdeathsig() == 0,
          "a euid change clears both");
}

static void run(const char *name, void (*fn)(void))
{
    int status;
    pid_t child;

    fflush(stdout);
    child = fork();
    if (child == 0) {
        failures = 0; /* only this scenario's */
        fn();
        fflush(stdout);
        _exit(failures ? 1 : 0);
    }
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        printf("FAIL: %s (status %#x)\n", name, status);
        failures++;
    } else {
        printf("ok: %s\n", name);
    }
}

int main(void)
{
    run("root setresuid", root_setuid);
    run("root setuid", root_setuid_all);
    run("unprivileged uids", unprivileged_uids);
    run("root gids and groups", root_gids);
    run("consequences of an id change", side_effects);
    /* the parent is untouched */
    expect_uids(0, 0, 0, "the children's changes");
    expect_gids(0, 0, 0, "the children's changes");
    if (failures)
        return 1;
    printf("id_creds ok\n");
    return 0;
}
