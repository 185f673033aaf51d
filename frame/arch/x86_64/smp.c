/*
 * Several CPUs: the CPUs the firmware lists (ACPI MADT), the start-up of
 * the application processors (INIT-SIPI-SIPI through a real-mode
 * trampoline below 1 MiB), their per-CPU set-up (with their tick and the
 * check of their TSC), and the local APIC's interrupts: the cross-CPU
 * call, the reschedule IPI and the timer.  Every CPU runs tasks once it
 * is up.
 */
#include "arch.h"
#include "x86.h"
#include "x86_internal.h"
#include <libs/string.h>

#define EARLY_MAP_LIMIT (4UL << 30) /* what boot.S maps at the direct map */
#define BIOS_AREA 0xe0000
#define BIOS_AREA_END 0x100000
#define EBDA_SEGMENT_PTR 0x40e
#define AP_ALIVE_TIMEOUT_US 2000000
#define AP_ONLINE_TIMEOUT_US 5000000

extern const uint8_t trampoline_start[], trampoline_end[];
extern const uint8_t trampoline_cr3[], trampoline_stack[], trampoline_entry[];
void smp_ap_entry(void);
void smp_ap_main(void);

static struct acpi_cpus fw_cpus;	   /* from the MADT; n = 0: unknown */
static uint32_t apic_ids[FR_MAX_CPUS];	   /* by CPU index */
static uint64_t stack_bottoms[FR_MAX_CPUS]; /* each CPU's first stack */
static bool have_apic;
/* The CPU being started and its tables; set by the boot CPU. */
static unsigned ap_booting;
static struct cpu_tables *ap_tables;
static uint32_t ap_alive; /* atomic: the CPU reached kernel code */

/* The RSDP in the EBDA's first KiB or the BIOS area, or 0. */
static uint64_t find_rsdp(void)
{
	uint16_t seg;
	uint64_t ebda;

	memcpy(&seg, phys_to_virt(EBDA_SEGMENT_PTR), sizeof(seg));
	ebda = (uint64_t)seg << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000) {
		for (uint64_t pa = ebda; pa < ebda + 1024; pa += 16)
			if (acpi_rsdp_ok(pa, EARLY_MAP_LIMIT))
				return pa;
	}
	for (uint64_t pa = BIOS_AREA; pa < BIOS_AREA_END; pa += 16)
		if (acpi_rsdp_ok(pa, EARLY_MAP_LIMIT))
			return pa;
	return 0;
}

/*
 * Read the firmware's CPU list, before the frame's page tables replace
 * the boot ones (which map the first 4 GiB, where ACPI tables live).
 * @rsdp_hint is the RSDP the boot loader reported, or 0.  Without valid
 * tables only the boot CPU will run.
 */
void smp_init_early(uint64_t rsdp_hint)
{
	uint64_t rsdp = rsdp_hint;

	if (!rsdp || !acpi_rsdp_ok(rsdp, EARLY_MAP_LIMIT))
		rsdp = find_rsdp();
	if (!rsdp) {
		fr_printk("smp: no ACPI tables: one CPU\n");
		return;
	}
	if (acpi_madt_cpus(rsdp, EARLY_MAP_LIMIT, &fw_cpus)) {
		fr_printk("smp: no usable CPU list in ACPI: one CPU\n");
		fw_cpus.n = 0;
		return;
	}
	fr_printk("smp: ACPI lists %u CPU%s\n", fw_cpus.n,
		  fw_cpus.n > 1 ? "s" : "");
	if (fw_cpus.dropped)
		fr_printk("smp: %u CPUs beyond the first %u are left off\n",
			  fw_cpus.dropped, FR_MAX_CPUS);
}

/* The boot CPU's APIC, and the order of the others' indexes. */
void smp_init_bsp(void)
{
	uint32_t me;
	unsigned n = 1;
	bool listed = false;

	have_apic = lapic_init_bsp();
	if (!have_apic) {
		fw_cpus.n = 1;
		return;
	}
	me = lapic_id();
	apic_ids[0] = me;
	for (unsigned i = 0; i < fw_cpus.n; i++) {
		if (fw_cpus.apic_id[i] == me)
			listed = true;
		else if (n < FR_MAX_CPUS)
			apic_ids[n++] = fw_cpus.apic_id[i];
	}
	if (fw_cpus.n && !listed) {
		fr_printk("smp: the boot CPU (APIC %u) is not in the MADT: "
			  "one CPU\n", me);
		n = 1;
	}
	fw_cpus.n = fw_cpus.n ? n : 1;
}

uint64_t cpu_first_stack_bottom(unsigned id)
{
	if (id == 0)
		return (uint64_t)fr_boot_stack_bottom + FR_PAGE_SIZE;
	return stack_bottoms[id];
}

/* Whether every trampoline page is in usable RAM. */
static bool trampoline_ram(void)
{
	uint64_t s = TRAMPOLINE_PA, e = s + TRAMPOLINE_PAGES * FR_PAGE_SIZE;

	for (unsigned i = 0; i < boot_info.nregions; i++) {
		const struct mem_region *r = &boot_info.regions[i];

		if (r->type == 1 && s >= r->base && e <= r->base + r->len)
			return true;
	}
	return false;
}

/* Poll @flag for up to @us microseconds; whether it became non-zero. */
static bool wait_flag(const uint32_t *flag, uint64_t us)
{
	for (uint64_t t = 0; t < us; t += 100) {
		if (__atomic_load_n(flag, __ATOMIC_ACQUIRE))
			return true;
		pit_delay_us(100);
	}
	return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}

static uint32_t online_flag(unsigned id)
{
	return fr_cpu_count() > id;
}

/* Start CPU @id; false when it did not come up. */
static bool start_ap(unsigned id, uint8_t *tramp)
{
	uint64_t bottom;
	unsigned slot;
	uint32_t online = 0;

	ap_tables = cpu_tables_alloc();
	if (!ap_tables || kstack_alloc(&bottom, &slot)) {
		fr_printk("smp: no memory to start CPU %u\n", id);
		fr_kfree(ap_tables);
		return false;
	}
	stack_bottoms[id] = bottom;
	memcpy(tramp + (trampoline_stack - trampoline_start),
	       &(uint64_t){ bottom + TASK_STACK_SIZE }, 8);
	__atomic_store_n(&ap_booting, id, __ATOMIC_RELEASE);
	__atomic_store_n(&ap_alive, 0, __ATOMIC_RELEASE);

	/* INIT, then the start-up IPI (twice, as the MP protocol has it) */
	lapic_send_ipi(apic_ids[id], ICR_INIT | ICR_ASSERT);
	pit_delay_us(10000);
	for (int i = 0; i < 2 && !__atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE);
	     i++) {
		lapic_send_ipi(apic_ids[id], ICR_STARTUP | ICR_ASSERT |
						     (TRAMPOLINE_PA >> 12));
		wait_flag(&ap_alive, i ? AP_ALIVE_TIMEOUT_US : 200);
	}
	if (!__atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE)) {
		fr_printk("smp: CPU %u (APIC %u) did not start\n", id,
			  apic_ids[id]);
		return false;
	}
	for (uint64_t t = 0; t < AP_ONLINE_TIMEOUT_US && !online; t += 100) {
		online = online_flag(id);
		if (!online)
			pit_delay_us(100);
	}
	if (!online) {
		fr_printk("smp: CPU %u (APIC %u) hangs in its start-up\n", id,
			  apic_ids[id]);
		return false;
	}
	tsc_sync_bsp(id);
	return true;
}

/* Start the application processors, one after the other. */
static void smp_start_aps(void)
{
	uint8_t *tramp = phys_to_virt(TRAMPOLINE_PA);
	size_t size = trampoline_end - trampoline_start;
	uint64_t pt = TRAMPOLINE_PA + FR_PAGE_SIZE;

	if (fw_cpus.n > 1 && !trampoline_ram()) {
		fr_printk("smp: no RAM at %x for the start-up code: one CPU\n",
			  TRAMPOLINE_PA);
	} else if (fw_cpus.n > 1) {
		FR_BUG_ON(size > FR_PAGE_SIZE);
		memcpy(tramp, trampoline_start, size);
		paging_trampoline_tables(pt);
		memcpy(tramp + (trampoline_cr3 - trampoline_start), &pt, 8);
		memcpy(tramp + (trampoline_entry - trampoline_start),
		       &(uint64_t){ (uint64_t)smp_ap_entry }, 8);
		for (unsigned id = 1; id < fw_cpus.n; id++) {
			if (!start_ap(id, tramp)) {
				fr_printk("smp: going on with %u CPUs\n", id);
				break;
			}
		}
	}
	fr_printk("smp: %u CPU%s online\n", fr_cpu_count(),
		  fr_cpu_count() > 1 ? "s" : "");
}

/*
 * First C code of an application processor, on its stack, with the
 * start-up page tables and no GS base: nothing here may use the per-CPU
 * block (fr_printk, locks) before gdt_init_cpu.
 */
void smp_ap_main(void)
{
	unsigned id = __atomic_load_n(&ap_booting, __ATOMIC_ACQUIRE);

	write_cr3(kernel_pml4_pa());
	write_cr4(read_cr4() | (1UL << 7)); /* global pages */
	gdt_init_cpu(id, ap_tables);
	__atomic_store_n(&ap_alive, 1, __ATOMIC_RELEASE);
	idt_load();
	syscall_init();
	lapic_init_ap();
	timer_init_ap();
	cpu_set_online(id);
	tsc_sync_ap();
	task_run_secondary_cpu();
}

/* ---- hooks of the core ---- */

void arch_scheduler_ready(void)
{
	smp_start_aps();
}

void arch_kick_cpu(unsigned cpu)
{
	lapic_send_ipi(apic_ids[cpu], ICR_FIXED | VECTOR_IPI_RESCHED);
}

void arch_send_call_ipi(unsigned cpu)
{
	lapic_send_ipi(apic_ids[cpu], ICR_FIXED | VECTOR_IPI_CALL);
}

void smp_kick_timer_bsp(void)
{
	lapic_send_ipi(apic_ids[0], ICR_FIXED | VECTOR_TIMER);
}

/* An interrupt from the local APIC (vectors VECTOR_APIC_FIRST..255). */
void apic_interrupt(unsigned vector)
{
	if (vector == VECTOR_APIC_SPURIOUS)
		return; /* no EOI for the spurious vector */
	lapic_eoi();
	if (vector == VECTOR_IPI_CALL)
		cpu_call_handle();
	else if (vector == VECTOR_TIMER)
		timer_lapic_interrupt();
	/* a reschedule IPI: need_resched was set by the sender */
}
