/*
 * The signal mask of a wait (ppoll, pselect6, epoll_pwait, epoll_pwait2):
 * swapped in for the wait as sigsuspend does, in kernel/syscall/poll.c.
 */
#ifndef KERNEL_SYSCALL_SIGMASK_H
#define KERNEL_SYSCALL_SIGMASK_H

#include <frame/types.h>

/*
 * set_user_sigmask - block the user sigset_t at @umask (@size bytes; no
 * change when @umask is 0) until restore_sigmask().  Returns 0, -EINVAL
 * (a size other than 8) or -EFAULT.
 */
int set_user_sigmask(uint64_t umask, uint64_t size);

/*
 * restore_sigmask - put the old mask back now, unless the wait was
 * @interrupted by a signal: then the handler runs with the wait's mask
 * and the old one comes back after it (signal delivery restores it).
 */
void restore_sigmask(bool interrupted);

#endif
