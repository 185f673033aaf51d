/*
 * Kernel heap: slab pages of equal-sized slots for small requests, whole
 * page blocks for large ones.  The slab policy is injected; every slot it
 * leads to is checked here (live slab, big enough, aligned, free).
 */
#include "frame_internal.h"
#include <libs/string.h>

/* A slab is the metadata of its page. */
struct fr_slab {
	struct fr_page page;
};

static const struct fr_heap_policy *heap_policy;
static struct fr_spinlock heap_lock = FR_SPINLOCK_INIT;

static struct fr_page *slab_page(struct fr_slab *slab)
{
	return &slab->page;
}

int fr_inject_heap_policy(const struct fr_heap_policy *policy)
{
	if (heap_policy)
		return -EBUSY;
	heap_policy = policy;
	return 0;
}

static unsigned slab_capacity(const struct fr_page *p)
{
	return FR_PAGE_SIZE / p->slot_size;
}

struct fr_slab *fr_slab_create(size_t slot_size)
{
	struct fr_page *p;

	if (slot_size < FR_SLAB_MIN_SLOT || slot_size > FR_SLAB_MAX_SLOT ||
	    (slot_size & (slot_size - 1)))
		return NULL;
	p = pages_alloc(0, PAGE_SLAB);
	if (!p)
		return NULL;
	p->slot_size = slot_size;
	p->refcount = 0; /* slots in use */
	p->word = 0;
	memset(p->slab_used, 0, sizeof(p->slab_used));
	arch_mem_poison(page_address(p), FR_PAGE_SIZE); /* no slot in use */
	return (struct fr_slab *)p;
}

int fr_slab_destroy(struct fr_slab *slab)
{
	struct fr_page *p = slab_page(slab);

	if (p->type != PAGE_SLAB)
		return -EINVAL;
	if (p->refcount)
		return -EBUSY;
	p->refcount = 1;
	pages_free(p, 0);
	return 0;
}

size_t fr_slab_slot_size(const struct fr_slab *slab)
{
	return slab->page.slot_size;
}

unsigned fr_slab_used(const struct fr_slab *slab)
{
	return slab->page.refcount;
}

unsigned fr_slab_capacity(const struct fr_slab *slab)
{
	return slab_capacity(&slab->page);
}

struct fr_slab *fr_slab_link(const struct fr_slab *slab)
{
	return (struct fr_slab *)(uintptr_t)slab->page.word;
}

void fr_slab_set_link(struct fr_slab *slab, struct fr_slab *next)
{
	slab->page.word = (uint64_t)(uintptr_t)next;
}

static void *slab_take(size_t size)
{
	size_t align = 16;
	struct fr_slab *slab;
	struct fr_page *p;
	unsigned cap;

	while (align < size && align < FR_PAGE_SIZE)
		align <<= 1;
	slab = heap_policy->pick(size, align);
	if (!slab)
		return NULL;
	p = slab_page(slab);
	if (!virt_to_page(page_address(p)) || p->type != PAGE_SLAB ||
	    p->slot_size < size || p->slot_size % align) {
		fr_printk("heap: policy picked an unsuitable slab for %zu "
			  "bytes: refused\n", size);
		return NULL;
	}
	cap = slab_capacity(p);
	/* the first free slot, a word of the bitmap at a time (the bits
	 * past the capacity are never set) */
	for (unsigned w = 0; w * 64 < cap; w++) {
		uint64_t used = p->slab_used[w];
		unsigned i;
		uint8_t *slot;

		if (used == ~0UL)
			continue;
		i = w * 64 + (unsigned)__builtin_ctzll(~used);
		if (i >= cap)
			break;
		slot = (uint8_t *)page_address(p) + i * p->slot_size;
		p->slab_used[w] |= 1UL << (i % 64);
		p->refcount++;
		heap_policy->taken(slab, p->refcount == cap);
		/* only the bytes asked for: the rest of the slot stays out */
		arch_mem_unpoison(slot, size);
		return slot;
	}
	fr_printk("heap: policy picked a full slab: refused\n");
	return NULL;
}

void *fr_kmalloc(size_t size)
{
	unsigned long irq;
	void *ptr;

	if (!size || !heap_policy)
		return NULL;
	if (size > FR_SLAB_MAX_SLOT) {
		unsigned order = 0;
		struct fr_page *p;

		/* stop before the shift overflows (sizes above 2^63 looped
		 * forever); pages_alloc refuses orders above its largest */
		while ((FR_PAGE_SIZE << order) < size &&
		       order < 63 - FR_PAGE_SHIFT)
			order++;
		p = pages_alloc(order, PAGE_HEAP_TAIL);
		if (!p)
			return NULL;
		p->type = PAGE_HEAP_LARGE;
		p->order = order;
		arch_mem_poison((uint8_t *)page_address(p) + size,
				(FR_PAGE_SIZE << order) - size);
		return page_address(p);
	}
	irq = fr_spin_lock_irqsave(&heap_lock);
	ptr = slab_take(size);
	fr_spin_unlock_irqrestore(&heap_lock, irq);
	return ptr;
}

void *fr_kzalloc(size_t size)
{
	void *p = fr_kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void fr_kfree(const void *ptr)
{
	struct fr_page *p;
	unsigned long irq;
	uint64_t off;

	if (!ptr)
		return;
	p = virt_to_page(ptr);
	off = (uint64_t)ptr & (FR_PAGE_SIZE - 1);
	if (p && p->type == PAGE_HEAP_LARGE && !off) {
		pages_free(p, p->order);
		return;
	}
	irq = fr_spin_lock_irqsave(&heap_lock);
	if (p && p->type == PAGE_SLAB && off % p->slot_size == 0) {
		unsigned i = off / p->slot_size;
		uint64_t bit = 1UL << (i % 64);

		if (p->slab_used[i / 64] & bit) {
			bool was_full = p->refcount == slab_capacity(p);

			p->slab_used[i / 64] &= ~bit;
			p->refcount--;
			arch_mem_poison(ptr, p->slot_size);
			heap_policy->freed((struct fr_slab *)p, was_full);
			fr_spin_unlock_irqrestore(&heap_lock, irq);
			return;
		}
	}
	fr_spin_unlock_irqrestore(&heap_lock, irq);
	fr_printk("heap: kfree(%p) is not a live allocation: ignored\n", ptr);
}
