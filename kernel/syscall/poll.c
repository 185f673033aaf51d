/*
 * poll, ppoll, select and pselect6: wait until some of a set of file
 * descriptors are ready, a timeout passes or a signal comes, on the poll
 * table of fs/poll.c.  ppoll and pselect6 swap the signal mask for the
 * wait as sigsuspend does; select, pselect6 and ppoll write the time left
 * back, as Linux does.
 */
#include <frame/heap.h>
#include <frame/timer.h>
#include <libs/string.h>
#include <asm/signal.h>
#include <linux/resource.h>
#include <linux/time_types.h>
#include "syscall/syscall.h"
#include "syscall/restart.h"
#include "syscall/sigmask.h"
#include "fs/file.h"
#include "fs/poll.h"
#include "process/process.h"
#include "time/timer.h"

#define UNBLOCKABLE (SIGNAL_BIT(SIGKILL) | SIGNAL_BIT(SIGSTOP))

/* What select(2) counts in each of its sets. */
#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET (POLLPRI)

/* ---- timeouts ---- */

/*
 * The deadline of a relative timeout (Linux's poll_select_set_timeout):
 * 0 for a zero timeout (no waiting), or -EINVAL.
 */
static int timeout_deadline(int64_t sec, int64_t nsec, uint64_t *deadline)
{
	if (sec < 0 || nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if (!sec && !nsec) {
		*deadline = 0;
		return 0;
	}
	if ((uint64_t)sec > KTIME_NEVER / NSEC_PER_SEC)
		*deadline = KTIME_NEVER;
	else
		*deadline = ktime_add(fr_monotonic_ns(),
				      ktime_add((uint64_t)sec * NSEC_PER_SEC,
						(uint64_t)nsec));
	return 0;
}

/* The time left until @deadline (0 once past). */
static uint64_t time_left(uint64_t deadline)
{
	uint64_t now = fr_monotonic_ns();

	return deadline > now ? deadline - now : 0;
}

/* ---- signal masks of ppoll and pselect6 ---- */

int set_user_sigmask(uint64_t umask, uint64_t size)
{
	struct thread *t = current_thread();
	unsigned long irq;
	uint64_t mask;

	if (!umask)
		return 0;
	if (size != sizeof(uint64_t))
		return -EINVAL;
	if (FR_GET_USER(mask, fr_uaddr(umask)))
		return -EFAULT;
	irq = fr_spin_lock_irqsave(&t->proc->siglock);
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_mask = true;
	t->sig.blocked = mask & ~UNBLOCKABLE;
	fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
	return 0;
}

void restore_sigmask(bool interrupted)
{
	struct thread *t = current_thread();
	unsigned long irq;

	if (interrupted)
		return;
	irq = fr_spin_lock_irqsave(&t->proc->siglock);
	if (t->sig.restore_mask) {
		t->sig.restore_mask = false;
		t->sig.blocked = t->sig.saved_mask;
	}
	fr_spin_unlock_irqrestore(&t->proc->siglock, irq);
}

/* ---- poll ---- */

/*
 * Whether the files of the caller's table @t may be polled without a
 * reference each: when no other process shares the table and the caller's
 * process has no other thread, nobody else can close its descriptors
 * during a pass (Linux's fdget() skips the reference then too).  The poll
 * table takes its own reference of a file it waits on.
 */
static bool table_private(const struct fd_table *t)
{
	return __atomic_load_n(&t->refs, __ATOMIC_RELAXED) == 1 &&
	       __atomic_load_n(&current_process()->thread_count,
			       __ATOMIC_RELAXED) == 1;
}

/*
 * The open file at @fd of @t that poll and select may look at, with a
 * reference if @ref, or NULL.  [t->lock] held: a pass of poll or select
 * takes the files of all its descriptors in one look at the table rather
 * than one lookup (and lock round) each.
 */
static struct file *pollable_locked(struct fd_table *t, int fd, bool ref)
{
	struct file *f;

	if (fd < 0 || fd >= t->size)
		return NULL;
	f = t->files[fd];
	if (!f || (f->mode & FMODE_PATH))
		return NULL;
	if (ref)
		file_get(f);
	return f;
}

/* Drop what pollable_locked() took. */
static void pollable_put(struct file *f, bool ref)
{
	if (ref)
		file_put(f);
}

/* The events of @pfd, whose file is @f (NULL: not open). */
static short poll_one(struct poll_table *pt, const struct pollfd *pfd,
		      struct file *f)
{
	unsigned mask;

	if (pfd->fd < 0)
		return 0;
	if (!f)
		return POLLNVAL;
	mask = poll_file(pt, f);
	return (short)(mask & ((unsigned short)pfd->events | POLLERR | POLLHUP));
}

/* poll on @nfds entries at @ufds until @deadline: the number of ready
 * entries, or -ERESTARTNOHAND (a signal), or an error. */
static long do_poll(uint64_t ufds, uint64_t nfds, uint64_t deadline)
{
	struct process *p = current_process();
	struct fd_table *t = current_files();
	bool ref = !table_private(t);
	struct pollfd *fds = NULL;
	struct file **files = NULL;
	struct poll_table pt;
	struct rlimit64 lim;
	long count;

	if (!process_attrs_rlimit(&p->attrs, RLIMIT_NOFILE, &lim) &&
	    nfds > lim.rlim_cur)
		return -EINVAL;
	if (nfds) {
		fds = FR_NEW_ARRAY(struct pollfd, nfds);
		files = FR_NEW_ARRAY(struct file *, nfds);
		if (!fds || !files) {
			fr_kfree(fds);
			fr_kfree(files);
			return -ENOMEM;
		}
		if (fr_copy_from_user(fds, fr_uaddr(ufds),
				      nfds * sizeof(*fds))) {
			fr_kfree(fds);
			fr_kfree(files);
			return -EFAULT;
		}
	}
	poll_table_init(&pt, deadline);
	for (;;) {
		int err;

		count = 0;
		fr_mutex_lock(&t->lock);
		for (uint64_t i = 0; i < nfds; i++)
			files[i] = pollable_locked(t, fds[i].fd, ref);
		fr_mutex_unlock(&t->lock);
		for (uint64_t i = 0; i < nfds; i++) {
			fds[i].revents = poll_one(&pt, &fds[i], files[i]);
			pollable_put(files[i], ref);
			if (fds[i].revents)
				count++;
		}
		if (count)
			break;
		err = poll_table_wait(&pt);
		if (err == -ETIMEDOUT)
			break;
		if (err) {
			count = err == -EINTR ? -ERESTARTNOHAND : err;
			break;
		}
	}
	poll_table_end(&pt);
	for (uint64_t i = 0; i < nfds; i++) {
		fr_uaddr_t at = fr_uaddr(ufds + i * sizeof(*fds) +
					 offsetof(struct pollfd, revents));

		if (FR_PUT_USER(fds[i].revents, at)) {
			count = -EFAULT;
			break;
		}
	}
	fr_kfree(fds);
	fr_kfree(files);
	return count;
}

long sys_poll(const struct syscall_args *a)
{
	int timeout_ms = (int)a->arg[2];
	uint64_t deadline = KTIME_NEVER;
	long ret;

	if (timeout_ms >= 0)
		timeout_deadline(timeout_ms / 1000,
				 (int64_t)(timeout_ms % 1000) * 1000000,
				 &deadline);
	ret = do_poll(a->arg[0], (unsigned)a->arg[1], deadline);
	/* Linux restarts it with a restart block; ours sleeps again */
	return ret == -ERESTARTNOHAND ? -ERESTART_RESTARTBLOCK : ret;
}

/* Write the time left to a user timespec (ppoll, pselect6) or timeval
 * (select); a failure turns a restart into -EINTR as in Linux. */
static long finish_timeout(uint64_t utime, bool timeval, uint64_t deadline,
			   long ret)
{
	uint64_t left;
	int err;

	/* nothing to write for no timeout or a zero one */
	if (!utime || !deadline || deadline == KTIME_NEVER)
		return ret;
	left = time_left(deadline);
	if (timeval) {
		struct __kernel_old_timeval tv = {
			.tv_sec = (long)(left / NSEC_PER_SEC),
			.tv_usec = (long)(left % NSEC_PER_SEC / 1000),
		};

		err = FR_PUT_USER(tv, fr_uaddr(utime));
	} else {
		struct __kernel_timespec ts = {
			.tv_sec = (long long)(left / NSEC_PER_SEC),
			.tv_nsec = (long long)(left % NSEC_PER_SEC),
		};

		err = FR_PUT_USER(ts, fr_uaddr(utime));
	}
	if (err && ret == -ERESTARTNOHAND)
		return -EINTR;
	return ret;
}

/* A user timespec as a deadline (KTIME_NEVER when @uts is NULL). */
static int timespec_deadline(uint64_t uts, uint64_t *deadline)
{
	struct __kernel_timespec ts;

	*deadline = KTIME_NEVER;
	if (!uts)
		return 0;
	if (FR_GET_USER(ts, fr_uaddr(uts)))
		return -EFAULT;
	return timeout_deadline(ts.tv_sec, ts.tv_nsec, deadline);
}

long sys_ppoll(const struct syscall_args *a)
{
	uint64_t deadline;
	long ret;

	ret = timespec_deadline(a->arg[2], &deadline);
	if (ret)
		return ret;
	ret = set_user_sigmask(a->arg[3], a->arg[4]);
	if (ret)
		return ret;
	ret = do_poll(a->arg[0], (unsigned)a->arg[1], deadline);
	restore_sigmask(ret == -ERESTARTNOHAND);
	return finish_timeout(a->arg[2], false, deadline, ret);
}

/* ---- select ---- */

#define BITS 64

/*
 * The descriptors of word @w of the three sets at @in (@words words each)
 * that are below @n: a pass visits them by their bits, not each of the @n
 * descriptors in turn.
 */
static uint64_t asked_word(const uint64_t *in, size_t words, size_t w, int n)
{
	uint64_t any = in[w] | in[words + w] | in[2 * words + w];
	int left = n - (int)(w * BITS);

	return left >= BITS ? any : any & ((1ULL << left) - 1);
}

/*
 * Take the files of the asked descriptors into @files (indexed by fd), in
 * one look at the table.  Returns false if one of them is not open (then
 * nothing is taken) when @must_be_open, the first pass: select fails with
 * EBADF; later, a descriptor closed meanwhile is only not ready.
 */
static bool select_take(struct fd_table *t, const uint64_t *in,
			size_t words, int n, struct file **files,
			bool must_be_open, bool ref)
{
	bool ok = true;

	fr_mutex_lock(&t->lock);
	for (size_t w = 0; w < words && ok; w++) {
		for (uint64_t m = asked_word(in, words, w, n); m; m &= m - 1) {
			int fd = (int)(w * BITS) + __builtin_ctzll(m);

			files[fd] = pollable_locked(t, fd, ref);
			if (!files[fd] && must_be_open) {
				ok = false;
				break;
			}
		}
	}
	fr_mutex_unlock(&t->lock);
	if (!ok) {
		for (int fd = 0; fd < n; fd++) {
			pollable_put(files[fd], ref);
			files[fd] = NULL;
		}
	}
	return ok;
}

/* select on @n descriptors: the number of bits set in the result sets
 * (written back), or -ERESTARTNOHAND, -EBADF, -EINVAL, -EFAULT. */
static long do_select(int n, const uint64_t user[3], uint64_t deadline)
{
	static const unsigned sets[3] = { POLLIN_SET, POLLOUT_SET,
					  POLLEX_SET };
	struct fd_table *t = current_files();
	bool ref = !table_private(t);
	struct file **files = NULL;
	struct poll_table pt;
	uint64_t *in, *res;
	size_t words, bytes;
	long count;
	int max;

	if (n < 0)
		return -EINVAL;
	/* as Linux: descriptors past the table's end are not looked at */
	fr_mutex_lock(&t->lock);
	max = t->size;
	fr_mutex_unlock(&t->lock);
	if (n > max)
		n = max;
	words = ((size_t)n + BITS - 1) / BITS;
	bytes = words * sizeof(uint64_t);
	if (!words) {
		in = res = NULL;
	} else {
		in = FR_NEW_ARRAY(uint64_t, 6 * words);
		files = FR_NEW_ARRAY(struct file *, (size_t)n);
		if (!in || !files) {
			fr_kfree(in);
			fr_kfree(files);
			return -ENOMEM;
		}
		res = &in[3 * words];
	}
	for (int s = 0; s < 3 && words; s++) {
		if (user[s] && fr_copy_from_user(&in[s * words],
						 fr_uaddr(user[s]), bytes)) {
			fr_kfree(in);
			fr_kfree(files);
			return -EFAULT;
		}
	}
	/* every descriptor asked about must be open */
	if (!select_take(t, in, words, n, files, true, ref)) {
		fr_kfree(in);
		fr_kfree(files);
		return -EBADF;
	}
	poll_table_init(&pt, deadline);
	for (bool first = true;; first = false) {
		int err;

		if (!first)
			select_take(t, in, words, n, files, false, ref);
		count = 0;
		for (size_t i = 0; i < 3 * words; i++)
			res[i] = 0;
		for (size_t w = 0; w < words; w++) {
			uint64_t m = asked_word(in, words, w, n);

			for (; m; m &= m - 1) {
				int bit = __builtin_ctzll(m);
				int fd = (int)(w * BITS) + bit;
				unsigned mask;

				if (!files[fd]) /* closed meanwhile: not ready */
					continue;
				mask = poll_file(&pt, files[fd]);
				pollable_put(files[fd], ref);
				files[fd] = NULL;
				for (int s = 0; s < 3; s++) {
					size_t i = s * words + w;

					if ((mask & sets[s]) &&
					    (in[i] & (1ULL << bit))) {
						res[i] |= 1ULL << bit;
						count++;
					}
				}
			}
		}
		if (count)
			break;
		err = poll_table_wait(&pt);
		if (err == -ETIMEDOUT)
			break;
		if (err) {
			count = err == -EINTR ? -ERESTARTNOHAND : err;
			break;
		}
	}
	poll_table_end(&pt);
	for (int s = 0; s < 3 && count >= 0 && words; s++) {
		if (user[s] && fr_copy_to_user(fr_uaddr(user[s]),
					       &res[s * words], bytes))
			count = -EFAULT;
	}
	fr_kfree(files);
	fr_kfree(in);
	return count;
}

long sys_select(const struct syscall_args *a)
{
	const uint64_t sets[3] = { a->arg[1], a->arg[2], a->arg[3] };
	uint64_t deadline = KTIME_NEVER;
	long ret;

	if (a->arg[4]) {
		struct __kernel_old_timeval tv;

		if (FR_GET_USER(tv, fr_uaddr(a->arg[4])))
			return -EFAULT;
		/* microseconds past a second carry over, as in Linux */
		if (tv.tv_sec < 0 || tv.tv_usec < 0 ||
		    timeout_deadline(tv.tv_sec + tv.tv_usec / 1000000,
				     tv.tv_usec % 1000000 * 1000, &deadline))
			return -EINVAL;
	}
	ret = do_select((int)a->arg[0], sets, deadline);
	return finish_timeout(a->arg[4], true, deadline, ret);
}

/* pselect6's sixth argument: the signal mask and its size. */
struct sigset_argpack {
	uint64_t ss;
	uint64_t ss_len;
};

long sys_pselect6(const struct syscall_args *a)
{
	const uint64_t sets[3] = { a->arg[1], a->arg[2], a->arg[3] };
	struct sigset_argpack pack = { 0, 0 };
	uint64_t deadline;
	long ret;

	ret = timespec_deadline(a->arg[4], &deadline);
	if (ret)
		return ret;
	if (a->arg[5] && FR_GET_USER(pack, fr_uaddr(a->arg[5])))
		return -EFAULT;
	ret = set_user_sigmask(pack.ss, pack.ss_len);
	if (ret)
		return ret;
	ret = do_select((int)a->arg[0], sets, deadline);
	restore_sigmask(ret == -ERESTARTNOHAND);
	return finish_timeout(a->arg[4], false, deadline, ret);
}
