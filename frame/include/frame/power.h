/*
 * Powering the machine off.
 */
#ifndef FRAME_POWER_H
#define FRAME_POWER_H

#include <frame/types.h>

/*
 * fr_poweroff - stop the machine, reporting @code to the host.
 * Context: any.  In QEMU the code reaches the host through the
 * isa-debug-exit device (host exit status (code << 1) | 1); the hosted
 * target exits the process with @code.  Never returns.
 */
FR_NORETURN void fr_poweroff(int code);

#endif
