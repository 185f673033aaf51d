/*
 * Per-CPU state and descriptor tables: each CPU's block (reached through
 * GS), GDT and TSS (with IST stacks for double faults and NMIs), the IDT
 * all CPUs share, the SYSCALL MSRs, interrupt masking and FPU state.
 */
#include "arch.h"
#include "x86.h"
#include "x86_internal.h"
#include <libs/string.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp0, rsp1, rsp2;
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t flags;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

struct cpu_tables {
	uint64_t gdt[8];
	struct tss tss;
	uint8_t ist_df[IST_STACK_SIZE] __attribute__((aligned(16)));
	uint8_t ist_nmi[IST_STACK_SIZE] __attribute__((aligned(16)));
};

static struct percpu percpus[FR_MAX_CPUS];
static struct cpu_tables boot_cpu_tables;
static struct idt_entry idt[256];
static unsigned cpus_online = 1; /* atomic; CPUs 0..cpus_online-1 run */

_Static_assert(__builtin_offsetof(struct percpu, self) == PCPU_SELF, "pcpu");
_Static_assert(__builtin_offsetof(struct percpu, kernel_rsp) == PCPU_KERNEL_RSP,
	       "pcpu");
_Static_assert(__builtin_offsetof(struct percpu, user_rsp) == PCPU_USER_RSP,
	       "pcpu");
_Static_assert(__builtin_offsetof(struct percpu, tss_rsp0) == PCPU_TSS_RSP0,
	       "pcpu");
_Static_assert(__builtin_offsetof(struct percpu, user_regs_top) ==
		       PCPU_USER_REGS_TOP,
	       "pcpu");
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe");
_Static_assert(sizeof(struct fr_user_regs) == TF_SIZE + 16, "user regs");

unsigned fr_cpu_id(void)
{
	return this_cpu()->id;
}

unsigned fr_cpu_count(void)
{
	return __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);
}

/* CPU @id (the next index) has finished its start-up: it is counted. */
void cpu_set_online(unsigned id)
{
	FR_BUG_ON(id != fr_cpu_count());
	__atomic_store_n(&cpus_online, id + 1, __ATOMIC_RELEASE);
}

struct percpu *percpu_of(unsigned id)
{
	return &percpus[id];
}

/* Point GS at CPU @id's block (GS base; the user's GS base is 0). */
static void percpu_init(unsigned id, struct cpu_tables *t)
{
	struct percpu *p = &percpus[id];

	p->self = p;
	p->id = id;
	/* rsp0 sits at offset 4 of the TSS, unaligned; x86 allows it */
	p->tss_rsp0 = (uint64_t *)((uint8_t *)&t->tss + 4);
	wrmsr(MSR_GS_BASE, (uint64_t)p);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void percpu_init_boot(void)
{
	percpu_init(0, &boot_cpu_tables);
}

/*
 * The descriptor of SEL_CPUNODE for CPU @id: a present, read-only user
 * data segment whose limit is (node << 12) | id (node 0), which LSL
 * reads in user mode; and the same number in IA32_TSC_AUX for RDTSCP
 * and RDPID, when the CPU has them.
 */
static uint64_t cpunode_desc(unsigned id)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, &a, &b, &c, &d);
	if (a >= 0x80000001) {
		cpuid(0x80000001, &a, &b, &c, &d);
		if (d & (1u << 27)) /* RDTSCP */
			wrmsr(MSR_TSC_AUX, id);
	}
	return (id & 0xffff) | (0x5UL << 40) | (1UL << 44) | (3UL << 45) |
	       (1UL << 47) | ((uint64_t)((id >> 16) & 0xf) << 48) |
	       (1UL << 54);
}

/*
 * Load this CPU's GDT and TSS from @t (the boot CPU's are static, the
 * others' come from cpu_tables_alloc) and make GS reach CPU @id's block.
 */
static void gdt_load(unsigned id, struct cpu_tables *t)
{
	uint64_t tss = (uint64_t)&t->tss;
	uint64_t limit = sizeof(struct tss) - 1;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(t->gdt) - 1,
					   (uint64_t)t->gdt };

	t->gdt[0] = 0;
	t->gdt[1] = 0x00af9a000000ffff; /* kernel code */
	t->gdt[2] = 0x00cf92000000ffff; /* kernel data */
	t->gdt[3] = 0x00cff2000000ffff; /* user data */
	t->gdt[4] = 0x00affa000000ffff; /* user code */
	t->gdt[5] = (limit & 0xffff) | ((tss & 0xffffff) << 16) |
		    (0x89UL << 40) | (((limit >> 16) & 0xf) << 48) |
		    (((tss >> 24) & 0xff) << 56);
	t->gdt[6] = tss >> 32;
	t->gdt[SEL_CPUNODE >> 3] = cpunode_desc(id);
	t->tss.iomap_base = sizeof(struct tss);
	t->tss.ist[0] = (uint64_t)(t->ist_df + sizeof(t->ist_df));
	t->tss.ist[1] = (uint64_t)(t->ist_nmi + sizeof(t->ist_nmi));
	t->tss.rsp0 = (uint64_t)(t->ist_df + sizeof(t->ist_df));

	__asm__ volatile("lgdt %0\n\t"
			 "movw %1, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "pushq %2\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %3, %%ax\n\t"
			 "ltr %%ax"
			 :
			 : "m"(desc), "i"(SEL_KDATA), "i"(SEL_KCODE),
			   "i"(SEL_TSS)
			 : "rax", "memory");
	/* loading the data segments above cleared the GS base: set it */
	percpu_init(id, t);
}

void gdt_init(void)
{
	gdt_load(0, &boot_cpu_tables);
}

struct cpu_tables *cpu_tables_alloc(void)
{
	return FR_NEW(struct cpu_tables);
}

void gdt_init_cpu(unsigned id, struct cpu_tables *t)
{
	gdt_load(id, t);
}

static void idt_set(unsigned vec, uint64_t handler, unsigned ist, unsigned dpl)
{
	struct idt_entry *e = &idt[vec];

	e->offset_lo = handler & 0xffff;
	e->selector = SEL_KCODE;
	e->ist = ist;
	e->flags = 0x8e | (dpl << 5); /* present, interrupt gate */
	e->offset_mid = (handler >> 16) & 0xffff;
	e->offset_hi = handler >> 32;
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ volatile("lidt %0" : : "m"(desc));
}

/* The IDT is built once, by the boot CPU, and shared by every CPU. */
void idt_init(void)
{
	for (unsigned v = 0; v < 48; v++)
		idt_set(v, arch_isr_stubs[v], 0, v == 3 ? 3 : 0);
	for (unsigned v = VECTOR_APIC_FIRST; v < 256; v++)
		idt_set(v, arch_apic_stubs[v - VECTOR_APIC_FIRST], 0, 0);
	idt_set(8, arch_isr_stubs[8], 1, 0); /* double fault: IST1 */
	idt_set(2, arch_isr_stubs[2], 2, 0); /* NMI: IST2 */
	idt_load();
}

void syscall_init(void)
{
	wrmsr(MSR_STAR, ((uint64_t)(SEL_UDATA - 8) << 48) |
				((uint64_t)SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)arch_syscall_entry);
	/* mask IF, TF, DF, AC, NT on entry */
	wrmsr(MSR_SFMASK, (1 << 9) | (1 << 8) | (1 << 10) | (1 << 18) |
				  (1 << 14));
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1);

	/* user code may use SSE: enable FXSR and SIMD exceptions */
	write_cr0((read_cr0() & ~(1UL << 2)) | (1UL << 1)); /* EM off, MP on */
	write_cr4(read_cr4() | (1UL << 9) | (1UL << 10));
}

unsigned long fr_irq_save(void)
{
	unsigned long flags = read_rflags();

	cli();
	return flags & RFLAGS_IF;
}

void fr_irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		sti();
}

bool fr_irq_enabled(void)
{
	return read_rflags() & RFLAGS_IF;
}

void fr_cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

void fr_cpu_idle(void)
{
	/* sti takes effect after hlt starts: no wake-up is missed */
	__asm__ volatile("sti; hlt" ::: "memory");
}

void arch_fpu_save(uint8_t *area)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void arch_fpu_restore(const uint8_t *area)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void arch_fpu_init_state(uint8_t *area)
{
	memset(area, 0, 512);
	area[0] = 0x7f; /* FCW = 0x037f */
	area[1] = 0x03;
	area[24] = 0x80; /* MXCSR = 0x1f80 */
	area[25] = 0x1f;
}

void arch_irq_enable(void)
{
	sti();
}

uint64_t fr_cpu_hwcap(void)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return d;
}
