/*
 * The devpts file system ("devpts", mounted on /dev/pts): a directory of
 * the live pseudo-terminal slaves, /dev/pts/N as character devices
 * 136:N, and /dev/pts/ptmx (5:2).  There is one instance: every mount
 * shows the same ptys.
 */
#ifndef KERNEL_TTY_DEVPTS_H
#define KERNEL_TTY_DEVPTS_H

#include "fs/vfs.h"

/* Register the file system type.  Context: boot. */
int devpts_init(void);

/* Pty @index was made (its master opened) / is gone (master closed). */
void devpts_pty_added(unsigned index);
void devpts_pty_removed(unsigned index);

#endif
