/*
 * Processes and their threads.  A thread is a frame task running a user
 * context in a loop: run until the program enters the kernel, serve the
 * system call or exception, repeat.
 */
#ifndef KERNEL_PROCESS_PROCESS_H
#define KERNEL_PROCESS_PROCESS_H

#include <frame/task.h>
#include <frame/user.h>
#include <frame/sync.h>
#include "vm/vm_map.h"

struct process {
	int pid;
	struct vm_map vm;
	bool exiting;
	int exit_status;	   /* wait status, as wait4() reports it */
	struct fr_waitqueue exited; /* woken when the process ends */
	char comm[16];
};

struct thread {
	int tid;
	struct process *proc;
	struct fr_task *task;
	struct fr_user_context *uctx;
	uint64_t clear_child_tid;
};

/* The calling thread and its process (NULL outside a user thread). */
struct thread *current_thread(void);
struct process *current_process(void);

/*
 * process_spawn_init - create PID 1 from the initramfs program @path with
 * @argv and @envp (NULL-terminated) and start it.  Returns the process or
 * an error pointer via @err.
 */
struct process *process_spawn(const char *path, const char *const *argv,
			      const char *const *envp, int *err);

/* process_exit - end the calling process with wait status @status. */
FR_NORETURN void process_exit(int status);

/* process_wait - sleep until @p has ended; returns its wait status. */
int process_wait(struct process *p);

/* exec_load - load @path into @vm, build the stack; fill entry and sp. */
int exec_load(struct vm_map *vm, const char *path, const char *const *argv,
	      const char *const *envp, uint64_t *entry, uint64_t *sp);

#endif
