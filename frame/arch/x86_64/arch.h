/*
 * x86-64 constants shared by the frame's assembly and C code: segment
 * selectors, the virtual memory layout, per-CPU field offsets and vectors.
 * Frame-private.
 */
#ifndef FRAME_ARCH_X86_64_ARCH_H
#define FRAME_ARCH_X86_64_ARCH_H

#define BOOT_MAGIC_MB2 0x36d76289
#define BOOT_MAGIC_PVH 0x336ec578
#define EARLY_PT_PAGES 7
#define BOOT_STACK_SIZE (16 * 1024)

/* GDT layout; user data precedes user code as SYSRET requires. */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA (0x18 | 3)
#define SEL_UCODE (0x20 | 3)
#define SEL_TSS 0x28
/* A data segment whose limit is the CPU's number, for the vDSO's getcpu
 * (LSL), as Linux's GDT_ENTRY_CPUNODE. */
#define SEL_CPUNODE (0x38 | 3)

/* Virtual memory layout. */
#define KERNEL_VMA 0xffffffff80000000
#define DIRECT_MAP_BASE 0xffff888000000000
#define DIRECT_MAP_PML4_INDEX 273
#define KSTACK_AREA_BASE 0xffffc90000000000
#define KSTACK_AREA_PML4_INDEX 402
#define MMIO_AREA_BASE 0xffffd00000000000 /* MMIO windows, 1 GiB each */
#define MMIO_SLOT_SIZE (1UL << 30)
/* Device pages of the frame itself (the local APIC), after the services'
 * FR_MMIO_MAX_WINDOWS (64) windows. */
#define FRAME_MMIO_BASE (MMIO_AREA_BASE + 64 * MMIO_SLOT_SIZE)
#define USER_TOP 0x00007ffffffff000

/* Per-CPU block, reached through GS in kernel mode. */
#define PCPU_SELF 0
#define PCPU_KERNEL_RSP 8
#define PCPU_USER_RSP 16
#define PCPU_TSS_RSP0 24
#define PCPU_USER_REGS_TOP 32

/* Trap frame: size in bytes and where CS sits, for the entry code. */
#define TF_SIZE (22 * 8)
#define TF_CS_FROM_VECTOR 24
#define VECTOR_SYSCALL 0x100
#define USER_RETURN_SYSCALL 1 /* FR_USER_SYSCALL, for the SYSCALL entry */

/* Local APIC vectors (0xf0..0xff, above the PIC's 32..47). */
#define VECTOR_APIC_FIRST 0xf0
#define VECTOR_IPI_CALL 0xf0	 /* run the cross-CPU call (core/smp.c) */
#define VECTOR_IPI_RESCHED 0xf1 /* a task was queued: leave the idle loop */
#define VECTOR_TIMER 0xf2	 /* the local APIC timer (and its kick) */
#define VECTOR_APIC_SPURIOUS 0xff

/* The application processors' start-up code (real mode, below 1 MiB) and
 * the three page-table pages that follow it. */
#define TRAMPOLINE_PA 0x8000
#define TRAMPOLINE_PAGES 4


#define IST_STACK_SIZE (8 * 1024)

#endif
