/*
 * Device registers in memory space: MMIO windows.
 *
 * A window is a physical range of device memory that the frame maps
 * uncached into kernel space.  Services never see it as a pointer: they
 * read and write it with the accessors below, 8, 16, 32 or 64 bits at a
 * naturally aligned byte offset inside the window.  Its handle type
 * carries the rights (<frame/rights.h>): a read-write window (fr_mmio_rw)
 * may be read, written and unmapped; a read-only one (fr_mmio_ro), handed
 * to a service that may only look at a device's registers, may only be
 * read.  fr_mmio_ro_of(win) weakens either handle for free; a write
 * through fr_mmio_ro does not compile.
 *
 * The frame maps only ranges that are not memory: a range that touches RAM
 * (usable or the firmware's), the first MiB, or a device the frame keeps
 * for itself (the interrupt controllers) is refused, so no service reaches
 * kernel memory through a window.  Until devices are handed out by a bus
 * driver, any service may map any other range.
 *
 * An access outside the window (or misaligned, or through a handle that
 * refers to nothing) is not made: it is logged, a read returns all ones
 * (what a missing device answers) and a write is dropped.
 *
 * The hosted target has no devices: fr_mmio_map logs why and returns
 * -ENODEV.
 */
#ifndef FRAME_IO_H
#define FRAME_IO_H

#include <frame/types.h>
#include <frame/rights.h>

struct fr_mmio; /* one mapped window (opaque) */

FR_HANDLE_PAIR(fr_mmio_ro, fr_mmio_rw, struct fr_mmio);
#define fr_mmio_ro_of(win) FR_TO_RO(fr_mmio_ro, fr_mmio_rw, win)

/* The largest window, and how many may be mapped at once. */
#define FR_MMIO_MAX_LEN (1UL << 30)
#define FR_MMIO_MAX_WINDOWS 64

/*
 * fr_mmio_map - map the @len bytes of device memory at physical address
 * @phys and store the read-write window in @win.
 * Context: task context; does not sleep.  Returns 0; -EINVAL when @win is
 * NULL, @len is 0 or larger than FR_MMIO_MAX_LEN, or the range wraps or
 * lies beyond the CPU's physical addresses; -EACCES when it touches RAM, the first MiB or
 * a device of the frame; -ENOSPC when FR_MMIO_MAX_WINDOWS are mapped;
 * -ENOMEM when a page table cannot be made; -ENODEV in the hosted target.
 * On error @win refers to nothing.
 */
int fr_mmio_map(uint64_t phys, size_t len, fr_mmio_rw *win) FR_MUST_CHECK;

/*
 * fr_mmio_unmap - remove a window; none of its handles may be used any
 * more.  Rights: fr_mmio_rw.  Context: task context, with no other CPU
 * using the window.  A handle that refers to nothing is ignored.
 */
void fr_mmio_unmap(fr_mmio_rw win);
void fr_denied_mmio_unmap(fr_mmio_ro win)
	FR_DENIED("fr_mmio_unmap: needs a read-write window (fr_mmio_rw); a "
		  "read-only one (fr_mmio_ro) cannot unmap it");
#define fr_mmio_unmap(win)                                                     \
	_Generic((win), fr_mmio_rw: fr_mmio_unmap,                             \
		 fr_mmio_ro: fr_denied_mmio_unmap)(win)

/*
 * fr_mmio_size - the window's length in bytes (0 for a handle that refers
 * to nothing).  Rights: either handle.  Context: any.
 */
size_t fr_mmio_size(fr_mmio_ro win);
#define fr_mmio_size(win) fr_mmio_size(fr_mmio_ro_of(win))

/*
 * fr_mmio_read8 / fr_mmio_read16 / fr_mmio_read32 / fr_mmio_read64 - read
 * the device register at byte @off of the window.  Rights: either handle.
 * Context: any.  Returns the value; all ones (and a log line) when the
 * access leaves the window, is misaligned or the handle refers to nothing.
 */
uint8_t fr_mmio_read8(fr_mmio_ro win, size_t off);
uint16_t fr_mmio_read16(fr_mmio_ro win, size_t off);
uint32_t fr_mmio_read32(fr_mmio_ro win, size_t off);
uint64_t fr_mmio_read64(fr_mmio_ro win, size_t off);
#define fr_mmio_read8(win, off) fr_mmio_read8(fr_mmio_ro_of(win), off)
#define fr_mmio_read16(win, off) fr_mmio_read16(fr_mmio_ro_of(win), off)
#define fr_mmio_read32(win, off) fr_mmio_read32(fr_mmio_ro_of(win), off)
#define fr_mmio_read64(win, off) fr_mmio_read64(fr_mmio_ro_of(win), off)

/*
 * fr_mmio_write8 / fr_mmio_write16 / fr_mmio_write32 / fr_mmio_write64 -
 * write @val to the device register at byte @off of the window, after
 * every memory access the CPU made before (a DMA buffer filled for the
 * device is complete when the device is told).  Rights: fr_mmio_rw.
 * Context: any.  Returns nothing; an access that leaves the window, is
 * misaligned or has a handle that refers to nothing is logged and dropped.
 */
void fr_mmio_write8(fr_mmio_rw win, size_t off, uint8_t val);
void fr_mmio_write16(fr_mmio_rw win, size_t off, uint16_t val);
void fr_mmio_write32(fr_mmio_rw win, size_t off, uint32_t val);
void fr_mmio_write64(fr_mmio_rw win, size_t off, uint64_t val);
void fr_denied_mmio_write8(fr_mmio_ro win, size_t off, uint8_t val)
	FR_DENIED("fr_mmio_write8: needs a read-write window (fr_mmio_rw); a "
		  "read-only one (fr_mmio_ro) cannot be written");
void fr_denied_mmio_write16(fr_mmio_ro win, size_t off, uint16_t val)
	FR_DENIED("fr_mmio_write16: needs a read-write window (fr_mmio_rw); a "
		  "read-only one (fr_mmio_ro) cannot be written");
void fr_denied_mmio_write32(fr_mmio_ro win, size_t off, uint32_t val)
	FR_DENIED("fr_mmio_write32: needs a read-write window (fr_mmio_rw); a "
		  "read-only one (fr_mmio_ro) cannot be written");
void fr_denied_mmio_write64(fr_mmio_ro win, size_t off, uint64_t val)
	FR_DENIED("fr_mmio_write64: needs a read-write window (fr_mmio_rw); a "
		  "read-only one (fr_mmio_ro) cannot be written");
#define fr_mmio_write8(win, off, val)                                          \
	_Generic((win), fr_mmio_rw: fr_mmio_write8,                            \
		 fr_mmio_ro: fr_denied_mmio_write8)(win, off, val)
#define fr_mmio_write16(win, off, val)                                         \
	_Generic((win), fr_mmio_rw: fr_mmio_write16,                           \
		 fr_mmio_ro: fr_denied_mmio_write16)(win, off, val)
#define fr_mmio_write32(win, off, val)                                         \
	_Generic((win), fr_mmio_rw: fr_mmio_write32,                           \
		 fr_mmio_ro: fr_denied_mmio_write32)(win, off, val)
#define fr_mmio_write64(win, off, val)                                         \
	_Generic((win), fr_mmio_rw: fr_mmio_write64,                           \
		 fr_mmio_ro: fr_denied_mmio_write64)(win, off, val)

#endif
