/*
 * Cross-CPU calls: run a function on other CPUs and wait until each has
 * run it (TLB shootdown, and fr_cpu_call_others for the services).
 *
 * One call is in flight at a time (call_lock).  Its caller publishes the
 * function and the mask of CPUs that still have to run it, interrupts
 * them (the target's call IPI) and spins until the mask is empty.  A CPU
 * waiting for call_lock, or for its own call's answers, runs the call
 * addressed to it meanwhile, so that two CPUs calling each other with
 * interrupts off do not wait for each other forever.
 */
#include "frame_internal.h"

static struct fr_spinlock call_lock = FR_SPINLOCK_INIT;
static struct {
	fr_cpu_call_fn fn; /* written under call_lock before pending */
	void *arg;
	uint64_t pending; /* CPUs still to run fn; atomic */
} call;

uint64_t cpu_online_mask(void)
{
	unsigned n = fr_cpu_count();

	return n >= 64 ? ~0UL : (1UL << n) - 1;
}

void cpu_call_handle(void)
{
	struct percpu *cpu = this_cpu();
	uint64_t bit = 1UL << cpu->id;
	fr_cpu_call_fn fn;
	void *arg;

	if (cpu->in_cpu_call ||
	    !(__atomic_load_n(&call.pending, __ATOMIC_ACQUIRE) & bit))
		return;
	/* the caller keeps fn and arg until every bit is clear */
	fn = call.fn;
	arg = call.arg;
	cpu->in_cpu_call = true;
	fn(arg);
	cpu->in_cpu_call = false;
	__atomic_fetch_and(&call.pending, ~bit, __ATOMIC_RELEASE);
}

int cpu_call_mask(uint64_t mask, fr_cpu_call_fn fn, void *arg)
{
	unsigned long irq = fr_irq_save();
	struct percpu *cpu = this_cpu();
	int n = 0;

	if (cpu->in_cpu_call) {
		fr_irq_restore(irq);
		fr_printk("cpu: a cross-CPU call's function made another: "
			  "refused\n");
		return -EDEADLK;
	}
	mask &= cpu_online_mask() & ~(1UL << cpu->id);
	if (!mask) {
		fr_irq_restore(irq);
		return 0;
	}
	while (!fr_spin_trylock(&call_lock)) {
		cpu_call_handle();
		fr_cpu_relax();
	}
	call.fn = fn;
	call.arg = arg;
	__atomic_store_n(&call.pending, mask, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < 64; i++) {
		if (mask & (1UL << i)) {
			arch_send_call_ipi(i);
			n++;
		}
	}
	while (__atomic_load_n(&call.pending, __ATOMIC_ACQUIRE))
		fr_cpu_relax();
	call.fn = NULL;
	call.arg = NULL;
	fr_spin_unlock(&call_lock);
	fr_irq_restore(irq);
	return n;
}

int fr_cpu_call_others(fr_cpu_call_fn fn, void *arg)
{
	return cpu_call_mask(~0UL, fn, arg);
}
