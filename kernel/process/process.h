/*
 * Processes and their threads.  A thread is a frame task running a user
 * context in a loop: run until the program enters the kernel, serve the
 * system call or exception, repeat.  Processes form a tree: a process that
 * ends stays a zombie until its parent reaps it with wait4(), and its
 * children are handed to init.
 */
#ifndef KERNEL_PROCESS_PROCESS_H
#define KERNEL_PROCESS_PROCESS_H

#include <frame/task.h>
#include <frame/user.h>
#include <frame/sync.h>
#include "vm/vm_map.h"
#include "process/attrs.h"

enum process_state {
	PROCESS_RUNNING,
	PROCESS_ZOMBIE, /* ended, waiting to be reaped by its parent */
};

struct thread;

/* Fields marked [tree] are guarded by process_tree_lock. */
struct process {
	int pid;
	struct vm_map vm;
	struct thread *thread;	  /* its one thread (threads come later) */
	enum process_state state; /* [tree] */
	int exit_status;	  /* [tree] wait status, as wait4() reports it */
	int pending_kill;	  /* signal that ends it at the next kernel exit */
	struct process *parent;	  /* [tree] NULL for init */
	struct process *children; /* [tree] first child */
	struct process *sibling;  /* [tree] next child of the same parent */
	unsigned child_events;	  /* [tree] bumped when a child ends */
	struct fr_waitqueue child_wait; /* woken when a child ends */
	struct fr_waitqueue exited;	/* woken when this process ends */
	struct process *next_all; /* [tree] every process, for pid lookup */
	char comm[16];
	struct process_attrs attrs; /* ids, umask, limits, prctl state */
};

struct thread {
	int tid;
	struct process *proc;
	struct fr_task *task;
	struct fr_user_context *uctx;
	uint64_t clear_child_tid;
	uint64_t robust_list; /* set_robust_list(): user address of the head */
	uint64_t robust_len;
};

/* The lock of the process tree (parents, children, states). */
extern struct fr_mutex process_tree_lock;

/* The calling thread and its process (NULL outside a user thread). */
struct thread *current_thread(void);
struct process *current_process(void);

/* The calling thread's address space (shared by threads and CLONE_VM). */
struct vm_map *current_vm(void);

/*
 * process_spawn - create PID 1 from the initramfs program @path with
 * @argv and @envp (NULL-terminated) and start it.  Returns the process, or
 * NULL with the error in @err.
 */
struct process *process_spawn(const char *path, const char *const *argv,
			      const char *const *envp, int *err);

/*
 * process_fork - a copy of the calling process (copy-on-write memory, the
 * same registers, 0 in rax) as its child; @regs are the caller's user
 * registers.  A non-zero @set_tid is a user address in the child's memory
 * that gets the child's tid; a non-zero @clear_tid is cleared when the
 * child ends.  Returns the child's pid or -ENOMEM.
 */
long process_fork(const struct fr_user_regs *regs, uint64_t set_tid,
		  uint64_t clear_tid);

/*
 * process_exec - replace the calling process's program with @path.  On
 * success the registers in @regs start the new program; on failure the
 * old program goes on and the error is returned.
 */
long process_exec(struct fr_user_regs *regs, const char *path,
		  const char *const *argv, const char *const *envp);

/* process_exit - end the calling process with wait status @status. */
FR_NORETURN void process_exit(int status);

/*
 * process_wait_child - wait4() for the caller: reap a zombie child matching
 * @pid (> 0: that child, -1: any).  Returns its pid with @status filled,
 * 0 when @nohang and none has ended, -ECHILD when none matches, -EINVAL
 * for an unsupported @pid.
 */
long process_wait_child(int pid, int *status, bool nohang);

/*
 * process_kill - send signal @sig to process @pid; with no handlers yet,
 * a signal whose default action ends a process ends it.  Returns 0,
 * -ESRCH or -EINVAL.
 */
int process_kill(int pid, int sig);

/*
 * thread_interrupted - whether the calling thread has a signal to take (or
 * is being killed).  A blocking wait checks it in its wake-up condition and
 * returns -EINTR or an -ERESTART* code (syscall/restart.h) when it is set;
 * sending a signal wakes the thread with fr_task_post_event().
 */
bool thread_interrupted(void);

/* process_wait - sleep until @p has ended; returns its wait status. */
int process_wait(struct process *p);

/* process_count - the number of processes, zombies included. */
unsigned process_count(void);

/*
 * process_prlimit - prlimit64() by the caller on process @pid (see
 * process_attrs_prlimit_of()).  Returns 0, -ESRCH, -EPERM or -EINVAL.
 */
int process_prlimit(int pid, unsigned resource, const struct rlimit64 *new,
		    struct rlimit64 *old);

/* exec_load - load @path into @vm, build the stack; fill entry and sp. */
int exec_load(struct vm_map *vm, const char *path, const char *const *argv,
	      const char *const *envp, uint64_t *entry, uint64_t *sp);

#endif
