/*
 * KTESTs of the VFS core on a tmpfs root of their own (kernel context:
 * no process, so permission checks pass): the name-space calls and their
 * errors in Linux's order, the path walk (".", "..", mounts, symbolic
 * links and their limit, trailing slashes), reads and writes with holes
 * and truncation, readdir, rename cases, and the reference counts that
 * keep unlinked open files alive.  The hosted target runs them under
 * AddressSanitizer, which catches a dentry or inode used after its end.
 */
#include <frame/heap.h>
#include <frame/ktest.h>
#include <libs/fmt.h>
#include <libs/string.h>
#include <linux/fs.h>
#include "fs/file.h"
#include "fs/internal.h"

/* A fresh root the first time (KTESTs run before the real root). */
static void vfs_test_root(void)
{
	if (!vfs_root_mount())
		(void)vfs_init(NULL, 0);
}

static long write_str(struct file *f, const char *s, uint64_t *pos)
{
	uint8_t buf[256];
	size_t len = strlen(s);
	struct iobuf b = iobuf_kernel(buf);
	file_writer w;
	long n;

	if (file_as_writer(f, &w))
		return -EBADF;
	memcpy(buf, s, len);
	n = vfs_write(w, &b, len, pos);
	file_writer_put(w);
	return n;
}

static long read_at(struct file *f, char *out, size_t len, uint64_t pos)
{
	file_reader r;
	struct iobuf b = iobuf_kernel((uint8_t *)out);
	long n;

	if (file_as_reader(f, &r))
		return -EBADF;
	n = vfs_read(r, &b, len, &pos);
	file_reader_put(r);
	return n;
}

KTEST(vfs, names_and_errors)
{
	vfs_test_root();
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt1", 0755), 0);
	KT_EXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt1", 0755), -EEXIST);
	KT_EXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt1/a/b", 0755), -ENOENT);
	KT_EXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt1/d/", 0755), 0);
	KT_EXPECT_EQ(vfs_mknod(AT_FDCWD, "/kt1/f", S_IFREG | 0644, 0), 0);
	KT_EXPECT_EQ(vfs_mknod(AT_FDCWD, "/kt1/g/", S_IFREG | 0644, 0), -ENOENT);
	KT_EXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt1/f/x", 0755), -ENOTDIR);
	KT_EXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt1/.", 0755), -EEXIST);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt1/."), -EINVAL);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt1/.."), -ENOTEMPTY);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/"), -EBUSY);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt1/f"), -ENOTDIR);
	KT_EXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt1/d"), -EISDIR);
	KT_EXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt1/f/"), -ENOTDIR);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt1"), -ENOTEMPTY);
	KT_EXPECT_EQ(vfs_link(AT_FDCWD, "/kt1/d", AT_FDCWD, "/kt1/d2", 0),
		     -EPERM);
	KT_EXPECT_EQ(vfs_link(AT_FDCWD, "/kt1/f", AT_FDCWD, "/kt1/f2", 0), 0);
	struct vfs_stat st;

	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt1/f2", 0, &st), 0);
	KT_EXPECT_EQ(st.nlink, 2);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt1", 0, &st), 0);
	KT_EXPECT_EQ(st.nlink, 3); /* ".", its name, and d's ".." */
	KT_EXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt1/f2"), 0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt1/f", 0, &st), 0);
	KT_EXPECT_EQ(st.nlink, 1);
	KT_EXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt1/f"), 0);
	KT_EXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt1/f"), -ENOENT);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt1/d"), 0);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt1"), 0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt1", 0, &st), -ENOENT);
}

KTEST(vfs, walk_links_and_dots)
{
	char buf[64];
	struct vfs_stat st, st2;
	char *name = FR_NEW_ARRAY(char, 300);

	KT_ASSERT(name);
	vfs_test_root();
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt2", 0755), 0);
	KT_EXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt2/dir", 0755), 0);
	KT_EXPECT_EQ(vfs_symlink("dir", AT_FDCWD, "/kt2/rel"), 0);
	KT_EXPECT_EQ(vfs_symlink("/kt2/dir/..", AT_FDCWD, "/kt2/abs"), 0);
	KT_EXPECT_EQ(vfs_symlink("loop", AT_FDCWD, "/kt2/loop"), 0);
	KT_EXPECT_EQ(vfs_symlink("nowhere", AT_FDCWD, "/kt2/dangling"), 0);
	KT_EXPECT_EQ(vfs_symlink("", AT_FDCWD, "/kt2/empty"), -ENOENT);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt2/rel", LOOKUP_FOLLOW, &st), 0);
	KT_EXPECT(S_ISDIR(st.mode));
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt2/rel", 0, &st), 0);
	KT_EXPECT(S_ISLNK(st.mode));
	KT_EXPECT_EQ(st.size, 3);
	/* a trailing slash follows the link */
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt2/rel/", 0, &st), 0);
	KT_EXPECT(S_ISDIR(st.mode));
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt2/abs", LOOKUP_FOLLOW, &st), 0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt2", 0, &st2), 0);
	KT_EXPECT_EQ(st.ino, st2.ino);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt2/loop", LOOKUP_FOLLOW, &st),
		     -ELOOP);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt2/loop", 0, &st), 0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt2/dangling", LOOKUP_FOLLOW,
				   &st),
		     -ENOENT);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/../../kt2/./dir/../rel/.", 0,
				   &st),
		     0);
	KT_EXPECT(S_ISDIR(st.mode));
	KT_EXPECT_EQ(vfs_readlink(AT_FDCWD, "/kt2/rel", buf, sizeof(buf)), 3);
	KT_EXPECT_EQ(vfs_readlink(AT_FDCWD, "/kt2/dir", buf, sizeof(buf)),
		     -EINVAL);
	memset(name, 'n', 257);
	name[0] = '/';
	name[257] = '\0';
	KT_EXPECT_EQ(vfs_mkdir(AT_FDCWD, name, 0755), -ENAMETOOLONG);
	name[256] = '\0';
	KT_EXPECT_EQ(vfs_mkdir(AT_FDCWD, name, 0755), 0);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, name), 0);
	fr_kfree(name);
	/* 40 links in a chain resolve, 41 do not */
	for (int i = 1; i <= 41; i++) {
		char link[32], target[32];

		str_format(link, sizeof(link), "/kt2/c%d", i);
		str_format(target, sizeof(target), i == 1 ? "dir" : "c%d",
			     i - 1);
		KT_EXPECT_EQ(vfs_symlink(target, AT_FDCWD, link), 0);
	}
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt2/c40", LOOKUP_FOLLOW, &st),
		     0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt2/c41", LOOKUP_FOLLOW, &st),
		     -ELOOP);
}

KTEST(vfs, file_data)
{
	char buf[64];
	int err;
	struct file *f;
	uint64_t pos = 0;
	struct path p;
	struct vfs_attr attr = { .valid = ATTR_SIZE };

	vfs_test_root();
	f = vfs_open(AT_FDCWD, "/kt3", O_CREAT | O_RDWR, 0600, &err);
	KT_ASSERT(f);
	KT_EXPECT_EQ(write_str(f, "hello", &pos), 5);
	pos = 10000; /* a hole across a page */
	KT_EXPECT_EQ(write_str(f, "end", &pos), 3);
	KT_EXPECT_EQ(f->inode->size, 10003);
	KT_EXPECT_EQ(read_at(f, buf, 5, 0), 5);
	KT_EXPECT(!memcmp(buf, "hello", 5));
	KT_EXPECT_EQ(read_at(f, buf, 8, 4998), 8);
	KT_EXPECT(!memcmp(buf, "\0\0\0\0\0\0\0\0", 8));
	KT_EXPECT_EQ(read_at(f, buf, 64, 10000), 3);
	KT_EXPECT_EQ(read_at(f, buf, 64, 20000), 0);
	/* an unlinked open file lives on */
	KT_EXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt3"), 0);
	KT_EXPECT_EQ(read_at(f, buf, 3, 10000), 3);
	KT_EXPECT(!memcmp(buf, "end", 3));
	p = f->path;
	attr.size = 2;
	KT_EXPECT_EQ(vfs_setattr(&p, &attr), 0);
	KT_EXPECT_EQ(read_at(f, buf, 64, 0), 2);
	attr.size = 6000; /* growing again gives zeros, not old bytes */
	KT_EXPECT_EQ(vfs_setattr(&p, &attr), 0);
	KT_EXPECT_EQ(read_at(f, buf, 4, 2), 4);
	KT_EXPECT(!memcmp(buf, "\0\0\0\0", 4));
	file_put(f);
	f = vfs_open(AT_FDCWD, "/kt3", O_RDONLY, 0, &err);
	KT_EXPECT(!f);
	KT_EXPECT_EQ(err, -ENOENT);
	/* a read-only open gives no writer */
	KT_ASSERT_EQ(vfs_mknod(AT_FDCWD, "/kt3b", S_IFREG | 0644, 0), 0);
	f = vfs_open(AT_FDCWD, "/kt3b", O_RDONLY, 0, &err);
	KT_ASSERT(f);
	KT_EXPECT_EQ(write_str(f, "x", &pos), -EBADF);
	file_put(f);
	f = vfs_open(AT_FDCWD, "/kt3b", O_CREAT | O_EXCL | O_RDWR, 0600, &err);
	KT_EXPECT(!f);
	KT_EXPECT_EQ(err, -EEXIST);
	f = vfs_open(AT_FDCWD, "/kt3b/", O_RDONLY, 0, &err);
	KT_EXPECT(!f);
	KT_EXPECT_EQ(err, -ENOTDIR);
	f = vfs_open(AT_FDCWD, "/kt3c/", O_CREAT | O_RDWR, 0600, &err);
	KT_EXPECT(!f);
	KT_EXPECT_EQ(err, -EISDIR);
	KT_EXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt3b"), 0);
}

/* The names readdir gave, joined by spaces (no "." and ".."). */
static char names[128];

static bool collect(struct dir_context *ctx, const char *name, size_t len,
		    uint64_t ino, unsigned type)
{
	char *out = names;
	size_t at = strlen(out);

	(void)ctx;
	(void)ino;
	(void)type;
	if (len <= 2 && name[0] == '.' && (len == 1 || name[1] == '.'))
		return true;
	if (at + len + 2 > 128)
		return false;
	memcpy(out + at, name, len);
	out[at + len] = ' ';
	out[at + len + 1] = '\0';
	return true;
}

KTEST(vfs, rename_and_readdir)
{
	struct dir_context ctx = { .emit = collect };
	struct vfs_stat st;
	struct file *dir;
	int err;

	vfs_test_root();
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt4", 0755), 0);
	KT_EXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt4/a", 0755), 0);
	KT_EXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt4/a/sub", 0755), 0);
	KT_EXPECT_EQ(vfs_mknod(AT_FDCWD, "/kt4/f", S_IFREG | 0644, 0), 0);
	KT_EXPECT_EQ(vfs_mknod(AT_FDCWD, "/kt4/g", S_IFREG | 0644, 0), 0);
	KT_EXPECT_EQ(vfs_rename(AT_FDCWD, "/kt4/a", AT_FDCWD, "/kt4/a/sub/x", 0),
		     -EINVAL);
	KT_EXPECT_EQ(vfs_rename(AT_FDCWD, "/kt4/a", AT_FDCWD, "/kt4/f", 0),
		     -ENOTDIR);
	KT_EXPECT_EQ(vfs_rename(AT_FDCWD, "/kt4/f", AT_FDCWD, "/kt4/a", 0),
		     -EISDIR);
	KT_EXPECT_EQ(vfs_rename(AT_FDCWD, "/kt4/f", AT_FDCWD, "/kt4/g",
				RENAME_NOREPLACE),
		     -EEXIST);
	KT_EXPECT_EQ(vfs_rename(AT_FDCWD, "/kt4/f", AT_FDCWD, "/kt4/none",
				RENAME_EXCHANGE),
		     -ENOENT);
	KT_EXPECT_EQ(vfs_rename(AT_FDCWD, "/kt4/f", AT_FDCWD, "/kt4/g", 0), 0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt4/f", 0, &st), -ENOENT);
	/* a directory moves with its children */
	KT_EXPECT_EQ(vfs_rename(AT_FDCWD, "/kt4/a", AT_FDCWD, "/kt4/b", 0), 0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt4/b/sub", 0, &st), 0);
	KT_EXPECT_EQ(vfs_rename(AT_FDCWD, "/kt4/b", AT_FDCWD, "/kt4/g",
				RENAME_EXCHANGE),
		     0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt4/g/sub", 0, &st), 0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt4/b", 0, &st), 0);
	KT_EXPECT(S_ISREG(st.mode));
	dir = vfs_open(AT_FDCWD, "/kt4", O_RDONLY | O_DIRECTORY, 0, &err);
	KT_ASSERT(dir);
	names[0] = '\0';
	KT_EXPECT_EQ(dir->fop->readdir(dir, &ctx), 0);
	KT_EXPECT(!strcmp(names, "g b ") || !strcmp(names, "b g "));
	file_put(dir);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt4/g/sub"), 0);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt4/g"), 0);
	KT_EXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt4/b"), 0);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt4"), 0);
}

KTEST(vfs, mounts)
{
	struct vfs_stat root, st;

	vfs_test_root();
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt5", 0755), 0);
	KT_EXPECT_EQ(vfs_mount("none", "/kt5", "nosuchfs", 0), -ENODEV);
	KT_EXPECT_EQ(vfs_mount("none", "/kt5", "tmpfs", 0), 0);
	KT_EXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt5/in", 0755), 0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt5/in/../..", 0, &st), 0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/", 0, &root), 0);
	KT_EXPECT_EQ(st.ino, root.ino);
	KT_EXPECT_EQ(st.dev, root.dev);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt5", 0, &st), 0);
	KT_EXPECT(st.dev != root.dev);
	KT_EXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/in", AT_FDCWD, "/kt5x", 0),
		     -EXDEV);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt5"), -EBUSY);
	KT_EXPECT_EQ(vfs_umount("/kt5/in", 0), -EINVAL);
	KT_EXPECT_EQ(vfs_umount("/kt5", 0), 0);
	KT_EXPECT_EQ(vfs_stat_path(AT_FDCWD, "/kt5/in", 0, &st), -ENOENT);
	KT_EXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt5"), 0);
}
