/*
 * KTESTs of the physical page API (<frame/mm.h>): allocation and freeing,
 * reference counts, page contents and their bounds, segments, the page
 * statistics, exhaustion, and the frame's refusal of a second free.
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
	fr_segment_free(fr_segment_alloc(1, 0));
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
	struct fr_segment *seg;
	struct fr_page *first;
	uint64_t before;

	warm_up_segments();
	before = free_pages();
	seg = fr_segment_alloc(3, FR_PAGE_ZERO);
	KT_ASSERT(seg != NULL);
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
	uint64_t before;

	warm_up_segments();
	before = free_pages();

	KT_EXPECT(fr_segment_alloc(0, 0) == NULL);
	KT_EXPECT(fr_segment_alloc(fr_page_max_pfn() + 1, 0) == NULL);
	KT_EXPECT(fr_segment_alloc(SIZE_MAX, 0) == NULL);
	KT_EXPECT(fr_segment_alloc(SIZE_MAX / 2 + 2, 0) == NULL);
	KT_EXPECT_EQ(free_pages(), before);
}

/* A page of a segment that is still referenced outlives the segment. */
KTEST(mm, segment_page_outlives_segment)
{
	uint64_t before, tag = 0xabcdef01, out = 0;
	struct fr_segment *seg;
	struct fr_page *kept;

	warm_up_segments();
	before = free_pages();
	seg = fr_segment_alloc(2, 0);
	KT_ASSERT(seg != NULL);
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
	KT_EXPECT(fr_segment_alloc(1, 0) == NULL);
	while (n)
		fr_page_put(pages[--n]);
	KT_EXPECT_EQ(free_pages(), before);
	fr_kfree(pages);
}
