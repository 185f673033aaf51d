/*
 * The page-allocation policy: a binary buddy allocator.  Its free lists
 * live in the per-page words the frame keeps for free pages, so it needs
 * no memory of its own.  Injected into the frame at boot.
 */
#include <frame/mm.h>
#include "mm/policies.h"

#define MAX_ORDER 10
#define HEAD (1UL << 63)
#define LINK_BITS 28
#define LINK_MASK ((1UL << LINK_BITS) - 1)

/* A free block's head word: HEAD | order | next + 1 | prev + 1 (0 = none). */
static uint64_t heads[MAX_ORDER + 1]; /* first free pfn + 1, per order */

static uint64_t pack(unsigned order, uint64_t next1, uint64_t prev1)
{
	return HEAD | ((uint64_t)order << 56) | (next1 << LINK_BITS) | prev1;
}

static unsigned word_order(uint64_t w)
{
	return (w >> 56) & 0x7f;
}

static uint64_t word_next1(uint64_t w)
{
	return (w >> LINK_BITS) & LINK_MASK;
}

static uint64_t word_prev1(uint64_t w)
{
	return w & LINK_MASK;
}

static void set_next1(fr_pfn_t pfn, uint64_t next1)
{
	uint64_t w = fr_page_policy_word_get(pfn);

	fr_page_policy_word_set(pfn, pack(word_order(w), next1, word_prev1(w)));
}

static void set_prev1(fr_pfn_t pfn, uint64_t prev1)
{
	uint64_t w = fr_page_policy_word_get(pfn);

	fr_page_policy_word_set(pfn, pack(word_order(w), word_next1(w), prev1));
}

static void list_insert(fr_pfn_t pfn, unsigned order)
{
	uint64_t first1 = heads[order];

	fr_page_policy_word_set(pfn, pack(order, first1, 0));
	if (first1)
		set_prev1(first1 - 1, pfn + 1);
	heads[order] = pfn + 1;
}

static void list_remove(fr_pfn_t pfn, unsigned order)
{
	uint64_t w = fr_page_policy_word_get(pfn);
	uint64_t next1 = word_next1(w), prev1 = word_prev1(w);

	if (prev1)
		set_next1(prev1 - 1, next1);
	else
		heads[order] = next1;
	if (next1)
		set_prev1(next1 - 1, prev1);
	fr_page_policy_word_set(pfn, 0);
}

static void buddy_add_free(fr_pfn_t pfn, unsigned order)
{
	while (order < MAX_ORDER) {
		fr_pfn_t buddy = pfn ^ (1UL << order);
		uint64_t w = fr_page_policy_word_get(buddy);

		if (!(w & HEAD) || word_order(w) != order)
			break;
		list_remove(buddy, order);
		if (buddy < pfn)
			pfn = buddy;
		order++;
	}
	list_insert(pfn, order);
}

static int64_t buddy_alloc(unsigned order)
{
	unsigned o = order;
	fr_pfn_t pfn;

	while (o <= MAX_ORDER && !heads[o])
		o++;
	if (o > MAX_ORDER)
		return -ENOMEM;
	pfn = heads[o] - 1;
	list_remove(pfn, o);
	while (o > order) {
		o--;
		list_insert(pfn + (1UL << o), o);
	}
	return (int64_t)pfn;
}

const struct fr_page_policy buddy_page_policy = {
	.add_free = buddy_add_free,
	.alloc = buddy_alloc,
};
