/*
 * What the boot loader handed over: the kernel command line and the
 * initramfs.  The services' entry point is declared here too.
 */
#ifndef FRAME_BOOT_H
#define FRAME_BOOT_H

#include <frame/types.h>

/*
 * fr_boot_cmdline - the kernel command line ("" when none).
 * Context: any, after boot.  The string lives for the kernel's lifetime.
 */
const char *fr_boot_cmdline(void);

/*
 * fr_boot_initrd - the initramfs image as read-only bytes.
 * Context: any.  Returns a span with len 0 when no initramfs was given.
 */
struct fr_bytes fr_boot_initrd(void);

/*
 * trellis_main - the services' entry point, called once by the frame on the
 * boot CPU after the frame is initialised, with interrupts enabled, in the
 * boot task.  Provided by the services, not by the frame.  Should not
 * return; if it does the machine powers off with status 0.
 */
void trellis_main(void);

#endif
