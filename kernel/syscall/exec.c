/*
 * Running a new program: execve and execveat.  The path, arguments and
 * environment are copied from user memory first, in Linux's order and
 * with its limits, so that a bad pointer gives -EFAULT, too much gives
 * -E2BIG, and either leaves the caller's program untouched; then the
 * file is looked up and loaded (process/exec.c).
 *
 * There is no file table yet: execveat's dirfd is AT_FDCWD (the working
 * directory, always the root), one of the console descriptors 0-2 (a
 * character device, not a directory), or a closed descriptor.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include <linux/fcntl.h>
#include <linux/limits.h>
#include "syscall/syscall.h"
#include "process/exec.h"
#include "process/process.h"

#define STRINGS_FIRST_CAP 4096

/* The copied-in path, argv and envp of one execve. */
struct exec_args {
	char path[PATH_MAX];
	size_t argc, envc;
	const char **argv, **envp;
	char *strings; /* envp[envc - 1] ... envp[0], argv[argc - 1] ... */
	size_t used, cap;
	size_t room; /* bytes EXEC_ARG_LIMIT still allows */
};

/* Count the NULL-terminated user array @uarr (NULL: empty). */
static long count_user(uint64_t uarr, size_t *n)
{
	*n = 0;
	for (; uarr; ++*n) {
		uint64_t p;

		if (FR_GET_USER(p, fr_uaddr(uarr + *n * sizeof(p))))
			return -EFAULT;
		if (!p)
			break;
		if (*n >= MAX_ARG_STRINGS)
			return -E2BIG;
	}
	return 0;
}

static int grow(struct exec_args *ea)
{
	size_t cap = ea->cap ? ea->cap * 2 : STRINGS_FIRST_CAP;
	char *bigger = FR_NEW_ARRAY(char, cap);

	if (!bigger)
		return -ENOMEM;
	if (ea->used)
		memcpy(bigger, ea->strings, ea->used);
	fr_kfree(ea->strings);
	ea->strings = bigger;
	ea->cap = cap;
	return 0;
}

/* Copy string @i of the user array @uarr after the others. */
static long copy_one(struct exec_args *ea, uint64_t uarr, size_t i)
{
	uint64_t ustr;
	int64_t len;

	if (FR_GET_USER(ustr, fr_uaddr(uarr + i * sizeof(ustr))))
		return -EFAULT;
	for (;;) {
		size_t max = FR_MIN(ea->cap - ea->used, EXEC_MAX_ARG_STRLEN);

		len = fr_strncpy_from_user(ea->strings + ea->used,
					   fr_uaddr(ustr), max);
		if (len != -ENAMETOOLONG)
			break;
		if (max == EXEC_MAX_ARG_STRLEN)
			return -E2BIG;
		len = grow(ea);
		if (len)
			return len;
	}
	if (len < 0)
		return len;
	if ((size_t)len + 1 > ea->room)
		return -E2BIG;
	ea->room -= (size_t)len + 1;
	ea->used += (size_t)len + 1;
	return 0;
}

/* The length with its NUL of the name Linux gives the program. */
static size_t filename_len(int dirfd, const char *path)
{
	size_t len = strlen(path) + 1;
	int digits = 1;

	if (dirfd == AT_FDCWD || path[0] == '/')
		return len;
	for (int fd = dirfd; fd >= 10 || fd <= -10; fd /= 10)
		digits++;
	/* "/dev/fd/N" for an empty path, else "/dev/fd/N/PATH" */
	return strlen("/dev/fd/") + digits + (dirfd < 0) +
	       (path[0] ? 1 + len : 1);
}

/* Copy argv and envp, with Linux's limits, into @ea. */
static long copy_strings(struct exec_args *ea, int dirfd, uint64_t uargv,
			 uint64_t uenvp)
{
	size_t ptrs, off = 0, n;
	long err;

	err = count_user(uargv, &ea->argc);
	if (!err)
		err = count_user(uenvp, &ea->envc);
	if (err)
		return err;
	ptrs = ((ea->argc ? ea->argc : 1) + ea->envc) * sizeof(uint64_t);
	if (ptrs >= EXEC_ARG_LIMIT)
		return -E2BIG;
	ea->room = EXEC_ARG_LIMIT - ptrs;
	n = filename_len(dirfd, ea->path);
	if (n > ea->room)
		return -E2BIG;
	ea->room -= n;
	err = grow(ea);
	/* last first, as Linux copies them */
	for (size_t i = ea->envc; !err && i-- > 0;)
		err = copy_one(ea, uenvp, i);
	for (size_t i = ea->argc; !err && i-- > 0;)
		err = copy_one(ea, uargv, i);
	if (err)
		return err;
	ea->argv = FR_NEW_ARRAY(const char *, ea->argc + 1);
	ea->envp = FR_NEW_ARRAY(const char *, ea->envc + 1);
	if (!ea->argv || !ea->envp)
		return -ENOMEM;
	for (size_t i = ea->envc; i-- > 0;) {
		ea->envp[i] = ea->strings + off;
		off += strlen(ea->strings + off) + 1;
	}
	for (size_t i = ea->argc; i-- > 0;) {
		ea->argv[i] = ea->strings + off;
		off += strlen(ea->strings + off) + 1;
	}
	return 0;
}

/*
 * What execveat's dirfd and flags make of the path: a path relative to a
 * directory fd becomes that directory's name and the path, an empty path
 * with AT_EMPTY_PATH the fd's own file's name (as Linux's /dev/fd/N).
 */
static long check_at(struct exec_args *ea, int dirfd, int flags)
{
	struct cpio_entry file;
	uint8_t *owned;
	bool relative = ea->path[0] != '/';
	long err = 0;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (relative && dirfd != AT_FDCWD) {
		struct file *f = fd_get(dirfd);
		char *name;
		size_t rest = strlen(ea->path);
		int n;

		if (!f)
			return -EBADF;
		name = FR_NEW_ARRAY(char, sizeof(ea->path));
		if (!name) {
			file_put(f);
			return -ENOMEM;
		}
		if (!f->path.dentry)
			n = -EACCES;
		else if (ea->path[0] && !S_ISDIR(f->inode->mode))
			n = -ENOTDIR;
		else
			n = vfs_path_name(&f->path, name, sizeof(ea->path));
		file_put(f);
		if (n >= 0 && (size_t)n + 1 + rest >= sizeof(ea->path))
			n = -ENAMETOOLONG;
		if (n >= 0 && rest) {
			if (n > 1)
				name[n++] = '/';
			memcpy(name + n, ea->path, rest + 1);
		}
		if (n >= 0)
			memcpy(ea->path, name, sizeof(ea->path));
		fr_kfree(name);
		if (n < 0)
			return n;
	}
	if (!ea->path[0])
		return -EACCES; /* the working directory */
	if (flags & AT_SYMLINK_NOFOLLOW) {
		err = exec_open(ea->path, false, &file, &owned);
		fr_kfree(owned);
	}
	return err;
}

static long do_execveat(struct fr_user_regs *regs, int dirfd, uint64_t upath,
			uint64_t uargv, uint64_t uenvp, int flags)
{
	struct exec_args *ea = FR_NEW(struct exec_args);
	int64_t len;
	long err;

	if (!ea)
		return -ENOMEM;
	len = fr_strncpy_from_user(ea->path, fr_uaddr(upath),
				   sizeof(ea->path));
	if (len == -ENAMETOOLONG)
		err = -ENAMETOOLONG;
	else if (len < 0)
		err = len;
	else if (!len && !(flags & AT_EMPTY_PATH))
		err = -ENOENT;
	else if (!(err = copy_strings(ea, dirfd, uargv, uenvp)) &&
		 !(err = check_at(ea, dirfd, flags)))
		err = process_exec(regs, ea->path, ea->argv, ea->envp);
	fr_kfree(ea->argv);
	fr_kfree(ea->envp);
	fr_kfree(ea->strings);
	fr_kfree(ea);
	return err;
}

long sys_execve(const struct syscall_args *a)
{
	return do_execveat(a->regs, AT_FDCWD, a->arg[0], a->arg[1], a->arg[2],
			   0);
}

long sys_execveat(const struct syscall_args *a)
{
	return do_execveat(a->regs, (int)a->arg[0], a->arg[1], a->arg[2],
			   a->arg[3], (int)a->arg[4]);
}
