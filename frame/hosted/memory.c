/*
 * "Physical memory" for the hosted target: a memfd whose pages are the
 * machine's RAM, mapped once as the direct map (phys_to_virt) and page by
 * page into the kernel-stack area, exactly as the kernel target maps RAM
 * pages at kernel virtual addresses.  A memfd rather than anonymous memory
 * so that RAM pages can later be shared with the processes that will run
 * user mode.  Also the poisoning hooks through which ASan learns which
 * kernel memory is free, and the refusal of MMIO windows: no device is
 * emulated.
 */
#include "hosted.h"
#include "sanitizer.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define KSTACK_PAGES (TASK_STACK_SIZE / FR_PAGE_SIZE)
#define KSTACK_SLOT_SIZE (2 * TASK_STACK_SIZE)
#define KSTACK_SLOTS 1024

static int ram_fd = -1;
static uint8_t *ram_base; /* host address of HOSTED_RAM_BASE */
static uint64_t ram_bytes;
static uint8_t *kstack_area; /* reserved, inaccessible until mapped */

static FR_NORETURN void host_fatal(const char *what)
{
	fprintf(stderr, "trellis-hosted: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* The initramfs goes at the top of RAM, like a boot loader puts it. */
static void load_initrd(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	uint64_t pa;
	size_t done = 0;

	if (fd < 0 || fstat(fd, &st))
		host_fatal(path);
	if ((uint64_t)st.st_size + (4UL << 20) > ram_bytes) {
		fprintf(stderr, "trellis-hosted: %s does not fit in %lu MiB "
			"of RAM (use -m)\n", path, ram_bytes >> 20);
		exit(2);
	}
	pa = FR_ALIGN_DOWN(HOSTED_RAM_BASE + ram_bytes - st.st_size,
			   FR_PAGE_SIZE);
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, (uint8_t *)phys_to_virt(pa) + done,
				 st.st_size - done);

		if (n <= 0)
			host_fatal(path);
		done += n;
	}
	close(fd);
	boot_info.initrd_pa = pa;
	boot_info.initrd_len = st.st_size;
}

void hosted_memory_init(const struct hosted_options *opt)
{
	ram_bytes = FR_ALIGN_DOWN(opt->mem_bytes, FR_PAGE_SIZE);
	ram_fd = memfd_create("trellis-ram", MFD_CLOEXEC);
	if (ram_fd < 0)
		host_fatal("memfd_create");
	if (ftruncate(ram_fd, ram_bytes))
		host_fatal("ftruncate of the RAM memfd");
	ram_base = mmap(NULL, ram_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
			ram_fd, 0);
	if (ram_base == MAP_FAILED)
		host_fatal("mmap of the RAM memfd");
	kstack_area = mmap(NULL, (size_t)KSTACK_SLOTS * KSTACK_SLOT_SIZE,
			   PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			   -1, 0);
	if (kstack_area == MAP_FAILED)
		host_fatal("mmap of the kernel-stack area");
	boot_info.regions[0] = (struct mem_region){ HOSTED_RAM_BASE,
						    ram_bytes, 1 };
	boot_info.nregions = 1;
	if (opt->initrd_path)
		load_initrd(opt->initrd_path);
}

/* No kernel image lives in the hosted RAM: boot allocations start at it. */
void arch_kernel_phys_range(uint64_t *start, uint64_t *end)
{
	*start = HOSTED_RAM_BASE;
	*end = HOSTED_RAM_BASE;
}

void *phys_to_virt(uint64_t pa)
{
	FR_BUG_ON(pa < HOSTED_RAM_BASE || pa - HOSTED_RAM_BASE > ram_bytes);
	return ram_base + (pa - HOSTED_RAM_BASE);
}

uint64_t virt_to_phys(const void *va)
{
	const uint8_t *v = va;

	FR_BUG_ON(v < ram_base || v > ram_base + ram_bytes);
	return HOSTED_RAM_BASE + (uint64_t)(v - ram_base);
}

struct fr_page *virt_to_page(const void *va)
{
	const uint8_t *v = va;

	if (v < ram_base || v >= ram_base + ram_bytes)
		return NULL;
	return pfn_to_page((HOSTED_RAM_BASE + (uint64_t)(v - ram_base)) >>
			   FR_PAGE_SHIFT);
}

void arch_mem_poison(const void *addr, size_t len)
{
	san_poison(addr, len);
}

void arch_mem_unpoison(const void *addr, size_t len)
{
	san_unpoison(addr, len);
}

/* ---- kernel stacks: RAM pages mapped below a guard page ---- */

static uint64_t kstack_slots_used[KSTACK_SLOTS / 64]; /* kstack_lock */
static struct fr_page *kstack_pages[KSTACK_SLOTS][KSTACK_PAGES];
static struct fr_spinlock kstack_lock = FR_SPINLOCK_INIT;
static bool page_policy_ready;

void paging_policy_ready(void)
{
	page_policy_ready = true;
}

static uint8_t *kstack_bottom(unsigned slot)
{
	/* the page under each stack stays inaccessible: its guard page */
	return kstack_area + (uint64_t)slot * KSTACK_SLOT_SIZE + FR_PAGE_SIZE;
}

/* Map RAM page @page at @va, as the kernel maps a stack page. */
static int map_ram_page(uint8_t *va, struct fr_page *page)
{
	off_t off = (off_t)(fr_page_pfn(page) << FR_PAGE_SHIFT) -
		    (off_t)HOSTED_RAM_BASE;

	if (mmap(va, FR_PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, ram_fd, off) == MAP_FAILED)
		return -ENOMEM;
	return 0;
}

static void unmap_ram_page(uint8_t *va)
{
	if (mmap(va, FR_PAGE_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1,
		 0) == MAP_FAILED)
		fr_panic("hosted: cannot unmap kernel stack page %p", va);
}

static void kstack_release_pages(unsigned slot)
{
	for (unsigned i = 0; i < KSTACK_PAGES; i++) {
		struct fr_page *p = kstack_pages[slot][i];

		if (!p)
			continue;
		unmap_ram_page(kstack_bottom(slot) + i * FR_PAGE_SIZE);
		kstack_pages[slot][i] = NULL;
		fr_page_put(p);
	}
}

int kstack_alloc(uint64_t *bottom, unsigned *slot_out)
{
	unsigned long irq;
	unsigned slot = KSTACK_SLOTS;

	if (!page_policy_ready)
		return -ENOMEM;
	irq = fr_spin_lock_irqsave(&kstack_lock);
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
	for (unsigned i = 0; i < KSTACK_PAGES; i++) {
		struct fr_page *p = fr_page_alloc(0);

		if (!p || map_ram_page(kstack_bottom(slot) + i * FR_PAGE_SIZE,
				       p)) {
			if (p)
				fr_page_put(p);
			kstack_free(slot);
			return -ENOMEM;
		}
		kstack_pages[slot][i] = p;
	}
	/* a previous stack in this slot may have left stack redzones */
	san_unpoison(kstack_bottom(slot), TASK_STACK_SIZE);
	*bottom = (uint64_t)kstack_bottom(slot);
	*slot_out = slot;
	return 0;
}

void kstack_free(unsigned slot)
{
	unsigned long irq;

	kstack_release_pages(slot);
	irq = fr_spin_lock_irqsave(&kstack_lock);
	kstack_slots_used[slot / 64] &= ~(1UL << (slot % 64));
	fr_spin_unlock_irqrestore(&kstack_lock, irq);
}

/* ---- MMIO: the hosted target has no devices ---- */

int arch_mmio_map(unsigned slot, uint64_t pa, size_t npages, uint64_t *va)
{
	fr_printk("hosted: fr_mmio_map: no device at %lx (%zu pages): the "
		  "hosted target emulates no devices (ENODEV)\n",
		  pa, npages);
	return -ENODEV;
}

void arch_mmio_unmap(unsigned slot, uint64_t va, size_t npages)
{
	fr_panic("hosted: arch_mmio_unmap of window %u, which was never "
		 "mapped", slot);
}
