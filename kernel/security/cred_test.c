/*
 * KTESTs of credentials (cred.h): root's ids, copies, Linux's rules for
 * setresuid/setresgid/setfsuid/setfsgid/setgroups as a privileged and an
 * unprivileged caller, supplementary groups, and reading through the
 * read-only handle.  Changing a credential through cred_r is a compile
 * error, tested by tools/rights/fixtures/.
 */
#include <frame/heap.h>
#include <frame/ktest.h>
#include "security/cred.h"

/* A credential of an ordinary user: uid 1000, gid 100. */
static cred_rw user_cred(void)
{
	cred_rw c = cred_alloc_root();

	if (FR_HANDLE_IS_NONE(c))
		return c;
	if (cred_setresgid(c, 100, 100, 100) ||
	    cred_setresuid(c, 1000, 1000, 1000)) {
		cred_free(c);
		return FR_HANDLE_NONE(cred_rw);
	}
	return c;
}

KTEST(cred, root_ids)
{
	cred_rw c = cred_alloc_root();
	cred_r r = cred_r_of(c);

	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_EXPECT_EQ(cred_uid(r), 0);
	KT_EXPECT_EQ(cred_euid(r), 0);
	KT_EXPECT_EQ(cred_suid(r), 0);
	KT_EXPECT_EQ(cred_fsuid(r), 0);
	KT_EXPECT_EQ(cred_gid(c), 0);
	KT_EXPECT_EQ(cred_egid(c), 0);
	KT_EXPECT_EQ(cred_sgid(c), 0);
	KT_EXPECT_EQ(cred_fsgid(c), 0);
	KT_EXPECT_EQ(cred_groups(r, NULL, 0), 0);
	KT_EXPECT(cred_in_group(r, 0));
	KT_EXPECT(!cred_in_group(r, 1));
	cred_free(c);
}

/* Root may set any ids; the file-system ids follow the effective ones. */
KTEST(cred, privileged_setres)
{
	cred_rw c = cred_alloc_root();

	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_EXPECT_EQ(cred_setresgid(c, 10, 20, 30), 0);
	KT_EXPECT_EQ(cred_gid(c), 10);
	KT_EXPECT_EQ(cred_egid(c), 20);
	KT_EXPECT_EQ(cred_sgid(c), 30);
	KT_EXPECT_EQ(cred_fsgid(c), 20);
	KT_EXPECT_EQ(cred_setresuid(c, 1, CRED_KEEP, 3), 0);
	KT_EXPECT_EQ(cred_uid(c), 1);
	KT_EXPECT_EQ(cred_euid(c), 0);
	KT_EXPECT_EQ(cred_suid(c), 3);
	KT_EXPECT_EQ(cred_fsuid(c), 0);
	/* dropping the effective uid 0 drops the privilege */
	KT_EXPECT_EQ(cred_setresuid(c, CRED_KEEP, 3, CRED_KEEP), 0);
	KT_EXPECT_EQ(cred_euid(c), 3);
	KT_EXPECT_EQ(cred_fsuid(c), 3);
	KT_EXPECT_EQ(cred_setresuid(c, CRED_KEEP, 2, CRED_KEEP), -EPERM);
	KT_EXPECT_EQ(cred_setresuid(c, CRED_KEEP, 0, CRED_KEEP), -EPERM);
	KT_EXPECT_EQ(cred_setresgid(c, 0, 0, 0), -EPERM);
	KT_EXPECT_EQ(cred_euid(c), 3);
	KT_EXPECT_EQ(cred_gid(c), 10);
	cred_free(c);
}

/* An unprivileged caller may only shuffle the ids it has. */
KTEST(cred, unprivileged_setres)
{
	cred_rw c = user_cred();

	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_EXPECT_EQ(cred_setresuid(c, 0, CRED_KEEP, CRED_KEEP), -EPERM);
	KT_EXPECT_EQ(cred_setresuid(c, 1000, 1000, 1001), -EPERM);
	KT_EXPECT_EQ(cred_setresgid(c, CRED_KEEP, 0, CRED_KEEP), -EPERM);
	KT_EXPECT_EQ(cred_uid(c), 1000);
	KT_EXPECT_EQ(cred_suid(c), 1000);
	KT_EXPECT_EQ(cred_egid(c), 100);
	KT_EXPECT_EQ(cred_setresuid(c, CRED_KEEP, CRED_KEEP, CRED_KEEP), 0);
	KT_EXPECT_EQ(cred_euid(c), 1000);
	cred_free(c);
	/* a set-user-id program: real 1000, effective and saved 0 */
	c = cred_alloc_root();
	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_ASSERT_EQ(cred_setresuid(c, 1000, CRED_KEEP, CRED_KEEP), 0);
	KT_EXPECT_EQ(cred_setresuid(c, CRED_KEEP, 1000, CRED_KEEP), 0);
	KT_EXPECT_EQ(cred_fsuid(c), 1000);
	/* unprivileged now, but the saved uid lets it back */
	KT_EXPECT_EQ(cred_setresuid(c, CRED_KEEP, 5, CRED_KEEP), -EPERM);
	KT_EXPECT_EQ(cred_setresuid(c, CRED_KEEP, 0, CRED_KEEP), 0);
	KT_EXPECT_EQ(cred_euid(c), 0);
	cred_free(c);
}

/* setfsuid/setfsgid return the old id and change it only when allowed. */
KTEST(cred, setfs)
{
	cred_rw c = user_cred();

	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_EXPECT_EQ(cred_setfsuid(c, 0), 1000);
	KT_EXPECT_EQ(cred_fsuid(c), 1000);
	KT_EXPECT_EQ(cred_setfsgid(c, 5), 100);
	KT_EXPECT_EQ(cred_fsgid(c), 100);
	KT_EXPECT_EQ(cred_setfsuid(c, CRED_KEEP), 1000);
	KT_EXPECT_EQ(cred_fsuid(c), 1000);
	cred_free(c);
	c = cred_alloc_root();
	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_EXPECT_EQ(cred_setfsuid(c, 42), 0);
	KT_EXPECT_EQ(cred_fsuid(c), 42);
	KT_EXPECT_EQ(cred_euid(c), 0);
	KT_EXPECT_EQ(cred_setfsgid(c, 43), 0);
	KT_EXPECT_EQ(cred_fsgid(c), 43);
	KT_EXPECT(cred_in_group(c, 43));
	KT_EXPECT(!cred_in_group(c, 0));
	cred_free(c);
}

/* Supplementary groups: sorted, searched, replaced, copied; root only. */
KTEST(cred, groups)
{
	kgid_t set[] = { 50, 7, 300, 7, 12 }, got[8] = { 0 };
	kgid_t bad[] = { 1, CRED_KEEP };
	cred_rw c = cred_alloc_root(), copy, user;

	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_EXPECT_EQ(cred_setgroups(c, set, FR_ARRAY_SIZE(set)), 0);
	KT_EXPECT_EQ(cred_groups(c, NULL, 0), 5);
	KT_EXPECT_EQ(cred_groups(c, got, 4), -EINVAL);
	KT_EXPECT_EQ(cred_groups(c, got, FR_ARRAY_SIZE(got)), 5);
	KT_EXPECT_EQ(got[0], 7);
	KT_EXPECT_EQ(got[1], 7);
	KT_EXPECT_EQ(got[2], 12);
	KT_EXPECT_EQ(got[3], 50);
	KT_EXPECT_EQ(got[4], 300);
	KT_EXPECT(cred_in_group(c, 300));
	KT_EXPECT(cred_in_group(c, 12));
	KT_EXPECT(!cred_in_group(c, 13));
	KT_EXPECT_EQ(cred_setgroups(c, bad, FR_ARRAY_SIZE(bad)), -EINVAL);
	KT_EXPECT_EQ(cred_setgroups(c, set, CRED_NGROUPS_MAX + 1), -EINVAL);
	KT_EXPECT_EQ(cred_groups(c, NULL, 0), 5);
	/* a copy is independent */
	copy = cred_dup(c);
	KT_ASSERT(!FR_HANDLE_IS_NONE(copy));
	KT_EXPECT_EQ(cred_setgroups(c, NULL, 0), 0);
	KT_EXPECT_EQ(cred_groups(c, NULL, 0), 0);
	KT_EXPECT(!cred_in_group(c, 50));
	KT_EXPECT_EQ(cred_groups(copy, NULL, 0), 5);
	KT_EXPECT(cred_in_group(cred_r_of(copy), 50));
	/* unprivileged: refused */
	user = user_cred();
	KT_ASSERT(!FR_HANDLE_IS_NONE(user));
	KT_EXPECT_EQ(cred_setgroups(user, set, 1), -EPERM);
	KT_EXPECT_EQ(cred_groups(user, NULL, 0), 0);
	cred_free(user);
	cred_free(copy);
	cred_free(c);
}

/* The largest group list is sorted quickly (heapsort, not quadratic). */
KTEST(cred, many_groups)
{
	kgid_t *set = FR_NEW_ARRAY(kgid_t, CRED_NGROUPS_MAX);
	cred_rw c = cred_alloc_root();
	kgid_t first = 1, last = 0;

	KT_ASSERT(set && !FR_HANDLE_IS_NONE(c));
	for (size_t i = 0; i < CRED_NGROUPS_MAX; i++)
		set[i] = (kgid_t)(CRED_NGROUPS_MAX - i); /* descending */
	KT_EXPECT_EQ(cred_setgroups(c, set, CRED_NGROUPS_MAX), 0);
	KT_EXPECT_EQ(cred_groups(c, set, CRED_NGROUPS_MAX), CRED_NGROUPS_MAX);
	first = set[0];
	last = set[CRED_NGROUPS_MAX - 1];
	KT_EXPECT_EQ(first, 1);
	KT_EXPECT_EQ(last, CRED_NGROUPS_MAX);
	KT_EXPECT(cred_in_group(c, 4096));
	KT_EXPECT(!cred_in_group(c, CRED_NGROUPS_MAX + 1));
	cred_free(c);
	fr_kfree(set);
}

/* The set of uids as getresuid(2) gives them. */
static bool uids_are(cred_rw c, kuid_t r, kuid_t e, kuid_t s)
{
	return cred_uid(c) == r && cred_euid(c) == e && cred_suid(c) == s &&
	       cred_fsuid(c) == e;
}

/* setuid(2): root sets all four ids, a user only among real and saved. */
KTEST(cred, setuid)
{
	cred_rw c = cred_alloc_root();

	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_EXPECT_EQ(cred_setuid(c, CRED_KEEP), -EINVAL);
	KT_EXPECT_EQ(cred_setresuid(c, 1, 2, 3), 0);
	KT_EXPECT(!cred_privileged(c));
	/* the effective uid is not enough */
	KT_EXPECT_EQ(cred_setuid(c, 2), -EPERM);
	KT_EXPECT(uids_are(c, 1, 2, 3));
	KT_EXPECT_EQ(cred_setuid(c, 3), 0);
	KT_EXPECT(uids_are(c, 1, 3, 3));
	KT_EXPECT_EQ(cred_setuid(c, 1), 0);
	KT_EXPECT(uids_are(c, 1, 1, 3));
	KT_EXPECT_EQ(cred_setuid(c, 0), -EPERM);
	cred_free(c);
	c = cred_alloc_root();
	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_EXPECT(cred_privileged(cred_r_of(c)));
	KT_EXPECT_EQ(cred_setuid(c, 1000), 0);
	KT_EXPECT(uids_are(c, 1000, 1000, 1000));
	KT_EXPECT_EQ(cred_setuid(c, 0), -EPERM);
	/* the gids: root's rule needs an effective uid of 0 */
	KT_EXPECT_EQ(cred_setgid(c, 5), -EPERM);
	KT_EXPECT_EQ(cred_setgid(c, 0), 0);
	KT_EXPECT_EQ(cred_gid(c), 0);
	cred_free(c);
	c = cred_alloc_root();
	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_EXPECT_EQ(cred_setgid(c, 5), 0);
	KT_EXPECT(cred_gid(c) == 5 && cred_egid(c) == 5 && cred_sgid(c) == 5 &&
		  cred_fsgid(c) == 5);
	KT_EXPECT_EQ(cred_setgid(c, CRED_KEEP), -EINVAL);
	cred_free(c);
}

/* setreuid(2): the real uid from real or effective, the effective from
 * any; the saved uid follows the new effective one when the real uid is
 * given or the effective one changes to something other than the real. */
KTEST(cred, setreuid)
{
	cred_rw c = cred_alloc_root();

	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_ASSERT_EQ(cred_setresuid(c, 1, 3, 3), 0);
	KT_EXPECT_EQ(cred_setreuid(c, 4, CRED_KEEP), -EPERM);
	KT_EXPECT_EQ(cred_setreuid(c, CRED_KEEP, 4), -EPERM);
	KT_EXPECT(uids_are(c, 1, 3, 3));
	KT_EXPECT_EQ(cred_setreuid(c, 3, 1), 0);
	KT_EXPECT(uids_are(c, 3, 1, 1));
	KT_ASSERT_EQ(cred_setresuid(c, 1, 3, 3), 0);
	KT_EXPECT_EQ(cred_setreuid(c, CRED_KEEP, 1), 0); /* to the real uid */
	KT_EXPECT(uids_are(c, 1, 1, 3));
	KT_EXPECT_EQ(cred_setreuid(c, CRED_KEEP, 3), 0); /* away from it */
	KT_EXPECT(uids_are(c, 1, 3, 3));
	KT_EXPECT_EQ(cred_setreuid(c, CRED_KEEP, CRED_KEEP), 0);
	KT_EXPECT(uids_are(c, 1, 3, 3));
	cred_free(c);
	/* root: anything; setregid the same for groups */
	c = cred_alloc_root();
	KT_ASSERT(!FR_HANDLE_IS_NONE(c));
	KT_EXPECT_EQ(cred_setregid(c, 40, CRED_KEEP), 0);
	KT_EXPECT(cred_gid(c) == 40 && cred_egid(c) == 0 && cred_sgid(c) == 0);
	KT_EXPECT_EQ(cred_setregid(c, CRED_KEEP, 7), 0);
	KT_EXPECT(cred_gid(c) == 40 && cred_egid(c) == 7 && cred_sgid(c) == 7 &&
		  cred_fsgid(c) == 7);
	KT_EXPECT_EQ(cred_setreuid(c, 9, 8), 0);
	KT_EXPECT(uids_are(c, 9, 8, 8));
	KT_EXPECT_EQ(cred_setreuid(c, 0, CRED_KEEP), -EPERM);
	cred_free(c);
}
