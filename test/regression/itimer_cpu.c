/* Timers on processor time: ITIMER_VIRTUAL (user time, SIGVTALRM) and
 * ITIMER_PROF (user and system time, SIGPROF) fire while the process
 * computes, not while it sleeps, repeat with their interval, count the
 * time of every thread, are reported by getitimer and setitimer's old
 * value, are not inherited by fork and survive execve; POSIX timers on
 * CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID do the same and
 * timer_gettime counts their time down; clock_nanosleep on the process's
 * CPU clock sleeps until another thread has used the time.  Only lower
 * bounds on times are checked. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "check.h"
#include "time_util.h"

/* Linux adds a tick (at most 10 ms) to a CPU interval timer's value */
#define TICK_US 10000

static void sleep_ns(int64_t ns)
{
    struct timespec ts = { ns / 1000000000, ns % 1000000000 };

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static volatile sig_atomic_t vtalrm, prof, usr1;

static void on_signal(int sig)
{
    if (sig == SIGVTALRM)
        vtalrm++;
    else if (sig == SIGPROF)
        prof++;
    else
        usr1++;
}

/* Compute in user mode for a while. */
static void burn(void)
{
    for (volatile int i = 0; i < 200000; i++)
        ;
}

/* Compute until *@flag reaches @n (giving up after 20 s of elapsed time:
 * the checks then fail, nothing hangs). */
static void spin_until(volatile sig_atomic_t *flag, int n)
{
    int64_t start = now_ns(CLOCK_MONOTONIC);

    while (*flag < n && now_ns(CLOCK_MONOTONIC) - start < 20000 * MS)
        burn();
}

static void set_itimer(int which, long value_us, long interval_us, struct itimerval *old)
{
    struct itimerval it = {
        .it_interval = { interval_us / 1000000, interval_us % 1000000 },
        .it_value = { value_us / 1000000, value_us % 1000000 },
    };

    CHECK(setitimer(which, &it, old) == 0, "setitimer(%d) errno %d", which, errno);
}

static long left_us(int which)
{
    struct itimerval it;

    if (getitimer(which, &it) != 0)
        return -1;
    return it.it_value.tv_sec * 1000000L + it.it_value.tv_usec;
}

static void check_virtual(void)
{
    struct itimerval old;
    int64_t cpu0;
    long left;

    /* not while sleeping */
    vtalrm = 0;
    set_itimer(ITIMER_VIRTUAL, 50000, 0, NULL);
    sleep_ns(300 * MS);
    CHECK(vtalrm == 0, "ITIMER_VIRTUAL fired while the process slept");
    left = left_us(ITIMER_VIRTUAL);
    CHECK(left > 0 && left <= 50000 + TICK_US,
          "getitimer(ITIMER_VIRTUAL) after a sleep: %ld us", left);
    /* while computing: after at least its time */
    cpu0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    spin_until(&vtalrm, 1);
    CHECK(vtalrm == 1, "no SIGVTALRM while computing");
    CHECK(now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0 >= 40 * MS,
          "SIGVTALRM after %lld ns of CPU time",
          (long long)(now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0));
    CHECK(left_us(ITIMER_VIRTUAL) == 0, "a fired one-shot ITIMER_VIRTUAL is still armed");
    /* old value, and disarming */
    set_itimer(ITIMER_VIRTUAL, 3000000, 500000, NULL);
    memset(&old, 0, sizeof(old));
    set_itimer(ITIMER_VIRTUAL, 0, 0, &old);
    CHECK(old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 500000 &&
          old.it_value.tv_sec * 1000000L + old.it_value.tv_usec > 0 &&
          old.it_value.tv_sec * 1000000L + old.it_value.tv_usec <= 3000000 + TICK_US,
          "old ITIMER_VIRTUAL: %ld.%06ld interval %ld.%06ld", (long)old.it_value.tv_sec,
          (long)old.it_value.tv_usec, (long)old.it_interval.tv_sec,
          (long)old.it_interval.tv_usec);
    CHECK(left_us(ITIMER_VIRTUAL) == 0, "ITIMER_VIRTUAL still armed after a zero value");
}

static void check_prof(void)
{
    struct itimerval it;
    int64_t cpu0;

    prof = 0;
    set_itimer(ITIMER_PROF, 50000, 0, NULL);
    sleep_ns(300 * MS);
    CHECK(prof == 0, "ITIMER_PROF fired while the process slept");
    set_itimer(ITIMER_PROF, 20000, 20000, NULL);
    cpu0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    spin_until(&prof, 3);
    CHECK(prof >= 3, "%d SIGPROF while computing, expected 3", prof);
    CHECK(now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0 >= 50 * MS,
          "three 20 ms SIGPROF periods after %lld ns of CPU time",
          (long long)(now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0));
    CHECK(getitimer(ITIMER_PROF, &it) == 0 && it.it_interval.tv_usec == 20000 &&
          it.it_value.tv_sec * 1000000L + it.it_value.tv_usec > 0,
          "getitimer(ITIMER_PROF): %ld.%06ld interval %ld.%06ld", (long)it.it_value.tv_sec,
          (long)it.it_value.tv_usec, (long)it.it_interval.tv_sec,
          (long)it.it_interval.tv_usec);
    set_itimer(ITIMER_PROF, 0, 0, NULL);
}

/* The time of another thread counts. */
static volatile int stop_spinner;

static void *spinner(void *arg)
{
    int64_t start = now_ns(CLOCK_MONOTONIC);

    while (!stop_spinner && now_ns(CLOCK_MONOTONIC) - start < 20000 * MS)
        burn();
    return NULL;
}

static void check_threads(void)
{
    pthread_t th;
    int64_t t0;

    /* the main thread sleeps while the spinner computes */
    prof = 0;
    stop_spinner = 0;
    set_itimer(ITIMER_PROF, 50000, 0, NULL);
    CHECK(pthread_create(&th, NULL, spinner, NULL) == 0, "pthread_create");
    t0 = now_ns(CLOCK_MONOTONIC);
    while (!prof && now_ns(CLOCK_MONOTONIC) - t0 < 20000 * MS)
        sleep_ns(10 * MS);
    stop_spinner = 1;
    pthread_join(th, NULL);
    CHECK(prof == 1, "ITIMER_PROF: %d signals while another thread computed", prof);
}

/* POSIX timers on the CPU clocks. */
static void check_cpu_clocks(void)
{
    struct sigevent sev;
    struct itimerspec its, cur;
    int64_t cpu0, left;
    timer_t t;

    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    CHECK(timer_create(CLOCK_PROCESS_CPUTIME_ID, &sev, &t) == 0,
          "timer_create(PROCESS_CPUTIME) errno %d", errno);
    memset(&its, 0, sizeof(its));
    its.it_value.tv_nsec = 50 * MS;
    usr1 = 0;
    CHECK(timer_settime(t, 0, &its, NULL) == 0, "timer_settime errno %d", errno);
    sleep_ns(300 * MS);
    CHECK(usr1 == 0, "the process CPU timer fired while the process slept");
    CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_nsec > 0 &&
          cur.it_value.tv_nsec <= 50 * MS && !cur.it_value.tv_sec,
          "timer_gettime(CPU timer): %ld.%09ld", (long)cur.it_value.tv_sec,
          cur.it_value.tv_nsec);
    cpu0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    spin_until(&usr1, 1);
    CHECK(usr1 == 1, "no signal from the process CPU timer");
    CHECK(now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0 >= 40 * MS,
          "the process CPU timer fired after %lld ns",
          (long long)(now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0));
    CHECK(timer_gettime(t, &cur) == 0 && !cur.it_value.tv_nsec && !cur.it_value.tv_sec,
          "the fired CPU timer is still armed");
    /* an absolute time on the CPU clock */
    its.it_value.tv_sec = (now_ns(CLOCK_PROCESS_CPUTIME_ID) + 40 * MS) / 1000000000;
    its.it_value.tv_nsec = (now_ns(CLOCK_PROCESS_CPUTIME_ID) + 40 * MS) % 1000000000;
    usr1 = 0;
    CHECK(timer_settime(t, TIMER_ABSTIME, &its, NULL) == 0, "absolute timer_settime");
    spin_until(&usr1, 1);
    CHECK(usr1 == 1 && now_ns(CLOCK_PROCESS_CPUTIME_ID) >=
                               its.it_value.tv_sec * 1000000000LL + its.it_value.tv_nsec,
          "absolute CPU timer: %d signals", usr1);
    CHECK(timer_delete(t) == 0, "timer_delete");

    /* the thread's clock, with an interval */
    CHECK(timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &t) == 0,
          "timer_create(THREAD_CPUTIME) errno %d", errno);
    its.it_value.tv_sec = 0;
    its.it_value.tv_nsec = 20 * MS;
    its.it_interval.tv_nsec = 20 * MS;
    usr1 = 0;
    cpu0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
    CHECK(timer_settime(t, 0, &its, NULL) == 0, "timer_settime errno %d", errno);
    spin_until(&usr1, 2);
    CHECK(usr1 >= 2, "%d signals from the thread CPU timer", usr1);
    CHECK(now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0 >= 30 * MS,
          "two 20 ms thread CPU periods after %lld ns",
          (long long)(now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0));
    left = 0;
    if (timer_gettime(t, &cur) == 0)
        left = cur.it_value.tv_nsec;
    CHECK(left > 0 && left <= 20 * MS && cur.it_interval.tv_nsec == 20 * MS,
          "timer_gettime(thread CPU timer): %lld left", (long long)left);
    CHECK(timer_delete(t) == 0, "timer_delete");
}

/* clock_nanosleep on the process's CPU clock while another thread works. */
static void check_cpu_sleep(void)
{
    struct timespec req = { 0, 60 * MS };
    pthread_t th;
    clockid_t own;
    int64_t cpu0;
    int err;

    stop_spinner = 0;
    cpu0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    CHECK(pthread_create(&th, NULL, spinner, NULL) == 0, "pthread_create");
    alarm(30); /* SIGALRM interrupts a sleep that would not end */
    err = clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL);
    alarm(0);
    CHECK(err == 0, "clock_nanosleep(PROCESS_CPUTIME) gave %d", err);
    CHECK(now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0 >= 60 * MS,
          "clock_nanosleep(PROCESS_CPUTIME, 60 ms) returned after %lld ns",
          (long long)(now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0));
    stop_spinner = 1;
    pthread_join(th, NULL);
    CHECK(pthread_getcpuclockid(pthread_self(), &own) == 0, "pthread_getcpuclockid");
    CHECK(clock_nanosleep(own, 0, &req, NULL) == EINVAL,
          "clock_nanosleep on the caller's own thread clock");
}

/* Not inherited by fork; kept by execve. */
static int exec_check(void)
{
    long left = left_us(ITIMER_VIRTUAL);

    CHECK(left > 0 && left <= 100000000 + TICK_US, "ITIMER_VIRTUAL after execve: %ld us", left);
    set_itimer(ITIMER_VIRTUAL, 0, 0, NULL);
    return check_result("itimer_cpu (after execve)");
}

static void check_fork_exec(const char *self)
{
    int status = -1;
    pid_t pid;

    set_itimer(ITIMER_VIRTUAL, 100000000, 0, NULL);
    set_itimer(ITIMER_PROF, 100000000, 0, NULL);
    pid = fork();
    if (pid == 0)
        _exit(left_us(ITIMER_VIRTUAL) != 0 || left_us(ITIMER_PROF) != 0);
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a forked child has the timers");
    set_itimer(ITIMER_PROF, 0, 0, NULL);
    pid = fork();
    if (pid == 0) {
        set_itimer(ITIMER_VIRTUAL, 100000000, 0, NULL);
        execl(self, self, "exec-check", (char *)NULL);
        _exit(21);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "execve child: status %#x",
          status);
    set_itimer(ITIMER_VIRTUAL, 0, 0, NULL);
}

int main(int argc, char **argv)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGVTALRM, &sa, NULL);
    sigaction(SIGPROF, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    if (argc == 2 && !strcmp(argv[1], "exec-check"))
        return exec_check();
    check_virtual();
    check_prof();
    check_threads();
    check_cpu_clocks();
    check_cpu_sleep();
    check_fork_exec(argv[0]);
    return check_result("itimer_cpu");
}
