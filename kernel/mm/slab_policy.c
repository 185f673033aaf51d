/*
 * The slab policy: power-of-two size classes from 32 to 2048 bytes, a list
 * of slabs with free slots per class, and at most one empty slab kept per
 * class.  Injected into the frame at boot.
 */
#include <frame/heap.h>
#include "mm/policies.h"

#define CLASSES 7 /* 32 .. 2048 */

static struct fr_slab *partial[CLASSES]; /* slabs with a free slot */

static unsigned class_of(size_t size)
{
	unsigned c = 0;

	while (((size_t)FR_SLAB_MIN_SLOT << c) < size)
		c++;
	return c;
}

static void list_push(unsigned c, struct fr_slab *slab)
{
	fr_slab_set_link(slab, partial[c]);
	partial[c] = slab;
}

static void list_remove(unsigned c, struct fr_slab *slab)
{
	struct fr_slab *prev = NULL, *cur = partial[c];

	while (cur && cur != slab) {
		prev = cur;
		cur = fr_slab_link(cur);
	}
	if (!cur)
		return;
	if (prev)
		fr_slab_set_link(prev, fr_slab_link(cur));
	else
		partial[c] = fr_slab_link(cur);
	fr_slab_set_link(cur, NULL);
}

static struct fr_slab *slab_pick(size_t size, size_t align)
{
	unsigned c = class_of(size > align ? size : align);
	struct fr_slab *slab;

	if (c >= CLASSES)
		return NULL;
	if (partial[c])
		return partial[c];
	slab = fr_slab_create((size_t)FR_SLAB_MIN_SLOT << c);
	if (slab)
		list_push(c, slab);
	return slab;
}

static void slab_taken(struct fr_slab *slab, bool now_full)
{
	if (now_full)
		list_remove(class_of(fr_slab_slot_size(slab)), slab);
}

static void slab_freed(struct fr_slab *slab, bool was_full)
{
	unsigned c = class_of(fr_slab_slot_size(slab));

	if (was_full)
		list_push(c, slab);
	/* give an empty slab back when another slab of its class has room */
	if (fr_slab_used(slab) == 0 &&
	    (partial[c] != slab || fr_slab_link(slab))) {
		list_remove(c, slab);
		if (fr_slab_destroy(slab))
			list_push(c, slab);
	}
}

const struct fr_heap_policy slab_heap_policy = {
	.pick = slab_pick,
	.taken = slab_taken,
	.freed = slab_freed,
};
