/*
 * KTESTs of MMIO windows (<frame/io.h>): memory is never mapped as a
 * device, bad ranges are refused, and in the kernel target a window on
 * the HPET (a device the frame does not use, present in QEMU's PC
 * machines) reads its registers, keeps accesses inside the window, writes
 * through a read-write window and is unmapped.  The hosted target has no
 * devices: there every map fails with -ENODEV, which the tests check
 * instead.  Writes through a read-only window are compile errors, tested
 * by tools/rights/fixtures/.  Only the public frame API is used.
 */
#include <frame/ktest.h>
#include <frame/io.h>
#include <frame/log.h>
#include <frame/mm.h>

#define HPET_BASE 0xfed00000UL
#define HPET_LEN 0x400
#define HPET_CAP 0x000	   /* general capabilities and ID (64 bits) */
#define HPET_T0_CMP 0x108  /* timer 0 comparator (64 bits) */
#define HPET_MAX_PERIOD 100000000UL /* fs: the specification's limit */

/* Map the HPET; false (with the reason checked) when the target has no
 * devices. */
static bool map_hpet(struct fr_ktest_ctx *kt, fr_mmio_rw *win)
{
	int err = fr_mmio_map(HPET_BASE, HPET_LEN, win);

	if (err == -ENODEV) {
		KT_EXPECT(FR_HANDLE_IS_NONE(*win));
		fr_printk("#   no devices in this target: -ENODEV\n");
		return false;
	}
	KT_EXPECT_EQ(err, 0);
	return err == 0;
}

/* RAM, the first MiB and malformed ranges are refused in both targets. */
KTEST(io, memory_refused)
{
	struct fr_page *p = fr_page_alloc(0);
	fr_mmio_rw win;
	uint64_t pa;

	KT_ASSERT(p != NULL);
	pa = fr_page_pfn(p) << FR_PAGE_SHIFT;
	KT_EXPECT_EQ(fr_mmio_map(pa, FR_PAGE_SIZE, &win), -EACCES);
	KT_EXPECT(FR_HANDLE_IS_NONE(win));
	KT_EXPECT_EQ(fr_mmio_map(pa + 8, 4, &win), -EACCES);
	/* a range that only ends in RAM */
	KT_EXPECT_EQ(fr_mmio_map(0, 0x100000 + FR_PAGE_SIZE, &win), -EACCES);
	KT_EXPECT_EQ(fr_mmio_map(0xb8000, FR_PAGE_SIZE, &win), -EACCES);
	KT_EXPECT_EQ(fr_mmio_map(HPET_BASE, 0, &win), -EINVAL);
	KT_EXPECT_EQ(fr_mmio_map(HPET_BASE, FR_MMIO_MAX_LEN + 1, &win),
		     -EINVAL);
	KT_EXPECT_EQ(fr_mmio_map(UINT64_MAX - 8, 16, &win), -EINVAL);
	KT_EXPECT(FR_HANDLE_IS_NONE(win));
	fr_page_put(p);
}

/* A window on the HPET reads its capabilities through either handle. */
KTEST(io, read_device_registers)
{
	fr_mmio_rw win;
	fr_mmio_ro ro;
	uint64_t cap;

	if (!map_hpet(kt, &win))
		return;
	ro = fr_mmio_ro_of(win);
	KT_EXPECT_EQ(fr_mmio_size(win), HPET_LEN);
	KT_EXPECT_EQ(fr_mmio_size(ro), HPET_LEN);
	cap = fr_mmio_read64(ro, HPET_CAP);
	/* a revision, and a counter period within the specification */
	KT_EXPECT((cap & 0xff) != 0);
	KT_EXPECT((cap >> 32) != 0 && (cap >> 32) <= HPET_MAX_PERIOD);
	KT_EXPECT_EQ(fr_mmio_read64(win, HPET_CAP), cap);
	KT_EXPECT_EQ(fr_mmio_read32(ro, HPET_CAP), (uint32_t)cap);
	KT_EXPECT_EQ(fr_mmio_read32(win, HPET_CAP + 4), cap >> 32);
	fr_mmio_unmap(win);
}

/* Accesses that leave the window or are misaligned are not made. */
KTEST(io, accesses_stay_inside)
{
	fr_mmio_rw win;

	if (!map_hpet(kt, &win)) {
		/* what a handle that refers to nothing answers */
		KT_EXPECT_EQ(fr_mmio_read32(win, 0), 0xffffffffU);
		KT_EXPECT_EQ(fr_mmio_size(win), 0);
		fr_mmio_write32(win, 0, 1); /* logged, dropped */
		fr_mmio_unmap(win);
		return;
	}
	KT_EXPECT_EQ(fr_mmio_read8(win, HPET_LEN), 0xff);
	KT_EXPECT_EQ(fr_mmio_read16(win, HPET_LEN - 1), 0xffff);
	KT_EXPECT_EQ(fr_mmio_read32(win, HPET_LEN - 2), 0xffffffffU);
	KT_EXPECT_EQ(fr_mmio_read64(win, HPET_LEN - 4), UINT64_MAX);
	KT_EXPECT_EQ(fr_mmio_read64(win, SIZE_MAX - 3), UINT64_MAX);
	KT_EXPECT_EQ(fr_mmio_read32(win, 2), 0xffffffffU);
	KT_EXPECT_EQ(fr_mmio_read64(win, 4), UINT64_MAX);
	fr_mmio_write64(win, HPET_LEN, 0); /* logged, dropped */
	fr_mmio_write16(win, 1, 0);
	fr_mmio_write8(win, HPET_LEN + 7, 0);
	fr_mmio_unmap(win);
	/* the stale handle now reaches nothing */
	KT_EXPECT_EQ(fr_mmio_size(win), 0);
	KT_EXPECT_EQ(fr_mmio_read64(win, HPET_CAP), UINT64_MAX);
}

/*
 * A read-write window writes a device register: timer 0's comparator,
 * harmless while the HPET is off and the timer's interrupt disabled.
 */
KTEST(io, write_device_register)
{
	uint64_t old, tag = 0x0123456789abcdefUL;
	fr_mmio_rw win;

	if (!map_hpet(kt, &win))
		return;
	old = fr_mmio_read64(win, HPET_T0_CMP);
	fr_mmio_write64(win, HPET_T0_CMP, tag);
	KT_EXPECT_EQ(fr_mmio_read64(win, HPET_T0_CMP), tag);
	fr_mmio_write32(win, HPET_T0_CMP, 0x5a5a5a5a);
	KT_EXPECT_EQ(fr_mmio_read32(win, HPET_T0_CMP), 0x5a5a5a5a);
	fr_mmio_write64(win, HPET_T0_CMP, old);
	KT_EXPECT_EQ(fr_mmio_read64(win, HPET_T0_CMP), old);
	fr_mmio_unmap(win);
}

/* At most FR_MMIO_MAX_WINDOWS windows; an unmapped slot is reused. */
KTEST(io, window_limit)
{
	static fr_mmio_rw wins[FR_MMIO_MAX_WINDOWS];
	fr_mmio_rw extra;
	size_t n = 0;

	if (!map_hpet(kt, &wins[0]))
		return;
	for (n = 1; n < FR_MMIO_MAX_WINDOWS; n++)
		if (!KT_EXPECT_EQ(fr_mmio_map(HPET_BASE, FR_PAGE_SIZE, &wins[n]),
				  0))
			break;
	if (n == FR_MMIO_MAX_WINDOWS) {
		KT_EXPECT_EQ(fr_mmio_map(HPET_BASE, FR_PAGE_SIZE, &extra),
			     -ENOSPC);
		fr_mmio_unmap(wins[7]);
		KT_EXPECT_EQ(fr_mmio_map(HPET_BASE, FR_PAGE_SIZE, &wins[7]),
			     0);
	}
	while (n)
		fr_mmio_unmap(wins[--n]);
}
