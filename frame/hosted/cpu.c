/*
 * CPUs of the hosted target: each CPU is a host thread (CPU 0 is the
 * process's main thread), with its own per-CPU block and interrupt flag.
 *
 * Interrupts are emulated: a timer thread plays the per-CPU timers and
 * marks a tick pending on every CPU FR_TICK_HZ times a second, and the
 * timer event on CPU 0 when it is due; device lines, reschedule kicks
 * and cross-CPU calls are marked pending the same way.  A CPU takes its
 * pending interrupts only at safe points with its interrupt flag set:
 * when interrupts are re-enabled, in fr_cpu_idle() and fr_cpu_relax(),
 * and where the core polls (arch_irq_poll).  Kernel code is not preempted
 * in the kernel target either (a tick only sets need_resched), so tasks
 * see the same behaviour; only an interrupt's exact arrival point differs.
 */
#include "hosted.h"
#include <frame/irq.h>
#include <frame/timer.h>
#include <cpuid.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct hosted_cpu {
	struct percpu percpu; /* the core's per-CPU block */
	bool irq_on;	      /* interrupt flag; only its own thread uses it */
	/* set by other threads, taken by this CPU (atomics) */
	uint32_t pending_ticks;
	uint32_t pending_kick;	/* a reschedule kick (an IPI) */
	uint32_t pending_call;	/* a cross-CPU call (an IPI) */
	uint32_t pending_lines; /* device lines, CPU 0 only */
	uint32_t pending_event; /* the timer event, CPU 0 only */
	uint32_t wake_seq;	/* futex word, bumped on each wake-up */
	uint32_t idling;	/* waiting in fr_cpu_idle */
	pthread_t thread;
};

static struct hosted_cpu cpus[FR_MAX_CPUS];
static unsigned cpus_wanted;  /* -smp */
static unsigned cpus_online; /* atomic */
static __thread struct hosted_cpu *self_cpu;

/*
 * The running CPU.  Never inlined: a task (fiber) may resume on another
 * host thread, so the thread-local pointer must be read afresh each time.
 */
static __attribute__((noinline, noipa)) struct hosted_cpu *cpu_self(void)
{
	return self_cpu;
}

struct percpu *this_cpu(void)
{
	return &cpu_self()->percpu;
}

/* fr_cpu_id - see <frame/cpu.h>. */
unsigned fr_cpu_id(void)
{
	return cpu_self()->percpu.id;
}

/* fr_cpu_count - see <frame/cpu.h>: the CPU threads started (-smp). */
unsigned fr_cpu_count(void)
{
	return __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);
}

static bool has_pending(struct hosted_cpu *c)
{
	return __atomic_load_n(&c->pending_ticks, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&c->pending_kick, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&c->pending_call, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&c->pending_lines, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&c->pending_event, __ATOMIC_SEQ_CST);
}

/* Wake @c if it waits in fr_cpu_idle (after marking something pending). */
static void wake_if_idle(struct hosted_cpu *c)
{
	if (!__atomic_load_n(&c->idling, __ATOMIC_SEQ_CST))
		return;
	__atomic_fetch_add(&c->wake_seq, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &c->wake_seq, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Take every pending interrupt, as the CPU would with interrupts on. */
void hosted_deliver_interrupts(void)
{
	struct hosted_cpu *c = cpu_self();

	c->irq_on = false;
	for (;;) {
		uint32_t ticks = __atomic_exchange_n(&c->pending_ticks, 0,
						     __ATOMIC_SEQ_CST);
		uint32_t kick = __atomic_exchange_n(&c->pending_kick, 0,
						    __ATOMIC_SEQ_CST);
		uint32_t lines = __atomic_exchange_n(&c->pending_lines, 0,
						     __ATOMIC_SEQ_CST);
		uint32_t call = __atomic_exchange_n(&c->pending_call, 0,
						    __ATOMIC_SEQ_CST);
		uint32_t event = __atomic_exchange_n(&c->pending_event, 0,
						     __ATOMIC_SEQ_CST);

		if (!ticks && !kick && !lines && !call && !event)
			break;
		if (call)
			cpu_call_handle();
		while (ticks--)
			hosted_timer_tick(c->percpu.id);
		if (event)
			hosted_timer_event();
		for (unsigned line = 0; line < FR_IRQ_LINES; line++)
			if (lines & (1u << line))
				hosted_irq_dispatch(line);
		/* a kick only brings the CPU out of fr_cpu_idle() */
	}
	c->irq_on = true;
}

void arch_irq_poll(void)
{
	struct hosted_cpu *c = cpu_self();

	if (c->irq_on && has_pending(c))
		hosted_deliver_interrupts();
}

void arch_irq_enable(void)
{
	cpu_self()->irq_on = true;
	arch_irq_poll();
}

/* fr_irq_save - see <frame/cpu.h>: clears this CPU's interrupt flag. */
unsigned long fr_irq_save(void)
{
	struct hosted_cpu *c = cpu_self();
	bool was_on = c->irq_on;

	c->irq_on = false;
	return was_on;
}

/* fr_irq_restore - see <frame/cpu.h>; enabling is a safe point. */
void fr_irq_restore(unsigned long flags)
{
	if (flags)
		arch_irq_enable();
}

/* fr_irq_enabled - see <frame/cpu.h>. */
bool fr_irq_enabled(void)
{
	return cpu_self()->irq_on;
}

/*
 * fr_cpu_relax - see <frame/cpu.h>.  Gives the host CPU away (the CPU
 * thread that holds what we wait for may not be running) and is a safe
 * point.
 */
void fr_cpu_relax(void)
{
	sched_yield();
	arch_irq_poll();
}

/*
 * fr_cpu_idle - see <frame/cpu.h>: sleeps until an interrupt is pending
 * (a tick, a kick or a device line), then takes it.
 */
void fr_cpu_idle(void)
{
	struct hosted_cpu *c = cpu_self();

	c->irq_on = true;
	for (;;) {
		uint32_t seq = __atomic_load_n(&c->wake_seq, __ATOMIC_SEQ_CST);

		if (has_pending(c)) {
			hosted_deliver_interrupts();
			return;
		}
		__atomic_store_n(&c->idling, 1, __ATOMIC_SEQ_CST);
		if (!has_pending(c))
			syscall(SYS_futex, &c->wake_seq, FUTEX_WAIT_PRIVATE,
				seq, NULL, NULL, 0);
		__atomic_store_n(&c->idling, 0, __ATOMIC_SEQ_CST);
	}
}

void arch_kick_cpu(unsigned cpu)
{
	__atomic_store_n(&cpus[cpu].pending_kick, 1, __ATOMIC_SEQ_CST);
	wake_if_idle(&cpus[cpu]);
}

struct percpu *percpu_of(unsigned id)
{
	return &cpus[id].percpu;
}

/* The call IPI: CPU @cpu runs the cross-CPU call at its next safe point. */
void arch_send_call_ipi(unsigned cpu)
{
	__atomic_store_n(&cpus[cpu].pending_call, 1, __ATOMIC_SEQ_CST);
	wake_if_idle(&cpus[cpu]);
}

/* Device line @line fired: CPU 0 takes it at its next safe point. */
void hosted_irq_raise(unsigned line)
{
	if (line >= FR_IRQ_LINES || !hosted_irq_unmasked(line))
		return;
	__atomic_fetch_or(&cpus[0].pending_lines, 1u << line,
			  __ATOMIC_SEQ_CST);
	wake_if_idle(&cpus[0]);
}

/* fr_cpu_hwcap - see <frame/cpu.h>: the host CPU's CPUID leaf 1 EDX. */
uint64_t fr_cpu_hwcap(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	return d;
}

void hosted_thread_stack(uint64_t *bottom, uint64_t *size)
{
	pthread_attr_t attr;
	void *addr;
	size_t len;

	if (pthread_getattr_np(pthread_self(), &attr) ||
	    pthread_attr_getstack(&attr, &addr, &len))
		fr_panic("hosted: cannot find the thread's stack");
	pthread_attr_destroy(&attr);
	*bottom = (uint64_t)addr;
	*size = len;
}

/* ---- the timer: ticks for every CPU, the event for CPU 0 ---- */

#define TICK_NS (1000000000ULL / FR_TICK_HZ)

static uint32_t timer_seq; /* futex word: bumped when the event moves */

static uint64_t host_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void hosted_timer_wake(void)
{
	__atomic_fetch_add(&timer_seq, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &timer_seq, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/*
 * Sleep until the next tick or the event (host CLOCK_MONOTONIC), then
 * mark what is due: a tick on every CPU, the event on CPU 0.  A change
 * of the event (timer_seq) ends the sleep early.
 */
static void *timer_thread(void *unused)
{
	uint64_t boot = hosted_boot_monotonic_ns();
	uint64_t next = host_mono_ns() + TICK_NS;

	(void)unused;
	for (;;) {
		uint32_t seq = __atomic_load_n(&timer_seq, __ATOMIC_SEQ_CST);
		uint64_t ev = hosted_event_deadline(), at = next, now;
		struct timespec abs;

		if (ev != UINT64_MAX && ev + boot < at)
			at = ev + boot;
		abs.tv_sec = (time_t)(at / 1000000000ULL);
		abs.tv_nsec = (long)(at % 1000000000ULL);
		/* an absolute CLOCK_MONOTONIC timeout */
		syscall(SYS_futex, &timer_seq, FUTEX_WAIT_BITSET_PRIVATE, seq,
			&abs, NULL, FUTEX_BITSET_MATCH_ANY);
		now = host_mono_ns();
		if (hosted_take_due_event(now - boot)) {
			__atomic_store_n(&cpus[0].pending_event, 1,
					 __ATOMIC_SEQ_CST);
			wake_if_idle(&cpus[0]);
		}
		if (now < next)
			continue;
		/* stopped for a while (a debugger): do not catch up */
		next = now > next + 1000000000ULL ? now + TICK_NS :
						     next + TICK_NS;
		for (unsigned i = 0, online = fr_cpu_count(); i < online;
		     i++) {
			__atomic_fetch_add(&cpus[i].pending_ticks, 1,
					   __ATOMIC_SEQ_CST);
			wake_if_idle(&cpus[i]);
		}
	}
	return NULL;
}

static void start_thread(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	int err = pthread_create(thread, NULL, fn, arg);

	if (err) {
		fprintf(stderr, "trellis-hosted: pthread_create: error %d\n",
			err);
		exit(2);
	}
}

void hosted_cpus_init(unsigned ncpus)
{
	pthread_t timer;

	cpus_wanted = ncpus;
	for (unsigned i = 0; i < ncpus; i++) {
		cpus[i].percpu.self = &cpus[i].percpu;
		cpus[i].percpu.id = i;
	}
	self_cpu = &cpus[0];
	cpus[0].thread = pthread_self();
	__atomic_store_n(&cpus_online, 1, __ATOMIC_RELEASE);
	start_thread(&timer, timer_thread, NULL);
}

/* A secondary CPU: its first context becomes its idle task. */
static void *cpu_thread(void *arg)
{
	self_cpu = arg;
	__atomic_fetch_add(&cpus_online, 1, __ATOMIC_ACQ_REL);
	task_run_secondary_cpu();
}

/* The scheduler exists: bring up the other CPUs and wait for them. */
void arch_scheduler_ready(void)
{
	for (unsigned i = 1; i < cpus_wanted; i++) {
		start_thread(&cpus[i].thread, cpu_thread, &cpus[i]);
		while (fr_cpu_count() < i + 1)
			sched_yield();
	}
}
