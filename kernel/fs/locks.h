/*
 * Advisory file locks: POSIX record locks (fcntl F_SETLK..., owned by the
 * fd table and dropped when it closes any fd of the file), open file
 * description locks (F_OFD_*, owned by the open file) and flock(2) locks
 * (owned by the open file, apart from the other two kinds).
 */
#ifndef KERNEL_FS_LOCKS_H
#define KERNEL_FS_LOCKS_H

#include "fs/file.h"

void locks_init(void);

/* fcntl's lock commands on @f with the user's struct flock at @arg. */
long locks_fcntl(struct file *f, unsigned cmd, uint64_t arg);
/* flock(2) on @f: LOCK_SH, LOCK_EX, LOCK_UN, with LOCK_NB. */
long locks_flock(struct file *f, unsigned op);

/* The fd table @t closes an fd of @f: its POSIX locks on the file go. */
void locks_remove_posix(struct file *f, const struct fd_table *t);
/* The last reference to @f goes: its OFD and flock locks go. */
void locks_remove_file(struct file *f);

#endif
