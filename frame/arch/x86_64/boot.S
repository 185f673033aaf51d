/*
 * 32-bit entry from the boot loader and the switch to long mode.
 *
 * Two ways in: multiboot2 (GRUB ISO) enters at _start with EAX = magic and
 * EBX = the boot information; PVH (qemu -kernel) enters at pvh_start with
 * EBX = struct hvm_start_info.  Both run with paging off.  Early page tables
 * map the first 4 GiB at 0 (for the switch), at the direct-map base and the
 * first 1 GiB at the kernel's link address; the frame replaces them in C.
 */
#include "arch.h"

#define MB2_MAGIC	0xe85250d6
#define MB2_ARCH	0
#define MB2_HLEN	(mb2_header_end - mb2_header)

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH
	.long MB2_HLEN
	.long -(MB2_MAGIC + MB2_ARCH + MB2_HLEN)
	/* entry address tag: jump here, in physical memory */
	.balign 8
	.short 3, 0
	.long 12
	.long _start
	/* end tag */
	.balign 8
	.short 0, 0
	.long 8
mb2_header_end:

	.section .note.Xen, "a", @note
	.balign 4
	.long 4			/* name size */
	.long 4			/* descriptor size */
	.long 18		/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.long pvh_start
	.balign 4

	.section .boot.text, "ax"
	.code32
	.global _start
_start:
	cli
	movl %eax, boot_magic
	movl %ebx, boot_info
	jmp 1f

pvh_start:
	cli
	movl $BOOT_MAGIC_PVH, boot_magic
	movl %ebx, boot_info
1:
	movl $boot_stack32_top, %esp
	cld

	/* zero the early page tables */
	movl $early_pml4, %edi
	movl $(EARLY_PT_PAGES * 1024), %ecx
	xorl %eax, %eax
	rep stosl

	/* PML4[0] and PML4[273] -> the low PDPT, PML4[511] -> the high PDPT */
	movl $early_pdpt_low, %eax
	orl $0x3, %eax
	movl %eax, early_pml4
	movl %eax, early_pml4 + 273 * 8
	movl $early_pdpt_high, %eax
	orl $0x3, %eax
	movl %eax, early_pml4 + 511 * 8

	/* low PDPT: four page directories, 4 GiB; high PDPT[510] -> the first */
	movl $early_pd, %eax
	orl $0x3, %eax
	movl %eax, early_pdpt_high + 510 * 8
	xorl %ecx, %ecx
2:
	movl %eax, early_pdpt_low(, %ecx, 8)
	addl $4096, %eax
	incl %ecx
	cmpl $4, %ecx
	jne 2b

	/* 2048 2 MiB entries covering 0..4 GiB */
	xorl %ecx, %ecx
3:
	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax
	movl %eax, early_pd(, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax
	movl %eax, early_pd + 4(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 3b

	movl $early_pml4, %eax
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

	lgdt early_gdt_desc
	ljmp $0x08, $long_mode

	.code64
long_mode:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	/* clear .bss (it holds the boot stack, so before using it) */
	movabs $__bss_start, %rdi
	movabs $__bss_end, %rcx
	subq %rdi, %rcx
	xorl %eax, %eax
	rep stosb
	movabs $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_magic, %edi
	movl boot_info, %esi
	movabs $fr_arch_start, %rax
	call *%rax
4:	hlt
	jmp 4b

	.section .boot.data, "aw"
	.balign 8
early_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 64-bit code */
	.quad 0x00cf92000000ffff	/* data */
early_gdt_end:
early_gdt_desc:
	.short early_gdt_end - early_gdt - 1
	.long early_gdt
boot_magic:
	.long 0
boot_info:
	.long 0

	.section .boot.bss, "aw", @nobits
	.balign 4096
early_pml4:
	.skip 4096
early_pdpt_low:
	.skip 4096
early_pdpt_high:
	.skip 4096
early_pd:
	.skip 4 * 4096
	.skip 1024
boot_stack32_top:

	.section .bss
	.balign 4096
	.global fr_boot_stack_bottom
fr_boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:
	.section .note.GNU-stack, "", @progbits
