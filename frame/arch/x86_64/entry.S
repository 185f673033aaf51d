/*
 * Entry and exit paths: interrupt and exception stubs, the SYSCALL entry,
 * entering user mode and coming back to the kernel, the task context
 * switch (the user-memory copy routines are in copy.S).
 */
#include "arch.h"

	.text

/* ---- interrupts and exceptions ---- */

.macro PUSH_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro POP_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm

.macro ISR n
	.balign 16
isr_\n:
	.if (\n == 8 || \n == 10 || \n == 11 || \n == 12 || \n == 13 || \n == 14 || \n == 17 || \n == 21 || \n == 29 || \n == 30)
	.else
	pushq $0
	.endif
	pushq $\n
	jmp isr_common
.endm

	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	ISR \n
	.endr
	/* the local APIC's vectors: IPIs and the spurious vector */
	.irp n, 240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255
	ISR \n
	.endr

isr_common:
	testb $3, TF_CS_FROM_VECTOR(%rsp)
	jz 1f
	swapgs
1:
	PUSH_GPRS
	movq %rsp, %rdi
	cld
	call trap_dispatch
	POP_GPRS
	testb $3, TF_CS_FROM_VECTOR(%rsp)
	jz 2f
	swapgs
2:
	addq $16, %rsp
	iretq

	.section .rodata
	.balign 8
	.global arch_isr_stubs
arch_isr_stubs:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.quad isr_\n
	.endr
	.global arch_apic_stubs
arch_apic_stubs:
	.irp n, 240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255
	.quad isr_\n
	.endr
	.text

/* ---- SYSCALL ---- */

/*
 * The user registers go straight into the running user context (its
 * trapframe part ends at PCPU_USER_REGS_TOP), as a trapframe with vector
 * VECTOR_SYSCALL; then arch_user_enter's caller resumes with
 * FR_USER_SYSCALL.  No C code runs on the way and nothing is copied.
 * SFMASK has cleared IF and DF.
 */
	.global arch_syscall_entry
arch_syscall_entry:
	swapgs
	movq %rsp, %gs:PCPU_USER_RSP
	movq %gs:PCPU_USER_REGS_TOP, %rsp
	pushq $SEL_UDATA
	pushq %gs:PCPU_USER_RSP
	pushq %r11
	pushq $SEL_UCODE
	pushq %rcx
	pushq $0
	pushq $VECTOR_SYSCALL
	PUSH_GPRS
	movl $USER_RETURN_SYSCALL, %edi
	jmp arch_return_to_kernel

/*
 * uint64_t arch_user_enter(struct fr_user_regs *regs, bool sysret)
 * Called with interrupts off.  Saves the kernel's callee-saved registers,
 * records where the kernel stack resumes (also as TSS.rsp0) and where a
 * system call saves the user registers, and enters user mode with the
 * registers in *regs: through SYSRETQ when @sysret (the caller checked
 * that rcx is rip and r11 is rflags, as SYSRETQ loads them), otherwise
 * through IRETQ.  "Returns" through arch_return_to_kernel with the
 * reason in rax.
 */
	.global arch_user_enter
arch_user_enter:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	movq %rsp, %gs:PCPU_KERNEL_RSP
	movq %gs:PCPU_TSS_RSP0, %rax
	movq %rsp, (%rax)
	leaq TF_SIZE(%rdi), %rax
	movq %rax, %gs:PCPU_USER_REGS_TOP
	testb %sil, %sil
	movq %rdi, %rsp
	jnz 1f
	POP_GPRS
	addq $16, %rsp
	swapgs
	iretq
1:	POP_GPRS
	/* past vector, error code, rip, cs and rflags: the user's rsp */
	movq 40(%rsp), %rsp
	swapgs
	sysretq

/* void arch_return_to_kernel(uint64_t reason): back into arch_user_enter's caller */
	.global arch_return_to_kernel
arch_return_to_kernel:
	movq %rdi, %rax
	movq %gs:PCPU_KERNEL_RSP, %rsp
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

/* ---- task switch ---- */

/* void arch_switch(uint64_t *save_rsp, uint64_t new_rsp) */
	.global arch_switch
arch_switch:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

/* First code of a new task: r12 holds the task. */
	.global arch_task_trampoline
arch_task_trampoline:
	movq %r12, %rdi
	xorl %ebp, %ebp
	call task_entry
	ud2

	.section .note.GNU-stack, "", @progbits
