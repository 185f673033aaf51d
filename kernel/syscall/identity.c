/*
 * Who a process is: the get/set calls of its user and group ids (real,
 * effective, saved, file-system), its supplementary groups, and its
 * file-mode creation mask.  The rules for changing ids are the
 * credential's (security/cred.h); the consequences of a change (not
 * dumpable, no parent-death signal) are the process attributes'
 * (process/attrs.h).
 */
#include <frame/heap.h>
#include <linux/limits.h>
#include "fs/file.h"
#include "syscall/syscall.h"
#include "process/process.h"

static struct process_attrs *self_attrs(void)
{
	return &current_process()->attrs;
}

/* One id of the caller's credential, chosen by @which. */
enum which_id { UID, EUID, GID, EGID };

static long get_id(enum which_id which)
{
	struct process_attrs *a = self_attrs();
	cred_r c = process_attrs_cred_lock(a);
	uint32_t id = which == UID    ? cred_uid(c)
		      : which == EUID ? cred_euid(c)
		      : which == GID  ? cred_gid(c)
				      : cred_egid(c);

	process_attrs_cred_unlock(a);
	return id;
}

long sys_getuid(const struct syscall_args *a)
{
	return get_id(UID);
}

long sys_geteuid(const struct syscall_args *a)
{
	return get_id(EUID);
}

long sys_getgid(const struct syscall_args *a)
{
	return get_id(GID);
}

long sys_getegid(const struct syscall_args *a)
{
	return get_id(EGID);
}

/* The id arguments are 32-bit: the upper half of the register is unused. */
static uint32_t id_arg(const struct syscall_args *a, unsigned i)
{
	return (uint32_t)a->arg[i];
}

long sys_setuid(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	int err = cred_setuid(process_attrs_cred_begin(pa), id_arg(a, 0));

	process_attrs_cred_end(pa);
	return err;
}

long sys_setgid(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	int err = cred_setgid(process_attrs_cred_begin(pa), id_arg(a, 0));

	process_attrs_cred_end(pa);
	return err;
}

long sys_setreuid(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	int err = cred_setreuid(process_attrs_cred_begin(pa), id_arg(a, 0),
				id_arg(a, 1));

	process_attrs_cred_end(pa);
	return err;
}

long sys_setregid(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	int err = cred_setregid(process_attrs_cred_begin(pa), id_arg(a, 0),
				id_arg(a, 1));

	process_attrs_cred_end(pa);
	return err;
}

long sys_setresuid(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	int err = cred_setresuid(process_attrs_cred_begin(pa), id_arg(a, 0),
				 id_arg(a, 1), id_arg(a, 2));

	process_attrs_cred_end(pa);
	return err;
}

long sys_setresgid(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	int err = cred_setresgid(process_attrs_cred_begin(pa), id_arg(a, 0),
				 id_arg(a, 1), id_arg(a, 2));

	process_attrs_cred_end(pa);
	return err;
}

/* getresuid/getresgid: three ids out, stopping at the first bad address. */
static long put_ids(const struct syscall_args *a, const uint32_t ids[3])
{
	for (unsigned i = 0; i < 3; i++)
		if (FR_PUT_USER(ids[i], fr_uaddr(a->arg[i])))
			return -EFAULT;
	return 0;
}

long sys_getresuid(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	cred_r c = process_attrs_cred_lock(pa);
	uint32_t ids[3] = { cred_uid(c), cred_euid(c), cred_suid(c) };

	process_attrs_cred_unlock(pa);
	return put_ids(a, ids);
}

long sys_getresgid(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	cred_r c = process_attrs_cred_lock(pa);
	uint32_t ids[3] = { cred_gid(c), cred_egid(c), cred_sgid(c) };

	process_attrs_cred_unlock(pa);
	return put_ids(a, ids);
}

long sys_setfsuid(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	kuid_t old = cred_setfsuid(process_attrs_cred_begin(pa), id_arg(a, 0));

	process_attrs_cred_end(pa);
	return old;
}

long sys_setfsgid(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	kgid_t old = cred_setfsgid(process_attrs_cred_begin(pa), id_arg(a, 0));

	process_attrs_cred_end(pa);
	return old;
}

long sys_getgroups(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	int size = (int)a->arg[0], n;
	kgid_t *groups;

	if (size < 0)
		return -EINVAL;
	n = cred_groups(process_attrs_cred_lock(pa), NULL, 0);
	process_attrs_cred_unlock(pa);
	if (!size || !n)
		return n;
	if (n > size)
		return -EINVAL;
	groups = FR_NEW_ARRAY(kgid_t, (size_t)n);
	if (!groups)
		return -ENOMEM;
	/* another thread may have changed them: -EINVAL if they grew */
	n = cred_groups(process_attrs_cred_lock(pa), groups, (size_t)n);
	process_attrs_cred_unlock(pa);
	if (n > 0 &&
	    fr_copy_to_user(fr_uaddr(a->arg[1]), groups, n * sizeof(kgid_t)))
		n = -EFAULT;
	fr_kfree(groups);
	return n;
}

long sys_setgroups(const struct syscall_args *a)
{
	struct process_attrs *pa = self_attrs();
	int size = (int)a->arg[0];
	fr_uaddr_t list = fr_uaddr(a->arg[1]);
	kgid_t *groups = NULL;
	bool privileged;
	long err = 0;

	privileged = cred_privileged(process_attrs_cred_lock(pa));
	process_attrs_cred_unlock(pa);
	if (!privileged)
		return -EPERM;
	if ((unsigned)size > NGROUPS_MAX)
		return -EINVAL;
	if (size) {
		groups = FR_NEW_ARRAY(kgid_t, (size_t)size);
		if (!groups)
			return -ENOMEM;
	}
	/* one at a time, as Linux: a bad id before a bad address is EINVAL */
	for (int i = 0; i < size && !err; i++) {
		if (FR_GET_USER(
			    groups[i],
			    fr_uaddr_add(list, (uint64_t)i * sizeof(kgid_t))))
			err = -EFAULT;
		else if (groups[i] == CRED_KEEP)
			err = -EINVAL;
	}
	if (!err) {
		err = cred_setgroups(process_attrs_cred_begin(pa), groups,
				     (size_t)size);
		process_attrs_cred_end(pa);
	}
	fr_kfree(groups);
	return err;
}

/* The umask lives with the cwd (CLONE_FS shares both); the process's
 * attributes keep a copy of its own last setting. */
long sys_umask(const struct syscall_args *a)
{
	struct fs_context *fs = current_fs();
	unsigned mask = (unsigned)a->arg[0] & 0777;
	unsigned old = process_attrs_set_umask(self_attrs(), mask);

	if (fs)
		old = __atomic_exchange_n(&fs->umask, mask, __ATOMIC_RELAXED);
	return old;
}
