/*
 * KTESTs of DMA buffers (<frame/dma.h>): the three directions and their
 * free weakenings, zero-filled page-aligned contiguous memory, bounds on
 * the size asked for, page accounting, and handles that refer to nothing.
 * The directions a handle lacks are compile errors, tested by
 * tools/rights/fixtures/.  Only the public frame API is used.
 */
#include <frame/ktest.h>
#include <frame/dma.h>
#include <frame/heap.h>
#include <frame/mm.h>
#include <libs/string.h>

static uint64_t free_pages(void)
{
	struct fr_mem_stats s;

	fr_mem_stats(&s);
	return s.free;
}

/* Whether the first @len bytes of @buf read as zero. */
static bool dma_all_zero(fr_dma_any buf, size_t len)
{
	uint8_t chunk[128];

	for (size_t off = 0; off < len; off += sizeof(chunk)) {
		size_t n = FR_MIN(sizeof(chunk), len - off);

		if (fr_dma_read(buf, off, chunk, n))
			return false;
		for (size_t i = 0; i < n; i++)
			if (chunk[i])
				return false;
	}
	return true;
}

/* Each direction: zero-filled, page-aligned, its size; pages come back. */
KTEST(dma, alloc_each_direction)
{
	fr_dma_to_dev tx;
	fr_dma_from_dev rx;
	fr_dma_bidir both;
	uint64_t before;

	/* let the heap make the slab of the buffer descriptors first */
	both = fr_dma_alloc_bidir(1);
	fr_dma_free(both);
	before = free_pages();
	tx = fr_dma_alloc_to_dev(100);
	rx = fr_dma_alloc_from_dev(FR_PAGE_SIZE + 1);
	both = fr_dma_alloc_bidir(3 * FR_PAGE_SIZE);
	KT_ASSERT(!FR_HANDLE_IS_NONE(tx) && !FR_HANDLE_IS_NONE(rx) &&
		  !FR_HANDLE_IS_NONE(both));
	KT_EXPECT_EQ(free_pages(), before - 1 - 2 - 3);
	KT_EXPECT_EQ(fr_dma_size(tx), 100);
	KT_EXPECT_EQ(fr_dma_size(rx), FR_PAGE_SIZE + 1);
	KT_EXPECT_EQ(fr_dma_size(both), 3 * FR_PAGE_SIZE);
	KT_EXPECT(dma_all_zero(fr_dma_any_of(tx), 100));
	KT_EXPECT(dma_all_zero(fr_dma_any_of(rx), FR_PAGE_SIZE + 1));
	KT_EXPECT(dma_all_zero(fr_dma_any_of(both), 3 * FR_PAGE_SIZE));
	/* device addresses: page-aligned physical memory, disjoint */
	KT_EXPECT_EQ(fr_dma_addr(tx) % FR_PAGE_SIZE, 0);
	KT_EXPECT_EQ(fr_dma_addr(rx) % FR_PAGE_SIZE, 0);
	KT_EXPECT_EQ(fr_dma_addr(both) % FR_PAGE_SIZE, 0);
	KT_EXPECT(fr_dma_addr(both) + 3 * FR_PAGE_SIZE <=
		  fr_page_max_pfn() << FR_PAGE_SHIFT);
	KT_EXPECT(fr_dma_addr(tx) != fr_dma_addr(rx));
	KT_EXPECT(fr_dma_addr(tx) < fr_dma_addr(both) ||
		  fr_dma_addr(tx) >= fr_dma_addr(both) + 3 * FR_PAGE_SIZE);
	fr_dma_free(tx);
	fr_dma_free(rx);
	fr_dma_free(both);
	KT_EXPECT_EQ(free_pages(), before);
}

/* The CPU's writes are read back through every handle of the buffer. */
KTEST(dma, write_then_read)
{
	fr_dma_bidir both = fr_dma_alloc_bidir(2 * FR_PAGE_SIZE);
	fr_dma_to_dev tx = fr_dma_to_dev_of(both);
	fr_dma_from_dev rx = fr_dma_from_dev_of(both);
	fr_dma_any any = fr_dma_any_of(rx);
	uint64_t in[3] = { 0x1111, 0x2222, 0x3333 }, out[3] = { 0 };
	size_t off = FR_PAGE_SIZE - 8; /* across the page boundary */

	KT_ASSERT(!FR_HANDLE_IS_NONE(both));
	KT_EXPECT_EQ(fr_dma_addr(tx), fr_dma_addr(both));
	KT_EXPECT_EQ(fr_dma_addr(rx), fr_dma_addr(any));
	KT_EXPECT_EQ(fr_dma_write(tx, off, in, sizeof(in)), 0);
	KT_EXPECT_EQ(fr_dma_read(rx, off, out, sizeof(out)), 0);
	KT_EXPECT_EQ(memcmp(in, out, sizeof(in)), 0);
	in[1] = 0x4444;
	KT_EXPECT_EQ(fr_dma_write(both, off + 8, &in[1], 8), 0);
	KT_EXPECT_EQ(fr_dma_read(any, off, out, sizeof(out)), 0);
	KT_EXPECT_EQ(memcmp(in, out, sizeof(in)), 0);
	KT_EXPECT_EQ(fr_dma_read(tx, off + 16, &out[0], 8), 0);
	KT_EXPECT_EQ(out[0], 0x3333);
	fr_dma_free(any);
}

/* Accesses stay inside the size asked for, not the whole page. */
KTEST(dma, bounds)
{
	fr_dma_to_dev tx = fr_dma_alloc_to_dev(64);
	uint8_t b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, out[8] = { 0 };

	KT_ASSERT(!FR_HANDLE_IS_NONE(tx));
	KT_EXPECT_EQ(fr_dma_write(tx, 56, b, 8), 0);
	KT_EXPECT_EQ(fr_dma_write(tx, 57, b, 8), -EINVAL);
	KT_EXPECT_EQ(fr_dma_write(tx, 64, b, 1), -EINVAL);
	KT_EXPECT_EQ(fr_dma_write(tx, SIZE_MAX, b, 2), -EINVAL);
	KT_EXPECT_EQ(fr_dma_read(tx, 60, out, 8), -EINVAL);
	KT_EXPECT_EQ(fr_dma_read(tx, 8, out, SIZE_MAX), -EINVAL);
	KT_EXPECT_EQ(fr_dma_read(tx, 64, out, 0), 0);
	KT_EXPECT_EQ(fr_dma_read(tx, 56, out, 8), 0);
	KT_EXPECT_EQ(memcmp(b, out, 8), 0);
	fr_dma_free(tx);
}

/* Impossible sizes give a handle that refers to nothing, which every
 * operation refuses or ignores. */
KTEST(dma, impossible_sizes_and_none)
{
	size_t sizes[] = { 0, (FR_PAGE_SIZE << 10) + 1, SIZE_MAX };
	fr_dma_bidir none = FR_HANDLE_NONE(fr_dma_bidir);
	uint64_t before = free_pages(), v = 7;

	for (size_t i = 0; i < FR_ARRAY_SIZE(sizes); i++) {
		KT_EXPECT(FR_HANDLE_IS_NONE(fr_dma_alloc_to_dev(sizes[i])));
		KT_EXPECT(FR_HANDLE_IS_NONE(fr_dma_alloc_from_dev(sizes[i])));
		KT_EXPECT(FR_HANDLE_IS_NONE(fr_dma_alloc_bidir(sizes[i])));
	}
	KT_EXPECT_EQ(free_pages(), before);
	KT_EXPECT_EQ(fr_dma_size(none), 0);
	KT_EXPECT_EQ(fr_dma_addr(none), 0);
	KT_EXPECT_EQ(fr_dma_write(none, 0, &v, 8), -EINVAL);
	KT_EXPECT_EQ(fr_dma_read(none, 0, &v, 8), -EINVAL);
	fr_dma_free(none);
}
