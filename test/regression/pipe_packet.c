/* Packet pipes (pipe2 O_DIRECT): each write is a packet (larger writes
 * are cut into PIPE_BUF-sized ones), each read returns one packet and
 * drops what did not fit; every packet takes a page, so 16 fit. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static char buf[8192], out[8192];

int main(void)
{
    int p[2], n = 0;

    for (int i = 0; i < (int)sizeof(buf); i++)
        buf[i] = (char)i;
    CHECK(pipe2(p, O_DIRECT | O_NONBLOCK) == 0, "pipe2: errno %d", errno);
    CHECK(fcntl(p[1], F_GETFL) & O_DIRECT, "O_DIRECT kept");
    CHECK(write(p[1], buf, 100) == 100 && write(p[1], buf + 100, 200) == 200 &&
              write(p[1], buf + 300, 300) == 300, "three packets");
    CHECK(read(p[0], out, sizeof(out)) == 100 && !memcmp(out, buf, 100), "first");
    CHECK(read(p[0], out, sizeof(out)) == 200 && !memcmp(out, buf + 100, 200), "second");
    CHECK(read(p[0], out, 50) == 50 && !memcmp(out, buf + 300, 50), "cut third");
    errno = 0;
    CHECK(read(p[0], out, sizeof(out)) == -1 && errno == EAGAIN, "rest dropped: errno %d", errno);

    CHECK(write(p[1], buf, 5000) == 5000, "large write");
    CHECK(read(p[0], out, sizeof(out)) == PIPE_BUF && !memcmp(out, buf, PIPE_BUF), "page packet");
    CHECK(read(p[0], out, sizeof(out)) == 5000 - PIPE_BUF && !memcmp(out, buf + PIPE_BUF, 904), "tail packet");

    while (write(p[1], "x", 1) == 1 && n < 100)
        n++;
    CHECK(n == 16 && errno == EAGAIN, "16 one-byte packets, got %d (errno %d)", n, errno);
    for (int i = 0; i < 16; i++)
        CHECK(read(p[0], out, sizeof(out)) == 1, "packet %d", i);
    /* without O_DIRECT the same pipe merges again */
    CHECK(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0, "F_SETFL");
    CHECK(write(p[1], "ab", 2) == 2 && write(p[1], "cd", 2) == 2, "stream writes");
    CHECK(read(p[0], out, sizeof(out)) == 4 && !memcmp(out, "abcd", 4), "merged");
    return check_result("pipe_packet");
}
