/*
 * Kernel-internal return codes of a blocking call interrupted by a signal,
 * as Linux has them.  They never reach user space: on the way out, the
 * signal code turns them into -EINTR or restarts the call.
 *
 *   -ERESTARTSYS            restart if the handler has SA_RESTART or the
 *                           signal had no handler, else -EINTR
 *   -ERESTARTNOINTR         always restart
 *   -ERESTARTNOHAND         restart only when no handler ran, else -EINTR
 *   -ERESTART_RESTARTBLOCK  as -ERESTARTNOHAND (calls with a relative
 *                           timeout; the restart sleeps the whole time again)
 */
#ifndef KERNEL_SYSCALL_RESTART_H
#define KERNEL_SYSCALL_RESTART_H

#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

#endif
