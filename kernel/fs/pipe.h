/*
 * Pipes and FIFOs (interface; the implementation comes with pipe.c).
 */
#ifndef KERNEL_FS_PIPE_H
#define KERNEL_FS_PIPE_H

#include "fs/file.h"

/* The file operations of an opened FIFO (S_IFIFO inode). */
extern const struct file_ops fifo_fops;

/* fcntl F_GETPIPE_SZ / F_SETPIPE_SZ on @f; -EBADF when not a pipe. */
long pipe_fcntl(struct file *f, unsigned cmd, uint64_t arg);

#endif
