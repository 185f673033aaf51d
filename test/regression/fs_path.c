/* Path resolution: ".", "..", repeated and trailing slashes, relative and
 * absolute symbolic links, the limit of 40 links (ELOOP), loops,
 * O_NOFOLLOW, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, name length limits,
 * and chroot (a new "/" that ".." cannot leave). */
#define _GNU_SOURCE
#include <limits.h>
#include "fs_util.h"

static ino_t ino(const char *path)
{
	struct stat st;

	TRUE(stat(path, &st) == 0, "stat(\"%.60s\"): %s", path, errname(errno));
	return st.st_ino;
}

static void check_dots(void)
{
	struct stat st;

	section("'.', '..' and repeated slashes");
	OK(mkdir("a", 0755));
	OK(mkdir("a/b", 0755));
	put_file("a/b/f", "f");
	EQ(ino("a/b/.."), ino("a"));
	EQ(ino("a/./b/../b/./f"), ino("a/b/f"));
	EQ(ino("a//b///f"), ino("a/b/f"));
	EQ(ino("/tmp//a/b/f"), ino("a/b/f"));
	EQ(ino("/.."), ino("/"));
	EQ(ino("/../../tmp/.."), ino("/"));
	EQ(ino("//"), ino("/"));
	EQ(ino("."), ino("/tmp"));
	ERR(stat("a/missing/..", &st), ENOENT);
	ERR(stat("a/b/f/..", &st), ENOTDIR);
	ERR(stat("a/b/f/.", &st), ENOTDIR);

	section("trailing slashes: directories only");
	OK(stat("a/", &st));
	OK(stat("a/b//", &st));
	ERR(stat("a/b/f/", &st), ENOTDIR);
	ERR(open("a/b/f/", O_RDONLY), ENOTDIR);
	ERR(open("a/b/f//", O_RDONLY), ENOTDIR);
	OK(mkdir("c/", 0755));
	OK(mkdir("e//", 0755));
	OK(rename("c/", "d/"));
	OK(rename("d", "c/"));
	OK(rmdir("c/"));
	OK(rmdir("e//"));
	ERR(unlink("a/b/f/"), ENOTDIR);
	ERR(rename("a/b/f", "a/b/g/"), ENOTDIR);
	/* a link to a directory, with a slash, is the directory */
	OK(symlink("a", "la"));
	OK(lstat("la/", &st));
	TRUE(S_ISDIR(st.st_mode), "la/ mode %o", st.st_mode);
	OK(lstat("la", &st));
	TRUE(S_ISLNK(st.st_mode), "la mode %o", st.st_mode);
	ERR(rmdir("la/"), ENOTDIR);
	OK(symlink("a/b/f", "lf"));
	ERR(stat("lf/", &st), ENOTDIR);
}

static void check_symlinks(void)
{
	char name[16], target[16];
	struct stat st;
	int fd;

	section("relative links resolve from their directory; absolute from /");
	OK(symlink("b/f", "a/rel"));
	EQ(ino("a/rel"), ino("a/b/f"));
	OK(symlink("../b", "a/b/up"));
	EQ(ino("a/b/up/f"), ino("a/b/f"));
	OK(symlink("/tmp/a/b", "abs"));
	EQ(ino("abs/f"), ino("a/b/f"));
	OK(symlink("..", "a/b/dotdot"));
	EQ(ino("a/b/dotdot"), ino("a"));
	EQ(ino("a/b/dotdot/b/dotdot/b/f"), ino("a/b/f"));
	/* ".." after a link is the parent of its target, not of the link */
	OK(symlink("a/b", "lb"));
	EQ(ino("lb/.."), ino("a"));

	section("a chain of 40 links resolves; 41 is ELOOP");
	put_file("end", "e");
	OK(symlink("end", "l0"));
	for (int i = 1; i <= 40; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		snprintf(target, sizeof(target), "l%d", i - 1);
		OK(symlink(target, name));
	}
	EQ(ino("l39"), ino("end"));
	ERR(stat("l40", &st), ELOOP);
	ERR(open("l40", O_RDONLY), ELOOP);
	OK(lstat("l40", &st));
	/* links in the middle of a path count too */
	OK(mkdir("dir", 0755));
	OK(symlink("dir", "m0"));
	for (int i = 1; i <= 40; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		snprintf(target, sizeof(target), "m%d", i - 1);
		OK(symlink(target, name));
	}
	put_file("dir/x", "x");
	EQ(ino("m39/x"), ino("dir/x"));
	ERR(stat("m40/x", &st), ELOOP);

	section("loops: ELOOP");
	OK(symlink("loop2", "loop1"));
	OK(symlink("loop1", "loop2"));
	ERR(stat("loop1", &st), ELOOP);
	ERR(open("loop1", O_RDWR | O_CREAT, 0644), ELOOP);
	ERR(stat("loop1/x", &st), ELOOP);
	OK(symlink("self", "self"));
	ERR(open("self", O_RDONLY), ELOOP);
	ERR(chdir("self"), ELOOP);
	OK(lstat("self", &st));

	section("O_NOFOLLOW and AT_SYMLINK_NOFOLLOW: the last name only");
	ERR(open("lf", O_RDONLY | O_NOFOLLOW), ELOOP);
	ERR(open("loop1", O_RDONLY | O_NOFOLLOW), ELOOP);
	fd = OK(open("la/b/f", O_RDONLY | O_NOFOLLOW));
	OK(close(fd));
	OK(fstatat(AT_FDCWD, "lf", &st, AT_SYMLINK_NOFOLLOW));
	TRUE(S_ISLNK(st.st_mode), "mode %o", st.st_mode);
	OK(fstatat(AT_FDCWD, "la/rel", &st, AT_SYMLINK_NOFOLLOW));
	TRUE(S_ISLNK(st.st_mode), "mode %o", st.st_mode);
	OK(fstatat(AT_FDCWD, "la/rel", &st, 0));
	TRUE(S_ISREG(st.st_mode), "mode %o", st.st_mode);

	section("O_PATH and AT_EMPTY_PATH: calls on the descriptor itself");
	fd = OK(open("lf", O_PATH | O_NOFOLLOW));
	OK(fstatat(fd, "", &st, AT_EMPTY_PATH));
	TRUE(S_ISLNK(st.st_mode), "mode %o", st.st_mode);
	{
		char buf[8];

		ERR(read(fd, buf, 1), EBADF);
	}
	OK(close(fd));
	fd = OK(open("a", O_PATH | O_DIRECTORY));
	OK(fstatat(fd, "b/f", &st, 0));
	EQ(st.st_ino, ino("a/b/f"));
	OK(fstatat(fd, "", &st, AT_EMPTY_PATH));
	EQ(st.st_ino, ino("a"));
	ERR(fstatat(fd, "", &st, 0), ENOENT);
	OK(fchdir(fd));
	EQ(ino("."), ino("/tmp/a"));
	OK(chdir("/tmp"));
	OK(close(fd));
}

static void check_lengths(void)
{
	char name[NAME_MAX + 2], path[PATH_MAX + 2];
	struct stat st;
	int n;

	section("NAME_MAX and PATH_MAX");
	memset(name, 'x', NAME_MAX);
	name[NAME_MAX] = 0;
	put_file(name, "");
	OK(stat(name, &st));
	name[NAME_MAX] = 'x';
	name[NAME_MAX + 1] = 0;
	ERR(stat(name, &st), ENAMETOOLONG);
	ERR(mkdir(name, 0755), ENAMETOOLONG);
	ERR(symlink("x", name), ENAMETOOLONG);
	/* a long name through a missing directory: which error comes first */
	snprintf(path, sizeof(path), "missing/%s", name);
	ERR(stat(path, &st), ENOENT);
	/* PATH_MAX counts the terminating NUL */
	n = 0;
	while (n < PATH_MAX - 2) {
		path[n++] = '.';
		path[n++] = '/';
	}
	path[n] = 0;
	EQ(strlen(path), PATH_MAX - 2);
	strcat(path, "a");
	OK(stat(path, &st));
	strcat(path, "/");
	ERR(stat(path, &st), ENAMETOOLONG);
	/* links may expand past PATH_MAX: each part counts alone */
	{
		char target[PATH_MAX];

		n = 0;
		while (n < PATH_MAX - 20) {
			target[n++] = '.';
			target[n++] = '/';
		}
		strcpy(target + n, "a");
		OK(symlink(target, "longlink"));
		EQ(ino("longlink/b/f"), ino("a/b/f"));
		path[0] = 0;
		n = 0;
		while (n < PATH_MAX - 40) {
			path[n++] = '.';
			path[n++] = '/';
		}
		strcpy(path + n, "longlink/b/f");
		OK(stat(path, &st));
	}
}

static void jailed(void)
{
	struct stat st;
	char buf[64];

	section("chroot: '/' is the new root, '..' cannot leave it");
	OK(chroot("/tmp/jail"));
	OK(chdir("/"));
	FILE_IS("/inside", "jail");
	FILE_IS("/../../inside", "jail");
	FILE_IS("/sub/../../inside", "jail");
	FILE_IS("/abs", "jail");
	ERR(stat("/a", &st), ENOENT);
	EQ(getcwd(buf, sizeof(buf)), buf);
	TRUE(!strcmp(buf, "/"), "cwd %s", buf);
	OK(chdir("/sub"));
	EQ(getcwd(buf, sizeof(buf)), buf);
	TRUE(!strcmp(buf, "/sub"), "cwd %s", buf);
	/* root may chroot again, deeper */
	OK(chroot("."));
	ERR(stat("/inside", &st), ENOENT);
	FILE_IS("/deep", "deep");
}

static void outside_root(void)
{
	char buf[64];

	section("chroot: a working directory outside the new root stays");
	OK(chroot("/tmp/jail"));
	EQ(syscall(SYS_getcwd, buf, sizeof(buf)), 18);
	TRUE(!strcmp(buf, "(unreachable)/tmp"), "cwd %s", buf);
	FILE_IS("a/b/f", "f");
	FILE_IS("../tmp/jail/inside", "jail");
}

static void user_chroot(void)
{
	child_setuid(1000);
	section("user 1000: chroot is EPERM");
	ERR(chroot("/tmp/jail"), EPERM);
}

static void check_chroot(void)
{
	OK(mkdir("jail", 0755));
	OK(mkdir("jail/sub", 0755));
	put_file("jail/inside", "jail");
	put_file("jail/sub/deep", "deep");
	OK(symlink("/inside", "jail/abs"));
	in_child(jailed);
	in_child(outside_root);
	in_child(user_chroot);
	section("chroot errors");
	ERR(chroot("missing"), ENOENT);
	ERR(chroot("jail/inside"), ENOTDIR);
	ERR(chroot(BADPTR), EFAULT);
	ERR(chroot(""), ENOENT);
	/* the parent's root did not change */
	OK(access("/tmp/jail/inside", F_OK));
}

int main(void)
{
	fs_setup("fs_path");
	check_dots();
	check_symlinks();
	check_lengths();
	check_chroot();
	return fs_done();
}
