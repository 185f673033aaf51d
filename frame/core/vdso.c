/*
 * The vDSO block (<frame/vdso.h>): its pages, made when the page policy
 * is injected from the image the target provides (arch_vdso_image), the
 * data page that the target's timekeeping and the services' wall clock
 * publish to under a sequence count, and the mapping of the pages into
 * address spaces.  Until the pages exist the data lives in a static copy,
 * so that timekeeping may publish from the first moments of boot.
 */
#include "frame_internal.h"
#include "vdso_data.h"
#include <frame/timer.h>
#include <frame/vdso.h>
#include <libs/string.h>

_Static_assert(FR_VDSO_VVAR_PAGES == VDSO_VVAR_PAGES, "vvar pages");
_Static_assert(sizeof(struct vdso_data) <= FR_PAGE_SIZE, "vvar size");

#define VDSO_MAX_PAGES 8

static struct fr_page *pages[VDSO_MAX_PAGES]; /* set once, at boot */
static size_t npages;			       /* atomic */
static struct vdso_data boot_data = {
	.hres_ns = 1000000000ULL / FR_TICK_HZ,
	.tick_ns = 1000000000ULL / FR_TICK_HZ,
};
static struct vdso_data *data = &boot_data;    /* [data_lock] */
static struct fr_spinlock data_lock = FR_SPINLOCK_INIT;

/*
 * Begin and end a change of the data page (seq odd in between).  The
 * fields are stored with release semantics: none moves before the odd
 * count (x86 keeps stores in order; this keeps the compiler from moving
 * them).
 */
static unsigned long data_begin(void)
{
	unsigned long irq = fr_spin_lock_irqsave(&data_lock);

	__atomic_store_n(&data->seq, data->seq + 1, __ATOMIC_RELAXED);
	return irq;
}

static void data_end(unsigned long irq)
{
	__atomic_store_n(&data->seq, data->seq + 1, __ATOMIC_RELEASE);
	fr_spin_unlock_irqrestore(&data_lock, irq);
}

void vdso_set_clock(uint32_t mode, uint64_t tsc_base, uint64_t mult,
		    uint64_t hres_ns, uint64_t tick_ns)
{
	unsigned long irq = data_begin();

	__atomic_store_n(&data->clock_mode, mode, __ATOMIC_RELEASE);
	__atomic_store_n(&data->tsc_base, tsc_base, __ATOMIC_RELEASE);
	__atomic_store_n(&data->mult, mult, __ATOMIC_RELEASE);
	__atomic_store_n(&data->hres_ns, hres_ns, __ATOMIC_RELEASE);
	__atomic_store_n(&data->tick_ns, tick_ns, __ATOMIC_RELEASE);
	data_end(irq);
}

void fr_vdso_set_realtime_offset(int64_t off_ns)
{
	unsigned long irq = data_begin();

	__atomic_store_n(&data->realtime_offset, off_ns, __ATOMIC_RELEASE);
	data_end(irq);
}

void vdso_setup(void)
{
	struct fr_bytes img = arch_vdso_image();
	size_t n = VDSO_VVAR_PAGES + FR_ALIGN_UP(img.len, FR_PAGE_SIZE) /
					     FR_PAGE_SIZE;
	unsigned long irq;

	if (n > VDSO_MAX_PAGES || img.len == 0) {
		fr_printk("vdso: an image of %zu bytes does not fit: none\n",
			  img.len);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		pages[i] = fr_page_alloc(FR_PAGE_ZERO);
		if (!pages[i]) {
			fr_printk("vdso: no memory: none\n");
			while (i--)
				fr_page_put(pages[i]);
			return;
		}
	}
	for (size_t off = 0; off < img.len; off += FR_PAGE_SIZE) {
		struct fr_page *p = pages[VDSO_VVAR_PAGES + off / FR_PAGE_SIZE];

		memcpy(page_address(p), img.data + off,
		       FR_MIN(img.len - off, FR_PAGE_SIZE));
	}
	/* from now on the data is published in its page */
	irq = fr_spin_lock_irqsave(&data_lock);
	memcpy(page_address(pages[0]), &boot_data, sizeof(boot_data));
	data = page_address(pages[0]);
	fr_spin_unlock_irqrestore(&data_lock, irq);
	__atomic_store_n(&npages, n, __ATOMIC_RELEASE);
}

bool vdso_page(const struct fr_page *page)
{
	size_t n = __atomic_load_n(&npages, __ATOMIC_ACQUIRE);

	for (size_t i = 0; i < n; i++)
		if (pages[i] == page)
			return true;
	return false;
}

size_t fr_vdso_npages(void)
{
	return __atomic_load_n(&npages, __ATOMIC_ACQUIRE);
}

int fr_vdso_map(struct fr_vm_space *vs, fr_uaddr_t va, size_t index,
		unsigned prot)
{
	unsigned allowed = index < VDSO_VVAR_PAGES ?
				   FR_PROT_READ :
				   FR_PROT_READ | FR_PROT_EXEC;

	if (prot & FR_PROT_WRITE)
		return -EACCES;
	if (index >= fr_vdso_npages())
		return -EINVAL;
	return fr_vm_space_map(vs, va, pages[index], prot & allowed);
}
