/*
 * User mode: running a user context until it makes a system call, raises
 * an exception or the kernel has an event for it, and copying to and from
 * user memory.
 */
#ifndef FRAME_USER_H
#define FRAME_USER_H

#include <frame/types.h>

/*
 * User registers, as saved on entry to the kernel.  Services may change
 * any general register, rip, rsp and the FS/GS bases; the frame keeps the
 * segment selectors and the privileged flags of rflags as they must be.
 */
struct fr_user_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code; /* how the kernel was entered */
	uint64_t rip, cs, rflags, rsp, ss;
	uint64_t fs_base, gs_base;
};

struct fr_user_context;

/* Why fr_user_mode_execute() returned. */
enum fr_user_return {
	FR_USER_SYSCALL = 1, /* number in rax, arguments in rdi..r9 */
	FR_USER_EXCEPTION,   /* see struct fr_user_exception */
	FR_USER_EVENT,	     /* fr_task_post_event() was called */
};

/* An exception raised by user code. */
struct fr_user_exception {
	unsigned vector;     /* 0..31, e.g. 14 for a page fault */
	uint64_t error_code; /* as pushed by the CPU (page fault bits) */
	uint64_t fault_addr; /* CR2 for page faults, else 0 */
};

#define FR_EXC_DIVIDE 0
#define FR_EXC_DEBUG 1
#define FR_EXC_BREAKPOINT 3
#define FR_EXC_INVALID_OPCODE 6
#define FR_EXC_GP 13
#define FR_EXC_PAGE_FAULT 14
#define FR_EXC_FPU 16
#define FR_EXC_SIMD 19
#define FR_PF_PRESENT 0x1 /* page-fault error code bits */
#define FR_PF_WRITE 0x2
#define FR_PF_USER 0x4
#define FR_PF_INSTR 0x10

/*
 * fr_user_context_create - a context with zeroed registers and a clean FPU
 * state.  Context: task context.  Returns NULL when out of memory.
 */
struct fr_user_context *fr_user_context_create(void) FR_MUST_CHECK;

/*
 * fr_user_context_destroy - free a context not being executed.
 */
void fr_user_context_destroy(struct fr_user_context *ctx);

/*
 * fr_user_context_regs - the registers of a context, to read and change.
 */
struct fr_user_regs *fr_user_context_regs(struct fr_user_context *ctx);

/*
 * fr_user_mode_execute - run @ctx in user mode, in the active address
 * space, on the current task, until it enters the kernel.  Timer ticks and
 * device interrupts are handled inside (and may switch tasks) without
 * returning.  On FR_USER_EXCEPTION @exc is filled in.
 * Context: task context, interrupts on, no spinlock held.
 */
enum fr_user_return fr_user_mode_execute(struct fr_user_context *ctx,
					 struct fr_user_exception *exc);

/*
 * fr_user_fpu_reset - give the current task a clean FPU/SSE state (for
 * execve).  Context: task context.
 */
void fr_user_fpu_reset(void);

/*
 * The user FPU/SSE registers in the FXSAVE layout, which is also the
 * "struct _fpstate" of Linux's x86-64 signal frame.
 */
struct fr_fpu_state {
	uint8_t bytes[512];
} __attribute__((aligned(16)));

/*
 * fr_user_fpu_save - copy the current task's user FPU/SSE registers into
 * @st (for signal frames and fork).  Context: task context.
 */
void fr_user_fpu_save(struct fr_fpu_state *st);

/*
 * fr_user_fpu_restore - make @st, which may come from user memory, the
 * current task's user FPU/SSE registers.  Bits that the CPU would refuse
 * (reserved MXCSR bits) are cleared first, so any @st is safe to load.
 * Context: task context.
 */
void fr_user_fpu_restore(const struct fr_fpu_state *st);

/*
 * Handler for a kernel access to a user address that faulted, injected by
 * the virtual memory service: it may map the page (demand paging,
 * copy-on-write) and return 0 to retry, or return -EFAULT.
 */
typedef int (*fr_user_fault_fn)(uint64_t addr, bool write);

/*
 * fr_inject_user_fault_handler - install the handler above.  Context: boot.
 */
void fr_inject_user_fault_handler(fr_user_fault_fn fn);

/*
 * fr_copy_from_user / fr_copy_to_user - copy between kernel memory and
 * the active address space.  Context: task context.
 * Returns 0, or -EFAULT when any byte is outside user space or unmapped
 * (a partial copy may have happened).
 */
int fr_copy_from_user(void *dst, fr_uaddr_t src, size_t len) FR_MUST_CHECK;
int fr_copy_to_user(fr_uaddr_t dst, const void *src, size_t len) FR_MUST_CHECK;

/*
 * fr_clear_user - zero @len bytes of user memory.  Returns 0 or -EFAULT.
 */
int fr_clear_user(fr_uaddr_t dst, size_t len) FR_MUST_CHECK;

/*
 * fr_strncpy_from_user - copy a NUL-terminated string of at most @size - 1
 * bytes.  Returns its length, -EFAULT, or -ENAMETOOLONG when no NUL was
 * found in @size bytes.
 */
int64_t fr_strncpy_from_user(char *dst, fr_uaddr_t src, size_t size)
	FR_MUST_CHECK;

/*
 * fr_user_cmpxchg_u32 - atomically replace the 32-bit user word at @uaddr
 * with @desired if it holds *@expected; *@expected receives the value
 * found, so the swap happened when it is unchanged (futexes, robust lists).
 * The word must be writable even when it does not match.
 * Context: task context.  Returns 0, -EINVAL when @uaddr is not 4-byte
 * aligned, or -EFAULT when the word is outside user space, unmapped or
 * read-only.
 */
int fr_user_cmpxchg_u32(fr_uaddr_t uaddr, uint32_t *expected,
			uint32_t desired) FR_MUST_CHECK;

/*
 * FR_GET_USER / FR_PUT_USER - copy one typed value.
 */
#define FR_GET_USER(var, uaddr) fr_copy_from_user(&(var), (uaddr), sizeof(var))
#define FR_PUT_USER(var, uaddr) fr_copy_to_user((uaddr), &(var), sizeof(var))

#endif
