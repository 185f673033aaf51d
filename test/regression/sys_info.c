/* sysinfo(2), getcpu(2) and getrusage(2): plausible memory figures in
 * bytes, an uptime that moves forward, a process count that includes a
 * live child; an online CPU of node 0 from getcpu; processor time that
 * grows with work, user time for work in user mode. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
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

static long usec(struct timeval tv)
{
    return tv.tv_sec * 1000000 + tv.tv_usec;
}

int main(void)
{
    struct sysinfo si, si2;
    struct rusage self, thread, children, later;
    unsigned cpu = 77, node = 77;
    volatile unsigned long x = 0;
    int status;
    pid_t child;

    CHECK(S(SYS_sysinfo, &si) == 0, "sysinfo errno %d", errno);
    CHECK(si.mem_unit == 1, "mem_unit %u", si.mem_unit);
    CHECK(si.totalram >= 256UL << 20 && si.totalram <= 512UL << 20,
          "totalram %lu for a 512 MiB machine", si.totalram);
    CHECK(si.freeram > 0 && si.freeram <= si.totalram, "freeram %lu of %lu",
          si.freeram, si.totalram);
    CHECK(si.totalswap == 0 && si.freeswap == 0 && si.totalhigh == 0,
          "no swap, no high memory");
    CHECK(si.uptime >= 1 && si.uptime < 3600, "uptime %ld", si.uptime);
    CHECK(si.procs >= 1, "procs %u", si.procs);

    /* a live child is counted */
    child = fork();
    if (child == 0) {
        for (;;)
            sched_yield();
    }
    CHECK(S(SYS_sysinfo, &si2) == 0 && si2.procs >= 2, "procs %u with a child", si2.procs);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);

    CHECK(S(SYS_getcpu, &cpu, &node, NULL) == 0 &&
              cpu < (unsigned)sysconf(_SC_NPROCESSORS_ONLN) && node == 0,
          "getcpu: cpu %u node %u (%ld CPUs online)", cpu, node,
          sysconf(_SC_NPROCESSORS_ONLN));

    /* work in user mode shows as user time; the thread is the process */
    CHECK(S(SYS_getrusage, RUSAGE_SELF, &self) == 0, "getrusage(SELF)");
    do {
        for (unsigned long i = 0; i < 1000000; i++)
            x += i;
        S(SYS_getrusage, RUSAGE_SELF, &later);
    } while (usec(later.ru_utime) - usec(self.ru_utime) < 100000);
    CHECK(usec(later.ru_utime) >= usec(self.ru_utime) + 100000, "user time grew");
    CHECK(usec(later.ru_stime) >= usec(self.ru_stime), "system time went back");
    CHECK(later.ru_utime.tv_usec < 1000000 && later.ru_stime.tv_usec < 1000000,
          "microseconds below a second");
    CHECK(S(SYS_getrusage, RUSAGE_THREAD, &thread) == 0 &&
          usec(thread.ru_utime) >= usec(later.ru_utime) - 20000 &&
          usec(thread.ru_utime) <= usec(later.ru_utime) + 100000,
          "thread user time %ld, process %ld", usec(thread.ru_utime),
          usec(later.ru_utime));
    /* the killed child had not used 100 ms: children time stays small */
    CHECK(S(SYS_getrusage, RUSAGE_CHILDREN, &children) == 0 &&
          usec(children.ru_utime) < usec(later.ru_utime) + 1000000,
          "children time %ld", usec(children.ru_utime));

    CHECK(S(SYS_sysinfo, &si2) == 0 && si2.uptime >= si.uptime, "uptime went back");
    if (failures)
        return 1;
    printf("sys_info ok\n");
    return 0;
}
