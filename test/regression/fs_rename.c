/* rename, renameat and renameat2 (RENAME_NOREPLACE, RENAME_EXCHANGE) on
 * tmpfs: replacing files and empty directories, moving directories and
 * their "..", names of one inode, trailing slashes, and the errors
 * (EISDIR, ENOTDIR, ENOTEMPTY, EINVAL, EBUSY, EXDEV, EEXIST). */
#define _GNU_SOURCE
#include <linux/fs.h>
#include "fs_util.h"

#define renameat2(od, o, nd, n, f) syscall(SYS_renameat2, od, o, nd, n, f)

static void check_rename(void)
{
	struct stat st, st2;
	int fd;

	section("rename a file; over another file; the old one is gone");
	put_file("a", "A");
	put_file("b", "B");
	OK(stat("b", &st2));
	fd = OK(open("b", O_RDONLY));
	OK(stat("a", &st));
	OK(rename("a", "c"));
	ERR(stat("a", &st2), ENOENT);
	OK(stat("c", &st2));
	EQ(st2.st_ino, st.st_ino);
	OK(rename("c", "b"));
	FILE_IS("b", "A");
	ERR(stat("c", &st2), ENOENT);
	/* the replaced file lives on while open */
	OK(fstat(fd, &st2));
	EQ(st2.st_nlink, 0);
	{
		char c;

		EQ(read(fd, &c, 1), 1);
		EQ(c, 'B');
	}
	OK(close(fd));

	section("two names of one inode: rename does nothing");
	OK(link("b", "b2"));
	OK(rename("b", "b2"));
	OK(stat("b", &st));
	OK(stat("b2", &st2));
	EQ(st.st_nlink, 2);
	OK(rename("b", "b"));
	OK(unlink("b2"));

	section("directories: move with their content, over an empty one");
	OK(mkdir("d1", 0755));
	OK(mkdir("d1/sub", 0755));
	put_file("d1/sub/f", "F");
	OK(mkdir("d2", 0755));
	OK(rename("d1/sub", "d2/sub"));
	FILE_IS("d2/sub/f", "F");
	OK(stat("d1", &st));
	EQ(st.st_nlink, 2);
	OK(stat("d2", &st));
	EQ(st.st_nlink, 3);
	/* ".." follows the move */
	OK(stat("d2/sub/..", &st2));
	EQ(st2.st_ino, st.st_ino);
	OK(mkdir("empty", 0755));
	OK(rename("d2/sub", "empty"));
	FILE_IS("empty/f", "F");
	OK(rename("empty/", "d2/sub/"));
	OK(rename("d2/sub", "d2/sub2/"));
	FILE_IS("d2/sub2/f", "F");

	section("rename errors");
	OK(mkdir("full", 0755));
	put_file("full/x", "x");
	put_file("file", "f");
	ERR(rename("d2", "full"), ENOTEMPTY);
	ERR(rename("file", "d1"), EISDIR);
	ERR(rename("d1", "file"), ENOTDIR);
	ERR(rename("d2", "d2/sub2/inside"), EINVAL);
	ERR(rename("d2", "d2/sub2"), EINVAL);
	ERR(rename("d2/sub2", "d2"), ENOTEMPTY);
	ERR(rename("missing", "x"), ENOENT);
	ERR(rename("file", "missing/x"), ENOENT);
	ERR(rename("file", "file/x"), ENOTDIR);
	ERR(rename("file/", "x"), ENOTDIR);
	ERR(rename("file", "x/"), ENOTDIR);
	ERR(rename(".", "x"), EBUSY);
	ERR(rename("d1/..", "x"), EBUSY);
	ERR(rename("x", "."), EBUSY);
	ERR(rename("file", "."), EBUSY);
	ERR(rename("d1", "."), EBUSY);
	ERR(rename("", "x"), ENOENT);
	ERR(rename("file", ""), ENOENT);
	ERR(rename(BADPTR, "x"), EFAULT);
	ERR(rename("file", BADPTR), EFAULT);
	/* a symbolic link is renamed, not its target */
	OK(symlink("d1", "ld"));
	OK(rename("ld", "ld2"));
	OK(lstat("ld2", &st));
	TRUE(S_ISLNK(st.st_mode), "mode %o", st.st_mode);
	OK(stat("d1", &st));
	ERR(rename("ld2/", "ld3"), ENOTDIR);
	FILE_IS("file", "f");
}

static void check_renameat(void)
{
	struct stat st, st2;
	int d1, d2, fd;

	section("renameat: relative to two directories");
	d1 = OK(open("d1", O_RDONLY | O_DIRECTORY));
	d2 = OK(open("d2", O_RDONLY | O_DIRECTORY));
	put_file("d1/m", "M");
	OK(renameat(d1, "m", d2, "m2"));
	FILE_IS("d2/m2", "M");
	OK(renameat(d2, "m2", AT_FDCWD, "m3"));
	FILE_IS("m3", "M");
	ERR(renameat(-1, "m3", d1, "m"), EBADF);
	ERR(renameat(AT_FDCWD, "m3", -1, "m"), EBADF);
	fd = OK(open("m3", O_RDONLY));
	ERR(renameat(fd, "x", d1, "m"), ENOTDIR);
	OK(close(fd));

	section("renameat2 RENAME_NOREPLACE");
	put_file("n1", "1");
	put_file("n2", "2");
	ERR(renameat2(AT_FDCWD, "n1", AT_FDCWD, "n2", RENAME_NOREPLACE),
	    EEXIST);
	ERR(renameat2(AT_FDCWD, "n1", AT_FDCWD, "d1", RENAME_NOREPLACE),
	    EEXIST);
	OK(renameat2(AT_FDCWD, "n1", d1, "n1", RENAME_NOREPLACE));
	FILE_IS("d1/n1", "1");
	OK(renameat2(d1, "n1", AT_FDCWD, "n1", 0));

	section("renameat2 RENAME_EXCHANGE: files, directories, mixed");
	OK(stat("n1", &st));
	OK(renameat2(AT_FDCWD, "n1", AT_FDCWD, "n2", RENAME_EXCHANGE));
	FILE_IS("n1", "2");
	FILE_IS("n2", "1");
	OK(stat("n2", &st2));
	EQ(st2.st_ino, st.st_ino);
	ERR(renameat2(AT_FDCWD, "n1", d1, ".", RENAME_EXCHANGE), EBUSY);
	OK(renameat2(AT_FDCWD, "d1", AT_FDCWD, "d2", RENAME_EXCHANGE));
	FILE_IS("d1/sub2/f", "F");
	OK(renameat2(AT_FDCWD, "d1", AT_FDCWD, "d2", RENAME_EXCHANGE));
	OK(renameat2(AT_FDCWD, "n1", AT_FDCWD, "d1", RENAME_EXCHANGE));
	OK(stat("n1", &st));
	TRUE(S_ISDIR(st.st_mode), "n1 mode %o", st.st_mode);
	FILE_IS("d1", "2");
	OK(renameat2(AT_FDCWD, "n1", AT_FDCWD, "d1", RENAME_EXCHANGE));

	section("renameat2 errors");
	ERR(renameat2(AT_FDCWD, "n1", AT_FDCWD, "nothing", RENAME_EXCHANGE),
	    ENOENT);
	ERR(renameat2(AT_FDCWD, "n1", AT_FDCWD, "n2",
		      RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL);
	ERR(renameat2(AT_FDCWD, "n1", AT_FDCWD, "n2", 0x100), EINVAL);
	ERR(renameat2(AT_FDCWD, "d2", AT_FDCWD, "d2/sub2", RENAME_EXCHANGE),
	    EINVAL);
	OK(close(d1));
	OK(close(d2));
}

int main(void)
{
	fs_setup("fs_rename");
	check_rename();
	check_renameat();
	return fs_done();
}
