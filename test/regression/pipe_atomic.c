/* PIPE_BUF atomicity: four writer processes each write 64 records of
 * PIPE_BUF bytes (every byte says who wrote it and which record) through
 * one pipe far smaller than all of them, so they block and race; the
 * reader, reading in odd sizes, must find every record whole and each
 * writer's records in order. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "check.h"

#define WRITERS 4
#define RECORDS 64

static unsigned char rec[PIPE_BUF], got[PIPE_BUF];

int main(void)
{
    int p[2], next[WRITERS] = { 0 }, status;
    size_t fill = 0;
    long total = 0, r;

    CHECK(pipe(p) == 0, "pipe");
    for (int w = 0; w < WRITERS; w++) {
        if (fork() == 0) {
            close(p[0]);
            for (int i = 0; i < RECORDS; i++) {
                memset(rec, (w << 6) | i, sizeof(rec));
                if (write(p[1], rec, sizeof(rec)) != sizeof(rec))
                    _exit(1);
            }
            _exit(0);
        }
    }
    close(p[1]);
    /* odd read sizes: records are checked once reassembled */
    for (int k = 0; (r = read(p[0], got + fill, (size_t)(1000 + 777 * (k % 5)) <
                                                      sizeof(got) - fill ?
                                                  (size_t)(1000 + 777 * (k % 5)) :
                                                  sizeof(got) - fill)) > 0; k++) {
        fill += r;
        total += r;
        if (fill < sizeof(got))
            continue;
        fill = 0;
        {
            int w = got[0] >> 6, i = got[0] & 63, whole = 1;

            for (size_t j = 1; j < sizeof(got); j++)
                whole &= got[j] == got[0];
            CHECK(whole, "record of writer %d #%d mixed", w, i);
            CHECK(i == next[w], "writer %d: record %d, expected %d", w, i, next[w]);
            next[w] = i + 1;
        }
    }
    CHECK(r == 0, "EOF: r %ld errno %d", r, errno);
    CHECK(total == (long)WRITERS * RECORDS * PIPE_BUF, "total %ld", total);
    for (int w = 0; w < WRITERS; w++) {
        CHECK(wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "writer status %#x", status);
        CHECK(next[w] == RECORDS, "writer %d: %d records", w, next[w]);
    }
    return check_result("pipe_atomic");
}
