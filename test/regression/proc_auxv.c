/* /proc/self/auxv holds the auxiliary vector the program started with:
 * (type, value) pairs up to AT_NULL, each as getauxval() gives it.  The
 * ids in it are the process's: after setresuid/setresgid and execve,
 * AT_UID, AT_EUID, AT_GID and AT_EGID follow, AT_SECURE is 1 when the
 * real and effective ids differ, and execve makes the saved ids the
 * effective ones. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/wait.h>

#include "check.h"
#include "proc_util.h"

/* In the program run again: its auxv against its ids and @secure. */
static int child_checks(int secure)
{
    uid_t r, e, s;
    gid_t rg, eg, sg;
    int bad = 0;

    getresuid(&r, &e, &s);
    getresgid(&rg, &eg, &sg);
    if (getauxval(AT_UID) != r || getauxval(AT_EUID) != e)
        bad |= 1;
    if (getauxval(AT_GID) != rg || getauxval(AT_EGID) != eg)
        bad |= 2;
    if (getauxval(AT_SECURE) != (unsigned long)secure)
        bad |= 4;
    if (s != e || sg != eg) /* execve: saved = effective */
        bad |= 8;
    return bad;
}

/* Run this program again with ids set by @set (0: uids, 1: gids). */
static void run_as(const char *self, int set, int r, int e, int s, int secure)
{
    char arg[8];
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        int err = set ? setresgid(r, e, s) : setresuid(r, e, s);

        if (err)
            _exit(64);
        snprintf(arg, sizeof(arg), "%d", secure);
        execl(self, self, "child", arg, (char *)NULL);
        _exit(65);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "child");
    CHECK(WEXITSTATUS(status) == 0, "ids %d/%d/%d (%s), secure %d: failures %#x", r, e, s,
          set ? "gid" : "uid", secure, WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
    uint64_t aux[64][2];
    int fd, n, pairs, seen_null = 0;

    if (argc == 3 && !strcmp(argv[1], "child"))
        return child_checks(atoi(argv[2]));
    mount_proc();
    fd = open("/proc/self/auxv", O_RDONLY);
    CHECK(fd >= 0, "open auxv: errno %d", errno);
    n = (int)read(fd, aux, sizeof(aux));
    close(fd);
    CHECK(n > 0 && n % 16 == 0, "auxv is %d bytes", n);
    pairs = n > 0 ? n / 16 : 0;
    for (int i = 0; i < pairs; i++) {
        if (aux[i][0] == AT_NULL) {
            seen_null = 1;
            CHECK(i == pairs - 1, "AT_NULL at %d of %d", i, pairs);
            break;
        }
        CHECK(getauxval(aux[i][0]) == aux[i][1], "type %llu: %#llx, getauxval %#lx",
              (unsigned long long)aux[i][0], (unsigned long long)aux[i][1],
              getauxval(aux[i][0]));
    }
    CHECK(seen_null, "no AT_NULL");
    CHECK(pairs >= 10, "only %d entries", pairs);
    CHECK(getauxval(AT_PAGESZ) == 4096 && getauxval(AT_RANDOM) && getauxval(AT_ENTRY),
          "pagesz, random, entry");

    run_as(argv[0], 0, 1000, 1000, 1000, 0);
    run_as(argv[0], 0, 1000, 0, 0, 1);
    run_as(argv[0], 0, 0, 1000, 0, 1);
    run_as(argv[0], 1, 0, 1000, 0, 1);
    return check_result("proc_auxv");
}
