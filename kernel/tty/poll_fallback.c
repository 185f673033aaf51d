/*
 * A stand-in for poll_wait() (fs/poll.h) until poll(2) exists: without a
 * poll table there is nobody to register with.  Weak, so that the real
 * one replaces it; delete this file once fs/poll.c is in.
 */
#include "fs/poll.h"

__attribute__((weak)) void poll_wait(struct poll_table *pt,
				     struct fr_waitqueue *wq)
{
	(void)pt;
	(void)wq;
}
