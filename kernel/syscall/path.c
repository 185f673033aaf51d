/* Paths from user memory for the file calls (see path.h). */
#include <frame/heap.h>
#include "fs/vfs.h"
#include "process/process.h"
#include "syscall/path.h"

char *path_from_user(uint64_t u, long *err)
{
	char *buf = FR_NEW_ARRAY(char, VFS_PATH_MAX);
	int64_t n;

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
