/*
 * The part of ACPI the frame reads: from the RSDP through the XSDT (or
 * RSDT) to the MADT, the list of the machine's CPUs (their local APIC
 * ids).  The tables come from the firmware and are not trusted: every
 * table is checked (bounds, length, checksum) before a byte of it is
 * used, and anything wrong gives an error and a log line, never a panic;
 * the caller then runs on the boot CPU alone.
 */
#include "frame_internal.h"
#include <libs/string.h>

#define SDT_HEADER 36
#define MADT_ENTRIES 44		   /* after the header, APIC address, flags */
#define TABLE_MAX (1u << 20)	   /* larger than any sane table */
#define MADT_LAPIC 0		   /* processor local APIC */
#define MADT_X2APIC 9		   /* processor local x2APIC */
#define MADT_ENABLED 1u
#define XAPIC_BROADCAST 0xff

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* [pa, pa + len) when it lies below @limit, else NULL. */
static const uint8_t *phys_bytes(uint64_t pa, uint64_t len, uint64_t limit)
{
	if (!len || pa >= limit || len > limit - pa)
		return NULL;
	return phys_to_virt(pa);
}

static bool sum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

bool acpi_rsdp_ok(uint64_t pa, uint64_t limit)
{
	const uint8_t *p = phys_bytes(pa, 20, limit);
	uint32_t len;

	if (!p || memcmp(p, "RSD PTR ", 8) || !sum_ok(p, 20))
		return false;
	if (p[15] < 2)
		return true; /* ACPI 1.0: 20 bytes */
	p = phys_bytes(pa, 36, limit);
	if (!p)
		return false;
	len = rd32(p + 20);
	return len >= 36 && len <= 4096 && phys_bytes(pa, len, limit) &&
	       sum_ok(p, len);
}

/*
 * The system description table at @pa if its signature is @sig; its
 * length in @len.  NULL when it is another table; NULL with *@len = 0
 * when it is this one but damaged (logged).
 */
static const uint8_t *sdt(uint64_t pa, const char *sig, uint64_t limit,
			  uint32_t *len)
{
	const uint8_t *h = phys_bytes(pa, SDT_HEADER, limit);

	*len = 0;
	if (!h) {
		fr_printk("acpi: a table at %lx is out of reach\n", pa);
		return NULL;
	}
	if (memcmp(h, sig, 4))
		return NULL;
	if (rd32(h + 4) < SDT_HEADER || rd32(h + 4) > TABLE_MAX ||
	    !phys_bytes(pa, rd32(h + 4), limit)) {
		fr_printk("acpi: %.4s at %lx: bad length %u\n", sig, pa,
			  rd32(h + 4));
		return NULL;
	}
	if (!sum_ok(h, rd32(h + 4))) {
		fr_printk("acpi: %.4s at %lx: bad checksum\n", sig, pa);
		return NULL;
	}
	*len = rd32(h + 4);
	return h;
}

static void add_cpu(struct acpi_cpus *out, uint32_t apic_id)
{
	if (apic_id >= XAPIC_BROADCAST)
		return; /* not reachable in xAPIC mode */
	for (unsigned i = 0; i < out->n; i++)
		if (out->apic_id[i] == apic_id)
			return;
	if (out->n == FR_MAX_CPUS) {
		out->dropped++;
		return;
	}
	out->apic_id[out->n++] = apic_id;
}

/* The enabled CPUs of the MADT @t of @len bytes; 0 or -EINVAL. */
static int madt_parse(const uint8_t *t, uint32_t len, struct acpi_cpus *out)
{
	uint32_t off = MADT_ENTRIES;

	if (len < MADT_ENTRIES) {
		fr_printk("acpi: MADT too short (%u bytes)\n", len);
		return -EINVAL;
	}
	while (off + 2 <= len) {
		uint8_t type = t[off], elen = t[off + 1];

		if (elen < 2 || elen > len - off) {
			fr_printk("acpi: MADT entry at offset %u has a bad "
				  "length %u\n", off, elen);
			return -EINVAL;
		}
		if (type == MADT_LAPIC && elen >= 8 &&
		    (rd32(t + off + 4) & MADT_ENABLED))
			add_cpu(out, t[off + 3]);
		else if (type == MADT_X2APIC && elen >= 16 &&
			 (rd32(t + off + 8) & MADT_ENABLED))
			add_cpu(out, rd32(t + off + 4));
		off += elen;
	}
	return 0;
}

int acpi_madt_cpus(uint64_t rsdp_pa, uint64_t limit, struct acpi_cpus *out)
{
	const uint8_t *rsdp, *root = NULL;
	unsigned entry_size = 8;
	uint32_t len = 0;

	memset(out, 0, sizeof(*out));
	if (!acpi_rsdp_ok(rsdp_pa, limit)) {
		fr_printk("acpi: no valid RSDP at %lx\n", rsdp_pa);
		return -EINVAL;
	}
	rsdp = phys_to_virt(rsdp_pa);
	if (rsdp[15] >= 2 && rd64(rsdp + 24))
		root = sdt(rd64(rsdp + 24), "XSDT", limit, &len);
	if (!root || !len) {
		entry_size = 4;
		root = sdt(rd32(rsdp + 16), "RSDT", limit, &len);
	}
	if (!root || !len) {
		fr_printk("acpi: no valid XSDT or RSDT\n");
		return -EINVAL;
	}
	for (uint32_t off = SDT_HEADER; off + entry_size <= len;
	     off += entry_size) {
		uint64_t pa = entry_size == 8 ? rd64(root + off)
					      : rd32(root + off);
		uint32_t mlen;
		const uint8_t *madt = sdt(pa, "APIC", limit, &mlen);
		int err;

		if (!madt)
			continue;
		err = madt_parse(madt, mlen, out);
		if (err)
			return err;
		if (!out->n) {
			fr_printk("acpi: the MADT lists no enabled CPU\n");
			return -ENOENT;
		}
		return 0;
	}
	fr_printk("acpi: no valid MADT\n");
	return -ENOENT;
}
