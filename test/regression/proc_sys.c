/* The system-wide files of /proc: meminfo against sysinfo(), uptime,
 * loadavg, stat, mounts (and /proc/self/mounts), filesystems, version,
 * cmdline, cpuinfo and sys/kernel against uname(). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "check.h"

static char buf[65536];

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

/* The number of kB of meminfo key @key (the line "key:   N kB"), or -1. */
static long long meminfo_kb(const char *key)
{
    size_t n = strlen(key);

    for (const char *p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
        long long v;
        char unit[4];

        if (strncmp(p, key, n) || p[n] != ':')
            continue;
        if (sscanf(p + n + 1, "%lld %3s", &v, unit) == 2 &&
            !strcmp(unit, "kB"))
            return v;
        return -1;
    }
    return -1;
}

static void check_meminfo(void)
{
    static const char *const keys[] = {
        "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
        "SwapCached", "Active", "Inactive", "SwapTotal", "SwapFree",
        "AnonPages", "Shmem", "Slab", "SReclaimable", "CommitLimit",
        "VmallocTotal", "Hugepagesize",
    };
    struct sysinfo si;
    long long total, mfree;

    CHECK(slurp("/proc/meminfo") > 0, "read meminfo: %s", strerror(errno));
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        CHECK(meminfo_kb(keys[i]) >= 0, "meminfo key %s", keys[i]);
    CHECK(!strncmp(buf, "MemTotal:       ", 16), "meminfo layout");
    CHECK(strstr(buf, "\nHugePages_Total:       0\n") != NULL,
          "HugePages_Total");
    total = meminfo_kb("MemTotal");
    mfree = meminfo_kb("MemFree");
    CHECK(sysinfo(&si) == 0, "sysinfo");
    CHECK(total * 1024 == (long long)si.totalram * si.mem_unit,
          "MemTotal %lld kB, sysinfo %lu", total, si.totalram);
    CHECK(mfree > 0 && mfree < total, "MemFree %lld of %lld", mfree, total);
    CHECK(meminfo_kb("MemAvailable") <= total, "MemAvailable");
    printf("meminfo: keys, MemTotal as sysinfo, MemFree\n");
}

static void check_uptime_loadavg(void)
{
    unsigned long up, up_cs, idle, idle_cs;
    struct sysinfo si;
    double a, b, c;
    int run, total, last, end = 0;

    CHECK(slurp("/proc/uptime") > 0, "read uptime");
    CHECK(sscanf(buf, "%lu.%2lu %lu.%2lu\n%n", &up, &up_cs, &idle, &idle_cs,
                 &end) == 4 && buf[end] == '\0',
          "uptime format '%s'", buf);
    CHECK(sysinfo(&si) == 0 && up <= (unsigned long)si.uptime &&
              up + 2 >= (unsigned long)si.uptime,
          "uptime %lu, sysinfo %ld", up, si.uptime);
    CHECK(slurp("/proc/loadavg") > 0, "read loadavg");
    CHECK(sscanf(buf, "%lf %lf %lf %d/%d %d\n%n", &a, &b, &c, &run, &total,
                 &last, &end) == 6 && buf[end] == '\0',
          "loadavg format '%s'", buf);
    CHECK(run >= 1 && run <= total && last >= getpid(),
          "loadavg %d/%d last %d", run, total, last);
    printf("uptime, loadavg\n");
}

static void check_stat(void)
{
    unsigned long long v[10];

    CHECK(slurp("/proc/stat") > 0, "read stat");
    CHECK(sscanf(buf, "cpu  %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
                 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
                 &v[8], &v[9]) == 10,
          "stat cpu line '%.60s'", buf);
    CHECK(strstr(buf, "\ncpu0 ") && strstr(buf, "\nbtime ") &&
              strstr(buf, "\nprocesses ") && strstr(buf, "\nprocs_running "),
          "stat lines");
    printf("stat\n");
}

static void check_mounts(void)
{
    char copy[8192];

    CHECK(slurp("/proc/mounts") > 0, "read mounts");
    CHECK(strstr(buf, "proc /proc proc rw") != NULL, "mounts: '%s'", buf);
    CHECK(strlen(buf) > 0 && buf[strlen(buf) - 1] == '\n' &&
              strstr(buf, " 0 0\n"),
          "mounts format");
    snprintf(copy, sizeof(copy), "%s", buf);
    CHECK(slurp("/proc/self/mounts") > 0 && !strcmp(copy, buf),
          "/proc/self/mounts differs");
    CHECK(slurp("/proc/filesystems") > 0 && strstr(buf, "nodev\tproc\n") &&
              strstr(buf, "nodev\ttmpfs\n"),
          "filesystems '%s'", buf);
    printf("mounts, self/mounts, filesystems\n");
}

static void check_text(void)
{
    struct utsname u;
    char want[128];

    CHECK(uname(&u) == 0, "uname");
    CHECK(slurp("/proc/version") > 0 && !strncmp(buf, "Linux version ", 14),
          "version '%s'", buf);
    snprintf(want, sizeof(want), "Linux version %s ", u.release);
    CHECK(!strncmp(buf, want, strlen(want)), "version has the release");
    CHECK(slurp("/proc/cmdline") > 0 && buf[strlen(buf) - 1] == '\n',
          "cmdline");
    CHECK(slurp("/proc/sys/kernel/ostype") == 6 && !strcmp(buf, "Linux\n"),
          "ostype '%s'", buf);
    snprintf(want, sizeof(want), "%s\n", u.release);
    CHECK(slurp("/proc/sys/kernel/osrelease") > 0 && !strcmp(buf, want),
          "osrelease '%s'", buf);
    snprintf(want, sizeof(want), "%s\n", u.nodename);
    CHECK(slurp("/proc/sys/kernel/hostname") > 0 && !strcmp(buf, want),
          "hostname '%s'", buf);
    CHECK(slurp("/proc/cpuinfo") > 0 && !strncmp(buf, "processor\t: 0\n", 14),
          "cpuinfo '%.40s'", buf);
    CHECK(strstr(buf, "\nflags\t\t: ") != NULL, "cpuinfo flags");
    printf("version, cmdline, sys/kernel, cpuinfo\n");
}

static void check_files(void)
{
    struct stat st;
    int fd = open("/proc/meminfo", O_RDONLY);
    char c[4];

    CHECK(stat("/proc/meminfo", &st) == 0 && S_ISREG(st.st_mode) &&
              (st.st_mode & 0777) == 0444 && st.st_size == 0,
          "stat meminfo mode %o size %lld", st.st_mode,
          (long long)st.st_size);
    CHECK(stat("/proc", &st) == 0 && S_ISDIR(st.st_mode) &&
              (st.st_mode & 0777) == 0555,
          "stat /proc");
    /* reading in small pieces and after a seek */
    CHECK(fd >= 0 && read(fd, c, 4) == 4 && !memcmp(c, "MemT", 4), "read 4");
    CHECK(read(fd, c, 4) == 4 && !memcmp(c, "otal", 4), "read 4 more");
    CHECK(lseek(fd, 1, SEEK_SET) == 1 && read(fd, c, 2) == 2 &&
              !memcmp(c, "em", 2),
          "seek and read");
    CHECK(write(fd, "x", 1) < 0 && errno == EBADF, "write to read-only fd");
    close(fd);
    CHECK(open("/proc/nonexistent", O_RDONLY) < 0 && errno == ENOENT,
          "nonexistent");
    CHECK(mkdir("/proc/newdir", 0755) < 0, "mkdir in /proc");
    printf("modes, sizes, piecewise reads\n");
}

static unsigned long free_bytes(void)
{
    struct sysinfo si;

    return sysinfo(&si) ? 0 : si.freeram * si.mem_unit;
}

/* One round of everything procfs does: lookups, listings, generated
 * files, links and magic links. */
static void proc_round(void)
{
    static const char *const files[] = {
        "/proc/meminfo", "/proc/stat", "/proc/mounts", "/proc/cpuinfo",
        "/proc/self/stat", "/proc/self/status", "/proc/self/maps",
        "/proc/self/cmdline", "/proc/self/environ", "/proc/1/statm",
        "/proc/self/task/1/comm", "/proc/sys/kernel/osrelease",
    };
    char link[256];
    struct stat st;
    int dfd;

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        slurp(files[i]);
    for (const char *d = "/proc"; d; d = d[5] ? NULL : "/proc/self/fd") {
        char ents[4096];

        dfd = open(d, O_RDONLY | O_DIRECTORY);
        while (dfd >= 0 && syscall(SYS_getdents64, dfd, ents, sizeof(ents)) > 0)
            ;
        if (dfd >= 0)
            close(dfd);
    }
    readlink("/proc/self/exe", link, sizeof(link));
    readlink("/proc/self/fd/1", link, sizeof(link));
    stat("/proc/self/exe", &st);
    stat("/proc/self/cwd/proc", &st);
    stat("/proc/self/fd/0", &st);
    open("/proc/self/nonexistent", O_RDONLY);
}

static void check_leaks(void)
{
    unsigned long before, after, slack;
    struct utsname u;

    uname(&u);
    slack = strstr(u.release, "trellis") ? 0 : 4UL << 20;
    proc_round();
    before = free_bytes();
    for (int i = 0; i < 300; i++)
        proc_round();
    after = free_bytes();
    CHECK(after + slack >= before, "300 rounds of /proc lost %lu kB",
          (before - after) / 1024);
    printf("no memory lost to 300 rounds of reads, listings and links\n");
}

int main(void)
{
    mkdir("/proc", 0555);
    if (access("/proc/self/stat", R_OK) != 0 &&
        mount("proc", "/proc", "proc", 0, NULL) != 0)
        printf("mount proc: %s\n", strerror(errno));
    check_meminfo();
    check_uptime_loadavg();
    check_stat();
    check_mounts();
    check_text();
    check_files();
    check_leaks();
    return check_result("proc_sys");
}
