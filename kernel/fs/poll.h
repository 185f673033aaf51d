/*
 * Readiness: a file's poll operation returns its ready events (POLLIN,
 * POLLOUT...) and registers the waitqueues that will be woken when they
 * change with poll_wait().  poll(2), select(2) and their variants sleep on
 * every registered queue at once.  Everything pollable (pipes, ttys,
 * files) shares this one mechanism; epoll will build on it.
 *
 * A poll table holds one wait node per registered queue, queued with
 * fr_wait_add() (the task stays running while it polls the other files,
 * whose poll operations may take mutexes), each holding a reference to
 * its file so that the queue outlives the wait.  poll_table_wait() marks
 * the task sleeping, then sleeps only if no node was woken since the
 * pass (fr_wait_woken()), the deadline has not come and no signal is to
 * be taken.  A pass after the first registers nothing new.
 *
 * epoll (fs/eventpoll.c) registers with the same poll operations, once
 * per watched file, through a table made by poll_table_init_epoll(): its
 * poll_wait() queues a callback waiter (fr_wait_add_callback) that puts
 * the epoll item on its instance's ready list at each wake-up, so that
 * epoll_wait looks only at the files that were woken.
 */
#ifndef KERNEL_FS_POLL_H
#define KERNEL_FS_POLL_H

#include <frame/sync.h>
#include <asm-generic/poll.h>
#include "time/timer.h"

struct file;
struct epitem;

/* What a file without a poll operation reports: always ready. */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* One registered queue. */
struct poll_entry {
	struct file *file; /* referenced while the node is queued */
	struct fr_waitqueue *wq;
	struct fr_wait_node node;
};

#define POLL_INLINE_ENTRIES 8
#define POLL_CHUNK_ENTRIES 32

/* More entries, once the inline ones are used. */
struct poll_chunk {
	struct poll_chunk *next;
	unsigned used;
	struct poll_entry e[POLL_CHUNK_ENTRIES];
};

/* One poll/select call's waiting state, on the caller's stack. */
struct poll_table {
	bool registering;   /* poll_wait() queues (the first pass) */
	int error;	    /* -ENOMEM: an entry could not be made */
	struct file *file;  /* the file being polled, for poll_wait() */
	struct ktime_wait kw; /* the deadline; its node marks us sleeping */
	struct fr_waitqueue self; /* our own queue, nobody else's */
	unsigned used;	    /* inline entries in use */
	struct poll_entry inline_e[POLL_INLINE_ENTRIES];
	struct poll_chunk *chunks;
	struct epitem *ep_item; /* an epoll registration (poll_wait hooks it) */
};

/*
 * poll_wait - register @wq with @pt (NULL: a probe that does not sleep);
 * the waiter is woken by fr_wake_all(@wq).  Context: in a poll operation.
 */
void poll_wait(struct poll_table *pt, struct fr_waitqueue *wq);

/*
 * poll_table_init - start a wait that ends at @deadline_ns (monotonic;
 * KTIME_NEVER: none; 0 or a past deadline: no waiting at all, nothing is
 * registered).  Context: task context.
 */
void poll_table_init(struct poll_table *pt, uint64_t deadline_ns);

/*
 * poll_table_init_epoll - a table whose poll_wait() hooks epoll item @epi
 * on each queue (ep_poll_wait); nothing to end.  Context: task context.
 */
void poll_table_init_epoll(struct poll_table *pt, struct epitem *epi);

/*
 * poll_file - the events @f is ready for (its poll operation's, or
 * DEFAULT_POLLMASK without one), registering its queues with @pt (which
 * may be NULL).  The caller masks them with what it asks for.
 */
unsigned poll_file(struct poll_table *pt, struct file *f);

/*
 * poll_table_wait - after a pass that found nothing ready: stop
 * registering, and sleep until a registered queue is woken.  Returns 0
 * (woken: make another pass), -ETIMEDOUT, -EINTR (a signal to take) or
 * -ENOMEM (a queue could not be registered).
 */
int poll_table_wait(struct poll_table *pt);

/* poll_table_end - leave every queue, drop the files, stop the timer. */
void poll_table_end(struct poll_table *pt);

#endif
