/* prctl(2) on the process itself: its name (at most 15 bytes), the
 * parent-death signal (stored), dumpable, no_new_privs (sticky), the
 * subreaper flag, keep_caps, the capability bounding set; the option is
 * an int (upper bits ignored), unknown options are EINVAL. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>

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

static int get_int(int option)
{
    int v = -1;

    if (S(SYS_prctl, option, &v))
        return -2;
    return v;
}

int main(int argc, char **argv)
{
    char name[32], expect[16];
    const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

    /* the name is the program's file name, cut to 15 bytes */
    memset(name, 'x', sizeof(name));
    snprintf(expect, sizeof(expect), "%s", base);
    CHECK(S(SYS_prctl, PR_GET_NAME, name) == 0 && strcmp(name, expect) == 0,
          "name '%.16s', expected '%s'", name, expect);
    CHECK(S(SYS_prctl, PR_SET_NAME, "abcdefghijklmnopqrstuvwxyz") == 0, "PR_SET_NAME");
    memset(name, 'x', sizeof(name));
    CHECK(S(SYS_prctl, PR_GET_NAME, name) == 0 && strcmp(name, "abcdefghijklmno") == 0 &&
          name[16] == 'x', "long name read back as '%.16s' (16 bytes written)", name);
    CHECK(S(SYS_prctl, PR_SET_NAME, "") == 0 && S(SYS_prctl, PR_GET_NAME, name) == 0 &&
          name[0] == 0, "empty name");
    S(SYS_prctl, PR_SET_NAME, "worker");
    S(SYS_prctl, PR_GET_NAME, name);
    CHECK(strcmp(name, "worker") == 0, "name '%s'", name);

    /* parent-death signal: 0..64 */
    CHECK(get_int(PR_GET_PDEATHSIG) == 0, "no pdeathsig at start");
    CHECK(S(SYS_prctl, PR_SET_PDEATHSIG, 64) == 0 && get_int(PR_GET_PDEATHSIG) == 64,
          "pdeathsig 64");
    CHECK(S(SYS_prctl, PR_SET_PDEATHSIG, 9, 1, 1, 1) == 0 && get_int(PR_GET_PDEATHSIG) == 9,
          "pdeathsig 9, the other arguments ignored");
    CHECK(S(SYS_prctl, PR_SET_PDEATHSIG, 65) == -1 && get_int(PR_GET_PDEATHSIG) == 9,
          "a refused pdeathsig changes nothing");
    CHECK(S(SYS_prctl, PR_SET_PDEATHSIG, 0) == 0 && get_int(PR_GET_PDEATHSIG) == 0,
          "pdeathsig cleared");

    /* dumpable */
    CHECK(S(SYS_prctl, PR_GET_DUMPABLE, 1, 2, 3, 4) == 1, "dumpable at start");
    CHECK(S(SYS_prctl, PR_SET_DUMPABLE, 0, 5) == 0 && S(SYS_prctl, PR_GET_DUMPABLE) == 0,
          "not dumpable");
    CHECK(S(SYS_prctl, PR_SET_DUMPABLE, 2) == -1 && S(SYS_prctl, PR_GET_DUMPABLE) == 0,
          "2 (suidsafe) is refused");
    CHECK(S(SYS_prctl, PR_SET_DUMPABLE, 1) == 0 && S(SYS_prctl, PR_GET_DUMPABLE) == 1,
          "dumpable again");
    CHECK(S(SYS_prctl, 0x100000000UL | PR_GET_DUMPABLE) == 1,
          "the option is an int: upper bits ignored");

    /* no_new_privs: once set, stays */
    CHECK(S(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0, "no_new_privs at start");
    CHECK(S(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "set no_new_privs");
    CHECK(S(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1, "no_new_privs set");
    CHECK(S(SYS_prctl, PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0) == -1 && errno == EINVAL &&
          S(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1, "no_new_privs cannot be unset");

    /* subreaper: any non-zero value sets it */
    CHECK(get_int(PR_GET_CHILD_SUBREAPER) == 0, "not a subreaper at start");
    CHECK(S(SYS_prctl, PR_SET_CHILD_SUBREAPER, 0x100000000UL) == 0 &&
          get_int(PR_GET_CHILD_SUBREAPER) == 1, "subreaper from a 64-bit value");
    CHECK(S(SYS_prctl, PR_SET_CHILD_SUBREAPER, 0) == 0 &&
          get_int(PR_GET_CHILD_SUBREAPER) == 0, "subreaper cleared");

    /* keep_caps */
    CHECK(S(SYS_prctl, PR_GET_KEEPCAPS) == 0, "keep_caps at start");
    CHECK(S(SYS_prctl, PR_SET_KEEPCAPS, 1, 1) == 0 && S(SYS_prctl, PR_GET_KEEPCAPS) == 1,
          "keep_caps set");
    CHECK(S(SYS_prctl, PR_SET_KEEPCAPS, 0) == 0 && S(SYS_prctl, PR_GET_KEEPCAPS) == 0,
          "keep_caps cleared");

    /* the bounding set holds every capability */
    CHECK(S(SYS_prctl, PR_CAPBSET_READ, 0) == 1, "CAP_CHOWN in the bounding set");
    CHECK(S(SYS_prctl, PR_CAPBSET_READ, CAP_LAST_CAP) == 1, "the last capability");
    CHECK(S(SYS_prctl, PR_CAPBSET_READ, CAP_LAST_CAP + 1) == -1 && errno == EINVAL,
          "past the last capability");

    CHECK(S(SYS_prctl, 12345) == -1 && errno == EINVAL, "unknown option");
    if (failures)
        return 1;
    printf("sys_prctl ok\n");
    return 0;
}
