/* fcntl (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD/F_SETFD, F_GETFL/F_SETFL, the
 * record locks F_GETLK/F_SETLK/F_SETLKW and F_OFD_*), flock, dup, dup2,
 * dup3 and ioctl (FIONREAD, FIOCLEX, FIONCLEX, TCGETS on a file): what is
 * shared by duplicates, what is per descriptor, the lock conflicts seen by
 * another process, and the errors. */
#define _GNU_SOURCE
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <termios.h>
#include "fs_util.h"

/* the call itself: the C library's dup3 without O_CLOEXEC calls dup2 */
#define dup3(o, n, f) syscall(SYS_dup3, (o), (n), (f))

static void check_dup(void)
{
	struct rlimit rl;
	int fd, d, d2;
	char c;

	section("dup: the lowest free number, a shared offset, no FD_CLOEXEC");
	put_file("f", "0123456789");
	fd = OK(open("f", O_RDWR | O_CLOEXEC));
	d = OK(dup(fd));
	TRUE(d > fd, "dup gave %d", d);
	EQ(fcntl(d, F_GETFD), 0);
	EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EQ(lseek(fd, 4, SEEK_SET), 4);
	EQ(read(d, &c, 1), 1);
	EQ(c, '4');
	EQ(lseek(fd, 0, SEEK_CUR), 5);
	/* status flags are shared too */
	OK(fcntl(d, F_SETFL, O_APPEND));
	EQ(fcntl(fd, F_GETFL) & O_APPEND, O_APPEND);
	OK(fcntl(d, F_SETFL, 0));
	OK(close(d));
	ERR(dup(-1), EBADF);
	ERR(dup(999), EBADF);

	section("dup2: onto a chosen number, replacing what was there");
	d = OK(open("f", O_RDONLY));
	EQ(dup2(fd, d), d);
	EQ(fcntl(d, F_GETFL) & O_ACCMODE, O_RDWR);
	EQ(dup2(fd, fd), fd);
	EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EQ(dup2(fd, 100), 100);
	EQ(lseek(100, 0, SEEK_CUR), 5);
	OK(close(100));
	ERR(dup2(-1, d), EBADF);
	ERR(dup2(999, d), EBADF);
	ERR(dup2(999, 999), EBADF);
	ERR(dup2(fd, -1), EBADF);
	OK(getrlimit(RLIMIT_NOFILE, &rl));
	ERR(dup2(fd, rl.rlim_cur), EBADF);
	ERR(dup2(fd, 1 << 30), EBADF);

	section("dup3: O_CLOEXEC only, never onto itself");
	EQ(dup3(fd, d, O_CLOEXEC), d);
	EQ(fcntl(d, F_GETFD), FD_CLOEXEC);
	EQ(dup3(fd, d, 0), d);
	EQ(fcntl(d, F_GETFD), 0);
	ERR(dup3(fd, fd, 0), EINVAL);
	ERR(dup3(fd, fd, O_CLOEXEC), EINVAL);
	ERR(dup3(fd, d, O_APPEND), EINVAL);
	ERR(dup3(-1, d, 0), EBADF);
	ERR(dup3(fd, rl.rlim_cur, 0), EBADF);
	OK(close(d));

	section("F_DUPFD and F_DUPFD_CLOEXEC: at least the argument");
	d = OK(fcntl(fd, F_DUPFD, 50));
	EQ(d, 50);
	EQ(fcntl(fd, F_DUPFD, 50), 51);
	EQ(fcntl(51, F_GETFD), 0);
	d2 = OK(fcntl(fd, F_DUPFD_CLOEXEC, 50));
	EQ(d2, 52);
	EQ(fcntl(d2, F_GETFD), FD_CLOEXEC);
	OK(close(50));
	EQ(fcntl(fd, F_DUPFD, 50), 50);
	OK(close(50));
	OK(close(51));
	OK(close(52));
	ERR(fcntl(fd, F_DUPFD, -1), EINVAL);
	ERR(fcntl(fd, F_DUPFD, rl.rlim_cur), EINVAL);
	ERR(fcntl(fd, F_DUPFD_CLOEXEC, 1 << 30), EINVAL);
	ERR(fcntl(-1, F_DUPFD, 0), EBADF);
	OK(close(fd));
}

static void check_flags(void)
{
	int fd, fd2;

	section("F_GETFD and F_SETFD: only FD_CLOEXEC, per descriptor");
	fd = OK(open("f", O_RDONLY));
	EQ(fcntl(fd, F_GETFD), 0);
	OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	OK(fcntl(fd, F_SETFD, 0xff));
	EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	OK(fcntl(fd, F_SETFD, 0));
	EQ(fcntl(fd, F_GETFD), 0);
	ERR(fcntl(-1, F_GETFD), EBADF);
	ERR(fcntl(999, F_SETFD, 0), EBADF);

	section("F_GETFL and F_SETFL: O_APPEND, O_NONBLOCK change; the rest not");
	EQ(fcntl(fd, F_GETFL), O_RDONLY | O_LARGEFILE);
	OK(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
	EQ(fcntl(fd, F_GETFL), O_RDONLY | O_LARGEFILE | O_APPEND | O_NONBLOCK);
	OK(fcntl(fd, F_SETFL, O_RDWR | O_CREAT | O_EXCL | O_TRUNC));
	EQ(fcntl(fd, F_GETFL), O_RDONLY | O_LARGEFILE);
	OK(close(fd));
	fd = OK(open("f", O_WRONLY | O_APPEND | O_NONBLOCK));
	EQ(fcntl(fd, F_GETFL), O_WRONLY | O_LARGEFILE | O_APPEND | O_NONBLOCK);
	/* a second open of the file has its own flags */
	fd2 = OK(open("f", O_RDWR));
	EQ(fcntl(fd2, F_GETFL), O_RDWR | O_LARGEFILE);
	OK(close(fd2));
	ERR(fcntl(-1, F_GETFL), EBADF);
	ERR(fcntl(fd, 9999), EINVAL);
	ERR(fcntl(fd, -1), EINVAL);
	OK(close(fd));
}

/* in another process: the lock F_GETLK reports over [start, start+len),
 * as "type pid", and whether F_SETLK of @type gets it */
struct probe {
	short type;
	off_t start, len;
	short got_type;
	pid_t got_pid;
	int set_errno;
};

/* results of a child, in memory shared with it */
static void *shared;

static void probe_locks(const char *path, struct probe *p)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = OK(fork());
	if (pid == 0) {
		struct flock fl = { .l_type = p->type, .l_whence = SEEK_SET,
				    .l_start = p->start, .l_len = p->len };
		int fd = open(path, O_RDWR);

		if (fd < 0 || fcntl(fd, F_GETLK, &fl))
			_exit(1);
		p->got_type = fl.l_type;
		p->got_pid = fl.l_type == F_UNLCK ? 0 : fl.l_pid;
		fl = (struct flock){ .l_type = p->type, .l_whence = SEEK_SET,
				     .l_start = p->start, .l_len = p->len };
		p->set_errno = fcntl(fd, F_SETLK, &fl) ? errno : 0;
		memcpy(shared, p, sizeof(*p));
		_exit(0);
	}
	EQ(waitpid(pid, &status, 0), pid);
	EQ(status, 0);
	memcpy(p, shared, sizeof(*p));
}

static void check_locks(void)
{
	struct flock fl;
	struct probe p;
	int fd, fd2, ro;

	section("F_SETLK and F_GETLK: another process sees the owner");
	fd = OK(open("f", O_RDWR));
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = 0, .l_len = 4 };
	OK(fcntl(fd, F_SETLK, &fl));
	/* our own lock does not conflict with us */
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = 0, .l_len = 10 };
	OK(fcntl(fd, F_GETLK, &fl));
	EQ(fl.l_type, F_UNLCK);
	p = (struct probe){ .type = F_RDLCK, .start = 2, .len = 1 };
	probe_locks("f", &p);
	EQ(p.got_type, F_WRLCK);
	EQ(p.got_pid, getpid());
	EQ(p.set_errno, EAGAIN);
	p = (struct probe){ .type = F_WRLCK, .start = 4, .len = 6 };
	probe_locks("f", &p);
	EQ(p.got_type, F_UNLCK);
	EQ(p.set_errno, 0);
	/* the lock reported, in full */
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET,
			     .l_start = 1, .l_len = 0 };
	{
		int status;
		pid_t pid;

		fflush(stdout);
		pid = OK(fork());
		if (pid == 0) {
			int cfd = open("f", O_RDWR);

			if (cfd < 0 || fcntl(cfd, F_GETLK, &fl))
				_exit(1);
			memcpy(shared, &fl, sizeof(fl));
			_exit(0);
		}
		EQ(waitpid(pid, &status, 0), pid);
		EQ(status, 0);
		memcpy(&fl, shared, sizeof(fl));
		EQ(fl.l_type, F_WRLCK);
		EQ(fl.l_whence, SEEK_SET);
		EQ(fl.l_start, 0);
		EQ(fl.l_len, 4);
		EQ(fl.l_pid, getpid());
	}

	section("read locks share; unlocking a part splits the lock");
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET,
			     .l_start = 0, .l_len = 4 };
	OK(fcntl(fd, F_SETLK, &fl));
	p = (struct probe){ .type = F_RDLCK, .start = 0, .len = 4 };
	probe_locks("f", &p);
	EQ(p.got_type, F_UNLCK);
	EQ(p.set_errno, 0);
	p = (struct probe){ .type = F_WRLCK, .start = 3, .len = 1 };
	probe_locks("f", &p);
	EQ(p.got_type, F_RDLCK);
	EQ(p.set_errno, EAGAIN);
	fl = (struct flock){ .l_type = F_UNLCK, .l_whence = SEEK_SET,
			     .l_start = 1, .l_len = 2 };
	OK(fcntl(fd, F_SETLKW, &fl));
	p = (struct probe){ .type = F_WRLCK, .start = 1, .len = 2 };
	probe_locks("f", &p);
	EQ(p.got_type, F_UNLCK);
	p = (struct probe){ .type = F_WRLCK, .start = 3, .len = 5 };
	probe_locks("f", &p);
	EQ(p.got_type, F_RDLCK);

	section("closing any descriptor of the file drops the process's locks");
	fd2 = OK(open("f", O_RDONLY));
	OK(close(fd2));
	p = (struct probe){ .type = F_WRLCK, .start = 0, .len = 0 };
	probe_locks("f", &p);
	EQ(p.got_type, F_UNLCK);

	section("lock errors");
	ro = OK(open("f", O_RDONLY));
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET };
	ERR(fcntl(ro, F_SETLK, &fl), EBADF);
	fl = (struct flock){ .l_type = 7, .l_whence = SEEK_SET };
	ERR(fcntl(fd, F_SETLK, &fl), EINVAL);
	ERR(fcntl(fd, F_GETLK, &fl), EINVAL);
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = 9 };
	ERR(fcntl(fd, F_SETLK, &fl), EINVAL);
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET,
			     .l_start = -1 };
	ERR(fcntl(fd, F_SETLK, &fl), EINVAL);
	ERR(fcntl(fd, F_SETLK, BADPTR), EFAULT);
	ERR(fcntl(fd, F_GETLK, BADPTR), EFAULT);
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET };
	ERR(fcntl(-1, F_SETLK, &fl), EBADF);

	section("open file description locks: F_OFD_SETLK, F_OFD_GETLK");
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = 0, .l_len = 1 };
	OK(fcntl(fd, F_OFD_SETLK, &fl));
	fd2 = OK(open("f", O_RDWR));
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = 0, .l_len = 1 };
	OK(fcntl(fd2, F_OFD_GETLK, &fl));
	EQ(fl.l_type, F_WRLCK);
	EQ(fl.l_pid, -1);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = 0, .l_len = 1 };
	ERR(fcntl(fd2, F_OFD_SETLK, &fl), EAGAIN);
	/* a classic lock conflicts with it too, even in the same process */
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = 0, .l_len = 1 };
	ERR(fcntl(fd2, F_SETLK, &fl), EAGAIN);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = 0, .l_len = 1, .l_pid = 1 };
	ERR(fcntl(fd, F_OFD_SETLK, &fl), EINVAL);
	ERR(fcntl(fd, F_OFD_GETLK, &fl), EINVAL);
	/* closing another description keeps it; closing its own drops it */
	OK(close(ro));
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = 0, .l_len = 1 };
	OK(fcntl(fd2, F_OFD_GETLK, &fl));
	EQ(fl.l_type, F_WRLCK);
	OK(close(fd));
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = 0, .l_len = 1 };
	OK(fcntl(fd2, F_OFD_SETLKW, &fl));
	OK(close(fd2));
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* in a child: take a lock of @how on "f" (0: F_SETLKW write lock, 1:
 * flock LOCK_EX), recording in shared memory that it got it; the child
 * closes its copy of @parent_fd first */
static pid_t lock_in_child(int how, int parent_fd)
{
	volatile int *got = shared;
	pid_t pid;

	*got = 0;
	fflush(stdout);
	pid = OK(fork());
	if (pid == 0) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		int fd = open("f", O_RDWR);

		if (fd < 0 || close(parent_fd))
			_exit(1);
		if (how == 0 ? fcntl(fd, F_SETLKW, &fl) : flock(fd, LOCK_EX))
			_exit(2);
		*got = 1;
		_exit(0);
	}
	return pid;
}

static void check_waits(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	volatile int *got = shared;
	int fd, status;
	pid_t pid;

	section("F_SETLKW waits until the holder unlocks");
	fd = OK(open("f", O_RDWR));
	OK(fcntl(fd, F_SETLK, &fl));
	pid = lock_in_child(0, fd);
	usleep(200000);
	EQ(*got, 0);
	fl.l_type = F_UNLCK;
	OK(fcntl(fd, F_SETLK, &fl));
	EQ(waitpid(pid, &status, 0), pid);
	EQ(status, 0);
	EQ(*got, 1);

	section("flock waits until the holder closes its file");
	OK(flock(fd, LOCK_EX));
	pid = lock_in_child(1, fd);
	usleep(200000);
	EQ(*got, 0);
	OK(close(fd));
	EQ(waitpid(pid, &status, 0), pid);
	EQ(status, 0);
	EQ(*got, 1);

	section("a signal interrupts F_SETLKW and flock: EINTR");
	fd = OK(open("f", O_RDWR));
	fl.l_type = F_WRLCK;
	OK(fcntl(fd, F_SETLK, &fl));
	OK(flock(fd, LOCK_EX));
	fflush(stdout);
	pid = OK(fork());
	if (pid == 0) {
		struct itimerval it = { .it_value = { 0, 100000 } };
		int cfd = open("f", O_RDWR);

		if (cfd < 0 || sigaction(SIGALRM, &sa, NULL))
			_exit(1);
		setitimer(ITIMER_REAL, &it, NULL);
		if (fcntl(cfd, F_SETLKW, &fl) != -1 || errno != EINTR)
			_exit(2);
		setitimer(ITIMER_REAL, &it, NULL);
		if (flock(cfd, LOCK_EX) != -1 || errno != EINTR)
			_exit(3);
		_exit(0);
	}
	EQ(waitpid(pid, &status, 0), pid);
	EQ(status, 0);
	OK(close(fd));
}

static void check_flock(void)
{
	int a, b, c, status;
	pid_t pid;

	section("flock: per open file description, shared by dup and fork");
	a = OK(open("f", O_RDONLY));
	b = OK(open("f", O_RDONLY));
	OK(flock(a, LOCK_EX));
	ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	c = OK(dup(a));
	OK(flock(c, LOCK_EX | LOCK_NB));
	fflush(stdout);
	pid = OK(fork());
	if (pid == 0)
		_exit(flock(a, LOCK_EX | LOCK_NB) ? 1 : 0);
	EQ(waitpid(pid, &status, 0), pid);
	EQ(status, 0);
	OK(close(c));
	ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	OK(flock(a, LOCK_SH));
	OK(flock(b, LOCK_SH | LOCK_NB));
	ERR(flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	OK(flock(b, LOCK_UN));
	OK(flock(a, LOCK_EX | LOCK_NB));
	OK(close(a));
	OK(flock(b, LOCK_EX | LOCK_NB));

	section("flock errors");
	ERR(flock(-1, LOCK_EX), EBADF);
	ERR(flock(b, 0), EINVAL);
	ERR(flock(b, LOCK_SH | LOCK_EX), EINVAL);
	ERR(flock(b, 0x80), EINVAL);
	OK(close(b));
}

static void check_ioctl(void)
{
	struct termios t;
	int fd, n, dfd;

	section("ioctl: FIONREAD counts from the offset, FIOCLEX, FIONCLEX");
	fd = OK(open("f", O_RDONLY));
	n = -1;
	OK(ioctl(fd, FIONREAD, &n));
	EQ(n, 10);
	EQ(lseek(fd, 7, SEEK_SET), 7);
	OK(ioctl(fd, FIONREAD, &n));
	EQ(n, 3);
	/* past the end, Linux gives the size minus the offset, negative */
	EQ(lseek(fd, 20, SEEK_SET), 20);
	OK(ioctl(fd, FIONREAD, &n));
	EQ(n, -10);
	ERR(ioctl(fd, FIONREAD, BADPTR), EFAULT);
	OK(ioctl(fd, FIOCLEX));
	EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	OK(ioctl(fd, FIONCLEX));
	EQ(fcntl(fd, F_GETFD), 0);

	section("ioctl errors: ENOTTY for a terminal request, EBADF");
	ERR(ioctl(fd, TCGETS, &t), ENOTTY);
	ERR(ioctl(fd, TIOCGPGRP, &n), ENOTTY);
	ERR(ioctl(fd, 0x12345678, 0), ENOTTY);
	ERR(ioctl(-1, FIONREAD, &n), EBADF);
	ERR(ioctl(-1, FIOCLEX), EBADF);
	dfd = OK(open(".", O_RDONLY));
	ERR(ioctl(dfd, TCGETS, &t), ENOTTY);
	OK(close(dfd));
	OK(close(fd));
}

int main(void)
{
	fs_setup("fs_fcntl");
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TRUE(shared != MAP_FAILED, "mmap");
	check_dup();
	check_flags();
	check_locks();
	check_flock();
	check_waits();
	check_ioctl();
	return fs_done();
}
