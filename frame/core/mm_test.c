/*
 * KTESTs of the physical page API (<frame/mm.h>): allocation and freeing,
 * reference counts, page contents and their bounds, segments and their
 * read-only and read-write handles, the page statistics, exhaustion, and
 * the frame's refusal of a second free.
 * Only the public frame API is used, so the same tests build for the
 * hosted target.
 */
#include <frame/ktest.h>
#include <frame/heap.h>
#include <frame/mm.h>
#include <libs/string.h>

/* A tag that differs for every page and every position in it. */
static uint64_t tag_of(fr_pfn_t pfn, unsigned where)
{
	return 0x5eed000000000000UL ^ (pfn << 8) ^ where;
}

static uint64_t free_pages(void)
{
	struct fr_mem_stats s;

	fr_mem_stats(&s);
	return s.free;
}

/*
 * Let the heap make the slab that a segment's descriptor needs, so that
 * the page counts measured afterwards see only the segment's own pages.
 */
static void warm_up_segments(void)
{
	fr_segment_rw seg = fr_segment_alloc(1, 0);

	fr_segment_free(seg);
}

/* Whether every byte of @page is @byte. */
static bool page_all(const struct fr_page *page, uint8_t byte)
{
	uint8_t buf[256];

	for (size_t off = 0; off < FR_PAGE_SIZE; off += sizeof(buf)) {
		if (fr_page_read(page, off, buf, sizeof(buf)))
			return false;
		for (size_t i = 0; i < sizeof(buf); i++)
			if (buf[i] != byte)
				return false;
	}
	return true;
}

KTEST(mm, page_alloc_basic)
{
	struct fr_page *p = fr_page_alloc(0);
	uint64_t in = 0x0123456789abcdefUL, out = 0;

	KT_ASSERT(p != NULL);
	KT_EXPECT_EQ(fr_page_refcount(p), 1);
	KT_EXPECT(fr_page_pfn(p) < fr_page_max_pfn());
	KT_EXPECT_EQ(fr_page_write(p, 128, &in, sizeof(in)), 0);
	KT_EXPECT_EQ(fr_page_read(p, 128, &out, sizeof(out)), 0);
	KT_EXPECT_EQ(out, in);
	fr_page_put(p);
}

#define DISTINCT_PAGES 256

/* Pages handed out at the same time are different frames of memory. */
KTEST(mm, pages_are_distinct)
{
	struct fr_page **pages = FR_NEW_ARRAY(struct fr_page *, DISTINCT_PAGES);
	unsigned n = 0, bad_tags = 0, same = 0;

	KT_ASSERT(pages != NULL);
	for (n = 0; n < DISTINCT_PAGES; n++) {
		uint64_t t0, t1;

		pages[n] = fr_page_alloc(0);
		if (!pages[n])
			break;
		t0 = tag_of(fr_page_pfn(pages[n]), 0);
		t1 = tag_of(fr_page_pfn(pages[n]), 1);
		KT_EXPECT_EQ(fr_page_write(pages[n], 0, &t0, 8), 0);
		KT_EXPECT_EQ(fr_page_write(pages[n], FR_PAGE_SIZE - 8, &t1, 8),
			     0);
	}
	KT_EXPECT_EQ(n, DISTINCT_PAGES);
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = 0, t1 = 0;

		for (unsigned j = i + 1; j < n; j++)
			if (pages[i] == pages[j] ||
			    fr_page_pfn(pages[i]) == fr_page_pfn(pages[j]))
				same++;
		/* a page shared with a later allocation lost its tags */
		if (fr_page_read(pages[i], 0, &t0, 8) ||
		    fr_page_read(pages[i], FR_PAGE_SIZE - 8, &t1, 8) ||
		    t0 != tag_of(fr_page_pfn(pages[i]), 0) ||
		    t1 != tag_of(fr_page_pfn(pages[i]), 1))
			bad_tags++;
	}
	KT_EXPECT_EQ(same, 0);
	KT_EXPECT_EQ(bad_tags, 0);
	for (unsigned i = 0; i < n; i++)
		fr_page_put(pages[i]);
	fr_kfree(pages);
}

KTEST(mm, stats_follow_alloc_and_free)
{
	struct fr_mem_stats s0, s1, s2;
	struct fr_page *p[10];

	fr_mem_stats(&s0);
	KT_EXPECT(s0.total > 0);
	KT_EXPECT(s0.free > 0);
	KT_EXPECT(s0.free + s0.reserved <= s0.total);
	KT_EXPECT(s0.total <= fr_page_max_pfn());
	for (unsigned i = 0; i < FR_ARRAY_SIZE(p); i++)
		p[i] = fr_page_alloc(0);
	fr_mem_stats(&s1);
	KT_EXPECT_EQ(s1.free, s0.free - FR_ARRAY_SIZE(p));
	KT_EXPECT_EQ(s1.total, s0.total);
	for (unsigned i = 0; i < FR_ARRAY_SIZE(p); i++)
		if (p[i])
			fr_page_put(p[i]);
	fr_mem_stats(&s2);
	KT_EXPECT_EQ(s2.free, s0.free);
	KT_EXPECT_EQ(s2.total, s0.total);
	KT_EXPECT_EQ(s2.reserved, s0.reserved);
}

/* A page lives, with its contents, until its last reference is dropped. */
KTEST(mm, refcount_get_put)
{
	struct fr_page *p = fr_page_alloc(0);
	uint64_t before, val = 0xfeedface, out = 0;

	KT_ASSERT(p != NULL);
	KT_EXPECT_EQ(fr_page_write(p, 64, &val, sizeof(val)), 0);
	before = free_pages();
	fr_page_get(p);
	KT_EXPECT_EQ(fr_page_refcount(p), 2);
	fr_page_get(p);
	KT_EXPECT_EQ(fr_page_refcount(p), 3);
	fr_page_put(p);
	fr_page_put(p);
	KT_EXPECT_EQ(fr_page_refcount(p), 1);
	KT_EXPECT_EQ(free_pages(), before);
	KT_EXPECT_EQ(fr_page_read(p, 64, &out, sizeof(out)), 0);
	KT_EXPECT_EQ(out, val);
	fr_page_put(p);
	KT_EXPECT_EQ(free_pages(), before + 1);
}

#define ZERO_PAGES 16

/* FR_PAGE_ZERO hands out zeroed pages even when they were dirty. */
KTEST(mm, zero_flag)
{
	struct fr_page *p[ZERO_PAGES];
	unsigned dirty = 0;

	for (unsigned i = 0; i < ZERO_PAGES; i++) {
		p[i] = fr_page_alloc(0);
		KT_ASSERT(p[i] != NULL);
		KT_EXPECT_EQ(fr_page_fill(p[i], 0, 0xa5, FR_PAGE_SIZE), 0);
		KT_EXPECT(page_all(p[i], 0xa5));
	}
	for (unsigned i = 0; i < ZERO_PAGES; i++)
		fr_page_put(p[i]);
	for (unsigned i = 0; i < ZERO_PAGES; i++) {
		p[i] = fr_page_alloc(FR_PAGE_ZERO);
		KT_ASSERT(p[i] != NULL);
		if (!page_all(p[i], 0))
			dirty++;
	}
	KT_EXPECT_EQ(dirty, 0);
	for (unsigned i = 0; i < ZERO_PAGES; i++)
		fr_page_put(p[i]);
}

/* Accesses that leave the page are refused and change nothing. */
KTEST(mm, page_bounds)
{
	struct fr_page *p = fr_page_alloc(0);
	uint8_t buf[128];

	KT_ASSERT(p != NULL);
	memset(buf, 0xff, sizeof(buf));
	KT_EXPECT_EQ(fr_page_fill(p, 0, 0x11, FR_PAGE_SIZE), 0);
	KT_EXPECT_EQ(fr_page_write(p, FR_PAGE_SIZE - 100, buf, 101), -EINVAL);
	KT_EXPECT_EQ(fr_page_write(p, FR_PAGE_SIZE, buf, 1), -EINVAL);
	KT_EXPECT_EQ(fr_page_write(p, FR_PAGE_SIZE + 1, buf, 0), -EINVAL);
	KT_EXPECT_EQ(fr_page_write(p, 1, buf, SIZE_MAX), -EINVAL);
	KT_EXPECT_EQ(fr_page_write(p, SIZE_MAX, buf, 2), -EINVAL);
	KT_EXPECT_EQ(fr_page_fill(p, 4000, 0xff, 97), -EINVAL);
	KT_EXPECT_EQ(fr_page_fill(p, 0, 0xff, FR_PAGE_SIZE + 1), -EINVAL);
	KT_EXPECT_EQ(fr_page_read(p, FR_PAGE_SIZE - 8, buf, 9), -EINVAL);
	KT_EXPECT_EQ(fr_page_read(p, SIZE_MAX - 3, buf, 8), -EINVAL);
	KT_EXPECT(page_all(p, 0x11));
	/* the last byte and an empty span at the end are inside */
	KT_EXPECT_EQ(fr_page_write(p, FR_PAGE_SIZE - 1, buf, 1), 0);
	KT_EXPECT_EQ(fr_page_write(p, FR_PAGE_SIZE, buf, 0), 0);
	buf[0] = 0;
	KT_EXPECT_EQ(fr_page_read(p, FR_PAGE_SIZE - 1, buf, 1), 0);
	KT_EXPECT_EQ(buf[0], 0xff);
	fr_page_put(p);
}

KTEST(mm, page_copy)
{
	struct fr_page *src = fr_page_alloc(0), *dst = fr_page_alloc(0);
	unsigned diff = 0;

	KT_ASSERT(src && dst);
	for (unsigned i = 0; i < FR_PAGE_SIZE / 8; i++) {
		uint64_t v = tag_of(fr_page_pfn(src), i);

		KT_EXPECT_EQ(fr_page_write(src, i * 8, &v, 8), 0);
	}
	KT_EXPECT_EQ(fr_page_fill(dst, 0, 0x77, FR_PAGE_SIZE), 0);
	fr_page_copy(dst, src);
	for (unsigned i = 0; i < FR_PAGE_SIZE / 8; i++) {
		uint64_t a = 0, b = 1;

		KT_EXPECT_EQ(fr_page_read(src, i * 8, &a, 8), 0);
		KT_EXPECT_EQ(fr_page_read(dst, i * 8, &b, 8), 0);
		if (a != b || a != tag_of(fr_page_pfn(src), i))
			diff++;
	}
	KT_EXPECT_EQ(diff, 0);
	fr_page_put(src);
	fr_page_put(dst);
}

/* A segment of 3 pages: contiguous, zeroed, 3 pages taken and given back. */
KTEST(mm, segment_contiguous)
{
	fr_segment_rw seg;
	struct fr_page *first;
	uint64_t before;

	warm_up_segments();
	before = free_pages();
	seg = fr_segment_alloc(3, FR_PAGE_ZERO);
	KT_ASSERT(!FR_HANDLE_IS_NONE(seg));
	KT_EXPECT_EQ(fr_segment_npages(seg), 3);
	KT_EXPECT_EQ(free_pages(), before - 3);
	first = fr_segment_page(seg, 0);
	KT_ASSERT(first != NULL);
	for (size_t i = 0; i < 3; i++) {
		struct fr_page *p = fr_segment_page(seg, i);

		KT_ASSERT(p != NULL);
		KT_EXPECT_EQ(fr_page_pfn(p), fr_page_pfn(first) + i);
		KT_EXPECT_EQ(fr_page_refcount(p), 1);
		KT_EXPECT(page_all(p, 0));
	}
	KT_EXPECT(fr_segment_page(seg, 3) == NULL);
	KT_EXPECT(fr_segment_page(seg, SIZE_MAX) == NULL);
	fr_segment_free(seg);
	KT_EXPECT_EQ(free_pages(), before);
}

KTEST(mm, segment_impossible_sizes)
{
	size_t sizes[] = { 0, fr_page_max_pfn() + 1, SIZE_MAX,
			   SIZE_MAX / 2 + 2 };
	uint64_t before;

	warm_up_segments();
	before = free_pages();
	for (size_t i = 0; i < FR_ARRAY_SIZE(sizes); i++) {
		fr_segment_rw seg = fr_segment_alloc(sizes[i], 0);

		KT_EXPECT(FR_HANDLE_IS_NONE(seg));
		KT_EXPECT_EQ(fr_segment_npages(seg), 0);
	}
	KT_EXPECT_EQ(free_pages(), before);
}

/* A page of a segment that is still referenced outlives the segment. */
KTEST(mm, segment_page_outlives_segment)
{
	uint64_t before, tag = 0xabcdef01, out = 0;
	fr_segment_rw seg;
	struct fr_page *kept;

	warm_up_segments();
	before = free_pages();
	seg = fr_segment_alloc(2, 0);
	KT_ASSERT(!FR_HANDLE_IS_NONE(seg));
	kept = fr_segment_page(seg, 1);
	KT_ASSERT(kept != NULL);
	fr_page_get(kept);
	KT_EXPECT_EQ(fr_page_write(kept, 8, &tag, 8), 0);
	fr_segment_free(seg);
	KT_EXPECT_EQ(fr_page_refcount(kept), 1);
	KT_EXPECT_EQ(free_pages(), before - 1);
	KT_EXPECT_EQ(fr_page_read(kept, 8, &out, 8), 0);
	KT_EXPECT_EQ(out, tag);
	fr_page_put(kept);
	KT_EXPECT_EQ(free_pages(), before);
}

/*
 * Bytes written through the read-write handle cross page boundaries and
 * are seen through the read-only handle and through the pages.
 */
KTEST(mm, segment_rw_write_ro_read)
{
	fr_segment_rw seg = fr_segment_alloc(2, 0);
	fr_segment_ro ro = fr_segment_ro_of(seg);
	uint64_t in[4], out[4] = { 0 }, word = 0;
	size_t off = FR_PAGE_SIZE - 16; /* straddles pages 0 and 1 */

	KT_ASSERT(!FR_HANDLE_IS_NONE(seg));
	KT_EXPECT(!FR_HANDLE_IS_NONE(ro));
	for (size_t i = 0; i < FR_ARRAY_SIZE(in); i++)
		in[i] = tag_of(7, (unsigned)i);
	KT_EXPECT_EQ(fr_segment_write(seg, off, in, sizeof(in)), 0);
	KT_EXPECT_EQ(fr_segment_read(ro, off, out, sizeof(out)), 0);
	KT_EXPECT_EQ(memcmp(in, out, sizeof(in)), 0);
	/* the rw handle reads too, and the pages hold the same bytes */
	KT_EXPECT_EQ(fr_segment_read(seg, off + 8, &word, 8), 0);
	KT_EXPECT_EQ(word, in[1]);
	KT_EXPECT_EQ(fr_page_read(fr_segment_page(seg, 1), 0, &word, 8), 0);
	KT_EXPECT_EQ(word, in[2]);
	KT_EXPECT_EQ(fr_segment_npages(ro), 2);
	/* weakening twice is still the same segment */
	KT_EXPECT_EQ(fr_segment_npages(fr_segment_ro_of(ro)), 2);
	fr_segment_free(seg);
}

/* Zeroing covers exactly the range asked for. */
KTEST(mm, segment_zero_range)
{
	fr_segment_rw seg = fr_segment_alloc(2, 0);
	uint8_t buf[64];
	uint8_t ones[64];

	KT_ASSERT(!FR_HANDLE_IS_NONE(seg));
	memset(ones, 0xff, sizeof(ones));
	for (size_t off = 0; off < 2 * FR_PAGE_SIZE; off += sizeof(ones))
		KT_ASSERT_EQ(fr_segment_write(seg, off, ones, sizeof(ones)), 0);
	KT_EXPECT_EQ(fr_segment_zero(seg, FR_PAGE_SIZE - 8, 24), 0);
	KT_EXPECT_EQ(fr_segment_read(seg, FR_PAGE_SIZE - 32, buf, 64), 0);
	for (size_t i = 0; i < 64; i++) {
		bool zero = i >= 24 && i < 48;

		if (!KT_EXPECT_EQ(buf[i], zero ? 0 : 0xff))
			break;
	}
	fr_segment_free(seg);
}

/* Every access that leaves the segment is refused and changes nothing. */
KTEST(mm, segment_bounds)
{
	fr_segment_rw seg = fr_segment_alloc(1, FR_PAGE_ZERO);
	fr_segment_rw none = FR_HANDLE_NONE(fr_segment_rw);
	uint64_t v = 0x1122334455667788UL, out = 0;

	KT_ASSERT(!FR_HANDLE_IS_NONE(seg));
	KT_EXPECT_EQ(fr_segment_write(seg, FR_PAGE_SIZE - 4, &v, 8), -EINVAL);
	KT_EXPECT_EQ(fr_segment_write(seg, SIZE_MAX, &v, 8), -EINVAL);
	KT_EXPECT_EQ(fr_segment_read(seg, 8, &out, SIZE_MAX), -EINVAL);
	KT_EXPECT_EQ(fr_segment_zero(seg, FR_PAGE_SIZE + 1, 0), -EINVAL);
	KT_EXPECT_EQ(fr_segment_zero(seg, FR_PAGE_SIZE, 0), 0);
	KT_EXPECT_EQ(fr_segment_read(seg, FR_PAGE_SIZE - 8, &out, 8), 0);
	KT_EXPECT_EQ(out, 0);
	/* a handle that refers to nothing */
	KT_EXPECT_EQ(fr_segment_write(none, 0, &v, 8), -EINVAL);
	KT_EXPECT_EQ(fr_segment_read(none, 0, &out, 8), -EINVAL);
	KT_EXPECT(fr_segment_page(none, 0) == NULL);
	fr_segment_free(none);
	fr_segment_free(seg);
}

/*
 * A second put of a freed page is refused by the frame: it must not reach
 * the policy, which would then hold the page twice and hand it out twice.
 */
KTEST(mm, double_put_refused)
{
	struct fr_page *p = fr_page_alloc(0), *q[8];
	uint64_t after_free;
	unsigned same = 0;

	KT_ASSERT(p != NULL);
	fr_page_put(p);
	after_free = free_pages();
	fr_page_put(p); /* logged and ignored */
	KT_EXPECT_EQ(free_pages(), after_free);
	KT_EXPECT_EQ(fr_page_refcount(p), 0);
	for (unsigned i = 0; i < FR_ARRAY_SIZE(q); i++) {
		q[i] = fr_page_alloc(0);
		KT_ASSERT(q[i] != NULL);
		for (unsigned j = 0; j < i; j++)
			if (q[j] == q[i])
				same++;
	}
	KT_EXPECT_EQ(same, 0);
	KT_EXPECT_EQ(free_pages(), after_free - FR_ARRAY_SIZE(q));
	for (unsigned i = 0; i < FR_ARRAY_SIZE(q); i++)
		fr_page_put(q[i]);
	KT_EXPECT_EQ(free_pages(), after_free);
}

/*
 * Every free page can be allocated, allocation then fails cleanly, and
 * every page comes back.
 */
KTEST(mm, exhaustion_returns_null)
{
	size_t max = fr_page_max_pfn();
	struct fr_page **pages = FR_NEW_ARRAY(struct fr_page *, max);
	uint64_t before;
	size_t n = 0;

	KT_ASSERT(pages != NULL);
	before = free_pages();
	while (n < max && (pages[n] = fr_page_alloc(0)) != NULL)
		n++;
	KT_EXPECT(n < max);
	KT_EXPECT_EQ(n, before);
	KT_EXPECT_EQ(free_pages(), 0);
	KT_EXPECT(fr_page_alloc(FR_PAGE_ZERO) == NULL);
	KT_EXPECT(FR_HANDLE_IS_NONE(fr_segment_alloc(1, 0)));
	while (n)
		fr_page_put(pages[--n]);
	KT_EXPECT_EQ(free_pages(), before);
	fr_kfree(pages);
}
