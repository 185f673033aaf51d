/* /proc/self and /proc/PID: the self links, stat, status, statm, comm,
 * cmdline, environ, maps, fd/, cwd, root and exe, a child's entries
 * (its arguments and environment, its zombie state) and the listing of
 * /proc. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "proc_util.h"

static char buf[65536];

/* The contents of @path in buf (NUL-terminated); the length or -1. */
static long slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    long n = 0, r;

    if (fd < 0)
        return -1;
    while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
        n += r;
    close(fd);
    buf[n] = '\0';
    return r < 0 ? -1 : n;
}

/* The value after "@key:\t" in buf, or NULL. */
static const char *field(const char *key)
{
    size_t n = strlen(key);

    for (const char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
        if (!strncmp(p, key, n) && p[n] == ':' && p[n + 1] == '\t')
            return p + n + 2;
    return NULL;
}


/* The child: check its own cmdline and environ, exit 42 if right. */
static int child_main(int argc, char **argv)
{
    static const char want_cmd[] = "proc_self\0child\0a b\0\0c";
    static const char want_env[] = "FOO=bar\0EMPTY=";
    long n = slurp("/proc/self/cmdline");

    if (n != (long)sizeof(want_cmd) || memcmp(buf, want_cmd, n)) {
        printf("child cmdline: %ld bytes\n", n);
        return 1;
    }
    n = slurp("/proc/self/environ");
    if (n != (long)sizeof(want_env) || memcmp(buf, want_env, n)) {
        printf("child environ: %ld bytes\n", n);
        return 2;
    }
    return 42;
}

static void check_stat(void)
{
    char comm[64], state;
    int pid, ppid, pgrp, session, fields = 0;
    long n = slurp("/proc/self/stat");
    const char *p;

    CHECK(n > 0, "read /proc/self/stat: %s", strerror(errno));
    CHECK(sscanf(buf, "%d (%63[^)]) %c %d %d %d", &pid, comm, &state, &ppid,
                 &pgrp, &session) == 6,
          "stat: %s", buf);
    CHECK(pid == getpid(), "stat pid %d, getpid %d", pid, getpid());
    CHECK(!strcmp(comm, "proc_self"), "stat comm '%s'", comm);
    CHECK(state == 'R', "stat state %c", state);
    CHECK(ppid == getppid(), "stat ppid %d, getppid %d", ppid, getppid());
    CHECK(pgrp == getpgrp(), "stat pgrp %d, getpgrp %d", pgrp, getpgrp());
    CHECK(session == getsid(0), "stat session %d, getsid %d", session,
          getsid(0));
    p = strrchr(buf, ')');
    for (; p && *p; p++)
        if (*p == ' ')
            fields++;
    CHECK(fields == 50 && buf[n - 1] == '\n',
          "stat has %d fields after the name, expected 50", fields);
    printf("stat: pid, comm, state, ppid, pgrp, session, 52 fields\n");
}

static void check_status(void)
{
    char want[64];
    const char *v;

    CHECK(slurp("/proc/self/status") > 0, "read status");
    v = field("Name");
    CHECK(v && !strncmp(v, "proc_self\n", 10), "status Name");
    snprintf(want, sizeof(want), "%d\n", getpid());
    v = field("Pid");
    CHECK(v && !strncmp(v, want, strlen(want)), "status Pid");
    v = field("Tgid");
    CHECK(v && !strncmp(v, want, strlen(want)), "status Tgid");
    snprintf(want, sizeof(want), "%d\n", getppid());
    v = field("PPid");
    CHECK(v && !strncmp(v, want, strlen(want)), "status PPid");
    snprintf(want, sizeof(want), "%d\t%d\t%d\t%d\n", getuid(), geteuid(),
             getuid(), getuid());
    v = field("Uid");
    CHECK(v && !strncmp(v, want, strlen(want)), "status Uid");
    v = field("State");
    CHECK(v && !strncmp(v, "R (running)\n", 12), "status State");
    v = field("Threads");
    CHECK(v && !strncmp(v, "1\n", 2), "status Threads");
    v = field("Umask");
    CHECK(v && !strncmp(v, "0022\n", 5), "status Umask");
    v = field("VmRSS");
    CHECK(v && atol(v) > 0 && strstr(v, " kB\n"), "status VmRSS");
    v = field("SigBlk");
    CHECK(v && strlen(v) > 16 && v[16] == '\n', "status SigBlk");
    printf("status: Name, Pid, Tgid, PPid, Uid, State, Threads, Umask, "
           "VmRSS, SigBlk\n");
}

static void check_small_files(int argc, char **argv)
{
    unsigned long size, resident, shared, text, lib, data, dt;
    long n;
    size_t at = 0;

    CHECK(slurp("/proc/self/comm") == 10 && !strcmp(buf, "proc_self\n"),
          "comm '%s'", buf);
    n = slurp("/proc/self/statm");
    CHECK(sscanf(buf, "%lu %lu %lu %lu %lu %lu %lu", &size, &resident,
                 &shared, &text, &lib, &data, &dt) == 7 &&
              size > 0 && resident > 0 && resident <= size && text > 0,
          "statm '%s'", buf);
    n = slurp("/proc/self/cmdline");
    for (int i = 0; i < argc; i++) {
        size_t len = strlen(argv[i]) + 1;

        CHECK(at + len <= (size_t)n && !memcmp(buf + at, argv[i], len),
              "cmdline argument %d", i);
        at += len;
    }
    CHECK(at == (size_t)n, "cmdline has %ld bytes, argv %zu", n, at);
    printf("comm, statm, cmdline\n");
}

static void check_links(void)
{
    char want[64], got[256];
    ssize_t n;

    snprintf(want, sizeof(want), "%d", getpid());
    n = readlink("/proc/self", got, sizeof(got) - 1);
    CHECK(n > 0 && (got[n] = 0, !strcmp(got, want)), "/proc/self -> %s",
          n > 0 ? got : strerror(errno));
    snprintf(want, sizeof(want), "%d/task/%d", getpid(), getpid());
    n = readlink("/proc/thread-self", got, sizeof(got) - 1);
    CHECK(n > 0 && (got[n] = 0, !strcmp(got, want)),
          "/proc/thread-self -> %s", n > 0 ? got : strerror(errno));
    n = readlink("/proc/self/exe", got, sizeof(got) - 1);
    CHECK(n > 0 && (got[n] = 0, !strcmp(got, "/test/proc_self")),
          "/proc/self/exe -> %s", n > 0 ? got : strerror(errno));
    n = readlink("/proc/self/cwd", got, sizeof(got) - 1);
    CHECK(n > 0 && (got[n] = 0, !strcmp(got, "/")), "/proc/self/cwd -> %s",
          n > 0 ? got : strerror(errno));
    n = readlink("/proc/self/root", got, sizeof(got) - 1);
    CHECK(n > 0 && (got[n] = 0, !strcmp(got, "/")), "/proc/self/root -> %s",
          n > 0 ? got : strerror(errno));
    /* readlink truncates without a NUL */
    n = readlink("/proc/self/exe", got, 3);
    CHECK(n == 3 && !memcmp(got, "/te", 3), "truncated readlink %zd", n);
    /* a magic link leads to the object: the directory / */
    struct stat a, b;
    CHECK(stat("/proc/self/root", &a) == 0 && stat("/", &b) == 0 &&
              a.st_ino == b.st_ino && a.st_dev == b.st_dev,
          "stat /proc/self/root is not /");
    CHECK(stat("/proc/self/exe", &a) == 0 &&
              stat("/test/proc_self", &b) == 0 && a.st_ino == b.st_ino,
          "stat /proc/self/exe is not the program");
    CHECK(lstat("/proc/self/exe", &a) == 0 && S_ISLNK(a.st_mode),
          "lstat /proc/self/exe");
    printf("self, thread-self, exe, cwd, root links\n");
}

static void check_maps(void)
{
    int local = 0;
    uintptr_t here = (uintptr_t)&local, code = (uintptr_t)&check_maps;
    bool stack = false, text = false, text_named = false;
    char *line, *save;

    CHECK(slurp("/proc/self/maps") > 0, "read maps");
    for (line = strtok_r(buf, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        unsigned long lo, hi, off, ino;
        char perms[5], dev[8];
        int name_at = 0;

        if (sscanf(line, "%lx-%lx %4s %lx %7s %lu %n", &lo, &hi, perms, &off,
                   dev, &ino, &name_at) < 6) {
            CHECK(0, "maps line '%s'", line);
            continue;
        }
        if (lo <= here && here < hi) {
            stack = !strcmp(line + name_at, "[stack]") &&
                    !strcmp(perms, "rw-p");
        }
        if (lo <= code && code < hi) {
            text = !strcmp(perms, "r-xp");
            text_named = !strcmp(line + name_at, "/test/proc_self") &&
                         name_at == 73 && ino != 0;
        }
    }
    CHECK(stack, "maps: no rw-p [stack] line holding the stack");
    CHECK(text, "maps: no r-xp line holding the code");
    CHECK(text_named, "maps: the code's line does not name the program");
    printf("maps: [stack], the program's text\n");
}

static void check_fds(void)
{
    char path[64], want[64], got[256];
    bool seen_fd = false, seen_dir = false;
    int fd = open("/proc/self/status", O_RDONLY);
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    ssize_t n;

    CHECK(fd >= 0 && d, "open");
    while (d && (e = readdir(d))) {
        if (atoi(e->d_name) == fd && e->d_type == DT_LNK)
            seen_fd = true;
        if (atoi(e->d_name) == dirfd(d))
            seen_dir = true;
    }
    CHECK(seen_fd && seen_dir, "fd/ lists fds %d and %d: %d %d", fd,
          d ? dirfd(d) : -1, seen_fd, seen_dir);
    if (d)
        closedir(d);
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    snprintf(want, sizeof(want), "/proc/%d/status", getpid());
    n = readlink(path, got, sizeof(got) - 1);
    CHECK(n > 0 && (got[n] = 0, !strcmp(got, want)), "%s -> %s", path,
          n > 0 ? got : strerror(errno));
    struct stat st;
    CHECK(lstat(path, &st) == 0 && (st.st_mode & 0777) == 0500,
          "fd link mode %o", st.st_mode);
    close(fd);
    CHECK(readlink(path, got, sizeof(got)) < 0 && errno == ENOENT,
          "closed fd link");
    /* a pipe's link names its inode */
    int p[2];
    CHECK(pipe(p) == 0 && fstat(p[0], &st) == 0, "pipe");
    snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
    snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
    n = readlink(path, got, sizeof(got) - 1);
    CHECK(n > 0 && (got[n] = 0, !strcmp(got, want)), "%s -> %s, not %s",
          path, n > 0 ? got : strerror(errno), want);
    CHECK(lstat(path, &st) == 0 && (st.st_mode & 0777) == 0300,
          "write end's link mode %o", st.st_mode);
    close(p[0]);
    close(p[1]);
    printf("fd/: listing, links, modes, pipes\n");
}

static void check_listing(void)
{
    char want[16];
    bool pid = false, self = false, meminfo = false, task = false;
    DIR *d = opendir("/proc");
    struct dirent *e;

    snprintf(want, sizeof(want), "%d", getpid());
    while (d && (e = readdir(d))) {
        pid |= !strcmp(e->d_name, want) && e->d_type == DT_DIR;
        self |= !strcmp(e->d_name, "self") && e->d_type == DT_LNK;
        meminfo |= !strcmp(e->d_name, "meminfo") && e->d_type == DT_REG;
    }
    if (d)
        closedir(d);
    CHECK(pid && self && meminfo, "/proc lists pid %d, self, meminfo: %d %d %d",
          getpid(), pid, self, meminfo);
    d = opendir("/proc/self/task");
    while (d && (e = readdir(d)))
        task |= !strcmp(e->d_name, want);
    if (d)
        closedir(d);
    CHECK(task, "task/ lists the thread");
    CHECK(access("/proc/self/task/999999", F_OK) != 0 && errno == ENOENT,
          "no thread 999999");
    CHECK(access("/proc/999999", F_OK) != 0 && errno == ENOENT,
          "no process 999999");
    printf("listing of /proc and task/\n");
}

static void check_child(void)
{
    char *const args[] = { "proc_self", "child", "a b", "", "c", NULL };
    char *const env[] = { "FOO=bar", "EMPTY=", NULL };
    char path[64];
    siginfo_t si;
    int status;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execve("/proc/self/exe", args, env);
        _exit(99);
    }
    CHECK(pid > 0, "fork");
    /* wait for the end without reaping: the zombie's entries */
    CHECK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0, "waitid");
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    CHECK(slurp(path) > 0 && strstr(buf, ") Z "), "zombie stat '%s'", buf);
    snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
    CHECK(slurp(path) == 0, "zombie cmdline is empty");
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status),
          "waitpid");
    CHECK(WEXITSTATUS(status) == 42, "child exit %d (1: cmdline, 2: environ, "
          "99: exec of /proc/self/exe)", WEXITSTATUS(status));
    snprintf(path, sizeof(path), "/proc/%d", pid);
    CHECK(access(path, F_OK) != 0 && errno == ENOENT, "reaped child's dir");
    printf("child: exec of /proc/self/exe, cmdline, environ, zombie\n");
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child"))
        return child_main(argc, argv);
    mount_proc();
    check_links();
    check_stat();
    check_status();
    check_small_files(argc, argv);
    check_maps();
    check_fds();
    check_listing();
    check_child();
    return check_result("proc_self");
}
