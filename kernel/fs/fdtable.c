/*
 * The fd table of a process (shared by CLONE_FILES) and its working
 * directory and root (shared by CLONE_FS).
 */
#include <frame/heap.h>
#include <frame/log.h>
#include <libs/string.h>
#include <linux/resource.h>
#include "fs/file.h"
#include "fs/internal.h"
#include "fs/locks.h"
#include "process/process.h"

#define FD_INITIAL 64

struct fd_table *fd_table_new(void)
{
	struct fd_table *t = FR_NEW(struct fd_table);

	if (!t)
		return NULL;
	t->files = FR_NEW_ARRAY(struct file *, FD_INITIAL);
	t->cloexec = FR_NEW_ARRAY(uint64_t, FD_INITIAL / 64);
	if (!t->files || !t->cloexec) {
		fr_kfree(t->files);
		fr_kfree(t->cloexec);
		fr_kfree(t);
		return NULL;
	}
	t->size = FD_INITIAL;
	t->refs = 1;
	fr_mutex_init(&t->lock);
	return t;
}

/* Grow @t to hold fd @fd.  Context: t->lock held. */
static int fd_table_grow(struct fd_table *t, int fd)
{
	int size = t->size;
	struct file **files;
	uint64_t *bits;

	while (size <= fd)
		size *= 2;
	files = FR_NEW_ARRAY(struct file *, (size_t)size);
	bits = FR_NEW_ARRAY(uint64_t, (size_t)size / 64);
	if (!files || !bits) {
		fr_kfree(files);
		fr_kfree(bits);
		return -ENOMEM;
	}
	memcpy(files, t->files, sizeof(*files) * (size_t)t->size);
	memcpy(bits, t->cloexec, sizeof(*bits) * (size_t)t->size / 64);
	fr_kfree(t->files);
	fr_kfree(t->cloexec);
	t->files = files;
	t->cloexec = bits;
	t->size = size;
	return 0;
}

struct fd_table *fd_table_copy(struct fd_table *t)
{
	struct fd_table *c = fd_table_new();

	if (!c)
		return NULL;
	fr_mutex_lock(&t->lock);
	if (t->size > c->size && fd_table_grow(c, t->size - 1)) {
		fr_mutex_unlock(&t->lock);
		fd_table_put(c);
		return NULL;
	}
	for (int fd = 0; fd < t->size; fd++) {
		c->files[fd] = t->files[fd];
		if (c->files[fd])
			file_get(c->files[fd]);
	}
	memcpy(c->cloexec, t->cloexec, sizeof(uint64_t) * (size_t)t->size / 64);
	fr_mutex_unlock(&t->lock);
	return c;
}

void fd_table_open_console(struct fd_table *t)
{
	int err;
	struct file *f = vfs_open(AT_FDCWD, "/dev/console", O_RDWR, 0, &err);

	if (!f) {
		fr_printk("Warning: unable to open an initial console.\n");
		return;
	}
	for (int fd = 0; fd < 3; fd++) {
		file_get(f);
		t->files[fd] = f;
	}
	file_put(f);
}

/* @t has let go of @f (may be NULL): the table's POSIX locks on the
 * file go with any fd closed, as on Linux; then the reference. */
static void fd_release(struct fd_table *t, struct file *f)
{
	if (!f)
		return;
	locks_remove_posix(f, t);
	file_put(f);
}

void fd_table_get(struct fd_table *t)
{
	__atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
}

void fd_table_put(struct fd_table *t)
{
	if (!t || __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL))
		return;
	for (int fd = 0; fd < t->size; fd++)
		fd_release(t, t->files[fd]);
	fr_kfree(t->files);
	fr_kfree(t->cloexec);
	fr_kfree(t);
}

static bool cloexec_test(struct fd_table *t, int fd)
{
	return t->cloexec[fd / 64] & (1ULL << (fd % 64));
}

static void cloexec_set(struct fd_table *t, int fd, bool on)
{
	if (on)
		t->cloexec[fd / 64] |= 1ULL << (fd % 64);
	else
		t->cloexec[fd / 64] &= ~(1ULL << (fd % 64));
}

void fd_table_exec(struct fd_table *t)
{
	fr_mutex_lock(&t->lock);
	for (int fd = 0; fd < t->size; fd++)
		if (t->files[fd] && cloexec_test(t, fd)) {
			struct file *f = t->files[fd];

			t->files[fd] = NULL;
			cloexec_set(t, fd, false);
			fr_mutex_unlock(&t->lock);
			fd_release(t, f);
			fr_mutex_lock(&t->lock);
		}
	fr_mutex_unlock(&t->lock);
}

struct fd_table *current_files(void)
{
	struct process *p = current_process();

	return p ? p->files : NULL;
}

/* The caller's RLIMIT_NOFILE (soft). */
int fd_limit(void)
{
	struct process *p = current_process();
	uint64_t lim = p ? p->attrs.rlim[RLIMIT_NOFILE].rlim_cur : 1024;

	return lim > (1 << 20) ? 1 << 20 : (int)lim;
}

int fd_install(struct file *f, int min, bool cloexec)
{
	struct fd_table *t = current_files();
	int limit = fd_limit(), fd;

	if (!t)
		return -EBADF;
	fr_mutex_lock(&t->lock);
	for (fd = min; fd < t->size && t->files[fd]; fd++)
		;
	if (fd >= limit) {
		fr_mutex_unlock(&t->lock);
		return -EMFILE;
	}
	if (fd >= t->size && fd_table_grow(t, fd)) {
		fr_mutex_unlock(&t->lock);
		return -ENOMEM;
	}
	t->files[fd] = f;
	cloexec_set(t, fd, cloexec);
	fr_mutex_unlock(&t->lock);
	return fd;
}

int fd_install_at(struct file *f, int fd, bool cloexec)
{
	struct fd_table *t = current_files();
	struct file *old;

	if (!t || fd < 0 || fd >= fd_limit())
		return -EBADF;
	fr_mutex_lock(&t->lock);
	if (fd >= t->size && fd_table_grow(t, fd)) {
		fr_mutex_unlock(&t->lock);
		return -ENOMEM;
	}
	old = t->files[fd];
	t->files[fd] = f;
	cloexec_set(t, fd, cloexec);
	fr_mutex_unlock(&t->lock);
	fd_release(t, old);
	return fd;
}

struct file *fd_get(int fd)
{
	struct fd_table *t = current_files();
	struct file *f = NULL;

	if (!t || fd < 0)
		return NULL;
	fr_mutex_lock(&t->lock);
	if (fd < t->size && t->files[fd]) {
		f = t->files[fd];
		file_get(f);
	}
	fr_mutex_unlock(&t->lock);
	return f;
}

int fd_reader(int fd, file_reader *out)
{
	struct file *f = fd_get(fd);
	int err;

	if (!f)
		return -EBADF;
	err = file_as_reader(f, out);
	file_put(f);
	return err;
}

int fd_writer(int fd, file_writer *out)
{
	struct file *f = fd_get(fd);
	int err;

	if (!f)
		return -EBADF;
	err = file_as_writer(f, out);
	file_put(f);
	return err;
}

int fd_close(int fd)
{
	struct fd_table *t = current_files();
	struct file *f = NULL;

	if (!t || fd < 0)
		return -EBADF;
	fr_mutex_lock(&t->lock);
	if (fd < t->size) {
		f = t->files[fd];
		t->files[fd] = NULL;
		cloexec_set(t, fd, false);
	}
	fr_mutex_unlock(&t->lock);
	if (!f)
		return -EBADF;
	fd_release(t, f);
	return 0;
}

int fd_get_cloexec(int fd)
{
	struct fd_table *t = current_files();
	int ret = -EBADF;

	if (!t || fd < 0)
		return -EBADF;
	fr_mutex_lock(&t->lock);
	if (fd < t->size && t->files[fd])
		ret = cloexec_test(t, fd);
	fr_mutex_unlock(&t->lock);
	return ret;
}

int fd_set_cloexec(int fd, bool on)
{
	struct fd_table *t = current_files();
	int ret = -EBADF;

	if (!t || fd < 0)
		return -EBADF;
	fr_mutex_lock(&t->lock);
	if (fd < t->size && t->files[fd]) {
		cloexec_set(t, fd, on);
		ret = 0;
	}
	fr_mutex_unlock(&t->lock);
	return ret;
}

struct fs_context *fs_context_new(const struct path *root)
{
	struct fs_context *fs = FR_NEW(struct fs_context);

	if (!fs)
		return NULL;
	fs->refs = 1;
	fr_mutex_init(&fs->lock);
	fs->umask = 022;
	fs->root = fs->cwd = *root;
	path_get(&fs->root);
	path_get(&fs->cwd);
	return fs;
}

struct fs_context *fs_context_new_root(void)
{
	struct mount *m = vfs_root_mount();
	struct path root = { m, m->root };

	return fs_context_new(&root);
}

struct fs_context *fs_context_copy(struct fs_context *fs)
{
	struct fs_context *c;

	fr_mutex_lock(&fs->lock);
	c = fs_context_new(&fs->root);
	if (c) {
		path_put(&c->cwd);
		c->cwd = fs->cwd;
		path_get(&c->cwd);
		c->umask = __atomic_load_n(&fs->umask, __ATOMIC_RELAXED);
	}
	fr_mutex_unlock(&fs->lock);
	return c;
}

void fs_context_get(struct fs_context *fs)
{
	__atomic_add_fetch(&fs->refs, 1, __ATOMIC_RELAXED);
}

void fs_context_put(struct fs_context *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->refs, 1, __ATOMIC_ACQ_REL))
		return;
	path_put(&fs->root);
	path_put(&fs->cwd);
	fr_kfree(fs);
}

struct fs_context *current_fs(void)
{
	struct process *p = current_process();

	return p ? p->fs : NULL;
}

/* Copy @which of the caller's context, or the tree's root outside one. */
static void fs_get(struct path *out, bool cwd)
{
	struct fs_context *fs = current_fs();

	if (!fs) {
		struct mount *m = vfs_root_mount();

		*out = (struct path){ m, m->root };
		path_get(out);
		return;
	}
	fr_mutex_lock(&fs->lock);
	*out = cwd ? fs->cwd : fs->root;
	path_get(out);
	fr_mutex_unlock(&fs->lock);
}

void fs_get_root(struct path *out)
{
	fs_get(out, false);
}

void fs_get_cwd(struct path *out)
{
	fs_get(out, true);
}

static void fs_set(struct path *p, bool cwd)
{
	struct fs_context *fs = current_fs();
	struct path old;

	fr_mutex_lock(&fs->lock);
	old = cwd ? fs->cwd : fs->root;
	if (cwd)
		fs->cwd = *p;
	else
		fs->root = *p;
	fr_mutex_unlock(&fs->lock);
	path_put(&old);
}

void fs_set_cwd(struct path *p)
{
	fs_set(p, true);
}

void fs_set_root(struct path *p)
{
	fs_set(p, false);
}
