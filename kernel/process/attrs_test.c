/*
 * KTESTs of the process attributes (attrs.h): init's defaults, what fork
 * copies and what it does not, what execve resets, the consequences of a
 * change of ids, the rules of prlimit, and the children's time.
 */
#include <frame/ktest.h>
#include "process/attrs.h"

KTEST(attrs, init_defaults)
{
	struct process_attrs a;
	struct rlimit64 r;
	cred_r c;

	KT_ASSERT_EQ(process_attrs_init(&a), 0);
	c = process_attrs_cred_lock(&a);
	KT_EXPECT(cred_uid(c) == 0 && cred_euid(c) == 0 && cred_gid(c) == 0);
	process_attrs_cred_unlock(&a);
	KT_EXPECT_EQ(process_attrs_umask(&a), 0022);
	KT_EXPECT_EQ(process_attrs_get(&a, PROCESS_DUMPABLE), ATTRS_DUMP_USER);
	KT_EXPECT_EQ(process_attrs_get(&a, PROCESS_PDEATHSIG), 0);
	KT_EXPECT_EQ(process_attrs_rlimit(&a, RLIMIT_NOFILE, &r), 0);
	KT_EXPECT(r.rlim_cur == 1024 && r.rlim_max == 4096);
	KT_EXPECT_EQ(process_attrs_rlimit(&a, RLIMIT_STACK, &r), 0);
	KT_EXPECT(r.rlim_cur == 8 << 20 && r.rlim_max == RLIM64_INFINITY);
	KT_EXPECT_EQ(process_attrs_rlimit(&a, RLIMIT_NPROC, &r), 0);
	KT_EXPECT(r.rlim_cur >= 10 && r.rlim_cur == r.rlim_max);
	KT_EXPECT_EQ(process_attrs_rlimit(&a, RLIM_NLIMITS, &r), -EINVAL);
	process_attrs_release(&a);
}

KTEST(attrs, fork_and_exec)
{
	struct process_attrs parent, child;
	struct rlimit64 r = { 5, 10 };

	KT_ASSERT_EQ(process_attrs_init(&parent), 0);
	process_attrs_set_umask(&parent, 0077);
	KT_EXPECT_EQ(
		process_attrs_prlimit(&parent, RLIMIT_CORE, &r, NULL, true), 0);
	process_attrs_set(&parent, PROCESS_PDEATHSIG, 9);
	process_attrs_set(&parent, PROCESS_CHILD_SUBREAPER, 1);
	process_attrs_set(&parent, PROCESS_KEEP_CAPS, 1);
	process_attrs_set(&parent, PROCESS_NO_NEW_PRIVS, 1);
	process_attrs_set(&parent, PROCESS_DUMPABLE, ATTRS_DUMP_DISABLE);
	KT_EXPECT_EQ(cred_setresuid(process_attrs_cred_begin(&parent), 7,
				    CRED_KEEP, CRED_KEEP),
		     0);
	process_attrs_cred_end(&parent);
	KT_ASSERT_EQ(process_attrs_copy(&child, &parent), 0);
	KT_EXPECT_EQ(process_attrs_umask(&child), 0077);
	KT_EXPECT_EQ(process_attrs_rlimit(&child, RLIMIT_CORE, &r), 0);
	KT_EXPECT(r.rlim_cur == 5 && r.rlim_max == 10);
	KT_EXPECT_EQ(process_attrs_get(&child, PROCESS_PDEATHSIG), 0);
	KT_EXPECT_EQ(process_attrs_get(&child, PROCESS_CHILD_SUBREAPER), 0);
	KT_EXPECT_EQ(process_attrs_get(&child, PROCESS_KEEP_CAPS), 1);
	KT_EXPECT_EQ(process_attrs_get(&child, PROCESS_NO_NEW_PRIVS), 1);
	KT_EXPECT_EQ(process_attrs_get(&child, PROCESS_DUMPABLE), 0);
	KT_EXPECT_EQ(cred_uid(process_attrs_cred_lock(&child)), 7);
	process_attrs_cred_unlock(&child);
	/* execve: keep_caps goes; dumpable comes back (same real and
	 * effective ids) or not (different ones) */
	process_attrs_exec(&parent);
	KT_EXPECT_EQ(process_attrs_get(&parent, PROCESS_KEEP_CAPS), 0);
	KT_EXPECT_EQ(process_attrs_get(&parent, PROCESS_NO_NEW_PRIVS), 1);
	KT_EXPECT_EQ(process_attrs_get(&parent, PROCESS_DUMPABLE), 0);
	KT_EXPECT_EQ(cred_setresuid(process_attrs_cred_begin(&child), 0, 0,
				    CRED_KEEP),
		     0);
	process_attrs_cred_end(&child);
	process_attrs_exec(&child);
	KT_EXPECT_EQ(process_attrs_get(&child, PROCESS_DUMPABLE), 1);
	process_attrs_reap(&parent, &child, 0, 0);
	process_attrs_release(&parent);
}

/* Only a change of effective or file-system id has consequences. */
KTEST(attrs, id_change_consequences)
{
	struct process_attrs a;

	KT_ASSERT_EQ(process_attrs_init(&a), 0);
	process_attrs_set(&a, PROCESS_PDEATHSIG, 9);
	KT_EXPECT_EQ(cred_setresgid(process_attrs_cred_begin(&a), 5, CRED_KEEP,
				    CRED_KEEP),
		     0);
	process_attrs_cred_end(&a);
	KT_EXPECT_EQ(process_attrs_get(&a, PROCESS_PDEATHSIG), 9);
	KT_EXPECT_EQ(process_attrs_get(&a, PROCESS_DUMPABLE), 1);
	KT_EXPECT_EQ(cred_setfsuid(process_attrs_cred_begin(&a), 3), 0);
	process_attrs_cred_end(&a);
	KT_EXPECT_EQ(process_attrs_get(&a, PROCESS_PDEATHSIG), 0);
	KT_EXPECT_EQ(process_attrs_get(&a, PROCESS_DUMPABLE), 0);
	process_attrs_release(&a);
}

KTEST(attrs, prlimit_rules)
{
	struct process_attrs a, b;
	struct rlimit64 r = { 10, 5 }, old;

	KT_ASSERT_EQ(process_attrs_init(&a), 0);
	KT_EXPECT_EQ(process_attrs_prlimit(&a, RLIMIT_CORE, &r, NULL, true),
		     -EINVAL);
	r = (struct rlimit64){ 1024, 2000000 };
	KT_EXPECT_EQ(process_attrs_prlimit(&a, RLIMIT_NOFILE, &r, NULL, true),
		     -EPERM);
	r = (struct rlimit64){ 1, 100 };
	KT_EXPECT_EQ(process_attrs_prlimit(&a, RLIMIT_CORE, &r, &old, false),
		     0);
	KT_EXPECT(old.rlim_cur == 0 && old.rlim_max == RLIM64_INFINITY);
	r.rlim_max = 101;
	KT_EXPECT_EQ(process_attrs_prlimit(&a, RLIMIT_CORE, &r, NULL, false),
		     -EPERM);
	KT_EXPECT_EQ(process_attrs_prlimit(&a, RLIMIT_CORE, &r, NULL, true), 0);
	/* another process: root may, a user only on its own kind */
	KT_ASSERT_EQ(process_attrs_copy(&b, &a), 0);
	KT_EXPECT_EQ(process_attrs_prlimit_of(&b, &a, RLIMIT_CORE, NULL, &old),
		     0);
	KT_EXPECT_EQ(cred_setresuid(process_attrs_cred_begin(&a), 5, 5, 5), 0);
	process_attrs_cred_end(&a);
	KT_EXPECT_EQ(process_attrs_prlimit_of(&b, &a, RLIMIT_CORE, NULL, &old),
		     -EPERM);
	KT_EXPECT_EQ(process_attrs_prlimit_of(&a, &b, 99, NULL, &old), -EINVAL);
	KT_EXPECT_EQ(cred_setresuid(process_attrs_cred_begin(&b), 5, 5, 5), 0);
	process_attrs_cred_end(&b);
	KT_EXPECT_EQ(process_attrs_prlimit_of(&b, &a, RLIMIT_CORE, NULL, &old),
		     0);
	process_attrs_release(&b);
	process_attrs_release(&a);
}
