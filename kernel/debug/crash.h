/* Deliberate kernel faults for testing the fault report. */
#ifndef KERNEL_DEBUG_CRASH_H
#define KERNEL_DEBUG_CRASH_H

/*
 * crash_on_request - fault in kernel code in the way @kind names
 * ("pagefault", "stack").  Returns only if the fault did not happen:
 * -EINVAL for an unknown kind, -1 otherwise.
 */
int crash_on_request(const char *kind);

#endif
