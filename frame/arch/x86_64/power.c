/*
 * Powering off: QEMU's isa-debug-exit device carries the status to the
 * host; without it, ACPI-less QEMU shutdown ports are tried, then the CPU
 * halts.
 */
#include "x86.h"
#include "x86_internal.h"
#include <frame/power.h>

void fr_poweroff(int code)
{
	cli();
	outl(0xf4, (uint32_t)code & 0xff);
	/* no debug-exit device: QEMU's ACPI PM1a control (PIIX4 / ICH9) */
	outw(0x604, 0x2000);
	outw(0xb004, 0x2000);
	for (;;)
		hlt();
}
