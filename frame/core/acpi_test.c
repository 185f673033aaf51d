/*
 * KTESTs of the ACPI reader on tables built in a page: the enabled CPUs
 * of a MADT (disabled ones, duplicates, other entry types and x2APIC ids
 * beyond xAPIC's reach left out), the XSDT/RSDT choice, the FR_MAX_CPUS
 * limit, and damaged tables (checksums, lengths, entries, pointers out
 * of reach) refused with an error, never read past.
 */
#include <frame/ktest.h>
#include "frame_internal.h"
#include <libs/string.h>

#define RSDP_OFF 0x0
#define XSDT_OFF 0x80
#define RSDT_OFF 0x100
#define MADT_OFF 0x200

struct fake {
	struct fr_page *page;
	uint8_t *b;	/* the page's bytes */
	uint64_t pa;	/* its physical address */
	uint32_t madt_len;
};

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Set the checksum byte at @sum so that @len bytes at @p add up to 0. */
static void fix_sum(uint8_t *p, size_t len, uint8_t *sum)
{
	uint8_t s = 0;

	*sum = 0;
	for (size_t i = 0; i < len; i++)
		s += p[i];
	*sum = (uint8_t)-s;
}

static void header(uint8_t *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
	memcpy(t + 10, "TRELLS", 6);
}

/* Recompute every checksum after a change. */
static void seal(struct fake *f)
{
	uint8_t *r = f->b + RSDP_OFF, *m = f->b + MADT_OFF;

	fix_sum(r, 20, r + 8);
	fix_sum(r, 36, r + 32);
	fix_sum(f->b + XSDT_OFF, 44, f->b + XSDT_OFF + 9);
	fix_sum(f->b + RSDT_OFF, 40, f->b + RSDT_OFF + 9);
	fix_sum(m, f->madt_len, m + 9);
}

/* Add a MADT entry of @len bytes (at least 2); returns it. */
static uint8_t *entry(struct fake *f, uint8_t type, uint8_t len)
{
	uint8_t *e = f->b + MADT_OFF + f->madt_len;

	memset(e, 0, len);
	e[0] = type;
	e[1] = len;
	f->madt_len += len;
	put32(f->b + MADT_OFF + 4, f->madt_len);
	return e;
}

static void lapic(struct fake *f, uint8_t id, bool enabled)
{
	uint8_t *e = entry(f, 0, 8);

	e[2] = id;
	e[3] = id;
	put32(e + 4, enabled);
}

static void x2apic(struct fake *f, uint32_t id, bool enabled)
{
	uint8_t *e = entry(f, 9, 16);

	put32(e + 4, id);
	put32(e + 8, enabled);
}

/* RSDP 2.0 -> XSDT and RSDT -> an empty MADT. */
static bool fake_init(struct fake *f)
{
	uint8_t *r;

	f->page = fr_page_alloc(FR_PAGE_ZERO);
	if (!f->page)
		return false;
	f->b = page_address(f->page);
	f->pa = pfn_to_pa(fr_page_pfn(f->page));
	r = f->b + RSDP_OFF;
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "TRELLS", 6);
	r[15] = 2;
	put32(r + 16, (uint32_t)(f->pa + RSDT_OFF));
	put32(r + 20, 36);
	put64(r + 24, f->pa + XSDT_OFF);
	header(f->b + XSDT_OFF, "XSDT", 44);
	put64(f->b + XSDT_OFF + 36, f->pa + MADT_OFF);
	header(f->b + RSDT_OFF, "RSDT", 40);
	put32(f->b + RSDT_OFF + 36, (uint32_t)(f->pa + MADT_OFF));
	f->madt_len = 44;
	header(f->b + MADT_OFF, "APIC", f->madt_len);
	put32(f->b + MADT_OFF + 36, 0xfee00000);
	seal(f);
	return true;
}

static int parse(struct fake *f, struct acpi_cpus *out)
{
	return acpi_madt_cpus(f->pa + RSDP_OFF, f->pa + FR_PAGE_SIZE, out);
}

KTEST(acpi, madt_lists_enabled_cpus)
{
	struct acpi_cpus *out = FR_NEW(struct acpi_cpus);
	struct fake f;
	uint8_t *io;

	KT_ASSERT(out != NULL);
	if (!KT_EXPECT(fake_init(&f))) {
		fr_kfree(out);
		return;
	}
	KT_EXPECT(acpi_rsdp_ok(f.pa + RSDP_OFF, f.pa + FR_PAGE_SIZE));
	lapic(&f, 0, true);
	lapic(&f, 2, true);
	lapic(&f, 5, false);	   /* disabled: left out */
	io = entry(&f, 1, 12);	   /* an I/O APIC: skipped */
	io[2] = 9;
	x2apic(&f, 9, true);
	lapic(&f, 2, true);	   /* a duplicate */
	x2apic(&f, 300, true);	   /* beyond xAPIC's ids */
	entry(&f, 0x7f, 2);	   /* an unknown type */
	seal(&f);
	KT_EXPECT_EQ(parse(&f, out), 0);
	KT_EXPECT_EQ(out->n, 3);
	KT_EXPECT_EQ(out->apic_id[0], 0);
	KT_EXPECT_EQ(out->apic_id[1], 2);
	KT_EXPECT_EQ(out->apic_id[2], 9);
	KT_EXPECT_EQ(out->dropped, 0);

	/* an ACPI 1.0 RSDP: the RSDT alone */
	f.b[RSDP_OFF + 15] = 0;
	seal(&f);
	KT_EXPECT_EQ(parse(&f, out), 0);
	KT_EXPECT_EQ(out->n, 3);

	/* a damaged XSDT: the RSDT instead */
	f.b[RSDP_OFF + 15] = 2;
	seal(&f);
	f.b[XSDT_OFF + 20] ^= 1;
	KT_EXPECT_EQ(parse(&f, out), 0);
	KT_EXPECT_EQ(out->n, 3);
	fr_page_put(f.page);
	fr_kfree(out);
}

KTEST(acpi, at_most_max_cpus)
{
	struct acpi_cpus *out = FR_NEW(struct acpi_cpus);
	struct fake f;

	KT_ASSERT(out != NULL);
	if (!KT_EXPECT(fake_init(&f))) {
		fr_kfree(out);
		return;
	}
	for (unsigned i = 0; i < FR_MAX_CPUS + 6; i++)
		lapic(&f, (uint8_t)i, true);
	seal(&f);
	KT_EXPECT_EQ(parse(&f, out), 0);
	KT_EXPECT_EQ(out->n, FR_MAX_CPUS);
	KT_EXPECT_EQ(out->dropped, 6);
	KT_EXPECT_EQ(out->apic_id[FR_MAX_CPUS - 1], FR_MAX_CPUS - 1);
	fr_page_put(f.page);
	fr_kfree(out);
}

enum damage {
	RSDP_SUM,
	RSDP_OUT_OF_REACH,
	ROOTS_SUM,
	MADT_SUM,
	MADT_HUGE,
	MADT_SHORT,
	ENTRY_ZERO_LENGTH,
	ENTRY_OVERRUN,
	POINTER_OUT_OF_REACH,
	NO_ENABLED_CPU,
	NDAMAGE
};

/* Tables with one defect each: an error, no CPU, nothing read beyond. */
KTEST(acpi, damaged_tables_refused)
{
	static const int want[NDAMAGE] = {
		[RSDP_SUM] = -EINVAL,
		[RSDP_OUT_OF_REACH] = -EINVAL,
		[ROOTS_SUM] = -EINVAL,
		[MADT_SUM] = -ENOENT,
		[MADT_HUGE] = -ENOENT,
		[MADT_SHORT] = -EINVAL,
		[ENTRY_ZERO_LENGTH] = -EINVAL,
		[ENTRY_OVERRUN] = -EINVAL,
		[POINTER_OUT_OF_REACH] = -ENOENT,
		[NO_ENABLED_CPU] = -ENOENT,
	};
	struct acpi_cpus *out = FR_NEW(struct acpi_cpus);

	KT_ASSERT(out != NULL);
	for (int d = 0; d < NDAMAGE; d++) {
		struct fake f;
		uint64_t rsdp;
		uint8_t *e;
		int err;

		if (!KT_EXPECT(fake_init(&f)))
			break;
		rsdp = f.pa + RSDP_OFF;
		lapic(&f, 0, d != NO_ENABLED_CPU);
		e = entry(&f, 0, 8);
		seal(&f);
		switch (d) {
		case RSDP_SUM:
			f.b[RSDP_OFF + 9] ^= 0x20; /* OEM id */
			break;
		case RSDP_OUT_OF_REACH:
			rsdp = f.pa + FR_PAGE_SIZE - 8;
			break;
		case ROOTS_SUM:
			f.b[XSDT_OFF + 12] ^= 1;
			f.b[RSDT_OFF + 12] ^= 1;
			break;
		case MADT_SUM:
			f.b[MADT_OFF + 40] ^= 1;
			break;
		case MADT_HUGE:
			put32(f.b + MADT_OFF + 4, 0xfffffff0);
			break;
		case MADT_SHORT:
			put32(f.b + MADT_OFF + 4, 40);
			f.madt_len = 40;
			seal(&f);
			break;
		case ENTRY_ZERO_LENGTH:
			e[1] = 0;
			seal(&f);
			break;
		case ENTRY_OVERRUN:
			e[1] = 9; /* one byte past the table's end */
			seal(&f);
			break;
		case POINTER_OUT_OF_REACH:
			put64(f.b + XSDT_OFF + 36, f.pa + FR_PAGE_SIZE);
			put32(f.b + RSDT_OFF + 36, 0xfffff000);
			seal(&f);
			break;
		default:
			break;
		}
		memset(out, 0x5a, sizeof(*out));
		err = acpi_madt_cpus(rsdp, f.pa + FR_PAGE_SIZE, out);
		if (!KT_EXPECT_EQ(err, want[d]))
			fr_printk("#   damage %d\n", d);
		if (d == ROOTS_SUM || d == RSDP_SUM)
			KT_EXPECT_EQ(out->n, 0);
		fr_page_put(f.page);
	}
	fr_kfree(out);
}
