/*
 * 4-level paging: the kernel's page table (direct map of RAM with 2 MiB
 * pages, the kernel image with per-section protections, the kernel-stack
 * area with guard pages, the MMIO windows) and user address spaces
 * (fr_vm_space) that share its upper half; TLB shootdown: a CPU that
 * removes or reduces a mapping flushes it from every CPU that may hold it
 * (cross-CPU calls) before the page is released.
 */
#include "arch.h"
#include "x86.h"
#include "x86_internal.h"
#include <frame/io.h>
#include <frame/vm.h>
#include <libs/string.h>

#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_U (1UL << 2)
#define PTE_PWT (1UL << 3)
#define PTE_PCD (1UL << 4) /* with PWT: uncached (the default PAT) */
#define PTE_PS (1UL << 7)
#define PTE_G (1UL << 8)
#define PTE_MAPPED (1UL << 9) /* software: a page is mapped (even PROT_NONE) */
#define PTE_NX (1UL << 63)
#define PTE_ADDR 0x000ffffffffff000UL

struct fr_vm_space {
	uint64_t pml4_pa;
	struct fr_spinlock lock; /* guards the user half of the tables */
	uint64_t active_cpus;	 /* CPUs with this space loaded */
};

static uint64_t kernel_pml4;
static struct fr_spinlock kernel_pt_lock = FR_SPINLOCK_INIT;
static bool policy_ready;

extern uint8_t __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern uint8_t __data_start[], __data_end[], __kernel_end[];

void *phys_to_virt(uint64_t pa)
{
	return (void *)(DIRECT_MAP_BASE + pa);
}

uint64_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	return v - DIRECT_MAP_BASE;
}

static uint64_t *table(uint64_t pa)
{
	return phys_to_virt(pa & PTE_ADDR);
}

/* A zeroed page-table page, or 0 when out of memory. */
static uint64_t pt_alloc(void)
{
	uint64_t pa;

	if (policy_ready) {
		struct fr_page *p = pages_alloc(0, PAGE_TABLE);

		if (!p)
			return 0;
		pa = pfn_to_pa(fr_page_pfn(p));
	} else {
		pa = boot_alloc_pages(1);
		pfn_to_page(pa >> FR_PAGE_SHIFT)->type = PAGE_TABLE;
	}
	memset(phys_to_virt(pa), 0, FR_PAGE_SIZE);
	return pa;
}

static void pt_free(uint64_t pa)
{
	pages_free(pfn_to_page(pa >> FR_PAGE_SHIFT), 0);
}

/*
 * The entry for @va at @level (1 = PTE, 2 = PDE...), creating intermediate
 * tables with @inter flags when @create.  NULL when absent or no memory.
 */
static uint64_t *walk(uint64_t pml4_pa, uint64_t va, int level, bool create,
		      uint64_t inter)
{
	uint64_t *t = table(pml4_pa);

	for (int l = 4; l > level; l--) {
		uint64_t *e = &t[(va >> (12 + 9 * (l - 1))) & 511];

		if (!(*e & PTE_P)) {
			uint64_t pa;

			if (!create || !(pa = pt_alloc()))
				return NULL;
			*e = pa | inter;
		}
		if (*e & PTE_PS)
			return NULL;
		t = table(*e);
	}
	return &t[(va >> (12 + 9 * (level - 1))) & 511];
}

static void map_kernel_range(uint64_t va_start, uint64_t va_end, uint64_t flags)
{
	for (uint64_t va = va_start; va < va_end; va += FR_PAGE_SIZE) {
		uint64_t *pte = walk(kernel_pml4, va, 1, true, PTE_P | PTE_W);

		FR_BUG_ON(!pte);
		*pte = (va - KERNEL_VMA) | flags | PTE_P | PTE_G;
	}
}

void paging_init(void)
{
	uint64_t ram_end = pfn_to_pa(page_max_pfn);

	kernel_pml4 = pt_alloc();
	for (uint64_t pa = 0; pa < ram_end; pa += 2UL << 20) {
		uint64_t *pde = walk(kernel_pml4, DIRECT_MAP_BASE + pa, 2, true,
				     PTE_P | PTE_W);

		FR_BUG_ON(!pde);
		*pde = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
	}
	map_kernel_range((uint64_t)__text_start, (uint64_t)__text_end, 0);
	map_kernel_range((uint64_t)__rodata_start, (uint64_t)__rodata_end,
			 PTE_NX);
	/* the boot stack's lowest page stays unmapped: its guard page */
	map_kernel_range((uint64_t)__data_start,
			 (uint64_t)fr_boot_stack_bottom, PTE_W | PTE_NX);
	map_kernel_range((uint64_t)fr_boot_stack_bottom + FR_PAGE_SIZE,
			 (uint64_t)__data_end, PTE_W | PTE_NX);
	map_kernel_range((uint64_t)__data_end, (uint64_t)__kernel_end, PTE_NX);
	/* the kernel-stack area's PDPT exists from the start so that every
	 * address space, which copies the upper half, sees all stacks */
	FR_BUG_ON(!walk(kernel_pml4, KSTACK_AREA_BASE, 3, true, PTE_P | PTE_W));
	/* and so does the MMIO area's */
	FR_BUG_ON(!walk(kernel_pml4, MMIO_AREA_BASE, 3, true, PTE_P | PTE_W));

	write_cr4(read_cr4() | (1UL << 7)); /* global pages */
	write_cr3(kernel_pml4);
	policy_ready = false;
	fr_printk("paging: direct map %lu MiB, kernel %lu KiB\n",
		  ram_end >> 20,
		  ((uint64_t)__kernel_end - (uint64_t)__text_start) >> 10);
}

/* Called once the page policy owns the free pages. */
void paging_policy_ready(void)
{
	policy_ready = true;
}

uint64_t kernel_pml4_pa(void)
{
	return kernel_pml4;
}

int kernel_map_page(uint64_t va, uint64_t pa, uint64_t flags)
{
	unsigned long irq = fr_spin_lock_irqsave(&kernel_pt_lock);
	uint64_t *pte = walk(kernel_pml4, va, 1, true, PTE_P | PTE_W);

	if (pte)
		*pte = pa | flags | PTE_P | PTE_NX;
	fr_spin_unlock_irqrestore(&kernel_pt_lock, irq);
	return pte ? 0 : -ENOMEM;
}

/* ---- TLB shootdown ---- */

struct tlb_range {
	uint64_t va, len;
};

/* Flush [va, va + len) from this CPU's TLB, global entries included. */
static void tlb_flush_local(const struct tlb_range *r)
{
	if (r->len > 64 * FR_PAGE_SIZE) {
		uint64_t cr4 = read_cr4();

		if (r->va < FR_USER_END) {
			write_cr3(read_cr3()); /* user entries are not global */
		} else {
			/* toggling PGE flushes global entries too */
			write_cr4(cr4 & ~(1UL << 7));
			write_cr4(cr4);
		}
		return;
	}
	for (uint64_t a = r->va; a < r->va + r->len; a += FR_PAGE_SIZE)
		invlpg(a);
}

static void tlb_flush_ipi(void *arg)
{
	tlb_flush_local(arg);
}

/*
 * Flush [va, va + len) on this CPU when @self, and on the CPUs of @others
 * (a mask, this CPU left out) through a cross-CPU call that returns once
 * each has flushed.  The page-table entries were changed before: the
 * fence orders those stores before the caller's read of the mask, which
 * pairs with the locked update a CPU makes to a space's mask before it
 * loads CR3 (vm_space_switch_to_task).
 */
static void tlb_shootdown(bool self, uint64_t others, uint64_t va,
			  uint64_t len)
{
	struct tlb_range r = { va, len };

	if (self)
		tlb_flush_local(&r);
	if (others)
		cpu_call_mask(others, tlb_flush_ipi, &r);
}

/* Every CPU but this one. */
static uint64_t other_cpus(void)
{
	return cpu_online_mask() & ~(1UL << fr_cpu_id());
}

/* Clear the kernel PTE of @va; returns the old entry. */
static uint64_t kernel_clear_pte(uint64_t va)
{
	unsigned long irq = fr_spin_lock_irqsave(&kernel_pt_lock);
	uint64_t *pte = walk(kernel_pml4, va, 1, false, 0);
	uint64_t old = 0;

	if (pte) {
		old = *pte;
		*pte = 0;
	}
	fr_spin_unlock_irqrestore(&kernel_pt_lock, irq);
	return old;
}


/* ---- MMIO windows: uncached kernel pages, one 1 GiB slot each ---- */

/* Devices the frame keeps: the I/O APICs and the local APIC. */
static const uint64_t frame_devices[][2] = {
	{ 0xfec00000, 0xfed00000 },
	{ 0xfee00000, 0xfef00000 },
};

/* The CPU's physical address width (CPUID 0x80000008), 36 if unknown. */
static unsigned phys_addr_bits(void)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, &a, &b, &c, &d);
	if (a < 0x80000008)
		return 36;
	cpuid(0x80000008, &a, &b, &c, &d);
	return a & 0xff;
}

_Static_assert(FRAME_MMIO_BASE ==
		       MMIO_AREA_BASE + FR_MMIO_MAX_WINDOWS * MMIO_SLOT_SIZE,
	       "the frame's device pages follow the services' windows");

/* Map the frame's own device page @index (uncached) at FRAME_MMIO_BASE. */
uint64_t paging_map_frame_mmio(unsigned index, uint64_t pa)
{
	uint64_t va = FRAME_MMIO_BASE + index * FR_PAGE_SIZE;

	FR_BUG_ON(kernel_map_page(va, pa, PTE_W | PTE_PCD | PTE_PWT | PTE_G));
	invlpg(va);
	return va;
}

int arch_mmio_map(unsigned slot, uint64_t pa, size_t npages, uint64_t *va)
{
	uint64_t end = pa + npages * FR_PAGE_SIZE;
	uint64_t base = MMIO_AREA_BASE + slot * MMIO_SLOT_SIZE;
	uint64_t apic = lapic_base_pa();

	if (slot >= FR_MMIO_MAX_WINDOWS ||
	    npages * FR_PAGE_SIZE > MMIO_SLOT_SIZE ||
	    end > 1UL << phys_addr_bits())
		return -EINVAL;
	for (size_t i = 0; i <= FR_ARRAY_SIZE(frame_devices); i++) {
		/* the last: the local APIC wherever the firmware put it */
		uint64_t s = i < FR_ARRAY_SIZE(frame_devices) ?
				     frame_devices[i][0] : apic;
		uint64_t e = i < FR_ARRAY_SIZE(frame_devices) ?
				     frame_devices[i][1] : apic + FR_PAGE_SIZE;

		if (s != e && pa < e && s < end) {
			fr_printk("mmio: %lx..%lx holds a device of the frame: "
				  "refused\n", pa, end);
			return -EACCES;
		}
	}
	for (size_t i = 0; i < npages; i++) {
		if (kernel_map_page(base + i * FR_PAGE_SIZE,
				    pa + i * FR_PAGE_SIZE,
				    PTE_W | PTE_PCD | PTE_PWT)) {
			arch_mmio_unmap(slot, base, i);
			return -ENOMEM;
		}
	}
	*va = base;
	return 0;
}

void arch_mmio_unmap(unsigned slot, uint64_t va, size_t npages)
{
	for (size_t i = 0; i < npages; i++)
		kernel_clear_pte(va + i * FR_PAGE_SIZE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	tlb_shootdown(true, other_cpus(), va, npages * FR_PAGE_SIZE);
}

/*
 * Page tables for the application processors' start-up at @pa (below
 * 4 GiB, three pages): the kernel's upper half, and the first 2 MiB
 * mapped at 0, where the start-up code switches to long mode.  A CPU
 * leaves them for the kernel's table as soon as it runs kernel code.
 */
uint64_t paging_trampoline_tables(uint64_t pa)
{
	uint64_t *pml4 = phys_to_virt(pa);
	uint64_t *pdpt = phys_to_virt(pa + FR_PAGE_SIZE);
	uint64_t *pd = phys_to_virt(pa + 2 * FR_PAGE_SIZE);

	memset(pml4, 0, 3 * FR_PAGE_SIZE);
	memcpy(pml4 + 256, table(kernel_pml4) + 256, 256 * sizeof(uint64_t));
	pml4[0] = (pa + FR_PAGE_SIZE) | PTE_P | PTE_W;
	pdpt[0] = (pa + 2 * FR_PAGE_SIZE) | PTE_P | PTE_W;
	pd[0] = PTE_P | PTE_W | PTE_PS;
	return pa;
}

/* ---- user address spaces ---- */

static bool user_range_ok(uint64_t va, size_t len)
{
	return !(va & (FR_PAGE_SIZE - 1)) && !(len & (FR_PAGE_SIZE - 1)) &&
	       va >= FR_USER_MIN && va <= FR_USER_END &&
	       len <= FR_USER_END - va;
}

static uint64_t prot_to_pte(unsigned prot)
{
	uint64_t f = PTE_MAPPED | PTE_U;

	if (prot & (FR_PROT_READ | FR_PROT_WRITE | FR_PROT_EXEC))
		f |= PTE_P;
	if (prot & FR_PROT_WRITE)
		f |= PTE_W;
	if (!(prot & FR_PROT_EXEC))
		f |= PTE_NX;
	return f;
}

static unsigned pte_to_prot(uint64_t pte)
{
	unsigned prot = 0;

	if (pte & PTE_P)
		prot |= FR_PROT_READ;
	if (pte & PTE_W)
		prot |= FR_PROT_WRITE;
	if ((pte & PTE_P) && !(pte & PTE_NX))
		prot |= FR_PROT_EXEC;
	return prot;
}

/* Whether the page of user entry @pte is one of the vDSO's. */
static bool pte_vdso(uint64_t pte)
{
	return vdso_page(pfn_to_page((pte & PTE_ADDR) >> FR_PAGE_SHIFT));
}

struct fr_vm_space *fr_vm_space_create(void)
{
	struct fr_vm_space *vs = FR_NEW(struct fr_vm_space);

	if (!vs)
		return NULL;
	vs->pml4_pa = pt_alloc();
	if (!vs->pml4_pa) {
		fr_kfree(vs);
		return NULL;
	}
	memcpy(table(vs->pml4_pa) + 256, table(kernel_pml4) + 256,
	       256 * sizeof(uint64_t));
	return vs;
}

/*
 * After changing the entries of [va, va + len) in @vs: flush them from
 * every CPU that has @vs loaded.  A CPU that loads it later reads the new
 * entries.
 */
static void vs_tlb_flush(struct fr_vm_space *vs, uint64_t va, size_t len)
{
	uint64_t me = 1UL << fr_cpu_id(), active;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	active = __atomic_load_n(&vs->active_cpus, __ATOMIC_SEQ_CST);
	tlb_shootdown(active & me, active & ~me, va, len);
}

static void free_level(uint64_t pa, int level)
{
	uint64_t *t = table(pa);

	for (int i = 0; i < 512; i++) {
		uint64_t e = t[i];

		if (level == 1) {
			if (e & PTE_MAPPED)
				fr_page_put(pfn_to_page((e & PTE_ADDR) >>
							FR_PAGE_SHIFT));
		} else if (e & PTE_P) {
			free_level(e & PTE_ADDR, level - 1);
		}
	}
	pt_free(pa);
}

void fr_vm_space_destroy(struct fr_vm_space *vs)
{
	uint64_t *pml4;

	if (!vs)
		return;
	FR_BUG_ON(vs->active_cpus & ~(1UL << fr_cpu_id()));
	if (fr_vm_space_current() == vs)
		fr_vm_space_activate(NULL);
	pml4 = table(vs->pml4_pa);
	for (int i = 0; i < 256; i++)
		if (pml4[i] & PTE_P)
			free_level(pml4[i] & PTE_ADDR, 3);
	pt_free(vs->pml4_pa);
	fr_kfree(vs);
}

int fr_vm_space_map(struct fr_vm_space *vs, fr_uaddr_t va, struct fr_page *page,
		    unsigned prot)
{
	uint64_t *pte;
	int err = 0;

	if (!user_range_ok(va.addr, FR_PAGE_SIZE) || !page ||
	    page->type != PAGE_USED)
		return -EINVAL;
	if ((prot & FR_PROT_WRITE) && vdso_page(page))
		return -EACCES;
	fr_spin_lock(&vs->lock);
	pte = walk(vs->pml4_pa, va.addr, 1, true, PTE_P | PTE_W | PTE_U);
	if (!pte) {
		err = -ENOMEM;
	} else if (*pte & PTE_MAPPED) {
		err = -EEXIST;
	} else {
		fr_page_get(page);
		*pte = pfn_to_pa(fr_page_pfn(page)) | prot_to_pte(prot);
	}
	fr_spin_unlock(&vs->lock);
	return err;
}

#define UNMAP_BATCH 32

/*
 * The pages of [va, va + len) are unmapped in batches: a batch's entries
 * are cleared, flushed from every CPU using @vs, and only then are its
 * pages released, so that no CPU can reach a page after it was freed.
 */
int fr_vm_space_unmap(struct fr_vm_space *vs, fr_uaddr_t va, size_t len)
{
	struct fr_page *batch[UNMAP_BATCH];
	uint64_t start = va.addr, end = va.addr + len;
	unsigned n = 0;

	if (!user_range_ok(va.addr, len))
		return -EINVAL;
	fr_spin_lock(&vs->lock);
	for (uint64_t a = va.addr; a < end; a += FR_PAGE_SIZE) {
		uint64_t *pte = walk(vs->pml4_pa, a, 1, false, 0);

		if (pte && (*pte & PTE_MAPPED)) {
			batch[n++] = pfn_to_page((*pte & PTE_ADDR) >>
						 FR_PAGE_SHIFT);
			*pte = 0;
		}
		if (n == UNMAP_BATCH || (n && a + FR_PAGE_SIZE == end)) {
			vs_tlb_flush(vs, start, a + FR_PAGE_SIZE - start);
			while (n)
				fr_page_put(batch[--n]);
			start = a + FR_PAGE_SIZE;
		}
	}
	fr_spin_unlock(&vs->lock);
	return 0;
}

int fr_vm_space_protect(struct fr_vm_space *vs, fr_uaddr_t va, size_t len,
			unsigned prot)
{
	if (!user_range_ok(va.addr, len))
		return -EINVAL;
	fr_spin_lock(&vs->lock);
	for (uint64_t a = va.addr; a < va.addr + len; a += FR_PAGE_SIZE) {
		uint64_t *pte = walk(vs->pml4_pa, a, 1, false, 0);

		if (pte && (*pte & PTE_MAPPED))
			*pte = (*pte & PTE_ADDR) |
			       prot_to_pte(pte_vdso(*pte) ?
						   prot & ~FR_PROT_WRITE :
						   prot);
	}
	vs_tlb_flush(vs, va.addr, len);
	fr_spin_unlock(&vs->lock);
	return 0;
}

struct fr_page *fr_vm_space_query(struct fr_vm_space *vs, fr_uaddr_t va,
				  unsigned *prot)
{
	struct fr_page *page = NULL;
	uint64_t *pte;

	if (va.addr >= FR_USER_END)
		return NULL;
	fr_spin_lock(&vs->lock);
	pte = walk(vs->pml4_pa, va.addr & ~(FR_PAGE_SIZE - 1), 1, false, 0);
	if (pte && (*pte & PTE_MAPPED)) {
		page = pfn_to_page((*pte & PTE_ADDR) >> FR_PAGE_SHIFT);
		if (prot)
			*prot = pte_to_prot(*pte);
	}
	fr_spin_unlock(&vs->lock);
	return page;
}

void fr_vm_space_activate(struct fr_vm_space *vs)
{
	struct percpu *cpu = this_cpu();
	unsigned long irq = fr_irq_save();

	cpu->current->vs = vs;
	vm_space_switch_to_task(vs);
	fr_irq_restore(irq);
}

/* Load @vs (NULL: the kernel's table) on this CPU.  Interrupts off. */
void vm_space_switch_to_task(struct fr_vm_space *vs)
{
	struct percpu *cpu = this_cpu();
	uint64_t bit = 1UL << cpu->id;

	if (cpu->active_vs == vs)
		return;
	if (cpu->active_vs)
		__atomic_fetch_and(&cpu->active_vs->active_cpus, ~bit,
				   __ATOMIC_SEQ_CST);
	if (vs)
		__atomic_fetch_or(&vs->active_cpus, bit, __ATOMIC_SEQ_CST);
	cpu->active_vs = vs;
	write_cr3(vs ? vs->pml4_pa : kernel_pml4);
}

struct fr_vm_space *fr_vm_space_current(void)
{
	return this_cpu()->active_vs;
}

static int vm_space_copy(struct fr_vm_space *vs, uint64_t va, void *buf,
			 size_t len, bool to_space)
{
	int err = 0;

	if (va >= FR_USER_END || len > FR_USER_END - va)
		return -EFAULT;
	fr_spin_lock(&vs->lock);
	while (len) {
		uint64_t off = va & (FR_PAGE_SIZE - 1);
		size_t n = FR_MIN(len, FR_PAGE_SIZE - off);
		uint64_t *pte = walk(vs->pml4_pa, va - off, 1, false, 0);
		uint8_t *kva;

		if (!pte || !(*pte & PTE_MAPPED) ||
		    (to_space && pte_vdso(*pte))) {
			err = -EFAULT;
			break;
		}
		kva = (uint8_t *)phys_to_virt(*pte & PTE_ADDR) + off;
		if (to_space)
			memcpy(kva, buf, n);
		else
			memcpy(buf, kva, n);
		buf = (uint8_t *)buf + n;
		va += n;
		len -= n;
	}
	fr_spin_unlock(&vs->lock);
	return err;
}

int fr_vm_space_write(struct fr_vm_space *vs, fr_uaddr_t va, const void *src,
		      size_t len)
{
	return vm_space_copy(vs, va.addr, (void *)src, len, true);
}

int fr_vm_space_read(struct fr_vm_space *vs, fr_uaddr_t va, void *dst,
		     size_t len)
{
	return vm_space_copy(vs, va.addr, dst, len, false);
}

/* No KASAN yet: nothing watches kernel memory accesses. */
void arch_mem_poison(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
}

void arch_mem_unpoison(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
}

struct fr_page *virt_to_page(const void *va)
{
	uint64_t v = (uint64_t)va;

	if (v < DIRECT_MAP_BASE || v >= DIRECT_MAP_BASE + pfn_to_pa(page_max_pfn))
		return NULL;
	return pfn_to_page((v - DIRECT_MAP_BASE) >> FR_PAGE_SHIFT);
}

/* ---- kernel stacks: 16 KiB each, an unmapped guard page below ---- */

#define KSTACK_SLOT_SIZE (64 * 1024)
#define KSTACK_SLOTS 1024

static uint64_t kstack_slots_used[KSTACK_SLOTS / 64];
static struct fr_spinlock kstack_lock = FR_SPINLOCK_INIT;

static uint64_t kstack_bottom(unsigned slot)
{
	return KSTACK_AREA_BASE + (uint64_t)slot * KSTACK_SLOT_SIZE +
	       FR_PAGE_SIZE;
}

/* Unmap a stack's pages, flush them from every CPU, then free them. */
static void kstack_release_pages(unsigned slot, unsigned npages)
{
	struct fr_page *pages[TASK_STACK_SIZE / FR_PAGE_SIZE];
	uint64_t bottom = kstack_bottom(slot);

	FR_BUG_ON(npages > FR_ARRAY_SIZE(pages));
	for (unsigned i = 0; i < npages; i++) {
		uint64_t old = kernel_clear_pte(bottom + i * FR_PAGE_SIZE);

		pages[i] = old & PTE_P ? pfn_to_page((old & PTE_ADDR) >>
						     FR_PAGE_SHIFT)
				       : NULL;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	tlb_shootdown(true, other_cpus(), bottom, npages * FR_PAGE_SIZE);
	for (unsigned i = 0; i < npages; i++)
		if (pages[i])
			fr_page_put(pages[i]);
}

int kstack_alloc(uint64_t *bottom, unsigned *slot_out)
{
	unsigned long irq = fr_spin_lock_irqsave(&kstack_lock);
	unsigned slot = KSTACK_SLOTS;

	for (unsigned i = 0; i < KSTACK_SLOTS; i++) {
		if (!(kstack_slots_used[i / 64] & (1UL << (i % 64)))) {
			kstack_slots_used[i / 64] |= 1UL << (i % 64);
			slot = i;
			break;
		}
	}
	fr_spin_unlock_irqrestore(&kstack_lock, irq);
	if (slot == KSTACK_SLOTS)
		return -ENOMEM;
	for (unsigned i = 0; i < TASK_STACK_SIZE / FR_PAGE_SIZE; i++) {
		struct fr_page *p = fr_page_alloc(0);

		if (!p || kernel_map_page(kstack_bottom(slot) + i * FR_PAGE_SIZE,
					  pfn_to_pa(fr_page_pfn(p)), PTE_W)) {
			if (p)
				fr_page_put(p);
			kstack_free(slot);
			return -ENOMEM;
		}
	}
	*bottom = kstack_bottom(slot);
	*slot_out = slot;
	return 0;
}

void kstack_free(unsigned slot)
{
	unsigned long irq;

	kstack_release_pages(slot, TASK_STACK_SIZE / FR_PAGE_SIZE);
	irq = fr_spin_lock_irqsave(&kstack_lock);
	kstack_slots_used[slot / 64] &= ~(1UL << (slot % 64));
	fr_spin_unlock_irqrestore(&kstack_lock, irq);
}
