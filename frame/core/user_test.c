/*
 * KTESTs of the user-memory accessors (<frame/user.h>): copies, clearing,
 * string copies and the word compare-exchange through the active address
 * space succeed where pages are mapped, and return -EFAULT without
 * crashing and without touching kernel memory for unmapped, read-only,
 * kernel, non-canonical and straddling addresses.  The address space
 * follows the task that activated it.  Only the public frame API is
 * used, so the same tests build for the hosted target.
 */
#include <frame/ktest.h>
#include <frame/heap.h>
#include <frame/mm.h>
#include <frame/sync.h>
#include <frame/task.h>
#include <frame/user.h>
#include <frame/vm.h>
#include <libs/string.h>
#include "ktest_tasks.h"

#define PG FR_PAGE_SIZE

/* The test space: two RW pages at U_RW, a hole after them, a read-only
 * page and an inaccessible one. */
#define U_RW 0x10000000UL
#define U_HOLE (U_RW + 2 * PG)
#define U_RO 0x20000000UL
#define U_NONE 0x30000000UL

struct user_env {
	struct fr_vm_space *vs, *old;
	struct fr_page *rw[2], *ro, *none;
};

static void env_down(struct user_env *e)
{
	fr_vm_space_activate(e->old);
	if (e->vs)
		fr_vm_space_destroy(e->vs);
	for (int i = 0; i < 2; i++)
		if (e->rw[i])
			fr_page_put(e->rw[i]);
	if (e->ro)
		fr_page_put(e->ro);
	if (e->none)
		fr_page_put(e->none);
}

/* Build the test space and make it the current task's; false on failure. */
static bool env_up(struct user_env *e)
{
	unsigned rw = FR_PROT_READ | FR_PROT_WRITE;

	memset(e, 0, sizeof(*e));
	e->old = fr_vm_space_current();
	e->vs = fr_vm_space_create();
	e->rw[0] = fr_page_alloc(FR_PAGE_ZERO);
	e->rw[1] = fr_page_alloc(FR_PAGE_ZERO);
	e->ro = fr_page_alloc(0);
	e->none = fr_page_alloc(0);
	if (!e->vs || !e->rw[0] || !e->rw[1] || !e->ro || !e->none ||
	    fr_page_fill(e->ro, 0, 'r', PG) ||
	    fr_page_fill(e->none, 0, 'n', PG) ||
	    fr_vm_space_map(e->vs, fr_uaddr(U_RW), e->rw[0], rw) ||
	    fr_vm_space_map(e->vs, fr_uaddr(U_RW + PG), e->rw[1], rw) ||
	    fr_vm_space_map(e->vs, fr_uaddr(U_RO), e->ro, FR_PROT_READ) ||
	    fr_vm_space_map(e->vs, fr_uaddr(U_NONE), e->none, FR_PROT_NONE)) {
		env_down(e);
		return false;
	}
	fr_vm_space_activate(e->vs);
	return true;
}

static bool page_all(const struct fr_page *page, uint8_t byte)
{
	uint8_t buf[256];

	for (size_t off = 0; off < PG; off += sizeof(buf)) {
		if (fr_page_read(page, off, buf, sizeof(buf)))
			return false;
		for (size_t i = 0; i < sizeof(buf); i++)
			if (buf[i] != byte)
				return false;
	}
	return true;
}

KTEST(user, copy_roundtrip)
{
	struct user_env e;
	char msg[64], back[64], part[10];
	uint64_t at = U_RW + PG - 10, word = 0x1122334455667788UL, w = 0;

	KT_ASSERT(env_up(&e));
	for (unsigned i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('A' + i % 26);
	/* across the boundary between the two pages */
	KT_EXPECT_EQ(fr_copy_to_user(fr_uaddr(at), msg, sizeof(msg)), 0);
	KT_EXPECT_EQ(fr_page_read(e.rw[0], PG - 10, part, 10), 0);
	KT_EXPECT_EQ(memcmp(part, msg, 10), 0);
	KT_EXPECT_EQ(fr_page_read(e.rw[1], 0, part, 10), 0);
	KT_EXPECT_EQ(memcmp(part, msg + 10, 10), 0);
	memset(back, 0, sizeof(back));
	KT_EXPECT_EQ(fr_copy_from_user(back, fr_uaddr(at), sizeof(back)), 0);
	KT_EXPECT_EQ(memcmp(back, msg, sizeof(msg)), 0);
	/* clearing */
	KT_EXPECT_EQ(fr_clear_user(fr_uaddr(at + 2), 20), 0);
	KT_EXPECT_EQ(fr_copy_from_user(back, fr_uaddr(at), sizeof(back)), 0);
	KT_EXPECT(back[0] == msg[0] && back[1] == msg[1]);
	for (unsigned i = 2; i < 22; i++)
		KT_EXPECT_EQ(back[i], 0);
	KT_EXPECT_EQ(back[22], msg[22]);
	/* the typed helpers */
	KT_EXPECT_EQ(FR_PUT_USER(word, fr_uaddr(U_RW + 8)), 0);
	KT_EXPECT_EQ(FR_GET_USER(w, fr_uaddr(U_RW + 8)), 0);
	KT_EXPECT_EQ(w, word);
	/* a read-only page can be read */
	KT_EXPECT_EQ(fr_copy_from_user(part, fr_uaddr(U_RO + 100), 10), 0);
	KT_EXPECT_EQ(memcmp(part, "rrrrrrrrrr", 10), 0);
	env_down(&e);
}

/* Accesses to unmapped addresses fail and leave the kernel buffer alone
 * beyond what was asked. */
KTEST(user, unmapped_efault)
{
	static const uint64_t bad[] = {
		0,
		8,
		FR_USER_MIN,
		U_HOLE,
		U_HOLE + 100,
		U_RW - PG,
		0x7ffffffe0000UL,
		FR_USER_END - 8,
	};
	struct user_env e;
	char buf[32];
	uint64_t zero = 0;

	KT_ASSERT(env_up(&e));
	for (size_t i = 0; i < FR_ARRAY_SIZE(bad); i++) {
		fr_uaddr_t u = fr_uaddr(bad[i]);

		memset(buf, 'k', sizeof(buf));
		KT_EXPECT_EQ(fr_copy_from_user(buf, u, 8), -EFAULT);
		KT_EXPECT_EQ(fr_copy_to_user(u, buf, 8), -EFAULT);
		KT_EXPECT_EQ(fr_clear_user(u, 8), -EFAULT);
		KT_EXPECT_EQ(fr_strncpy_from_user(buf, u, 16), -EFAULT);
		KT_EXPECT_EQ(FR_GET_USER(zero, u), -EFAULT);
		KT_EXPECT_EQ(buf[16], 'k');
	}
	/* nothing to copy: nothing to fault on */
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(U_HOLE), 0), 0);
	KT_EXPECT_EQ(fr_copy_to_user(fr_uaddr(U_HOLE), buf, 0), 0);
	KT_EXPECT_EQ(fr_clear_user(fr_uaddr(U_HOLE), 0), 0);
	env_down(&e);
}

/* A range that starts mapped and runs into a hole fails as a whole. */
KTEST(user, straddle_efault)
{
	struct user_env e;
	char buf[64];
	uint64_t last = U_HOLE - 8;
	char *big = fr_kmalloc(2 * PG + 1);

	KT_ASSERT(big != NULL);
	KT_ASSERT(env_up(&e));
	memset(buf, 's', sizeof(buf));
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(last), 16), -EFAULT);
	for (unsigned i = 16; i < sizeof(buf); i++)
		KT_EXPECT_EQ(buf[i], 's');
	KT_EXPECT_EQ(fr_copy_to_user(fr_uaddr(last), buf, 16), -EFAULT);
	KT_EXPECT_EQ(fr_clear_user(fr_uaddr(last), 16), -EFAULT);
	/* (a partial copy may happen: the destination is big enough) */
	KT_EXPECT_EQ(fr_copy_from_user(big, fr_uaddr(U_RW), 2 * PG + 1),
		     -EFAULT);
	KT_EXPECT_EQ(fr_clear_user(fr_uaddr(U_RW + 1), 2 * PG), -EFAULT);
	/* mapped into read-only and into inaccessible */
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(U_RO - 8), 16), -EFAULT);
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(U_NONE + PG - 8), 16),
		     -EFAULT);
	/* the exact mapped part still works */
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(last), 8), 0);
	KT_EXPECT_EQ(fr_clear_user(fr_uaddr(U_RW), 2 * PG), 0);
	KT_EXPECT(page_all(e.rw[0], 0) && page_all(e.rw[1], 0));
	env_down(&e);
	fr_kfree(big);
}

/* Read-only pages cannot be written, inaccessible ones not even read. */
KTEST(user, protection_efault)
{
	struct user_env e;
	char buf[16];

	KT_ASSERT(env_up(&e));
	memset(buf, 'w', sizeof(buf));
	KT_EXPECT_EQ(fr_copy_to_user(fr_uaddr(U_RO), buf, 16), -EFAULT);
	KT_EXPECT_EQ(fr_copy_to_user(fr_uaddr(U_RO + PG - 1), buf, 1), -EFAULT);
	KT_EXPECT_EQ(fr_clear_user(fr_uaddr(U_RO + 8), 8), -EFAULT);
	KT_EXPECT(page_all(e.ro, 'r'));
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(U_NONE), 16), -EFAULT);
	KT_EXPECT_EQ(fr_copy_to_user(fr_uaddr(U_NONE), buf, 16), -EFAULT);
	KT_EXPECT_EQ(fr_clear_user(fr_uaddr(U_NONE), 16), -EFAULT);
	KT_EXPECT_EQ(fr_strncpy_from_user(buf, fr_uaddr(U_NONE), 16), -EFAULT);
	KT_EXPECT(page_all(e.none, 'n'));
	/* after protect() the same page becomes writable */
	KT_EXPECT_EQ(fr_vm_space_protect(e.vs, fr_uaddr(U_RO), PG,
					 FR_PROT_READ | FR_PROT_WRITE),
		     0);
	KT_EXPECT_EQ(fr_copy_to_user(fr_uaddr(U_RO), buf, 16), 0);
	KT_EXPECT(!page_all(e.ro, 'r'));
	/* and write-protecting it again takes effect at once (TLB) */
	KT_EXPECT_EQ(
		fr_vm_space_protect(e.vs, fr_uaddr(U_RO), PG, FR_PROT_READ), 0);
	KT_EXPECT_EQ(fr_copy_to_user(fr_uaddr(U_RO + 32), buf, 16), -EFAULT);
	/* as does an unmap */
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(U_RW), 16), 0);
	KT_EXPECT_EQ(fr_vm_space_unmap(e.vs, fr_uaddr(U_RW), PG), 0);
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(U_RW), 16), -EFAULT);
	env_down(&e);
}

/*
 * Kernel addresses passed as user addresses are refused: nothing is read
 * from them and nothing is written to them.
 */
KTEST(user, kernel_addresses_efault)
{
	struct user_env e;
	uint64_t victim = 0x1234567890abcdefUL;
	uint8_t *heap = fr_kmalloc(64);
	char buf[16];
	uint64_t addrs[6];

	KT_ASSERT(heap != NULL);
	memset(heap, 'h', 64);
	addrs[0] = (uint64_t)(uintptr_t)&victim;
	addrs[1] = (uint64_t)(uintptr_t)heap;
	addrs[2] = (uint64_t)(uintptr_t)&fr_kmalloc; /* kernel text */
	addrs[3] = 0xffff888000000000UL; /* direct map (x86-64) */
	addrs[4] = 0xffffffff80000000UL; /* kernel image */
	addrs[5] = 0xfffffffffffff000UL;
	KT_ASSERT(env_up(&e));
	for (size_t i = 0; i < FR_ARRAY_SIZE(addrs); i++) {
		fr_uaddr_t u = fr_uaddr(addrs[i]);

		memset(buf, 'k', sizeof(buf));
		KT_EXPECT_EQ(fr_copy_from_user(buf, u, 8), -EFAULT);
		KT_EXPECT_EQ(buf[0], 'k');
		KT_EXPECT_EQ(fr_copy_to_user(u, buf, 8), -EFAULT);
		KT_EXPECT_EQ(fr_clear_user(u, 8), -EFAULT);
		KT_EXPECT_EQ(fr_strncpy_from_user(buf, u, 8), -EFAULT);
		KT_EXPECT_EQ(buf[0], 'k');
	}
	KT_EXPECT_EQ(victim, 0x1234567890abcdefUL);
	for (unsigned i = 0; i < 64; i++)
		KT_EXPECT_EQ(heap[i], 'h');
	env_down(&e);
	fr_kfree(heap);
}

/* Non-canonical addresses and ranges that wrap or leave user space. */
KTEST(user, noncanonical_and_wrapping_efault)
{
	static const uint64_t bad[] = {
		0x0000800000000000UL, 0x0000800000001000UL,
		0x8000000000000000UL, 0xdead000000000000UL,
		0x7fffffffffffffffUL, 0xffff800000000000UL - 8,
		FR_USER_END,
	};
	struct user_env e;
	char buf[16];

	KT_ASSERT(env_up(&e));
	for (size_t i = 0; i < FR_ARRAY_SIZE(bad); i++) {
		fr_uaddr_t u = fr_uaddr(bad[i]);

		KT_EXPECT_EQ(fr_copy_from_user(buf, u, 8), -EFAULT);
		KT_EXPECT_EQ(fr_copy_to_user(u, buf, 8), -EFAULT);
		KT_EXPECT_EQ(fr_clear_user(u, 8), -EFAULT);
		KT_EXPECT_EQ(fr_strncpy_from_user(buf, u, 8), -EFAULT);
	}
	/* a mapped start with a length that wraps or crosses the end */
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(U_RW), SIZE_MAX), -EFAULT);
	KT_EXPECT_EQ(fr_copy_to_user(fr_uaddr(U_RW), buf, (size_t)0 - U_RW),
		     -EFAULT);
	KT_EXPECT_EQ(fr_clear_user(fr_uaddr(U_RW + 8), SIZE_MAX - 7), -EFAULT);
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(FR_USER_END - 8), 16),
		     -EFAULT);
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(0x00007ffffffffff8UL), 16),
		     -EFAULT);
	/* the test pages were not cleared by the wrapping attempts */
	KT_EXPECT_EQ(fr_copy_to_user(fr_uaddr(U_RW + 8), "x", 1), 0);
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(U_RW + 8), 1), 0);
	KT_EXPECT_EQ(buf[0], 'x');
	env_down(&e);
}

KTEST(user, strncpy_from_user)
{
	struct user_env e;
	char dst[32];
	uint64_t end = U_HOLE;

	KT_ASSERT(env_up(&e));
	KT_ASSERT_EQ(fr_copy_to_user(fr_uaddr(U_RW), "hello", 6), 0);
	memset(dst, 'z', sizeof(dst));
	KT_EXPECT_EQ(fr_strncpy_from_user(dst, fr_uaddr(U_RW), sizeof(dst)), 5);
	KT_EXPECT_EQ(strcmp(dst, "hello"), 0);
	KT_EXPECT_EQ(dst[6], 'z');
	/* exactly fitting, one too long, and no room at all */
	KT_EXPECT_EQ(fr_strncpy_from_user(dst, fr_uaddr(U_RW), 6), 5);
	KT_EXPECT_EQ(fr_strncpy_from_user(dst, fr_uaddr(U_RW), 5),
		     -ENAMETOOLONG);
	KT_EXPECT_EQ(fr_strncpy_from_user(dst, fr_uaddr(U_RW), 0),
		     -ENAMETOOLONG);
	KT_EXPECT_EQ(fr_strncpy_from_user(dst, fr_uaddr(U_RW + 5), 4), 0);
	KT_EXPECT_EQ(dst[0], '\0');
	/* a string across the page boundary */
	KT_ASSERT_EQ(fr_copy_to_user(fr_uaddr(U_RW + PG - 3), "abcdef", 7), 0);
	KT_EXPECT_EQ(
		fr_strncpy_from_user(dst, fr_uaddr(U_RW + PG - 3), sizeof(dst)),
		6);
	KT_EXPECT_EQ(strcmp(dst, "abcdef"), 0);
	/* a NUL in the very last mapped byte is found */
	KT_ASSERT_EQ(fr_copy_to_user(fr_uaddr(end - 4), "xyz", 4), 0);
	KT_EXPECT_EQ(fr_strncpy_from_user(dst, fr_uaddr(end - 4), sizeof(dst)),
		     3);
	KT_EXPECT_EQ(strcmp(dst, "xyz"), 0);
	/* no NUL before the hole: a fault, however large the buffer */
	KT_ASSERT_EQ(fr_copy_to_user(fr_uaddr(end - 4), "wxyz", 4), 0);
	KT_EXPECT_EQ(fr_strncpy_from_user(dst, fr_uaddr(end - 4), sizeof(dst)),
		     -EFAULT);
	/* ... but not when the limit comes first */
	KT_EXPECT_EQ(fr_strncpy_from_user(dst, fr_uaddr(end - 4), 4),
		     -ENAMETOOLONG);
	/* a read-only page holds strings too (no NUL in it: a fault at its
	 * end) */
	KT_EXPECT_EQ(
		fr_strncpy_from_user(dst, fr_uaddr(U_RO + PG - 8), sizeof(dst)),
		-EFAULT);
	KT_EXPECT_EQ(fr_strncpy_from_user(dst, fr_uaddr(U_RO), 16),
		     -ENAMETOOLONG);
	env_down(&e);
}

/* The atomic compare-exchange on a user word, for futexes. */
KTEST(user, cmpxchg_u32)
{
	struct user_env e;
	uint32_t w = 5, exp;

	KT_ASSERT(env_up(&e));
	KT_ASSERT_EQ(FR_PUT_USER(w, fr_uaddr(U_RW + 64)), 0);
	/* a match swaps and reports the old value */
	exp = 5;
	KT_EXPECT_EQ(fr_user_cmpxchg_u32(fr_uaddr(U_RW + 64), &exp, 9), 0);
	KT_EXPECT_EQ(exp, 5);
	KT_EXPECT_EQ(FR_GET_USER(w, fr_uaddr(U_RW + 64)), 0);
	KT_EXPECT_EQ(w, 9);
	/* a mismatch leaves the word and reports what is there */
	exp = 5;
	KT_EXPECT_EQ(fr_user_cmpxchg_u32(fr_uaddr(U_RW + 64), &exp, 1), 0);
	KT_EXPECT_EQ(exp, 9);
	KT_EXPECT_EQ(FR_GET_USER(w, fr_uaddr(U_RW + 64)), 0);
	KT_EXPECT_EQ(w, 9);
	/* the last word of the second page */
	exp = 0;
	KT_EXPECT_EQ(fr_user_cmpxchg_u32(fr_uaddr(U_HOLE - 4), &exp, 7), 0);
	KT_EXPECT_EQ(exp, 0);
	KT_EXPECT_EQ(FR_GET_USER(w, fr_uaddr(U_HOLE - 4)), 0);
	KT_EXPECT_EQ(w, 7);
	/* misaligned, unmapped, read-only, inaccessible, kernel, too high */
	exp = 0;
	KT_EXPECT_EQ(fr_user_cmpxchg_u32(fr_uaddr(U_RW + 2), &exp, 1), -EINVAL);
	KT_EXPECT_EQ(fr_user_cmpxchg_u32(fr_uaddr(U_HOLE), &exp, 1), -EFAULT);
	exp = 0x72727272;
	KT_EXPECT_EQ(fr_user_cmpxchg_u32(fr_uaddr(U_RO), &exp, 1), -EFAULT);
	KT_EXPECT(page_all(e.ro, 'r'));
	KT_EXPECT_EQ(fr_user_cmpxchg_u32(fr_uaddr(U_NONE), &exp, 1), -EFAULT);
	KT_EXPECT(page_all(e.none, 'n'));
	KT_EXPECT_EQ(fr_user_cmpxchg_u32(
			     fr_uaddr((uint64_t)(uintptr_t)&w), &exp, 1),
		     -EFAULT);
	KT_EXPECT_EQ(w, 7);
	KT_EXPECT_EQ(fr_user_cmpxchg_u32(fr_uaddr(FR_USER_END), &exp, 1),
		     -EFAULT);
	env_down(&e);
}

/* Only the active space is reached: another space's pages are not. */
KTEST(user, only_active_space)
{
	struct user_env e;
	struct fr_vm_space *other = fr_vm_space_create();
	struct fr_page *p = fr_page_alloc(0);
	const uint64_t u = 0x40000000UL;
	char buf[4];

	KT_ASSERT(other && p);
	KT_ASSERT_EQ(fr_page_fill(p, 0, 'o', PG), 0);
	KT_ASSERT_EQ(fr_vm_space_map(other, fr_uaddr(u), p, FR_PROT_READ), 0);
	KT_ASSERT(env_up(&e));
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(u), 4), -EFAULT);
	fr_vm_space_activate(other);
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(u), 4), 0);
	KT_EXPECT_EQ(buf[3], 'o');
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(U_RW), 4), -EFAULT);
	fr_vm_space_activate(e.vs);
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(u), 4), -EFAULT);
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(U_RW), 4), 0);
	/* with no space active, no user address works */
	fr_vm_space_activate(NULL);
	KT_EXPECT_EQ(fr_copy_from_user(buf, fr_uaddr(U_RW), 4), -EFAULT);
	env_down(&e);
	fr_vm_space_destroy(other);
	fr_page_put(p);
}

/* ---- the space follows its task across switches ---- */

#define RD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define WR(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define OWN_VA 0x50000000UL

struct space_task {
	struct fr_ktest_ctx *kt;
	struct kt_join join;
	int step; /* 1: the task's space is active, 2: the test looked */
	bool ok;
};

static void space_task_fn(void *arg)
{
	struct space_task *st = arg;
	struct fr_ktest_ctx *kt = st->kt;
	struct fr_vm_space *vs = fr_vm_space_create();
	struct fr_page *p = fr_page_alloc(0);
	unsigned ro = FR_PROT_READ;
	char c = 0;

	if (KT_EXPECT(vs && p) &&
	    KT_EXPECT_EQ(fr_page_fill(p, 0, 't', PG), 0) &&
	    KT_EXPECT_EQ(fr_vm_space_map(vs, fr_uaddr(OWN_VA), p, ro), 0)) {
		fr_vm_space_activate(vs);
		WR(st->step, 1); /* the test task looks at its own view now */
		KT_YIELD_UNTIL(RD(st->step) != 1);
		/* back here, the space is ours again */
		KT_EXPECT(fr_vm_space_current() == vs);
		KT_EXPECT_EQ(fr_copy_from_user(&c, fr_uaddr(OWN_VA), 1), 0);
		KT_EXPECT_EQ(c, 't');
		st->ok = true;
		fr_vm_space_activate(NULL);
	}
	fr_vm_space_destroy(vs);
	if (p)
		fr_page_put(p);
	kt_join_done(&st->join);
}

KTEST(user, space_follows_task)
{
	struct space_task st = { .kt = kt };
	struct fr_vm_space *mine = fr_vm_space_current();
	struct fr_task *t;
	char c = 0;

	kt_join_init(&st.join, 1);
	t = fr_task_create("kt-space", space_task_fn, &st);
	KT_ASSERT(t != NULL);
	fr_task_start(t);
	KT_YIELD_UNTIL(RD(st.step) || !kt_join_left(&st.join));
	if (KT_EXPECT_EQ(RD(st.step), 1)) {
		/* the other task's space is not ours */
		KT_EXPECT(fr_vm_space_current() == mine);
		KT_EXPECT_EQ(fr_copy_from_user(&c, fr_uaddr(OWN_VA), 1),
			     -EFAULT);
		WR(st.step, 2);
	}
	kt_join_wait(kt, &st.join);
	KT_EXPECT(st.ok);
	KT_EXPECT(fr_vm_space_current() == mine);
}
