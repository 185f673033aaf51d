/* /proc/sys/fs/epoll/max_user_watches: the most items all the epoll
 * instances one user created may hold.  With it set to 5: the sixth
 * EPOLL_CTL_ADD fails with ENOSPC, in the same instance or another of
 * the same user; EPOLL_CTL_DEL and closing an instance give watches
 * back; another user counts apart.  Negative or non-numeric writes are
 * EINVAL.  The value is put back at the end. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/wait.h>

#include "check.h"
#include "proc_util.h"

#define WATCHES_FILE "/proc/sys/fs/epoll/max_user_watches"
#define FDS 12

static int fds[FDS];

static int add(int ep, int fd)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0 ? 0 : errno;
}

/* In a child of another user: its own five, then ENOSPC. */
static int other_user(void)
{
    int ep, bad = 0;

    if (setuid(65534) != 0)
        return 64;
    ep = epoll_create1(0);
    for (int i = 0; i < 5; i++)
        if (add(ep, fds[i]) != 0)
            bad |= 1;
    if (add(ep, fds[5]) != ENOSPC)
        bad |= 2;
    return bad;
}

int main(void)
{
    char saved[32];
    int a, b, status, p[2];
    pid_t pid;

    mount_proc();
    for (int i = 0; i < FDS; i += 2) {
        CHECK(pipe(p) == 0, "pipe");
        fds[i] = p[0];
        fds[i + 1] = p[1];
    }
    snprintf(saved, sizeof(saved), "%s", read_text(WATCHES_FILE));
    CHECK(atol(saved) > 0, "max_user_watches %s", saved);
    CHECK(write_text(WATCHES_FILE, "-1") == EINVAL, "-1");
    CHECK(write_text(WATCHES_FILE, "five") == EINVAL, "not a number");
    CHECK(write_text(WATCHES_FILE, "5\n") == 0, "set 5");
    CHECK(!strcmp(read_text(WATCHES_FILE), "5\n"), "reads %s", text);

    a = epoll_create1(0);
    b = epoll_create1(0);
    for (int i = 0; i < 5; i++)
        CHECK(add(a, fds[i]) == 0, "add %d", i);
    CHECK(add(a, fds[5]) == ENOSPC, "sixth in the same instance: %d", add(a, fds[5]));
    CHECK(add(b, fds[5]) == ENOSPC, "sixth in another instance: %d", add(b, fds[5]));
    CHECK(epoll_ctl(a, EPOLL_CTL_DEL, fds[0], NULL) == 0, "del");
    CHECK(add(b, fds[5]) == 0, "after a del");
    CHECK(add(b, fds[6]) == ENOSPC, "full again");
    close(a); /* four back */
    for (int i = 6; i < 10; i++)
        CHECK(add(b, fds[i]) == 0, "after close: add %d", i);
    CHECK(add(b, fds[10]) == ENOSPC, "full after close");

    pid = fork();
    if (pid == 0)
        _exit(other_user());
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "another user: %#x", WEXITSTATUS(status));

    close(b);
    CHECK(write_text(WATCHES_FILE, saved) == 0, "put back %s", saved);
    return check_result("epoll_limits");
}
