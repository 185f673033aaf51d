/* signalfd and signalfd4: errors (EINVAL for flags, the mask's size and
 * another file, EFAULT, EBADF), "anon_inode:[signalfd]", SFD_CLOEXEC and
 * SFD_NONBLOCK; reads dequeue pending signals of the mask as struct
 * signalfd_siginfo, filled as Linux fills them for kill (SI_USER),
 * tgkill (SI_TKILL), sigqueue (SI_QUEUE with its value, real-time
 * signals queued) and a child's SIGCHLD (CLD_EXITED and its status);
 * several per read, EINVAL below one record, EAGAIN; the mask changed
 * on the same fd; a blocked read woken by another process's signal or
 * interrupted (EINTR) by a signal outside the mask; poll and epoll
 * readiness, which is the polling thread's: a signal sent to another
 * thread is that thread's to read. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "check.h"

static volatile sig_atomic_t hits;

static void on_sig(int sig)
{
    hits++;
}

static sigset_t set_of(int a, int b)
{
    sigset_t s;

    sigemptyset(&s);
    if (a)
        sigaddset(&s, a);
    if (b)
        sigaddset(&s, b);
    return s;
}

static int readable(int fd)
{
    struct pollfd pf = { .fd = fd, .events = POLLIN | POLLRDNORM | POLLOUT };

    return poll(&pf, 1, 0) == 1 ? pf.revents : 0;
}

struct thread_arg {
    int sfd, go[2];
    pid_t tid;
    struct signalfd_siginfo si;
    ssize_t n;
    int polled;
};

static void *thread_fn(void *p)
{
    struct thread_arg *a = p;
    char c;

    a->tid = gettid();
    if (read(a->go[0], &c, 1) != 1)
        return NULL;
    a->polled = readable(a->sfd);
    a->n = read(a->sfd, &a->si, sizeof(a->si));
    return NULL;
}

int main(void)
{
    struct signalfd_siginfo si[3];
    char link[64], text[64];
    struct thread_arg ta;
    struct epoll_event ev;
    struct sigaction sa;
    sigset_t mask, pend;
    pthread_t th;
    int sfd, p[2], ep, status;
    pid_t child;
    ssize_t n;

    mkdir("/proc", 0555);
    if (access("/proc/self/fd", R_OK) != 0)
        CHECK(mount("proc", "/proc", "proc", 0, 0) == 0, "mount proc: errno %d", errno);
    mask = set_of(SIGUSR1, SIGUSR2);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &mask, NULL);

    /* errors */
    mask = set_of(SIGUSR1, SIGRTMIN);
    CHECK(pipe(p) == 0, "pipe");
    errno = 0;
    CHECK(signalfd(-1, &mask, 1) == -1 && errno == EINVAL, "flags: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_signalfd4, -1, &mask, 4, 0) == -1 && errno == EINVAL, "size: errno %d", errno);
    errno = 0;
    CHECK(syscall(SYS_signalfd4, -1, (void *)1, 8, 0) == -1 && errno == EFAULT, "efault: errno %d", errno);
    errno = 0;
    CHECK(signalfd(p[0], &mask, 0) == -1 && errno == EINVAL, "a pipe: errno %d", errno);
    errno = 0;
    CHECK(signalfd(99, &mask, 0) == -1 && errno == EBADF, "ebadf: errno %d", errno);
    errno = 0;
    CHECK(signalfd(-2, &mask, 0) == -1 && errno == EBADF, "-2: errno %d", errno);

    sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    CHECK(sfd >= 0, "signalfd: errno %d", errno);
    CHECK(fcntl(sfd, F_GETFD) == FD_CLOEXEC && (fcntl(sfd, F_GETFL) & O_NONBLOCK), "flags");
    snprintf(link, sizeof(link), "/proc/self/fd/%d", sfd);
    n = readlink(link, text, sizeof(text));
    CHECK(n == 21 && !memcmp(text, "anon_inode:[signalfd]", 21), "link %.*s", (int)(n > 0 ? n : 0), text);
    errno = 0;
    CHECK(read(sfd, si, sizeof(si[0])) == -1 && errno == EAGAIN, "empty: errno %d", errno);
    errno = 0;
    CHECK(read(sfd, si, sizeof(si[0]) - 1) == -1 && errno == EINVAL, "short: errno %d", errno);
    CHECK(readable(sfd) == 0, "not readable");

    /* kill */
    CHECK(kill(getpid(), SIGUSR1) == 0, "kill");
    CHECK(readable(sfd) == POLLIN, "readable: %#x", readable(sfd));
    memset(si, 0x55, sizeof(si));
    CHECK(read(sfd, si, sizeof(si)) == sizeof(si[0]), "one record");
    CHECK(si[0].ssi_signo == SIGUSR1 && si[0].ssi_code == SI_USER && si[0].ssi_pid == (uint32_t)getpid() &&
          si[0].ssi_uid == getuid() && si[0].ssi_errno == 0 && si[0].ssi_int == 0 && si[0].ssi_ptr == 0,
          "kill: signo %u code %d pid %u uid %u", si[0].ssi_signo, si[0].ssi_code, si[0].ssi_pid, si[0].ssi_uid);
    CHECK(readable(sfd) == 0, "taken");
    sigpending(&pend);
    CHECK(!sigismember(&pend, SIGUSR1), "no longer pending");

    /* sigqueue: real-time signals queue, with their values, in order */
    CHECK(sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_ptr = (void *)1234 }) == 0 &&
          sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_ptr = (void *)5678 }) == 0, "sigqueue");
    CHECK(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1) == 0, "tgkill");
    memset(si, 0x55, sizeof(si));
    n = read(sfd, si, sizeof(si));
    CHECK(n == 3 * (ssize_t)sizeof(si[0]), "three records: %zd", n);
    CHECK(si[0].ssi_signo == SIGUSR1 && si[0].ssi_code == SI_TKILL && si[0].ssi_pid == (uint32_t)getpid(),
          "tkill first (lowest): %u %d", si[0].ssi_signo, si[0].ssi_code);
    CHECK(si[1].ssi_signo == (uint32_t)SIGRTMIN && si[1].ssi_code == SI_QUEUE && si[1].ssi_int == 1234 &&
          si[1].ssi_ptr == 1234 && si[1].ssi_pid == (uint32_t)getpid(),
          "queued 1: %u %d %d", si[1].ssi_signo, si[1].ssi_code, si[1].ssi_int);
    CHECK(si[2].ssi_signo == (uint32_t)SIGRTMIN && si[2].ssi_int == 5678, "queued 2: %d", si[2].ssi_int);

    /* a new mask on the same fd: what was pending stays pending */
    CHECK(kill(getpid(), SIGUSR1) == 0, "kill");
    mask = set_of(SIGUSR2, 0);
    CHECK(signalfd(sfd, &mask, 0) == sfd, "new mask");
    CHECK(readable(sfd) == 0, "SIGUSR1 not in it");
    CHECK(kill(getpid(), SIGUSR2) == 0, "kill");
    CHECK(read(sfd, si, sizeof(si)) == sizeof(si[0]) && si[0].ssi_signo == SIGUSR2, "usr2");
    mask = set_of(SIGUSR1, 0);
    CHECK(sigtimedwait(&mask, NULL, &(struct timespec){ 0, 0 }) == SIGUSR1, "usr1 was still pending");

    /* SIGCHLD of a child, blocking */
    close(sfd);
    mask = set_of(SIGCHLD, SIGUSR2);
    sfd = signalfd(-1, &mask, 0);
    child = fork();
    if (child == 0)
        _exit(3);
    memset(si, 0x55, sizeof(si));
    CHECK(read(sfd, si, sizeof(si[0])) == sizeof(si[0]), "blocking read");
    CHECK(si[0].ssi_signo == SIGCHLD && si[0].ssi_code == CLD_EXITED && si[0].ssi_pid == (uint32_t)child &&
          si[0].ssi_status == 3 && si[0].ssi_uid == getuid(),
          "sigchld: %u %d pid %u status %d", si[0].ssi_signo, si[0].ssi_code, si[0].ssi_pid, si[0].ssi_status);
    CHECK(waitpid(child, &status, 0) == child && WEXITSTATUS(status) == 3, "reaped");

    /* woken by another process's kill */
    child = fork();
    if (child == 0) {
        usleep(100000);
        _exit(kill(getppid(), SIGUSR2) == 0 ? 0 : 1);
    }
    CHECK(read(sfd, si, sizeof(si[0])) == sizeof(si[0]) && si[0].ssi_signo == SIGUSR2 &&
          si[0].ssi_pid == (uint32_t)child && si[0].ssi_code == SI_USER, "from the child: pid %u", si[0].ssi_pid);
    CHECK(waitpid(child, &status, 0) == child && status == 0, "child");
    /* its SIGCHLD */
    CHECK(read(sfd, si, sizeof(si[0])) == sizeof(si[0]) && si[0].ssi_signo == SIGCHLD, "sigchld");

    /* interrupted by a signal it does not read */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sig;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &(struct itimerval){ .it_value = { 0, 50000 } }, NULL);
    errno = 0;
    CHECK(read(sfd, si, sizeof(si[0])) == -1 && errno == EINTR && hits == 1, "eintr: errno %d", errno);

    /* in a child, the child's own signals */
    child = fork();
    if (child == 0) {
        struct signalfd_siginfo s;

        kill(getpid(), SIGUSR2);
        _exit(read(sfd, &s, sizeof(s)) == sizeof(s) && s.ssi_pid == (uint32_t)getpid() ? 0 : 1);
    }
    CHECK(waitpid(child, &status, 0) == child && status == 0, "child reads its own");
    CHECK(read(sfd, si, sizeof(si[0])) == sizeof(si[0]) && si[0].ssi_signo == SIGCHLD, "and its end");
    sigpending(&pend);
    CHECK(!sigismember(&pend, SIGUSR2), "nothing pending here");

    /* epoll */
    ep = epoll_create1(0);
    ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 7 };
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev) == 0, "add");
    CHECK(epoll_wait(ep, &ev, 1, 0) == 0, "nothing");
    child = fork();
    if (child == 0) {
        usleep(100000);
        _exit(kill(getppid(), SIGUSR2) == 0 ? 0 : 1);
    }
    CHECK(epoll_wait(ep, &ev, 1, -1) == 1 && ev.data.u32 == 7 && ev.events == EPOLLIN, "epoll: signal");
    CHECK(read(sfd, si, sizeof(si)) >= (ssize_t)sizeof(si[0]), "read");
    waitpid(child, &status, 0);
    while (readable(sfd))
        read(sfd, si, sizeof(si)); /* the child's SIGCHLD */
    CHECK(epoll_wait(ep, &ev, 1, 0) == 0, "nothing left");
    close(ep);

    /* a signal for another thread is that thread's to read */
    memset(&ta, 0, sizeof(ta));
    ta.sfd = sfd;
    CHECK(pipe(ta.go) == 0, "pipe");
    CHECK(pthread_create(&th, NULL, thread_fn, &ta) == 0, "thread");
    while (!__atomic_load_n(&ta.tid, __ATOMIC_ACQUIRE))
        usleep(1000);
    CHECK(syscall(SYS_tgkill, getpid(), ta.tid, SIGUSR2) == 0, "tgkill the thread");
    CHECK(readable(sfd) == 0, "not the main thread's");
    CHECK(write(ta.go[1], "g", 1) == 1, "go");
    pthread_join(th, NULL);
    CHECK(ta.polled == POLLIN, "the thread's: %#x", ta.polled);
    CHECK(ta.n == sizeof(ta.si) && ta.si.ssi_signo == SIGUSR2 && ta.si.ssi_code == SI_TKILL,
          "read by the thread: %zd %u", ta.n, ta.si.ssi_signo);

    close(sfd);
    return check_result("signalfd_basic");
}
