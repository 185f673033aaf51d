/*
 * Trap handling: exceptions, interrupts and system calls from user mode
 * (returned to the services through fr_user_mode_execute), kernel faults
 * (fixed up through the exception table for user-memory access, otherwise
 * reported with registers and a symbolized backtrace), and the user-memory
 * copy API.
 */
#include "arch.h"
#include "x86.h"
#include "x86_internal.h"
#include <frame/user.h>
#include <frame/power.h>
#include <libs/string.h>

struct fr_user_context {
	struct fr_user_regs regs;
	struct fr_user_exception exc;
};

struct ex_entry {
	uint64_t insn, fixup;
};
extern const struct ex_entry __ex_table_start[], __ex_table_end[];

static fr_user_fault_fn user_fault_handler;

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FPU error", "alignment check",
	"machine check", "SIMD error", "virtualization", "control protection",
};

static void dump_regs(const struct trapframe *tf)
{
	fr_printk("RIP: %016lx CS: %lx RFLAGS: %016lx\n", tf->rip, tf->cs,
		  tf->rflags);
	fr_printk("RSP: %016lx SS: %lx CR2: %016lx CR3: %016lx\n", tf->rsp,
		  tf->ss, read_cr2(), read_cr3());
	fr_printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", tf->rax, tf->rbx,
		  tf->rcx);
	fr_printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", tf->rdx, tf->rsi,
		  tf->rdi);
	fr_printk("RBP: %016lx R8:  %016lx R9:  %016lx\n", tf->rbp, tf->r8,
		  tf->r9);
	fr_printk("R10: %016lx R11: %016lx R12: %016lx\n", tf->r10, tf->r11,
		  tf->r12);
	fr_printk("R13: %016lx R14: %016lx R15: %016lx\n", tf->r13, tf->r14,
		  tf->r15);
}

static FR_NORETURN void kernel_fault(struct trapframe *tf)
{
	const char *name = tf->vector < 32 ? exception_names[tf->vector] : "?";

	cli();
	fr_printk("\nKERNEL PANIC: %s (vector %lu, error %lx) in kernel mode\n",
		  name ? name : "exception", tf->vector, tf->error_code);
	if (tf->vector == 14 || tf->vector == 8) {
		uint64_t cr2 = read_cr2();
		struct fr_task *t = this_cpu()->current;

		if (t && cr2 < t->stack_bottom &&
		    cr2 >= t->stack_bottom - FR_PAGE_SIZE)
			fr_printk("kernel stack overflow in task %s\n",
				  t->name);
	}
	dump_regs(tf);
	dump_backtrace(tf->rbp, tf->rip);
	panic_stop();
}

bool user_fault_fixup(struct trapframe *tf, uint64_t addr)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end;
	     e++) {
		if (e->insn != tf->rip)
			continue;
		if (tf->vector == 14 && addr < FR_USER_END &&
		    user_fault_handler &&
		    user_fault_handler(addr, tf->error_code & FR_PF_WRITE) == 0)
			return true; /* mapped now: retry */
		tf->rip = e->fixup;
		return true;
	}
	return false;
}

/* Leave user mode for the kernel with @reason, saving the user state. */
static FR_NORETURN void return_to_kernel(struct trapframe *tf, uint64_t reason)
{
	struct fr_user_context *ctx = this_cpu()->user_ctx;

	memcpy(&ctx->regs, tf, sizeof(*tf));
	arch_return_to_kernel(reason);
}

void trap_dispatch(struct trapframe *tf);
void trap_dispatch(struct trapframe *tf)
{
	bool from_user = tf->cs & 3;

	if ((tf->vector >= 32 && tf->vector < 48) ||
	    (tf->vector >= VECTOR_APIC_FIRST && tf->vector < 256)) {
		if (tf->vector < 48)
			irq_dispatch(tf->vector - 32);
		else
			apic_interrupt(tf->vector);
		if (from_user && (__atomic_load_n(&this_cpu()->need_resched,
					    __ATOMIC_ACQUIRE) ||
				  this_cpu()->current->event_pending))
			return_to_kernel(tf, FR_USER_EVENT);
		return;
	}
	if (from_user) {
		struct fr_user_context *ctx = this_cpu()->user_ctx;

		ctx->exc.vector = tf->vector;
		ctx->exc.error_code = tf->error_code;
		ctx->exc.fault_addr = tf->vector == 14 ? read_cr2() : 0;
		return_to_kernel(tf, FR_USER_EXCEPTION);
	}
	if (tf->vector == 14 || tf->vector == 13) {
		if (user_fault_fixup(tf, tf->vector == 14 ? read_cr2() : 0))
			return;
	}
	kernel_fault(tf);
}

_Static_assert(FR_USER_SYSCALL == USER_RETURN_SYSCALL, "entry.S reason");

/* ---- user contexts ---- */

struct fr_user_context *fr_user_context_create(void)
{
	struct fr_user_context *ctx = FR_NEW(struct fr_user_context);

	if (ctx) {
		ctx->regs.cs = SEL_UCODE;
		ctx->regs.ss = SEL_UDATA;
		ctx->regs.rflags = RFLAGS_IF | 0x2;
	}
	return ctx;
}

void fr_user_context_destroy(struct fr_user_context *ctx)
{
	fr_kfree(ctx);
}

struct fr_user_regs *fr_user_context_regs(struct fr_user_context *ctx)
{
	return &ctx->regs;
}

void fr_inject_user_fault_handler(fr_user_fault_fn fn)
{
	user_fault_handler = fn;
}

#define RFLAGS_USER_MASK 0x240dd5UL /* CF PF AF ZF SF TF DF OF AC ID */

static bool canonical_user(uint64_t a)
{
	return a < 0x0000800000000000UL;
}

enum fr_user_return fr_user_mode_execute(struct fr_user_context *ctx,
					 struct fr_user_exception *exc)
{
	struct percpu *cpu;
	uint64_t reason;
	bool sysret;

	for (;;) {
		struct fr_user_regs *r = &ctx->regs;

		if (!canonical_user(r->rip)) {
			/* iretq would fault in the kernel: report a #GP */
			exc->vector = FR_EXC_GP;
			exc->error_code = 0;
			exc->fault_addr = 0;
			return FR_USER_EXCEPTION;
		}
		r->cs = SEL_UCODE;
		r->ss = SEL_UDATA;
		r->rflags = (r->rflags & RFLAGS_USER_MASK) | RFLAGS_IF | 0x2;
		/*
		 * SYSRETQ, cheaper than IRETQ, when it restores the same
		 * state: after a system call, unless the kernel moved rip
		 * (signals, execve).  Not with TF, which would trap before the
		 * first user instruction rather than after it.
		 */
		sysret = r->rcx == r->rip && r->r11 == r->rflags &&
			 !(r->rflags & RFLAGS_TF);

		cli();
		cpu = this_cpu();
		if (cpu->current->event_pending) {
			sti();
			return FR_USER_EVENT;
		}
		/*
		 * A reschedule asked for while in the kernel (a wake-up that
		 * preempts, a task's CPUs or priority changed) happens before
		 * the user code goes on, as Linux does on its way out.  One
		 * asked for later comes as an interrupt in user mode.
		 */
		if (__atomic_load_n(&cpu->need_resched, __ATOMIC_ACQUIRE)) {
			sti();
			fr_task_yield();
			continue;
		}
		if (cpu->fs_base_loaded != r->fs_base) {
			if (!canonical_user(r->fs_base))
				r->fs_base = 0;
			wrmsr(MSR_FS_BASE, r->fs_base);
			cpu->fs_base_loaded = r->fs_base;
		}
		if (cpu->gs_base_loaded != r->gs_base) {
			if (!canonical_user(r->gs_base))
				r->gs_base = 0;
			wrmsr(MSR_KERNEL_GS_BASE, r->gs_base);
			cpu->gs_base_loaded = r->gs_base;
		}
		cpu->user_ctx = ctx;
		task_leave_services();
		task_charge_time(false);
		reason = arch_user_enter(r, sysret);
		task_charge_time(true);
		cpu = this_cpu();
		cpu->user_ctx = NULL;
		sti();
		/* an interrupt asked for a reschedule: yield outside services */
		if (reason == FR_USER_EVENT && fr_task_need_resched())
			fr_task_yield();
		task_enter_services();

		if (reason == FR_USER_EXCEPTION) {
			*exc = ctx->exc;
			return FR_USER_EXCEPTION;
		}
		if (reason == FR_USER_SYSCALL)
			return FR_USER_SYSCALL;
		if (this_cpu()->current->event_pending)
			return FR_USER_EVENT;
	}
}

void fr_user_fpu_reset(void)
{
	uint8_t area[512] __attribute__((aligned(16)));

	arch_fpu_init_state(area);
	arch_fpu_restore(area);
}

/* The MXCSR bits this CPU accepts, from the mask FXSAVE reports. */
static uint32_t mxcsr_mask(void)
{
	static uint32_t mask;
	uint32_t m = __atomic_load_n(&mask, __ATOMIC_RELAXED);

	if (!m) {
		uint8_t area[512] __attribute__((aligned(16)));

		arch_fpu_save(area);
		memcpy(&m, area + 28, sizeof(m));
		if (!m)
			m = 0xffbf; /* the architectural default */
		__atomic_store_n(&mask, m, __ATOMIC_RELAXED);
	}
	return m;
}

void fr_user_fpu_save(struct fr_fpu_state *st)
{
	arch_fpu_save(st->bytes);
}

void fr_user_fpu_restore(const struct fr_fpu_state *st)
{
	struct fr_fpu_state clean = *st;
	uint32_t mxcsr;

	memcpy(&mxcsr, clean.bytes + 24, sizeof(mxcsr));
	mxcsr &= mxcsr_mask();
	memcpy(clean.bytes + 24, &mxcsr, sizeof(mxcsr));
	arch_fpu_restore(clean.bytes);
}

/* ---- user memory ---- */

static bool user_range(uint64_t a, size_t len)
{
	return a < FR_USER_END && len <= FR_USER_END - a;
}

int fr_copy_from_user(void *dst, fr_uaddr_t src, size_t len)
{
	if (!user_range(src.addr, len))
		return -EFAULT;
	return arch_copy_user(dst, (const void *)src.addr, len);
}

int fr_copy_to_user(fr_uaddr_t dst, const void *src, size_t len)
{
	if (!user_range(dst.addr, len))
		return -EFAULT;
	return arch_copy_user((void *)dst.addr, src, len);
}

int fr_clear_user(fr_uaddr_t dst, size_t len)
{
	if (!user_range(dst.addr, len))
		return -EFAULT;
	return arch_fill_user((void *)dst.addr, 0, len);
}

int fr_user_cmpxchg_u32(fr_uaddr_t uaddr, uint32_t *expected,
			uint32_t desired)
{
	if (uaddr.addr & 3)
		return -EINVAL;
	if (!user_range(uaddr.addr, sizeof(uint32_t)))
		return -EFAULT;
	return arch_user_cmpxchg32((uint32_t *)uaddr.addr, expected, desired);
}

int64_t fr_strncpy_from_user(char *dst, fr_uaddr_t src, size_t size)
{
	size_t max = size;
	int64_t n;

	if (!size)
		return -ENAMETOOLONG;
	if (src.addr >= FR_USER_END)
		return -EFAULT;
	if (max > FR_USER_END - src.addr)
		max = FR_USER_END - src.addr;
	n = arch_strnlen_user((const void *)src.addr, max);
	if (n < 0)
		return n;
	if ((size_t)n == max)
		return max == size ? -ENAMETOOLONG : -EFAULT;
	if (arch_copy_user(dst, (const void *)src.addr, n))
		return -EFAULT;
	/* not copied: another thread may have changed it since the scan */
	dst[n] = '\0';
	return n;
}
