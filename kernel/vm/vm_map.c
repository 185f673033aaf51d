/*
 * Virtual memory areas, demand paging, copy-on-write, shared anonymous
 * memory and mapped files (see vm/vm_map.h).
 *
 * A private page mapped in more than one address space (after fork) is
 * mapped read-only everywhere; the first write fault gives the writer its
 * own copy, or the page itself when it is the last one mapping it.  The
 * pages of shared memory belong to a vm_object that every area mapping it
 * holds a reference on; they are mapped with the area's protection and
 * never copied.  A mapped file's pages are a vm_object too: a shared area
 * maps them as shared memory, a private one maps them read-only and a
 * write fault gives the area its own copy (the object still holds the
 * page, so break_cow() always copies it).
 *
 * Areas are changed through two helpers: isolate() splits the areas so
 * that a range is made of whole areas, coalesce() merges the neighbours
 * that became alike again.  Pages enter and leave an address space only
 * through map_page() and zap(), which keep the resident counts of the
 * areas and of the map; the loops over an area's pages stop once its
 * resident pages are all seen, so that huge untouched reservations cost
 * nothing.
 */
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/sync.h>
#include <frame/vdso.h>
#include "fs/file.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"

#define MMAP_TOP 0x00007ffff7fff000UL
#define MMAP_MIN 0x10000UL	  /* Linux's default mmap_min_addr */
#define LOW32_START 0x40000000UL  /* MAP_32BIT: [1 GiB, 2 GiB) */
#define LOW32_END 0x80000000UL
#define PAGES(len) ((len) / FR_PAGE_SIZE)

/* ---- areas -------------------------------------------------------------- */

static uint64_t vma_pgoff_at(const struct vma *v, uint64_t addr)
{
	return v->pgoff + PAGES(addr - v->start);
}

static struct vma *vma_new(struct vm_map *map, uint64_t start, uint64_t end,
			   unsigned prot, unsigned flags)
{
	struct vma *v = FR_NEW(struct vma);

	if (v) {
		v->start = start;
		v->end = end;
		v->prot = prot;
		v->flags = flags;
		v->map = map;
	}
	return v;
}

/* Make @v map @obj from page @pgoff on (taking a reference). */
static void vma_set_object(struct vma *v, struct vm_object *obj,
			   uint64_t pgoff)
{
	v->obj = vm_object_get(obj);
	v->pgoff = pgoff;
	if (obj)
		vm_object_attach(obj, v);
}

/* A new area of @map like @v over [start, end) of it, sharing its object
 * and file. */
static struct vma *vma_dup(struct vm_map *map, const struct vma *v,
			   uint64_t start, uint64_t end)
{
	struct vma *nv = vma_new(map, start, end, v->prot, v->flags);

	if (nv) {
		vma_set_object(nv, v->obj, vma_pgoff_at(v, start));
		nv->file = v->file;
		if (nv->file)
			file_get(nv->file);
	}
	return nv;
}

static void vma_free(struct vma *v)
{
	if (v->obj)
		vm_object_detach(v->obj, v);
	vm_object_put(v->obj);
	if (v->file)
		file_put(v->file);
	fr_kfree(v);
}

static void insert_sorted(struct vm_map *map, struct vma *nv)
{
	struct vma **p = &map->areas;

	while (*p && (*p)->start < nv->start)
		p = &(*p)->next;
	nv->next = *p;
	*p = nv;
}

struct vma *vm_map_next(struct vm_map *map, uint64_t addr)
{
	for (struct vma *v = map->areas; v; v = v->next)
		if (v->end > addr)
			return v;
	return NULL;
}

struct vma *vm_map_find(struct vm_map *map, uint64_t addr)
{
	struct vma *v = vm_map_next(map, addr);

	return v && v->start <= addr ? v : NULL;
}

bool vm_map_overlaps(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vma *v = vm_map_next(map, start);

	return v && v->start < end;
}

/* ---- pages -------------------------------------------------------------- */

static void account(struct vm_map *map, struct vma *v, int64_t pages)
{
	v->resident += (uint64_t)pages;
	map->resident += (uint64_t)pages;
	if (v->flags & VMA_SHARED)
		map->resident_shared += (uint64_t)pages;
}

static struct fr_page *query(struct vm_map *map, uint64_t addr,
			     unsigned *prot)
{
	return fr_vm_space_query(map->space, fr_uaddr(addr), prot);
}

/*
 * The next mapped page in [*addr, end) of area @v, of which @seen were
 * found before (the scan ends after the area's last resident page); its
 * address is left in *addr.  NULL when there is none.
 */
static struct fr_page *next_page(struct vm_map *map, const struct vma *v,
				 uint64_t *addr, uint64_t end, uint64_t seen,
				 unsigned *prot)
{
	for (; *addr < end && seen < v->resident; *addr += FR_PAGE_SIZE) {
		struct fr_page *page = query(map, *addr, prot);

		if (page)
			return page;
	}
	return NULL;
}

/* Map @page at @addr of area @v (taking a reference). */
static int map_page(struct vm_map *map, struct vma *v, uint64_t addr,
		    struct fr_page *page, unsigned prot)
{
	int err = fr_vm_space_map(map->space, fr_uaddr(addr), page, prot);

	if (!err)
		account(map, v, 1);
	return err;
}

/* The number of pages mapped in [start, end) of area @v. */
static uint64_t count_pages(struct vm_map *map, const struct vma *v,
			    uint64_t start, uint64_t end)
{
	uint64_t n = 0;
	unsigned prot;

	for (uint64_t a = start; next_page(map, v, &a, end, n, &prot);
	     a += FR_PAGE_SIZE)
		n++;
	return n;
}

/* Unmap the pages of [start, end), a part of area @v. */
static void zap(struct vm_map *map, struct vma *v, uint64_t start,
		uint64_t end)
{
	uint64_t found = 0, first = 0, last = 0;
	unsigned prot;

	for (uint64_t a = start; next_page(map, v, &a, end, found, &prot);
	     a += FR_PAGE_SIZE) {
		if (!found++)
			first = a;
		last = a;
	}
	if (!found)
		return;
	fr_vm_space_unmap(map->space, fr_uaddr(first),
			  last + FR_PAGE_SIZE - first);
	account(map, v, -(int64_t)found);
}

/* Split the area containing @addr so that one ends there.  0 or -ENOMEM. */
static int split_at(struct vm_map *map, uint64_t addr)
{
	struct vma *v = vm_map_find(map, addr);
	struct vma *tail;

	if (!v || v->start == addr)
		return 0;
	tail = vma_dup(map, v, addr, v->end);
	if (!tail)
		return -ENOMEM;
	/* count the pages of the shorter side */
	if (addr - v->start < v->end - addr)
		tail->resident = v->resident -
				 count_pages(map, v, v->start, addr);
	else
		tail->resident = count_pages(map, v, addr, v->end);
	v->resident -= tail->resident;
	v->end = addr;
	tail->next = v->next;
	v->next = tail;
	return 0;
}

/* Make [start, end) a run of whole areas (and holes).  0 or -ENOMEM. */
static int isolate(struct vm_map *map, uint64_t start, uint64_t end)
{
	if (split_at(map, start) || split_at(map, end))
		return -ENOMEM;
	return 0;
}

static bool mergeable(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot &&
	       a->flags == b->flags && a->obj == b->obj &&
	       a->file == b->file &&
	       (!a->obj || vma_pgoff_at(a, a->end) == b->pgoff);
}

/* Merge the alike neighbours whose boundary lies in [start, end]. */
static void coalesce(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vma *v = map->areas;

	while (v && v->next) {
		struct vma *n = v->next;

		if (v->end >= start && v->end <= end && mergeable(v, n)) {
			v->end = n->end;
			v->resident += n->resident;
			v->next = n->next;
			vma_free(n);
		} else {
			v = n;
		}
	}
}

/* Give the pages of area @v its protection (copy-on-write ones stay so). */
static void protect_pages(struct vm_map *map, const struct vma *v)
{
	uint64_t seen = 0;
	struct fr_page *page;
	unsigned cur;

	if (!v->resident)
		return;
	fr_vm_space_protect(map->space, fr_uaddr(v->start), v->end - v->start,
			    v->prot);
	if (!(v->prot & FR_PROT_WRITE) || (v->flags & VMA_SHARED))
		return;
	for (uint64_t a = v->start;
	     (page = next_page(map, v, &a, v->end, seen, &cur));
	     a += FR_PAGE_SIZE) {
		seen++;
		if (fr_page_refcount(page) > 1)
			fr_vm_space_protect(map->space, fr_uaddr(a),
					    FR_PAGE_SIZE,
					    v->prot & ~FR_PROT_WRITE);
	}
}

/* ---- the map ------------------------------------------------------------ */

int vm_map_init(struct vm_map *map)
{
	map->space = fr_vm_space_create();
	if (!map->space)
		return -ENOMEM;
	map->areas = NULL;
	map->brk_start = map->brk = 0;
	map->mmap_top = MMAP_TOP;
	map->resident = map->resident_shared = 0;
	return 0;
}

void vm_map_destroy(struct vm_map *map)
{
	struct vma *v = map->areas;

	while (v) {
		struct vma *next = v->next;

		vma_free(v);
		v = next;
	}
	map->areas = NULL;
	fr_vm_space_destroy(map->space);
	map->space = NULL;
	map->resident = map->resident_shared = 0;
}

/* A page-aligned, non-empty range inside user space. */
static bool range_ok(uint64_t start, uint64_t len)
{
	return !(start & (FR_PAGE_SIZE - 1)) && len &&
	       len <= FR_USER_END && start <= FR_USER_END - len;
}

int vm_map_remove(struct vm_map *map, uint64_t start, uint64_t len)
{
	uint64_t end;
	struct vma **p;

	len = FR_ALIGN_UP(len, FR_PAGE_SIZE);
	if (!range_ok(start, len))
		return -EINVAL;
	end = start + len;
	if (isolate(map, start, end))
		return -ENOMEM;
	p = &map->areas;
	while (*p) {
		struct vma *v = *p;

		if (v->start >= start && v->end <= end) {
			zap(map, v, v->start, v->end);
			*p = v->next;
			vma_free(v);
		} else {
			p = &v->next;
		}
	}
	return 0;
}

int vm_map_add(struct vm_map *map, uint64_t start, uint64_t len,
	       unsigned prot, unsigned flags)
{
	struct vma *v;

	len = FR_ALIGN_UP(len, FR_PAGE_SIZE);
	if (!range_ok(start, len) || start < FR_USER_MIN)
		return -EINVAL;
	if (vm_map_overlaps(map, start, start + len))
		return -EEXIST;
	v = vma_new(map, start, start + len, prot, flags);
	if (!v)
		return -ENOMEM;
	if (flags & VMA_SHARED) {
		struct vm_object *obj = vm_object_new(PAGES(len), NULL);

		if (!obj) {
			fr_kfree(v);
			return -ENOMEM;
		}
		vma_set_object(v, obj, 0);
		vm_object_put(obj);
	}
	insert_sorted(map, v);
	coalesce(map, start, start + len);
	return 0;
}

int vm_map_add_file(struct vm_map *map, uint64_t start, uint64_t len,
		    unsigned prot, unsigned flags, struct file *file,
		    struct vm_object *obj, uint64_t pgoff)
{
	struct vma *v;

	len = FR_ALIGN_UP(len, FR_PAGE_SIZE);
	if (!range_ok(start, len) || start < FR_USER_MIN)
		return -EINVAL;
	if (vm_map_overlaps(map, start, start + len))
		return -EEXIST;
	v = vma_new(map, start, start + len, prot, flags);
	if (!v)
		return -ENOMEM;
	vma_set_object(v, obj, pgoff);
	v->file = file;
	if (file)
		file_get(file);
	insert_sorted(map, v);
	coalesce(map, start, start + len);
	return 0;
}

/* Map the vDSO's page at @addr of area @v (a VMA_VVAR or VMA_VDSO one). */
static int map_vdso_page(struct vm_map *map, struct vma *v, uint64_t addr)
{
	int err = fr_vdso_map(map->space, fr_uaddr(addr), vma_pgoff_at(v, addr),
			      v->prot);

	if (!err)
		account(map, v, 1);
	return err;
}

int vm_map_add_vdso(struct vm_map *map, uint64_t *ehdr)
{
	static const struct {
		unsigned prot, flags;
	} part[2] = {
		{ FR_PROT_READ, VMA_VVAR | VMA_NOMAYWRITE | VMA_NOMAYEXEC },
		{ FR_PROT_READ | FR_PROT_EXEC, VMA_VDSO | VMA_NOMAYWRITE },
	};
	uint64_t npages = fr_vdso_npages(), start, first[3];

	*ehdr = 0;
	if (npages <= FR_VDSO_VVAR_PAGES)
		return 0;
	start = vm_map_place(map, 0, npages * FR_PAGE_SIZE, false);
	if (!start)
		return -ENOMEM;
	first[0] = start;
	first[1] = start + FR_VDSO_VVAR_PAGES * FR_PAGE_SIZE;
	first[2] = start + npages * FR_PAGE_SIZE;
	for (unsigned i = 0; i < 2; i++) {
		struct vma *v = vma_new(map, first[i], first[i + 1],
					part[i].prot, part[i].flags);

		if (!v)
			return -ENOMEM;
		v->pgoff = PAGES(first[i] - start);
		insert_sorted(map, v);
		for (uint64_t a = v->start; a < v->end; a += FR_PAGE_SIZE) {
			int err = map_vdso_page(map, v, a);

			if (err)
				return err;
		}
	}
	*ehdr = first[1];
	return 0;
}

void vma_zap(struct vma *v, uint64_t start, uint64_t end)
{
	zap(v->map, v, start, end);
}

/* The end of the mapped run from @start, at most @end. */
static uint64_t mapped_until(struct vm_map *map, uint64_t start, uint64_t end)
{
	uint64_t a = start;

	while (a < end) {
		struct vma *v = vm_map_find(map, a);

		if (!v)
			break;
		a = v->end;
	}
	return FR_MIN(a, end);
}

int vm_map_protect(struct vm_map *map, uint64_t start, uint64_t len,
		   unsigned prot)
{
	uint64_t end, stop;

	if (start & (FR_PAGE_SIZE - 1))
		return -EINVAL;
	len = FR_ALIGN_UP(len, FR_PAGE_SIZE);
	if (!range_ok(start, len))
		return -ENOMEM;
	end = start + len;
	stop = mapped_until(map, start, end);
	if (stop == start)
		return -ENOMEM;
	if (isolate(map, start, stop))
		return -ENOMEM;
	for (struct vma *v = map->areas; v && v->start < stop; v = v->next) {
		if (v->start < start)
			continue;
		if (((prot & FR_PROT_WRITE) && (v->flags & VMA_NOMAYWRITE)) ||
		    ((prot & FR_PROT_EXEC) && (v->flags & VMA_NOMAYEXEC))) {
			coalesce(map, start, v->start);
			return -EACCES;
		}
		v->prot = prot;
		protect_pages(map, v);
	}
	coalesce(map, start, stop);
	return stop < end ? -ENOMEM : 0;
}

int vm_map_set_flags(struct vm_map *map, uint64_t start, uint64_t len,
		     unsigned set, unsigned clear)
{
	uint64_t end = start + FR_ALIGN_UP(len, FR_PAGE_SIZE);

	if (isolate(map, start, end))
		return -ENOMEM;
	for (struct vma *v = map->areas; v && v->start < end; v = v->next)
		if (v->start >= start)
			v->flags = (v->flags | set) & ~clear;
	coalesce(map, start, end);
	return 0;
}

/*
 * The highest (or with @bottom_up the lowest) start of @len free bytes in
 * [lo, hi), or 0.  Gaps end at the guard gap below stack areas.
 */
static uint64_t find_gap(struct vm_map *map, uint64_t lo, uint64_t hi,
			 uint64_t len, bool bottom_up)
{
	uint64_t best = 0, gap_start = lo;
	struct vma *v = map->areas;

	for (;;) {
		uint64_t gap_end = v ? vma_start_gap(v) : FR_USER_END;
		uint64_t s = FR_MAX(gap_start, lo), e = FR_MIN(gap_end, hi);

		if (e > s && e - s >= len) {
			if (bottom_up)
				return s;
			best = e - len;
		}
		if (!v || v->end >= hi)
			break;
		gap_start = v->end;
		v = v->next;
	}
	return best;
}

uint64_t vm_map_place(struct vm_map *map, uint64_t hint, uint64_t len,
		      bool low32)
{
	uint64_t lo = low32 ? LOW32_START : MMAP_MIN;
	uint64_t hi = low32 ? LOW32_END : map->mmap_top;
	uint64_t addr;

	len = FR_ALIGN_UP(len, FR_PAGE_SIZE);
	if (!len || len > FR_USER_END)
		return 0;
	if (hint && hint < MMAP_MIN)
		hint = MMAP_MIN;
	if (hint && hint <= (low32 ? hi : FR_USER_END) - len) {
		struct vma *next = vm_map_next(map, hint);

		if (!next || hint + len <= vma_start_gap(next))
			return hint;
	}
	addr = find_gap(map, lo, hi, len, low32);
	if (!addr && !low32)
		addr = find_gap(map, lo, FR_USER_END, len, false);
	return addr;
}

uint64_t vm_map_find_free(struct vm_map *map, uint64_t len)
{
	return vm_map_place(map, 0, len, false);
}

/* A write to a present read-only page of a writable private area. */
static int break_cow(struct vm_map *map, struct vma *v,
		     uint64_t page_addr, struct fr_page *page)
{
	struct fr_page *copy;
	int err;

	if (fr_page_refcount(page) == 1) /* the last sharer: take it over */
		return fr_vm_space_protect(map->space, fr_uaddr(page_addr),
					   FR_PAGE_SIZE, v->prot);
	copy = fr_page_alloc(0);
	if (!copy)
		return -ENOMEM;
	fr_page_copy(copy, page);
	zap(map, v, page_addr, page_addr + FR_PAGE_SIZE);
	err = map_page(map, v, page_addr, copy, v->prot);
	fr_page_put(copy);
	return err;
}

/* Map at @page_addr of private area @v a copy of @page (a file's). */
static int copy_in(struct vm_map *map, struct vma *v, uint64_t page_addr,
		   const struct fr_page *page)
{
	struct fr_page *copy = fr_page_alloc(0);
	int err;

	if (!copy)
		return -ENOMEM;
	fr_page_copy(copy, page);
	err = map_page(map, v, page_addr, copy, v->prot);
	fr_page_put(copy);
	return err;
}

/* Map into @dst's area @nv the pages that @src maps in its area @v. */
static int clone_pages(struct vm_map *dst, struct vma *nv, struct vm_map *src,
		       const struct vma *v)
{
	struct fr_page *page;
	unsigned prot;

	for (uint64_t a = v->start;
	     (page = next_page(src, v, &a, v->end, nv->resident, &prot));
	     a += FR_PAGE_SIZE) {
		int err;

		if (!(v->flags & VMA_SHARED) && (prot & FR_PROT_WRITE)) {
			prot &= ~FR_PROT_WRITE;
			err = fr_vm_space_protect(src->space, fr_uaddr(a),
						  FR_PAGE_SIZE, prot);
			if (err)
				return err;
		}
		err = map_page(dst, nv, a, page, prot);
		if (err)
			return err;
	}
	return 0;
}

int vm_map_clone(struct vm_map *dst, struct vm_map *src)
{
	struct vma **tail = &dst->areas;

	dst->brk_start = src->brk_start;
	dst->brk = src->brk;
	dst->mmap_top = src->mmap_top;
	dst->layout = src->layout;
	for (struct vma *v = src->areas; v; v = v->next) {
		struct vma *nv;
		int err;

		if (v->flags & VMA_DONTFORK)
			continue;
		nv = vma_dup(dst, v, v->start, v->end);
		if (!nv)
			return -ENOMEM;
		nv->next = NULL;
		*tail = nv;
		tail = &nv->next;
		if (v->flags & VMA_WIPEONFORK)
			continue;
		err = clone_pages(dst, nv, src, v);
		if (err)
			return err;
	}
	return 0;
}

/* The stack area that a fault at @addr (in no area) grows, or NULL. */
static struct vma *grow_stack(struct vm_map *map, uint64_t addr)
{
	struct vma *prev = NULL, *v;

	for (v = map->areas; v && v->end <= addr; v = v->next)
		prev = v;
	if (!v || !(v->flags & VMA_GROWSDOWN) || v->obj ||
	    v->end - addr > VMA_STACK_LIMIT || addr < MMAP_MIN)
		return NULL;
	/* Linux keeps the gap only to an accessible non-stack area */
	if (prev && !(prev->flags & VMA_GROWSDOWN) &&
	    prev->prot != FR_PROT_NONE &&
	    addr - prev->end < VMA_STACK_GUARD_GAP)
		return NULL;
	v->start = addr;
	return v;
}

int vm_map_fault(struct vm_map *map, uint64_t addr, bool write, bool exec)
{
	uint64_t page_addr = FR_ALIGN_DOWN(addr, FR_PAGE_SIZE);
	struct vma *v = vm_map_find(map, addr);
	struct fr_page *page;
	unsigned prot;
	int err;

	if (!v && addr < FR_USER_END)
		v = grow_stack(map, page_addr);
	if (!v)
		return -EFAULT;
	if ((write && !(v->prot & FR_PROT_WRITE)) ||
	    (exec && !(v->prot & FR_PROT_EXEC)) ||
	    !(v->prot & (FR_PROT_READ | FR_PROT_WRITE | FR_PROT_EXEC)))
		return -EACCES;
	page = query(map, page_addr, &prot);
	if (page) {
		if (!write || (prot & FR_PROT_WRITE))
			return 0; /* mapped meanwhile */
		if (v->flags & VMA_SHARED)
			return fr_vm_space_protect(map->space,
						   fr_uaddr(page_addr),
						   FR_PAGE_SIZE, v->prot);
		return break_cow(map, v, page_addr, page);
	}
	if (v->flags & (VMA_VVAR | VMA_VDSO)) {
		/* past the block (an area mremap made longer): SIGBUS */
		err = map_vdso_page(map, v, page_addr);
		return err == -EINVAL ? -EIO : err;
	}
	if (v->obj) {
		err = vm_object_page(v->obj, vma_pgoff_at(v, page_addr), &page);
		if (err)
			return err;
		if (v->flags & VMA_SHARED)
			return map_page(map, v, page_addr, page, v->prot);
		if (!write) /* the file's page until written */
			return map_page(map, v, page_addr, page,
					v->prot & ~FR_PROT_WRITE);
		return copy_in(map, v, page_addr, page);
	}
	page = fr_page_alloc(FR_PAGE_ZERO);
	if (!page)
		return -ENOMEM;
	err = map_page(map, v, page_addr, page, v->prot);
	fr_page_put(page);
	return err;
}

int vm_map_prefault(struct vm_map *map, uint64_t start, uint64_t len,
		    bool write)
{
	for (uint64_t a = start; a < start + len; a += FR_PAGE_SIZE) {
		int err = vm_map_fault(map, a, write, false);

		if (err)
			return err;
	}
	return 0;
}

int vm_map_populate(struct vm_map *map, uint64_t start, uint64_t len)
{
	return vm_map_prefault(map, start, len, false);
}

void vm_map_drop(struct vm_map *map, uint64_t start, uint64_t len)
{
	uint64_t end = start + FR_ALIGN_UP(len, FR_PAGE_SIZE);

	for (struct vma *v = vm_map_next(map, start); v && v->start < end;
	     v = v->next)
		zap(map, v, FR_MAX(v->start, start), FR_MIN(v->end, end));
}

void vm_map_zero_shared(struct vm_map *map, uint64_t start, uint64_t len)
{
	uint64_t end = start + FR_ALIGN_UP(len, FR_PAGE_SIZE);

	for (struct vma *v = vm_map_next(map, start); v && v->start < end;
	     v = v->next) {
		uint64_t a = FR_MAX(v->start, start);

		if (!(v->flags & VMA_SHARED))
			continue;
		for (; a < FR_MIN(v->end, end); a += FR_PAGE_SIZE) {
			struct fr_page *page =
				vm_object_lookup(v->obj, vma_pgoff_at(v, a));

			/* in place: other processes may map the page */
			if (page)
				fr_page_fill(page, 0, 0, FR_PAGE_SIZE);
		}
	}
}

long vm_map_mincore(struct vm_map *map, uint64_t start, uint64_t npages,
		    uint8_t *vec)
{
	struct vma *v = vm_map_find(map, start);
	uint64_t n;

	if (!v)
		return -ENOMEM;
	n = FR_MIN(npages, PAGES(v->end - start));
	for (uint64_t i = 0; i < n; i++) {
		uint64_t a = start + i * FR_PAGE_SIZE;
		unsigned prot;

		/* a file's page counts when in memory, mapped here or not */
		vec[i] = query(map, a, &prot) != NULL ||
			 (v->obj && vm_object_lookup(v->obj,
						     vma_pgoff_at(v, a)));
	}
	return (long)n;
}

int vm_map_expand(struct vm_map *map, uint64_t addr, uint64_t new_end)
{
	struct vma *v = vm_map_find(map, addr);

	if (!v || new_end > FR_USER_END || new_end < v->end ||
	    vm_map_overlaps(map, v->end, new_end))
		return -ENOMEM;
	v->end = new_end;
	coalesce(map, v->start, new_end);
	return 0;
}

int vm_map_move(struct vm_map *map, uint64_t old, uint64_t old_len,
		uint64_t new, uint64_t new_len, bool keep_old)
{
	struct vma *v = vm_map_find(map, old);
	struct vma *nv;
	uint64_t moved = FR_MIN(old_len, new_len);
	uint64_t a = old, seen = 0;
	struct fr_page *page;
	unsigned prot;
	int err = 0;

	if (!v || old_len > v->end - old || (!old_len && !v->obj) ||
	    !range_ok(new, new_len) || new < FR_USER_MIN ||
	    vm_map_overlaps(map, new, new + new_len))
		return -ENOMEM;
	nv = vma_dup(map, v, old, old); /* same kind, place in the object */
	if (!nv)
		return -ENOMEM;
	nv->start = new;
	nv->end = new + new_len;
	/* map the pages at their new place, then drop the old mappings */
	for (; !err && (page = next_page(map, v, &a, old + moved, seen, &prot));
	     a += FR_PAGE_SIZE) {
		seen++;
		err = map_page(map, nv, new + (a - old), page, prot);
	}
	if (err) {
		zap(map, nv, new, new + moved);
		vma_free(nv);
		return err;
	}
	insert_sorted(map, nv);
	zap(map, v, old, old + moved);
	if (!keep_old && old_len)
		vm_map_remove(map, old, old_len);
	coalesce(map, new, new + new_len);
	return 0;
}
