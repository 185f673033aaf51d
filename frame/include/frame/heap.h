/*
 * Kernel heap.  The frame owns slab pages and the slot mechanism; the slab
 * policy (size classes, which slab to allocate from, when to give empty
 * slabs back) is injected by the services.  The frame re-checks every slot
 * the policy picks: it must be a free slot of a live slab, large enough and
 * aligned as asked; otherwise the allocation fails and an error is logged.
 */
#ifndef FRAME_HEAP_H
#define FRAME_HEAP_H

#include <frame/types.h>

struct fr_slab; /* one page of equal-sized slots (opaque) */

/* Largest request served from slabs; larger ones take whole pages. */
#define FR_SLAB_MAX_SLOT 2048
#define FR_SLAB_MIN_SLOT 32

/*
 * The slab policy.  Hooks run with the frame's heap lock held and
 * interrupts off: they must not sleep and may only call the fr_slab_*
 * functions below.
 */
struct fr_heap_policy {
	/*
	 * Choose a slot for @size bytes aligned to @align (both <=
	 * FR_SLAB_MAX_SLOT): return a slab with a free slot of a suitable
	 * size, creating one with fr_slab_create() if needed, or NULL.
	 */
	struct fr_slab *(*pick)(size_t size, size_t align);
	/* A slot of @slab was freed; @slab was full before when @was_full. */
	void (*freed)(struct fr_slab *slab, bool was_full);
	/* A slot of @slab was taken; it is full now when @now_full. */
	void (*taken)(struct fr_slab *slab, bool now_full);
};

/*
 * fr_inject_heap_policy - install the slab policy.
 * Context: boot, once, after the page policy.  Returns 0 or -EBUSY.
 */
int fr_inject_heap_policy(const struct fr_heap_policy *policy) FR_MUST_CHECK;

/*
 * fr_slab_create - make a new empty slab of @slot_size-byte slots
 * (a power of two between FR_SLAB_MIN_SLOT and FR_SLAB_MAX_SLOT).
 * Context: policy hooks only.  Returns NULL when out of memory or invalid.
 */
struct fr_slab *fr_slab_create(size_t slot_size);

/*
 * fr_slab_destroy - give an empty slab's page back.  Refused (returns
 * -EBUSY) while any slot is in use.  Context: policy hooks only.
 */
int fr_slab_destroy(struct fr_slab *slab);

/* fr_slab_slot_size / fr_slab_used / fr_slab_capacity - slab facts. */
size_t fr_slab_slot_size(const struct fr_slab *slab);
unsigned fr_slab_used(const struct fr_slab *slab);
unsigned fr_slab_capacity(const struct fr_slab *slab);

/*
 * fr_slab_link / fr_slab_set_link - one link per slab owned by the policy,
 * for its lists of slabs.
 */
struct fr_slab *fr_slab_link(const struct fr_slab *slab);
void fr_slab_set_link(struct fr_slab *slab, struct fr_slab *next);

/*
 * fr_kmalloc - allocate @size bytes of kernel memory, aligned to at least
 * 16 bytes (to @size's natural alignment up to a page for slab sizes).
 * Context: does not sleep; may be called with interrupts off.
 * Returns the memory, or NULL (also for size 0).
 */
void *fr_kmalloc(size_t size) __attribute__((malloc)) FR_MUST_CHECK;

/*
 * fr_kzalloc - fr_kmalloc, zero-filled.
 */
void *fr_kzalloc(size_t size) __attribute__((malloc)) FR_MUST_CHECK;

/*
 * fr_kfree - free memory from fr_kmalloc.  NULL is ignored.  Freeing a
 * pointer that is not a live allocation is detected, logged and ignored.
 */
void fr_kfree(const void *ptr);

/*
 * FR_NEW / FR_NEW_ARRAY - typed allocation (zeroed) for services, which may
 * not convert void pointers themselves.
 */
#define FR_NEW(type) ((type *)fr_kzalloc(sizeof(type)))
#define FR_NEW_ARRAY(type, n)                                                  \
	((type *)((n) > SIZE_MAX / sizeof(type) ? NULL :                       \
						  fr_kzalloc(sizeof(type) * (n))))

#endif
