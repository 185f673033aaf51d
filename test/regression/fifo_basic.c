/* FIFOs in a tmpfs: mkfifo and mknod(S_IFIFO) make them; a reader opened
 * O_NONBLOCK does not wait; a writer opened O_NONBLOCK without a reader is
 * ENXIO; blocking opens wait for the other side; O_RDWR never waits; data
 * flows between the opens and is gone once everybody closed; a blocking
 * open is interrupted by a signal (EINTR without SA_RESTART); a
 * non-blocking reader sees no hang-up before any writer came. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "check.h"

static void nap(int ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

static void on_alarm(int sig)
{
}

int main(void)
{
    int r, w, rw, status;
    char buf[32];
    struct stat st;
    struct pollfd pfd;
    pid_t child;
    struct sigaction sa;

    mkdir("/tmp", 0777);
    CHECK(mount("tmpfs", "/tmp", "tmpfs", 0, 0) == 0, "mount: errno %d", errno);
    CHECK(mkfifo("/tmp/f", 0644) == 0, "mkfifo: errno %d", errno);
    CHECK(stat("/tmp/f", &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0644,
          "stat mode %o", st.st_mode);
    CHECK(mknod("/tmp/g", S_IFIFO | 0600, 0) == 0, "mknod: errno %d", errno);
    CHECK(stat("/tmp/g", &st) == 0 && S_ISFIFO(st.st_mode), "mknod mode %o", st.st_mode);
    errno = 0;
    CHECK(mkfifo("/tmp/f", 0644) == -1 && errno == EEXIST, "mkfifo again: errno %d", errno);

    /* no writer yet: a non-blocking reader opens, reads nothing, no EOF */
    r = open("/tmp/f", O_RDONLY | O_NONBLOCK);
    CHECK(r >= 0, "open reader nonblock: errno %d", errno);
    errno = 0;
    CHECK(read(r, buf, sizeof(buf)) == 0, "no writer ever: read 0 (errno %d)", errno);
    pfd = (struct pollfd){ .fd = r, .events = POLLIN };
    CHECK(poll(&pfd, 1, 0) == 0 && pfd.revents == 0, "no hang-up before a writer: %#x", pfd.revents);

    /* a non-blocking writer opens now, and data flows */
    w = open("/tmp/f", O_WRONLY | O_NONBLOCK);
    CHECK(w >= 0, "open writer nonblock: errno %d", errno);
    CHECK(write(w, "ping", 4) == 4, "write");
    CHECK(read(r, buf, sizeof(buf)) == 4 && !memcmp(buf, "ping", 4), "read");
    errno = 0;
    CHECK(read(r, buf, sizeof(buf)) == -1 && errno == EAGAIN, "empty: errno %d", errno);
    CHECK(fstat(w, &st) == 0 && S_ISFIFO(st.st_mode), "fstat");
    close(w);
    /* the writer came and went: hang-up, EOF */
    pfd.revents = 0;
    CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP), "hang-up: %#x", pfd.revents);
    CHECK(read(r, buf, sizeof(buf)) == 0, "EOF");
    close(r);

    /* no reader: a non-blocking writer gets ENXIO */
    errno = 0;
    CHECK(open("/tmp/f", O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO, "ENXIO: errno %d", errno);

    /* O_RDWR never waits, and is both ends */
    rw = open("/tmp/f", O_RDWR);
    CHECK(rw >= 0, "O_RDWR: errno %d", errno);
    CHECK(write(rw, "self", 4) == 4 && read(rw, buf, 4) == 4 && !memcmp(buf, "self", 4), "rdwr loop");
    /* the data left in it is dropped when the last one closes */
    CHECK(write(rw, "stale", 5) == 5, "write stale");
    close(rw);
    rw = open("/tmp/f", O_RDWR | O_NONBLOCK);
    errno = 0;
    CHECK(read(rw, buf, sizeof(buf)) == -1 && errno == EAGAIN, "fresh pipe: errno %d", errno);
    close(rw);

    /* blocking opens wait for each other */
    child = fork();
    if (child == 0) {
        int fd = open("/tmp/f", O_WRONLY); /* waits for the reader */

        if (fd < 0 || write(fd, "hello", 5) != 5)
            _exit(1);
        _exit(0);
    }
    nap(100);
    r = open("/tmp/f", O_RDONLY);
    CHECK(r >= 0, "blocking reader: errno %d", errno);
    memset(buf, 0, sizeof(buf));
    {
        int got = 0, n;

        while ((n = read(r, buf + got, sizeof(buf) - got)) > 0)
            got += n;
        CHECK(got == 5 && !memcmp(buf, "hello", 5), "from child: %d %s", got, buf);
    }
    CHECK(waitpid(child, &status, 0) == child && status == 0, "writer child %#x", status);
    close(r);

    child = fork();
    if (child == 0) {
        int fd = open("/tmp/g", O_RDONLY); /* waits for the writer */
        char b[8];

        if (fd < 0 || read(fd, b, sizeof(b)) != 3 || memcmp(b, "abc", 3))
            _exit(1);
        _exit(read(fd, b, sizeof(b)) == 0 ? 0 : 2);
    }
    nap(100);
    w = open("/tmp/g", O_WRONLY);
    CHECK(w >= 0, "blocking writer: errno %d", errno);
    CHECK(write(w, "abc", 3) == 3, "write abc");
    close(w);
    CHECK(waitpid(child, &status, 0) == child && status == 0, "reader child %#x", status);

    /* a signal interrupts a blocking open */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    errno = 0;
    CHECK(open("/tmp/f", O_RDONLY) == -1 && errno == EINTR, "interrupted open: errno %d", errno);
    /* and the interrupted open left no reader behind */
    errno = 0;
    CHECK(open("/tmp/f", O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO, "no reader left: errno %d", errno);

    CHECK(unlink("/tmp/f") == 0 && unlink("/tmp/g") == 0, "unlink");
    return check_result("fifo_basic");
}
