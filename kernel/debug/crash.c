/*
 * Deliberate kernel faults, asked for with "trellis.crash=<kind>" on the
 * command line, so that the tests can check what a fault in kernel code
 * reports: the registers and a symbolized backtrace, then a clean stop.
 *
 *   pagefault  write through a NULL object pointer
 *   stack      unbounded recursion into the kernel stack's guard page
 *
 * They are ordinary C bugs of the kind a service might have; the frame,
 * not this file, turns them into a report.
 */
#include <frame/log.h>
#include <libs/string.h>
#include <asm-generic/errno.h>
#include "debug/crash.h"

struct crash_record {
	long pad;
	long value;
};

/* Never set by anyone: a NULL the compiler cannot see through. */
struct crash_record *crash_record_target;
/* Larger than any kernel stack can hold. */
unsigned long crash_recursion_limit = 1UL << 40;

static __attribute__((noinline)) void crash_write_record(long value)
{
	crash_record_target->value = value;
}

static __attribute__((noinline)) unsigned long
crash_recurse(unsigned long depth)
{
	char frame_filler[256];

	memset(frame_filler, (int)depth, sizeof(frame_filler));
	if (depth >= crash_recursion_limit)
		return frame_filler[depth % sizeof(frame_filler)];
	return crash_recurse(depth + 1) + frame_filler[0];
}

int crash_on_request(const char *kind)
{
	fr_printk("trellis: deliberate kernel fault: %s\n", kind);
	if (!strcmp(kind, "pagefault")) {
		crash_write_record(1);
	} else if (!strcmp(kind, "stack")) {
		crash_recurse(0);
	} else {
		fr_printk("trellis: unknown trellis.crash kind '%s'\n", kind);
		return -EINVAL;
	}
	fr_printk("trellis: the deliberate fault did not happen\n");
	return -1;
}
