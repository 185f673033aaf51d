/*
 * Credentials: the user and group ids a process acts as (real, effective,
 * saved and file-system ids, and supplementary groups), with Linux's rules
 * for changing them (setresuid(2), setresgid(2), setfsuid(2),
 * setfsgid(2), setgroups(2)).
 *
 * A credential is reached through a handle whose type carries the right
 * (<frame/rights.h>): cred_r may only read it, cred_rw may also change and
 * free it.  cred_r_of(c) weakens a cred_rw for free; every change through a
 * cred_r is a compile error, so code that is handed a process's cred_r
 * (permission checks, /proc) cannot change who the process is.  This
 * header and cred.c own the handle types: nothing else reads their member.
 *
 * "Privileged" below is an effective uid of 0, until capabilities(7) come.
 * A credential is not locked: whoever holds its cred_rw makes sure nobody
 * reads it while it changes (a process will switch to a changed copy,
 * cred_dup(), as a whole).
 */
#ifndef KERNEL_SECURITY_CRED_H
#define KERNEL_SECURITY_CRED_H

#include <frame/types.h>
#include <frame/rights.h>

/* Kernel user and group ids (the same as the user's until user namespaces
 * come). */
typedef uint32_t kuid_t;
typedef uint32_t kgid_t;

/* An id argument that leaves the id unchanged (the -1 of setresuid(2)). */
#define CRED_KEEP ((uint32_t)-1)
/* The most supplementary groups (Linux's NGROUPS_MAX). */
#define CRED_NGROUPS_MAX 65536

struct cred;

FR_HANDLE_PAIR(cred_r, cred_rw, struct cred);
#define cred_r_of(c) FR_TO_RO(cred_r, cred_rw, c)

/*
 * cred_alloc_root - a new credential of root: every id 0, no supplementary
 * groups.  Returns it, or a handle for which FR_HANDLE_IS_NONE() is true
 * when out of memory.
 */
cred_rw cred_alloc_root(void) FR_MUST_CHECK;

/*
 * cred_dup - a new credential equal to @c (for fork, or to change a copy).
 * Rights: either handle.  Returns it, or a handle that refers to nothing
 * when out of memory.
 */
cred_rw cred_dup(cred_r c) FR_MUST_CHECK;
#define cred_dup(c) cred_dup(cred_r_of(c))

/*
 * cred_free - free a credential; none of its handles may be used any more.
 * Rights: cred_rw.  A handle that refers to nothing is ignored.
 */
void cred_free(cred_rw c);
void cred_denied_free(cred_r c)
	FR_DENIED("cred_free: needs a modifiable credential (cred_rw); a "
		  "read-only one (cred_r) cannot free it");
#define cred_free(c)                                                           \
	_Generic((c), cred_rw: cred_free, cred_r: cred_denied_free)(c)

/*
 * cred_uid / cred_euid / cred_suid / cred_fsuid, cred_gid / cred_egid /
 * cred_sgid / cred_fsgid - the real, effective, saved and file-system user
 * and group ids.  Rights: either handle.
 */
kuid_t cred_uid(cred_r c);
kuid_t cred_euid(cred_r c);
kuid_t cred_suid(cred_r c);
kuid_t cred_fsuid(cred_r c);
kgid_t cred_gid(cred_r c);
kgid_t cred_egid(cred_r c);
kgid_t cred_sgid(cred_r c);
kgid_t cred_fsgid(cred_r c);
#define cred_uid(c) cred_uid(cred_r_of(c))
#define cred_euid(c) cred_euid(cred_r_of(c))
#define cred_suid(c) cred_suid(cred_r_of(c))
#define cred_fsuid(c) cred_fsuid(cred_r_of(c))
#define cred_gid(c) cred_gid(cred_r_of(c))
#define cred_egid(c) cred_egid(cred_r_of(c))
#define cred_sgid(c) cred_sgid(cred_r_of(c))
#define cred_fsgid(c) cred_fsgid(cred_r_of(c))

/*
 * cred_privileged - whether the credential may change ids at will (an
 * effective uid of 0, until capabilities come).  Rights: either handle.
 */
bool cred_privileged(cred_r c);
#define cred_privileged(c) cred_privileged(cred_r_of(c))

/*
 * cred_groups - the supplementary groups, in ascending order, as
 * getgroups(2): with @n 0 only their number; otherwise they are copied to
 * @out.  Rights: either handle.  Returns their number, or -EINVAL when @n
 * is neither 0 nor at least their number.
 */
int cred_groups(cred_r c, kgid_t *out, size_t n);
#define cred_groups(c, out, n) cred_groups(cred_r_of(c), out, n)

/*
 * cred_in_group - whether @gid is the file-system group id or one of the
 * supplementary groups (what file permission checks ask).  Rights: either
 * handle.
 */
bool cred_in_group(cred_r c, kgid_t gid);
#define cred_in_group(c, gid) cred_in_group(cred_r_of(c), gid)

/*
 * cred_setresuid - set the real, effective and saved user ids; CRED_KEEP
 * leaves one unchanged.  Unprivileged, each new id must be one of the
 * current real, effective or saved ids.  The file-system uid follows the
 * effective one.  Rights: cred_rw.  Returns 0, or -EPERM (and nothing
 * changes).
 */
int cred_setresuid(cred_rw c, kuid_t ruid, kuid_t euid, kuid_t suid);
int cred_denied_setresuid(cred_r c, kuid_t ruid, kuid_t euid, kuid_t suid)
	FR_DENIED("cred_setresuid: needs a modifiable credential (cred_rw); "
		  "a read-only one (cred_r) cannot be changed");
#define cred_setresuid(c, r, e, s)                                             \
	_Generic((c), cred_rw: cred_setresuid,                                 \
		 cred_r: cred_denied_setresuid)(c, r, e, s)

/*
 * cred_setresgid - set the real, effective and saved group ids, as
 * cred_setresuid (the file-system gid follows the effective one).
 * Rights: cred_rw.  Returns 0, or -EPERM.
 */
int cred_setresgid(cred_rw c, kgid_t rgid, kgid_t egid, kgid_t sgid);
int cred_denied_setresgid(cred_r c, kgid_t rgid, kgid_t egid, kgid_t sgid)
	FR_DENIED("cred_setresgid: needs a modifiable credential (cred_rw); "
		  "a read-only one (cred_r) cannot be changed");
#define cred_setresgid(c, r, e, s)                                             \
	_Generic((c), cred_rw: cred_setresgid,                                 \
		 cred_r: cred_denied_setresgid)(c, r, e, s)

/*
 * cred_setuid - setuid(2): privileged, set the real, effective, saved and
 * file-system uids to @uid; otherwise set the effective and file-system
 * uids, if @uid is the real or the saved uid.  Rights: cred_rw.  Returns
 * 0, -EINVAL for CRED_KEEP (not a uid), or -EPERM (and nothing changes).
 */
int cred_setuid(cred_rw c, kuid_t uid);
int cred_denied_setuid(cred_r c, kuid_t uid)
	FR_DENIED("cred_setuid: needs a modifiable credential (cred_rw); "
		  "a read-only one (cred_r) cannot be changed");
#define cred_setuid(c, uid)                                                    \
	_Generic((c), cred_rw: cred_setuid, cred_r: cred_denied_setuid)(c, uid)

/*
 * cred_setgid - setgid(2), as cred_setuid for the group ids.
 * Rights: cred_rw.  Returns 0, -EINVAL or -EPERM.
 */
int cred_setgid(cred_rw c, kgid_t gid);
int cred_denied_setgid(cred_r c, kgid_t gid)
	FR_DENIED("cred_setgid: needs a modifiable credential (cred_rw); "
		  "a read-only one (cred_r) cannot be changed");
#define cred_setgid(c, gid)                                                    \
	_Generic((c), cred_rw: cred_setgid, cred_r: cred_denied_setgid)(c, gid)

/*
 * cred_setreuid - setreuid(2): set the real uid to @ruid (unprivileged:
 * the current real or effective uid) and the effective uid to @euid
 * (unprivileged: the current real, effective or saved uid); CRED_KEEP
 * leaves one unchanged.  The saved uid becomes the new effective uid when
 * the real uid is set or the effective uid is set to something other
 * than the old real uid; the file-system uid follows the effective one.
 * Rights: cred_rw.  Returns 0 or -EPERM (and nothing changes).
 */
int cred_setreuid(cred_rw c, kuid_t ruid, kuid_t euid);
int cred_denied_setreuid(cred_r c, kuid_t ruid, kuid_t euid)
	FR_DENIED("cred_setreuid: needs a modifiable credential (cred_rw); "
		  "a read-only one (cred_r) cannot be changed");
#define cred_setreuid(c, r, e)                                                 \
	_Generic((c), cred_rw: cred_setreuid,                                  \
		 cred_r: cred_denied_setreuid)(c, r, e)

/*
 * cred_setregid - setregid(2), as cred_setreuid for the group ids.
 * Rights: cred_rw.  Returns 0 or -EPERM.
 */
int cred_setregid(cred_rw c, kgid_t rgid, kgid_t egid);
int cred_denied_setregid(cred_r c, kgid_t rgid, kgid_t egid)
	FR_DENIED("cred_setregid: needs a modifiable credential (cred_rw); "
		  "a read-only one (cred_r) cannot be changed");
#define cred_setregid(c, r, e)                                                 \
	_Generic((c), cred_rw: cred_setregid,                                  \
		 cred_r: cred_denied_setregid)(c, r, e)

/*
 * cred_setfsuid / cred_setfsgid - set the file-system user / group id, if
 * it is one of the real, effective, saved or file-system ids or the caller
 * is privileged; CRED_KEEP changes nothing.  Rights: cred_rw.  Returns
 * the previous file-system id, as setfsuid(2) (which has no error).
 */
kuid_t cred_setfsuid(cred_rw c, kuid_t fsuid);
kgid_t cred_setfsgid(cred_rw c, kgid_t fsgid);
kuid_t cred_denied_setfsuid(cred_r c, kuid_t fsuid)
	FR_DENIED("cred_setfsuid: needs a modifiable credential (cred_rw); "
		  "a read-only one (cred_r) cannot be changed");
kgid_t cred_denied_setfsgid(cred_r c, kgid_t fsgid)
	FR_DENIED("cred_setfsgid: needs a modifiable credential (cred_rw); "
		  "a read-only one (cred_r) cannot be changed");
#define cred_setfsuid(c, id)                                                   \
	_Generic((c), cred_rw: cred_setfsuid,                                  \
		 cred_r: cred_denied_setfsuid)(c, id)
#define cred_setfsgid(c, id)                                                   \
	_Generic((c), cred_rw: cred_setfsgid,                                  \
		 cred_r: cred_denied_setfsgid)(c, id)

/*
 * cred_setgroups - replace the supplementary groups by the @n of @groups
 * (kept in ascending order).  Privileged only.  Rights: cred_rw.  Returns
 * 0; -EPERM unprivileged; -EINVAL when @n exceeds CRED_NGROUPS_MAX or a
 * group is CRED_KEEP; -ENOMEM.
 */
int cred_setgroups(cred_rw c, const kgid_t *groups, size_t n);
int cred_denied_setgroups(cred_r c, const kgid_t *groups, size_t n)
	FR_DENIED("cred_setgroups: needs a modifiable credential (cred_rw); "
		  "a read-only one (cred_r) cannot be changed");
#define cred_setgroups(c, groups, n)                                           \
	_Generic((c), cred_rw: cred_setgroups,                                 \
		 cred_r: cred_denied_setgroups)(c, groups, n)

#endif
