/*
 * The monotonic clock from the TSC.  Its rate comes from CPUID leaf 0x15
 * when that gives the whole ratio, else from a calibration against the
 * PIT at boot (the median of five 10 ms windows: a window that loses
 * time to the host only looks faster, never slower), else from CPUID leaf
 * 0x16.  Reading the clock scales the counts since boot with a multiplier
 * (time_math.h): no division.  Without a TSC, with an implausible rate,
 * or with "notsc" on the command line, the clock counts ticks instead
 * (timer.c).
 *
 * Every CPU's TSC must agree: each application processor is checked
 * against the boot CPU when it starts (both read the TSC in turns under a
 * lock; a value below the previous one is a disagreement).  TSCs that
 * disagree make fr_monotonic_ns() refuse to go back (it returns the
 * largest value it returned) and the vDSO make system calls.
 */
#include "arch.h"
#include "x86.h"
#include "x86_internal.h"
#include "time_math.h"
#include "vdso_data.h"
#include <frame/timer.h>

#define CALIBRATE_WINDOWS 5
#define CALIBRATE_COUNTS (PIT_HZ / 100) /* 10 ms */
#define TSC_MIN_HZ 50000000ULL		/* 50 MHz */
#define TSC_MAX_HZ 20000000000ULL	/* 20 GHz */
#define SYNC_ROUNDS 2000
#define SYNC_TIMEOUT_US 1000000

static bool tsc_ok;	  /* set once at boot */
static uint64_t tsc_rate;  /* Hz */
static uint64_t tsc_base;  /* the TSC at monotonic time 0 */
static uint64_t tsc_mult;  /* counts to ns */
static bool tsc_unsynced;  /* atomic: CPUs disagree */
static uint64_t mono_last; /* atomic: the largest value, when unsynced */

/* The check of an application processor's TSC (tsc_sync_*). */
static struct {
	uint32_t state; /* 0, 1: the AP is there, 2: go, 3, 4: finished */
	uint32_t lock;
	uint64_t last;
	uint32_t back; /* times a TSC read below the previous read */
} sync;

bool tsc_clock(void)
{
	return tsc_ok;
}

uint64_t tsc_hz(void)
{
	return tsc_ok ? tsc_rate : 0;
}

uint64_t fr_monotonic_ns(void)
{
	uint64_t t, ns, last;

	if (!tsc_ok)
		return timer_tick_clock_ns();
	t = rdtsc_ordered();
	ns = time_scale(t > tsc_base ? t - tsc_base : 0, tsc_mult);
	if (!__atomic_load_n(&tsc_unsynced, __ATOMIC_RELAXED))
		return ns;
	last = __atomic_load_n(&mono_last, __ATOMIC_RELAXED);
	while (ns > last)
		if (__atomic_compare_exchange_n(&mono_last, &last, ns, false,
						__ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return ns;
	return last;
}

/* The rate CPUID leaf 0x15 gives (TSC/crystal ratio and crystal), or 0. */
static uint64_t cpuid_15_hz(uint32_t max_leaf)
{
	uint32_t den, num, crystal, d;

	if (max_leaf < 0x15)
		return 0;
	cpuid(0x15, &den, &num, &crystal, &d);
	if (!den || !num || !crystal)
		return 0;
	return (uint64_t)crystal * num / den;
}

/* The base frequency of CPUID leaf 0x16 (close to the TSC's), or 0. */
static uint64_t cpuid_16_hz(uint32_t max_leaf)
{
	uint32_t mhz, b, c, d;

	if (max_leaf < 0x16)
		return 0;
	cpuid(0x16, &mhz, &b, &c, &d);
	return (uint64_t)(mhz & 0xffff) * 1000000;
}

/* One window of the calibration: the TSC's rate over 10 ms of the PIT. */
static uint64_t pit_window_hz(void)
{
	struct pit_window w;
	uint64_t t0, t1;

	pit_window_start(&w);
	t0 = rdtsc_ordered();
	while (!pit_window_done(&w, CALIBRATE_COUNTS))
		;
	t1 = rdtsc_ordered();
	return time_calibrate_hz(t1 - t0, w.done, PIT_HZ);
}

/* The median of the calibration windows (interrupts off). */
static uint64_t pit_calibrate_hz(void)
{
	uint64_t hz[CALIBRATE_WINDOWS];

	for (unsigned i = 0; i < CALIBRATE_WINDOWS; i++) {
		uint64_t v = pit_window_hz();
		unsigned j = i;

		for (; j && hz[j - 1] > v; j--)
			hz[j] = hz[j - 1];
		hz[j] = v;
	}
	return hz[CALIBRATE_WINDOWS / 2];
}

static bool plausible(uint64_t hz)
{
	return hz >= TSC_MIN_HZ && hz <= TSC_MAX_HZ;
}

void tsc_init(void)
{
	uint32_t max_leaf, ext_max, a, b, c, d;
	bool invariant = false;
	const char *how = "CPUID leaf 0x15";
	uint64_t hz;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & (1u << 4))) {
		fr_printk("tsc: none: the clock counts ticks\n");
		return;
	}
	if (boot_param("notsc")) {
		fr_printk("tsc: not used (notsc): the clock counts ticks\n");
		return;
	}
	cpuid(0, &max_leaf, &b, &c, &d);
	cpuid(0x80000000, &ext_max, &b, &c, &d);
	if (ext_max >= 0x80000007) {
		cpuid(0x80000007, &a, &b, &c, &d);
		invariant = d & (1u << 8);
	}
	hz = cpuid_15_hz(max_leaf);
	if (!plausible(hz)) {
		how = "the PIT";
		hz = pit_calibrate_hz();
	}
	if (!plausible(hz)) {
		how = "CPUID leaf 0x16";
		hz = cpuid_16_hz(max_leaf);
	}
	if (!plausible(hz)) {
		fr_printk("tsc: no plausible rate (%lu Hz): the clock counts "
			  "ticks\n", hz);
		return;
	}
	tsc_rate = hz;
	tsc_mult = time_mult(hz, TIME_NS_PER_SEC);
	tsc_base = rdtsc_ordered();
	tsc_ok = true;
	fr_printk("tsc: %lu.%03lu MHz (from %s)%s\n", hz / 1000000,
		  hz / 1000 % 1000, how, invariant ? ", invariant" : "");
}

void tsc_publish(uint64_t hres_ns)
{
	bool fast = tsc_ok && !__atomic_load_n(&tsc_unsynced, __ATOMIC_RELAXED);

	vdso_set_clock(fast ? VDSO_CLOCK_TSC : VDSO_CLOCK_NONE, tsc_base,
		       tsc_mult, hres_ns, TIME_NS_PER_SEC / FR_TICK_HZ);
}

/* Read the TSC SYNC_ROUNDS times in turns with the other CPU. */
static void sync_rounds(void)
{
	for (unsigned i = 0; i < SYNC_ROUNDS; i++) {
		uint64_t t;

		while (__atomic_exchange_n(&sync.lock, 1, __ATOMIC_ACQUIRE))
			fr_cpu_relax();
		t = rdtsc_ordered();
		if (t < sync.last)
			sync.back++;
		sync.last = t;
		__atomic_store_n(&sync.lock, 0, __ATOMIC_RELEASE);
	}
	__atomic_fetch_add(&sync.state, 1, __ATOMIC_ACQ_REL);
}

static bool wait_state(uint32_t want)
{
	for (uint64_t t = 0; t < SYNC_TIMEOUT_US; t += 10) {
		if (__atomic_load_n(&sync.state, __ATOMIC_ACQUIRE) >= want)
			return true;
		pit_delay_us(10);
	}
	return false;
}

void tsc_sync_ap(void)
{
	uint64_t give_up = rdtsc() + tsc_rate; /* a second */

	if (!tsc_ok)
		return;
	__atomic_store_n(&sync.state, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&sync.state, __ATOMIC_ACQUIRE) < 2) {
		if (rdtsc() > give_up)
			return; /* the boot CPU said so */
		fr_cpu_relax();
	}
	sync_rounds();
}

void tsc_sync_bsp(unsigned id)
{
	if (!tsc_ok)
		return;
	sync.last = 0;
	sync.back = 0;
	if (!wait_state(1)) {
		fr_printk("tsc: CPU %u did not take part in the TSC check\n",
			  id);
		__atomic_store_n(&sync.state, 0, __ATOMIC_RELEASE);
		return;
	}
	__atomic_store_n(&sync.state, 2, __ATOMIC_RELEASE);
	sync_rounds();
	if (!wait_state(4))
		fr_printk("tsc: CPU %u did not finish the TSC check\n", id);
	if (sync.back && !__atomic_load_n(&tsc_unsynced, __ATOMIC_RELAXED)) {
		fr_printk("tsc: CPU %u's TSC disagrees with CPU 0's (%u "
			  "backward reads): the clock is kept from going "
			  "back, the vDSO makes system calls\n",
			  id, sync.back);
		__atomic_store_n(&mono_last, fr_monotonic_ns(),
				 __ATOMIC_RELAXED);
		__atomic_store_n(&tsc_unsynced, true, __ATOMIC_RELEASE);
		tsc_publish(fr_timer_resolution_ns());
	}
	/* the next CPU starts from 0; this one no longer looks */
	__atomic_store_n(&sync.state, 0, __ATOMIC_RELEASE);
}
