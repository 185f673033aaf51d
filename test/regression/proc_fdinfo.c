/* /proc/PID/fdinfo: one file per open fd, listed like fd/, with the
 * position, flags (with O_CLOEXEC for a close-on-exec fd), mount id and
 * inode number, then what the file's kind adds: eventfd's count,
 * timerfd's clock, ticks, settime flags and setting, signalfd's mask and
 * epoll's watched fds.  Values are compared with what the program knows
 * (fstat's inode number, the position after a read, the flags given). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

#include "check.h"
#include "proc_util.h"


/* The text of /proc/self/fdinfo/@fd, or "" when it cannot be read. */
static const char *fdinfo(int fd)
{
    char path[64];

    snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
    return read_text(path);
}

/* The rest of the line of @t that starts with @key, or NULL. */
static const char *field(const char *t, const char *key)
{
    size_t k = strlen(key);

    for (const char *l = t; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
        if (!strncmp(l, key, k))
            return l + k;
    return NULL;
}

/* Whether the line starting with @key has exactly @want after it. */
static int line_is(const char *t, const char *key, const char *want)
{
    const char *v = field(t, key);
    size_t n = strlen(want);

    return v && !strncmp(v, want, n) && (v[n] == '\n' || v[n] == '\0');
}

static unsigned long long num_field(const char *t, const char *key, int base)
{
    const char *v = field(t, key);

    return v ? strtoull(v, NULL, base) : ~0ULL;
}

static void test_regular_file(void)
{
    const char *t;
    char want[64], buf[5];
    struct stat st;
    int tmp = open("/tmp/fdinfo.txt", O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    int fd;

    CHECK(tmp >= 0, "open /tmp/fdinfo.txt: errno %d", errno);
    CHECK(write(tmp, "hello world", 11) == 11, "write");
    CHECK(lseek(tmp, 3, SEEK_SET) == 3 && read(tmp, buf, 5) == 5, "seek and read");
    CHECK(fstat(tmp, &st) == 0, "fstat");
    t = fdinfo(tmp);
    CHECK(line_is(t, "pos:\t", "8"), "pos: %s", t);
    /* O_RDWR | O_APPEND | O_LARGEFILE (set by open on 64-bit) | O_CLOEXEC */
    snprintf(want, sizeof(want), "0%o", O_RDWR | O_APPEND | O_LARGEFILE | O_CLOEXEC);
    CHECK(line_is(t, "flags:\t", want), "flags: want %s in\n%s", want, t);
    snprintf(want, sizeof(want), "%llu", (unsigned long long)st.st_ino);
    CHECK(line_is(t, "ino:\t", want), "ino: want %s in\n%s", want, t);
    CHECK(field(t, "mnt_id:\t") && num_field(t, "mnt_id:\t", 10) > 0, "mnt_id in\n%s", t);

    /* without close-on-exec; read-only */
    fd = open("/tmp/fdinfo.txt", O_RDONLY);
    t = fdinfo(fd);
    snprintf(want, sizeof(want), "0%o", O_RDONLY | O_LARGEFILE);
    CHECK(line_is(t, "flags:\t", want), "read-only flags: want %s in\n%s", want, t);
    CHECK(line_is(t, "pos:\t", "0"), "read-only pos in\n%s", t);
    close(fd);
    close(tmp);
    unlink("/tmp/fdinfo.txt");

    /* a closed fd has no file */
    errno = 0;
    CHECK(open("/proc/self/fdinfo/999", O_RDONLY) == -1 && errno == ENOENT,
          "fdinfo of a closed fd: errno %d", errno);
}

static void test_listing(void)
{
    int fd = eventfd(0, 0), seen = 0;
    DIR *d = opendir("/proc/self/fdinfo");
    struct dirent *e;
    char name[16];

    CHECK(d != NULL, "opendir fdinfo: errno %d", errno);
    if (!d)
        return;
    snprintf(name, sizeof(name), "%d", fd);
    while ((e = readdir(d)))
        if (!strcmp(e->d_name, name))
            seen++;
    closedir(d);
    CHECK(seen == 1, "fd %d listed %d times in fdinfo/", fd, seen);
    close(fd);
}

static void test_eventfd(void)
{
    int fd = eventfd(5, EFD_NONBLOCK);
    uint64_t add = 0x30;
    const char *t;
    char want[64];

    CHECK(write(fd, &add, sizeof(add)) == sizeof(add), "eventfd write");
    t = fdinfo(fd);
    CHECK(line_is(t, "eventfd-count: ", "              35"), "eventfd-count in\n%s", t);
    snprintf(want, sizeof(want), "0%o", O_RDWR | O_NONBLOCK);
    CHECK(line_is(t, "flags:\t", want), "eventfd flags: want %s in\n%s", want, t);
    CHECK(line_is(t, "pos:\t", "0"), "eventfd pos in\n%s", t);
    close(fd);
}

static void test_timerfd(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = { .it_interval = { 2, 500 }, .it_value = { 100, 0 } };
    unsigned long long sec;
    const char *t;

    CHECK(timerfd_settime(fd, 0, &its, NULL) == 0, "timerfd_settime");
    t = fdinfo(fd);
    CHECK(line_is(t, "clockid: ", "1"), "clockid in\n%s", t);
    CHECK(line_is(t, "ticks: ", "0"), "ticks in\n%s", t);
    CHECK(line_is(t, "settime flags: ", "00"), "settime flags in\n%s", t);
    CHECK(line_is(t, "it_interval: ", "(2, 500)"), "it_interval in\n%s", t);
    sec = num_field(t, "it_value: (", 10);
    CHECK(sec >= 90 && sec <= 99, "it_value in\n%s", t);
    close(fd);

    fd = timerfd_create(CLOCK_REALTIME, 0);
    its.it_value.tv_sec = 1;
    its.it_interval.tv_sec = its.it_interval.tv_nsec = 0;
    CHECK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) == 0, "abs in the past");
    usleep(10000);
    t = fdinfo(fd);
    CHECK(line_is(t, "clockid: ", "0"), "realtime clockid in\n%s", t);
    CHECK(line_is(t, "ticks: ", "1"), "expired: ticks in\n%s", t);
    CHECK(line_is(t, "settime flags: ", "01"), "abs settime flags in\n%s", t);
    CHECK(line_is(t, "it_value: ", "(0, 0)"), "expired it_value in\n%s", t);
    close(fd);
}

static void test_signalfd(void)
{
    sigset_t set;
    int fd;
    const char *t;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGKILL); /* never taken */
    fd = signalfd(-1, &set, SFD_CLOEXEC);
    t = fdinfo(fd);
    CHECK(line_is(t, "sigmask:\t", "0000000000000202"), "sigmask in\n%s", t);
    close(fd);
}

static void test_epoll(void)
{
    int ep = epoll_create1(0), p[2], efd = eventfd(0, 0), found = 0;
    struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u64 = 0x1234abcd };
    char want[128];
    struct stat st;
    const char *t, *l;

    CHECK(pipe(p) == 0, "pipe");
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "epoll_ctl pipe");
    ev.events = EPOLLOUT;
    ev.data.u64 = 7;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0, "epoll_ctl eventfd");
    t = fdinfo(ep);
    fstat(p[0], &st);
    /* EPOLLERR and EPOLLHUP are always added */
    snprintf(want, sizeof(want), "tfd: %8d events: %8x data: %16llx  pos:0 ino:%llx ", p[0],
             EPOLLIN | EPOLLET | EPOLLERR | EPOLLHUP, 0x1234abcdULL,
             (unsigned long long)st.st_ino);
    for (l = t; (l = strstr(l, "tfd: ")); l++)
        found += !strncmp(l, want, strlen(want));
    CHECK(found == 1, "epoll: want \"%s\" in\n%s", want, t);
    snprintf(want, sizeof(want), "tfd: %8d events: %8x data: %16llx  pos:0 ino:", efd,
             EPOLLOUT | EPOLLERR | EPOLLHUP, 7ULL);
    CHECK(strstr(t, want) != NULL, "epoll: want \"%s\" in\n%s", want, t);
    close(ep);
    close(p[0]);
    close(p[1]);
    close(efd);
}


int main(void)
{
    mount_proc();
    test_regular_file();
    test_listing();
    test_eventfd();
    test_timerfd();
    test_signalfd();
    test_epoll();
    return check_result("proc_fdinfo");
}
