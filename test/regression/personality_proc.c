/* personality(2): 0xffffffff asks, another value is set and the old one
 * returned; fork and execve keep it, and /proc/PID/personality shows it.
 * With ADDR_NO_RANDOMIZE two runs of a program get the same stack (the
 * argv table at the same address); without it they differ.  The files
 * of the one user namespace and of audit: uid_map and gid_map map every
 * id to itself, setgroups is "allow", loginuid and sessionid unset. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/wait.h>

#include "check.h"
#include "proc_util.h"

/* Run this program again; what it reports of itself. */
static uintptr_t run_child(const char *self, unsigned long *pers)
{
    uintptr_t got[2] = { 0, 0 };
    char fd_arg[16];
    int p[2], status;
    pid_t pid;

    CHECK(pipe(p) == 0, "pipe");
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        snprintf(fd_arg, sizeof(fd_arg), "%d", p[1]);
        execl(self, self, "child", fd_arg, (char *)NULL);
        _exit(65);
    }
    close(p[1]);
    CHECK(read(p[0], got, sizeof(got)) == sizeof(got), "child's report");
    close(p[0]);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "child");
    *pers = got[1];
    return got[0];
}

int main(int argc, char **argv)
{
    unsigned long pers;
    uintptr_t a, b;
    int differ = 0;

    if (argc == 3 && !strcmp(argv[1], "child")) {
        uintptr_t out[2] = { (uintptr_t)argv, (uintptr_t)personality(0xffffffff) };

        return write(atoi(argv[2]), out, sizeof(out)) == sizeof(out) ? 0 : 1;
    }
    mount_proc();
    CHECK(personality(0xffffffff) == PER_LINUX, "personality %#x", personality(0xffffffff));
    CHECK(!strcmp(read_text("/proc/self/personality"), "00000000\n"), "file %s", text);

    /* randomized: two runs differ (at least once in three) */
    for (int i = 0; i < 3 && !differ; i++) {
        a = run_child(argv[0], &pers);
        b = run_child(argv[0], &pers);
        differ = a != b;
    }
    CHECK(differ, "the stack is not randomized: argv at %#lx", (unsigned long)a);

    CHECK(personality(ADDR_NO_RANDOMIZE) == PER_LINUX, "set");
    CHECK(personality(0xffffffff) == ADDR_NO_RANDOMIZE, "now %#x", personality(0xffffffff));
    CHECK(!strcmp(read_text("/proc/self/personality"), "00040000\n"), "file %s", text);
    a = run_child(argv[0], &pers);
    CHECK(pers == ADDR_NO_RANDOMIZE, "exec kept %#lx", pers);
    b = run_child(argv[0], &pers);
    CHECK(a == b, "ADDR_NO_RANDOMIZE: argv at %#lx, then %#lx", (unsigned long)a,
          (unsigned long)b);
    CHECK(personality(PER_LINUX) == ADDR_NO_RANDOMIZE, "back");

    CHECK(!strcmp(read_text("/proc/self/uid_map"), "         0          0 4294967295\n"),
          "uid_map \"%s\"", text);
    CHECK(!strcmp(read_text("/proc/self/gid_map"), "         0          0 4294967295\n"),
          "gid_map \"%s\"", text);
    CHECK(!strcmp(read_text("/proc/self/setgroups"), "allow\n"), "setgroups %s", text);
    CHECK(!strcmp(read_text("/proc/self/loginuid"), "4294967295"), "loginuid \"%s\"", text);
    CHECK(!strcmp(read_text("/proc/self/sessionid"), "4294967295"), "sessionid \"%s\"", text);
    return check_result("personality_proc");
}
