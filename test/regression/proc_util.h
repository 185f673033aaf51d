/* Shared by the programs that read and write /proc: /proc mounted where
 * it is missing (a program is PID 1 of its boot, on Trellis and Linux),
 * and a file's whole text read or written in one call. */
#ifndef PROC_UTIL_H
#define PROC_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

static inline void mount_proc(void)
{
    mkdir("/proc", 0555);
    if (access("/proc/self/stat", R_OK) != 0 && mount("proc", "/proc", "proc", 0, NULL) != 0)
        printf("mount proc: %s\n", strerror(errno));
}

static char text[4096] __attribute__((unused));

/* The text of @path (in text[]), or "" when it cannot be read. */
static inline const char *read_text(const char *path)
{
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

    text[n > 0 ? n : 0] = '\0';
    if (fd >= 0)
        close(fd);
    return text;
}

/* Write @s to @path in one write, as a shell's "echo s > path" opens it;
 * returns the errno of the open or the write, or 0. */
static inline int write_text(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = 0;

    if (fd < 0)
        return errno;
    if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
        err = errno;
    close(fd);
    return err;
}
#endif
