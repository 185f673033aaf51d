/*
 * DMA buffers (<frame/dma.h>): zero-filled runs of contiguous frame pages
 * whose device address is their physical address.  The same code serves
 * both targets: in the hosted one the pages are the RAM memfd's, and the
 * device address is the page's offset in it plus the RAM base, as a device
 * emulated on that memfd would use it.
 */
#include "frame_internal.h"
#include <frame/dma.h>
#include <libs/string.h>

enum dma_dir {
	DMA_TO_DEV,
	DMA_FROM_DEV,
	DMA_BIDIR,
};

struct fr_dma_buf {
	struct page_run run;
	size_t size;	  /* bytes asked for; accesses stay below it */
	enum dma_dir dir; /* as allocated (for an IOMMU or cache upkeep) */
};

static struct fr_dma_buf *dma_alloc(size_t size, enum dma_dir dir)
{
	struct fr_dma_buf *buf;

	if (!size || size > CONTIG_MAX_PAGES * FR_PAGE_SIZE)
		return NULL;
	buf = FR_NEW(struct fr_dma_buf);
	if (!buf)
		return NULL;
	buf->run = contig_alloc(FR_ALIGN_UP(size, FR_PAGE_SIZE) >> FR_PAGE_SHIFT,
				true);
	if (!buf->run.first) {
		fr_kfree(buf);
		return NULL;
	}
	buf->size = size;
	buf->dir = dir;
	return buf;
}

fr_dma_to_dev fr_dma_alloc_to_dev(size_t size)
{
	return (fr_dma_to_dev){ dma_alloc(size, DMA_TO_DEV) };
}

fr_dma_from_dev fr_dma_alloc_from_dev(size_t size)
{
	return (fr_dma_from_dev){ dma_alloc(size, DMA_FROM_DEV) };
}

fr_dma_bidir fr_dma_alloc_bidir(size_t size)
{
	return (fr_dma_bidir){ dma_alloc(size, DMA_BIDIR) };
}

void (fr_dma_free)(fr_dma_any buf)
{
	struct fr_dma_buf *b = (struct fr_dma_buf *)buf.obj;

	if (!b)
		return;
	contig_free(b->run);
	fr_kfree(b);
}

fr_dma_addr_t (fr_dma_addr)(fr_dma_any buf)
{
	if (!buf.obj)
		return 0;
	return pfn_to_pa(fr_page_pfn(buf.obj->run.first));
}

size_t (fr_dma_size)(fr_dma_any buf)
{
	return buf.obj ? buf.obj->size : 0;
}

static bool dma_span_ok(const struct fr_dma_buf *b, size_t off, size_t len)
{
	return b && off <= b->size && len <= b->size - off;
}

int (fr_dma_read)(fr_dma_any buf, size_t off, void *dst, size_t len)
{
	if (!dma_span_ok(buf.obj, off, len))
		return -EINVAL;
	memcpy(dst, (const uint8_t *)page_address(buf.obj->run.first) + off,
	       len);
	return 0;
}

int (fr_dma_write)(fr_dma_to_dev buf, size_t off, const void *src, size_t len)
{
	if (!dma_span_ok(buf.obj, off, len))
		return -EINVAL;
	memcpy((uint8_t *)page_address(buf.obj->run.first) + off, src, len);
	return 0;
}
