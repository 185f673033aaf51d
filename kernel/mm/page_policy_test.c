/*
 * KTESTs of the kernel's page policy (the buddy allocator) and of the
 * frame's re-checks of what a page policy hands out.  To see the frame
 * refuse a page the policy hands out wrongly, the test gives the buddy a
 * block it must not have -- a page in use, pages beyond RAM -- by calling
 * its add_free hook directly, as a buggy policy would believe, and lets
 * the frame ask the policy for a page.  This is done only when the buddy's
 * list of single free pages is empty, so that the buddy's own state stays
 * consistent and nothing leaks; and it counts on nothing else allocating
 * pages meanwhile, which holds while the KTESTs run.
 */
#include <frame/ktest.h>
#include <frame/cpu.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/mm.h>
#include "mm/policies.h"

#define BLOCK_ORDER_MAX 10 /* the buddy's largest block: 2^10 pages */
#define DRAIN_MAX 4096

static uint64_t free_pages(void)
{
	struct fr_mem_stats s;

	fr_mem_stats(&s);
	return s.free;
}

/* Pages the test holds, to give back at the end. */
struct held {
	struct fr_page **pages;
	size_t n;
};

static void held_put_all(struct held *h)
{
	while (h->n)
		fr_page_put(h->pages[--h->n]);
}

/*
 * Empty the buddy's list of free single pages.  Pages are taken until two
 * in a row are buddies (an even pfn, then the next): the first was split
 * off a larger block, which the buddy does only when no single page is
 * free, and the second is the single page that split left over.  So after
 * it the list is empty, and both pages are in use.  Returns the second
 * page (held), or NULL.
 */
static struct fr_page *drain_singles(struct held *h)
{
	struct fr_page *prev = NULL;

	while (h->n < DRAIN_MAX) {
		struct fr_page *p = fr_page_alloc(0);

		if (!p)
			return NULL;
		h->pages[h->n++] = p;
		if (prev && !(fr_page_pfn(prev) & 1) &&
		    fr_page_pfn(p) == fr_page_pfn(prev) + 1)
			return p;
		prev = p;
	}
	return NULL;
}

/*
 * Give the policy @pfn as a free single page, as a buggy policy would
 * believe it had it, then allocate: the frame must refuse the answer.
 * The hook runs with interrupts off, as the frame runs it.
 */
static struct fr_page *alloc_after_bogus_free(fr_pfn_t pfn)
{
	unsigned long flags = fr_irq_save();

	buddy_page_policy.add_free(pfn, 0);
	fr_irq_restore(flags);
	return fr_page_alloc(0);
}

static bool held_has(const struct held *h, const struct fr_page *p)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->pages[i] == p)
			return true;
	return false;
}

/* A page already in use that the policy hands out again is refused. */
KTEST(page_policy, frame_refuses_page_in_use)
{
	struct held h = { FR_NEW_ARRAY(struct fr_page *, DRAIN_MAX), 0 };
	uint64_t before = free_pages(), tag = 0x7a67a67a67UL, out = 0, free0;
	struct fr_page *victim, *got, *next;

	KT_ASSERT(h.pages != NULL);
	victim = drain_singles(&h);
	if (!KT_EXPECT(victim != NULL))
		goto out;
	KT_EXPECT_EQ(fr_page_write(victim, 40, &tag, 8), 0);
	free0 = free_pages();
	got = alloc_after_bogus_free(fr_page_pfn(victim));
	KT_EXPECT(got == NULL);
	if (got && !held_has(&h, got))
		fr_page_put(got);
	/* the page in use was not touched, nor counted as free */
	KT_EXPECT_EQ(fr_page_refcount(victim), 1);
	KT_EXPECT_EQ(fr_page_read(victim, 40, &out, 8), 0);
	KT_EXPECT_EQ(out, tag);
	KT_EXPECT_EQ(free_pages(), free0);
	/* and the next allocation is a good, new page */
	next = fr_page_alloc(0);
	KT_EXPECT(next != NULL);
	KT_EXPECT(next && !held_has(&h, next));
	if (next)
		fr_page_put(next);
out:
	held_put_all(&h);
	KT_EXPECT_EQ(free_pages(), before);
	fr_kfree(h.pages);
}

/* Pages beyond the end of RAM that the policy hands out are refused. */
KTEST(page_policy, frame_refuses_page_beyond_ram)
{
	struct held h = { FR_NEW_ARRAY(struct fr_page *, DRAIN_MAX), 0 };
	/* an even pfn past the end, so that its buddy is past it too */
	fr_pfn_t beyond = (fr_page_max_pfn() + 2) & ~(fr_pfn_t)1;
	uint64_t before = free_pages(), free0;
	struct fr_page *got;

	KT_ASSERT(h.pages != NULL);
	if (!KT_EXPECT(drain_singles(&h) != NULL))
		goto out;
	free0 = free_pages();
	got = alloc_after_bogus_free(beyond);
	KT_EXPECT(got == NULL);
	if (got && !held_has(&h, got))
		fr_page_put(got);
	KT_EXPECT_EQ(free_pages(), free0);
out:
	held_put_all(&h);
	KT_EXPECT_EQ(free_pages(), before);
	fr_kfree(h.pages);
}

/* Blocks of 2^k pages start on a multiple of 2^k. */
KTEST(page_policy, blocks_are_aligned)
{
	for (unsigned order = 1; order <= BLOCK_ORDER_MAX; order++) {
		size_t n = (size_t)1 << order;
		fr_segment_rw seg = fr_segment_alloc(n, 0);

		if (!KT_EXPECT(!FR_HANDLE_IS_NONE(seg)))
			continue;
		if (!KT_EXPECT_EQ(
			    fr_page_pfn(fr_segment_page(seg, 0)) & (n - 1), 0))
			fr_printk("#   order %u\n", order);
		fr_segment_free(seg);
	}
}

/* How many of the largest blocks can be allocated now. */
static size_t count_largest_blocks(void **blocks, size_t max)
{
	size_t n = 0;

	while (n < max && (blocks[n] = fr_kmalloc(FR_PAGE_SIZE
						  << BLOCK_ORDER_MAX)) != NULL)
		n++;
	for (size_t i = 0; i < n; i++)
		fr_kfree(blocks[i]);
	return n;
}

/*
 * Freed buddies merge: after all of memory is taken page by page and given
 * back in an order that frees each page before its buddy, as many of the
 * largest blocks can be allocated as before.
 */
KTEST(page_policy, freed_buddies_merge)
{
	size_t max = fr_page_max_pfn();
	struct fr_page **pages = FR_NEW_ARRAY(struct fr_page *, max);
	size_t nblocks = (max >> BLOCK_ORDER_MAX) + 1;
	void **blocks = FR_NEW_ARRAY(void *, nblocks);
	size_t large_before, large_after, n = 0;
	uint64_t before;

	KT_ASSERT(pages && blocks);
	before = free_pages();
	large_before = count_largest_blocks(blocks, nblocks);
	KT_EXPECT(large_before > 0);
	while (n < max && (pages[n] = fr_page_alloc(0)) != NULL)
		n++;
	KT_EXPECT_EQ(n, before);
	KT_EXPECT(count_largest_blocks(blocks, nblocks) == 0);
	for (size_t i = 1; i < n; i += 2)
		fr_page_put(pages[i]);
	for (size_t i = 0; i < n; i += 2)
		fr_page_put(pages[i]);
	KT_EXPECT_EQ(free_pages(), before);
	large_after = count_largest_blocks(blocks, nblocks);
	KT_EXPECT_EQ(large_after, large_before);
	KT_EXPECT_EQ(free_pages(), before);
	fr_kfree(pages);
	fr_kfree(blocks);
}
