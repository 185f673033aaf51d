/* CPU affinity: a thread pinned to each CPU in turn runs there (its
 * sched_getcpu(), /proc/self/stat's processor field, and /proc/self/status'
 * Cpus_allowed and Cpus_allowed_list say so); a thread moved by another
 * while it spins goes there; new threads and children of fork inherit
 * the mask; a mask with no CPU, or only CPUs that are not there, is
 * EINVAL and changes nothing. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "check.h"

#define WAIT_NS (20 * 1000000000LL) /* patience for a move, under emulation */

static int ncpus;
static unsigned long long all_cpus;

static long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int set_mask(pid_t tid, unsigned long long mask)
{
    return syscall(SYS_sched_setaffinity, tid, sizeof(mask), &mask);
}

static unsigned long long get_mask(pid_t tid)
{
    unsigned long long mask = 0;

    if (syscall(SYS_sched_getaffinity, tid, sizeof(mask), &mask) != sizeof(mask))
        return 0;
    return mask;
}

/* Spin until sched_getcpu() says @cpu, or give up; returns the last. */
static int spin_until_on(int cpu)
{
    long long end = now_ns() + WAIT_NS;
    int on;

    while ((on = sched_getcpu()) != cpu && now_ns() < end)
        ;
    return on;
}

/* Field @n of /proc/@path's stat line (after the command's name). */
static long stat_field(const char *path, int n)
{
    char buf[1024], *p;
    FILE *f = fopen(path, "r");
    size_t len;
    long v = -1;

    if (!f)
        return -1;
    len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[len] = 0;
    p = strrchr(buf, ')');
    for (int field = 2; p && field < n; field++)
        p = strchr(p + 1, ' ');
    if (p)
        v = strtol(p + 1, NULL, 10);
    return v;
}

/* The value of a status line "Name:\t..." as text. */
static int status_line(const char *name, char *out, size_t size)
{
    char line[256];
    size_t len = strlen(name);
    FILE *f = fopen("/proc/self/status", "r");
    int found = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f))
        if (!strncmp(line, name, len) && line[len] == ':') {
            snprintf(out, size, "%s", line + len + 2);
            out[strcspn(out, "\n")] = 0;
            found = 1;
        }
    fclose(f);
    return found;
}

/* Cpus_allowed's hexadecimal groups as one number. */
static unsigned long long parse_hex_mask(const char *s)
{
    unsigned long long v = 0;

    for (; *s; s++) {
        if (*s == ',')
            continue;
        v = v * 16 + (unsigned long long)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
    }
    return v;
}

static void pin_each(void)
{
    char text[128], want[16];

    for (int cpu = 0; cpu < ncpus; cpu++) {
        int on;

        CHECK(set_mask(0, 1ULL << cpu) == 0, "pin to CPU %d: %s", cpu, strerror(errno));
        CHECK(get_mask(0) == 1ULL << cpu, "mask %#llx after pinning to %d", get_mask(0), cpu);
        on = spin_until_on(cpu);
        CHECK(on == cpu, "pinned to CPU %d, runs on %d", cpu, on);
        /* and stays there */
        for (int i = 0; i < 2000; i++)
            if ((on = sched_getcpu()) != cpu)
                break;
        CHECK(on == cpu, "pinned to CPU %d, moved to %d", cpu, on);
        CHECK(stat_field("/proc/self/stat", 39) == cpu, "stat's processor %ld, on %d",
              stat_field("/proc/self/stat", 39), cpu);
        snprintf(want, sizeof(want), "%d", cpu);
        CHECK(status_line("Cpus_allowed_list", text, sizeof(text)) && !strcmp(text, want),
              "Cpus_allowed_list '%s' pinned to %d", text, cpu);
        CHECK(status_line("Cpus_allowed", text, sizeof(text)) &&
              parse_hex_mask(text) == 1ULL << cpu,
              "Cpus_allowed '%s' pinned to %d", text, cpu);
    }
    CHECK(set_mask(0, all_cpus) == 0, "back to every CPU");
    if (ncpus > 1) {
        snprintf(want, sizeof(want), "0-%d", ncpus - 1);
        CHECK(status_line("Cpus_allowed_list", text, sizeof(text)) && !strcmp(text, want),
              "Cpus_allowed_list '%s', expected %s", text, want);
    }
    printf("pinned to each of %d CPUs in turn\n", ncpus);
}

struct spinner {
    atomic_int tid;
    atomic_int cpu;
    atomic_int stop;
};

static void *spin_fn(void *arg)
{
    struct spinner *s = arg;

    atomic_store(&s->tid, gettid());
    while (!atomic_load(&s->stop))
        atomic_store(&s->cpu, sched_getcpu());
    return NULL;
}

/* Another thread moves a spinning thread from CPU to CPU. */
static void move_other(void)
{
    struct spinner s = { 0 };
    pthread_t th;

    pthread_create(&th, NULL, spin_fn, &s);
    while (!atomic_load(&s.tid))
        sched_yield();
    for (int cpu = ncpus - 1; cpu >= 0; cpu--) {
        long long end = now_ns() + WAIT_NS;

        CHECK(set_mask(atomic_load(&s.tid), 1ULL << cpu) == 0, "move to %d", cpu);
        atomic_store(&s.cpu, -1);
        /* its own CPU may be the one it runs on: sleep to let it run */
        while (atomic_load(&s.cpu) != cpu && now_ns() < end)
            usleep(1000);
        CHECK(atomic_load(&s.cpu) == cpu, "moved to CPU %d, runs on %d", cpu,
              atomic_load(&s.cpu));
    }
    atomic_store(&s.stop, 1);
    pthread_join(th, NULL);
    printf("a spinning thread moved by another\n");
}

struct inherit {
    unsigned long long mask;
    int cpu;
};

static void *inherit_fn(void *arg)
{
    struct inherit *in = arg;

    in->mask = get_mask(0);
    in->cpu = spin_until_on(ncpus - 1);
    return NULL;
}

static void inheritance(void)
{
    unsigned long long last = 1ULL << (ncpus - 1);
    struct inherit in = { 0, -1 };
    pthread_t th;
    int status, p[2];
    pid_t pid;

    CHECK(set_mask(0, last) == 0, "pin to the last CPU");
    pthread_create(&th, NULL, inherit_fn, &in);
    pthread_join(th, NULL);
    CHECK(in.mask == last && in.cpu == ncpus - 1, "thread: mask %#llx, on CPU %d", in.mask,
          in.cpu);
    if (pipe(p))
        return;
    pid = fork();
    if (pid == 0) {
        struct inherit mine = { get_mask(0), spin_until_on(ncpus - 1) };

        write(p[1], &mine, sizeof(mine));
        _exit(0);
    }
    close(p[1]);
    in.mask = 0;
    in.cpu = -1;
    CHECK(read(p[0], &in, sizeof(in)) == sizeof(in), "child's answer");
    close(p[0]);
    waitpid(pid, &status, 0);
    CHECK(in.mask == last && in.cpu == ncpus - 1, "child: mask %#llx, on CPU %d", in.mask,
          in.cpu);
    CHECK(set_mask(0, all_cpus) == 0, "back to every CPU");
    printf("threads and children inherit the mask\n");
}

static void bad_masks(void)
{
    unsigned long long before;

    CHECK(set_mask(0, 1) == 0, "pin to CPU 0");
    before = get_mask(0);
    errno = 0;
    CHECK(set_mask(0, 0) == -1 && errno == EINVAL, "empty mask: errno %d", errno);
    if (ncpus < 64) {
        errno = 0;
        CHECK(set_mask(0, 1ULL << ncpus) == -1 && errno == EINVAL,
              "a CPU that is not there: errno %d", errno);
    }
    CHECK(get_mask(0) == before, "mask changed to %#llx", get_mask(0));
    CHECK(set_mask(0, all_cpus) == 0, "back to every CPU");
    printf("empty and offline-only masks: EINVAL\n");
}

int main(void)
{
    mkdir("/proc", 0555);
    if (access("/proc/self/status", R_OK) != 0 &&
        mount("proc", "/proc", "proc", 0, NULL) != 0)
        printf("mount proc: %s\n", strerror(errno));
    all_cpus = get_mask(0);
    ncpus = __builtin_popcountll(all_cpus);
    CHECK(ncpus >= 1 && all_cpus == (ncpus == 64 ? ~0ULL : (1ULL << ncpus) - 1),
          "initial mask %#llx", all_cpus);
    if (!ncpus)
        return check_result("sched_affinity");
    printf("%d CPUs\n", ncpus);
    pin_each();
    move_other();
    inheritance();
    bad_masks();
    return check_result("sched_affinity");
}
