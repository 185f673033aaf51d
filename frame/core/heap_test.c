/*
 * KTESTs of the kernel heap (<frame/heap.h>): sizes and alignment across
 * the slab sizes and large allocations, zeroing, no two live allocations
 * overlapping, impossible sizes, and the frame's refusal of frees that are
 * not of a live allocation.  Only the public frame API is used, so the
 * same tests build for the hosted target.
 */
#include <frame/ktest.h>
#include <frame/cpu.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/mm.h>
#include <libs/string.h>

/* Around every slab size, and large sizes of one and several pages. */
static const size_t sizes[] = {
	1, 2, 8, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65, 100, 127, 128,
	129, 200, 255, 256, 257, 511, 512, 513, 1000, 1023, 1024, 1025, 1500,
	2047, 2048, 2049, 3000, 4095, 4096, 4097, 8191, 8192, 8193, 20000,
	65536, 100000,
};

/* The alignment fr_kmalloc promises for @size. */
static size_t promised_align(size_t size)
{
	size_t align = 16;

	while (align < size && align < FR_PAGE_SIZE)
		align <<= 1;
	return align;
}

static uint8_t pattern(size_t obj, size_t i)
{
	return (uint8_t)(obj * 31 + i * 7 + 1);
}

static void fill(void *p, size_t obj, size_t len)
{
	uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		b[i] = pattern(obj, i);
}

static bool intact(const void *p, size_t obj, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != pattern(obj, i))
			return false;
	return true;
}

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

static uint64_t free_pages(void)
{
	struct fr_mem_stats s;

	fr_mem_stats(&s);
	return s.free;
}

KTEST(heap, sizes_and_alignment)
{
	for (size_t i = 0; i < FR_ARRAY_SIZE(sizes); i++) {
		size_t sz = sizes[i];
		void *p = fr_kmalloc(sz);

		if (!KT_EXPECT(p != NULL)) {
			fr_printk("#   size %zu\n", sz);
			continue;
		}
		if (!KT_EXPECT_EQ((uintptr_t)p % promised_align(sz), 0))
			fr_printk("#   size %zu at %p\n", sz, p);
		fill(p, i, sz);
		KT_EXPECT(intact(p, i, sz));
		fr_kfree(p);
	}
}

#define LIVE_OBJS 300

/* Many live allocations of mixed sizes never share a byte. */
KTEST(heap, no_overlap)
{
	void **ptrs = FR_NEW_ARRAY(void *, LIVE_OBJS);
	size_t *lens = FR_NEW_ARRAY(size_t, LIVE_OBJS);
	unsigned overlaps = 0, damaged = 0, n;

	KT_ASSERT(ptrs && lens);
	for (n = 0; n < LIVE_OBJS; n++) {
		/* mostly slab sizes, every 16th object a large one */
		lens[n] = sizes[(n * 7) % FR_ARRAY_SIZE(sizes)];
		if (lens[n] > 8192 && n % 16)
			lens[n] = 40;
		ptrs[n] = fr_kmalloc(lens[n]);
		if (!KT_EXPECT(ptrs[n] != NULL))
			break;
		fill(ptrs[n], n, lens[n]);
	}
	for (unsigned i = 0; i < n; i++) {
		uintptr_t a = (uintptr_t)ptrs[i], a_end = a + lens[i];

		for (unsigned j = i + 1; j < n; j++) {
			uintptr_t b = (uintptr_t)ptrs[j], b_end = b + lens[j];

			if (a < b_end && b < a_end)
				overlaps++;
		}
		if (!intact(ptrs[i], i, lens[i]))
			damaged++;
	}
	KT_EXPECT_EQ(overlaps, 0);
	KT_EXPECT_EQ(damaged, 0);
	/* free every other one, check the rest survived, free the rest */
	for (unsigned i = 0; i < n; i += 2)
		fr_kfree(ptrs[i]);
	damaged = 0;
	for (unsigned i = 1; i < n; i += 2)
		if (!intact(ptrs[i], i, lens[i]))
			damaged++;
	KT_EXPECT_EQ(damaged, 0);
	for (unsigned i = 1; i < n; i += 2)
		fr_kfree(ptrs[i]);
	fr_kfree(ptrs);
	fr_kfree(lens);
}

#define DIRTY_ROUNDS 8

/* fr_kzalloc zeroes memory that was just dirtied and freed. */
KTEST(heap, kzalloc_zeroes)
{
	static const size_t zsizes[] = { 24, 200, 2048, 5000, 40000 };

	for (size_t s = 0; s < FR_ARRAY_SIZE(zsizes); s++) {
		size_t sz = zsizes[s];
		void *p[DIRTY_ROUNDS];
		unsigned dirty = 0;

		for (unsigned i = 0; i < DIRTY_ROUNDS; i++) {
			p[i] = fr_kmalloc(sz);
			KT_ASSERT(p[i] != NULL);
			memset(p[i], 0xcc, sz);
		}
		for (unsigned i = 0; i < DIRTY_ROUNDS; i++)
			fr_kfree(p[i]);
		for (unsigned i = 0; i < DIRTY_ROUNDS; i++) {
			p[i] = fr_kzalloc(sz);
			KT_ASSERT(p[i] != NULL);
			if (!all_zero(p[i], sz))
				dirty++;
		}
		if (!KT_EXPECT_EQ(dirty, 0))
			fr_printk("#   size %zu\n", sz);
		for (unsigned i = 0; i < DIRTY_ROUNDS; i++)
			fr_kfree(p[i]);
	}
}

struct heap_test_obj {
	uint64_t a;
	void *b;
	char name[40];
};

KTEST(heap, typed_and_impossible_sizes)
{
	struct heap_test_obj *o = FR_NEW(struct heap_test_obj);
	uint32_t *arr = FR_NEW_ARRAY(uint32_t, 1000);

	KT_EXPECT(fr_kmalloc(0) == NULL);
	KT_EXPECT(fr_kzalloc(0) == NULL);
	fr_kfree(NULL);
	KT_ASSERT(o != NULL);
	KT_EXPECT(o->a == 0 && o->b == NULL && all_zero(o->name, 40));
	KT_ASSERT(arr != NULL);
	KT_EXPECT(all_zero(arr, 1000 * sizeof(uint32_t)));
	KT_EXPECT(FR_NEW_ARRAY(uint64_t, SIZE_MAX / 4) == NULL);
	KT_EXPECT(fr_kmalloc((size_t)1 << 40) == NULL);
	KT_EXPECT(fr_kmalloc(SIZE_MAX / 2 + 2) == NULL);
	KT_EXPECT(fr_kmalloc(SIZE_MAX) == NULL);
	KT_EXPECT(fr_kzalloc(SIZE_MAX) == NULL);
	fr_kfree(o);
	fr_kfree(arr);
}

/*
 * A second free of the same pointer is refused: otherwise two later
 * allocations could be given the same memory.
 */
KTEST(heap, double_free_refused)
{
	void *a = fr_kmalloc(64), *b = fr_kmalloc(64), *c, *d;

	KT_ASSERT(a && b);
	fill(b, 2, 64);
	fr_kfree(a);
	fr_kfree(a); /* logged and ignored */
	c = fr_kmalloc(64);
	d = fr_kmalloc(64);
	KT_ASSERT(c && d);
	KT_EXPECT(c != d);
	KT_EXPECT(c != b && d != b);
	fill(c, 3, 64);
	fill(d, 4, 64);
	KT_EXPECT(intact(b, 2, 64));
	KT_EXPECT(intact(c, 3, 64));
	fr_kfree(b);
	fr_kfree(c);
	fr_kfree(d);
}

/* Freeing a pointer that is not the start of a live allocation is ignored. */
KTEST(heap, bad_free_refused)
{
	uint8_t *small = fr_kmalloc(128), *large = fr_kmalloc(3 * FR_PAGE_SIZE);
	uint64_t on_stack = 7;
	void *again;

	KT_ASSERT(small && large);
	fill(small, 5, 128);
	fill(large, 6, 3 * FR_PAGE_SIZE);
	fr_kfree(small + 32);
	fr_kfree(small + 1);
	fr_kfree(large + FR_PAGE_SIZE);
	fr_kfree(large + 16);
	fr_kfree(&on_stack);
	KT_EXPECT(intact(small, 5, 128));
	KT_EXPECT(intact(large, 6, 3 * FR_PAGE_SIZE));
	KT_EXPECT_EQ(on_stack, 7);
	again = fr_kmalloc(128);
	KT_EXPECT(again != small);
	fr_kfree(again);
	fr_kfree(small);
	fr_kfree(large);
}

/* Large allocations take whole pages and give every one of them back. */
KTEST(heap, large_pages_come_back)
{
	uint64_t before = free_pages(), during;
	void *p = fr_kmalloc(100000);

	KT_ASSERT(p != NULL);
	during = free_pages();
	KT_EXPECT(during + (100000 + FR_PAGE_SIZE - 1) / FR_PAGE_SIZE <=
		  before);
	fill(p, 9, 100000);
	KT_EXPECT(intact(p, 9, 100000));
	fr_kfree(p);
	KT_EXPECT_EQ(free_pages(), before);
}

/* The heap may be used with interrupts off and leaves them off. */
KTEST(heap, irqs_off)
{
	unsigned long flags = fr_irq_save();
	void *small = fr_kmalloc(48), *large = fr_kmalloc(6000);
	bool still_off = !fr_irq_enabled();

	fr_kfree(small);
	fr_kfree(large);
	still_off = still_off && !fr_irq_enabled();
	fr_irq_restore(flags);
	KT_EXPECT(small != NULL);
	KT_EXPECT(large != NULL);
	KT_EXPECT(still_off);
}
