/*
 * Declarations shared by the hosted target's files only: the emulated
 * CPUs and their interrupt state, "physical memory" in a memfd, the
 * sanitizer annotations.  Frame-private; these files may use the host C
 * library.
 */
#ifndef FRAME_HOSTED_HOSTED_H
#define FRAME_HOSTED_HOSTED_H

#include "frame_internal.h"

/* "Physical" RAM starts at 1 MiB, as on a PC (the core keeps the first
 * MiB reserved); the memfd's offset 0 is this physical address. */
#define HOSTED_RAM_BASE 0x100000UL

/* Options of the trellis-hosted command line. */
struct hosted_options {
	uint64_t mem_bytes;
	unsigned ncpus;
	const char *initrd_path;
};

/* ---- memory.c ---- */

/* Create the RAM, load the initramfs, describe both in boot_info. */
void hosted_memory_init(const struct hosted_options *opt);

/* ---- cpu.c ---- */

/* Make the calling thread CPU 0 and start the timer; interrupts off. */
void hosted_cpus_init(unsigned ncpus);
/* The lowest address and size of the calling host thread's own stack. */
void hosted_thread_stack(uint64_t *bottom, uint64_t *size);
/* Raise device interrupt @line (delivered to CPU 0 at a safe point). */
void hosted_irq_raise(unsigned line);
/* Deliver pending interrupts now: called with interrupts enabled. */
void hosted_deliver_interrupts(void);
/* The timer event's deadline changed: the timer thread looks again. */
void hosted_timer_wake(void);

/* ---- console.c ---- */

/* Deliver standard input to the console's receive callback, if one is
 * set; in interrupt context on CPU 0's tick. */
void hosted_console_rx_tick(void);

/* ---- irq.c ---- */

/* One timer tick on the calling CPU, in interrupt context. */
void hosted_timer_tick(unsigned cpu);
/* Read the host's clocks at boot (before anything asks the time). */
void hosted_clock_init(void);
/* Tell the vDSO's data page about the clock (CPU 0 set up). */
void hosted_clock_publish(void);
/* The host's CLOCK_MONOTONIC at boot, in ns. */
uint64_t hosted_boot_monotonic_ns(void);
/* The timer event's deadline (monotonic ns since boot), UINT64_MAX: none. */
uint64_t hosted_event_deadline(void);
/* Whether the event is due at @now; if so it is taken (cleared). */
bool hosted_take_due_event(uint64_t now);
/* The event hook, on CPU 0 in interrupt context. */
void hosted_timer_event(void);
/* Device line @line fired, in interrupt context on CPU 0. */
void hosted_irq_dispatch(unsigned line);
/* Whether @line is unmasked (has a handler). */
bool hosted_irq_unmasked(unsigned line);

#endif
