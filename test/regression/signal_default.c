// also-glibc
/* Default actions and job control: children ended by signals, ignored
 * signals, SIGSTOP/SIGCONT seen by waitpid (WUNTRACED, WCONTINUED) and
 * waitid, SIGCHLD with its siginfo, SIGKILL of a stopped child, kill() of
 * a process group, and children reaped by themselves when SIGCHLD is
 * ignored. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "check.h"

static pid_t spawn_pauser(void)
{
    pid_t child = fork();

    if (child == 0)
        for (;;)
            pause();
    return child;
}

static void yield_a_while(void)
{
    for (int i = 0; i < 50; i++)
        sched_yield();
}

int main(void)
{
    int status;
    pid_t child, got;
    siginfo_t si;
    sigset_t chld;
    struct timespec ts = { 5, 0 };

    /* SIGTERM and SIGSEGV end a child; no core file: no core flag */
    child = spawn_pauser();
    kill(child, SIGTERM);
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) &&
          WTERMSIG(status) == SIGTERM && !WCOREDUMP(status), "SIGTERM: status %#x", status);
    child = fork();
    if (child == 0) {
        raise(SIGSEGV);
        _exit(0);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) &&
          WTERMSIG(status) == SIGSEGV, "SIGSEGV: status %#x", status);

    /* an ignored SIGTERM does nothing; SIGCHLD/SIGWINCH are ignored by default */
    child = fork();
    if (child == 0) {
        signal(SIGTERM, SIG_IGN);
        raise(SIGTERM);
        raise(SIGWINCH);
        raise(SIGURG);
        _exit(7);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) &&
          WEXITSTATUS(status) == 7, "ignored signals: status %#x", status);

    /* stop and continue, seen through waitpid */
    child = spawn_pauser();
    kill(child, SIGSTOP);
    got = waitpid(child, &status, WUNTRACED);
    CHECK(got == child && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP,
          "stop: got %d status %#x", got, status);
    CHECK(waitpid(child, &status, WUNTRACED | WNOHANG) == 0, "stop reported twice");
    kill(child, SIGCONT);
    got = waitpid(child, &status, WCONTINUED);
    CHECK(got == child && WIFCONTINUED(status), "continue: got %d status %#x", got, status);

    /* waitid sees a stop with its siginfo, and WNOWAIT leaves it; SIGTSTP
     * stops only a process whose group is not orphaned: give the child a
     * group of its own, whose parent (we) is outside it */
    CHECK(setpgid(child, child) == 0, "setpgid errno %d", errno);
    kill(child, SIGTSTP);
    memset(&si, 0, sizeof(si));
    CHECK(waitid(P_PID, child, &si, WSTOPPED | WNOWAIT) == 0, "waitid errno %d", errno);
    CHECK(si.si_signo == SIGCHLD && si.si_code == CLD_STOPPED && si.si_status == SIGTSTP &&
          si.si_pid == child, "waitid stop: signo %d code %d status %d pid %d",
          si.si_signo, si.si_code, si.si_status, si.si_pid);
    memset(&si, 0, sizeof(si));
    CHECK(waitid(P_PID, child, &si, WSTOPPED) == 0 && si.si_code == CLD_STOPPED,
          "WNOWAIT consumed the stop: code %d", si.si_code);
    /* SIGKILL ends a stopped child */
    kill(child, SIGKILL);
    memset(&si, 0, sizeof(si));
    CHECK(waitid(P_PID, child, &si, WEXITED) == 0 && si.si_code == CLD_KILLED &&
          si.si_status == SIGKILL, "waitid kill: code %d status %d", si.si_code, si.si_status);

    /* SIGCHLD comes with CLD_EXITED, the pid and the status */
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    child = fork();
    if (child == 0)
        _exit(33);
    memset(&si, 0, sizeof(si));
    CHECK(sigtimedwait(&chld, &si, &ts) == SIGCHLD, "sigtimedwait errno %d", errno);
    CHECK(si.si_code == CLD_EXITED && si.si_pid == child && si.si_status == 33,
          "SIGCHLD info: code %d pid %d status %d", si.si_code, si.si_pid, si.si_status);
    CHECK(waitpid(child, &status, 0) == child && WEXITSTATUS(status) == 33, "reap: %#x", status);
    sigprocmask(SIG_UNBLOCK, &chld, NULL);

    /* waitid with WNOHANG and nothing to report: 0 and a zero si_pid */
    child = spawn_pauser();
    memset(&si, 0xff, sizeof(si));
    CHECK(waitid(P_PID, child, &si, WEXITED | WNOHANG) == 0 && si.si_pid == 0,
          "waitid WNOHANG: si_pid %d", si.si_pid);

    /* kill(-pgid) reaches the whole group */
    {
        pid_t a = child, b = spawn_pauser();

        CHECK(setpgid(a, a) == 0, "setpgid a errno %d", errno);
        CHECK(setpgid(b, a) == 0, "setpgid b errno %d", errno);
        CHECK(kill(-a, SIGTERM) == 0, "kill group errno %d", errno);
        CHECK(waitpid(a, &status, 0) == a && WTERMSIG(status) == SIGTERM, "a: %#x", status);
        CHECK(waitpid(b, &status, 0) == b && WTERMSIG(status) == SIGTERM, "b: %#x", status);
        errno = 0;
        CHECK(kill(-a, SIGTERM) == -1 && errno == ESRCH, "kill empty group: errno %d", errno);
    }

    /* with SIGCHLD ignored, children reap themselves */
    signal(SIGCHLD, SIG_IGN);
    child = fork();
    if (child == 0)
        _exit(1);
    yield_a_while();
    errno = 0;
    got = waitpid(child, &status, 0);
    CHECK(got == -1 && errno == ECHILD, "ignored SIGCHLD: waitpid %d errno %d", got, errno);
    signal(SIGCHLD, SIG_DFL);

    /* bad arguments */
    errno = 0;
    CHECK(waitid(P_PID, 1, &si, 0) == -1 && errno == EINVAL, "waitid no options: errno %d", errno);
    errno = 0;
    CHECK(waitid(77, 1, &si, WEXITED) == -1 && errno == EINVAL, "waitid idtype: errno %d", errno);
    errno = 0;
    CHECK(waitpid(-1, &status, 0x4000000) == -1 && errno == EINVAL, "waitpid options: errno %d", errno);
    errno = 0;
    CHECK(waitpid(-1, &status, 0) == -1 && errno == ECHILD, "no children: errno %d", errno);
    return check_result("signal_default");
}
