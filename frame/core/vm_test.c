/*
 * KTESTs of user address spaces (<frame/vm.h>): creating and destroying
 * them, mapping, unmapping and protecting pages with the references that
 * mappings hold, reading and writing through fr_vm_space_read/write, and
 * the errors for bad or unmapped addresses.  Only the public frame API is
 * used, so the same tests build for the hosted target.
 */
#include <frame/ktest.h>
#include <frame/mm.h>
#include <frame/vm.h>
#include <libs/string.h>

#define PG FR_PAGE_SIZE
#define VA(a) fr_uaddr(a)

/* User addresses in different page tables at every level. */
#define U_LOW 0x400000UL
#define U_MID 0x12345000000UL
#define U_HIGH (FR_USER_END - PG)

static uint64_t free_pages(void)
{
	struct fr_mem_stats s;

	fr_mem_stats(&s);
	return s.free;
}

KTEST(vm, empty_space)
{
	struct fr_vm_space *vs = fr_vm_space_create();
	unsigned prot = 0x55;
	uint8_t b = 0x5a;

	KT_ASSERT(vs != NULL);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_LOW), &prot) == NULL);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_HIGH), NULL) == NULL);
	KT_EXPECT(fr_vm_space_query(vs, VA(0), NULL) == NULL);
	KT_EXPECT_EQ(prot, 0x55);
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(U_LOW), &b, 1), -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_write(vs, VA(U_LOW), &b, 1), -EFAULT);
	KT_EXPECT_EQ(b, 0x5a);
	KT_EXPECT_EQ(fr_vm_space_unmap(vs, VA(U_LOW), 16 * PG), 0);
	KT_EXPECT_EQ(fr_vm_space_protect(vs, VA(U_LOW), PG, FR_PROT_READ), 0);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_LOW), NULL) == NULL);
	fr_vm_space_destroy(vs);
}

/* A mapping holds a reference, shows in query, and goes with unmap. */
KTEST(vm, map_query_unmap)
{
	struct fr_vm_space *vs = fr_vm_space_create();
	struct fr_page *p = fr_page_alloc(FR_PAGE_ZERO);
	unsigned prot = 0;

	KT_ASSERT(vs && p);
	KT_EXPECT_EQ(
		fr_vm_space_map(vs, VA(U_LOW), p, FR_PROT_READ | FR_PROT_WRITE),
		0);
	KT_EXPECT_EQ(fr_page_refcount(p), 2);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_LOW), &prot) == p);
	KT_EXPECT_EQ(prot, FR_PROT_READ | FR_PROT_WRITE);
	/* any address inside the page finds it; the neighbours are empty */
	KT_EXPECT(fr_vm_space_query(vs, VA(U_LOW + PG - 1), NULL) == p);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_LOW + PG), NULL) == NULL);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_LOW - 1), NULL) == NULL);
	KT_EXPECT_EQ(fr_vm_space_unmap(vs, VA(U_LOW), PG), 0);
	KT_EXPECT_EQ(fr_page_refcount(p), 1);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_LOW), NULL) == NULL);
	/* unmapping again is harmless */
	KT_EXPECT_EQ(fr_vm_space_unmap(vs, VA(U_LOW), PG), 0);
	KT_EXPECT_EQ(fr_page_refcount(p), 1);
	fr_vm_space_destroy(vs);
	fr_page_put(p);
}

KTEST(vm, map_errors)
{
	struct fr_vm_space *vs = fr_vm_space_create();
	struct fr_page *p = fr_page_alloc(0), *q = fr_page_alloc(0);
	unsigned rw = FR_PROT_READ | FR_PROT_WRITE;

	KT_ASSERT(vs && p && q);
	KT_EXPECT_EQ(fr_vm_space_map(vs, VA(U_LOW + 8), p, rw), -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_map(vs, VA(0), p, rw), -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_map(vs, VA(FR_USER_MIN - PG), p, rw), -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_map(vs, VA(FR_USER_END), p, rw), -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_map(vs, VA(0x0000800000000000UL), p, rw),
		     -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_map(vs, VA(0xffff888000000000UL), p, rw),
		     -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_map(vs, VA(0xffffffff80000000UL), p, rw),
		     -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_map(vs, VA(U_LOW), NULL, rw), -EINVAL);
	KT_EXPECT_EQ(fr_page_refcount(p), 1);
	/* the lowest and the highest user pages are allowed */
	KT_EXPECT_EQ(fr_vm_space_map(vs, VA(FR_USER_MIN), p, rw), 0);
	KT_EXPECT_EQ(fr_vm_space_map(vs, VA(U_HIGH), p, rw), 0);
	KT_EXPECT_EQ(fr_page_refcount(p), 3);
	/* an occupied address is not replaced */
	KT_EXPECT_EQ(fr_vm_space_map(vs, VA(U_HIGH), q, rw), -EEXIST);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_HIGH), NULL) == p);
	KT_EXPECT_EQ(fr_page_refcount(q), 1);
	/* unmap and protect check their range */
	KT_EXPECT_EQ(fr_vm_space_unmap(vs, VA(U_LOW + 1), PG), -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_unmap(vs, VA(U_LOW), PG + 1), -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_unmap(vs, VA(U_HIGH), 2 * PG), -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_unmap(vs, VA(0xffff888000000000UL), PG),
		     -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_unmap(vs, VA(PG), (size_t)0 - PG), -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_protect(vs, VA(U_HIGH), 2 * PG, 0), -EINVAL);
	KT_EXPECT_EQ(fr_vm_space_protect(vs, VA(U_LOW + 4), PG, 0), -EINVAL);
	KT_EXPECT_EQ(fr_page_refcount(p), 3);
	fr_vm_space_destroy(vs);
	KT_EXPECT_EQ(fr_page_refcount(p), 1);
	fr_page_put(p);
	fr_page_put(q);
}

KTEST(vm, protect)
{
	struct fr_vm_space *vs = fr_vm_space_create();
	struct fr_page *p = fr_page_alloc(0);
	unsigned prot = 0;

	KT_ASSERT(vs && p);
	KT_ASSERT_EQ(fr_vm_space_map(vs, VA(U_MID), p, FR_PROT_READ), 0);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_MID), &prot) == p);
	KT_EXPECT_EQ(prot, FR_PROT_READ);
	KT_EXPECT_EQ(fr_vm_space_protect(vs, VA(U_MID), PG,
					 FR_PROT_READ | FR_PROT_WRITE),
		     0);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_MID), &prot) == p);
	KT_EXPECT_EQ(prot, FR_PROT_READ | FR_PROT_WRITE);
	KT_EXPECT_EQ(fr_vm_space_protect(vs, VA(U_MID), PG,
					 FR_PROT_READ | FR_PROT_EXEC),
		     0);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_MID), &prot) == p);
	KT_EXPECT_EQ(prot, FR_PROT_READ | FR_PROT_EXEC);
	/* PROT_NONE keeps the page mapped (and referenced) */
	KT_EXPECT_EQ(fr_vm_space_protect(vs, VA(U_MID), PG, FR_PROT_NONE), 0);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_MID), &prot) == p);
	KT_EXPECT_EQ(prot, FR_PROT_NONE);
	KT_EXPECT_EQ(fr_page_refcount(p), 2);
	/* protecting a range with holes changes only what is mapped */
	KT_EXPECT_EQ(fr_vm_space_protect(vs, VA(U_MID - 4 * PG), 8 * PG,
					 FR_PROT_READ),
		     0);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_MID), &prot) == p);
	KT_EXPECT_EQ(prot, FR_PROT_READ);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_MID - PG), NULL) == NULL);
	KT_EXPECT(fr_vm_space_query(vs, VA(U_MID + PG), NULL) == NULL);
	fr_vm_space_destroy(vs);
	KT_EXPECT_EQ(fr_page_refcount(p), 1);
	fr_page_put(p);
}

/*
 * Bytes written through the space land in the mapped pages at the right
 * offsets, across a page boundary, whatever the protection.
 */
KTEST(vm, read_write_through_space)
{
	struct fr_vm_space *vs = fr_vm_space_create();
	struct fr_page *a = fr_page_alloc(FR_PAGE_ZERO);
	struct fr_page *b = fr_page_alloc(FR_PAGE_ZERO);
	char msg[200], back[200], part[8];
	uint64_t base = U_MID + 16 * PG, at = base + PG - 100;

	KT_ASSERT(vs && a && b);
	for (unsigned i = 0; i < sizeof(msg); i++)
		msg[i] = (char)(i * 13 + 5);
	KT_ASSERT_EQ(fr_vm_space_map(vs, VA(base), a, FR_PROT_READ), 0);
	KT_ASSERT_EQ(fr_vm_space_map(vs, VA(base + PG), b, FR_PROT_NONE), 0);
	KT_EXPECT_EQ(fr_vm_space_write(vs, VA(at), msg, sizeof(msg)), 0);
	memset(back, 0, sizeof(back));
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(at), back, sizeof(back)), 0);
	KT_EXPECT_EQ(memcmp(back, msg, sizeof(msg)), 0);
	/* the first 100 bytes went to the end of a, the rest to b */
	KT_EXPECT_EQ(fr_page_read(a, PG - 100, part, 8), 0);
	KT_EXPECT_EQ(memcmp(part, msg, 8), 0);
	KT_EXPECT_EQ(fr_page_read(b, 0, part, 8), 0);
	KT_EXPECT_EQ(memcmp(part, msg + 100, 8), 0);
	KT_EXPECT_EQ(fr_page_read(b, 92, part, 8), 0);
	KT_EXPECT_EQ(memcmp(part, msg + 192, 8), 0);
	/* and what the page holds is what the space reads */
	KT_EXPECT_EQ(fr_page_fill(b, 50, 'x', 4), 0);
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(base + PG + 48), part, 8), 0);
	KT_EXPECT_EQ(memcmp(part,
			    (const char[]){ msg[148], msg[149], 'x', 'x', 'x',
					    'x', msg[154], msg[155] },
			    8),
		     0);
	/* empty copies succeed anywhere in user space */
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(U_LOW), back, 0), 0);
	fr_vm_space_destroy(vs);
	fr_page_put(a);
	fr_page_put(b);
}

/* Unmapped, partially mapped and non-user ranges give -EFAULT. */
KTEST(vm, unmapped_gives_efault)
{
	struct fr_vm_space *vs = fr_vm_space_create();
	struct fr_page *p = fr_page_alloc(FR_PAGE_ZERO);
	uint8_t buf[64];
	uint64_t page_after = U_LOW + PG;

	KT_ASSERT(vs && p);
	KT_ASSERT_EQ(
		fr_vm_space_map(vs, VA(U_LOW), p, FR_PROT_READ | FR_PROT_WRITE),
		0);
	memset(buf, 0xee, sizeof(buf));
	KT_EXPECT_EQ(fr_vm_space_write(vs, VA(page_after), buf, 1), -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(page_after), buf, 1), -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_write(vs, VA(page_after - 8), buf, 16),
		     -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(page_after - 8), buf, 16),
		     -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(U_LOW - 8), buf, 16), -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(FR_USER_END - 8), buf, 16),
		     -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(FR_USER_END), buf, 1), -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(0xffff888000000000UL), buf, 8),
		     -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_write(vs, VA(0xffffffff80000000UL), buf, 8),
		     -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(0x0000800000000000UL), buf, 8),
		     -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_read(vs, VA(U_LOW), buf, SIZE_MAX), -EFAULT);
	KT_EXPECT_EQ(fr_vm_space_write(vs, VA(U_LOW), buf, SIZE_MAX - 8),
		     -EFAULT);
	/* the mapped page itself still works */
	KT_EXPECT_EQ(fr_vm_space_write(vs, VA(page_after - 8), buf, 8), 0);
	fr_vm_space_destroy(vs);
	fr_page_put(p);
}

/* One page mapped at two addresses (and in two spaces) is shared. */
KTEST(vm, shared_page)
{
	struct fr_vm_space *v1 = fr_vm_space_create();
	struct fr_vm_space *v2 = fr_vm_space_create();
	struct fr_page *p = fr_page_alloc(FR_PAGE_ZERO);
	uint32_t val = 0xc0ffee, out = 0;

	KT_ASSERT(v1 && v2 && p);
	KT_ASSERT_EQ(fr_vm_space_map(v1, VA(U_LOW), p, FR_PROT_READ), 0);
	KT_ASSERT_EQ(fr_vm_space_map(v1, VA(U_HIGH), p, FR_PROT_READ), 0);
	KT_ASSERT_EQ(fr_vm_space_map(v2, VA(U_MID), p, FR_PROT_READ), 0);
	KT_EXPECT_EQ(fr_page_refcount(p), 4);
	KT_EXPECT_EQ(fr_vm_space_write(v1, VA(U_LOW + 12), &val, 4), 0);
	KT_EXPECT_EQ(fr_vm_space_read(v1, VA(U_HIGH + 12), &out, 4), 0);
	KT_EXPECT_EQ(out, val);
	out = 0;
	KT_EXPECT_EQ(fr_vm_space_read(v2, VA(U_MID + 12), &out, 4), 0);
	KT_EXPECT_EQ(out, val);
	/* the spaces are separate: nothing at v1's addresses in v2 */
	KT_EXPECT(fr_vm_space_query(v2, VA(U_LOW), NULL) == NULL);
	KT_EXPECT_EQ(fr_vm_space_read(v2, VA(U_LOW + 12), &out, 4), -EFAULT);
	fr_vm_space_destroy(v1);
	KT_EXPECT_EQ(fr_page_refcount(p), 2);
	out = 0;
	KT_EXPECT_EQ(fr_vm_space_read(v2, VA(U_MID + 12), &out, 4), 0);
	KT_EXPECT_EQ(out, val);
	fr_vm_space_destroy(v2);
	KT_EXPECT_EQ(fr_page_refcount(p), 1);
	fr_page_put(p);
}

/*
 * Destroying a space gives back its page tables and its references:
 * after one warm-up round (which lets the heap make its slabs), a space
 * with mappings spread over many tables costs no page once destroyed.
 */
KTEST(vm, destroy_frees_everything)
{
	static const uint64_t where[] = {
		FR_USER_MIN,	  U_LOW,  U_LOW + 512 * PG, U_MID, U_MID + PG,
		0x7f0000000000UL, U_HIGH,
	};
	uint64_t before = 0;

	for (int round = 0; round < 2; round++) {
		struct fr_vm_space *vs;
		struct fr_page *p;

		if (round == 1)
			before = free_pages();
		vs = fr_vm_space_create();
		p = fr_page_alloc(0);
		KT_ASSERT(vs && p);
		for (size_t i = 0; i < FR_ARRAY_SIZE(where); i++)
			KT_EXPECT_EQ(fr_vm_space_map(vs, VA(where[i]), p,
						     FR_PROT_READ),
				     0);
		KT_EXPECT_EQ(fr_page_refcount(p), 1 + FR_ARRAY_SIZE(where));
		/* tables for the spread-out mappings were taken */
		KT_EXPECT(round == 0 || free_pages() + 8 < before);
		fr_vm_space_destroy(vs);
		KT_EXPECT_EQ(fr_page_refcount(p), 1);
		fr_page_put(p);
	}
	KT_EXPECT_EQ(free_pages(), before);
}

/* Activating a space makes it this CPU's current one, NULL the kernel's. */
KTEST(vm, activate)
{
	struct fr_vm_space *old = fr_vm_space_current();
	struct fr_vm_space *vs = fr_vm_space_create();

	KT_ASSERT(vs != NULL);
	fr_vm_space_activate(vs);
	KT_EXPECT(fr_vm_space_current() == vs);
	fr_vm_space_activate(NULL);
	KT_EXPECT(fr_vm_space_current() == NULL);
	fr_vm_space_activate(old);
	KT_EXPECT(fr_vm_space_current() == old);
	fr_vm_space_destroy(vs);
}
