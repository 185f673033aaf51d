/* truncate, ftruncate, fallocate, fsync, fdatasync, sync, syncfs and
 * utimensat (UTIME_NOW, UTIME_OMIT, NULL times, AT_SYMLINK_NOFOLLOW) on
 * tmpfs: sizes and zero fill, which times each call moves, who may set
 * times, and the errors. */
#define _GNU_SOURCE
#include <time.h>
#include <linux/falloc.h>
#include "fs_util.h"

#define utimensat4(d, p, t, f) syscall(SYS_utimensat, (d), (p), (t), (f))

/* old times on @path, to see what a call moves */
static void age(const char *path)
{
	struct timespec t[2] = { { 1000, 1 }, { 2000, 2 } };

	OK(utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW));
}

static void check_truncate(void)
{
	struct stat st;
	char buf[32];
	int fd, ro;

	section("truncate and ftruncate: shrink, grow with zeros, times");
	put_file("f", "0123456789");
	age("f");
	OK(truncate("f", 4));
	OK(stat("f", &st));
	EQ(st.st_size, 4);
	TRUE(st.st_mtime > 2000 && st.st_ctime > 2000, "times %ld %ld",
	     (long)st.st_mtime, (long)st.st_ctime);
	EQ(st.st_atime, 1000);
	OK(truncate("f", 8));
	fd = OK(open("f", O_RDWR));
	EQ(read(fd, buf, sizeof(buf)), 8);
	SAME(buf, "0123\0\0\0\0", 8);
	/* the offset does not move */
	OK(ftruncate(fd, 2));
	EQ(lseek(fd, 0, SEEK_CUR), 8);
	EQ(read(fd, buf, sizeof(buf)), 0);
	EQ(write(fd, "X", 1), 1);
	EQ(pread(fd, buf, sizeof(buf), 0), 9);
	SAME(buf, "01\0\0\0\0\0\0X", 9);
	/* the same size still moves the times */
	age("f");
	OK(ftruncate(fd, 9));
	OK(fstat(fd, &st));
	TRUE(st.st_mtime > 2000, "mtime %ld", (long)st.st_mtime);
	/* across pages, and back: the tail reads as zeros */
	OK(ftruncate(fd, 10000));
	EQ(pwrite(fd, "abc", 3, 8190), 3);
	OK(ftruncate(fd, 8191));
	OK(ftruncate(fd, 9000));
	EQ(pread(fd, buf, 4, 8189), 4);
	SAME(buf, "\0a\0\0", 4);
	OK(fstat(fd, &st));
	EQ(st.st_size, 9000);

	section("truncate errors");
	ERR(truncate("f", -1), EINVAL);
	ERR(ftruncate(fd, -1), EINVAL);
	ERR(truncate("missing", 0), ENOENT);
	ERR(truncate(".", 0), EISDIR);
	ERR(truncate("f/", 0), ENOTDIR);
	ERR(truncate(BADPTR, 0), EFAULT);
	ERR(ftruncate(-1, 0), EBADF);
	ro = OK(open("f", O_RDONLY));
	ERR(ftruncate(ro, 0), EINVAL);
	OK(close(ro));
	ro = OK(open(".", O_RDONLY));
	ERR(ftruncate(ro, 0), EINVAL);
	OK(close(ro));
	OK(close(fd));
}

static void check_fallocate(void)
{
	struct stat st;
	char buf[16];
	int fd, ro;

	section("fallocate: grows the size, KEEP_SIZE does not, PUNCH_HOLE zeros");
	fd = OK(open("fa", O_RDWR | O_CREAT | O_TRUNC, 0644));
	OK(fallocate(fd, 0, 0, 100));
	OK(fstat(fd, &st));
	EQ(st.st_size, 100);
	TRUE(st.st_blocks >= 8, "blocks %ld", (long)st.st_blocks);
	EQ(pread(fd, buf, 4, 50), 4);
	SAME(buf, "\0\0\0\0", 4);
	OK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8192));
	OK(fstat(fd, &st));
	EQ(st.st_size, 100);
	OK(fallocate(fd, 0, 50, 10));
	OK(fstat(fd, &st));
	EQ(st.st_size, 100);
	EQ(pwrite(fd, "abcdefgh", 8, 0), 8);
	OK(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 2, 3));
	EQ(pread(fd, buf, 8, 0), 8);
	SAME(buf, "ab\0\0\0fgh", 8);
	OK(fstat(fd, &st));
	EQ(st.st_size, 100);

	section("fallocate errors");
	ERR(fallocate(fd, 0, 0, 0), EINVAL);
	ERR(fallocate(fd, 0, -1, 10), EINVAL);
	ERR(fallocate(fd, 0, 0, -1), EINVAL);
	ERR(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10), EOPNOTSUPP);
	ERR(fallocate(fd, 0x100, 0, 10), EOPNOTSUPP);
	ERR(fallocate(-1, 0, 0, 10), EBADF);
	ro = OK(open("fa", O_RDONLY));
	ERR(fallocate(ro, 0, 0, 10), EBADF);
	OK(close(ro));
	ro = OK(open(".", O_RDONLY));
	ERR(fallocate(ro, 0, 0, 10), EBADF);
	OK(close(ro));
	OK(close(fd));
}

static void check_sync(void)
{
	int fd, dfd;

	section("fsync, fdatasync, sync, syncfs");
	fd = OK(open("f", O_RDWR));
	OK(fsync(fd));
	OK(fdatasync(fd));
	OK(syncfs(fd));
	sync();
	dfd = OK(open(".", O_RDONLY));
	OK(fsync(dfd));
	OK(syncfs(dfd));
	OK(close(dfd));
	OK(close(fd));
	fd = OK(open("f", O_RDONLY));
	OK(fsync(fd));
	OK(fdatasync(fd));
	OK(close(fd));
	ERR(fsync(-1), EBADF);
	ERR(fdatasync(-1), EBADF);
	ERR(syncfs(-1), EBADF);
	ERR(fsync(999), EBADF);
}

static void check_utimensat(void)
{
	struct timespec t[2], now;
	struct stat st;
	int fd, dfd;

	section("utimensat: given times, UTIME_OMIT, UTIME_NOW, NULL");
	put_file("u", "u");
	t[0] = (struct timespec){ 111, 222 };
	t[1] = (struct timespec){ 333, 444 };
	OK(utimensat(AT_FDCWD, "u", t, 0));
	OK(stat("u", &st));
	EQ(st.st_atim.tv_sec, 111);
	EQ(st.st_atim.tv_nsec, 222);
	EQ(st.st_mtim.tv_sec, 333);
	EQ(st.st_mtim.tv_nsec, 444);
	TRUE(st.st_ctime > 1000, "ctime %ld", (long)st.st_ctime);
	t[0] = (struct timespec){ 5, UTIME_OMIT };
	t[1] = (struct timespec){ 777, 0 };
	OK(utimensat(AT_FDCWD, "u", t, 0));
	OK(stat("u", &st));
	EQ(st.st_atime, 111);
	EQ(st.st_mtime, 777);
	OK(clock_gettime(CLOCK_REALTIME, &now));
	t[0] = (struct timespec){ 0, UTIME_NOW };
	t[1] = (struct timespec){ 0, UTIME_OMIT };
	OK(utimensat(AT_FDCWD, "u", t, 0));
	OK(stat("u", &st));
	TRUE(st.st_atime >= now.tv_sec - 1, "atime %ld now %ld",
	     (long)st.st_atime, (long)now.tv_sec);
	EQ(st.st_mtime, 777);
	age("u");
	OK(utimensat(AT_FDCWD, "u", NULL, 0));
	OK(stat("u", &st));
	TRUE(st.st_atime >= now.tv_sec - 1 && st.st_mtime >= now.tv_sec - 1,
	     "times %ld %ld", (long)st.st_atime, (long)st.st_mtime);
	/* both omitted: nothing changes, not even ctime */
	age("u");
	OK(stat("u", &st));
	t[0] = (struct timespec){ 0, UTIME_OMIT };
	t[1] = (struct timespec){ 0, UTIME_OMIT };
	OK(utimensat(AT_FDCWD, "u", t, 0));
	{
		struct stat st2;

		OK(stat("u", &st2));
		EQ(st2.st_mtime, 2000);
		EQ(st2.st_ctim.tv_nsec, st.st_ctim.tv_nsec);
	}

	section("utimensat: AT_SYMLINK_NOFOLLOW, a descriptor, NULL path");
	OK(symlink("u", "lu"));
	t[0] = (struct timespec){ 10, 0 };
	t[1] = (struct timespec){ 20, 0 };
	OK(utimensat(AT_FDCWD, "lu", t, AT_SYMLINK_NOFOLLOW));
	OK(lstat("lu", &st));
	EQ(st.st_mtime, 20);
	OK(stat("u", &st));
	EQ(st.st_mtime, 2000);
	OK(utimensat(AT_FDCWD, "lu", t, 0));
	OK(stat("u", &st));
	EQ(st.st_mtime, 20);
	dfd = OK(open(".", O_RDONLY));
	t[1] = (struct timespec){ 30, 0 };
	OK(utimensat(dfd, "u", t, 0));
	OK(stat("u", &st));
	EQ(st.st_mtime, 30);
	fd = OK(open("u", O_RDONLY));
	t[1] = (struct timespec){ 40, 0 };
	OK(utimensat4(fd, NULL, t, 0));
	OK(stat("u", &st));
	EQ(st.st_mtime, 40);
	OK(futimens(fd, NULL));
	OK(fstat(fd, &st));
	TRUE(st.st_mtime >= now.tv_sec - 1, "mtime %ld", (long)st.st_mtime);
	t[1] = (struct timespec){ 50, 0 };
	OK(utimensat(fd, "", t, AT_EMPTY_PATH));
	OK(stat("u", &st));
	EQ(st.st_mtime, 50);

	section("utimensat errors");
	t[0] = (struct timespec){ 0, 1000000000 };
	t[1] = (struct timespec){ 0, 0 };
	ERR(utimensat(AT_FDCWD, "u", t, 0), EINVAL);
	t[0] = (struct timespec){ 0, -1 };
	ERR(utimensat(AT_FDCWD, "u", t, 0), EINVAL);
	t[0] = (struct timespec){ 0, 0 };
	ERR(utimensat(AT_FDCWD, "u", t, 0x1), EINVAL);
	ERR(utimensat(AT_FDCWD, "missing", t, 0), ENOENT);
	ERR(utimensat(AT_FDCWD, "u/", t, 0), ENOTDIR);
	ERR(utimensat(-1, "u", t, 0), EBADF);
	ERR(utimensat4(-1, NULL, t, 0), EBADF);
	ERR(utimensat4(AT_FDCWD, NULL, t, 0), EFAULT);
	ERR(utimensat4(fd, NULL, t, AT_SYMLINK_NOFOLLOW), EINVAL);
	ERR(utimensat4(AT_FDCWD, "u", BADPTR, 0), EFAULT);
	ERR(utimensat(AT_FDCWD, BADPTR, t, 0), EFAULT);
	OK(close(fd));
	OK(close(dfd));
}

static void as_user(void)
{
	struct timespec t[2] = { { 1, 0 }, { 2, 0 } };
	struct timespec nows[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };

	child_setuid(1000);
	section("user 1000: times of others' files");
	/* given times: the owner only; now: anyone who may write */
	ERR(utimensat(AT_FDCWD, "rw", t, 0), EPERM);
	OK(utimensat(AT_FDCWD, "rw", NULL, 0));
	OK(utimensat(AT_FDCWD, "rw", nows, 0));
	ERR(utimensat(AT_FDCWD, "ro", NULL, 0), EACCES);
	ERR(utimensat(AT_FDCWD, "ro", t, 0), EPERM);
	OK(utimensat(AT_FDCWD, "mine", t, 0));
	ERR(truncate("ro", 0), EACCES);
	OK(truncate("rw", 0));
}

int main(void)
{
	fs_setup("fs_trunc_time");
	check_truncate();
	check_fallocate();
	check_sync();
	check_utimensat();
	put_file("rw", "rw");
	OK(chmod("rw", 0666));
	put_file("ro", "ro");
	put_file("mine", "m");
	OK(chown("mine", 1000, 1000));
	OK(chmod("mine", 0444));
	in_child(as_user);
	return fs_done();
}
