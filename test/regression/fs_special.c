/* mknod and mknodat (regular files, FIFOs, character devices: the null
 * device 1:3 and zero 1:5 made on tmpfs), sendfile between files, and
 * memfd_create: what each object does when opened, and the errors. */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/sysmacros.h>
#include "fs_util.h"

static void check_mknod(void)
{
	struct stat st;
	int fd;

	section("mknod: a regular file, with type 0 or S_IFREG");
	OK(mknod("reg", S_IFREG | 0640, 0));
	OK(stat("reg", &st));
	EQ(st.st_mode, S_IFREG | 0640);
	EQ(st.st_size, 0);
	OK(mknod("reg0", 0600, 0));
	OK(stat("reg0", &st));
	EQ(st.st_mode, S_IFREG | 0600);

	section("mknod errors");
	ERR(mknod("reg", S_IFREG | 0600, 0), EEXIST);
	ERR(mknod("dir", S_IFDIR | 0755, 0), EPERM);
	ERR(mknod("bad", 0170000 | 0600, 0), EINVAL);
	ERR(mknod("missing/x", S_IFIFO | 0600, 0), ENOENT);
	ERR(mknod("reg/x", S_IFIFO | 0600, 0), ENOTDIR);
	ERR(mknod(BADPTR, S_IFIFO | 0600, 0), EFAULT);
	ERR(mknod("", S_IFIFO | 0600, 0), ENOENT);
	ERR(mknodat(-1, "x", S_IFIFO | 0600, 0), EBADF);
	fd = OK(open("reg", O_RDONLY));
	ERR(mknodat(fd, "x", S_IFIFO | 0600, 0), ENOTDIR);
	OK(close(fd));
}

static void check_memfd_mmap(void)
{
	char buf[16];
	int fd;

	section("memfd_create: mapped shared, the file and the mapping are one");
	fd = OK(memfd_create("test", 0));
	EQ(write(fd, "memory", 6), 6);
	OK(ftruncate(fd, 4096));
	{
		char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
			       fd, 0);

		TRUE(m != MAP_FAILED, "mmap errno %d", errno);
		SAME(m, "memory", 6);
		memcpy(m, "MEM", 3);
		EQ(pread(fd, buf, 6, 0), 6);
		SAME(buf, "MEMory", 6);
		OK(munmap(m, 4096));
	}
	OK(close(fd));
}

static void check_chrdev(void)
{
	struct stat st;
	char buf[16];
	int fd, dfd;

	section("mknod: character devices work wherever their node is");
	OK(mknod("null", S_IFCHR | 0666, makedev(1, 3)));
	OK(stat("null", &st));
	EQ(st.st_mode, S_IFCHR | 0644);
	EQ(major(st.st_rdev), 1);
	EQ(minor(st.st_rdev), 3);
	EQ(st.st_size, 0);
	fd = OK(open("null", O_RDWR));
	EQ(write(fd, "gone", 4), 4);
	EQ(read(fd, buf, sizeof(buf)), 0);
	OK(close(fd));
	dfd = OK(open(".", O_RDONLY | O_DIRECTORY));
	OK(mknodat(dfd, "zero", S_IFCHR | 0666, makedev(1, 5)));
	fd = OK(openat(dfd, "zero", O_RDONLY));
	memset(buf, 'x', sizeof(buf));
	EQ(read(fd, buf, 4), 4);
	SAME(buf, "\0\0\0\0x", 5);
	OK(close(fd));
	/* a device number with no driver */
	OK(mknod("nodev", S_IFCHR | 0600, makedev(250, 250)));
	ERR(open("nodev", O_RDONLY), ENXIO);
	OK(mknodat(AT_FDCWD, "blk", S_IFBLK | 0600, makedev(250, 1)));
	OK(stat("blk", &st));
	TRUE(S_ISBLK(st.st_mode), "mode %o", st.st_mode);
	ERR(open("blk", O_RDONLY), ENXIO);
	OK(close(dfd));
}

static void check_fifo(void)
{
	struct stat st;
	char buf[16];
	int r, w;

	section("mknod: a FIFO carries bytes between its two ends");
	OK(mknod("fifo", S_IFIFO | 0666, 0));
	OK(stat("fifo", &st));
	EQ(st.st_mode, S_IFIFO | 0644);
	EQ(st.st_rdev, 0);
	ERR(open("fifo", O_WRONLY | O_NONBLOCK), ENXIO);
	r = OK(open("fifo", O_RDONLY | O_NONBLOCK));
	w = OK(open("fifo", O_WRONLY | O_NONBLOCK));
	EQ(write(w, "through", 7), 7);
	EQ(read(r, buf, sizeof(buf)), 7);
	SAME(buf, "through", 7);
	ERR(read(r, buf, sizeof(buf)), EAGAIN);
	ERR(lseek(r, 0, SEEK_SET), ESPIPE);
	OK(close(w));
	EQ(read(r, buf, sizeof(buf)), 0);
	OK(close(r));
	OK(mkfifo("fifo2", 0600));
	OK(stat("fifo2", &st));
	EQ(st.st_mode, S_IFIFO | 0600);
}

static void user_mknod(void)
{
	child_setuid(1000);
	section("user 1000: FIFOs yes, devices no");
	OK(mknod("ufifo", S_IFIFO | 0600, 0));
	ERR(mknod("udev", S_IFCHR | 0600, makedev(1, 3)), EPERM);
	ERR(mknod("ublk", S_IFBLK | 0600, makedev(250, 1)), EPERM);
}

static void check_sendfile(void)
{
	char buf[8192 + 16];
	struct stat st;
	off_t off;
	int in, out, ro, ap;

	section("sendfile: from the file position, or from *offset");
	for (int i = 0; i < (int)sizeof(buf); i++)
		buf[i] = 'A' + i % 23;
	in = OK(open("src", O_RDWR | O_CREAT, 0644));
	EQ(write(in, buf, 8192 + 16), 8192 + 16);
	EQ(lseek(in, 100, SEEK_SET), 100);
	out = OK(open("dst", O_RDWR | O_CREAT, 0644));
	EQ(sendfile(out, in, NULL, 5000), 5000);
	EQ(lseek(in, 0, SEEK_CUR), 5100);
	EQ(lseek(out, 0, SEEK_CUR), 5000);
	off = 8000;
	EQ(sendfile(out, in, &off, 1000), 208);
	EQ(off, 8208);
	EQ(lseek(in, 0, SEEK_CUR), 5100);
	EQ(sendfile(out, in, &off, 1000), 0);
	OK(fstat(out, &st));
	EQ(st.st_size, 5208);
	{
		char got[5208];

		EQ(pread(out, got, sizeof(got), 0), 5208);
		TRUE(!memcmp(got, buf + 100, 5000), "first 5000 bytes");
		TRUE(!memcmp(got + 5000, buf + 8000, 208), "last 208 bytes");
	}
	EQ(sendfile(out, in, NULL, 0), 0);

	section("sendfile errors");
	ro = OK(open("dst", O_RDONLY));
	ERR(sendfile(ro, in, NULL, 10), EBADF);
	OK(close(ro));
	ro = OK(open("src", O_WRONLY));
	ERR(sendfile(out, ro, NULL, 10), EBADF);
	OK(close(ro));
	ERR(sendfile(-1, in, NULL, 10), EBADF);
	ERR(sendfile(out, -1, NULL, 10), EBADF);
	ap = OK(open("dst", O_WRONLY | O_APPEND));
	ERR(sendfile(ap, in, NULL, 10), EINVAL);
	OK(close(ap));
	off = -1;
	ERR(sendfile(out, in, &off, 10), EINVAL);
	ERR(sendfile(out, in, BADPTR, 10), EFAULT);
	OK(close(in));
	OK(close(out));
}

static void check_memfd(void)
{
	struct stat st;
	char buf[16];
	int fd, fd2;

	section("memfd_create: an anonymous regular file");
	fd = OK(memfd_create("test", 0));
	OK(fstat(fd, &st));
	TRUE(S_ISREG(st.st_mode), "mode %o", st.st_mode);
	EQ(st.st_mode & 0777, 0777);
	EQ(st.st_size, 0);
	EQ(st.st_nlink, 0);
	EQ(fcntl(fd, F_GETFD), 0);
	EQ(fcntl(fd, F_GETFL), O_RDWR | O_LARGEFILE);
	EQ(write(fd, "memory", 6), 6);
	EQ(pread(fd, buf, sizeof(buf), 0), 6);
	SAME(buf, "memory", 6);
	OK(ftruncate(fd, 4096));
	OK(fstat(fd, &st));
	EQ(st.st_size, 4096);
	EQ(lseek(fd, 0, SEEK_END), 4096);
	/* another memfd is another file */
	fd2 = OK(memfd_create("test", MFD_CLOEXEC));
	EQ(fcntl(fd2, F_GETFD), FD_CLOEXEC);
	OK(fstat(fd2, &st));
	EQ(st.st_size, 0);
	OK(close(fd2));
	OK(close(fd));

	section("memfd_create errors");
	{
		char name[300];

		memset(name, 'n', 249);
		name[249] = 0;
		fd = OK(memfd_create(name, 0));
		OK(close(fd));
		name[249] = 'n';
		name[250] = 0;
		ERR(memfd_create(name, 0), EINVAL);
	}
	ERR(memfd_create("x", 0x100), EINVAL);
	ERR(memfd_create(BADPTR, 0), EFAULT);
}

int main(void)
{
	fs_setup("fs_special");
	check_mknod();
	in_child(user_mknod);
	check_sendfile();
	check_memfd();
	check_chrdev();
	check_fifo();
	check_memfd_mmap();
	return fs_done();
}
