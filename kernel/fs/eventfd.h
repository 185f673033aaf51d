/*
 * eventfd: a 64-bit counter as a file.  A write adds its 8-byte value
 * (blocking while the sum would reach 0xffffffffffffffff), a read takes
 * the whole count, or 1 with EFD_SEMAPHORE (blocking while it is 0);
 * readable while the count is not 0, writable while it is below
 * 0xfffffffffffffffe.
 */
#ifndef KERNEL_FS_EVENTFD_H
#define KERNEL_FS_EVENTFD_H

#include <linux/fcntl.h>
#include "fs/file.h"

/* eventfd2's flags (Linux's include/linux/eventfd.h, not in the UAPI). */
#define EFD_SEMAPHORE (1 << 0)
#define EFD_CLOEXEC O_CLOEXEC
#define EFD_NONBLOCK O_NONBLOCK

/*
 * eventfd_create - a new eventfd ("anon_inode:[eventfd]") counting from
 * @count, with EFD_SEMAPHORE and EFD_NONBLOCK of @flags.  Returns the
 * file (one reference) or NULL when out of memory.
 */
struct file *eventfd_create(unsigned count, unsigned flags);

#endif
