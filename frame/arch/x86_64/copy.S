/*
 * The user-memory access routines.  Every instruction that touches user
 * memory has an exception-table entry: a fault there that the page-fault
 * handler cannot resolve makes the routine return -EFAULT
 * (user_access_fault); one it resolves retries the instruction.
 *
 * Copies move 8-byte words, 64 bytes per loop iteration, then the tail:
 * "rep movsb" moves a byte per iteration, which costs about as much as a
 * word under QEMU's TCG (each iteration is a pass through the translated
 * block), so a 4 KiB read took 4096 of them.
 */
#include "arch.h"

	.text

/* @insn touches user memory: a fault in it goes to user_access_fault. */
.macro UACCESS insn:vararg
99:	\insn
	.pushsection .ex_table, "a"
	.balign 8
	.quad 99b, user_access_fault
	.popsection
.endm

/* Copy 8 bytes at offset @off from (%rsi) to (%rdi) through %rax. */
.macro COPY_WORD off
	UACCESS movq \off(%rsi), %rax
	UACCESS movq %rax, \off(%rdi)
.endm

/* int arch_copy_user(void *dst, const void *src, size_t len) */
	.global arch_copy_user
arch_copy_user:
	movq %rdx, %rcx
	shrq $6, %rcx
	jz 2f
1:	COPY_WORD 0
	COPY_WORD 8
	COPY_WORD 16
	COPY_WORD 24
	COPY_WORD 32
	COPY_WORD 40
	COPY_WORD 48
	COPY_WORD 56
	addq $64, %rsi
	addq $64, %rdi
	decq %rcx
	jnz 1b
2:	movl %edx, %ecx
	andl $63, %ecx
	shrl $3, %ecx
	jz 4f
3:	COPY_WORD 0
	addq $8, %rsi
	addq $8, %rdi
	decl %ecx
	jnz 3b
4:	andl $7, %edx
	jz 6f
5:	UACCESS movb (%rsi), %al
	UACCESS movb %al, (%rdi)
	incq %rsi
	incq %rdi
	decl %edx
	jnz 5b
6:	xorl %eax, %eax
	ret

/* int arch_fill_user(void *dst, int byte, size_t len) */
	.global arch_fill_user
arch_fill_user:
	movzbl %sil, %eax
	movabsq $0x0101010101010101, %rsi
	imulq %rsi, %rax
	movq %rdx, %rcx
	shrq $3, %rcx
	jz 2f
1:	UACCESS movq %rax, (%rdi)
	addq $8, %rdi
	decq %rcx
	jnz 1b
2:	andl $7, %edx
	jz 4f
3:	UACCESS movb %al, (%rdi)
	incq %rdi
	decl %edx
	jnz 3b
4:	xorl %eax, %eax
	ret

/* int64_t arch_strnlen_user(const void *src, size_t max): index of NUL or max */
	.global arch_strnlen_user
arch_strnlen_user:
	xorl %eax, %eax
1:	cmpq %rsi, %rax
	jae 2f
	UACCESS cmpb $0, (%rdi, %rax)
	je 2f
	incq %rax
	jmp 1b
2:	ret

/* int arch_user_cmpxchg32(uint32_t *uaddr, uint32_t *expected, uint32_t desired) */
	.global arch_user_cmpxchg32
arch_user_cmpxchg32:
	movl (%rsi), %eax
	UACCESS lock cmpxchgl %edx, (%rdi)
	movl %eax, (%rsi)
	xorl %eax, %eax
	ret

user_access_fault:
	movq $-14, %rax		/* -EFAULT */
	ret

	.section .note.GNU-stack, "", @progbits
