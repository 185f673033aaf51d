/*
 * The vDSO's image (frame/arch/x86_64/vdso/, built by the Makefile into
 * VDSO_SO), embedded in the kernel's read-only data; core/vdso.c copies
 * it into the pages it maps into processes.
 */
	.section .rodata
	.balign 4096
	.globl vdso_image_start, vdso_image_end
vdso_image_start:
	.incbin VDSO_SO
vdso_image_end:
	.balign 4096

	.section .note.GNU-stack, "", @progbits
