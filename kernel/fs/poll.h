/*
 * Readiness: a file's poll operation returns its ready events (POLLIN,
 * POLLOUT...) and registers the waitqueues that will be woken when they
 * change with poll_wait().  poll(2), select(2) and their variants sleep on
 * every registered queue at once.  Everything pollable (pipes, ttys,
 * files) shares this one mechanism; epoll will build on it.
 */
#ifndef KERNEL_FS_POLL_H
#define KERNEL_FS_POLL_H

#include <frame/sync.h>
#include <asm-generic/poll.h>

struct poll_table;

/*
 * poll_wait - register @wq with @pt (NULL: a probe that does not sleep);
 * the waiter is woken by fr_wake_all(@wq).  Context: in a poll operation.
 */
void poll_wait(struct poll_table *pt, struct fr_waitqueue *wq);

#endif
