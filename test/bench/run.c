/* The benchmark runner: PID 1 of the benchmark boots (rdinit=/bench/run).
 *
 * It prints "bench-init" first of all (the harness times the boot up to
 * that line), the memory in use after boot from sysinfo(2), mounts a tmpfs
 * at /tmp, then runs every item of the table below as a child process,
 * one after the other, and powers the machine off.  Its output, on the
 * console:
 *	bench-init
 *	info KEY VALUE...			(also clock_end_ns at the end)
 *	bench-list NAME...			(every item, in order)
 *	bench NAME VALUE UNIT | bench NAME unsupported WHY   (from the item)
 *	bench NAME unsupported exit:N | signal:N	(an item that failed)
 *	bench-end
 *
 * Environment (from the kernel command line): BENCH_MS, the target time
 * of one measurement (read by the items); BENCH_ONLY, a comma-separated
 * list of the items to run; BENCH_TIMEOUT, seconds after which an item is
 * killed (60 by default). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <linux/reboot.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

struct item {
    const char *name;
    const char *argv[3];	/* program in /bench, then its item */
};

static const struct item items[] = {
    { "null_syscall",    { "lat_syscall", "null" } },
    { "ctx_switch_2p",   { "lat_ctx", "2" } },
    { "pipe_latency",    { "lat_pipe", "pipe" } },
    { "pipe_bandwidth",  { "bw_pipe", "pipe" } },
    { "unix_latency",    { "lat_pipe", "unix" } },
    { "unix_bandwidth",  { "bw_pipe", "unix" } },
    { "tcp_latency",     { "lat_tcp", "lat" } },
    { "tcp_bandwidth",   { "lat_tcp", "bw" } },
    { "fork_exit",       { "lat_proc", "fork" } },
    { "fork_execve",     { "lat_proc", "exec" } },
    { "fork_sh",         { "lat_proc", "shell" } },
    { "page_fault_anon", { "lat_pagefault", "anon" } },
    { "mmap_anon_1m",    { "lat_mmap", "anon" } },
    { "mmap_file_1m",    { "lat_mmap", "file" } },
    { "open_close",      { "lat_syscall", "open" } },
    { "stat",            { "lat_syscall", "stat" } },
    { "fstat",           { "lat_syscall", "fstat" } },
    { "read_4k",         { "lat_syscall", "read" } },
    { "write_4k",        { "lat_syscall", "write" } },
    { "file_create",     { "lat_fs", "create" } },
    { "file_delete",     { "lat_fs", "delete" } },
    { "sig_install",     { "lat_sig", "install" } },
    { "sig_deliver",     { "lat_sig", "deliver" } },
    { "select_100fd",    { "lat_select", "select" } },
    { "poll_100fd",      { "lat_select", "poll" } },
};

#define NITEMS (sizeof(items) / sizeof(items[0]))

extern char **environ;

/* CLOCK_MONOTONIC in nanoseconds: the harness compares the guest's clock
 * with the host's between the first and the last line. */
static unsigned long long clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void say(const char *s)
{
    if (write(1, s, strlen(s)) < 0)
        return;
}

/* Is @name in the comma-separated @list (or is there no list)? */
static int selected(const char *name, const char *list)
{
    size_t len = strlen(name);
    const char *p = list;

    if (!list || !*list)
        return 1;
    while ((p = strstr(p, name))) {
        if ((p == list || p[-1] == ',') && (p[len] == ',' || !p[len]))
            return 1;
        p += len;
    }
    return 0;
}

static void run_item(const struct item *it, unsigned timeout)
{
    char path[64];
    char *argv[3];
    int status;
    pid_t pid;

    snprintf(path, sizeof(path), "/bench/%s", it->argv[0]);
    argv[0] = path;
    argv[1] = (char *)it->argv[1];
    argv[2] = NULL;
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        printf("bench %s unsupported runner-fork:%d\n", it->name, errno);
        return;
    }
    if (pid == 0) {
        alarm(timeout);
        execve(path, argv, environ);
        printf("bench %s unsupported execve:%d\n", it->name, errno);
        fflush(stdout);
        _exit(2);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            printf("bench %s unsupported waitpid:%d\n", it->name, errno);
            return;
        }
    }
    /* orphans of the item (its children) are ours now */
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    if (WIFSIGNALED(status))
        printf("bench %s unsupported signal:%d\n", it->name,
               WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 2)
        printf("bench %s unsupported exit:%d\n", it->name,
               WEXITSTATUS(status));
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const char *only = getenv("BENCH_ONLY");
    const char *tmo = getenv("BENCH_TIMEOUT");
    unsigned timeout = tmo ? (unsigned)atoi(tmo) : 60;
    struct sysinfo si;
    struct utsname u;
    size_t i;

    say("bench-init\n");
    printf("info clock_start_ns %llu\n", clock_ns());
    if (sysinfo(&si) == 0) {
        printf("info mem_total_kib %llu\n",
               (unsigned long long)si.totalram * si.mem_unit / 1024);
        printf("info mem_free_kib %llu\n",
               (unsigned long long)si.freeram * si.mem_unit / 1024);
        printf("info mem_buffer_kib %llu\n",
               (unsigned long long)si.bufferram * si.mem_unit / 1024);
    } else {
        printf("info sysinfo unsupported:%d\n", errno);
    }
    if (uname(&u) == 0)
        printf("info uname %s %s\n", u.sysname, u.release);
    mkdir("/tmp", 01777);
    if (mount("tmpfs", "/tmp", "tmpfs", 0, NULL))
        printf("info tmpfs-mount failed:%d\n", errno);
    else
        printf("info tmpfs-mount ok\n");
    if (chdir("/tmp"))
        printf("info chdir-tmp failed:%d\n", errno);
    if (timeout == 0)
        timeout = 60;

    printf("bench-list");
    for (i = 0; i < NITEMS; i++)
        if (selected(items[i].name, only))
            printf(" %s", items[i].name);
    printf("\n");
    for (i = 0; i < NITEMS; i++)
        if (selected(items[i].name, only))
            run_item(&items[i], timeout);
    printf("info clock_end_ns %llu\n", clock_ns());
    printf("bench-end\n");
    fflush(stdout);
    sync();
    syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
            LINUX_REBOOT_CMD_POWER_OFF, 0);
    printf("bench-error reboot returned %d\n", errno);
    fflush(stdout);
    return 1;
}
