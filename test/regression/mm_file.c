/* mmap of regular files (tmpfs and memfd): a shared mapping is the file's
 * own pages (read/write and the mapping see each other's changes, across
 * fork and between mappings), a private one is copy-on-write from them;
 * a page wholly past the end of the file is SIGBUS, also after ftruncate
 * shrank the file under a mapping; msync; the errors in Linux's order;
 * /proc/self/maps names the file. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <linux/mman.h>
#include "fs_util.h"

#define P 4096L
#define RW (PROT_READ | PROT_WRITE)

static sigjmp_buf bus_jmp;
static volatile void *bus_addr;
static volatile int bus_code;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_addr = si->si_addr;
	bus_code = si->si_code;
	siglongjmp(bus_jmp, 1);
}

/* whether touching @p (reading, or writing when @write) is SIGBUS with
 * BUS_ADRERR at @p */
static int bus_at(volatile char *p, int write)
{
	bus_addr = NULL;
	bus_code = 0;
	if (sigsetjmp(bus_jmp, 1) == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
		return 0;
	}
	TRUE(bus_addr == (void *)p && bus_code == BUS_ADRERR,
	     "SIGBUS at %p code %d, expected %p code %d", (void *)bus_addr,
	     bus_code, (void *)p, BUS_ADRERR);
	return 1;
}

/* a file of @pages pages, page i filled with 'a' + i */
static int make_file(const char *path, int pages)
{
	char buf[P];
	int fd = OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));

	for (int i = 0; i < pages; i++) {
		memset(buf, 'a' + i, sizeof(buf));
		EQ(write(fd, buf, P), P);
	}
	return fd;
}

static char *map(long len, int prot, int flags, int fd, long off)
{
	char *m = mmap(NULL, len, prot, flags, fd, off);

	TRUE(m != MAP_FAILED, "mmap errno %s", errname(errno));
	return m;
}

static void check_shared(void)
{
	char buf[16];
	int fd = make_file("f", 2), fd2;
	char *m, *m2;
	pid_t pid;
	int st;

	section("MAP_SHARED: the mapping is the file");
	m = map(2 * P, RW, MAP_SHARED, fd, 0);
	TRUE(m[0] == 'a' && m[P - 1] == 'a' && m[P] == 'b' &&
	     m[2 * P - 1] == 'b', "content %c %c", m[0], m[P]);
	memcpy(m + 10, "mapped", 6);
	EQ(pread(fd, buf, 6, 10), 6);
	SAME(buf, "mapped", 6);
	EQ(pwrite(fd, "written", 7, P + 5), 7);
	SAME(m + P + 5, "written", 7);

	section("MAP_SHARED: at an offset, and two mappings of the file");
	fd2 = OK(open("f", O_RDWR));
	m2 = map(P, RW, MAP_SHARED, fd2, P);
	SAME(m2 + 5, "written", 7);
	memcpy(m2 + 100, "second", 6);
	SAME(m + P + 100, "second", 6);
	memcpy(m + P + 200, "first", 5);
	SAME(m2 + 200, "first", 5);
	OK(close(fd2));
	SAME(m2 + 200, "first", 5); /* the mapping outlives the fd */

	section("MAP_SHARED: read and write with a buffer in the mapping");
	EQ(pread(fd, m + 300, 6, 10), 6);
	SAME(m + 300, "mapped", 6);
	EQ(pwrite(fd, m + P + 5, 7, 400), 7);
	SAME(m + 400, "written", 7);

	section("MAP_SHARED: across fork, and a mapping made in the child");
	fflush(stdout);
	pid = OK(fork());
	if (pid == 0) {
		char *c;

		memcpy(m + 500, "child", 5);
		c = mmap(NULL, P, RW, MAP_SHARED, fd, 0);
		if (c == MAP_FAILED)
			_exit(2);
		memcpy(c + 600, "own", 3);
		_exit(memcmp(c + 10, "mapped", 6) ? 3 : 0);
	}
	EQ(waitpid(pid, &st, 0), pid);
	TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %#x", st);
	SAME(m + 500, "child", 5);
	SAME(m + 600, "own", 3);
	EQ(pread(fd, buf, 3, 600), 3);
	SAME(buf, "own", 3);

	section("msync");
	OK(msync(m, 2 * P, MS_SYNC));
	OK(msync(m, P, MS_ASYNC | MS_INVALIDATE));
	ERR(msync(m, P, MS_SYNC | MS_ASYNC), EINVAL);
	OK(munmap(m, 2 * P));
	OK(munmap(m2, P));
	OK(close(fd));
	OK(unlink("f"));
}

static void check_private(void)
{
	char buf[16];
	int fd = make_file("p", 2);
	char *m, *s;
	pid_t pid;
	int st;

	section("MAP_PRIVATE: the file's contents until written");
	m = map(2 * P, RW, MAP_PRIVATE, fd, 0);
	s = map(2 * P, RW, MAP_SHARED, fd, 0);
	TRUE(m[0] == 'a' && m[P] == 'b', "content %c %c", m[0], m[P]);
	/* a page not written yet shows the file's changes */
	EQ(pwrite(fd, "later", 5, P + 20), 5);
	SAME(m + P + 20, "later", 5);
	memcpy(s + P + 40, "shared", 6);
	SAME(m + P + 40, "shared", 6);

	section("MAP_PRIVATE: a write copies the page");
	memcpy(m + 30, "private", 7);
	SAME(m + 30, "private", 7);
	EQ(pread(fd, buf, 7, 30), 7);
	TRUE(memcmp(buf, "aaaaaaa", 7) == 0, "file has \"%.7s\"", buf);
	TRUE(memcmp(s + 30, "aaaaaaa", 7) == 0, "shared has \"%.7s\"", s + 30);
	TRUE(m[0] == 'a' && m[P - 1] == 'a', "rest of the page %c", m[0]);

	section("MAP_PRIVATE: copies are private across fork");
	fflush(stdout);
	pid = OK(fork());
	if (pid == 0) {
		memcpy(m + 50, "kid", 3);	/* a copied page */
		memcpy(m + P + 50, "kid", 3);	/* a file page */
		_exit(memcmp(m + 30, "private", 7) ? 2 : 0);
	}
	EQ(waitpid(pid, &st, 0), pid);
	TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %#x", st);
	TRUE(m[50] == 'a' && m[P + 50] == 'b', "parent sees %c %c", m[50],
	     m[P + 50]);
	EQ(pread(fd, buf, 3, P + 50), 3);
	TRUE(memcmp(buf, "bbb", 3) == 0, "file has \"%.3s\"", buf);

	section("MAP_PRIVATE of a read-only file may be written");
	{
		int ro = OK(open("p", O_RDONLY));
		char *r = map(P, RW, MAP_PRIVATE, ro, 0);

		r[0] = 'X';
		EQ(pread(fd, buf, 1, 0), 1);
		EQ(buf[0], 'a');
		OK(munmap(r, P));
		OK(close(ro));
	}
	OK(munmap(m, 2 * P));
	OK(munmap(s, 2 * P));
	OK(close(fd));
}

static void check_sigbus(void)
{
	struct sigaction sa;
	int fd = make_file("t", 2);
	char *m, *pm;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	OK(sigaction(SIGBUS, &sa, NULL));

	section("a page wholly past the end of the file is SIGBUS");
	m = map(3 * P, RW, MAP_SHARED, fd, 0);
	TRUE(!bus_at(m + P, 0), "page 1 is in the file");
	TRUE(bus_at(m + 2 * P, 0), "page 2 is past the end");
	TRUE(bus_at(m + 2 * P + 7, 1), "page 2 is past the end");

	section("ftruncate shrinking drops the pages, mapped or not");
	pm = map(2 * P, RW, MAP_PRIVATE, fd, 0);
	m[P] = 'Y';
	pm[P + 1] = 'Z'; /* a private copy */
	EQ(pm[P], 'Y');
	OK(ftruncate(fd, P + 100));
	TRUE(!bus_at(m + P + 200, 0), "the last page is partly in the file");
	EQ(m[P], 'Y');
	EQ(m[P + 100], 0); /* cleared past the end */
	OK(ftruncate(fd, P));
	TRUE(bus_at(m + P, 0), "page 1 is past the end now");
	TRUE(bus_at(pm + P + 1, 0), "even the private copy");
	EQ(m[0], 'a');
	EQ(pm[0], 'a');
	OK(ftruncate(fd, 2 * P));
	EQ(m[P], 0); /* a hole again */
	EQ(pm[P + 1], 0);
	TRUE(bus_at(m + 2 * P, 0), "page 2 is still past the end");

	section("writing the file extends what may be mapped");
	EQ(pwrite(fd, "grown", 5, 2 * P), 5);
	SAME(m + 2 * P, "grown", 5);
	OK(munmap(m, 3 * P));
	OK(munmap(pm, 2 * P));
	OK(close(fd));
	signal(SIGBUS, SIG_DFL);
}

static void check_errors(void)
{
	int fd = make_file("e", 1), ro, wo, ap, pfd[2], dfd, nfd, opath;
	char *m;

	section("mmap errors: bad fds and offsets");
	ERR(mmap(NULL, P, PROT_READ, MAP_SHARED, -1, 0), EBADF);
	ERR(mmap(NULL, P, PROT_READ, MAP_SHARED, 999, 0), EBADF);
	ERR(mmap(NULL, P, PROT_READ, MAP_SHARED, -1, 100), EINVAL);
	ERR(mmap(NULL, P, PROT_READ, MAP_SHARED, fd, 100), EINVAL);
	ERR(mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
	ERR(mmap(NULL, P, PROT_READ, 0, fd, 0), EINVAL);
	ERR(mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0),
	    EINVAL);
	ERR(mmap(NULL, P, PROT_READ, MAP_SHARED | MAP_HUGETLB, fd, 0), EINVAL);
	ERR(mmap(NULL, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0),
	    EOPNOTSUPP);
	m = map(P, PROT_READ, MAP_SHARED_VALIDATE, fd, 0);
	EQ(m[0], 'a');
	OK(munmap(m, P));
	opath = OK(open("e", O_PATH));
	ERR(mmap(NULL, P, PROT_READ, MAP_SHARED, opath, 0), EBADF);
	OK(close(opath));

	section("mmap errors: the file's open mode");
	ro = OK(open("e", O_RDONLY));
	ERR(mmap(NULL, P, RW, MAP_SHARED, ro, 0), EACCES);
	m = map(P, PROT_READ, MAP_SHARED, ro, 0);
	ERR(mprotect(m, P, RW), EACCES);
	OK(mprotect(m, P, PROT_READ));
	OK(munmap(m, P));
	wo = OK(open("e", O_WRONLY));
	ERR(mmap(NULL, P, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	ERR(mmap(NULL, P, PROT_WRITE, MAP_SHARED, wo, 0), EACCES);
	ap = OK(open("e", O_RDWR | O_APPEND));
	m = map(P, RW, MAP_SHARED, ap, 0); /* only append-only inodes refuse */
	m[1] = 'A';
	OK(munmap(m, P));

	section("mmap errors: what cannot be mapped");
	OK(pipe(pfd));
	ERR(mmap(NULL, P, PROT_READ, MAP_SHARED, pfd[0], 0), ENODEV);
	ERR(mmap(NULL, P, PROT_READ, MAP_PRIVATE, pfd[1], 0), EACCES);
	dfd = OK(open(".", O_RDONLY | O_DIRECTORY));
	ERR(mmap(NULL, P, PROT_READ, MAP_PRIVATE, dfd, 0), ENODEV);
	OK(mknod("null", S_IFCHR | 0666, makedev(1, 3)));
	nfd = OK(open("null", O_RDWR));
	ERR(mmap(NULL, P, PROT_READ, MAP_SHARED, nfd, 0), ENODEV);
	/* the placement comes first: MAP_FIXED_NOREPLACE on a mapping */
	m = map(P, PROT_READ, MAP_PRIVATE, fd, 0);
	ERR(mmap(m, P, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, pfd[0], 0),
	    EEXIST);
	OK(munmap(m, P));

	section("mmap errors: noexec mounts");
	OK(mkdir("nx", 0755));
	OK(mount("tmpfs", "nx", "tmpfs", MS_NOEXEC, NULL));
	{
		int x = make_file("nx/x", 1);

		ERR(mmap(NULL, P, PROT_READ | PROT_EXEC, MAP_PRIVATE, x, 0),
		    EPERM);
		m = map(P, PROT_READ, MAP_PRIVATE, x, 0);
		ERR(mprotect(m, P, PROT_READ | PROT_EXEC), EACCES);
		OK(munmap(m, P));
		OK(close(x));
	}
	OK(umount("nx"));
	OK(close(pfd[0]));
	OK(close(pfd[1]));
	OK(close(dfd));
	OK(close(nfd));
	OK(close(ap));
	OK(close(wo));
	OK(close(ro));
	OK(close(fd));
}

static void check_memfd_and_zero(void)
{
	char buf[16];
	int fd = OK(memfd_create("mapped", 0)), z;
	char *m, *zm;
	pid_t pid;
	int st;

	section("memfd: mapped shared with its file");
	OK(ftruncate(fd, 2 * P));
	m = map(2 * P, RW, MAP_SHARED, fd, 0);
	memcpy(m + P, "memfd", 5);
	EQ(pread(fd, buf, 5, P), 5);
	SAME(buf, "memfd", 5);
	EQ(pwrite(fd, "back", 4, 0), 4);
	SAME(m, "back", 4);
	OK(munmap(m, 2 * P));
	OK(close(fd));

	section("/dev/zero: shared and private anonymous memory");
	OK(mknod("zero", S_IFCHR | 0666, makedev(1, 5)));
	z = OK(open("zero", O_RDWR));
	zm = map(P, RW, MAP_SHARED, z, 0);
	m = map(P, RW, MAP_PRIVATE, z, 0);
	EQ(zm[5] + m[5], 0);
	fflush(stdout);
	pid = OK(fork());
	if (pid == 0) {
		zm[5] = 's';
		m[5] = 'p';
		_exit(0);
	}
	EQ(waitpid(pid, &st, 0), pid);
	EQ(zm[5], 's');
	EQ(m[5], 0);
	OK(munmap(zm, P));
	OK(munmap(m, P));
	OK(close(z));
}

/* after the field @n (0: the start), the rest of @s past the spaces */
static const char *after_field(const char *s, int n)
{
	for (int i = 0; i < n; i++) {
		s += strcspn(s, " ");
		s += strspn(s, " ");
	}
	return s;
}

/* the five fields are the same and so is the name (the padding before it
 * is not compared) */
static int same_line(const char *line, const char *want)
{
	size_t head = after_field(want, 5) - want;

	return !strncmp(line, want, head) &&
	       !strcmp(after_field(line, 5), after_field(want, 5));
}

/* the line of /proc/self/maps for @addr must be @want */
static void maps_line_is(char *addr, const char *want)
{
	static char text[16384];
	char start[32], *line;
	int fd = OK(open("/proc/self/maps", O_RDONLY));
	long n = 0, r;

	while ((r = OK(read(fd, text + n, sizeof(text) - 1 - n))) > 0)
		n += r;
	text[n] = 0;
	OK(close(fd));
	snprintf(start, sizeof(start), "\n%lx-", (unsigned long)addr);
	line = strstr(text, start);
	TRUE(line, "no line for %p in\n%s", (void *)addr, text);
	line++;
	*strchr(line, '\n') = 0;
	TRUE(same_line(line, want), "line \"%s\", expected \"%s\"", line,
	     want);
}

static void check_maps(void)
{
	char want[256];
	struct stat st;
	int fd = make_file("named", 3), mfd;
	char *m;

	section("/proc/self/maps names the file");
	mkdir("/proc", 0555);
	if (access("/proc/self/maps", R_OK) != 0)
		OK(mount("proc", "/proc", "proc", 0, NULL));
	OK(fstat(fd, &st));
	m = map(2 * P, PROT_READ, MAP_SHARED, fd, P);
	snprintf(want, sizeof(want),
		 "%lx-%lx r--s %08lx %02x:%02x %lu /tmp/named",
		 (unsigned long)m, (unsigned long)m + 2 * P, P,
		 major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
	maps_line_is(m, want);
	OK(munmap(m, 2 * P));
	m = map(P, RW, MAP_PRIVATE, fd, 2 * P);
	snprintf(want, sizeof(want),
		 "%lx-%lx rw-p %08lx %02x:%02x %lu /tmp/named",
		 (unsigned long)m, (unsigned long)m + P, 2 * P,
		 major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
	maps_line_is(m, want);
	OK(munmap(m, P));
	OK(close(fd));

	mfd = OK(memfd_create("named", 0));
	OK(ftruncate(mfd, P));
	OK(fstat(mfd, &st));
	m = map(P, RW, MAP_SHARED, mfd, 0);
	snprintf(want, sizeof(want),
		 "%lx-%lx rw-s 00000000 %02x:%02x %lu /memfd:named (deleted)",
		 (unsigned long)m, (unsigned long)m + P, major(st.st_dev),
		 minor(st.st_dev), (unsigned long)st.st_ino);
	maps_line_is(m, want);
	OK(munmap(m, P));
	OK(close(mfd));
}

int main(void)
{
	fs_setup("mm_file");
	check_shared();
	check_private();
	check_sigbus();
	check_errors();
	check_memfd_and_zero();
	check_maps();
	return fs_done();
}
