/*
 * Credentials (cred.h): the ids, the supplementary groups, and Linux's
 * rules for changing them.  With cred.h this file owns the cred_r and
 * cred_rw handles: the only code that builds them or reads their member.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include "security/cred.h"

struct cred {
	kuid_t uid, euid, suid, fsuid;
	kgid_t gid, egid, sgid, fsgid;
	size_t ngroups;
	kgid_t *groups; /* ascending; NULL when ngroups is 0 */
};

static bool privileged(const struct cred *c)
{
	return c->euid == 0;
}

cred_rw (cred_alloc_root)(void)
{
	return (cred_rw){ FR_NEW(struct cred) };
}

cred_rw (cred_dup)(cred_r c)
{
	struct cred *n;

	if (!c.obj)
		return FR_HANDLE_NONE(cred_rw);
	n = FR_NEW(struct cred);
	if (!n)
		return FR_HANDLE_NONE(cred_rw);
	*n = *c.obj;
	n->groups = NULL;
	if (c.obj->ngroups) {
		n->groups = FR_NEW_ARRAY(kgid_t, c.obj->ngroups);
		if (!n->groups) {
			fr_kfree(n);
			return FR_HANDLE_NONE(cred_rw);
		}
		memcpy(n->groups, c.obj->groups,
		       c.obj->ngroups * sizeof(kgid_t));
	}
	return (cred_rw){ n };
}

void (cred_free)(cred_rw c)
{
	if (!c.obj)
		return;
	fr_kfree(c.obj->groups);
	fr_kfree(c.obj);
}

kuid_t (cred_uid)(cred_r c)
{
	return c.obj->uid;
}

kuid_t (cred_euid)(cred_r c)
{
	return c.obj->euid;
}

kuid_t (cred_suid)(cred_r c)
{
	return c.obj->suid;
}

kuid_t (cred_fsuid)(cred_r c)
{
	return c.obj->fsuid;
}

kgid_t (cred_gid)(cred_r c)
{
	return c.obj->gid;
}

kgid_t (cred_egid)(cred_r c)
{
	return c.obj->egid;
}

kgid_t (cred_sgid)(cred_r c)
{
	return c.obj->sgid;
}

kgid_t (cred_fsgid)(cred_r c)
{
	return c.obj->fsgid;
}

bool (cred_privileged)(cred_r c)
{
	return privileged(c.obj);
}

int (cred_groups)(cred_r c, kgid_t *out, size_t n)
{
	if (!n)
		return (int)c.obj->ngroups;
	if (n < c.obj->ngroups)
		return -EINVAL;
	if (c.obj->ngroups)
		memcpy(out, c.obj->groups, c.obj->ngroups * sizeof(kgid_t));
	return (int)c.obj->ngroups;
}

bool (cred_in_group)(cred_r c, kgid_t gid)
{
	size_t lo = 0, hi = c.obj->ngroups;

	if (gid == c.obj->fsgid)
		return true;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c.obj->groups[mid] == gid)
			return true;
		if (c.obj->groups[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Whether an unprivileged caller may take @id: CRED_KEEP, or one of the
 * ids it has. */
static bool id_allowed(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == CRED_KEEP || id == a || id == b || id == c;
}

static void set_id(uint32_t *field, uint32_t id)
{
	if (id != CRED_KEEP)
		*field = id;
}

int (cred_setresuid)(cred_rw c, kuid_t ruid, kuid_t euid, kuid_t suid)
{
	struct cred *o = c.obj;

	if (!privileged(o) &&
	    !(id_allowed(ruid, o->uid, o->euid, o->suid) &&
	      id_allowed(euid, o->uid, o->euid, o->suid) &&
	      id_allowed(suid, o->uid, o->euid, o->suid)))
		return -EPERM;
	set_id(&o->uid, ruid);
	set_id(&o->euid, euid);
	set_id(&o->suid, suid);
	o->fsuid = o->euid;
	return 0;
}

int (cred_setresgid)(cred_rw c, kgid_t rgid, kgid_t egid, kgid_t sgid)
{
	struct cred *o = c.obj;

	if (!privileged(o) &&
	    !(id_allowed(rgid, o->gid, o->egid, o->sgid) &&
	      id_allowed(egid, o->gid, o->egid, o->sgid) &&
	      id_allowed(sgid, o->gid, o->egid, o->sgid)))
		return -EPERM;
	set_id(&o->gid, rgid);
	set_id(&o->egid, egid);
	set_id(&o->sgid, sgid);
	o->fsgid = o->egid;
	return 0;
}

/*
 * setuid(2) and setgid(2) on one kind of ids: privileged, every id
 * becomes @id; otherwise the effective and file-system ids, if @id is the
 * real or the saved one.
 */
static int set_one_id(bool priv, uint32_t id, uint32_t *real, uint32_t *eff,
		      uint32_t *saved, uint32_t *fs)
{
	if (id == CRED_KEEP)
		return -EINVAL;
	if (priv) {
		*real = *saved = id;
	} else if (id != *real && id != *saved) {
		return -EPERM;
	}
	*eff = *fs = id;
	return 0;
}

int (cred_setuid)(cred_rw c, kuid_t uid)
{
	struct cred *o = c.obj;

	return set_one_id(privileged(o), uid, &o->uid, &o->euid, &o->suid,
			  &o->fsuid);
}

int (cred_setgid)(cred_rw c, kgid_t gid)
{
	struct cred *o = c.obj;

	return set_one_id(privileged(o), gid, &o->gid, &o->egid, &o->sgid,
			  &o->fsgid);
}

/* setreuid(2) and setregid(2) on one kind of ids. */
static int set_re_ids(bool priv, uint32_t r, uint32_t e, uint32_t *real,
		      uint32_t *eff, uint32_t *saved, uint32_t *fs)
{
	uint32_t old_real = *real;

	if (!priv && ((r != CRED_KEEP && r != *real && r != *eff) ||
		      !id_allowed(e, *real, *eff, *saved)))
		return -EPERM;
	set_id(real, r);
	set_id(eff, e);
	if (r != CRED_KEEP || (e != CRED_KEEP && e != old_real))
		*saved = *eff;
	*fs = *eff;
	return 0;
}

int (cred_setreuid)(cred_rw c, kuid_t ruid, kuid_t euid)
{
	struct cred *o = c.obj;

	return set_re_ids(privileged(o), ruid, euid, &o->uid, &o->euid,
			  &o->suid, &o->fsuid);
}

int (cred_setregid)(cred_rw c, kgid_t rgid, kgid_t egid)
{
	struct cred *o = c.obj;

	return set_re_ids(privileged(o), rgid, egid, &o->gid, &o->egid,
			  &o->sgid, &o->fsgid);
}

kuid_t (cred_setfsuid)(cred_rw c, kuid_t fsuid)
{
	struct cred *o = c.obj;
	kuid_t old = o->fsuid;

	if (fsuid != CRED_KEEP &&
	    (privileged(o) || id_allowed(fsuid, o->uid, o->euid, o->suid) ||
	     fsuid == o->fsuid))
		o->fsuid = fsuid;
	return old;
}

kgid_t (cred_setfsgid)(cred_rw c, kgid_t fsgid)
{
	struct cred *o = c.obj;
	kgid_t old = o->fsgid;

	if (fsgid != CRED_KEEP &&
	    (privileged(o) || id_allowed(fsgid, o->gid, o->egid, o->sgid) ||
	     fsgid == o->fsgid))
		o->fsgid = fsgid;
	return old;
}

/* Restore the heap order of @a[0..n) below @root (a max-heap). */
static void sift_down(kgid_t *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		kgid_t t;

		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

/* Heapsort: up to CRED_NGROUPS_MAX groups in O(n log n), in place. */
static void sort_groups(kgid_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (size_t end = n; end > 1; end--) {
		kgid_t t = a[0];

		a[0] = a[end - 1];
		a[end - 1] = t;
		sift_down(a, 0, end - 1);
	}
}

int (cred_setgroups)(cred_rw c, const kgid_t *groups, size_t n)
{
	struct cred *o = c.obj;
	kgid_t *sorted = NULL;

	if (!privileged(o))
		return -EPERM;
	if (n > CRED_NGROUPS_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (groups[i] == CRED_KEEP)
			return -EINVAL;
	if (n) {
		sorted = FR_NEW_ARRAY(kgid_t, n);
		if (!sorted)
			return -ENOMEM;
		memcpy(sorted, groups, n * sizeof(kgid_t));
		sort_groups(sorted, n);
	}
	fr_kfree(o->groups);
	o->groups = sorted;
	o->ngroups = n;
	return 0;
}
