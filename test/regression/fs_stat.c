/* stat, fstat, lstat, newfstatat, statx, statfs and fstatfs on tmpfs:
 * types, modes, sizes, link counts, inode and device numbers, times that
 * move, the flags (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, statx's masks) and
 * the errors. */
#define _GNU_SOURCE
#include <sys/statfs.h>
#include <linux/stat.h>
#include <linux/magic.h>
#include "fs_util.h"

/* the calls themselves: the C library's stat family goes through
 * newfstatat and copies the result through its own buffer */
#define stat(p, b) syscall(SYS_stat, (p), (b))
#define lstat(p, b) syscall(SYS_lstat, (p), (b))
#define fstat(fd, b) syscall(SYS_fstat, (fd), (b))
#define fstatat(d, p, b, f) syscall(SYS_newfstatat, (d), (p), (b), (f))
#define statfs(p, b) syscall(SYS_statfs, (p), (b))
#define fstatfs(fd, b) syscall(SYS_fstatfs, (fd), (b))

static long do_statx(int dfd, const char *path, int flags, unsigned mask,
		     struct statx *sx)
{
	memset(sx, 0xa5, sizeof(*sx));
	return syscall(SYS_statx, dfd, path, flags, mask, sx);
}

static void check_stat(void)
{
	struct stat st, st2;
	int fd, dfd;

	section("stat of a file, a directory, a symbolic link (lstat)");
	put_file("f", "0123456789");
	OK(stat("f", &st));
	EQ(st.st_mode, S_IFREG | 0644);
	EQ(st.st_size, 10);
	EQ(st.st_nlink, 1);
	EQ(st.st_uid, 0);
	EQ(st.st_gid, 0);
	EQ(st.st_rdev, 0);
	EQ(st.st_blksize, 4096);
	TRUE(st.st_blocks == 8, "st_blocks %ld", (long)st.st_blocks);
	TRUE(st.st_ino != 0, "inode 0");
	OK(mkdir("d", 0750));
	OK(mkdir("d/sub1", 0700));
	OK(mkdir("d/sub2", 0700));
	put_file("d/file", "");
	OK(stat("d", &st2));
	EQ(st2.st_mode, S_IFDIR | 0750);
	EQ(st2.st_nlink, 4);
	EQ(st2.st_dev, st.st_dev);
	TRUE(st2.st_ino != st.st_ino, "same inode for d and f");
	OK(stat("d/sub1", &st2));
	EQ(st2.st_nlink, 2);
	OK(symlink("f", "lf"));
	OK(lstat("lf", &st2));
	EQ(st2.st_mode & S_IFMT, S_IFLNK);
	EQ(st2.st_mode & 07777, 0777);
	EQ(st2.st_size, 1);
	TRUE(st2.st_ino != st.st_ino, "a link has the inode of its target");
	OK(stat("lf", &st2));
	EQ(st2.st_ino, st.st_ino);
	EQ(st2.st_mode, S_IFREG | 0644);
	OK(lstat("f", &st2));
	EQ(st2.st_ino, st.st_ino);

	section("fstat agrees with stat; times move on write");
	fd = OK(open("f", O_RDWR));
	OK(fstat(fd, &st2));
	EQ(st2.st_ino, st.st_ino);
	EQ(st2.st_size, 10);
	{
		struct timespec old[2] = { { 1000, 0 }, { 2000, 0 } };

		OK(futimens(fd, old));
		OK(fstat(fd, &st2));
		EQ(st2.st_atime, 1000);
		EQ(st2.st_mtime, 2000);
		EQ(write(fd, "x", 1), 1);
		OK(fstat(fd, &st2));
		TRUE(st2.st_mtime > 2000, "mtime %ld", (long)st2.st_mtime);
		TRUE(st2.st_ctime >= st2.st_mtime, "ctime before mtime");
	}
	OK(close(fd));

	section("stat errors");
	ERR(stat("missing", &st), ENOENT);
	ERR(stat("", &st), ENOENT);
	ERR(stat("f/x", &st), ENOTDIR);
	ERR(stat("f/", &st), ENOTDIR);
	ERR(lstat("f/", &st), ENOTDIR);
	ERR(stat(BADPTR, &st), EFAULT);
	ERR(stat("f", BADPTR), EFAULT);
	ERR(lstat(BADPTR, &st), EFAULT);
	ERR(fstat(-1, &st), EBADF);
	ERR(fstat(999, &st), EBADF);
	dfd = OK(open(".", O_RDONLY));
	ERR(fstat(dfd, BADPTR), EFAULT);
	OK(close(dfd));
	OK(symlink("missing", "dangling"));
	ERR(stat("dangling", &st), ENOENT);
	OK(lstat("dangling", &st));
	EQ(st.st_size, 7);
	/* lstat with a trailing slash follows the link */
	OK(symlink("d", "ld"));
	OK(lstat("ld/", &st));
	TRUE(S_ISDIR(st.st_mode), "ld/ mode %o", st.st_mode);
}

static void check_fstatat(void)
{
	struct stat st, ref;
	int dfd, fd;

	section("newfstatat: AT_FDCWD, a directory, AT_SYMLINK_NOFOLLOW");
	OK(stat("d/file", &ref));
	dfd = OK(open("d", O_RDONLY | O_DIRECTORY));
	OK(fstatat(dfd, "file", &st, 0));
	EQ(st.st_ino, ref.st_ino);
	OK(fstatat(AT_FDCWD, "d/file", &st, 0));
	EQ(st.st_ino, ref.st_ino);
	OK(fstatat(AT_FDCWD, "lf", &st, AT_SYMLINK_NOFOLLOW));
	TRUE(S_ISLNK(st.st_mode), "mode %o", st.st_mode);
	OK(fstatat(AT_FDCWD, "lf", &st, 0));
	TRUE(S_ISREG(st.st_mode), "mode %o", st.st_mode);

	section("AT_EMPTY_PATH: the descriptor itself");
	fd = OK(open("f", O_RDONLY));
	OK(stat("f", &ref));
	OK(fstatat(fd, "", &st, AT_EMPTY_PATH));
	EQ(st.st_ino, ref.st_ino);
	ERR(fstatat(fd, "", &st, 0), ENOENT);
	OK(fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH));
	OK(stat(".", &ref));
	EQ(st.st_ino, ref.st_ino);

	section("newfstatat errors");
	ERR(fstatat(fd, "x", &st, 0), ENOTDIR);
	ERR(fstatat(-1, "x", &st, 0), EBADF);
	ERR(fstatat(-1, "", &st, AT_EMPTY_PATH), EBADF);
	ERR(fstatat(dfd, "file", &st, 0x1), EINVAL);
	ERR(fstatat(dfd, "missing", &st, 0), ENOENT);
	/* an absolute path ignores the descriptor */
	OK(fstatat(-1, "/tmp/f", &st, 0));
	OK(close(fd));
	OK(close(dfd));
}

static void check_statx(void)
{
	struct statx sx;
	struct stat st;
	int fd;

	section("statx: basic fields agree with stat");
	OK(stat("f", &st));
	OK(do_statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx));
	TRUE((sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS,
	     "mask %#x", sx.stx_mask);
	EQ(sx.stx_mode, st.st_mode);
	EQ(sx.stx_ino, st.st_ino);
	EQ(sx.stx_size, st.st_size);
	EQ(sx.stx_nlink, st.st_nlink);
	EQ(sx.stx_uid, st.st_uid);
	EQ(sx.stx_gid, st.st_gid);
	EQ(sx.stx_blksize, st.st_blksize);
	EQ(sx.stx_blocks, st.st_blocks);
	EQ(sx.stx_mtime.tv_sec, st.st_mtime);
	EQ(sx.stx_mtime.tv_nsec, st.st_mtim.tv_nsec);
	EQ(sx.stx_ctime.tv_sec, st.st_ctime);
	EQ(makedev(sx.stx_dev_major, sx.stx_dev_minor), st.st_dev);
	EQ(sx.stx_rdev_major, 0);
	EQ(sx.stx_rdev_minor, 0);

	section("statx: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, sync flags");
	OK(do_statx(AT_FDCWD, "lf", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS,
		    &sx));
	EQ(sx.stx_mode & S_IFMT, S_IFLNK);
	EQ(sx.stx_size, 1);
	OK(do_statx(AT_FDCWD, "lf", 0, STATX_TYPE | STATX_INO, &sx));
	EQ(sx.stx_ino, st.st_ino);
	fd = OK(open("d", O_RDONLY));
	OK(do_statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
	EQ(sx.stx_mode, S_IFDIR | 0750);
	EQ(sx.stx_nlink, 4);
	OK(do_statx(fd, "file", AT_STATX_FORCE_SYNC, STATX_SIZE, &sx));
	EQ(sx.stx_size, 0);
	OK(do_statx(fd, "file", AT_STATX_DONT_SYNC, STATX_ALL, &sx));

	section("statx errors");
	ERR(do_statx(fd, "", 0, STATX_BASIC_STATS, &sx), ENOENT);
	ERR(do_statx(AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &sx), ENOENT);
	ERR(do_statx(AT_FDCWD, "f/", 0, STATX_BASIC_STATS, &sx), ENOTDIR);
	ERR(do_statx(-1, "f", 0, STATX_BASIC_STATS, &sx), EBADF);
	ERR(do_statx(AT_FDCWD, "f", 0, STATX__RESERVED, &sx), EINVAL);
	ERR(do_statx(AT_FDCWD, "f", 0x10000000, STATX_BASIC_STATS, &sx),
	    EINVAL);
	ERR(do_statx(AT_FDCWD, "f",
		     AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC,
		     STATX_BASIC_STATS, &sx), EINVAL);
	ERR(syscall(SYS_statx, AT_FDCWD, "f", 0, STATX_BASIC_STATS, BADPTR),
	    EFAULT);
	ERR(syscall(SYS_statx, AT_FDCWD, BADPTR, 0, STATX_BASIC_STATS, &sx),
	    EFAULT);
	OK(close(fd));
}

static void check_statfs(void)
{
	struct statfs sf, sf2;
	int fd;

	section("statfs and fstatfs: tmpfs, and errors");
	OK(statfs("/tmp", &sf));
	EQ(sf.f_type, TMPFS_MAGIC);
	EQ(sf.f_bsize, 4096);
	EQ(sf.f_namelen, 255);
	EQ(sf.f_frsize, 4096);
	TRUE(sf.f_blocks > 0 && sf.f_bfree <= sf.f_blocks,
	     "blocks %ld free %ld", (long)sf.f_blocks, (long)sf.f_bfree);
	TRUE(sf.f_files > 0 && sf.f_ffree < sf.f_files, "files %ld free %ld",
	     (long)sf.f_files, (long)sf.f_ffree);
	fd = OK(open("f", O_RDONLY));
	OK(fstatfs(fd, &sf2));
	EQ(sf2.f_type, TMPFS_MAGIC);
	EQ(sf2.f_bsize, sf.f_bsize);
	EQ(sf2.f_blocks, sf.f_blocks);
	OK(statfs("d/file", &sf2));
	EQ(sf2.f_type, TMPFS_MAGIC);
	ERR(statfs("missing", &sf), ENOENT);
	ERR(statfs("f/x", &sf), ENOTDIR);
	ERR(statfs(BADPTR, &sf), EFAULT);
	ERR(statfs("f", BADPTR), EFAULT);
	ERR(fstatfs(-1, &sf), EBADF);
	ERR(fstatfs(fd, BADPTR), EFAULT);
	OK(close(fd));
}

int main(void)
{
	fs_setup("fs_stat");
	check_stat();
	check_fstatat();
	check_statx();
	check_statfs();
	return fs_done();
}
