/*
 * The first C code: reads what the boot loader handed over (multiboot2 or
 * PVH) and the firmware's CPU list, brings up the CPU tables, memory,
 * paging, interrupts, the clocks, the local APIC, the tick and the boot
 * task, then calls the
 * services' trellis_main().  The other CPUs start once the scheduler is
 * injected (smp.c).
 */
#include "arch.h"
#include "x86.h"
#include "x86_internal.h"
#include <frame/boot.h>
#include <frame/power.h>
#include <frame/timer.h>
#include <libs/string.h>

struct boot_info boot_info;
static uint64_t rsdp_hint; /* the RSDP the boot loader reported, or 0 */

/* PVH start info (Xen's hvm_start_info, version 1) */
struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

static void add_region(uint64_t base, uint64_t len, uint32_t type)
{
	if (boot_info.nregions < MAX_MEM_REGIONS)
		boot_info.regions[boot_info.nregions++] =
			(struct mem_region){ base, len, type };
}

static void parse_pvh(uint64_t pa)
{
	const struct hvm_start_info *si = phys_to_virt(pa);

	boot_info.protocol = "pvh";
	if (si->magic != BOOT_MAGIC_PVH)
		fr_panic("bad PVH start info magic %x", si->magic);
	if (si->cmdline_paddr)
		str_copy(boot_info.cmdline, phys_to_virt(si->cmdline_paddr),
			 sizeof(boot_info.cmdline));
	if (si->nr_modules) {
		const struct hvm_modlist_entry *m =
			phys_to_virt(si->modlist_paddr);

		boot_info.initrd_pa = m->paddr;
		boot_info.initrd_len = m->size;
	}
	rsdp_hint = si->rsdp_paddr;
	if (si->version < 1 || !si->memmap_paddr)
		fr_panic("PVH boot without a memory map");
	const struct hvm_memmap_entry *e = phys_to_virt(si->memmap_paddr);

	for (uint32_t i = 0; i < si->memmap_entries; i++)
		add_region(e[i].addr, e[i].size, e[i].type);
}

static void parse_mb2(uint64_t pa)
{
	const uint8_t *info = phys_to_virt(pa);
	uint32_t total = *(const uint32_t *)info;
	uint32_t off = 8;

	boot_info.protocol = "multiboot2";
	while (off + 8 <= total) {
		const uint8_t *tag = info + off;
		uint32_t type = *(const uint32_t *)tag;
		uint32_t size = *(const uint32_t *)(tag + 4);

		if (type == 0 || size < 8)
			break;
		if (type == 1) {
			str_copy(boot_info.cmdline, (const char *)(tag + 8),
				 sizeof(boot_info.cmdline));
		} else if (type == 3 && !boot_info.initrd_len) {
			uint32_t start = *(const uint32_t *)(tag + 8);
			uint32_t end = *(const uint32_t *)(tag + 12);

			boot_info.initrd_pa = start;
			boot_info.initrd_len = end - start;
		} else if ((type == 14 || type == 15) && !rsdp_hint) {
			/* a copy of the RSDP (ACPI 1.0 or 2.0) */
			rsdp_hint = pa + off + 8;
		} else if (type == 6) {
			uint32_t esize = *(const uint32_t *)(tag + 8);

			for (uint32_t o = 16; esize && o + esize <= size;
			     o += esize) {
				const uint8_t *e = tag + o;

				add_region(*(const uint64_t *)e,
					   *(const uint64_t *)(e + 8),
					   *(const uint32_t *)(e + 16));
			}
		}
		off += (size + 7) & ~7u;
	}
}

const char *fr_boot_cmdline(void)
{
	return boot_info.cmdline;
}

extern const uint8_t vdso_image_start[], vdso_image_end[];

struct fr_bytes arch_vdso_image(void)
{
	return (struct fr_bytes){ vdso_image_start,
				  (size_t)(vdso_image_end - vdso_image_start) };
}

bool boot_param(const char *word)
{
	size_t n = strlen(word);

	for (const char *w = boot_info.cmdline; *w;) {
		const char *end = w;

		while (*end && *end != ' ')
			end++;
		if ((size_t)(end - w) == n && !memcmp(w, word, n))
			return true;
		w = *end ? end + 1 : end;
	}
	return false;
}

struct fr_bytes fr_boot_initrd(void)
{
	if (!boot_info.initrd_len)
		return (struct fr_bytes){ NULL, 0 };
	return (struct fr_bytes){ phys_to_virt(boot_info.initrd_pa),
				  boot_info.initrd_len };
}

void fr_arch_start(uint32_t magic, uint32_t info_pa);

void fr_arch_start(uint32_t magic, uint32_t info_pa)
{
	serial_init();
	percpu_init_boot();
	gdt_init();
	idt_init();

	if (magic == BOOT_MAGIC_PVH)
		parse_pvh(info_pa);
	else if (magic == BOOT_MAGIC_MB2)
		parse_mb2(info_pa);
	else
		fr_panic("unknown boot protocol (magic %x)", magic);

	fr_printk("Trellis booting (%s), command line: '%s'\n",
		  boot_info.protocol, boot_info.cmdline);
	smp_init_early(rsdp_hint);
	mm_init();
	paging_init();
	syscall_init();
	pic_init();
	pit_init();
	tsc_init();
	rtc_init();
	smp_init_bsp();
	timer_init_bsp();
	task_init_boot();
	sti();
	trellis_main();
	fr_printk("trellis_main returned\n");
	fr_poweroff(0);
}

_Static_assert(BOOT_STACK_SIZE == BOOT_STACK_BYTES, "boot stack size");

extern uint8_t __boot_start[], __kernel_end[];
void arch_kernel_phys_range(uint64_t *start, uint64_t *end)
{
	*start = (uint64_t)__boot_start;
	*end = (uint64_t)__kernel_end - KERNEL_VMA;
}
