/* Shared by the terminal programs: /dev/pts (devpts), /dev/ptmx and
 * /dev/tty made where missing, so a program runs on Trellis's /dev and on
 * Linux's bare devtmpfs alike. */
#ifndef PTY_UTIL_H
#define PTY_UTIL_H

#include <errno.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "check.h"

static void setup_dev(void)
{
    struct stat st;

    mkdir("/dev", 0755);
    mkdir("/dev/pts", 0755);
    if (stat("/dev/pts/ptmx", &st) != 0)
        CHECK(mount("devpts", "/dev/pts", "devpts", 0, "") == 0,
              "mount devpts: errno %d", errno);
    if (stat("/dev/ptmx", &st) != 0)
        mknod("/dev/ptmx", S_IFCHR | 0666, makedev(5, 2));
    if (stat("/dev/tty", &st) != 0)
        mknod("/dev/tty", S_IFCHR | 0666, makedev(5, 0));
}

#endif
