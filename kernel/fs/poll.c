/*
 * The poll table (see poll.h): the wait behind poll(2), select(2) and
 * their variants, on every queue the polled files register at once.
 */
#include <frame/heap.h>
#include <frame/task.h>
#include <frame/timer.h>
#include "fs/file.h"
#include "fs/poll.h"
#include "fs/eventpoll.h"

void poll_table_init(struct poll_table *pt, uint64_t deadline_ns)
{
	pt->ep_item = NULL;
	pt->error = 0;
	pt->file = NULL;
	pt->used = 0;
	pt->chunks = NULL;
	fr_waitqueue_init(&pt->self);
	ktime_wait_begin(&pt->kw, deadline_ns);
	pt->registering = deadline_ns == KTIME_NEVER ||
			  deadline_ns > fr_monotonic_ns();
}

/* A free entry, or NULL when out of memory. */
static struct poll_entry *new_entry(struct poll_table *pt)
{
	struct poll_chunk *c = pt->chunks;

	if (pt->used < POLL_INLINE_ENTRIES)
		return &pt->inline_e[pt->used++];
	if (!c || c->used == POLL_CHUNK_ENTRIES) {
		c = FR_NEW(struct poll_chunk);
		if (!c)
			return NULL;
		c->next = pt->chunks;
		pt->chunks = c;
	}
	return &c->e[c->used++];
}

void poll_table_init_epoll(struct poll_table *pt, struct epitem *epi)
{
	pt->ep_item = epi;
	pt->registering = true;
	pt->error = 0;
	pt->file = NULL;
	pt->used = 0;
	pt->chunks = NULL;
}

void poll_wait(struct poll_table *pt, struct fr_waitqueue *wq)
{
	struct poll_entry *e;

	if (pt && pt->ep_item) {
		ep_poll_wait(pt->ep_item, wq);
		return;
	}
	if (!pt || !pt->registering || !pt->file)
		return;
	e = new_entry(pt);
	if (!e) {
		pt->error = -ENOMEM;
		return;
	}
	file_get(pt->file);
	e->file = pt->file;
	e->wq = wq;
	e->node = (struct fr_wait_node){ .task = NULL };
	fr_wait_add(wq, &e->node);
}

unsigned poll_file(struct poll_table *pt, struct file *f)
{
	struct file *outer;
	unsigned mask;

	if (!f->fop || !f->fop->poll)
		return DEFAULT_POLLMASK;
	if (!pt)
		return f->fop->poll(f, NULL);
	/* an epoll file polls its items with the same table: nest */
	outer = pt->file;
	pt->file = f;
	mask = f->fop->poll(f, pt);
	pt->file = outer;
	return mask;
}

/* Call @fn on every entry. */
#define FOR_EACH_ENTRY(pt, e, body)                                            \
	do {                                                                   \
		for (unsigned __i = 0; __i < (pt)->used; __i++) {              \
			struct poll_entry *e = &(pt)->inline_e[__i];           \
			body;                                                  \
		}                                                              \
		for (struct poll_chunk *__c = (pt)->chunks; __c;               \
		     __c = __c->next)                                          \
			for (unsigned __i = 0; __i < __c->used; __i++) {       \
				struct poll_entry *e = &__c->e[__i];           \
				body;                                          \
			}                                                      \
	} while (0)

static bool any_woken(struct poll_table *pt)
{
	FOR_EACH_ENTRY(pt, e, if (fr_wait_woken(e->wq, &e->node)) return true);
	return false;
}

int poll_table_wait(struct poll_table *pt)
{
	int ret;

	pt->registering = false;
	if (pt->error)
		return pt->error;
	/* sleeping from here: a wake-up on any queue or of the task (the
	 * timer, a signal) makes fr_wait_sleep return at once */
	fr_wait_prepare(&pt->self, &pt->kw.node);
	ret = ktime_wait_check(&pt->kw);
	if (!ret && !any_woken(pt))
		fr_wait_sleep();
	fr_wait_finish(&pt->self, &pt->kw.node);
	/* back on the queues that woke us, for the next pass */
	FOR_EACH_ENTRY(pt, e, fr_wait_add(e->wq, &e->node));
	return ret;
}

void poll_table_end(struct poll_table *pt)
{
	struct poll_chunk *c;

	FOR_EACH_ENTRY(pt, e, {
		fr_wait_finish(e->wq, &e->node);
		file_put(e->file);
	});
	while ((c = pt->chunks)) {
		pt->chunks = c->next;
		fr_kfree(c);
	}
	pt->used = 0;
	ktime_wait_end(&pt->kw);
}
