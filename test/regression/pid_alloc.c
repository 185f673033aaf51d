/* Pids below /proc/sys/kernel/pid_max: writes outside [301, 4194304]
 * are EINVAL; with pid_max lowered to 400, new pids stay below it, come
 * back around from 300 (after the first wrap) and skip those in use: a
 * live process's pid, its process group's and its session's; once every
 * pid is taken, fork fails with EAGAIN.  pid_max is put back at the
 * end. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "check.h"
#include "proc_util.h"

#define PID_MAX_FILE "/proc/sys/kernel/pid_max"
#define LOW_MAX 400
#define MAX_LIVE 200

static pid_t spawn_sleeper(void)
{
    pid_t pid = fork();

    if (pid == 0) {
        pause();
        _exit(0);
    }
    return pid;
}

static void reap(pid_t pid)
{
    int status;

    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
}

int main(void)
{
    char saved[32], want[32];
    pid_t live, group_leader, last = 0, pid;
    pid_t held[MAX_LIVE];
    int wraps = 0, nheld = 0, status, err = 0;

    mount_proc();
    snprintf(saved, sizeof(saved), "%s", read_text(PID_MAX_FILE));
    CHECK(atoi(saved) >= 301, "pid_max %s", saved);
    CHECK(write_text(PID_MAX_FILE, "300") == EINVAL, "300");
    CHECK(write_text(PID_MAX_FILE, "4194305") == EINVAL, "4194305");
    CHECK(write_text(PID_MAX_FILE, "many") == EINVAL, "not a number");
    CHECK(write_text(PID_MAX_FILE, "4194304") == 0, "4194304");
    CHECK(!strcmp(read_text(PID_MAX_FILE), "4194304\n"), "reads %s", text);

    /* a live process, and a group whose leader has gone but a member
     * stays: their pids, and the group's, are in use */
    live = spawn_sleeper();
    group_leader = fork();
    if (group_leader == 0) {
        setpgid(0, 0);
        if (fork() == 0) {
            pause();
            _exit(0);
        }
        _exit(0);
    }
    waitpid(group_leader, &status, 0);

    snprintf(want, sizeof(want), "%d", LOW_MAX);
    CHECK(write_text(PID_MAX_FILE, want) == 0, "pid_max %d", LOW_MAX);
    for (int i = 0; i < 500; i++) {
        pid = fork();
        if (pid == 0)
            _exit(0);
        if (pid < 0) {
            CHECK(0, "fork %d: errno %d", i, errno);
            break;
        }
        waitpid(pid, &status, 0);
        CHECK(pid < LOW_MAX, "pid %d above pid_max", (int)pid);
        CHECK(pid != live && pid != group_leader, "pid %d is in use", (int)pid);
        if (pid < last) {
            wraps++;
            CHECK(pid >= 300, "after a wrap: pid %d", (int)pid);
        }
        last = pid;
    }
    CHECK(wraps >= 1, "no wrap in 500 forks below %d", LOW_MAX);

    /* every pid taken: EAGAIN */
    while (nheld < MAX_LIVE) {
        pid = fork();
        if (pid == 0) {
            pause();
            _exit(0);
        }
        if (pid < 0) {
            err = errno;
            break;
        }
        held[nheld++] = pid;
    }
    CHECK(err == EAGAIN, "fork with every pid taken: errno %d after %d", err, nheld);
    CHECK(nheld <= LOW_MAX - 300, "%d processes below pid_max %d", nheld, LOW_MAX);
    for (int i = 0; i < nheld; i++)
        reap(held[i]);

    CHECK(write_text(PID_MAX_FILE, saved) == 0, "pid_max back to %s", saved);
    reap(live);
    kill(-group_leader, SIGKILL);
    while (waitpid(-1, &status, WNOHANG) > 0)
        ;
    return check_result("pid_alloc");
}
