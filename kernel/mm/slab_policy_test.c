/*
 * KTESTs of the kernel's slab policy: objects of one size class share
 * slab pages, and the slabs emptied by frees are given back to the page
 * allocator (the policy keeps at most one empty slab per class).
 */
#include <frame/ktest.h>
#include <frame/heap.h>
#include <frame/mm.h>

#define OBJS 640 /* ten pages of 64-byte slots */

static uint64_t free_pages(void)
{
	struct fr_mem_stats s;

	fr_mem_stats(&s);
	return s.free;
}

KTEST(slab_policy, slabs_are_shared_and_given_back)
{
	void **objs = FR_NEW_ARRAY(void *, OBJS);
	uint64_t before, during, after;
	unsigned got = 0;

	KT_ASSERT(objs != NULL);
	fr_kfree(fr_kmalloc(64)); /* the class exists */
	before = free_pages();
	for (unsigned i = 0; i < OBJS; i++)
		if ((objs[i] = fr_kmalloc(64)) != NULL)
			got++;
	during = free_pages();
	KT_EXPECT_EQ(got, OBJS);
	/* about 64 objects per page: no page per object */
	KT_EXPECT(before - during >= OBJS * 64 / FR_PAGE_SIZE - 1);
	KT_EXPECT(before - during <= OBJS * 64 / FR_PAGE_SIZE + 1);
	/* free every other object first: no slab empties early */
	for (unsigned i = 0; i < OBJS; i += 2)
		fr_kfree(objs[i]);
	KT_EXPECT_EQ(free_pages(), during);
	for (unsigned i = 1; i < OBJS; i += 2)
		fr_kfree(objs[i]);
	after = free_pages();
	KT_EXPECT(after + 1 >= before && after <= before + 1);
	fr_kfree(objs);
}
