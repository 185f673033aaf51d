/* mount and umount2 with tmpfs and proc: a mount covers what was under
 * it until unmounted, ".." at a mount's root leaves it, mounts stack,
 * EBUSY while in use, MNT_DETACH, read-only mounts, EXDEV across mounts,
 * and the errors (ENOENT, ENOTDIR, ENODEV, EINVAL, EPERM). */
#define _GNU_SOURCE
#include <sys/statfs.h>
#include <linux/magic.h>
#include "fs_util.h"

static void check_tmpfs(void)
{
	struct stat st, root, mnt;
	struct statfs sf;
	int fd, dfd;

	section("a tmpfs over a directory hides its content");
	OK(mkdir("m", 0755));
	put_file("m/under", "u");
	OK(stat("m", &st));
	OK(mount("tmpfs", "m", "tmpfs", 0, NULL));
	ERR(stat("m/under", &mnt), ENOENT);
	OK(stat("m", &mnt));
	TRUE(mnt.st_dev != st.st_dev, "same device");
	EQ(mnt.st_mode, S_IFDIR | 01777);
	EQ(mnt.st_uid, 0);
	OK(statfs("m", &sf));
	EQ(sf.f_type, TMPFS_MAGIC);
	put_file("m/over", "o");

	section("'..' at the root of a mount leaves it; '.' stays");
	OK(stat(".", &root));
	OK(stat("m/..", &st));
	EQ(st.st_ino, root.st_ino);
	EQ(st.st_dev, root.st_dev);
	OK(stat("m/.", &st));
	EQ(st.st_dev, mnt.st_dev);
	OK(chdir("m"));
	OK(stat("..", &st));
	EQ(st.st_dev, root.st_dev);
	FILE_IS("../m/over", "o");
	OK(chdir(".."));
	dfd = OK(open("m", O_RDONLY | O_DIRECTORY));
	fd = OK(openat(dfd, "../m/over", O_RDONLY));
	OK(close(fd));

	section("EXDEV: links and renames do not cross mounts");
	ERR(link("m/over", "over"), EXDEV);
	ERR(rename("m/over", "over"), EXDEV);
	ERR(rename("m/under", "m/x"), ENOENT);
	put_file("top", "t");
	ERR(rename("top", "m/top"), EXDEV);

	section("umount2: EBUSY while in use, then the old content again");
	ERR(rmdir("m"), EBUSY);
	fd = OK(open("m/over", O_RDONLY));
	ERR(umount2("m", 0), EBUSY);
	OK(close(fd));
	OK(chdir("m"));
	ERR(umount2("/tmp/m", 0), EBUSY);
	OK(chdir(".."));
	ERR(umount2("m", 0), EBUSY); /* dfd is open there */
	OK(close(dfd));
	OK(umount2("m", 0));
	FILE_IS("m/under", "u");
	ERR(stat("m/over", &st), ENOENT);

	section("mounts stack; each unmount uncovers the one below");
	OK(mount("tmpfs", "m", "tmpfs", 0, NULL));
	put_file("m/one", "1");
	OK(mount("tmpfs", "m", "tmpfs", 0, NULL));
	ERR(stat("m/one", &st), ENOENT);
	put_file("m/two", "2");
	OK(umount("m"));
	FILE_IS("m/one", "1");
	OK(umount("m"));
	FILE_IS("m/under", "u");

	section("MNT_DETACH: gone from the tree, alive for its users");
	OK(mount("tmpfs", "m", "tmpfs", 0, NULL));
	put_file("m/kept", "k");
	fd = OK(open("m/kept", O_RDWR));
	dfd = OK(open("m", O_RDONLY | O_DIRECTORY));
	OK(umount2("m", MNT_DETACH));
	FILE_IS("m/under", "u");
	EQ(write(fd, "K", 1), 1);
	fd = OK(openat(dfd, "kept", O_RDONLY));
	{
		char c;

		EQ(read(fd, &c, 1), 1);
		EQ(c, 'K');
	}
	OK(close(fd));
	OK(close(dfd));

	section("a read-only mount: EROFS for every change");
	OK(mount("tmpfs", "m", "tmpfs", MS_RDONLY, NULL));
	ERR(open("m/x", O_RDWR | O_CREAT, 0644), EROFS);
	ERR(mkdir("m/x", 0755), EROFS);
	ERR(symlink("x", "m/x"), EROFS);
	ERR(mknod("m/x", S_IFIFO | 0600, 0), EROFS);
	ERR(chmod("m", 0700), EROFS);
	ERR(utimensat(AT_FDCWD, "m", NULL, 0), EROFS);
	fd = OK(open("m", O_RDONLY));
	OK(close(fd));
	OK(umount("m"));

	section("tmpfs options: mode, uid, gid of the root; sizes");
	OK(mount("tmpfs", "m", "tmpfs", 0, "mode=0700,uid=1000,gid=2000"));
	OK(stat("m", &st));
	EQ(st.st_mode, S_IFDIR | 0700);
	EQ(st.st_uid, 1000);
	EQ(st.st_gid, 2000);
	OK(umount("m"));
	OK(mount("tmpfs", "m", "tmpfs", 0, "size=1m,nr_inodes=100,mode=1777"));
	OK(stat("m", &st));
	EQ(st.st_mode, S_IFDIR | 01777);
	OK(umount("m"));
	ERR(mount("tmpfs", "m", "tmpfs", 0, "nosuchoption=1"), EINVAL);
	ERR(mount("tmpfs", "m", "tmpfs", 0, "mode=9"), EINVAL);
	ERR(mount("tmpfs", "m", "tmpfs", 0, "uid=x"), EINVAL);
	FILE_IS("m/under", "u");

	section("mount and umount2 errors");
	ERR(mount("tmpfs", "missing", "tmpfs", 0, NULL), ENOENT);
	ERR(mount("tmpfs", "top", "tmpfs", 0, NULL), ENOTDIR);
	ERR(mount("tmpfs", "top/x", "tmpfs", 0, NULL), ENOTDIR);
	ERR(mount("none", "m", "nosuchfs", 0, NULL), ENODEV);
	ERR(mount("tmpfs", BADPTR, "tmpfs", 0, NULL), EFAULT);
	ERR(mount("tmpfs", "m", BADPTR, 0, NULL), EFAULT);
	ERR(umount2("m", 0), EINVAL);
	ERR(umount2("missing", 0), ENOENT);
	ERR(umount2("m", 0x100), EINVAL);
	ERR(umount2("m", MNT_EXPIRE | MNT_FORCE), EINVAL);
	ERR(umount2(BADPTR, 0), EFAULT);
}

static void check_proc(void)
{
	char buf[64];
	struct statfs sf;
	struct stat st;
	int fd, n;

	section("proc: mounted anywhere, it shows the caller");
	OK(mkdir("p", 0755));
	OK(mount("proc", "p", "proc", 0, NULL));
	OK(statfs("p", &sf));
	EQ(sf.f_type, PROC_SUPER_MAGIC);
	n = OK(readlink("p/self", buf, sizeof(buf) - 1));
	buf[n] = 0;
	EQ(atoi(buf), getpid());
	fd = OK(open("p/self/stat", O_RDONLY));
	n = OK(read(fd, buf, sizeof(buf) - 1));
	buf[n] = 0;
	EQ(atoi(buf), getpid());
	OK(close(fd));
	OK(umount("p"));
	ERR(stat("p/self", &st), ENOENT);
}

static void as_user(void)
{
	child_setuid(1000);
	section("user 1000: EPERM");
	ERR(mount("tmpfs", "m", "tmpfs", 0, NULL), EPERM);
	ERR(umount2("/tmp", 0), EPERM);
	ERR(umount2("/tmp", MNT_DETACH), EPERM);
}

/* a missing name in proc: the lookup itself fails */
static void check_proc_names(void)
{
	struct stat st;

	section("proc: no new names (ENOENT)");
	OK(mount("proc", "p", "proc", 0, NULL));
	ERR(stat("p/self/x", &st), ENOENT);
	ERR(open("p/self/x", O_RDWR | O_CREAT, 0644), ENOENT);
	ERR(mkdir("p/self/x", 0755), ENOENT);
	ERR(open("p/x", O_RDWR | O_CREAT, 0644), ENOENT);
	OK(umount("p"));
}

int main(void)
{
	fs_setup("fs_mount");
	check_tmpfs();
	check_proc();
	in_child(as_user);
	check_proc_names();
	return fs_done();
}
