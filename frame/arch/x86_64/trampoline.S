/*
 * Start-up code of the application processors.  smp.c copies the bytes
 * between trampoline_start and trampoline_end to TRAMPOLINE_PA (below
 * 1 MiB), fills in the page table, stack and entry fields at its end and
 * sends the start-up IPI: the CPU begins there in real mode, switches to
 * protected mode, then to long mode on the start-up page tables, and
 * jumps to smp_ap_entry in the kernel with the stack it was given.
 */
#include "arch.h"

/* The run-time address of a trampoline label. */
#define T(x) (TRAMPOLINE_PA + ((x) - trampoline_start))

	.section .rodata
	.balign 16
	.global trampoline_start, trampoline_end
	.global trampoline_cr3, trampoline_stack, trampoline_entry
	.code16
trampoline_start:
	cli
	cld
	xorw %ax, %ax
	movw %ax, %ds
	lgdtl T(tgdt_desc)
	movl %cr0, %eax
	orl $1, %eax			/* PE */
	movl %eax, %cr0
	ljmpl $0x08, $T(tramp32)

	.code32
tramp32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl T(trampoline_cr3), %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $(1 << 5), %eax		/* PAE */
	movl %eax, %cr4
	movl $0xc0000080, %ecx		/* EFER: LME, NXE, SCE */
	rdmsr
	orl $((1 << 8) | (1 << 11) | (1 << 0)), %eax
	wrmsr
	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16) | 1), %eax	/* PG, WP, PE */
	movl %eax, %cr0
	ljmpl $0x18, $T(tramp64)

	.code64
tramp64:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq T(trampoline_stack), %rsp
	movq T(trampoline_entry), %rax
	jmp *%rax

	.balign 8
tgdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tgdt_end:
tgdt_desc:
	.short tgdt_end - tgdt - 1
	.long T(tgdt)
	.balign 8
trampoline_cr3:
	.quad 0
trampoline_stack:
	.quad 0
trampoline_entry:
	.quad 0
trampoline_end:

/* First kernel code of an application processor, on its own stack. */
	.text
	.global smp_ap_entry
smp_ap_entry:
	xorl %ebp, %ebp
	call smp_ap_main
	ud2
	.section .note.GNU-stack, "", @progbits
