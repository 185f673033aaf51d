/*
 * The system-call layer: arguments as handlers see them, the dispatcher,
 * and helpers shared by the handlers.
 */
#ifndef KERNEL_SYSCALL_SYSCALL_H
#define KERNEL_SYSCALL_SYSCALL_H

#include <frame/types.h>
#include <frame/user.h>

struct syscall_args {
	uint64_t arg[6];
	struct fr_user_regs *regs; /* for calls that change registers */
};

typedef long (*syscall_fn)(const struct syscall_args *a);

/* syscall_dispatch - serve the system call in @regs, result in rax. */
void syscall_dispatch(struct fr_user_regs *regs);

#include "table.h"

#endif
