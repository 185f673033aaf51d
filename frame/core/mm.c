/*
 * Physical pages: the metadata array, the boot-time allocator, the
 * injected allocation policy and the checks on its answers, reference
 * counts, page contents and segments.
 */
#include "frame_internal.h"
#include <libs/string.h>

struct fr_page *page_meta;
fr_pfn_t page_max_pfn;

static const struct fr_page_policy *page_policy;
static struct fr_spinlock page_lock = FR_SPINLOCK_INIT;
static uint64_t boot_next;
static uint64_t stat_total, stat_free, stat_reserved;

#define MAX_ORDER 10
_Static_assert(CONTIG_MAX_PAGES == 1UL << MAX_ORDER, "contiguous runs");

struct fr_page *pfn_to_page(fr_pfn_t pfn)
{
	return pfn < page_max_pfn ? &page_meta[pfn] : NULL;
}

fr_pfn_t fr_page_pfn(const struct fr_page *page)
{
	return (fr_pfn_t)(page - page_meta);
}

fr_pfn_t fr_page_max_pfn(void)
{
	return page_max_pfn;
}

static bool range_usable(uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < boot_info.nregions; i++) {
		const struct mem_region *r = &boot_info.regions[i];

		if (r->type == 1 && start >= r->base && end <= r->base + r->len)
			return true;
	}
	return false;
}

uint64_t boot_alloc_pages(size_t n)
{
	uint64_t kstart, kend;

	FR_BUG_ON(page_policy);
	arch_kernel_phys_range(&kstart, &kend);
	if (!boot_next)
		boot_next = FR_ALIGN_UP(kend, FR_PAGE_SIZE);
	for (;;) {
		uint64_t start = boot_next, end = start + n * FR_PAGE_SIZE;
		uint64_t rd = boot_info.initrd_pa;
		uint64_t rd_end = rd + boot_info.initrd_len;

		if (boot_info.initrd_len && start < rd_end && end > rd) {
			boot_next = FR_ALIGN_UP(rd_end, FR_PAGE_SIZE);
			continue;
		}
		if (!range_usable(start, end))
			fr_panic("boot allocator: no room for %zu pages at %lx",
				 n, start);
		boot_next = end;
		if (page_meta) {
			for (uint64_t pa = start; pa < end; pa += FR_PAGE_SIZE) {
				struct fr_page *p = &page_meta[pa >> FR_PAGE_SHIFT];

				FR_BUG_ON(p->type != PAGE_FREE);
				p->type = PAGE_RESERVED;
				stat_reserved++;
			}
		}
		memset(phys_to_virt(start), 0, end - start);
		return start;
	}
}

static void mark(uint64_t start, uint64_t end, enum page_type type)
{
	for (uint64_t pfn = start >> FR_PAGE_SHIFT;
	     pfn < FR_ALIGN_UP(end, FR_PAGE_SIZE) >> FR_PAGE_SHIFT &&
	     pfn < page_max_pfn;
	     pfn++) {
		if (page_meta[pfn].type == PAGE_FREE && type != PAGE_FREE)
			stat_reserved++;
		page_meta[pfn].type = type;
	}
}

void mm_init(void)
{
	uint64_t top = 0, kstart, kend, meta_bytes;

	for (unsigned i = 0; i < boot_info.nregions; i++) {
		const struct mem_region *r = &boot_info.regions[i];

		if (r->type == 1 && r->base + r->len > top)
			top = r->base + r->len;
	}
	page_max_pfn = top >> FR_PAGE_SHIFT;
	meta_bytes = page_max_pfn * sizeof(struct fr_page);
	page_meta = phys_to_virt(
		boot_alloc_pages(FR_ALIGN_UP(meta_bytes, FR_PAGE_SIZE) >>
				 FR_PAGE_SHIFT));

	/* whole pages inside usable regions are free, the rest absent */
	for (unsigned i = 0; i < boot_info.nregions; i++) {
		const struct mem_region *r = &boot_info.regions[i];
		uint64_t s = FR_ALIGN_UP(r->base, FR_PAGE_SIZE);
		uint64_t e = FR_ALIGN_DOWN(r->base + r->len, FR_PAGE_SIZE);

		if (r->type != 1 || e <= s)
			continue;
		for (uint64_t pfn = s >> FR_PAGE_SHIFT;
		     pfn < (e >> FR_PAGE_SHIFT); pfn++) {
			page_meta[pfn].type = PAGE_FREE;
			stat_total++;
		}
	}
	arch_kernel_phys_range(&kstart, &kend);
	mark(0, 0x100000, PAGE_RESERVED); /* BIOS, real-mode structures */
	mark(kstart, boot_next, PAGE_RESERVED);
	if (boot_info.initrd_len)
		mark(boot_info.initrd_pa,
		     boot_info.initrd_pa + boot_info.initrd_len,
		     PAGE_RESERVED);
	fr_printk("memory: %lu MiB usable, %lu KiB page metadata\n",
		  (stat_total * FR_PAGE_SIZE) >> 20, meta_bytes >> 10);
}

int fr_inject_page_policy(const struct fr_page_policy *policy)
{
	fr_pfn_t pfn = 0;

	if (page_policy)
		return -EBUSY;
	page_policy = policy;
	paging_policy_ready();
	while (pfn < page_max_pfn) {
		unsigned order = 0;

		if (page_meta[pfn].type != PAGE_FREE) {
			pfn++;
			continue;
		}
		/* the largest aligned block of free pages starting here */
		while (order < MAX_ORDER && !(pfn & ((2UL << order) - 1)) &&
		       pfn + (2UL << order) <= page_max_pfn) {
			bool all_free = true;

			for (fr_pfn_t p = pfn + (1UL << order);
			     p < pfn + (2UL << order); p++)
				if (page_meta[p].type != PAGE_FREE)
					all_free = false;
			if (!all_free)
				break;
			order++;
		}
		policy->add_free(pfn, order);
		stat_free += 1UL << order;
		pfn += 1UL << order;
	}
	vdso_setup();
	return 0;
}

uint64_t fr_page_policy_word_get(fr_pfn_t pfn)
{
	if (pfn >= page_max_pfn || page_meta[pfn].type != PAGE_FREE)
		return 0;
	return page_meta[pfn].word;
}

void fr_page_policy_word_set(fr_pfn_t pfn, uint64_t word)
{
	if (pfn < page_max_pfn && page_meta[pfn].type == PAGE_FREE)
		page_meta[pfn].word = word;
}

struct fr_page *pages_alloc(unsigned order, enum page_type type)
{
	unsigned long irq;
	int64_t got;
	fr_pfn_t pfn, n = 1UL << order;
	struct fr_page *page = NULL;

	if (!page_policy || order > MAX_ORDER)
		return NULL;
	irq = fr_spin_lock_irqsave(&page_lock);
	got = page_policy->alloc(order);
	if (got >= 0) {
		pfn = (fr_pfn_t)got;
		bool ok = !(pfn & (n - 1)) && pfn + n <= page_max_pfn;

		for (fr_pfn_t p = pfn; ok && p < pfn + n; p++)
			ok = page_meta[p].type == PAGE_FREE;
		if (!ok) {
			fr_printk("mm: page policy handed out pfn %lx order %u, "
				  "which is not free: refused\n",
				  pfn, order);
		} else {
			for (fr_pfn_t p = pfn; p < pfn + n; p++) {
				page_meta[p].type = type;
				page_meta[p].refcount = 1;
				page_meta[p].word = 0;
			}
			stat_free -= n;
			page = &page_meta[pfn];
			arch_mem_unpoison(page_address(page), n * FR_PAGE_SIZE);
		}
	}
	fr_spin_unlock_irqrestore(&page_lock, irq);
	return page;
}

void pages_free(struct fr_page *page, unsigned order)
{
	fr_pfn_t pfn = fr_page_pfn(page), n = 1UL << order;
	unsigned long irq = fr_spin_lock_irqsave(&page_lock);

	for (fr_pfn_t p = pfn; p < pfn + n; p++) {
		struct fr_page *m = &page_meta[p];

		if (m->type == PAGE_FREE || m->type == PAGE_ABSENT ||
		    m->type == PAGE_RESERVED) {
			fr_printk("mm: freeing pfn %lx which is not in use: "
				  "ignored\n", p);
			fr_spin_unlock_irqrestore(&page_lock, irq);
			return;
		}
	}
	for (fr_pfn_t p = pfn; p < pfn + n; p++) {
		page_meta[p].type = PAGE_FREE;
		page_meta[p].refcount = 0;
		page_meta[p].word = 0;
	}
	/* a free page is the policy's: nobody may touch its content */
	arch_mem_poison(page_address(page), n * FR_PAGE_SIZE);
	stat_free += n;
	page_policy->add_free(pfn, order);
	fr_spin_unlock_irqrestore(&page_lock, irq);
}

struct fr_page *fr_page_alloc(unsigned flags)
{
	struct fr_page *page = pages_alloc(0, PAGE_USED);

	if (page && (flags & FR_PAGE_ZERO))
		memset(page_address(page), 0, FR_PAGE_SIZE);
	return page;
}

void fr_page_get(struct fr_page *page)
{
	FR_BUG_ON(page->type != PAGE_USED || !page->refcount);
	__atomic_fetch_add(&page->refcount, 1, __ATOMIC_RELAXED);
}

void fr_page_put(struct fr_page *page)
{
	if (page->type != PAGE_USED || !page->refcount) {
		fr_printk("mm: put of pfn %lx which is not in use: ignored\n",
			  fr_page_pfn(page));
		return;
	}
	if (__atomic_sub_fetch(&page->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		pages_free(page, 0);
}

unsigned fr_page_refcount(const struct fr_page *page)
{
	return __atomic_load_n(&page->refcount, __ATOMIC_RELAXED);
}

static bool page_span_ok(size_t off, size_t len)
{
	return off <= FR_PAGE_SIZE && len <= FR_PAGE_SIZE - off;
}

int fr_page_read(const struct fr_page *page, size_t off, void *dst, size_t len)
{
	if (!page_span_ok(off, len))
		return -EINVAL;
	memcpy(dst, (const uint8_t *)page_address(page) + off, len);
	return 0;
}

int fr_page_write(struct fr_page *page, size_t off, const void *src,
		  size_t len)
{
	if (!page_span_ok(off, len))
		return -EINVAL;
	memcpy((uint8_t *)page_address(page) + off, src, len);
	return 0;
}

int fr_page_copy_to_user(fr_uaddr_t dst, const struct fr_page *page,
			 size_t off, size_t len)
{
	if (!page_span_ok(off, len))
		return -EINVAL;
	return fr_copy_to_user(dst, (const uint8_t *)page_address(page) + off,
			       len) ?
		       -EFAULT :
		       0;
}

int fr_page_copy_from_user(struct fr_page *page, size_t off, fr_uaddr_t src,
			   size_t len)
{
	if (!page_span_ok(off, len))
		return -EINVAL;
	return fr_copy_from_user((uint8_t *)page_address(page) + off, src,
				 len) ?
		       -EFAULT :
		       0;
}

int fr_page_fill(struct fr_page *page, size_t off, int byte, size_t len)
{
	if (!page_span_ok(off, len))
		return -EINVAL;
	memset((uint8_t *)page_address(page) + off, byte, len);
	return 0;
}

void fr_page_copy(struct fr_page *dst, const struct fr_page *src)
{
	memcpy(page_address(dst), page_address(src), FR_PAGE_SIZE);
}

struct page_run contig_alloc(size_t npages, bool zero)
{
	struct page_run run = { NULL, 0 };
	unsigned order = 0;

	if (!npages || npages > CONTIG_MAX_PAGES)
		return run;
	while ((1UL << order) < npages)
		order++;
	run.first = pages_alloc(order, PAGE_USED);
	if (!run.first)
		return run;
	run.npages = npages;
	for (size_t i = npages; i < (1UL << order); i++)
		fr_page_put(run.first + i);
	if (zero)
		memset(page_address(run.first), 0, npages * FR_PAGE_SIZE);
	return run;
}

void contig_free(struct page_run run)
{
	for (size_t i = 0; i < run.npages; i++)
		fr_page_put(run.first + i);
}

bool contig_span_ok(struct page_run run, size_t off, size_t len)
{
	size_t size = run.npages * FR_PAGE_SIZE;

	return run.first && off <= size && len <= size - off;
}

/* A segment is a run of pages; its handles point at this descriptor. */
struct fr_segment {
	struct page_run run;
};

fr_segment_rw (fr_segment_alloc)(size_t npages, unsigned flags)
{
	struct fr_segment *seg = FR_NEW(struct fr_segment);

	if (!seg)
		return FR_HANDLE_NONE(fr_segment_rw);
	seg->run = contig_alloc(npages, flags & FR_PAGE_ZERO);
	if (!seg->run.first) {
		fr_kfree(seg);
		return FR_HANDLE_NONE(fr_segment_rw);
	}
	return (fr_segment_rw){ seg };
}

void (fr_segment_free)(fr_segment_rw seg)
{
	if (!seg.obj)
		return;
	contig_free(seg.obj->run);
	fr_kfree(seg.obj);
}

size_t (fr_segment_npages)(fr_segment_ro seg)
{
	return seg.obj ? seg.obj->run.npages : 0;
}

int (fr_segment_read)(fr_segment_ro seg, size_t off, void *dst, size_t len)
{
	if (!seg.obj || !contig_span_ok(seg.obj->run, off, len))
		return -EINVAL;
	memcpy(dst, (const uint8_t *)page_address(seg.obj->run.first) + off,
	       len);
	return 0;
}

int (fr_segment_write)(fr_segment_rw seg, size_t off, const void *src,
		       size_t len)
{
	if (!seg.obj || !contig_span_ok(seg.obj->run, off, len))
		return -EINVAL;
	memcpy((uint8_t *)page_address(seg.obj->run.first) + off, src, len);
	return 0;
}

int (fr_segment_zero)(fr_segment_rw seg, size_t off, size_t len)
{
	if (!seg.obj || !contig_span_ok(seg.obj->run, off, len))
		return -EINVAL;
	memset((uint8_t *)page_address(seg.obj->run.first) + off, 0, len);
	return 0;
}

struct fr_page *(fr_segment_page)(fr_segment_rw seg, size_t index)
{
	if (!seg.obj || index >= seg.obj->run.npages)
		return NULL;
	return seg.obj->run.first + index;
}

void fr_mem_stats(struct fr_mem_stats *out)
{
	/* the counters change under the page lock, on any CPU */
	unsigned long irq = fr_spin_lock_irqsave(&page_lock);

	out->total = stat_total;
	out->free = stat_free;
	out->reserved = stat_reserved;
	fr_spin_unlock_irqrestore(&page_lock, irq);
}
