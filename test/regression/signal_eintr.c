/* Signals interrupt blocking calls: wait4 fails with EINTR under a handler
 * without SA_RESTART, and goes on waiting with SA_RESTART; pause returns
 * EINTR; a stop and continue do not disturb a blocked wait4. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "check.h"

static volatile sig_atomic_t hits;

static void on_usr1(int sig)
{
    hits++;
}

static void handle(int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_usr1;
    sa.sa_flags = flags;
    sigaction(SIGUSR1, &sa, NULL);
}

/* A child that signals its parent after a while, then ends with @code
 * (or never, when @code is negative). */
static pid_t poke_parent(int code)
{
    pid_t parent = getpid(), child = fork();

    if (child == 0) {
        for (int i = 0; i < 200; i++)
            sched_yield();
        kill(parent, SIGUSR1);
        if (code < 0)
            for (;;)
                pause();
        for (int i = 0; i < 200; i++)
            sched_yield();
        _exit(code);
    }
    return child;
}

int main(void)
{
    int status;
    pid_t child, got;

    /* no SA_RESTART: wait4 fails with EINTR */
    handle(0);
    hits = 0;
    child = poke_parent(-1);
    errno = 0;
    got = waitpid(child, &status, 0);
    CHECK(got == -1 && errno == EINTR && hits == 1, "waitpid: %d errno %d hits %d", got, errno, hits);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);

    /* SA_RESTART: wait4 goes on and returns the child */
    handle(SA_RESTART);
    hits = 0;
    child = poke_parent(5);
    got = waitpid(child, &status, 0);
    CHECK(got == child && WEXITSTATUS(status) == 5 && hits == 1,
          "restarted waitpid: %d status %#x hits %d", got, status, hits);

    /* pause returns EINTR after the handler */
    handle(SA_RESTART);
    hits = 0;
    child = poke_parent(0);
    errno = 0;
    CHECK(pause() == -1 && errno == EINTR && hits == 1, "pause: errno %d hits %d", errno, hits);
    waitpid(child, &status, 0);

    /* with no handler, SIGSTOP/SIGCONT leave a blocked call running */
    {
        pid_t parent = getpid();

        child = fork();
        if (child == 0) {
            for (int i = 0; i < 100; i++)
                sched_yield();
            kill(parent, SIGSTOP);
            for (int i = 0; i < 100; i++)
                sched_yield();
            kill(parent, SIGCONT);
            for (int i = 0; i < 100; i++)
                sched_yield();
            _exit(9);
        }
        got = waitpid(child, &status, 0);
        CHECK(got == child && WEXITSTATUS(status) == 9, "waitpid across stop: %d errno %d", got, errno);
    }
    return check_result("signal_eintr");
}
