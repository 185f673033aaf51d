/*
 * The local APIC of each CPU, in xAPIC mode (memory-mapped registers):
 * enabling it, end of interrupt, inter-processor interrupts and its
 * timer (the tick and the timer events of timer.c), which counts the bus
 * clock divided by 16 at a rate measured on the PIT.  The legacy PIC
 * still delivers device lines (and the tick, without an APIC timer) to
 * the boot CPU through LINT0 (virtual-wire mode), which stays as the
 * firmware left it: ExtINT on the boot CPU, masked on the others.
 */
#include "arch.h"
#include "x86.h"
#include "x86_internal.h"
#include "time_math.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1UL << 11)
#define APIC_BASE_X2APIC (1UL << 10)
#define APIC_BASE_ADDR 0x000ffffffffff000UL

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ESR 0x280
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0

#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_NMI (4u << 8)
#define LVT_EXTINT (7u << 8)
#define ICR_PENDING (1u << 12)
#define LVT_PERIODIC (1u << 17)
#define TIMER_DIV_16 0x3
#define TIMER_WINDOWS 3
#define TIMER_WINDOW_COUNTS (PIT_HZ / 100) /* 10 ms */

static uint64_t lapic_va; /* 0 until lapic_init_bsp mapped it */
static uint64_t lapic_pa;

static uint32_t lapic_read(unsigned reg)
{
	return *(volatile uint32_t *)(lapic_va + reg);
}

static void lapic_write(unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(lapic_va + reg) = v;
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

uint64_t lapic_base_pa(void)
{
	return lapic_pa;
}

/* Software-enable this CPU's APIC, accept every priority. */
static void lapic_enable(bool boot_cpu)
{
	lapic_write(LAPIC_SVR, SVR_ENABLE | VECTOR_APIC_SPURIOUS);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	/* the PIC's output reaches the boot CPU only */
	lapic_write(LAPIC_LVT_LINT0, boot_cpu ? LVT_EXTINT : LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_NMI);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_EOI, 0);
}

/*
 * Map and enable the boot CPU's APIC.  False (with a log line) when the
 * CPU has none or the firmware left it in x2APIC mode: then only the boot
 * CPU runs.
 */
bool lapic_init_bsp(void)
{
	uint32_t a, b, c, d;
	uint64_t base;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & (1u << 9))) {
		fr_printk("smp: no local APIC: one CPU\n");
		return false;
	}
	base = rdmsr(MSR_APIC_BASE);
	if (base & APIC_BASE_X2APIC) {
		fr_printk("smp: the APIC is in x2APIC mode: one CPU\n");
		return false;
	}
	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_pa = base & APIC_BASE_ADDR;
	lapic_va = paging_map_frame_mmio(0, lapic_pa);
	lapic_enable(true);
	return true;
}

/* On an application processor: the same APIC base, enabled. */
void lapic_init_ap(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_enable(false);
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/*
 * Send an IPI to the APIC @apic_id (physical destination); @icr_low holds
 * the delivery mode and vector.  Waits until the APIC has sent it.
 */
void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
	unsigned long irq = fr_irq_save();

	while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
		fr_cpu_relax();
	lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
	lapic_write(LAPIC_ICR_LOW, icr_low);
	while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
		fr_cpu_relax();
	fr_irq_restore(irq);
}

/* One 10 ms window of the PIT: the APIC timer's rate over it. */
static uint64_t timer_window_hz(void)
{
	struct pit_window w;
	uint32_t left;

	pit_window_start(&w);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	while (!pit_window_done(&w, TIMER_WINDOW_COUNTS))
		;
	left = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	return time_calibrate_hz(0xffffffffu - left, w.done, PIT_HZ);
}

/*
 * The rate of this CPU's APIC timer (divided by 16), the median of three
 * windows; 0 without an APIC.  Interrupts off, on the boot CPU.
 */
uint64_t lapic_timer_calibrate(void)
{
	uint64_t hz[TIMER_WINDOWS];

	if (!lapic_va)
		return 0;
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
	for (unsigned i = 0; i < TIMER_WINDOWS; i++) {
		uint64_t v = timer_window_hz();
		unsigned j = i;

		for (; j && hz[j - 1] > v; j--)
			hz[j] = hz[j - 1];
		hz[j] = v;
	}
	return hz[TIMER_WINDOWS / 2];
}

void lapic_timer_periodic(uint32_t count)
{
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VECTOR_TIMER);
	lapic_write(LAPIC_TIMER_INIT, count ? count : 1);
}

/* On the boot CPU, whose divider lapic_timer_calibrate() set. */
void lapic_timer_oneshot(uint32_t count)
{
	lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER);
	lapic_write(LAPIC_TIMER_INIT, count ? count : 1);
}
