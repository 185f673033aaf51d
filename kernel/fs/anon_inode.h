/*
 * Anonymous inodes: the files that are objects of their own rather than
 * names in a file system (epoll, eventfd, timerfd, signalfd), all on one
 * inode of an internal file system as in Linux's anon_inodefs.  Such a
 * file has no position (pread, pwrite: -ESPIPE; lseek leaves it at 0,
 * with anon_inode_llseek as its llseek), its mode is 0600 without a file
 * type, and /proc/PID/fd shows it as "anon_inode:NAME".
 */
#ifndef KERNEL_FS_ANON_INODE_H
#define KERNEL_FS_ANON_INODE_H

#include "fs/file.h"

/*
 * anon_inode_file - a new open file named @name ("[eventfd]"; a string
 * that lives forever) with @fop, readable and writable, with the O_*
 * status flags of @flags that such files keep (O_NONBLOCK).  The caller
 * sets f->priv.  Returns the file (one reference), or NULL when out of
 * memory.  Context: task context.
 */
struct file *anon_inode_file(const char *name, const struct file_ops *fop,
			     unsigned flags);

/* anon_inode_llseek - Linux's noop_llseek: the position, always 0. */
int64_t anon_inode_llseek(struct file *f, int64_t off, int whence);

#endif
