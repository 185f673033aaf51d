/* Paths from user memory for the file calls (see path.h). */
#include <frame/heap.h>
#include <libs/string.h>
#include "fs/vfs.h"
#include "process/process.h"
#include "syscall/path.h"

/* Most paths are short: copied on the stack first, then to a heap block
 * of their own size, so a call does not clear a whole PATH_MAX buffer. */
#define SHORT_PATH 256

char *path_from_user(uint64_t u, long *err)
{
	char small[SHORT_PATH];
	int64_t n = fr_strncpy_from_user(small, fr_uaddr(u), sizeof(small));
	char *buf;

	if (n >= 0) {
		buf = FR_NEW_ARRAY(char, (size_t)n + 1);
		if (buf)
			memcpy(buf, small, (size_t)n + 1);
		else
			*err = -ENOMEM;
		return buf;
	}
	if (n != -ENAMETOOLONG) {
		*err = -EFAULT;
		return NULL;
	}
	buf = FR_NEW_ARRAY(char, VFS_PATH_MAX);
	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	n = fr_strncpy_from_user(buf, fr_uaddr(u), VFS_PATH_MAX);
	if (n < 0) {
		*err = n == -ENAMETOOLONG ? -ENAMETOOLONG : -EFAULT;
		fr_kfree(buf);
		return NULL;
	}
	return buf;
}

void path_free(char *path)
{
	fr_kfree(path);
}

unsigned current_umask(void)
{
	struct fs_context *fs = current_fs();

	if (fs)
		return __atomic_load_n(&fs->umask, __ATOMIC_RELAXED);
	return __atomic_load_n(&current_process()->attrs.umask,
			       __ATOMIC_RELAXED);
}
