/*
 * KTESTs of epoll's ready list on pipes: wake-up order, level- and
 * edge-triggered and one-shot items; an item leaves with its file, and an
 * instance with its items, whichever goes first (the hosted target's ASan
 * sees a hook left on a queue); loops and nesting depth; and no wake-up
 * lost while a task writes to the pipes as fast as it can and edge-
 * triggered items are harvested and drained meanwhile.
 */
#include <frame/ktest.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <libs/string.h>
#include "fs/eventpoll.h"
#include "fs/pipe.h"
#include "fs/poll.h"
#include "time/timer.h"

#define RD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define WR(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

#define MAXEV 8

static struct epoll_event evs[MAXEV];

/* eventpoll_wait into evs[]. */
static long kwait(struct file *ep, int max, uint64_t deadline)
{
	uint8_t raw[MAXEV * sizeof(struct epoll_event)];
	struct iobuf b = iobuf_kernel(raw);
	long n = eventpoll_wait(ep, &b, max, deadline);

	for (long i = 0; i < n; i++)
		memcpy(&evs[i], raw + i * sizeof(struct epoll_event),
		       sizeof(struct epoll_event));
	return n;
}

static int kctl(struct file *ep, int op, struct file *f, int fd,
		uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data = data };

	return eventpoll_ctl(ep, op, f, fd, &ev);
}

static long kwrite(struct file *wr, uint8_t byte)
{
	struct iobuf b = iobuf_kernel(&byte);

	return wr->fop->write(wr, &b, 1, NULL);
}

/* Read what is in the pipe (non-blocking); the bytes read. */
static long kdrain(struct file *rd)
{
	uint8_t buf[64];
	struct iobuf b = iobuf_kernel(buf);
	long n, total = 0;

	while ((n = rd->fop->read(rd, &b, sizeof(buf), NULL)) > 0)
		total += n;
	return total;
}

KTEST(eventpoll, ready_list)
{
	struct file *ep = eventpoll_create(0), *rd[3], *wr[3];

	KT_ASSERT(ep != NULL);
	for (int i = 0; i < 3; i++) {
		KT_ASSERT_EQ(pipe_create(O_NONBLOCK, &rd[i], &wr[i]), 0);
		KT_EXPECT_EQ(kctl(ep, EPOLL_CTL_ADD, rd[i], i, EPOLLIN, i), 0);
	}
	KT_EXPECT_EQ(kctl(ep, EPOLL_CTL_ADD, rd[0], 0, EPOLLIN, 0), -EEXIST);
	KT_EXPECT_EQ(kwait(ep, MAXEV, 0), 0);
	KT_EXPECT_EQ(poll_file(NULL, ep), 0);
	/* in the order of the wake-ups */
	KT_EXPECT_EQ(kwrite(wr[2], 'a'), 1);
	KT_EXPECT_EQ(kwrite(wr[0], 'b'), 1);
	KT_EXPECT_EQ(poll_file(NULL, ep), POLLIN | POLLRDNORM);
	KT_EXPECT_EQ(kwait(ep, 1, 0), 1);
	KT_EXPECT_EQ(evs[0].data, 2);
	KT_EXPECT_EQ(evs[0].events, EPOLLIN);
	/* level-triggered: back at the tail */
	KT_EXPECT_EQ(kwait(ep, MAXEV, 0), 2);
	KT_EXPECT_EQ(evs[0].data, 0);
	KT_EXPECT_EQ(evs[1].data, 2);
	KT_EXPECT_EQ(kdrain(rd[0]), 1);
	KT_EXPECT_EQ(kdrain(rd[2]), 1);
	KT_EXPECT_EQ(kwait(ep, MAXEV, 0), 0);
	KT_EXPECT_EQ(poll_file(NULL, ep), 0);
	/* edge-triggered: once per wake-up */
	KT_EXPECT_EQ(kctl(ep, EPOLL_CTL_MOD, rd[1], 1, EPOLLIN | EPOLLET, 9), 0);
	KT_EXPECT_EQ(kwrite(wr[1], 'c'), 1);
	KT_EXPECT_EQ(kwait(ep, MAXEV, 0), 1);
	KT_EXPECT_EQ(evs[0].data, 9);
	KT_EXPECT_EQ(kwait(ep, MAXEV, 0), 0);
	KT_EXPECT_EQ(kwrite(wr[1], 'd'), 1);
	KT_EXPECT_EQ(kwait(ep, MAXEV, 0), 1);
	/* one-shot: disabled until modified */
	KT_EXPECT_EQ(kctl(ep, EPOLL_CTL_MOD, rd[1], 1, EPOLLIN | EPOLLONESHOT, 8),
		     0);
	KT_EXPECT_EQ(kwait(ep, MAXEV, 0), 1); /* ready at the change */
	KT_EXPECT_EQ(kwrite(wr[1], 'e'), 1);
	KT_EXPECT_EQ(kwait(ep, MAXEV, 0), 0);
	KT_EXPECT_EQ(kctl(ep, EPOLL_CTL_MOD, rd[1], 1, EPOLLIN | EPOLLONESHOT, 7),
		     0);
	KT_EXPECT_EQ(kwait(ep, MAXEV, 0), 1);
	KT_EXPECT_EQ(evs[0].data, 7);
	KT_EXPECT_EQ(kctl(ep, EPOLL_CTL_DEL, rd[1], 1, 0, 0), 0);
	KT_EXPECT_EQ(kctl(ep, EPOLL_CTL_DEL, rd[1], 1, 0, 0), -ENOENT);
	file_put(ep);
	for (int i = 0; i < 3; i++) {
		file_put(rd[i]);
		file_put(wr[i]);
	}
}

/* The file going first, then the instance going first, nested too: each
 * time the queues the items were on are woken after. */
KTEST(eventpoll, release_either_first)
{
	struct file *ep = eventpoll_create(0), *outer = eventpoll_create(0);
	struct file *rd, *wr;

	KT_ASSERT(ep && outer);
	KT_ASSERT_EQ(pipe_create(O_NONBLOCK, &rd, &wr), 0);
	KT_EXPECT_EQ(kctl(ep, EPOLL_CTL_ADD, rd, 3, EPOLLIN, 0), 0);
	KT_EXPECT_EQ(kctl(ep, EPOLL_CTL_ADD, wr, 4, EPOLLOUT, 0), 0);
	KT_EXPECT_EQ(kctl(outer, EPOLL_CTL_ADD, ep, 5, EPOLLIN, 0), 0);
	KT_EXPECT_EQ(kwait(outer, MAXEV, 0), 1); /* the write end is ready */
	file_put(rd);			  /* its item goes; wr sees EPOLLERR */
	KT_EXPECT_EQ(kwait(ep, MAXEV, 0), 1);
	KT_EXPECT_EQ(evs[0].events, EPOLLOUT | EPOLLERR);
	file_put(ep); /* the outer one still holds no reference: it goes */
	KT_EXPECT_EQ(kwait(outer, MAXEV, 0), 0);
	KT_EXPECT_EQ(kwrite(wr, 'x'), -EPIPE); /* wakes nothing left */
	file_put(wr);

	/* the instance first */
	ep = eventpoll_create(0);
	KT_ASSERT(ep != NULL);
	KT_ASSERT_EQ(pipe_create(O_NONBLOCK, &rd, &wr), 0);
	KT_EXPECT_EQ(kctl(ep, EPOLL_CTL_ADD, rd, 3, EPOLLIN, 0), 0);
	KT_EXPECT_EQ(kctl(outer, EPOLL_CTL_ADD, ep, 5, EPOLLIN, 0), 0);
	file_put(outer);
	KT_EXPECT_EQ(kwrite(wr, 'x'), 1);
	KT_EXPECT_EQ(kwait(ep, MAXEV, 0), 1);
	file_put(ep);
	KT_EXPECT_EQ(kwrite(wr, 'y'), 1);
	file_put(rd);
	file_put(wr);
}

KTEST(eventpoll, loops_and_depth)
{
	struct file *e[8];
	int i;

	for (i = 0; i < 8; i++) {
		e[i] = eventpoll_create(0);
		KT_ASSERT(e[i] != NULL);
	}
	KT_EXPECT_EQ(kctl(e[0], EPOLL_CTL_ADD, e[0], 0, EPOLLIN, 0), -EINVAL);
	KT_EXPECT_EQ(kctl(e[1], EPOLL_CTL_ADD, e[0], 0, EPOLLIN, 0), 0);
	KT_EXPECT_EQ(kctl(e[0], EPOLL_CTL_ADD, e[1], 1, EPOLLIN, 0), -ELOOP);
	KT_EXPECT_EQ(kctl(e[1], EPOLL_CTL_DEL, e[0], 0, 0, 0), 0);
	/* a chain: e[i] watches e[i - 1]; below e[5], five levels */
	for (i = 1; i <= 5; i++)
		KT_EXPECT_EQ(kctl(e[i], EPOLL_CTL_ADD, e[i - 1], i - 1, EPOLLIN,
				  0),
			     0);
	KT_EXPECT_EQ(kctl(e[6], EPOLL_CTL_ADD, e[5], 5, EPOLLIN, 0), 0);
	KT_EXPECT_EQ(kctl(e[7], EPOLL_CTL_ADD, e[6], 6, EPOLLIN, 0), -ELOOP);
	KT_EXPECT_EQ(kctl(e[0], EPOLL_CTL_ADD, e[6], 6, EPOLLIN, 0), -ELOOP);
	for (i = 0; i < 8; i++)
		file_put(e[i]);
}

#define PIPES 8
#define BYTES 2000

struct storm {
	struct file *wr[PIPES];
	int written;
	bool done;
};

static void storm_fn(struct storm *s)
{
	for (int i = 0; i < BYTES; i++) {
		while (kwrite(s->wr[(i * 7) % PIPES], 'z') != 1)
			fr_task_yield(); /* full: the reader catches up */
		WR(s->written, i + 1);
		if (i % 16 == 0)
			fr_task_yield();
	}
	WR(s->done, true);
}

/* Every byte written is reported: harvesting and draining edge-triggered
 * items while the writes go on loses no wake-up. */
KTEST(eventpoll, no_lost_wakeup)
{
	struct file *ep = eventpoll_create(0), *rd[PIPES];
	struct storm s = { .written = 0 };
	struct fr_task *t;
	long got = 0;

	KT_ASSERT(ep != NULL);
	for (int i = 0; i < PIPES; i++) {
		KT_ASSERT_EQ(pipe_create(O_NONBLOCK, &rd[i], &s.wr[i]), 0);
		KT_EXPECT_EQ(kctl(ep, EPOLL_CTL_ADD, rd[i], i,
				  EPOLLIN | EPOLLET, (uint64_t)i),
			     0);
	}
	t = FR_TASK_CREATE("kt-epoll", storm_fn, &s);
	KT_ASSERT(t != NULL);
	fr_task_start(t);
	while (got < BYTES) {
		long n = kwait(ep, MAXEV,
			       ktime_add(fr_monotonic_ns(),
					 10 * NSEC_PER_SEC));

		if (n <= 0)
			break; /* 10 s without a wake-up: one was lost */
		for (long k = 0; k < n; k++)
			got += kdrain(rd[evs[k].data]);
	}
	KT_EXPECT_EQ(got, BYTES);
	while (!RD(s.done))
		fr_task_yield();
	KT_EXPECT_EQ(RD(s.written), BYTES);
	file_put(ep);
	for (int i = 0; i < PIPES; i++) {
		file_put(rd[i]);
		file_put(s.wr[i]);
	}
}
