/* chmod, fchmod, fchmodat, chown, fchown, lchown, fchownat, access,
 * faccessat and faccessat2 (AT_EACCESS) on tmpfs; then, as the
 * unprivileged user 1000 after setresuid, what the permission bits let
 * through (EACCES) and what only an owner or root may do (EPERM). */
#define _GNU_SOURCE
#include <grp.h>
#include "fs_util.h"

#define faccessat3(d, p, m) syscall(SYS_faccessat, (d), (p), (m))
#define faccessat2(d, p, m, f) syscall(SYS_faccessat2, (d), (p), (m), (f))
#define fchmodat3(d, p, m) syscall(SYS_fchmodat, (d), (p), (m))

static mode_t mode_of(const char *path)
{
	struct stat st;

	OK(lstat(path, &st));
	return st.st_mode & 07777;
}

static void check_chmod(void)
{
	int fd, dfd;

	section("chmod, fchmod, fchmodat");
	put_file("f", "data");
	OK(chmod("f", 0600));
	EQ(mode_of("f"), 0600);
	OK(chmod("f", 07777));
	EQ(mode_of("f"), 07777);
	OK(chmod("f", 0100644));
	EQ(mode_of("f"), 0644);
	OK(symlink("f", "lf"));
	OK(chmod("lf", 0640));
	EQ(mode_of("f"), 0640);
	EQ(mode_of("lf"), 0777);
	fd = OK(open("f", O_RDONLY));
	OK(fchmod(fd, 0604));
	EQ(mode_of("f"), 0604);
	OK(mkdir("d", 0755));
	dfd = OK(open("d", O_RDONLY | O_DIRECTORY));
	OK(fchmod(dfd, 0711));
	EQ(mode_of("d"), 0711);
	put_file("d/g", "");
	OK(fchmodat3(dfd, "g", 0600));
	EQ(mode_of("d/g"), 0600);
	OK(fchmodat3(AT_FDCWD, "d/g", 0640));
	EQ(mode_of("d/g"), 0640);

	section("chmod errors");
	ERR(chmod("missing", 0644), ENOENT);
	ERR(chmod("f/x", 0644), ENOTDIR);
	ERR(chmod(BADPTR, 0644), EFAULT);
	ERR(chmod("", 0644), ENOENT);
	ERR(fchmod(-1, 0644), EBADF);
	ERR(fchmodat3(-1, "g", 0644), EBADF);
	ERR(fchmodat3(fd, "g", 0644), ENOTDIR);
	OK(close(fd));
	fd = OK(open("f", O_PATH));
	ERR(syscall(SYS_fchmod, fd, 0644), EBADF);
	OK(close(fd));
	OK(close(dfd));
	OK(chmod("f", 0644));
	OK(chmod("d", 0755));
}

static void check_chown(void)
{
	struct stat st;
	int fd;

	section("chown, fchown, lchown, fchownat");
	OK(chown("f", 1000, 2000));
	OK(stat("f", &st));
	EQ(st.st_uid, 1000);
	EQ(st.st_gid, 2000);
	OK(chown("f", -1, 3000));
	OK(stat("f", &st));
	EQ(st.st_uid, 1000);
	EQ(st.st_gid, 3000);
	OK(chown("f", 0, -1));
	OK(stat("f", &st));
	EQ(st.st_uid, 0);
	EQ(st.st_gid, 3000);
	/* through a link: the target; lchown: the link */
	OK(chown("lf", 5, 5));
	OK(stat("f", &st));
	EQ(st.st_uid, 5);
	OK(lchown("lf", 7, 8));
	OK(lstat("lf", &st));
	EQ(st.st_uid, 7);
	EQ(st.st_gid, 8);
	OK(stat("f", &st));
	EQ(st.st_uid, 5);
	fd = OK(open("f", O_RDONLY));
	OK(fchown(fd, 9, 10));
	OK(stat("f", &st));
	EQ(st.st_uid, 9);
	EQ(st.st_gid, 10);
	OK(fchownat(AT_FDCWD, "lf", 11, 12, AT_SYMLINK_NOFOLLOW));
	OK(lstat("lf", &st));
	EQ(st.st_uid, 11);
	OK(fchownat(AT_FDCWD, "lf", 13, 14, 0));
	OK(stat("f", &st));
	EQ(st.st_uid, 13);
	OK(fchownat(fd, "", 0, 0, AT_EMPTY_PATH));
	OK(stat("f", &st));
	EQ(st.st_uid, 0);
	EQ(st.st_gid, 0);

	section("chown clears set-user-ID and set-group-ID of a program");
	OK(chmod("f", 06755));
	OK(chown("f", 0, 0));
	EQ(mode_of("f"), 0755);
	OK(chmod("f", 02644));
	OK(chown("f", 0, 0));
	EQ(mode_of("f"), 02644);
	OK(chmod("d", 02755));
	OK(chown("d", 0, 0));
	EQ(mode_of("d"), 02755);
	OK(chmod("f", 0644));
	OK(chmod("d", 0755));

	section("chown errors");
	ERR(chown("missing", 0, 0), ENOENT);
	ERR(chown(BADPTR, 0, 0), EFAULT);
	ERR(lchown("f/", 0, 0), ENOTDIR);
	ERR(fchown(-1, 0, 0), EBADF);
	ERR(fchownat(AT_FDCWD, "f", 0, 0, 0x1), EINVAL);
	ERR(fchownat(fd, "", 0, 0, 0), ENOENT);
	ERR(fchownat(-1, "f", 0, 0, 0), EBADF);
	OK(close(fd));
}

static void check_access(void)
{
	section("access, faccessat, faccessat2 as root");
	put_file("none", "");
	OK(chmod("none", 0));
	OK(access("none", F_OK));
	OK(access("none", R_OK | W_OK));
	ERR(access("none", X_OK), EACCES);
	OK(chmod("none", 0010));
	OK(access("none", X_OK));
	OK(chmod("none", 0));
	OK(access("d", X_OK));
	ERR(access("missing", F_OK), ENOENT);
	ERR(access("f/", F_OK), ENOTDIR);
	ERR(access("f", 8), EINVAL);
	ERR(access(BADPTR, F_OK), EFAULT);
	OK(faccessat3(AT_FDCWD, "f", R_OK));
	ERR(faccessat3(-1, "f", R_OK), EBADF);
	ERR(faccessat3(AT_FDCWD, "none", X_OK), EACCES);
	OK(faccessat2(AT_FDCWD, "f", R_OK, 0));
	OK(faccessat2(AT_FDCWD, "f", R_OK, AT_EACCESS));
	OK(symlink("missing", "dangling"));
	ERR(faccessat2(AT_FDCWD, "dangling", F_OK, 0), ENOENT);
	OK(faccessat2(AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
	ERR(faccessat2(AT_FDCWD, "f", R_OK, 0x1), EINVAL);
	ERR(faccessat2(AT_FDCWD, "f", 8, 0), EINVAL);
	{
		int fd = OK(open("f", O_RDONLY));

		OK(faccessat2(fd, "", R_OK, AT_EMPTY_PATH));
		ERR(faccessat2(fd, "", R_OK, 0), ENOENT);
		OK(close(fd));
	}
}

/* prepared by root for the unprivileged checks */
static void prepare_user(void)
{
	put_file("root600", "secret");
	OK(chmod("root600", 0600));
	put_file("root644", "public");
	OK(mkdir("noexec", 0766));
	put_file("noexec/f", "x");
	OK(mkdir("nowrite", 0555));
	OK(mkdir("sticky", 0));
	OK(chmod("sticky", 01777));
	put_file("sticky/rootfile", "r");
	OK(chmod("sticky/rootfile", 0666));
	OK(mkdir("mine", 0755));
	OK(chown("mine", 1000, 1000));
	put_file("mine/f", "m");
	OK(chown("mine/f", 1000, 1000));
	put_file("mine/g", "g");
	OK(chown("mine/g", 1000, 0));
}

static void as_user(void)
{
	struct stat st;
	int fd;

	if (setgroups(0, NULL))
		_exit(2);
	child_setuid(1000);

	section("user 1000: reading and writing need the permission bits");
	ERR(open("root600", O_RDONLY), EACCES);
	ERR(open("root644", O_WRONLY), EACCES);
	ERR(open("root644", O_RDWR), EACCES);
	fd = OK(open("root644", O_RDONLY));
	OK(close(fd));
	ERR(truncate("root644", 0), EACCES);
	ERR(access("root600", R_OK), EACCES);
	OK(access("root644", R_OK));
	ERR(access("root644", W_OK), EACCES);
	ERR(faccessat2(AT_FDCWD, "root644", W_OK, AT_EACCESS), EACCES);

	section("user 1000: directories need x to be searched, w to change");
	ERR(open("noexec/f", O_RDONLY), EACCES);
	ERR(stat("noexec/f", &st), EACCES);
	ERR(chdir("noexec"), EACCES);
	ERR(open("nowrite/new", O_RDWR | O_CREAT, 0644), EACCES);
	ERR(mkdir("nowrite/new", 0755), EACCES);
	ERR(symlink("x", "nowrite/l"), EACCES);
	ERR(link("mine/f", "nowrite/l"), EACCES);
	ERR(rename("mine/f", "nowrite/f"), EACCES);
	ERR(unlink("d/g"), EACCES);

	section("user 1000: only the owner may chmod, only root chown");
	ERR(chmod("root644", 0666), EPERM);
	ERR(chown("root644", 1000, 1000), EPERM);
	ERR(chown("mine/f", 0, -1), EPERM);
	ERR(chown("mine/f", -1, 0), EPERM);
	OK(chown("mine/f", -1, 1000));
	OK(chown("mine/f", 1000, -1));
	OK(chmod("mine/f", 0600));
	/* set-group-ID of a group we are not in is dropped silently */
	OK(chmod("mine/f", 02755));
	EQ(mode_of("mine/f"), 02755);
	OK(chmod("mine/g", 02755));
	EQ(mode_of("mine/g"), 0755);
	OK(chmod("mine", 0700));
	fd = OK(open("mine/f", O_RDWR));
	OK(fchmod(fd, 0640));
	OK(close(fd));
	EQ(mode_of("mine/f"), 0640);

	section("user 1000: the sticky bit protects others' files");
	ERR(unlink("sticky/rootfile"), EPERM);
	ERR(rename("sticky/rootfile", "sticky/x"), EPERM);
	fd = OK(open("sticky/rootfile", O_RDWR));
	OK(close(fd));
	put_file("sticky/userfile", "u");
	OK(unlink("sticky/userfile"));

	section("user 1000: creating sets the owner");
	put_file("made", "m");
	OK(stat("made", &st));
	EQ(st.st_uid, 1000);
	EQ(st.st_gid, 1000);
	ERR(chown("made", 1000, 0), EPERM);
}

static void real_user(void)
{
	/* real user 1000, effective root: access asks for the real one */
	if (setresuid(1000, 0, 0))
		_exit(2);
	section("real uid 1000, effective 0: access vs AT_EACCESS");
	ERR(access("root600", R_OK), EACCES);
	ERR(faccessat3(AT_FDCWD, "root600", R_OK), EACCES);
	ERR(faccessat2(AT_FDCWD, "root600", R_OK, 0), EACCES);
	OK(faccessat2(AT_FDCWD, "root600", R_OK, AT_EACCESS));
	{
		int fd = OK(open("root600", O_RDONLY));

		OK(close(fd));
	}
}

static void effective_user(void)
{
	if (setresuid(0, 1000, 0))
		_exit(2);
	section("real uid 0, effective 1000: access vs AT_EACCESS");
	OK(access("root600", R_OK));
	ERR(faccessat2(AT_FDCWD, "root600", R_OK, AT_EACCESS), EACCES);
	ERR(open("root600", O_RDONLY), EACCES);
}

int main(void)
{
	fs_setup("fs_perm");
	check_chmod();
	check_chown();
	check_access();
	prepare_user();
	in_child(as_user);
	in_child(real_user);
	in_child(effective_user);
	return fs_done();
}
