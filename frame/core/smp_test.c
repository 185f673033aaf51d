/*
 * KTESTs of several CPUs: every running CPU answers a cross-CPU call with
 * its own fr_cpu_id, the call waits for all of them (with interrupts on
 * or off, from several tasks at once), a call made from inside a call is
 * refused, a task sleeping here is woken from another CPU, and a TLB
 * shootdown: a page unmapped, replaced or write-
 * protected by one CPU is seen so at once by the others that have the
 * space loaded.  With one CPU the calls run nowhere and the checks are
 * about that; boot with -smp 2 or more (tools/test.sh, group smp) to
 * exercise the rest.
 */
#include <frame/ktest.h>
#include "frame_internal.h"
#include "ktest_tasks.h"
#include <libs/string.h>

#define RD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)

struct checkin {
	uint64_t seen;	 /* bit per CPU id; atomic */
	unsigned calls;	 /* atomic */
	unsigned bad_id; /* ids out of range; atomic */
};

static void checkin_fn(void *arg)
{
	struct checkin *c = arg;
	unsigned id = fr_cpu_id();

	__atomic_fetch_add(&c->calls, 1, __ATOMIC_RELAXED);
	if (id >= fr_cpu_count() || fr_irq_enabled())
		__atomic_fetch_add(&c->bad_id, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_or(&c->seen, 1UL << id, __ATOMIC_RELAXED);
}

/* Each other CPU runs the function once, as itself, before the return. */
KTEST(smp, every_cpu_checks_in)
{
	struct checkin c = { 0, 0, 0 };
	unsigned n = fr_cpu_count(), me = fr_cpu_id();
	uint64_t others = cpu_online_mask() & ~(1UL << me);

	fr_printk("# smp: %u CPU%s running\n", n, n > 1 ? "s" : "");
	KT_EXPECT(n >= 1 && n <= FR_MAX_CPUS);
	KT_EXPECT(me < n);
	KT_EXPECT_EQ(fr_cpu_call_others(checkin_fn, &c), n - 1);
	KT_EXPECT_EQ(RD(c.calls), n - 1);
	KT_EXPECT_EQ(RD(c.bad_id), 0);
	/* distinct ids: n - 1 calls set n - 1 different bits, not ours */
	KT_EXPECT_EQ(RD(c.seen), others);
}

/* The caller's interrupts may be off: the call still completes. */
KTEST(smp, call_with_interrupts_off)
{
	struct checkin c = { 0, 0, 0 };
	unsigned long irq = fr_irq_save();
	int ran = fr_cpu_call_others(checkin_fn, &c);

	fr_irq_restore(irq);
	KT_EXPECT_EQ(ran, fr_cpu_count() - 1);
	KT_EXPECT_EQ(RD(c.seen), cpu_online_mask() & ~(1UL << fr_cpu_id()));
}

static void slow_fn(void *arg)
{
	unsigned *done = arg;

	for (volatile int i = 0; i < 200000; i++)
		;
	__atomic_fetch_add(done, 1, __ATOMIC_RELEASE);
}

/* The caller returns only when every CPU has finished the function. */
KTEST(smp, call_waits_for_all)
{
	unsigned done = 0;

	for (int round = 1; round <= 3; round++) {
		KT_EXPECT_EQ(fr_cpu_call_others(slow_fn, &done),
			     fr_cpu_count() - 1);
		KT_EXPECT_EQ(RD(done), round * (fr_cpu_count() - 1));
	}
}

static void nested_fn(void *arg)
{
	int *result = arg;

	__atomic_store_n(result, fr_cpu_call_others(slow_fn, NULL),
			 __ATOMIC_RELEASE);
}

/* A call's function may not call again: refused, nothing deadlocks. */
KTEST(smp, call_from_call_refused)
{
	int result = 1;

	if (fr_cpu_count() == 1)
		return;
	KT_EXPECT_EQ(fr_cpu_call_others(nested_fn, &result),
		     fr_cpu_count() - 1);
	KT_EXPECT_EQ(RD(result), -EDEADLK);
}

#define CALLERS 3
#define CALLS 50

struct callers {
	struct kt_join join;
	unsigned ran;	/* function runs; atomic */
	unsigned wrong; /* calls that returned a wrong count; atomic */
};

static void count_fn(void *arg)
{
	struct callers *c = arg;

	__atomic_fetch_add(&c->ran, 1, __ATOMIC_RELAXED);
}

static void caller_fn(void *arg)
{
	struct callers *c = arg;

	for (int i = 0; i < CALLS; i++) {
		if (fr_cpu_call_others(count_fn, c) != (int)fr_cpu_count() - 1)
			__atomic_fetch_add(&c->wrong, 1, __ATOMIC_RELAXED);
		if (i % 8 == 0)
			fr_task_yield();
	}
	kt_join_done(&c->join);
}

/* Calls from several tasks (on several CPUs where tasks run there). */
KTEST(smp, concurrent_callers)
{
	struct callers c;

	memset(&c, 0, sizeof(c));
	kt_join_init(&c.join, CALLERS);
	for (int i = 0; i < CALLERS; i++) {
		struct fr_task *t = fr_task_create("kt-caller", caller_fn, &c);

		KT_ASSERT(t != NULL);
		fr_task_start(t);
	}
	kt_join_wait(kt, &c.join);
	KT_EXPECT_EQ(RD(c.wrong), 0);
	KT_EXPECT_EQ(RD(c.ran), CALLERS * CALLS * (fr_cpu_count() - 1));
}

struct waker {
	struct kt_join join;
	struct fr_waitqueue wq;
	bool go; /* atomic */
};

static void sleeper_fn(void *arg)
{
	struct waker *w = arg;

	FR_WAIT_EVENT(&w->wq, RD(w->go));
	kt_join_done(&w->join);
}

static void wake_fn(void *arg)
{
	struct waker *w = arg;

	__atomic_store_n(&w->go, true, __ATOMIC_RELEASE);
	fr_wake_all(&w->wq);
}

/* A task that sleeps is woken from another CPU's interrupt context. */
KTEST(smp, wake_from_other_cpu)
{
	struct waker w;
	struct fr_task *t;

	if (fr_cpu_count() == 1)
		return;
	memset(&w, 0, sizeof(w));
	kt_join_init(&w.join, 1);
	fr_waitqueue_init(&w.wq);
	t = fr_task_create("kt-sleeper", sleeper_fn, &w);
	KT_ASSERT(t != NULL);
	fr_task_start(t);
	/* it runs until it sleeps (on this CPU, or any that runs tasks) */
	for (int i = 0; i < 10; i++)
		fr_task_yield();
	KT_EXPECT(fr_cpu_call_others(wake_fn, &w) > 0);
	kt_join_wait(kt, &w.join);
	KT_EXPECT(RD(w.go));
}

/* ---- TLB shootdown ---- */

#define U_ADDR 0x7000000UL

enum tlb_op { TLB_READ, TLB_WRITE, TLB_LEAVE };

struct tlb_probe {
	struct fr_vm_space *vs;
	enum tlb_op op;
	uint8_t byte;		     /* to write */
	int err[FR_MAX_CPUS];	     /* by CPU */
	uint8_t got[FR_MAX_CPUS];    /* read by CPU */
};

/* On another CPU: load the space (it stays loaded), touch the page. */
static void tlb_probe_fn(void *arg)
{
	struct tlb_probe *p = arg;
	struct percpu *cpu = this_cpu();
	unsigned id = cpu->id;

	if (p->op == TLB_LEAVE) {
		if (cpu->active_vs == p->vs)
			vm_space_switch_to_task(cpu->current->vs);
		p->err[id] = 0;
		return;
	}
	if (cpu->active_vs != p->vs)
		vm_space_switch_to_task(p->vs);
	if (p->op == TLB_READ)
		p->err[id] = fr_copy_from_user(&p->got[id], fr_uaddr(U_ADDR), 1);
	else
		p->err[id] = fr_copy_to_user(fr_uaddr(U_ADDR), &p->byte, 1);
}

/* Run @op on the other CPUs; whether each gave @err (and read @want). */
static bool tlb_probe(struct tlb_probe *p, enum tlb_op op, int err,
		      uint8_t want)
{
	uint64_t others = cpu_online_mask() & ~(1UL << fr_cpu_id());
	bool ok = true;

	p->op = op;
	memset(p->err, 0x7f, sizeof(p->err));
	memset(p->got, 0, sizeof(p->got));
	if (fr_cpu_call_others(tlb_probe_fn, p) < 0)
		return false;
	for (unsigned i = 0; i < FR_MAX_CPUS; i++) {
		if (!(others & (1UL << i)))
			continue;
		if (p->err[i] != err || (op == TLB_READ && !err &&
					 p->got[i] != want)) {
			fr_printk("#   CPU %u: error %d (want %d), read %x "
				  "(want %x)\n", i, p->err[i], err, p->got[i],
				  want);
			ok = false;
		}
	}
	return ok;
}

/*
 * The other CPUs load a space and cache a page's translation; this CPU
 * replaces the page, unmaps it, write-protects it: they must see each
 * change at once (with a stale TLB entry they would read the old page,
 * or write through the old protection).
 */
KTEST(smp, tlb_shootdown)
{
	struct tlb_probe *p = FR_NEW(struct tlb_probe);
	struct fr_page *a = fr_page_alloc(FR_PAGE_ZERO);
	struct fr_page *b = fr_page_alloc(FR_PAGE_ZERO);
	const unsigned rw = FR_PROT_READ | FR_PROT_WRITE;
	uint8_t byte = 0;

	if (!KT_EXPECT(p && a && b))
		goto out;
	p->vs = fr_vm_space_create();
	if (!KT_EXPECT(p->vs != NULL))
		goto out;
	KT_EXPECT_EQ(fr_page_fill(a, 0, 'A', 1), 0);
	KT_EXPECT_EQ(fr_page_fill(b, 0, 'B', 1), 0);
	KT_EXPECT_EQ(fr_vm_space_map(p->vs, fr_uaddr(U_ADDR), a, rw), 0);
	KT_EXPECT(tlb_probe(p, TLB_READ, 0, 'A'));

	/* another page at the same address */
	KT_EXPECT_EQ(fr_vm_space_unmap(p->vs, fr_uaddr(U_ADDR), FR_PAGE_SIZE),
		     0);
	KT_EXPECT_EQ(fr_vm_space_map(p->vs, fr_uaddr(U_ADDR), b, rw), 0);
	KT_EXPECT(tlb_probe(p, TLB_READ, 0, 'B'));

	/* no page: a fault, not the old translation */
	KT_EXPECT_EQ(fr_vm_space_unmap(p->vs, fr_uaddr(U_ADDR), FR_PAGE_SIZE),
		     0);
	KT_EXPECT(tlb_probe(p, TLB_READ, -EFAULT, 0));

	/* writable, written (cached writable), then read-only */
	KT_EXPECT_EQ(fr_vm_space_map(p->vs, fr_uaddr(U_ADDR), a, rw), 0);
	p->byte = 'C';
	KT_EXPECT(tlb_probe(p, TLB_WRITE, 0, 0));
	KT_EXPECT_EQ(fr_vm_space_protect(p->vs, fr_uaddr(U_ADDR), FR_PAGE_SIZE,
					 FR_PROT_READ),
		     0);
	p->byte = 'D';
	KT_EXPECT(tlb_probe(p, TLB_WRITE, -EFAULT, 0));
	KT_EXPECT_EQ(fr_page_read(a, 0, &byte, 1), 0);
	KT_EXPECT_EQ(byte, fr_cpu_count() > 1 ? 'C' : 'A');

	KT_EXPECT(tlb_probe(p, TLB_LEAVE, 0, 0));
	fr_vm_space_destroy(p->vs);
out:
	if (a)
		fr_page_put(a);
	if (b)
		fr_page_put(b);
	fr_kfree(p);
}
