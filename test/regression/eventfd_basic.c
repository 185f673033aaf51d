/* eventfd and eventfd2: flags (EINVAL, EFD_CLOEXEC, EFD_NONBLOCK), an
 * anonymous inode "anon_inode:[eventfd]" without a position (pread:
 * ESPIPE); 8-byte reads and writes (EINVAL below 8 bytes and for
 * 0xffffffffffffffff, EFAULT), a read taking the whole count or 1 with
 * EFD_SEMAPHORE, EAGAIN when it would block; the count's ceiling
 * 0xfffffffffffffffe; a blocked read woken by a write, a blocked write
 * woken by a read, both from other processes; poll (POLLIN, POLLOUT, no
 * POLLRDNORM, as Linux) and epoll, edge-triggered at each write. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "check.h"

#define MAX 0xfffffffffffffffeull

static int put(int fd, uint64_t v)
{
    return write(fd, &v, sizeof(v)) == sizeof(v) ? 0 : -1;
}

/* The count read, or 0 with errno on failure. */
static uint64_t get(int fd)
{
    uint64_t v = 0;

    return read(fd, &v, sizeof(v)) == sizeof(v) ? v : 0;
}

static short revents(int fd)
{
    struct pollfd pf = { .fd = fd, .events = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM };

    return poll(&pf, 1, 0) == 1 ? pf.revents : 0;
}

int main(void)
{
    char link[64], text[64], big[32];
    struct epoll_event ev;
    uint64_t v;
    int fd, ep, status;
    pid_t child;
    ssize_t n;

    mkdir("/proc", 0555);
    if (access("/proc/self/fd", R_OK) != 0)
        CHECK(mount("proc", "/proc", "proc", 0, 0) == 0, "mount proc: errno %d", errno);

    errno = 0;
    CHECK(eventfd(0, 4) == -1 && errno == EINVAL, "bad flags: errno %d", errno);
    fd = syscall(SYS_eventfd, 2);
    CHECK(fd >= 0 && get(fd) == 2, "eventfd(2)");
    CHECK(fcntl(fd, F_GETFD) == 0 && (fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) == O_RDWR,
          "plain flags %#x", fcntl(fd, F_GETFL));
    close(fd);

    fd = eventfd(5, EFD_NONBLOCK | EFD_CLOEXEC);
    CHECK(fd >= 0, "eventfd2: errno %d", errno);
    CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "cloexec");
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "nonblock");
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, text, sizeof(text));
    CHECK(n == 20 && !memcmp(text, "anon_inode:[eventfd]", 20), "link %.*s", (int)(n > 0 ? n : 0), text);
    errno = 0;
    CHECK(pread(fd, &v, 8, 0) == -1 && errno == ESPIPE, "pread: errno %d", errno);

    /* sizes and values */
    errno = 0;
    CHECK(read(fd, &v, 4) == -1 && errno == EINVAL, "short read: errno %d", errno);
    errno = 0;
    CHECK(write(fd, &v, 7) == -1 && errno == EINVAL, "short write: errno %d", errno);
    v = UINT64_MAX;
    errno = 0;
    CHECK(write(fd, &v, 8) == -1 && errno == EINVAL, "all ones: errno %d", errno);
    errno = 0;
    CHECK(write(fd, (void *)1, 8) == -1 && errno == EFAULT, "efault: errno %d", errno);
    CHECK(revents(fd) == (POLLIN | POLLOUT), "count 5: %#x", revents(fd));
    memset(big, 0, sizeof(big));
    CHECK(read(fd, big, sizeof(big)) == 8 && !memcmp(big, &(uint64_t){ 5 }, 8), "whole count, 8 bytes");
    errno = 0;
    CHECK(read(fd, &v, 8) == -1 && errno == EAGAIN, "empty: errno %d", errno);
    CHECK(revents(fd) == POLLOUT, "count 0: %#x", revents(fd));
    CHECK(put(fd, 3) == 0 && put(fd, 4) == 0 && put(fd, 0) == 0, "writes add");
    CHECK(get(fd) == 7, "sum");

    /* the ceiling */
    CHECK(put(fd, MAX) == 0, "up to the ceiling: errno %d", errno);
    errno = 0;
    CHECK(put(fd, 1) == -1 && errno == EAGAIN, "above: errno %d", errno);
    CHECK(put(fd, 0) == 0, "0 still fits");
    CHECK(revents(fd) == POLLIN, "full: %#x", revents(fd));
    CHECK(get(fd) == MAX, "max read");

    /* semaphore */
    close(fd);
    fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
    CHECK(get(fd) == 1 && get(fd) == 1 && get(fd) == 1, "one at a time");
    errno = 0;
    CHECK(read(fd, &v, 8) == -1 && errno == EAGAIN, "semaphore empty: errno %d", errno);
    close(fd);

    /* a blocked read, woken by another process's write */
    fd = eventfd(0, 0);
    child = fork();
    if (child == 0) {
        usleep(100000);
        _exit(put(fd, 9) == 0 ? 0 : 1);
    }
    CHECK(get(fd) == 9, "blocked read");
    CHECK(waitpid(child, &status, 0) == child && status == 0, "writer");

    /* a blocked write, woken by a read */
    CHECK(put(fd, MAX - 1) == 0, "almost full");
    child = fork();
    if (child == 0)
        _exit(put(fd, 5) == 0 ? 0 : 1);
    usleep(100000);
    CHECK(waitpid(child, &status, WNOHANG) == 0, "the writer waits");
    CHECK(get(fd) == MAX - 1, "read makes room");
    CHECK(waitpid(child, &status, 0) == child && status == 0, "writer done");
    CHECK(get(fd) == 5, "its value");

    /* F_SETFL O_NONBLOCK */
    fcntl(fd, F_SETFL, O_NONBLOCK);
    errno = 0;
    CHECK(read(fd, &v, 8) == -1 && errno == EAGAIN, "set nonblock: errno %d", errno);

    /* epoll: level- then edge-triggered, a write of 0 is a change */
    ep = epoll_create1(0);
    ev = (struct epoll_event){ .events = EPOLLIN | EPOLLOUT, .data.u64 = 77 };
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0, "add");
    CHECK(epoll_wait(ep, &ev, 1, 0) == 1 && ev.events == EPOLLOUT && ev.data.u64 == 77, "out");
    ev = (struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.u64 = 78 };
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) == 0, "mod");
    CHECK(epoll_wait(ep, &ev, 1, 0) == 0, "nothing to read");
    CHECK(put(fd, 2) == 0, "write");
    CHECK(epoll_wait(ep, &ev, 1, 0) == 1 && ev.events == EPOLLIN && ev.data.u64 == 78, "edge");
    CHECK(epoll_wait(ep, &ev, 1, 0) == 0, "once");
    CHECK(put(fd, 0) == 0, "write 0");
    CHECK(epoll_wait(ep, &ev, 1, 0) == 1, "another edge");
    CHECK(get(fd) == 2, "read");
    CHECK(put(fd, 0) == 0, "write 0 to nothing");
    CHECK(epoll_wait(ep, &ev, 1, 0) == 0, "not readable: no edge");
    child = fork();
    if (child == 0) {
        usleep(100000);
        _exit(put(fd, 1) == 0 ? 0 : 1);
    }
    CHECK(epoll_wait(ep, &ev, 1, -1) == 1 && ev.data.u64 == 78, "woken by the child");
    CHECK(waitpid(child, &status, 0) == child && status == 0, "child");
    close(ep);
    close(fd);
    return check_result("eventfd_basic");
}
