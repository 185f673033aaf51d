/*
 * epoll: an instance watches a set of open files (its interest list: one
 * item per file and the fd it was added with) and reports those that are
 * ready, level- or edge-triggered, once (EPOLLONESHOT) or always.  Items
 * follow their files' wait queues with callback waiters that feed a ready
 * list, so a wait looks only at the files that were woken.  An item goes
 * when its file does (the open file description, not one of its fds), at
 * EPOLL_CTL_DEL, or with its instance.  See eventpoll.c for the locking.
 */
#ifndef KERNEL_FS_EVENTPOLL_H
#define KERNEL_FS_EVENTPOLL_H

#include <frame/sync.h>
#include <linux/eventpoll.h>
#include "fs/file.h"

struct eventpoll;
struct epitem;

/* How deep epoll instances may watch each other (Linux's EP_MAX_NESTS). */
#define EP_MAX_NESTS 4

/*
 * eventpoll_create - a new epoll instance as an open file
 * ("anon_inode:[eventpoll]") whose items count against user @uid's
 * watches.  Returns the file (one reference) or NULL when out of memory.
 * Context: task context.
 */
struct file *eventpoll_create(uint32_t uid);

/*
 * eventpoll_max_user_watches / eventpoll_set_max_user_watches - the most
 * items one user's instances may have (adding more gives -ENOSPC);
 * setting a negative one is -EINVAL.  Context: any.
 */
long eventpoll_max_user_watches(void);
int eventpoll_set_max_user_watches(long max);

/* file_is_epoll - whether @f is an epoll instance. */
bool file_is_epoll(const struct file *f);

/*
 * eventpoll_ctl - epoll_ctl(2) on @epf for the file @tf, open as @fd in
 * the caller's table: @op EPOLL_CTL_ADD, _MOD (with @ev) or _DEL (@ev
 * unused), both files referenced by the caller.  Returns 0, -EPERM (@tf
 * cannot be polled), -EINVAL (@epf is no epoll or is @tf, a bad op, a
 * bad EPOLLEXCLUSIVE), -ELOOP (watching it would make a cycle or too
 * deep a nest), -EEXIST, -ENOENT, -ENOMEM, -ENOSPC (max_user_watches).
 * Context: task context.
 */
int eventpoll_ctl(struct file *epf, int op, struct file *tf, int fd,
		  const struct epoll_event *ev);

/*
 * eventpoll_wait - epoll_wait(2) on the epoll file @epf: report up to
 * @maxevents (> 0) ready items into @events (struct epoll_event), waiting
 * until one is ready, the monotonic clock reaches @deadline_ns (0: no
 * wait, KTIME_NEVER: none) or a signal is to be taken.  Returns the number
 * reported, 0 on timeout, -EINTR or -EFAULT.  Context: task context.
 */
long eventpoll_wait(struct file *epf, const struct iobuf *events,
		    int maxevents, uint64_t deadline_ns);

/*
 * eventpoll_release - the last reference to @f is gone: remove it from
 * every epoll instance that watches it.  Context: task context, in
 * file_put(), before the file's own release.
 */
void eventpoll_release(struct file *f);

/*
 * ep_poll_wait - the poll_wait() of an epoll registration table (see
 * poll.h): hook item @epi on @wq.  Context: in a poll operation called by
 * epoll with its instance's mutex held.
 */
void ep_poll_wait(struct epitem *epi, struct fr_waitqueue *wq);

#endif
