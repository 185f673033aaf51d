/*
 * epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait and
 * epoll_pwait2: the calls of epoll instances (fs/eventpoll.c), with
 * Linux's checks in Linux's order.  A wait interrupted by a signal fails
 * with EINTR and is never restarted, as on Linux.
 */
#include <frame/timer.h>
#include <frame/vm.h>
#include <linux/time_types.h>
#include "syscall/syscall.h"
#include "syscall/sigmask.h"
#include "fs/eventpoll.h"
#include "time/clock.h"
#include "time/timer.h"

/* Linux's bound on maxevents. */
#define EP_MAX_EVENTS (INT32_MAX / sizeof(struct epoll_event))

/* The open file at @fd as fdget() gives it (O_PATH ones are not). */
static struct file *get_file(int fd)
{
	struct file *f = fd_get(fd);

	if (f && (f->mode & FMODE_PATH)) {
		file_put(f);
		return NULL;
	}
	return f;
}

static long new_epoll(unsigned flags)
{
	struct file *f;
	uint32_t uid;
	int fd;

	if (flags & ~(unsigned)EPOLL_CLOEXEC)
		return -EINVAL;
	/* its items count against the caller's real uid, as Linux's */
	uid = cred_uid(vfs_cred_get());
	vfs_cred_put();
	f = eventpoll_create(uid);
	if (!f)
		return -ENOMEM;
	fd = fd_install(f, 0, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_epoll_create(const struct syscall_args *a)
{
	/* the size is a hint since Linux 2.6.8, but must be positive */
	if ((int)a->arg[0] <= 0)
		return -EINVAL;
	return new_epoll(0);
}

long sys_epoll_create1(const struct syscall_args *a)
{
	return new_epoll((unsigned)(int)a->arg[0]);
}

long sys_epoll_ctl(const struct syscall_args *a)
{
	int epfd = (int)a->arg[0], op = (int)a->arg[1], fd = (int)a->arg[2];
	struct epoll_event ev;
	struct file *epf, *tf;
	long err;

	/* the event is read first, for every op that has one */
	if (op != EPOLL_CTL_DEL && FR_GET_USER(ev, fr_uaddr(a->arg[3])))
		return -EFAULT;
	epf = get_file(epfd);
	if (!epf)
		return -EBADF;
	tf = get_file(fd);
	if (!tf) {
		file_put(epf);
		return -EBADF;
	}
	err = eventpoll_ctl(epf, op, tf, fd, op != EPOLL_CTL_DEL ? &ev : NULL);
	/* after the call: dropping the last reference takes epoll's locks */
	file_put(tf);
	file_put(epf);
	return err;
}

/* epoll_wait on @epfd until @deadline (monotonic ns; 0: no wait). */
static long do_epoll_wait(int epfd, uint64_t events, int maxevents,
			  uint64_t deadline)
{
	struct iobuf b = iobuf_user(fr_uaddr(events));
	uint64_t size;
	struct file *f;
	long ret;

	if (maxevents <= 0 || (uint64_t)maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	/* the whole array must be in user space (Linux's access_ok) */
	size = (uint64_t)maxevents * sizeof(struct epoll_event);
	if (events > FR_USER_END || size > FR_USER_END - events)
		return -EFAULT;
	f = get_file(epfd);
	if (!f)
		return -EBADF;
	ret = file_is_epoll(f) ? eventpoll_wait(f, &b, maxevents, deadline) :
				 -EINVAL;
	file_put(f);
	return ret;
}

/* A timeout in ms as a deadline: negative waits forever, 0 not at all. */
static uint64_t ms_deadline(int ms)
{
	if (ms < 0)
		return KTIME_NEVER;
	if (!ms)
		return 0;
	return ktime_add(fr_monotonic_ns(), (uint64_t)ms * 1000000);
}

/* epoll_pwait and epoll_pwait2: the wait with the mask at @umask. */
static long do_epoll_pwait(const struct syscall_args *a, uint64_t deadline)
{
	long ret = set_user_sigmask(a->arg[4], a->arg[5]);

	if (ret)
		return ret;
	ret = do_epoll_wait((int)a->arg[0], a->arg[1], (int)a->arg[2],
			    deadline);
	restore_sigmask(ret == -EINTR);
	return ret;
}

long sys_epoll_wait(const struct syscall_args *a)
{
	return do_epoll_wait((int)a->arg[0], a->arg[1], (int)a->arg[2],
			     ms_deadline((int)a->arg[3]));
}

long sys_epoll_pwait(const struct syscall_args *a)
{
	return do_epoll_pwait(a, ms_deadline((int)a->arg[3]));
}

long sys_epoll_pwait2(const struct syscall_args *a)
{
	uint64_t deadline = KTIME_NEVER, ns;
	int err;

	if (a->arg[3]) {
		err = timespec_from_user(fr_uaddr(a->arg[3]), &ns);
		if (err)
			return err;
		deadline = ns ? ktime_add(fr_monotonic_ns(), ns) : 0;
	}
	return do_epoll_pwait(a, deadline);
}
