/*
 * MMIO windows (<frame/io.h>): the table of windows, the check that a
 * range is not memory, and the bounds-checked register accessors.  The
 * target maps a window (arch_mmio_map: uncached kernel pages in the
 * kernel, an -ENODEV refusal in the hosted target).
 */
#include "frame_internal.h"
#include <frame/io.h>

/* Types of the boot memory map (multiboot2 / e820) that are memory. */
#define REGION_USABLE 1
#define REGION_ACPI 3
#define REGION_NVS 4
#define REGION_BAD 5

struct fr_mmio {
	uint8_t *base;	   /* kernel address of the first byte; NULL: unmapped */
	size_t len;	   /* bytes */
	uint64_t map_base; /* the page-aligned mapping: virtual address, */
	size_t map_pages;  /* and pages */
};

/*
 * A slot is taken while map_pages is non-zero and usable while base is set;
 * both are written under mmio_lock, base atomically for the accessors,
 * which do not take the lock.
 */
static struct fr_mmio windows[FR_MMIO_MAX_WINDOWS];
static struct fr_spinlock mmio_lock = FR_SPINLOCK_INIT;

static bool overlaps(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2)
{
	return s1 < e2 && s2 < e1;
}

/* Whether [start, end) touches memory: RAM of any kind, or a page the
 * frame manages. */
static bool range_is_memory(uint64_t start, uint64_t end)
{
	if (start < 0x100000)
		return true;
	for (unsigned i = 0; i < boot_info.nregions; i++) {
		const struct mem_region *r = &boot_info.regions[i];

		if ((r->type == REGION_USABLE || r->type == REGION_ACPI ||
		     r->type == REGION_NVS || r->type == REGION_BAD) &&
		    overlaps(start, end, r->base, r->base + r->len))
			return true;
	}
	for (fr_pfn_t pfn = start >> FR_PAGE_SHIFT;
	     pfn < page_max_pfn && pfn << FR_PAGE_SHIFT < end; pfn++)
		if (page_meta[pfn].type != PAGE_ABSENT)
			return true;
	return false;
}

int fr_mmio_map(uint64_t phys, size_t len, fr_mmio_rw *win)
{
	uint64_t first, last, va;
	unsigned long irq;
	struct fr_mmio *w = NULL;
	unsigned slot;
	int err;

	if (!win)
		return -EINVAL;
	*win = FR_HANDLE_NONE(fr_mmio_rw);
	if (!len || len > FR_MMIO_MAX_LEN || phys + len < phys ||
	    phys + len > UINT64_MAX - FR_PAGE_SIZE)
		return -EINVAL;
	if (range_is_memory(phys, phys + len)) {
		fr_printk("mmio: %lx..%lx is memory, not a device: refused\n",
			  phys, phys + len);
		return -EACCES;
	}
	first = FR_ALIGN_DOWN(phys, FR_PAGE_SIZE);
	last = FR_ALIGN_UP(phys + len, FR_PAGE_SIZE);
	irq = fr_spin_lock_irqsave(&mmio_lock);
	for (slot = 0; slot < FR_MMIO_MAX_WINDOWS; slot++) {
		if (!windows[slot].map_pages) {
			w = &windows[slot];
			/* reserved while the target maps it */
			w->map_pages = (last - first) >> FR_PAGE_SHIFT;
			break;
		}
	}
	fr_spin_unlock_irqrestore(&mmio_lock, irq);
	if (!w)
		return -ENOSPC;
	err = arch_mmio_map(slot, first, w->map_pages, &va);
	irq = fr_spin_lock_irqsave(&mmio_lock);
	if (err) {
		w->map_pages = 0;
	} else {
		w->map_base = va;
		w->len = len;
		__atomic_store_n(&w->base, (uint8_t *)va + (phys - first),
				 __ATOMIC_RELEASE);
		*win = (fr_mmio_rw){ w };
	}
	fr_spin_unlock_irqrestore(&mmio_lock, irq);
	return err;
}

void (fr_mmio_unmap)(fr_mmio_rw win)
{
	struct fr_mmio *w = win.obj;
	unsigned long irq;
	uint64_t va;
	size_t pages;

	if (!w)
		return;
	irq = fr_spin_lock_irqsave(&mmio_lock);
	if (!w->base) {
		fr_spin_unlock_irqrestore(&mmio_lock, irq);
		fr_printk("mmio: unmap of a window that is not mapped: "
			  "ignored\n");
		return;
	}
	__atomic_store_n(&w->base, NULL, __ATOMIC_RELEASE);
	va = w->map_base;
	pages = w->map_pages;
	fr_spin_unlock_irqrestore(&mmio_lock, irq);
	arch_mmio_unmap((unsigned)(w - windows), va, pages);
	irq = fr_spin_lock_irqsave(&mmio_lock);
	w->map_pages = 0;
	fr_spin_unlock_irqrestore(&mmio_lock, irq);
}

size_t (fr_mmio_size)(fr_mmio_ro win)
{
	if (!win.obj || !__atomic_load_n(&win.obj->base, __ATOMIC_ACQUIRE))
		return 0;
	return win.obj->len;
}

/* The register at @off of @w for a @width-byte access, or NULL (logged). */
static uint8_t *reg(const struct fr_mmio *w, size_t off, size_t width,
		    const char *op)
{
	uint8_t *base = w ? __atomic_load_n(&w->base, __ATOMIC_ACQUIRE) : NULL;
	const char *why = NULL;

	if (!base)
		why = "no window";
	else if (off > w->len || width > w->len - off)
		why = "outside the window";
	else if (off & (width - 1))
		why = "misaligned";
	if (why) {
		fr_printk("mmio: %s%zu at offset 0x%zx: %s: not made\n", op,
			  width * 8, off, why);
		return NULL;
	}
	return base + off;
}

#define MMIO_READ(bits)                                                        \
	uint##bits##_t (fr_mmio_read##bits)(fr_mmio_ro win, size_t off)        \
	{                                                                      \
		uint8_t *r = reg(win.obj, off, bits / 8, "read");              \
		uint##bits##_t v;                                              \
									       \
		if (!r)                                                        \
			return (uint##bits##_t)~0ULL;                          \
		v = *(volatile uint##bits##_t *)r;                             \
		__atomic_signal_fence(__ATOMIC_SEQ_CST);                       \
		return v;                                                      \
	}

#define MMIO_WRITE(bits)                                                       \
	void (fr_mmio_write##bits)(fr_mmio_rw win, size_t off,                 \
				   uint##bits##_t val)                         \
	{                                                                      \
		uint8_t *r = reg(win.obj, off, bits / 8, "write");             \
									       \
		if (!r)                                                        \
			return;                                                \
		__atomic_signal_fence(__ATOMIC_SEQ_CST);                       \
		*(volatile uint##bits##_t *)r = val;                           \
	}

MMIO_READ(8)
MMIO_READ(16)
MMIO_READ(32)
MMIO_READ(64)
MMIO_WRITE(8)
MMIO_WRITE(16)
MMIO_WRITE(32)
MMIO_WRITE(64)
