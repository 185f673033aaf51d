/*
 * The system-call dispatcher: looks the number up in the generated table
 * and reports each unimplemented call once.
 */
#include <frame/log.h>
#include "syscall/syscall.h"
#include "process/process.h"

static uint64_t reported[(SYSCALL_MAX + 63) / 64];

static long unimplemented(uint64_t nr)
{
	const char *name = nr < SYSCALL_MAX && syscall_table[nr].name ?
				   syscall_table[nr].name :
				   "unknown";

	if (nr < SYSCALL_MAX) {
		if (reported[nr / 64] & (1UL << (nr % 64)))
			return -ENOSYS;
		reported[nr / 64] |= 1UL << (nr % 64);
	}
	fr_printk("[pid %d] unimplemented system call %s (%lu)\n",
		  current_process() ? current_process()->pid : 0, name, nr);
	return -ENOSYS;
}

void syscall_dispatch(struct fr_user_regs *regs)
{
	uint64_t nr = regs->rax;
	struct syscall_args a = {
		{ regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8,
		  regs->r9 },
		regs,
	};

	if (nr < SYSCALL_MAX && syscall_table[nr].fn)
		regs->rax = (uint64_t)syscall_table[nr].fn(&a);
	else
		regs->rax = (uint64_t)unimplemented(nr);
}
