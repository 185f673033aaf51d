/*
 * timerfd: a timer as a file.  It expires at a time of its clock
 * (CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME and their _ALARM
 * forms), then every interval if it has one; a read returns the number of
 * expirations since the last read or setting as an 8-byte count (blocking
 * while there is none), and the file is readable while that count is not
 * 0.  As in Linux a periodic timer that expired is moved on (its missed
 * expirations counted) when it is read or asked for its time, not at
 * every interval.
 */
#ifndef KERNEL_FS_TIMERFD_H
#define KERNEL_FS_TIMERFD_H

#include "fs/file.h"

/*
 * timerfd_file_create - a new disarmed timer on @clockid (checked by the
 * caller), with TFD_NONBLOCK of @flags: "anon_inode:[timerfd]".  Returns
 * the file (one reference) or NULL when out of memory.
 */
struct file *timerfd_file_create(int clockid, unsigned flags);

/* file_is_timerfd - whether @f is a timerfd. */
bool file_is_timerfd(const struct file *f);

/*
 * timerfd_set - timerfd_settime() on @f: arm it to expire at @value ns of
 * its clock (TFD_TIMER_ABSTIME in @flags) or @value ns from now, then
 * every @interval ns (0: once); a @value of 0 disarms it.  Unread
 * expirations are dropped.  The setting it had goes to @old_value (time
 * left, 0 when disarmed) and @old_interval.
 */
void timerfd_set(struct file *f, unsigned flags, uint64_t value,
		 uint64_t interval, uint64_t *old_value,
		 uint64_t *old_interval);

/*
 * timerfd_clock_was_set - the wall clock was set: move the timers set to
 * an absolute time of it, and cancel those set with
 * TFD_TIMER_CANCEL_ON_SET (their next read fails with ECANCELED).
 * Context: task context.
 */
void timerfd_clock_was_set(void);

/* timerfd_get - timerfd_gettime(): the time left and the interval. */
void timerfd_get(struct file *f, uint64_t *value, uint64_t *interval);

#endif
