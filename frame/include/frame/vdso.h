/*
 * The vDSO: a small shared object the frame builds and keeps in memory,
 * which user programs call instead of making some system calls (Linux's
 * __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time, __vdso_getcpu
 * and __vdso_clock_getres, version LINUX_2.6), and its data page, which
 * the frame's timekeeping keeps current.
 *
 * The vDSO is a block of pages: FR_VDSO_VVAR_PAGES data pages first (the
 * "[vvar]" of /proc/PID/maps), then the code (the "[vdso]", an ELF image
 * whose header starts the first code page: AT_SYSINFO_EHDR points there).
 * The code finds its data at a fixed distance below itself, so the block
 * is mapped as a whole, in this order, at an address the services choose.
 * The pages are the frame's: they are never mapped writable (through any
 * call of <frame/vm.h>) nor written by fr_vm_space_write, and outlive every
 * mapping of them.
 */
#ifndef FRAME_VDSO_H
#define FRAME_VDSO_H

#include <frame/types.h>
#include <frame/vm.h>

/* The data pages at the start of the block. */
#define FR_VDSO_VVAR_PAGES 1

/*
 * fr_vdso_npages - the number of pages of the vDSO block (data pages and
 * code), or 0 before the page policy is injected.  Context: any.
 */
size_t fr_vdso_npages(void);

/*
 * fr_vdso_map - map page @index of the vDSO block at the page-aligned
 * user address @va of @vs, with @prot restricted to what the page allows
 * (data pages: FR_PROT_READ; code pages: FR_PROT_READ | FR_PROT_EXEC).
 * Services map page i of the block at base + i * FR_PAGE_SIZE.
 * Context: task context.  Returns 0; -EACCES when @prot asks for
 * FR_PROT_WRITE; -EINVAL for an index beyond the block or a bad address;
 * -EEXIST when a page is mapped there; -ENOMEM.
 */
int fr_vdso_map(struct fr_vm_space *vs, fr_uaddr_t va, size_t index,
		unsigned prot) FR_MUST_CHECK;

/*
 * fr_vdso_set_realtime_offset - publish the difference between
 * CLOCK_REALTIME and CLOCK_MONOTONIC (ns) that the vDSO adds for the
 * realtime clocks.  The services own the wall clock (settimeofday); they
 * publish each change.  Context: any.
 */
void fr_vdso_set_realtime_offset(int64_t off_ns);

#endif
