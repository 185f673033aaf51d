/*
 * Paths from user memory for the file calls: copied into a kernel buffer
 * of VFS_PATH_MAX bytes, with Linux's errors.
 */
#ifndef KERNEL_SYSCALL_PATH_H
#define KERNEL_SYSCALL_PATH_H

#include <frame/types.h>

/*
 * path_from_user - copy the NUL-terminated path at @u.  Returns the copy
 * (free it with path_free) or NULL with @err: -EFAULT, -ENAMETOOLONG,
 * -ENOMEM.  An empty path is returned (callers decide: -ENOENT unless
 * AT_EMPTY_PATH).
 */
char *path_from_user(uint64_t u, long *err);
void path_free(char *path);

/* The caller's umask. */
unsigned current_umask(void);

#endif
