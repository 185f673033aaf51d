/*
 * Physical memory: pages with per-page metadata and reference counts.
 *
 * The frame owns the metadata of every physical page; the allocation policy
 * (which free page to hand out) is injected by the services.  The frame
 * re-checks every answer of the policy: a page that is not free, not RAM or
 * out of range is refused, so a buggy policy cannot hand a page out twice.
 *
 * Services never see page memory as a pointer: they read, write, zero and
 * copy pages through the functions below, and map them into address spaces
 * with <frame/vm.h>.
 */
#ifndef FRAME_MM_H
#define FRAME_MM_H

#include <frame/types.h>
#include <frame/rights.h>

struct fr_page;	   /* one physical page (opaque) */
struct fr_segment; /* physically contiguous pages (opaque; see fr_segment_rw) */

/*
 * The page-allocation policy.  All hooks run with the frame's page lock held
 * and interrupts off: they must not sleep nor allocate.  Free blocks are
 * naturally aligned runs of 2^order pages.  The policy keeps its own state in
 * a per-page word that the frame stores for it (fr_page_policy_word_*),
 * valid only while the page is free.
 */
struct fr_page_policy {
	/* A free block of 2^order pages at @pfn is given to the policy. */
	void (*add_free)(fr_pfn_t pfn, unsigned order);
	/* Take a free block of 2^order pages; return its pfn or -ENOMEM. */
	int64_t (*alloc)(unsigned order);
};

/*
 * fr_inject_page_policy - install the page-allocation policy and hand it
 * every free page.
 * Context: boot, once, before any page or heap allocation.
 * Returns 0, or -EBUSY if a policy is already installed.
 */
int fr_inject_page_policy(const struct fr_page_policy *policy) FR_MUST_CHECK;

/*
 * fr_page_policy_word_get / set - the policy's word for a free page.
 * Context: only from inside the policy's hooks.  Reading or writing the
 * word of a page that is not free is refused (get returns 0).
 */
uint64_t fr_page_policy_word_get(fr_pfn_t pfn);
void fr_page_policy_word_set(fr_pfn_t pfn, uint64_t word);

/*
 * fr_page_max_pfn - one past the highest page frame number of RAM.
 * Context: any.
 */
fr_pfn_t fr_page_max_pfn(void);

/* Flags for page allocation. */
#define FR_PAGE_ZERO 0x1 /* fill with zeros */

/*
 * fr_page_alloc - allocate one page with a reference count of 1.
 * Context: may be called with interrupts off; does not sleep.
 * Returns the page or NULL when memory is exhausted or the policy erred.
 */
struct fr_page *fr_page_alloc(unsigned flags) FR_MUST_CHECK;

/*
 * fr_page_get / fr_page_put - take / drop a reference.  The page is freed
 * when the last reference goes.
 * Context: any.
 */
void fr_page_get(struct fr_page *page);
void fr_page_put(struct fr_page *page);

/*
 * fr_page_refcount - the current reference count (for tests and stats).
 */
unsigned fr_page_refcount(const struct fr_page *page);

/*
 * fr_page_pfn - the page frame number of a page.
 */
fr_pfn_t fr_page_pfn(const struct fr_page *page);

/*
 * fr_page_read / fr_page_write - copy bytes out of / into a page.
 * Context: any.  Returns 0, or -EINVAL when [off, off + len) leaves the page.
 */
int fr_page_read(const struct fr_page *page, size_t off, void *dst, size_t len);
int fr_page_write(struct fr_page *page, size_t off, const void *src,
		  size_t len);

/*
 * fr_page_copy_to_user / fr_page_copy_from_user - copy @len bytes between
 * a page (at @off) and user memory, without a kernel buffer in between
 * (file data to and from programs).  Context: task context (a user fault
 * is taken).  Returns 0, -EINVAL when [off, off + len) leaves the page, or
 * -EFAULT for a bad user range.
 */
int fr_page_copy_to_user(fr_uaddr_t dst, const struct fr_page *page,
			 size_t off, size_t len) FR_MUST_CHECK;
int fr_page_copy_from_user(struct fr_page *page, size_t off, fr_uaddr_t src,
			   size_t len) FR_MUST_CHECK;

/*
 * fr_page_fill - set @len bytes at @off to @byte.  Returns 0 or -EINVAL.
 */
int fr_page_fill(struct fr_page *page, size_t off, int byte, size_t len);

/*
 * fr_page_copy - copy the whole content of @src into @dst.
 */
void fr_page_copy(struct fr_page *dst, const struct fr_page *src);

/*
 * Segments: physically contiguous pages, reached through handles whose
 * type carries the rights (<frame/rights.h>).  A read-write handle
 * (fr_segment_rw) may read, write and zero the segment's bytes, take its
 * pages and free it; a read-only one (fr_segment_ro), handed to a service
 * that must not change the contents, may only read them and ask the size.
 * fr_segment_ro_of(seg) weakens either handle to fr_segment_ro for free.
 * Each operation below is a macro that takes either handle; one that needs
 * fr_segment_rw does not compile with fr_segment_ro.  Offsets are in bytes
 * from the segment's first page.
 */
FR_HANDLE_PAIR(fr_segment_ro, fr_segment_rw, struct fr_segment);
#define fr_segment_ro_of(seg) FR_TO_RO(fr_segment_ro, fr_segment_rw, seg)

/*
 * fr_segment_alloc - allocate @npages physically contiguous pages (rounded
 * up to a power of two internally), each with a reference count of 1.
 * Context: does not sleep.  Returns the read-write handle, or a handle
 * for which FR_HANDLE_IS_NONE() is true when memory is exhausted or
 * @npages is 0 or too large.
 */
fr_segment_rw fr_segment_alloc(size_t npages, unsigned flags) FR_MUST_CHECK;

/*
 * fr_segment_free - drop the segment's reference to each of its pages and
 * free the segment; its handles must not be used any more.  Pages mapped
 * elsewhere stay alive until unmapped.  Rights: fr_segment_rw.  A handle
 * that refers to nothing is ignored.
 */
void fr_segment_free(fr_segment_rw seg);
void fr_denied_segment_free(fr_segment_ro seg)
	FR_DENIED("fr_segment_free: needs a read-write segment (fr_segment_rw); "
		  "a read-only one (fr_segment_ro) cannot free it");
#define fr_segment_free(seg)                                                   \
	_Generic((seg), fr_segment_rw: fr_segment_free,                        \
		 fr_segment_ro: fr_denied_segment_free)(seg)

/*
 * fr_segment_npages - the number of pages in a segment (0 for a handle
 * that refers to nothing).  Rights: either handle.  Context: any.
 */
size_t fr_segment_npages(fr_segment_ro seg);
#define fr_segment_npages(seg) fr_segment_npages(fr_segment_ro_of(seg))

/*
 * fr_segment_read - copy @len bytes at byte @off of the segment to @dst.
 * Rights: either handle.  Context: any.  Returns 0, or -EINVAL when
 * [off, off + len) leaves the segment or the handle refers to nothing.
 */
int fr_segment_read(fr_segment_ro seg, size_t off, void *dst, size_t len);
#define fr_segment_read(seg, off, dst, len)                                    \
	fr_segment_read(fr_segment_ro_of(seg), off, dst, len)

/*
 * fr_segment_write - copy @len bytes from @src to byte @off of the segment.
 * Rights: fr_segment_rw.  Context: any.  Returns 0, or -EINVAL when
 * [off, off + len) leaves the segment or the handle refers to nothing.
 */
int fr_segment_write(fr_segment_rw seg, size_t off, const void *src,
		     size_t len);
int fr_denied_segment_write(fr_segment_ro seg, size_t off, const void *src,
			    size_t len)
	FR_DENIED("fr_segment_write: needs a read-write segment (fr_segment_rw); "
		  "a read-only one (fr_segment_ro) cannot be written");
#define fr_segment_write(seg, off, src, len)                                   \
	_Generic((seg), fr_segment_rw: fr_segment_write,                       \
		 fr_segment_ro: fr_denied_segment_write)(seg, off, src, len)

/*
 * fr_segment_zero - set @len bytes at byte @off of the segment to zero.
 * Rights: fr_segment_rw.  Context: any.  Returns 0, or -EINVAL when
 * [off, off + len) leaves the segment or the handle refers to nothing.
 */
int fr_segment_zero(fr_segment_rw seg, size_t off, size_t len);
int fr_denied_segment_zero(fr_segment_ro seg, size_t off, size_t len)
	FR_DENIED("fr_segment_zero: needs a read-write segment (fr_segment_rw); "
		  "a read-only one (fr_segment_ro) cannot be written");
#define fr_segment_zero(seg, off, len)                                         \
	_Generic((seg), fr_segment_rw: fr_segment_zero,                        \
		 fr_segment_ro: fr_denied_segment_zero)(seg, off, len)

/*
 * fr_segment_page - the @index-th page of a segment, or NULL if out of
 * range.  The page stays valid as long as the segment holds it.  Rights:
 * fr_segment_rw (a page may be written and mapped writable).
 */
struct fr_page *fr_segment_page(fr_segment_rw seg, size_t index);
struct fr_page *fr_denied_segment_page(fr_segment_ro seg, size_t index)
	FR_DENIED("fr_segment_page: needs a read-write segment (fr_segment_rw); "
		  "the pages of a read-only one (fr_segment_ro) are not handed out");
#define fr_segment_page(seg, index)                                            \
	_Generic((seg), fr_segment_rw: fr_segment_page,                        \
		 fr_segment_ro: fr_denied_segment_page)(seg, index)

/* Page statistics, in pages. */
struct fr_mem_stats {
	uint64_t total;	   /* usable RAM */
	uint64_t free;	   /* free in the policy */
	uint64_t reserved; /* kernel image, boot data, page metadata */
};

/*
 * fr_mem_stats - a snapshot of the page counters.
 */
void fr_mem_stats(struct fr_mem_stats *out);

#endif
