/* /proc/PID/limits (a line per resource limit, as getrlimit gives them),
 * /proc/PID/oom_score_adj (read, written: a number in [-1000, 1000] with
 * blanks around it, decimal, hex or octal; EINVAL otherwise; inherited
 * by fork; an unprivileged process may not go below what a privileged
 * one last set: EACCES; a process that is not dumpable has its files
 * owned by root) and /proc/PID/cgroup (empty without a cgroup file
 * system). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "check.h"
#include "proc_util.h"


static const struct {
    const char *name, *unit;
} names[RLIM_NLIMITS] = {
    { "Max cpu time", "seconds" },       { "Max file size", "bytes" },
    { "Max data size", "bytes" },        { "Max stack size", "bytes" },
    { "Max core file size", "bytes" },   { "Max resident set", "bytes" },
    { "Max processes", "processes" },    { "Max open files", "files" },
    { "Max locked memory", "bytes" },    { "Max address space", "bytes" },
    { "Max file locks", "locks" },       { "Max pending signals", "signals" },
    { "Max msgqueue size", "bytes" },    { "Max nice priority", NULL },
    { "Max realtime priority", NULL },   { "Max realtime timeout", "us" },
};

static void limit_col(char *out, size_t size, rlim_t v)
{
    if (v == RLIM_INFINITY)
        snprintf(out, size, "%-20s ", "unlimited");
    else
        snprintf(out, size, "%-20llu ", (unsigned long long)v);
}

/* The limits file as getrlimit says it should read. */
static void expected_limits(char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit",
                                "Hard Limit", "Units");

    for (int i = 0; i < RLIM_NLIMITS && n < size; i++) {
        struct rlimit r;
        char cur[32], max[32];

        getrlimit(i, &r);
        limit_col(cur, sizeof(cur), r.rlim_cur);
        limit_col(max, sizeof(max), r.rlim_max);
        n += (size_t)snprintf(out + n, size - n, "%-25s %s%s", names[i].name, cur, max);
        if (names[i].unit)
            n += (size_t)snprintf(out + n, size - n, "%-10s", names[i].unit);
        n += (size_t)snprintf(out + n, size - n, "\n");
    }
}

static void test_limits(void)
{
    static char want[4096];
    struct rlimit r = { 100, 200 };

    expected_limits(want, sizeof(want));
    CHECK(!strcmp(read_text("/proc/self/limits"), want), "limits:\n%s\nwant:\n%s", text, want);
    CHECK(setrlimit(RLIMIT_NOFILE, &r) == 0, "setrlimit");
    expected_limits(want, sizeof(want));
    CHECK(!strcmp(read_text("/proc/self/limits"), want), "after setrlimit:\n%s", text);
    CHECK(strstr(text, "Max open files            100                  200                  files") != NULL,
          "open files line in\n%s", text);
}

static void test_oom(void)
{
    const char *f = "/proc/self/oom_score_adj";
    pid_t pid;
    int status;

    CHECK(!strcmp(read_text(f), "0\n"), "initial %s", text);
    CHECK(write_text(f, "500") == 0 && !strcmp(read_text(f), "500\n"), "500: %s", text);
    CHECK(write_text(f, "  -100\n") == 0 && !strcmp(read_text(f), "-100\n"), "-100: %s", text);
    CHECK(write_text(f, "1001") == EINVAL, "1001");
    CHECK(write_text(f, "-1001") == EINVAL, "-1001");
    CHECK(write_text(f, "abc") == EINVAL, "abc");
    CHECK(write_text(f, "") == EINVAL, "empty");
    CHECK(write_text(f, "0x10") == 0 && !strcmp(read_text(f), "16\n"), "0x10: %s", text);
    CHECK(write_text(f, "010") == 0 && !strcmp(read_text(f), "8\n"), "010: %s", text);
    CHECK(!strcmp(read_text(f), "8\n"), "still 8: %s", text);

    pid = fork();
    if (pid == 0) {
        int bad = 0;

        if (strcmp(read_text(f), "8\n"))
            bad |= 1; /* inherited */
        if (setuid(65534) != 0)
            _exit(64);
        /* no longer dumpable: its files are root's */
        if (write_text(f, "300") != EACCES)
            bad |= 16;
        prctl(PR_SET_DUMPABLE, 1);
        if (write_text(f, "300") != 0 || strcmp(read_text(f), "300\n"))
            bad |= 2;
        if (write_text(f, "0") != EACCES) /* below 8, set with privilege */
            bad |= 4;
        if (write_text(f, "8") != 0)
            bad |= 8;
        _exit(bad);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "child: %#x", WEXITSTATUS(status));
    CHECK(write_text(f, "0") == 0, "back to 0");
}

int main(void)
{
    mount_proc();
    test_limits();
    test_oom();
    CHECK(access("/proc/self/cgroup", R_OK) == 0 && !strcmp(read_text("/proc/self/cgroup"), ""),
          "cgroup: %s", text);
    return check_result("proc_limits_oom");
}
