/*
 * signalfd: reading the file takes pending signals of its mask, those of
 * the reading thread then those of its process, as struct
 * signalfd_siginfo records (blocking while there is none); it is
 * readable while the thread that polls it has such a signal pending.
 * The signals are normally blocked, so that only the file sees them.
 */
#ifndef KERNEL_FS_SIGNALFD_H
#define KERNEL_FS_SIGNALFD_H

#include "fs/file.h"

/*
 * signalfd_create - a new signalfd for the signals of @mask (a sigset_t
 * of signals 1..64; SIGKILL and SIGSTOP are dropped) with SFD_NONBLOCK of
 * @flags: "anon_inode:[signalfd]".  Returns the file (one reference) or
 * NULL when out of memory.
 */
struct file *signalfd_create(uint64_t mask, unsigned flags);

/* file_is_signalfd - whether @f is a signalfd. */
bool file_is_signalfd(const struct file *f);

/* signalfd_set_mask - the signals @f reads from now on. */
void signalfd_set_mask(struct file *f, uint64_t mask);

/*
 * signalfd_notify - signal @sig became pending for a thread or a process:
 * wake the readers and pollers of the signalfds whose mask has it.  Called
 * by whatever makes a signal pending (signal_send), without the process's
 * siglock.  Context: any.
 */
void signalfd_notify(int sig);

#endif
