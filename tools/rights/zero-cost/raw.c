/*
 * Zero-cost check, raw side: the functions of handle.c written with raw
 * pointers to the same opaque objects, calling functions of the same
 * names that take raw pointers.  It includes no header that declares the
 * handles.  tools/rights/check-zero-cost.sh requires the same machine code.
 */
#include <frame/types.h>

struct fr_segment;
struct fr_dma_buf;
struct fr_mmio;
struct cred;

size_t fr_segment_npages(const struct fr_segment *seg);
int fr_segment_read(const struct fr_segment *seg, size_t off, void *dst,
		    size_t len);
int fr_segment_write(struct fr_segment *seg, size_t off, const void *src,
		     size_t len);
uint8_t fr_mmio_read8(const struct fr_mmio *win, size_t off);
uint32_t fr_mmio_read32(const struct fr_mmio *win, size_t off);
uint64_t fr_mmio_read64(const struct fr_mmio *win, size_t off);
void fr_mmio_write32(struct fr_mmio *win, size_t off, uint32_t val);
void fr_mmio_write64(struct fr_mmio *win, size_t off, uint64_t val);
int fr_dma_write(struct fr_dma_buf *buf, size_t off, const void *src,
		 size_t len);
int fr_dma_read(const struct fr_dma_buf *buf, size_t off, void *dst,
		size_t len);
uint64_t fr_dma_addr(const struct fr_dma_buf *buf);
uint32_t cred_euid(const struct cred *c);
bool cred_in_group(const struct cred *c, uint32_t gid);
int cred_setresuid(struct cred *c, uint32_t ruid, uint32_t euid,
		   uint32_t suid);

struct zc_dev {
	struct fr_mmio *regs;
	const struct fr_dma_buf *rx;
	const struct fr_segment *shared;
};

int zc_segment_copy(struct fr_segment *seg, size_t from, size_t to);
size_t zc_segment_pages(struct fr_segment *seg);
uint32_t zc_mmio_command(struct fr_mmio *regs, uint32_t cmd);
uint64_t zc_mmio_status(const struct fr_mmio *regs);
int zc_dma_submit(struct fr_dma_buf *buf, const void *src, size_t len,
		  struct fr_mmio *regs);
uint64_t zc_dev_receive(struct zc_dev *d);
void zc_dev_share(struct zc_dev *d, struct fr_segment *seg,
		  struct fr_dma_buf *ring);
bool zc_cred_may(struct cred *c, uint32_t gid);
int zc_cred_drop(struct cred *c, uint32_t uid);

int zc_segment_copy(struct fr_segment *seg, size_t from, size_t to)
{
	uint64_t v;
	int err = fr_segment_read(seg, from, &v, sizeof(v));

	if (err)
		return err;
	return fr_segment_write(seg, to, &v, sizeof(v));
}

size_t zc_segment_pages(struct fr_segment *seg)
{
	return fr_segment_npages(seg);
}

uint32_t zc_mmio_command(struct fr_mmio *regs, uint32_t cmd)
{
	fr_mmio_write32(regs, 0x10, cmd);
	return fr_mmio_read32(regs, 0x14);
}

uint64_t zc_mmio_status(const struct fr_mmio *regs)
{
	return fr_mmio_read64(regs, 0) | fr_mmio_read8(regs, 8);
}

int zc_dma_submit(struct fr_dma_buf *buf, const void *src, size_t len,
		  struct fr_mmio *regs)
{
	int err = fr_dma_write(buf, 0, src, len);

	if (err)
		return err;
	fr_mmio_write64(regs, 0x20, fr_dma_addr(buf));
	return 0;
}

uint64_t zc_dev_receive(struct zc_dev *d)
{
	uint64_t v = 0;

	if (fr_dma_read(d->rx, 0, &v, sizeof(v)))
		return 0;
	return v + fr_mmio_read64(d->regs, 8) + fr_segment_npages(d->shared);
}

void zc_dev_share(struct zc_dev *d, struct fr_segment *seg,
		  struct fr_dma_buf *ring)
{
	d->shared = seg;
	d->rx = ring;
}

bool zc_cred_may(struct cred *c, uint32_t gid)
{
	return cred_euid(c) == 0 || cred_in_group(c, gid);
}

int zc_cred_drop(struct cred *c, uint32_t uid)
{
	return cred_setresuid(c, uid, uid, uid);
}
