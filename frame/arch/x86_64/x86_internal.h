/*
 * Declarations shared by the x86-64 target's files only: descriptor
 * tables, traps, the PIC and PIT, kernel page tables, the serial port and
 * the entry code in entry.S.  Frame-private.
 */
#ifndef FRAME_ARCH_X86_64_X86_INTERNAL_H
#define FRAME_ARCH_X86_64_X86_INTERNAL_H

#include "frame_internal.h"

#define BOOT_STACK_BYTES (16 * 1024)
extern uint8_t fr_boot_stack_bottom[];

/* ---- paging ---- */

void paging_init(void);
/* Map 4 KiB kernel pages (stacks); flags are PTE bits.  Removing one
 * goes through a TLB shootdown (paging.c). */
int kernel_map_page(uint64_t va, uint64_t pa, uint64_t flags);
uint64_t kernel_pml4_pa(void);

/* ---- FPU state (FXSAVE areas) ---- */

void arch_fpu_save(uint8_t *area);
void arch_fpu_restore(const uint8_t *area);
void arch_fpu_init_state(uint8_t *area);

/* ---- traps ---- */

struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

void gdt_init(void);
void idt_init(void);
void syscall_init(void);
void pic_init(void);
void pit_init(void);
/* Busy-wait @us microseconds on the PIT's counter (interrupts on or off). */
void pit_delay_us(uint64_t us);
void pic_unmask(unsigned line);
void pic_mask(unsigned line);
void pic_eoi(unsigned line);
void irq_dispatch(unsigned line);
bool user_fault_fixup(struct trapframe *tf, uint64_t addr);

/* ---- the PIT as a reference for calibrations (pic_pit.c) ---- */

#define PIT_HZ 1193182
/* A span measured on the PIT's counter: the counts it took so far. */
struct pit_window {
	unsigned prev;
	uint64_t done;
};
/* Start @w right after the count changes (interrupts on or off). */
void pit_window_start(struct pit_window *w);
/* Add the counts since the last look; whether @counts are done.  Each
 * look must come less than 1 / FR_TICK_HZ s after the previous one. */
bool pit_window_done(struct pit_window *w, uint64_t counts);

/* ---- time: the TSC (tsc.c), the RTC (rtc.c), the tick and timer
 * events (timer.c) ---- */

/* Whether the command line has the word @word (e.g. "notsc"). */
bool boot_param(const char *word);
/* Calibrate the TSC and make it the monotonic clock when usable. */
void tsc_init(void);
/* Whether fr_monotonic_ns() reads the TSC. */
bool tsc_clock(void);
/* The TSC's rate (0 when it is not the clock). */
uint64_t tsc_hz(void);
/* Check CPU @id's TSC against this one's, with tsc_sync_ap() running on
 * CPU @id at the same time; TSCs that disagree make the clock refuse to
 * go back and the vDSO make system calls. */
void tsc_sync_bsp(unsigned id);
void tsc_sync_ap(void);
/* Publish the clock to the vDSO, its fine clocks resolving @hres_ns. */
void tsc_publish(uint64_t hres_ns);
/* Read the RTC (once, at boot, right after tsc_init). */
void rtc_init(void);
/* Choose the tick (local APIC timer or PIT) and start it on this CPU. */
void timer_init_bsp(void);
/* Start an application processor's tick (its local APIC timer). */
void timer_init_ap(void);
/* The tick or a timer event: the PIT's line, the local APIC's vector. */
void timer_pit_interrupt(void);
void timer_lapic_interrupt(void);
/* The monotonic clock counted in ticks (without a usable TSC). */
uint64_t timer_tick_clock_ns(void);

/* entry.S */
uint64_t arch_user_enter(struct fr_user_regs *regs, bool sysret);
FR_NORETURN void arch_return_to_kernel(uint64_t reason);
void arch_switch(uint64_t *save_rsp, uint64_t new_rsp);
void arch_task_trampoline(void);
int arch_copy_user(void *dst, const void *src, size_t len);
int arch_fill_user(void *dst, int byte, size_t len);
int64_t arch_strnlen_user(const void *src, size_t max);
int arch_user_cmpxchg32(uint32_t *uaddr, uint32_t *expected, uint32_t desired);
extern uint64_t arch_isr_stubs[];
extern uint64_t arch_apic_stubs[];
void arch_syscall_entry(void);

/* ---- CPUs: per-CPU tables, the local APIC, SMP start-up (cpu.c,
 * apic.c, smp.c) ---- */

struct cpu_tables;
/* The tables (GDT, TSS, IST stacks) of an application processor. */
struct cpu_tables *cpu_tables_alloc(void);
/* On CPU @id itself: load its GDT and TSS, point GS at its block. */
void gdt_init_cpu(unsigned id, struct cpu_tables *t);
void idt_load(void);
void cpu_set_online(unsigned id);

/* Map a page of the frame's own device memory (the local APIC). */
uint64_t paging_map_frame_mmio(unsigned index, uint64_t pa);
/* Build the start-up page tables at @pa (three pages); returns @pa. */
uint64_t paging_trampoline_tables(uint64_t pa);

/* The local APIC (xAPIC, memory-mapped). */
bool lapic_init_bsp(void);
void lapic_init_ap(void);
uint32_t lapic_id(void);
uint64_t lapic_base_pa(void);
void lapic_eoi(void);
void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low);
/* The local APIC timer's rate, measured on the PIT (0: none usable). */
uint64_t lapic_timer_calibrate(void);
/* Interrupt with VECTOR_TIMER every @count counts, or once after it. */
void lapic_timer_periodic(uint32_t count);
void lapic_timer_oneshot(uint32_t count);
#define ICR_FIXED 0x00000
#define ICR_INIT 0x00500
#define ICR_STARTUP 0x00600
#define ICR_ASSERT 0x04000

/* SMP: the CPUs the firmware lists, application processor start-up. */
void smp_init_early(uint64_t rsdp_hint);
void smp_init_bsp(void);
void apic_interrupt(unsigned vector);
/* Send VECTOR_TIMER to the boot CPU (a timer event moved earlier). */
void smp_kick_timer_bsp(void);
uint64_t cpu_first_stack_bottom(unsigned id);

/* ---- console ---- */

void serial_init(void);
void serial_putc(char c);

/* ---- symbols for backtraces ---- */

const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#endif
