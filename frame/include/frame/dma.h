/*
 * DMA buffers: memory that a device reads or writes by itself, at the
 * device address the frame gives (on x86-64 without an IOMMU, the
 * physical address).  A buffer is physically contiguous, page-aligned,
 * zero-filled frame pages, so a device never sees another owner's data.
 *
 * Its direction is in its handle type (<frame/rights.h>): fr_dma_to_dev,
 * the CPU fills it (and may read it back) and the device reads it;
 * fr_dma_from_dev, the device fills it and the CPU may only read it;
 * fr_dma_bidir, both read and write it; fr_dma_any, what every direction
 * may do: read it from the CPU, give its device address and size, free it.
 * A bidirectional buffer weakens for free to either direction
 * (fr_dma_to_dev_of(), fr_dma_from_dev_of()), and every handle to
 * fr_dma_any (fr_dma_any_of()); no direction turns into another.  A CPU
 * write to a from-device buffer does not compile.  The operations below
 * are macros that take any handle with the right.
 *
 * The frame cannot see what a device does: the driver must stop a
 * device's use of a buffer before freeing it.  x86-64 DMA is cache
 * coherent, so no synchronisation calls are needed between the CPU and
 * the device; the CPU's accesses are ordinary memory accesses, ordered
 * before a later MMIO write that starts the device (<frame/io.h>).
 */
#ifndef FRAME_DMA_H
#define FRAME_DMA_H

#include <frame/types.h>
#include <frame/rights.h>

struct fr_dma_buf; /* one DMA buffer (opaque) */

/* The address a device uses for a buffer: a number for the device, never
 * a pointer the kernel may follow. */
typedef uint64_t fr_dma_addr_t;

FR_HANDLE(fr_dma_to_dev, struct fr_dma_buf);
FR_HANDLE(fr_dma_from_dev, const struct fr_dma_buf);
FR_HANDLE(fr_dma_bidir, struct fr_dma_buf);
FR_HANDLE(fr_dma_any, const struct fr_dma_buf);

/* The free conversions that drop rights. */
static inline fr_dma_to_dev fr_dma_bidir_to_dev(fr_dma_bidir buf)
{
	return (fr_dma_to_dev){ buf.obj };
}

static inline fr_dma_from_dev fr_dma_bidir_from_dev(fr_dma_bidir buf)
{
	return (fr_dma_from_dev){ buf.obj };
}

static inline fr_dma_to_dev fr_dma_to_dev_same(fr_dma_to_dev buf)
{
	return buf;
}

static inline fr_dma_from_dev fr_dma_from_dev_same(fr_dma_from_dev buf)
{
	return buf;
}

static inline fr_dma_any fr_dma_to_dev_any(fr_dma_to_dev buf)
{
	return (fr_dma_any){ buf.obj };
}

static inline fr_dma_any fr_dma_from_dev_any(fr_dma_from_dev buf)
{
	return (fr_dma_any){ buf.obj };
}

static inline fr_dma_any fr_dma_bidir_any(fr_dma_bidir buf)
{
	return (fr_dma_any){ buf.obj };
}

static inline fr_dma_any fr_dma_any_same(fr_dma_any buf)
{
	return buf;
}

/* fr_dma_to_dev_of / fr_dma_from_dev_of - a direction of a bidirectional
 * buffer (or of one that already has it). */
#define fr_dma_to_dev_of(buf)                                                  \
	_Generic((buf), fr_dma_to_dev: fr_dma_to_dev_same,                     \
		 fr_dma_bidir: fr_dma_bidir_to_dev)(buf)
#define fr_dma_from_dev_of(buf)                                                \
	_Generic((buf), fr_dma_from_dev: fr_dma_from_dev_same,                 \
		 fr_dma_bidir: fr_dma_bidir_from_dev)(buf)

/* fr_dma_any_of - any DMA handle as fr_dma_any. */
#define fr_dma_any_of(buf)                                                     \
	_Generic((buf), fr_dma_to_dev: fr_dma_to_dev_any,                      \
		 fr_dma_from_dev: fr_dma_from_dev_any,                         \
		 fr_dma_bidir: fr_dma_bidir_any, fr_dma_any: fr_dma_any_same)(buf)

/*
 * fr_dma_alloc_to_dev / fr_dma_alloc_from_dev / fr_dma_alloc_bidir -
 * allocate a zero-filled DMA buffer of @size bytes (whole pages, physically
 * contiguous, page-aligned) for the direction the name gives.
 * Context: does not sleep.  Returns the handle, or one for which
 * FR_HANDLE_IS_NONE() is true when @size is 0, larger than 4 MiB, or memory
 * is exhausted.
 */
fr_dma_to_dev fr_dma_alloc_to_dev(size_t size) FR_MUST_CHECK;
fr_dma_from_dev fr_dma_alloc_from_dev(size_t size) FR_MUST_CHECK;
fr_dma_bidir fr_dma_alloc_bidir(size_t size) FR_MUST_CHECK;

/*
 * fr_dma_free - free a DMA buffer; none of its handles may be used any
 * more, and no device may still use it.  Rights: any handle.  Context:
 * does not sleep.  A handle that refers to nothing is ignored.
 */
void fr_dma_free(fr_dma_any buf);
#define fr_dma_free(buf) fr_dma_free(fr_dma_any_of(buf))

/*
 * fr_dma_addr - the device address of the buffer's first byte, to give to
 * the device.  Rights: any handle.  Context: any.  Returns 0 for a handle
 * that refers to nothing.
 */
fr_dma_addr_t fr_dma_addr(fr_dma_any buf);
#define fr_dma_addr(buf) fr_dma_addr(fr_dma_any_of(buf))

/*
 * fr_dma_size - the size in bytes asked for at allocation (0 for a handle
 * that refers to nothing).  Rights: any handle.  Context: any.
 */
size_t fr_dma_size(fr_dma_any buf);
#define fr_dma_size(buf) fr_dma_size(fr_dma_any_of(buf))

/*
 * fr_dma_read - copy @len bytes at byte @off of the buffer to @dst (what
 * the device wrote, or the CPU before it).  Rights: any handle.  Context:
 * any.  Returns 0, or -EINVAL when [off, off + len) leaves the buffer or
 * the handle refers to nothing.
 */
int fr_dma_read(fr_dma_any buf, size_t off, void *dst, size_t len);
#define fr_dma_read(buf, off, dst, len)                                        \
	fr_dma_read(fr_dma_any_of(buf), off, dst, len)

/*
 * fr_dma_write - copy @len bytes from @src to byte @off of the buffer, for
 * the device to read.  Rights: fr_dma_to_dev or fr_dma_bidir; a
 * from-device buffer is the device's to write.  Context: any.  Returns 0,
 * or -EINVAL when [off, off + len) leaves the buffer or the handle refers
 * to nothing.
 */
int fr_dma_write(fr_dma_to_dev buf, size_t off, const void *src, size_t len);
static inline int fr_dma_write_bidir(fr_dma_bidir buf, size_t off,
				     const void *src, size_t len)
{
	return fr_dma_write(fr_dma_bidir_to_dev(buf), off, src, len);
}
int fr_denied_dma_write_from_dev(fr_dma_from_dev buf, size_t off,
				 const void *src, size_t len)
	FR_DENIED("fr_dma_write: the CPU may not write a from-device DMA "
		  "buffer (fr_dma_from_dev); it needs fr_dma_to_dev or "
		  "fr_dma_bidir");
int fr_denied_dma_write_any(fr_dma_any buf, size_t off, const void *src,
			    size_t len)
	FR_DENIED("fr_dma_write: fr_dma_any has no right to write; it needs "
		  "fr_dma_to_dev or fr_dma_bidir");
#define fr_dma_write(buf, off, src, len)                                       \
	_Generic((buf), fr_dma_to_dev: fr_dma_write,                           \
		 fr_dma_bidir: fr_dma_write_bidir,                             \
		 fr_dma_from_dev: fr_denied_dma_write_from_dev,                \
		 fr_dma_any: fr_denied_dma_write_any)(buf, off, src, len)

#endif
