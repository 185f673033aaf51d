/*
 * Zero-cost check, handle side: small functions written with the rights
 * handles of <frame/mm.h>, <frame/dma.h>, <frame/io.h> and cred.h, their
 * _Generic dispatch and free weakenings.  raw.c is the same code with raw
 * pointers; tools/rights/check-zero-cost.sh compiles both with the
 * kernel's flags and requires the same machine code.
 */
#include <frame/dma.h>
#include <frame/io.h>
#include <frame/mm.h>
#include "security/cred.h"

struct zc_dev {
	fr_mmio_rw regs;
	fr_dma_from_dev rx;
	fr_segment_ro shared;
};

int zc_segment_copy(fr_segment_rw seg, size_t from, size_t to);
size_t zc_segment_pages(fr_segment_rw seg);
uint32_t zc_mmio_command(fr_mmio_rw regs, uint32_t cmd);
uint64_t zc_mmio_status(fr_mmio_ro regs);
int zc_dma_submit(fr_dma_bidir buf, const void *src, size_t len,
		  fr_mmio_rw regs);
uint64_t zc_dev_receive(struct zc_dev *d);
void zc_dev_share(struct zc_dev *d, fr_segment_rw seg, fr_dma_bidir ring);
bool zc_cred_may(cred_rw c, kgid_t gid);
int zc_cred_drop(cred_rw c, kuid_t uid);

/* read through the weakened handle, write through the rw one */
int zc_segment_copy(fr_segment_rw seg, size_t from, size_t to)
{
	uint64_t v;
	int err = fr_segment_read(seg, from, &v, sizeof(v));

	if (err)
		return err;
	return fr_segment_write(seg, to, &v, sizeof(v));
}

size_t zc_segment_pages(fr_segment_rw seg)
{
	return fr_segment_npages(fr_segment_ro_of(seg));
}

uint32_t zc_mmio_command(fr_mmio_rw regs, uint32_t cmd)
{
	fr_mmio_write32(regs, 0x10, cmd);
	return fr_mmio_read32(regs, 0x14);
}

uint64_t zc_mmio_status(fr_mmio_ro regs)
{
	return fr_mmio_read64(regs, 0) | fr_mmio_read8(regs, 8);
}

/* a bidirectional buffer written as to-device, its address to the device */
int zc_dma_submit(fr_dma_bidir buf, const void *src, size_t len,
		  fr_mmio_rw regs)
{
	int err = fr_dma_write(buf, 0, src, len);

	if (err)
		return err;
	fr_mmio_write64(regs, 0x20, fr_dma_addr(buf));
	return 0;
}

/* handles stored in a struct */
uint64_t zc_dev_receive(struct zc_dev *d)
{
	uint64_t v = 0;

	if (fr_dma_read(d->rx, 0, &v, sizeof(v)))
		return 0;
	return v + fr_mmio_read64(d->regs, 8) + fr_segment_npages(d->shared);
}

void zc_dev_share(struct zc_dev *d, fr_segment_rw seg, fr_dma_bidir ring)
{
	d->shared = fr_segment_ro_of(seg);
	d->rx = fr_dma_from_dev_of(ring);
}

bool zc_cred_may(cred_rw c, kgid_t gid)
{
	cred_r r = cred_r_of(c);

	return cred_euid(r) == 0 || cred_in_group(c, gid);
}

int zc_cred_drop(cred_rw c, kuid_t uid)
{
	return cred_setresuid(c, uid, uid, uid);
}
