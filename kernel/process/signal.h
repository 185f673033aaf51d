/*
 * Signals: handlers, per-thread masks, the process-wide and per-thread
 * pending sets, delivery on the way back to user mode (Linux's x86-64
 * signal frame), default actions, job-control stops, and the restart of
 * interrupted system calls.
 */
#ifndef KERNEL_PROCESS_SIGNAL_H
#define KERNEL_PROCESS_SIGNAL_H

#include <frame/types.h>
#include <frame/user.h>

/* Linux numbers signals 1..64 (_NSIG, which the UAPI hides from users). */
#define SIGNAL_COUNT 64
#define SIGNAL_BIT(sig) (1ULL << ((sig) - 1))

/* struct sigaction as rt_sigaction() passes it on x86-64. */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

/*
 * The fields of a siginfo the kernel keeps; signal_info_to_user() lays
 * them out as Linux's siginfo_t.
 */
struct k_siginfo {
	int32_t signo, code;
	int32_t errno_;
	int32_t pid;	 /* sender, child, or timer id */
	uint32_t uid;
	int32_t status;	 /* SIGCHLD: exit code or signal; timer overrun */
	uint64_t value;	 /* sigval, or the fault address */
	int64_t utime, stime; /* SIGCHLD */
	int32_t kind;	 /* which union member: SI_KIND_* */
};

enum { SI_KIND_KILL, SI_KIND_RT, SI_KIND_CHLD, SI_KIND_FAULT, SI_KIND_TIMER };

struct sigpending;

/*
 * A queued signal: a real-time one (and extra instances of them), or the
 * entry of a POSIX timer.  Ordinary entries are allocated when sent and
 * freed when taken.  A preallocated one belongs to its timer, which sends
 * it again and again (signal_send_preallocated_locked()): it is queued at
 * most once, whatever its signal, and an expiry while it is still queued
 * only counts an overrun, which the signal reports when it is taken.
 */
struct sigqueue {
	struct k_siginfo info;
	struct sigqueue *next;
	bool preallocated;	  /* owned by a timer, never freed here */
	bool queued;		  /* [sig] preallocated: on the list @where */
	struct sigpending *where; /* [sig] preallocated: the list it is on */
	uint64_t overrun;	  /* [sig] preallocated: expiries unreported */
	int32_t overrun_last;	  /* [sig] preallocated: last si_overrun */
};

/*
 * Pending signals: a set, the info of each classic one, a queue for RT
 * signals and for timers' entries.  A signal is in @set while its classic
 * slot is held or an entry of the queue has it.
 */
struct sigpending {
	uint64_t set;
	uint64_t classic_held;	      /* the classic slots in use */
	struct k_siginfo classic[32]; /* for signals 1..31 */
	struct sigqueue *queue;	      /* in order of arrival */
};

/* A process's signal state (its threads share it).  [sig] */
struct signal_state {
	struct k_sigaction action[SIGNAL_COUNT];
	struct sigpending shared;
	bool continued_notify; /* SIGCONT woke it: tell the parent */
};

/* A thread's signal state.  [sig] */
struct thread_signals {
	uint64_t blocked;
	uint64_t real_blocked; /* the mask outside sigtimedwait, which clears some */
	uint64_t saved_mask; /* sigsuspend's mask to put back */
	bool restore_mask;
	struct sigpending pending;
	uint64_t ss_sp, ss_size; /* sigaltstack */
	int ss_flags;
};

struct process;
struct thread;

/* signal_process_init - default handlers, nothing pending. */
void signal_process_init(struct signal_state *s);

/* signal_process_fork - a child's state: the parent's handlers. */
void signal_process_fork(struct signal_state *child,
			 const struct signal_state *parent);

/* signal_process_exec - handlers back to default; ignored stay ignored. */
void signal_process_exec(struct signal_state *s);

/* signal_flush - drop everything pending (at exit). */
void signal_flush(struct sigpending *p);

/*
 * signal_send - send @info->signo to process @p, or to thread @t of it when
 * @t is not NULL.  @forced: from the kernel (faults), which init cannot
 * ignore.  Returns 0, -EAGAIN when an RT signal cannot be queued.
 * Context: any; takes @p's siglock.
 */
int signal_send(struct process *p, struct thread *t,
		const struct k_siginfo *info, bool forced);

/*
 * signal_send_locked - signal_send() by the kernel (not forced) with
 * @p's siglock held (from a timer's callback that holds it).
 */
int signal_send_locked(struct process *p, struct thread *t,
		       const struct k_siginfo *info);

/*
 * signal_send_preallocated_locked - send the preallocated entry @q (its
 * info filled by its owner) to @p, or to its thread @t: queue it, or when
 * it is still queued from an earlier expiry, count one overrun more.
 * @missed expiries are counted as overruns with it.  Returns 0, or 1 when
 * the signal was not queued (ignored, or the process is ending).
 * Context: any; @p's siglock held.
 */
int signal_send_preallocated_locked(struct process *p, struct thread *t,
				    struct sigqueue *q, uint64_t missed);

/*
 * signal_unqueue_locked - take the preallocated entry @q off the pending
 * list it is on (its owner is going away).  Context: the siglock of the
 * process it was sent to held.
 */
void signal_unqueue_locked(struct sigqueue *q);

/*
 * signal_keep_pending_locked - the preallocated entry @q is going with
 * its owner: if it is queued, a new ordinary entry takes its place,
 * freed when taken (Linux 6.1's sigqueue_free()), with the overruns
 * counted so far; at the limit of queued entries (SIGQUEUE_MAX) or
 * without memory, the signal goes with @q.
 * Context: as signal_unqueue_locked().
 */
void signal_keep_pending_locked(struct sigqueue *q);

/*
 * signal_send_simple - signal_send() with the info of kill() by the
 * calling process (SI_USER), or SI_KERNEL when no process calls.
 */
int signal_send_simple(struct process *p, struct thread *t, int sig);

/*
 * signal_force - a synchronous signal for the calling thread (a fault):
 * if it is blocked or ignored, its default action is restored so that it
 * ends the process.
 */
void signal_force(struct thread *t, int sig, int code, uint64_t addr);

/*
 * signal_deliver - on the way back to user mode: restart or fail an
 * interrupted system call, take the default actions, stop while stopped,
 * and build a signal frame for each handler to run.  May not return (the
 * process ends).
 */
void signal_deliver(struct thread *t, struct fr_user_regs *regs);

/* signal_sigreturn - rt_sigreturn: registers and mask from the frame. */
long signal_sigreturn(struct thread *t, struct fr_user_regs *regs);

/* signal_pending_for - whether @t has something to take.  [sig] held */
bool signal_pending_for(const struct thread *t);

/*
 * signal_dequeue - take the lowest pending signal of @t in @set (thread's
 * own first, then the process's), filling @info.  Returns it or 0.
 * [sig] held.
 */
int signal_dequeue(struct thread *t, uint64_t set, struct k_siginfo *info);

/* signal_dequeue_from - the same from one pending set.  [sig] held */
int signal_dequeue_from(struct sigpending *pend, uint64_t set,
			struct k_siginfo *info);

/*
 * signal_get_altstack / signal_set_altstack - sigaltstack() for @t whose
 * user stack pointer is @rsp: get returns the SS_* flags as Linux reports
 * them; set returns 0, -EINVAL (flags), -ENOMEM (too small) or -EPERM
 * (running on the alternate stack).
 */
int signal_get_altstack(struct thread *t, uint64_t rsp, uint64_t *sp,
			uint64_t *size);
int signal_set_altstack(struct thread *t, uint64_t sp, uint64_t size,
			int flags, uint64_t rsp);

/* signal_info_to_user - write @info as a siginfo_t at @uaddr. */
int signal_info_to_user(uint64_t uaddr, const struct k_siginfo *info);

/* signal_info_from_user - read a siginfo_t (rt_sigqueueinfo). */
int signal_info_from_user(struct k_siginfo *info, uint64_t uaddr);

/* Default action of a signal when its handler is SIG_DFL. */
enum signal_default { SIG_DEFAULT_TERM, SIG_DEFAULT_CORE, SIG_DEFAULT_IGNORE,
		      SIG_DEFAULT_STOP, SIG_DEFAULT_CONT };
enum signal_default signal_default_action(int sig);

#endif
