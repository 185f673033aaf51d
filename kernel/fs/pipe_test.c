/*
 * KTESTs of pipes and of the poll table: bytes in order, capacity counted
 * in pages with small writes sharing one, EAGAIN, EOF and EPIPE, packets,
 * resizing, the poll masks; a blocking read and a poll table woken by a
 * write from another task, and a poll table's deadline.  The helper task
 * shares file-scope state, so that no void pointer needs converting.
 */
#include <frame/ktest.h>
#include <frame/log.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <libs/string.h>
#include "fs/pipe.h"
#include "fs/poll.h"
#include "time/timer.h"

#define RD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define WR(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

static uint8_t data[3 * PIPE_PAGE], back[3 * PIPE_PAGE];

static long kwrite(struct file *f, const uint8_t *src, size_t len)
{
	struct iobuf b = iobuf_kernel(data);

	if (src != data)
		memcpy(data, src, len);
	return f->fop->write(f, &b, len, NULL);
}

static long kread(struct file *f, size_t len)
{
	struct iobuf b = iobuf_kernel(back);

	return f->fop->read(f, &b, len, NULL);
}

KTEST(pipe, ring)
{
	struct file *rd, *wr;
	long n, total = 0;

	KT_ASSERT_EQ(pipe_create(O_NONBLOCK, &rd, &wr), 0);
	KT_EXPECT_EQ(kread(rd, 10), -EAGAIN);
	KT_EXPECT_EQ(pipe_fops.poll(rd, NULL), 0);
	KT_EXPECT_EQ(pipe_fops.poll(wr, NULL), POLLOUT | POLLWRNORM);
	KT_EXPECT_EQ(kwrite(wr, (const uint8_t *)"hello", 5), 5);
	KT_EXPECT_EQ(pipe_fops.poll(rd, NULL), POLLIN | POLLRDNORM);
	KT_EXPECT_EQ(kread(rd, 3), 3);
	KT_EXPECT(!memcmp(back, "hel", 3));
	KT_EXPECT_EQ(kread(rd, 100), 2);
	KT_EXPECT(!memcmp(back, "lo", 2));
	/* 100-byte writes share a page while it has room: 40 a page */
	while ((n = kwrite(wr, data, 100)) == 100)
		total += n;
	KT_EXPECT_EQ(n, -EAGAIN);
	KT_EXPECT_EQ(total, PIPE_DEF_PAGES * 4000);
	KT_EXPECT_EQ(pipe_fops.poll(wr, NULL), 0); /* no free page */
	KT_EXPECT_EQ(pipe_fcntl(rd, F_GETPIPE_SZ, 0), PIPE_DEF_PAGES * 4096);
	KT_EXPECT_EQ(pipe_fcntl(rd, F_SETPIPE_SZ, 4096), -EBUSY);
	KT_EXPECT_EQ(pipe_fcntl(rd, F_SETPIPE_SZ, 100000), 32 * 4096);
	KT_EXPECT_EQ(pipe_fops.poll(wr, NULL), POLLOUT | POLLWRNORM);
	while ((n = kread(rd, sizeof(back))) > 0)
		total -= n;
	KT_EXPECT_EQ(total, 0);
	KT_EXPECT_EQ(pipe_fcntl(rd, F_SETPIPE_SZ, 0), 4096);
	KT_EXPECT_EQ(pipe_fcntl(rd, 12345, 0), -EINVAL);
	/* a write of PIPE_BUF fits a free page whole, or not at all */
	KT_EXPECT_EQ(kwrite(wr, data, 10), 10);
	KT_EXPECT_EQ(kwrite(wr, data, PIPE_BUF), -EAGAIN);
	KT_EXPECT_EQ(kwrite(wr, data, 4086), 4086); /* appended to the page */
	KT_EXPECT_EQ(kread(rd, sizeof(back)), 4096);
	/* packets, once the writer has O_DIRECT */
	wr->flags |= O_DIRECT;
	KT_EXPECT_EQ(kwrite(wr, data, 7), 7);
	KT_EXPECT_EQ(pipe_fcntl(rd, F_SETPIPE_SZ, 8192), 8192);
	KT_EXPECT_EQ(kwrite(wr, data, 9), 9);
	KT_EXPECT_EQ(kwrite(wr, data, 1), -EAGAIN);
	KT_EXPECT_EQ(kread(rd, 3), 3);
	KT_EXPECT_EQ(kread(rd, 100), 9);
	KT_EXPECT_EQ(kread(rd, 100), -EAGAIN);
	/* the writer goes: EOF and a hang-up */
	KT_EXPECT_EQ(kwrite(wr, data, 1), 1);
	file_put(wr);
	KT_EXPECT_EQ(pipe_fops.poll(rd, NULL), POLLIN | POLLRDNORM | POLLHUP);
	KT_EXPECT_EQ(kread(rd, 10), 1);
	KT_EXPECT_EQ(kread(rd, 10), 0);
	file_put(rd);

	/* the reader goes: EPIPE and POLLERR (no thread: no SIGPIPE) */
	KT_ASSERT_EQ(pipe_create(0, &rd, &wr), 0);
	file_put(rd);
	KT_EXPECT_EQ(kwrite(wr, data, 1), -EPIPE);
	KT_EXPECT_EQ(pipe_fops.poll(wr, NULL), POLLOUT | POLLWRNORM | POLLERR);
	file_put(wr);
	KT_EXPECT_EQ(pipe_fcntl(NULL, F_GETPIPE_SZ, 0), -EBADF);
}

/* The helper task: after a few yields, write one byte to helper.f. */
static struct {
	struct file *f;
	int delay; /* yields first */
	long ret;
	unsigned done;
} helper;

static void helper_fn(void *unused)
{
	(void)unused;
	for (int i = 0; i < RD(helper.delay); i++)
		fr_task_yield();
	helper.ret = kwrite(helper.f, (const uint8_t *)"!", 1);
	WR(helper.done, 1);
}

static bool start_helper(struct file *f, int delay)
{
	struct fr_task *t = fr_task_create("kt-pipe", helper_fn, NULL);

	helper.f = f;
	helper.delay = delay;
	helper.ret = 0;
	helper.done = 0;
	if (!t)
		return false;
	fr_task_start(t);
	return true;
}

static void join_helper(void)
{
	while (!RD(helper.done))
		fr_task_yield();
}

KTEST(pipe, blocking_read_woken)
{
	struct file *rd, *wr;

	KT_ASSERT_EQ(pipe_create(0, &rd, &wr), 0);
	if (KT_EXPECT(start_helper(wr, 20))) {
		KT_EXPECT_EQ(kread(rd, 10), 1); /* sleeps until the write */
		KT_EXPECT_EQ(back[0], '!');
		join_helper();
		KT_EXPECT_EQ(helper.ret, 1);
	}
	file_put(rd);
	file_put(wr);
}

KTEST(poll, table_woken_by_any_queue)
{
	struct file *rd[3], *wr[3];
	struct poll_table pt;
	unsigned ready = 0;
	int rounds = 0, err = 0;

	for (int i = 0; i < 3; i++)
		KT_ASSERT_EQ(pipe_create(0, &rd[i], &wr[i]), 0);
	KT_EXPECT(start_helper(wr[2], 20));
	poll_table_init(&pt, ktime_add(fr_monotonic_ns(), 5 * NSEC_PER_SEC));
	for (;;) {
		ready = 0;
		for (int i = 0; i < 3; i++)
			if (poll_file(&pt, rd[i]) & POLLIN)
				ready |= 1u << i;
		/* the write ends too: more queues than the inline entries */
		for (int i = 0; i < 3; i++)
			poll_file(&pt, wr[i]);
		if (ready || rounds++ > 10)
			break;
		err = poll_table_wait(&pt);
		if (err)
			break;
	}
	poll_table_end(&pt);
	KT_EXPECT_EQ(err, 0);
	KT_EXPECT_EQ(ready, 4u);
	KT_EXPECT(pt.chunks == NULL);
	join_helper();
	for (int i = 0; i < 3; i++) {
		file_put(rd[i]);
		file_put(wr[i]);
	}
}

KTEST(poll, table_deadline)
{
	struct file *rd, *wr;
	struct poll_table pt;
	uint64_t t0 = fr_monotonic_ns();
	int err;

	KT_ASSERT_EQ(pipe_create(0, &rd, &wr), 0);
	poll_table_init(&pt, t0 + 30 * 1000000ULL);
	do {
		KT_EXPECT_EQ(poll_file(&pt, rd), 0);
		err = poll_table_wait(&pt);
	} while (!err);
	poll_table_end(&pt);
	KT_EXPECT_EQ(err, -ETIMEDOUT);
	KT_EXPECT(fr_monotonic_ns() - t0 >= 30 * 1000000ULL);
	/* a zero timeout registers nothing and does not wait */
	poll_table_init(&pt, 0);
	KT_EXPECT_EQ(poll_file(&pt, wr), POLLOUT | POLLWRNORM);
	KT_EXPECT_EQ(pt.used, 0u);
	KT_EXPECT_EQ(poll_table_wait(&pt), -ETIMEDOUT);
	poll_table_end(&pt);
	file_put(rd);
	file_put(wr);
}
