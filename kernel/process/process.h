/*
 * Processes and their threads.  A thread is a frame task running a user
 * context in a loop: run until the program enters the kernel, serve the
 * system call or exception, deliver signals, repeat.  A process is a thread
 * group sharing an address space, signal handlers and ids.  Processes form a
 * tree: a process that ends stays a zombie until its parent reaps it, and
 * its children are handed to init.  Processes belong to process groups and
 * sessions.
 */
#ifndef KERNEL_PROCESS_PROCESS_H
#define KERNEL_PROCESS_PROCESS_H

#include <frame/task.h>
#include <frame/user.h>
#include <frame/sync.h>
#include "vm/vm_map.h"
#include "process/signal.h"
#include "time/timer.h"
#include "time/cputime.h"
#include "time/posix_timer.h"
#include "process/attrs.h"
#include "fs/file.h"

enum process_state {
	PROCESS_RUNNING,
	PROCESS_ZOMBIE, /* ended, waiting to be reaped by its parent */
};

/* An address space shared by the threads of a process and by CLONE_VM. */
struct mm {
	struct vm_map map;
	int users; /* atomic */
	struct path exe; /* the program file (/proc/PID/exe), referenced */
	bool exe_denied; /* exe's writes are denied while this runs it */
};

struct thread;
struct tty;

/* What the read and write calls moved (Linux's task_io_accounting). */
struct io_counts {
	uint64_t rchar, wchar; /* bytes read and written */
	uint64_t syscr, syscw; /* calls of the read and write families */
};

/*
 * Fields marked [tree] are guarded by process_tree_lock; [sig] by the
 * process's siglock.
 */
struct process {
	int pid;
	int pgid, sid;	 /* [tree] process group and session */
	struct tty *tty; /* [tree] controlling terminal (referenced), or NULL */
	struct mm *mm;	 /* [tree] changed by exec; NULL once ended */
	struct thread *threads; /* [tree] live threads, through next_in_process */
	int thread_count;	/* [tree] */
	enum process_state state; /* [tree] */
	int exit_status;	  /* [sig] wait status, as wait4() reports it */
	bool group_exit;	  /* [sig] every thread must end */
	bool did_exec;		  /* [tree] for setpgid() */
	struct thread *exec_thread; /* [sig] exec ends the other threads */
	struct fr_waitqueue thread_gone; /* woken when a thread ends */
	int exit_signal;	  /* [tree] sent to the parent at the end */
	/* job control: [sig] */
	bool stopped;		/* stopped by a stop signal */
	int stop_signal;	/* which one, for wait */
	bool report_stop;	/* a stop wait4(WUNTRACED) has not seen */
	bool report_continue;	/* a continue wait4(WCONTINUED) has not seen */
	struct fr_waitqueue stop_wait; /* stopped threads sleep here */
	struct process *parent;	  /* [tree] NULL for init */
	struct process *children; /* [tree] first child */
	struct process *sibling;  /* [tree] next child of the same parent */
	unsigned child_events;	  /* [tree] bumped when a child changes */
	struct fr_waitqueue child_wait; /* woken when a child changes */
	struct fr_waitqueue exited;	/* woken when this process ends */
	struct process *next_all; /* [tree] every process, for pid lookup */
	struct signal_state sig;  /* handlers, shared pending set */
	struct ktimer real_timer; /* alarm() and ITIMER_REAL: SIGALRM */
	uint64_t real_interval;	  /* [real_timer] ns between SIGALRMs, or 0 */
	struct process_timers timers; /* POSIX and CPU-time timers */
	struct cputime ended_time; /* [sig] processor time of ended threads */
	struct io_counts ended_io; /* [sig] I/O of ended threads */
	struct fr_spinlock siglock;
	char comm[16];
	struct process_attrs attrs; /* ids, umask, limits, prctl state */
	struct fd_table *files;	    /* [tree] open files; NULL once ended */
	struct fs_context *fs;	    /* [tree] cwd and root; NULL once ended */
	uint64_t start_ns;	    /* monotonic time of the fork, for /proc */
};

struct thread {
	int tid;
	struct process *proc;
	struct fr_task *task;
	struct fr_user_context *uctx;
	struct thread *next_in_process; /* [tree] */
	uint64_t clear_child_tid;
	uint64_t robust_list; /* set_robust_list(): user address of the head */
	uint64_t robust_len;
	struct fr_fpu_state *start_fpu; /* FPU state to start with, or NULL */
	struct thread_signals sig;	/* [sig] mask, pending, altstack */
	long syscall_nr;		/* the call being served, or -1 */
	struct fr_waitqueue vfork_done; /* a CLONE_VFORK parent waits here */
	bool vfork_pending;		/* ... while its child has not let go */
	struct thread *vfork_parent;	/* [tree] the parent waiting for us */
	/* [tree] on the list of threads whose tid is reserved, while it is
	 * created (pid_reserve_locked()) */
	struct thread *next_reserved;
	struct io_counts io; /* added to by the thread only; atomic */
};

/* The lock of the process tree (parents, children, states, threads). */
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

/* What clone() asks for, already checked by the system call. */
struct clone_request {
	uint64_t flags;	    /* CLONE_* */
	int exit_signal;    /* sent to the parent when the child ends */
	uint64_t stack;	    /* new stack pointer, or 0 */
	uint64_t tls;	    /* CLONE_SETTLS */
	uint64_t child_tid; /* CLONE_CHILD_SETTID / CLEARTID */
};

/*
 * process_clone - a new thread (CLONE_THREAD) or process (a copy-on-write
 * copy of the caller's memory unless CLONE_VM) that resumes from @regs
 * with 0 in rax.  Returns the new tid/pid, -ENOMEM or -EAGAIN.
 * With CLONE_VFORK the caller sleeps until the child execs or ends.
 */
long process_clone(const struct fr_user_regs *regs,
		   const struct clone_request *req);

/*
 * process_exec - replace the calling process's program with @path; other
 * threads end first.  On success the registers in @regs start the new
 * program; on failure the old program goes on and the error is returned.
 */
long process_exec(struct fr_user_regs *regs, const char *path,
		  const char *const *argv, const char *const *envp);

/* thread_exit - end the calling thread (exit()); the last one ends the
 * process with wait status @status. */
FR_NORETURN void thread_exit(int status);

/*
 * process_exit_group - end every thread of the calling process (exit_group
 * or a fatal signal) with wait status @status.
 */
FR_NORETURN void process_exit_group(int status);

/* Which children a wait matches: WAIT_* and the pid or pgid. */
enum wait_which { WAIT_PID, WAIT_PGID, WAIT_ANY };

/* What a wait reports about a child. */
struct wait_result {
	int pid;
	int status;   /* as wait4() reports it */
	int code;     /* CLD_* for waitid() */
	int child_status; /* exit code or signal, for waitid() */
};

/*
 * process_wait_child - wait4()/waitid() for the caller: find a child
 * matching @which/@id with an event selected by @options (WEXITED,
 * WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT).  Returns the child's pid with
 * @res filled, 0 when WNOHANG and none is ready, -ECHILD when none
 * matches, -ERESTARTSYS when a signal interrupts.
 */
long process_wait_child(enum wait_which which, int id, int options,
			struct wait_result *res);

/* process_wait - sleep until @p has ended; returns its wait status. */
int process_wait(struct process *p);

/*
 * process_find - the process with pid @pid, or NULL.  Context: with
 * process_tree_lock held.
 */
struct process *process_find(int pid);

/*
 * thread_find - the thread with tid @tid, or NULL.  Context: with
 * process_tree_lock held.
 */
struct thread *thread_find(int tid);

/* The first process of the all-processes list (to walk it), under the lock. */
struct process *process_first(void);

/*
 * process_group_orphaned - whether no process of group @pgid has a parent
 * in another group of the same session (POSIX's orphaned process group,
 * which the terminal stop signals do not stop).
 */
bool process_group_orphaned(int pgid);

/* setpgid(), setsid(), getpgid(), getsid() with Linux's rules and errors. */
int process_setpgid(int pid, int pgid);
int process_setsid(void);
int process_getpgid(int pid);
int process_getsid(int pid);

/*
 * thread_interrupted - whether the calling thread has a signal to take (or
 * is being killed).  A blocking wait checks it in its wake-up condition and
 * returns -EINTR or an -ERESTART* code (syscall/restart.h) when it is set;
 * sending a signal wakes the thread with fr_task_post_event().
 */
bool thread_interrupted(void);

/* process_count - the number of processes, zombies included. */
unsigned process_count(void);

/*
 * io_account_read / io_account_write - the calling thread made one call
 * of the read or write family, which moved @done bytes (an error: none).
 * Context: task context (nothing is counted outside a process).
 */
void io_account_read(long done);
void io_account_write(long done);

/*
 * thread_io / process_io - what thread @t, or every thread of @p ended
 * or not, read and wrote (/proc/PID/io).  process_io: [sig] not held.
 */
void thread_io(const struct thread *t, struct io_counts *out);
void process_io(struct process *p, struct io_counts *out);

/* process_last_pid - the pid or tid given last (/proc/loadavg). */
int process_last_pid(void);

/* Linux's bounds of pid_max, and the pids a wrap skips. */
#define PID_MAX_DEFAULT 32768
#define PID_MAX_LIMIT 4194304
#define RESERVED_PIDS 300

/*
 * process_pid_max / process_set_pid_max - pids and tids are below it
 * (/proc/sys/kernel/pid_max).  Setting: -EINVAL outside
 * [RESERVED_PIDS + 1, PID_MAX_LIMIT].  Context: task context.
 */
int process_pid_max(void);
int process_set_pid_max(int max);

/*
 * process_mm_get - @p's address space with a reference (for /proc to read
 * another process's memory and areas), or NULL once it has ended.
 * Context: with process_tree_lock held.  process_mm_put drops it.
 */
struct mm *process_mm_get(struct process *p);
void process_mm_put(struct mm *mm);

/*
 * process_prlimit - prlimit64() by the caller on process @pid (see
 * process_attrs_prlimit_of()).  Returns 0, -ESRCH, -EPERM or -EINVAL.
 */
int process_prlimit(int pid, unsigned resource, const struct rlimit64 *new,
		    struct rlimit64 *old);

/* process_real_timer_fired - the real timer's callback: SIGALRM. */
void process_real_timer_fired(struct ktimer *timer);

/* exec_load - load @path into @vm, build the stack; fill entry and sp,
 * and @exe (if not NULL) with the file run, referenced. */
int exec_load(struct vm_map *vm, const char *path, const char *const *argv,
	      const char *const *envp, uint64_t *entry, uint64_t *sp,
	      struct path *exe);

#endif
