/* mkdir, mkdirat, rmdir, getdents64, chdir, fchdir and getcwd on tmpfs:
 * modes under the umask, link counts, the entries and their types as
 * getdents64 lists them, and the errors (EEXIST, ENOENT, ENOTDIR,
 * ENOTEMPTY, EINVAL, EBUSY, ERANGE, EBADF, EFAULT). */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include "fs_util.h"

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#undef getdents64
#define getdents64(fd, b, n) syscall(SYS_getdents64, (fd), (b), (n))

/* the entries of the directory @fd, read @bufsize bytes at a time, as
 * " name:type name:type ... " in @out; their count */
static int list(int fd, char *out, size_t size, unsigned bufsize)
{
	char buf[4096];
	int count = 0;
	long n;

	strcpy(out, " ");
	TRUE(bufsize <= sizeof(buf), "buffer");
	while ((n = OK(getdents64(fd, buf, bufsize))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			size_t len = strlen(out);

			TRUE(d->d_reclen % 8 == 0 && d->d_reclen >= 20,
			     "d_reclen %d", d->d_reclen);
			TRUE(d->d_ino != 0, "inode 0 for %s", d->d_name);
			snprintf(out + len, size - len, "%s:%d ", d->d_name,
				 d->d_type);
			off += d->d_reclen;
			count++;
		}
	}
	return count;
}

/* @list (from list()) has the entry "name:type" @entry */
static int has(const char *list, const char *entry)
{
	char want[300];

	snprintf(want, sizeof(want), " %s ", entry);
	return strstr(list, want) != NULL;
}

static void check_mkdir_rmdir(void)
{
	struct stat st;
	int dfd, fd;

	section("mkdir: mode under the umask, link counts");
	umask(027);
	OK(mkdir("d", 0777));
	umask(022);
	OK(stat("d", &st));
	EQ(st.st_mode, S_IFDIR | 0750);
	EQ(st.st_nlink, 2);
	OK(mkdir("d/a", 0755));
	OK(mkdir("d/b/", 0755));
	OK(stat("d", &st));
	EQ(st.st_nlink, 4);
	OK(mkdir("d/sticky", 01777));
	OK(stat("d/sticky", &st));
	EQ(st.st_mode, S_IFDIR | 01755);

	section("mkdir errors");
	ERR(mkdir("d", 0755), EEXIST);
	ERR(mkdir("d/", 0755), EEXIST);
	ERR(mkdir(".", 0755), EEXIST);
	ERR(mkdir("..", 0755), EEXIST);
	ERR(mkdir("/", 0755), EEXIST);
	ERR(mkdir("missing/x", 0755), ENOENT);
	ERR(mkdir("", 0755), ENOENT);
	put_file("file", "x");
	ERR(mkdir("file", 0755), EEXIST);
	ERR(mkdir("file/x", 0755), ENOTDIR);
	ERR(mkdir(BADPTR, 0755), EFAULT);
	OK(symlink("d", "ld"));
	ERR(mkdir("ld", 0755), EEXIST);
	OK(symlink("nowhere", "dangling"));
	ERR(mkdir("dangling", 0755), EEXIST);
	{
		char name[260];

		memset(name, 'm', 256);
		name[256] = 0;
		ERR(mkdir(name, 0755), ENAMETOOLONG);
	}

	section("mkdirat: relative to a directory descriptor");
	dfd = OK(open("d", O_RDONLY | O_DIRECTORY));
	OK(mkdirat(dfd, "c", 0700));
	OK(stat("d/c", &st));
	EQ(st.st_mode, S_IFDIR | 0700);
	OK(mkdirat(AT_FDCWD, "d/e", 0700));
	ERR(mkdirat(dfd, "c", 0700), EEXIST);
	ERR(mkdirat(-1, "x", 0700), EBADF);
	fd = OK(open("file", O_RDONLY));
	ERR(mkdirat(fd, "x", 0700), ENOTDIR);
	OK(close(fd));
	OK(close(dfd));

	section("rmdir");
	OK(rmdir("d/e"));
	ERR(stat("d/e", &st), ENOENT);
	OK(rmdir("d/c/"));
	OK(stat("d", &st));
	EQ(st.st_nlink, 5);
	ERR(rmdir("d"), ENOTEMPTY);
	ERR(rmdir("d/a/."), EINVAL);
	ERR(rmdir("."), EINVAL);
	ERR(rmdir("d/a/.."), ENOTEMPTY);
	ERR(rmdir("missing"), ENOENT);
	ERR(rmdir("file"), ENOTDIR);
	ERR(rmdir("file/"), ENOTDIR);
	ERR(rmdir("ld"), ENOTDIR);
	ERR(rmdir(""), ENOENT);
	ERR(rmdir(BADPTR), EFAULT);
	/* a removed directory that is still open cannot be listed */
	OK(mkdir("gone", 0755));
	dfd = OK(open("gone", O_RDONLY | O_DIRECTORY));
	OK(rmdir("gone"));
	{
		char buf[256];

		ERR(getdents64(dfd, buf, sizeof(buf)), ENOENT);
	}
	OK(fstat(dfd, &st));
	EQ(st.st_nlink, 0);
	ERR(openat(dfd, "x", O_RDWR | O_CREAT, 0644), ENOENT);
	ERR(mkdirat(dfd, "x", 0755), ENOENT);
	OK(close(dfd));
}

static void check_getdents(void)
{
	char out[2048], buf[4096];
	struct stat st;
	int dfd, fd, n;

	section("getdents64: '.', '..', each entry with its type, once");
	OK(mkdir("g", 0755));
	OK(mkdir("g/sub", 0755));
	put_file("g/reg", "x");
	OK(symlink("reg", "g/lnk"));
	OK(mkfifo("g/fifo", 0644));
	dfd = OK(open("g", O_RDONLY | O_DIRECTORY));
	n = list(dfd, out, sizeof(out), 4096);
	EQ(n, 6);
	TRUE(has(out, ".:4") && has(out, "..:4") && has(out, "sub:4") &&
		     has(out, "reg:8") && has(out, "lnk:10") &&
		     has(out, "fifo:1"),
	     "entries %s", out);
	/* at the end: 0; after a rewind: the same list */
	EQ(getdents64(dfd, buf, sizeof(buf)), 0);
	EQ(lseek(dfd, 0, SEEK_SET), 0);
	{
		char again[2048];

		EQ(list(dfd, again, sizeof(again), 4096), 6);
		TRUE(!strcmp(out, again), "%s then %s", out, again);
	}

	section("getdents64: a small buffer returns fewer entries");
	EQ(lseek(dfd, 0, SEEK_SET), 0);
	EQ(list(dfd, out, sizeof(out), 32), 6);
	EQ(lseek(dfd, 0, SEEK_SET), 0);
	ERR(getdents64(dfd, buf, 10), EINVAL);
	ERR(getdents64(dfd, buf, 0), EINVAL);

	section("getdents64: the inode numbers match stat");
	EQ(lseek(dfd, 0, SEEK_SET), 0);
	OK(stat("g/reg", &st));
	{
		long got = OK(getdents64(dfd, buf, sizeof(buf)));
		int found = 0;

		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (void *)(buf + off);

			if (!strcmp(d->d_name, "reg")) {
				EQ(d->d_ino, st.st_ino);
				found = 1;
			}
			off += d->d_reclen;
		}
		TRUE(found, "reg not listed");
	}

	section("getdents64: entries created and removed are seen");
	OK(unlink("g/reg"));
	put_file("g/new", "y");
	EQ(lseek(dfd, 0, SEEK_SET), 0);
	EQ(list(dfd, out, sizeof(out), 4096), 6);
	TRUE(has(out, "new:8") && !has(out, "reg:8"), "entries %s", out);

	section("getdents64 errors");
	fd = OK(open("file", O_RDONLY));
	ERR(getdents64(fd, buf, sizeof(buf)), ENOTDIR);
	OK(close(fd));
	ERR(getdents64(-1, buf, sizeof(buf)), EBADF);
	EQ(lseek(dfd, 0, SEEK_SET), 0);
	ERR(getdents64(dfd, BADPTR, sizeof(buf)), EFAULT);
	OK(close(dfd));
}

static void check_cwd(void)
{
	char buf[PATH_MAX], small[8];
	int dfd, fd;

	section("chdir, fchdir, getcwd");
	EQ(getcwd(buf, sizeof(buf)), buf);
	TRUE(!strcmp(buf, "/tmp"), "cwd %s", buf);
	OK(chdir("d/a"));
	EQ(getcwd(buf, sizeof(buf)), buf);
	TRUE(!strcmp(buf, "/tmp/d/a"), "cwd %s", buf);
	OK(chdir(".."));
	EQ(getcwd(buf, sizeof(buf)), buf);
	TRUE(!strcmp(buf, "/tmp/d"), "cwd %s", buf);
	OK(chdir("../ld/b"));
	EQ(getcwd(buf, sizeof(buf)), buf);
	TRUE(!strcmp(buf, "/tmp/d/b"), "cwd %s (a link is resolved)", buf);
	dfd = OK(open("/tmp/g", O_RDONLY | O_DIRECTORY));
	OK(fchdir(dfd));
	EQ(getcwd(buf, sizeof(buf)), buf);
	TRUE(!strcmp(buf, "/tmp/g"), "cwd %s", buf);
	OK(close(dfd));
	OK(chdir("/"));
	EQ(getcwd(buf, sizeof(buf)), buf);
	TRUE(!strcmp(buf, "/"), "cwd %s", buf);
	OK(chdir("/tmp"));

	section("getcwd: the raw call returns the length with the NUL");
	EQ(syscall(SYS_getcwd, buf, sizeof(buf)), 5);
	EQ(syscall(SYS_getcwd, buf, 5), 5);
	ERR(syscall(SYS_getcwd, buf, 4), ERANGE);
	ERR(syscall(SYS_getcwd, small, 0), ERANGE);
	ERR(syscall(SYS_getcwd, BADPTR, sizeof(buf)), EFAULT);

	section("chdir and fchdir errors");
	ERR(chdir("missing"), ENOENT);
	ERR(chdir("file"), ENOTDIR);
	ERR(chdir(""), ENOENT);
	ERR(chdir(BADPTR), EFAULT);
	ERR(fchdir(-1), EBADF);
	fd = OK(open("file", O_RDONLY));
	ERR(fchdir(fd), ENOTDIR);
	OK(close(fd));

	section("a removed working directory");
	OK(mkdir("/tmp/rm", 0755));
	OK(chdir("/tmp/rm"));
	OK(rmdir("/tmp/rm"));
	ERR(syscall(SYS_getcwd, buf, sizeof(buf)), ENOENT);
	ERR(open("x", O_RDWR | O_CREAT, 0644), ENOENT);
	EQ(open(".", O_RDONLY) >= 0, 1);
	OK(chdir("/tmp"));
}

int main(void)
{
	fs_setup("fs_dir");
	check_mkdir_rmdir();
	check_getdents();
	check_cwd();
	return fs_done();
}
