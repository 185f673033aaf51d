/*
 * User address spaces (fr_vm_space) as software page tables: a 4-level
 * radix tree of 512-entry tables, like x86-64's, whose tables are frame
 * pages (PAGE_TABLE) so that page accounting is the kernel target's.  No
 * hardware walks them; the user-memory copies (user.c) and fr_vm_space_*
 * do, under the space's lock.
 *
 * Entries: a table entry is the table's physical address | TABLE_PRESENT;
 * a leaf is the page's physical address | LEAF_MAPPED | LEAF_READ,
 * LEAF_WRITE, LEAF_EXEC as the protection allows (any access right
 * implies read, as on x86).
 */
#include "hosted.h"
#include "hosted_vm.h"
#include <frame/vm.h>
#include <libs/string.h>

#define TABLE_PRESENT (1UL << 0)
#define LEAF_MAPPED (1UL << 0)
#define LEAF_READ (1UL << 1)
#define LEAF_WRITE (1UL << 2)
#define LEAF_EXEC (1UL << 3)
#define ENTRY_ADDR 0x000ffffffffff000UL

struct fr_vm_space {
	uint64_t root_pa;
	struct fr_spinlock lock; /* guards the tables */
	uint64_t active_cpus;	 /* CPUs with this space active; atomic */
};

static uint64_t *table(uint64_t entry)
{
	return phys_to_virt(entry & ENTRY_ADDR);
}

/* A zeroed table page, or 0 when out of memory. */
static uint64_t table_alloc(void)
{
	struct fr_page *p = pages_alloc(0, PAGE_TABLE);

	if (!p)
		return 0;
	memset(page_address(p), 0, FR_PAGE_SIZE);
	return pfn_to_pa(fr_page_pfn(p));
}

static void table_free(uint64_t pa)
{
	pages_free(pfn_to_page(pa >> FR_PAGE_SHIFT), 0);
}

/* The leaf entry for @va, creating tables when @create; NULL if none. */
static uint64_t *walk(struct fr_vm_space *vs, uint64_t va, bool create)
{
	uint64_t *t = table(vs->root_pa);

	for (int level = 4; level > 1; level--) {
		uint64_t *e = &t[(va >> (12 + 9 * (level - 1))) & 511];

		if (!(*e & TABLE_PRESENT)) {
			uint64_t pa;

			if (!create || !(pa = table_alloc()))
				return NULL;
			*e = pa | TABLE_PRESENT;
		}
		t = table(*e);
	}
	return &t[(va >> 12) & 511];
}

static uint64_t prot_to_leaf(unsigned prot)
{
	uint64_t f = LEAF_MAPPED;

	if (prot & (FR_PROT_READ | FR_PROT_WRITE | FR_PROT_EXEC))
		f |= LEAF_READ;
	if (prot & FR_PROT_WRITE)
		f |= LEAF_WRITE;
	if (prot & FR_PROT_EXEC)
		f |= LEAF_EXEC;
	return f;
}

static unsigned leaf_to_prot(uint64_t leaf)
{
	unsigned prot = 0;

	if (leaf & LEAF_READ)
		prot |= FR_PROT_READ;
	if (leaf & LEAF_WRITE)
		prot |= FR_PROT_WRITE;
	if (leaf & LEAF_EXEC)
		prot |= FR_PROT_EXEC;
	return prot;
}

static struct fr_page *leaf_page(uint64_t leaf)
{
	return pfn_to_page((leaf & ENTRY_ADDR) >> FR_PAGE_SHIFT);
}

static bool user_range_ok(uint64_t va, size_t len)
{
	return !(va & (FR_PAGE_SIZE - 1)) && !(len & (FR_PAGE_SIZE - 1)) &&
	       va >= FR_USER_MIN && va <= FR_USER_END &&
	       len <= FR_USER_END - va;
}

/* fr_vm_space_create - see <frame/vm.h>. */
struct fr_vm_space *fr_vm_space_create(void)
{
	struct fr_vm_space *vs = FR_NEW(struct fr_vm_space);

	if (!vs)
		return NULL;
	vs->root_pa = table_alloc();
	if (!vs->root_pa) {
		fr_kfree(vs);
		return NULL;
	}
	vs->lock = (struct fr_spinlock)FR_SPINLOCK_INIT;
	return vs;
}

static void free_level(uint64_t pa, int level)
{
	uint64_t *t = table(pa);

	for (int i = 0; i < 512; i++) {
		if (level == 1) {
			if (t[i] & LEAF_MAPPED)
				fr_page_put(leaf_page(t[i]));
		} else if (t[i] & TABLE_PRESENT) {
			free_level(t[i] & ENTRY_ADDR, level - 1);
		}
	}
	table_free(pa);
}

/* fr_vm_space_destroy - see <frame/vm.h>. */
void fr_vm_space_destroy(struct fr_vm_space *vs)
{
	if (!vs)
		return;
	FR_BUG_ON(__atomic_load_n(&vs->active_cpus, __ATOMIC_SEQ_CST) &
		  ~(1UL << fr_cpu_id()));
	if (fr_vm_space_current() == vs)
		fr_vm_space_activate(NULL);
	free_level(vs->root_pa, 4);
	fr_kfree(vs);
}

/* fr_vm_space_map - see <frame/vm.h>. */
int fr_vm_space_map(struct fr_vm_space *vs, fr_uaddr_t va, struct fr_page *page,
		    unsigned prot)
{
	uint64_t *leaf;
	int err = 0;

	if (!user_range_ok(va.addr, FR_PAGE_SIZE) || !page ||
	    page->type != PAGE_USED)
		return -EINVAL;
	if ((prot & FR_PROT_WRITE) && vdso_page(page))
		return -EACCES;
	fr_spin_lock(&vs->lock);
	leaf = walk(vs, va.addr, true);
	if (!leaf) {
		err = -ENOMEM;
	} else if (*leaf & LEAF_MAPPED) {
		err = -EEXIST;
	} else {
		fr_page_get(page);
		*leaf = pfn_to_pa(fr_page_pfn(page)) | prot_to_leaf(prot);
	}
	fr_spin_unlock(&vs->lock);
	return err;
}

/* fr_vm_space_unmap - see <frame/vm.h>.  No TLB to shoot down. */
int fr_vm_space_unmap(struct fr_vm_space *vs, fr_uaddr_t va, size_t len)
{
	if (!user_range_ok(va.addr, len))
		return -EINVAL;
	fr_spin_lock(&vs->lock);
	for (uint64_t a = va.addr; a < va.addr + len; a += FR_PAGE_SIZE) {
		uint64_t *leaf = walk(vs, a, false);

		if (leaf && (*leaf & LEAF_MAPPED)) {
			uint64_t old = *leaf;

			*leaf = 0;
			fr_page_put(leaf_page(old));
		}
	}
	fr_spin_unlock(&vs->lock);
	return 0;
}

/* fr_vm_space_protect - see <frame/vm.h>. */
int fr_vm_space_protect(struct fr_vm_space *vs, fr_uaddr_t va, size_t len,
			unsigned prot)
{
	if (!user_range_ok(va.addr, len))
		return -EINVAL;
	fr_spin_lock(&vs->lock);
	for (uint64_t a = va.addr; a < va.addr + len; a += FR_PAGE_SIZE) {
		uint64_t *leaf = walk(vs, a, false);

		if (leaf && (*leaf & LEAF_MAPPED))
			*leaf = (*leaf & ENTRY_ADDR) |
				prot_to_leaf(vdso_page(leaf_page(*leaf)) ?
						     prot & ~FR_PROT_WRITE :
						     prot);
	}
	fr_spin_unlock(&vs->lock);
	return 0;
}

/* fr_vm_space_query - see <frame/vm.h>. */
struct fr_page *fr_vm_space_query(struct fr_vm_space *vs, fr_uaddr_t va,
				  unsigned *prot)
{
	struct fr_page *page = NULL;
	uint64_t *leaf;

	if (va.addr >= FR_USER_END)
		return NULL;
	fr_spin_lock(&vs->lock);
	leaf = walk(vs, va.addr & ~(FR_PAGE_SIZE - 1), false);
	if (leaf && (*leaf & LEAF_MAPPED)) {
		page = leaf_page(*leaf);
		if (prot)
			*prot = leaf_to_prot(*leaf);
	}
	fr_spin_unlock(&vs->lock);
	return page;
}

/* fr_vm_space_activate - see <frame/vm.h>. */
void fr_vm_space_activate(struct fr_vm_space *vs)
{
	unsigned long irq = fr_irq_save();

	this_cpu()->current->vs = vs;
	vm_space_switch_to_task(vs);
	fr_irq_restore(irq);
}

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
}

/* fr_vm_space_current - see <frame/vm.h>. */
struct fr_vm_space *fr_vm_space_current(void)
{
	return this_cpu()->active_vs;
}

struct fr_page *vm_space_get_page(struct fr_vm_space *vs, uint64_t va,
				  unsigned need)
{
	struct fr_page *page = NULL;
	uint64_t *leaf;

	fr_spin_lock(&vs->lock);
	leaf = walk(vs, va & ~(FR_PAGE_SIZE - 1), false);
	if (leaf && (*leaf & LEAF_MAPPED) &&
	    (leaf_to_prot(*leaf) & need) == need) {
		page = leaf_page(*leaf);
		fr_page_get(page);
	}
	fr_spin_unlock(&vs->lock);
	return page;
}

static int vm_space_copy(struct fr_vm_space *vs, uint64_t va, uint8_t *buf,
			 size_t len, bool to_space)
{
	if (va >= FR_USER_END || len > FR_USER_END - va)
		return -EFAULT;
	while (len) {
		uint64_t off = va & (FR_PAGE_SIZE - 1);
		size_t n = FR_MIN(len, FR_PAGE_SIZE - off);
		struct fr_page *page = vm_space_get_page(vs, va, 0);
		uint8_t *kva;

		if (!page)
			return -EFAULT;
		if (to_space && vdso_page(page)) {
			fr_page_put(page);
			return -EFAULT;
		}
		kva = (uint8_t *)page_address(page) + off;
		if (to_space)
			memcpy(kva, buf, n);
		else
			memcpy(buf, kva, n);
		fr_page_put(page);
		buf += n;
		va += n;
		len -= n;
	}
	return 0;
}

/* fr_vm_space_write - see <frame/vm.h>. */
int fr_vm_space_write(struct fr_vm_space *vs, fr_uaddr_t va, const void *src,
		      size_t len)
{
	return vm_space_copy(vs, va.addr, (uint8_t *)src, len, true);
}

/* fr_vm_space_read - see <frame/vm.h>. */
int fr_vm_space_read(struct fr_vm_space *vs, fr_uaddr_t va, void *dst,
		     size_t len)
{
	return vm_space_copy(vs, va.addr, dst, len, false);
}

/* The hosted vDSO: no user code runs here, so the code page is empty. */
static const uint8_t hosted_vdso_image[FR_PAGE_SIZE];

struct fr_bytes arch_vdso_image(void)
{
	return (struct fr_bytes){ hosted_vdso_image,
				  sizeof(hosted_vdso_image) };
}
