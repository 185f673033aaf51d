/* link, linkat (AT_SYMLINK_FOLLOW, AT_EMPTY_PATH), symlink, symlinkat,
 * readlink, readlinkat, unlink and unlinkat on tmpfs: link counts, a file
 * that lives on while open after its last name goes, what a link to a
 * symbolic link names, and the errors. */
#define _GNU_SOURCE
#include <limits.h>
#include "fs_util.h"

static void check_link(void)
{
	struct stat st, st2;
	int fd, dfd;

	section("link: a second name for the same inode");
	put_file("f", "data");
	OK(link("f", "f2"));
	OK(stat("f", &st));
	OK(stat("f2", &st2));
	EQ(st.st_nlink, 2);
	EQ(st2.st_ino, st.st_ino);
	FILE_IS("f2", "data");
	OK(mkdir("d", 0755));
	OK(link("f", "d/f3"));
	OK(stat("f", &st));
	EQ(st.st_nlink, 3);

	section("link errors");
	ERR(link("f", "f2"), EEXIST);
	ERR(link("missing", "x"), ENOENT);
	ERR(link("f", "missing/x"), ENOENT);
	ERR(link("d", "d2"), EPERM);
	ERR(link("f/", "x"), ENOTDIR);
	ERR(link("f", "x/"), ENOENT);
	ERR(link("f", "f2/"), EEXIST);
	ERR(link("f", "f/x"), ENOTDIR);
	ERR(link(BADPTR, "x"), EFAULT);
	ERR(link("f", BADPTR), EFAULT);
	ERR(link("", "x"), ENOENT);
	ERR(link("f", ""), ENOENT);

	section("linkat: a symbolic link itself, or its target");
	OK(symlink("f", "lf"));
	OK(linkat(AT_FDCWD, "lf", AT_FDCWD, "hl", 0));
	OK(lstat("hl", &st2));
	TRUE(S_ISLNK(st2.st_mode), "hl mode %o", st2.st_mode);
	OK(lstat("lf", &st));
	EQ(st2.st_ino, st.st_ino);
	EQ(st.st_nlink, 2);
	OK(linkat(AT_FDCWD, "lf", AT_FDCWD, "hf", AT_SYMLINK_FOLLOW));
	OK(lstat("hf", &st2));
	OK(stat("f", &st));
	EQ(st2.st_ino, st.st_ino);
	EQ(st.st_nlink, 4);
	dfd = OK(open("d", O_RDONLY | O_DIRECTORY));
	OK(linkat(dfd, "f3", AT_FDCWD, "f4", 0));
	OK(linkat(AT_FDCWD, "f4", dfd, "f5", 0));
	OK(stat("d/f5", &st2));
	EQ(st2.st_nlink, 6);

	section("linkat AT_EMPTY_PATH: a name for an open file");
	fd = OK(open("f", O_RDONLY));
	OK(linkat(fd, "", AT_FDCWD, "f6", AT_EMPTY_PATH));
	OK(stat("f6", &st2));
	EQ(st2.st_ino, st.st_ino);
	ERR(linkat(fd, "", AT_FDCWD, "f7", 0), ENOENT);
	ERR(linkat(dfd, "", AT_FDCWD, "f7", AT_EMPTY_PATH), EPERM);

	section("linkat errors");
	ERR(linkat(AT_FDCWD, "f", AT_FDCWD, "f7", 0x1), EINVAL);
	ERR(linkat(-1, "f", AT_FDCWD, "f7", 0), EBADF);
	ERR(linkat(AT_FDCWD, "f", -1, "f7", 0), EBADF);
	ERR(linkat(fd, "x", AT_FDCWD, "f7", 0), ENOTDIR);
	OK(close(fd));
	OK(close(dfd));

	section("unlink: the count drops; an open file lives on");
	OK(stat("f", &st));
	EQ(st.st_nlink, 7);
	OK(unlink("f6"));
	OK(stat("f", &st));
	EQ(st.st_nlink, 6);
	put_file("tmp", "still here");
	fd = OK(open("tmp", O_RDWR));
	OK(unlink("tmp"));
	ERR(stat("tmp", &st), ENOENT);
	OK(fstat(fd, &st));
	EQ(st.st_nlink, 0);
	{
		char buf[16];

		EQ(pread(fd, buf, sizeof(buf), 0), 10);
		SAME(buf, "still here", 10);
		EQ(pwrite(fd, "S", 1, 0), 1);
	}
	OK(close(fd));

	section("unlink errors");
	ERR(unlink("tmp"), ENOENT);
	ERR(unlink("d"), EISDIR);
	ERR(unlink("d/"), EISDIR);
	ERR(unlink("f/"), ENOTDIR);
	ERR(unlink("f2/x"), ENOTDIR);
	ERR(unlink(""), ENOENT);
	ERR(unlink(BADPTR), EFAULT);
	ERR(unlink("."), EISDIR);

	section("unlinkat: files, AT_REMOVEDIR, bad flags");
	dfd = OK(open("d", O_RDONLY | O_DIRECTORY));
	OK(unlinkat(dfd, "f5", 0));
	ERR(unlinkat(dfd, "f5", 0), ENOENT);
	OK(mkdir("d/sub", 0755));
	ERR(unlinkat(dfd, "sub", 0), EISDIR);
	ERR(unlinkat(dfd, "f3", AT_REMOVEDIR), ENOTDIR);
	ERR(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR), ENOTEMPTY);
	ERR(unlinkat(dfd, "sub", 0x1), EINVAL);
	OK(unlinkat(dfd, "sub", AT_REMOVEDIR));
	ERR(stat("d/sub", &st), ENOENT);
	ERR(unlinkat(-1, "f3", 0), EBADF);
	ERR(unlinkat(dfd, ".", AT_REMOVEDIR), EINVAL);
	/* unlinking a symbolic link removes the link, not the target */
	OK(unlinkat(AT_FDCWD, "lf", 0));
	OK(stat("f", &st));
	OK(close(dfd));
}

static void check_symlink(void)
{
	char buf[PATH_MAX + 8], target[PATH_MAX + 8];
	struct stat st;
	int dfd, fd;

	section("symlink and readlink: the target is stored as given");
	OK(symlink("some/where/../far", "l1"));
	EQ(readlink("l1", buf, sizeof(buf)), 17);
	SAME(buf, "some/where/../far", 17);
	OK(symlink("/tmp/f", "abs"));
	FILE_IS("abs", "data");
	OK(symlink("../f", "d/rel"));
	FILE_IS("d/rel", "data");
	/* a short buffer truncates, without a NUL */
	memset(buf, '#', sizeof(buf));
	EQ(readlink("l1", buf, 4), 4);
	SAME(buf, "some#", 5);
	/* readlink on a directory link with a trailing slash: not a link */
	OK(symlink("d", "ld"));
	ERR(readlink("ld/", buf, sizeof(buf)), EINVAL);

	section("symlink errors");
	ERR(symlink("x", "l1"), EEXIST);
	ERR(symlink("x", "d"), EEXIST);
	ERR(symlink("", "empty"), ENOENT);
	ERR(symlink("x", "missing/l"), ENOENT);
	ERR(symlink("x", "f/l"), ENOTDIR);
	ERR(symlink(BADPTR, "l2"), EFAULT);
	ERR(symlink("x", BADPTR), EFAULT);
	ERR(symlink("x", "new/"), ENOENT);
	memset(target, 't', PATH_MAX);
	target[PATH_MAX] = 0;
	ERR(symlink(target, "long"), ENAMETOOLONG);
	target[PATH_MAX - 1] = 0;
	OK(symlink(target, "long"));
	EQ(readlink("long", buf, sizeof(buf)), PATH_MAX - 1);
	OK(lstat("long", &st));
	EQ(st.st_size, PATH_MAX - 1);

	section("readlink errors");
	ERR(readlink("f", buf, sizeof(buf)), EINVAL);
	ERR(readlink("d", buf, sizeof(buf)), EINVAL);
	ERR(readlink("missing", buf, sizeof(buf)), ENOENT);
	ERR(syscall(SYS_readlink, "l1", buf, 0), EINVAL);
	ERR(syscall(SYS_readlinkat, AT_FDCWD, "l1", buf, 0), EINVAL);
	ERR(readlink("l1", BADPTR, sizeof(buf)), EFAULT);
	ERR(readlink(BADPTR, buf, sizeof(buf)), EFAULT);
	ERR(readlink("", buf, sizeof(buf)), ENOENT);

	section("symlinkat and readlinkat");
	dfd = OK(open("d", O_RDONLY | O_DIRECTORY));
	OK(symlinkat("f3", dfd, "l3"));
	EQ(readlinkat(dfd, "l3", buf, sizeof(buf)), 2);
	SAME(buf, "f3", 2);
	EQ(readlinkat(AT_FDCWD, "d/l3", buf, sizeof(buf)), 2);
	FILE_IS("d/l3", "data");
	ERR(symlinkat("x", -1, "l4"), EBADF);
	ERR(readlinkat(-1, "l3", buf, sizeof(buf)), EBADF);
	fd = OK(open("f", O_RDONLY));
	ERR(symlinkat("x", fd, "l4"), ENOTDIR);
	ERR(readlinkat(fd, "l3", buf, sizeof(buf)), ENOTDIR);
	OK(close(fd));
	/* an empty path names the descriptor: a link opened with O_PATH */
	fd = OK(open("d/l3", O_PATH | O_NOFOLLOW));
	EQ(readlinkat(fd, "", buf, sizeof(buf)), 2);
	SAME(buf, "f3", 2);
	OK(close(fd));
	ERR(readlinkat(dfd, "", buf, sizeof(buf)), ENOENT);
	OK(close(dfd));
}

int main(void)
{
	fs_setup("fs_link");
	check_link();
	check_symlink();
	return fs_done();
}
