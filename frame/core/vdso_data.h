/*
 * The vDSO's data page ("[vvar]"), written by the frame's timekeeping
 * and read by the vDSO in user mode (frame/arch/x86_64/vdso/): how to turn
 * the TSC into the monotonic clock, and the realtime offset.  The frame
 * writes it under a sequence count: @seq is odd while a change is under
 * way, and readers retry when it was odd or changed across their read.
 * Frame-private; the vDSO includes it too, so it needs only <stdint.h>.
 */
#ifndef FRAME_CORE_VDSO_DATA_H
#define FRAME_CORE_VDSO_DATA_H

#include <stdint.h>

/* The data pages come first in the vDSO block, the code after them. */
#define VDSO_VVAR_PAGES 1

/* How the vDSO reads the clocks. */
#define VDSO_CLOCK_NONE 0 /* it cannot: every call is a system call */
#define VDSO_CLOCK_TSC 1  /* monotonic = (tsc - tsc_base) * mult >> 32 */

struct vdso_data {
	uint32_t seq;		 /* odd while the frame changes the page */
	uint32_t clock_mode;	 /* VDSO_CLOCK_* */
	uint64_t tsc_base;	 /* the TSC at monotonic time 0 */
	uint64_t mult;		 /* TSC counts to ns (time_math.h) */
	uint64_t hres_ns;	 /* resolution of the fine clocks */
	uint64_t tick_ns;	 /* resolution of the coarse clocks */
	int64_t realtime_offset; /* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
};

#endif
