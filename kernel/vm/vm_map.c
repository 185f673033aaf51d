/*
 * Virtual memory areas, demand paging and copy-on-write (see vm/vm_map.h).
 * A page mapped in more than one address space (after fork) is mapped
 * read-only everywhere; the first write fault gives the writer its own copy.
 */
#include <frame/heap.h>
#include <frame/log.h>
#include "vm/vm_map.h"

#define MMAP_TOP 0x00007ffff7fff000UL

int vm_map_init(struct vm_map *map)
{
	map->space = fr_vm_space_create();
	if (!map->space)
		return -ENOMEM;
	map->areas = NULL;
	map->brk_start = map->brk = 0;
	map->mmap_top = MMAP_TOP;
	return 0;
}

void vm_map_destroy(struct vm_map *map)
{
	struct vma *v = map->areas;

	while (v) {
		struct vma *next = v->next;

		fr_kfree(v);
		v = next;
	}
	map->areas = NULL;
	fr_vm_space_destroy(map->space);
	map->space = NULL;
}

struct vma *vm_map_find(struct vm_map *map, uint64_t addr)
{
	for (struct vma *v = map->areas; v; v = v->next)
		if (addr >= v->start && addr < v->end)
			return v;
	return NULL;
}

static bool overlaps(struct vm_map *map, uint64_t start, uint64_t end)
{
	for (struct vma *v = map->areas; v; v = v->next)
		if (v->start < end && start < v->end)
			return true;
	return false;
}

static struct vma *vma_new(uint64_t start, uint64_t end, unsigned prot,
			   unsigned flags)
{
	struct vma *v = FR_NEW(struct vma);

	if (v) {
		v->start = start;
		v->end = end;
		v->prot = prot;
		v->flags = flags;
	}
	return v;
}

static void insert_sorted(struct vm_map *map, struct vma *nv)
{
	struct vma **p = &map->areas;

	while (*p && (*p)->start < nv->start)
		p = &(*p)->next;
	nv->next = *p;
	*p = nv;
}

/* Split so that no area straddles @addr.  Returns 0 or -ENOMEM. */
static int split_at(struct vm_map *map, uint64_t addr)
{
	struct vma *v = vm_map_find(map, addr);
	struct vma *tail;

	if (!v || v->start == addr)
		return 0;
	tail = vma_new(addr, v->end, v->prot, v->flags);
	if (!tail)
		return -ENOMEM;
	v->end = addr;
	tail->next = v->next;
	v->next = tail;
	return 0;
}

static bool range_ok(uint64_t start, uint64_t len)
{
	return !(start & (FR_PAGE_SIZE - 1)) && len &&
	       start >= FR_USER_MIN && start < FR_USER_END &&
	       len <= FR_USER_END - start;
}

int vm_map_remove(struct vm_map *map, uint64_t start, uint64_t len)
{
	uint64_t end;
	struct vma **p;

	len = FR_ALIGN_UP(len, FR_PAGE_SIZE);
	if (!range_ok(start, len))
		return -EINVAL;
	end = start + len;
	if (split_at(map, start) || split_at(map, end))
		return -ENOMEM;
	p = &map->areas;
	while (*p) {
		struct vma *v = *p;

		if (v->start >= start && v->end <= end) {
			*p = v->next;
			fr_kfree(v);
		} else {
			p = &v->next;
		}
	}
	return fr_vm_space_unmap(map->space, fr_uaddr(start), len);
}

int vm_map_add(struct vm_map *map, uint64_t start, uint64_t len,
	       unsigned prot, unsigned flags)
{
	struct vma *v;

	len = FR_ALIGN_UP(len, FR_PAGE_SIZE);
	if (!range_ok(start, len))
		return -EINVAL;
	if (overlaps(map, start, start + len))
		return -EEXIST;
	v = vma_new(start, start + len, prot, flags);
	if (!v)
		return -ENOMEM;
	insert_sorted(map, v);
	return 0;
}

int vm_map_protect(struct vm_map *map, uint64_t start, uint64_t len,
		   unsigned prot)
{
	uint64_t end, a;
	int err;

	len = FR_ALIGN_UP(len, FR_PAGE_SIZE);
	if (!range_ok(start, len))
		return -EINVAL;
	end = start + len;
	/* the whole range must be mapped */
	for (a = start; a < end;) {
		struct vma *v = vm_map_find(map, a);

		if (!v)
			return -ENOMEM;
		a = v->end;
	}
	if (split_at(map, start) || split_at(map, end))
		return -ENOMEM;
	for (struct vma *v = map->areas; v; v = v->next)
		if (v->start >= start && v->end <= end)
			v->prot = prot;
	err = fr_vm_space_protect(map->space, fr_uaddr(start), len, prot);
	if (err || !(prot & FR_PROT_WRITE))
		return err;
	/* pages still shared with another space stay copy-on-write */
	for (a = start; a < end; a += FR_PAGE_SIZE) {
		struct fr_page *page;
		unsigned cur;

		page = fr_vm_space_query(map->space, fr_uaddr(a), &cur);
		if (page && fr_page_refcount(page) > 1)
			fr_vm_space_protect(map->space, fr_uaddr(a),
					    FR_PAGE_SIZE,
					    prot & ~FR_PROT_WRITE);
	}
	return 0;
}

uint64_t vm_map_find_free(struct vm_map *map, uint64_t len)
{
	uint64_t top = map->mmap_top;

	len = FR_ALIGN_UP(len, FR_PAGE_SIZE);
	while (top >= FR_USER_MIN + len) {
		uint64_t start = top - len;
		struct vma *hit = NULL;

		for (struct vma *v = map->areas; v; v = v->next)
			if (v->start < top && start < v->end)
				hit = v; /* the highest overlapping area */
		if (!hit)
			return start;
		top = hit->start;
	}
	return 0;
}

/* A write to a present read-only page of a writable area. */
static int break_cow(struct vm_map *map, uint64_t page_addr,
		     struct fr_page *page, unsigned prot)
{
	struct fr_page *copy;
	int err;

	if (fr_page_refcount(page) == 1) /* the last sharer: take it over */
		return fr_vm_space_protect(map->space, fr_uaddr(page_addr),
					   FR_PAGE_SIZE, prot);
	copy = fr_page_alloc(0);
	if (!copy)
		return -ENOMEM;
	fr_page_copy(copy, page);
	err = fr_vm_space_unmap(map->space, fr_uaddr(page_addr), FR_PAGE_SIZE);
	if (!err)
		err = fr_vm_space_map(map->space, fr_uaddr(page_addr), copy,
				      prot);
	fr_page_put(copy);
	return err;
}

int vm_map_clone(struct vm_map *dst, struct vm_map *src)
{
	struct vma **tail = &dst->areas;

	dst->brk_start = src->brk_start;
	dst->brk = src->brk;
	dst->mmap_top = src->mmap_top;
	for (struct vma *v = src->areas; v; v = v->next) {
		struct vma *nv = vma_new(v->start, v->end, v->prot, v->flags);

		if (!nv)
			return -ENOMEM;
		nv->next = NULL;
		*tail = nv;
		tail = &nv->next;
		for (uint64_t a = v->start; a < v->end; a += FR_PAGE_SIZE) {
			unsigned prot;
			struct fr_page *page = fr_vm_space_query(
				src->space, fr_uaddr(a), &prot);
			int err;

			if (!page)
				continue;
			if ((prot & FR_PROT_WRITE) &&
			    fr_vm_space_protect(src->space, fr_uaddr(a),
						FR_PAGE_SIZE,
						prot & ~FR_PROT_WRITE))
				return -ENOMEM;
			err = fr_vm_space_map(dst->space, fr_uaddr(a), page,
					      prot & ~FR_PROT_WRITE);
			if (err)
				return err;
		}
	}
	return 0;
}

int vm_map_fault(struct vm_map *map, uint64_t addr, bool write, bool exec)
{
	uint64_t page_addr = FR_ALIGN_DOWN(addr, FR_PAGE_SIZE);
	struct vma *v = vm_map_find(map, addr);
	struct fr_page *page;
	unsigned prot;
	int err;

	if (!v) {
		/* grow a stack area down, keeping a gap to the next area */
		struct vma *below = NULL;

		for (struct vma *s = map->areas; s; s = s->next) {
			if ((s->flags & VMA_GROWSDOWN) && s->start > addr &&
			    s->start - page_addr <= 32UL * 1024 * 1024) {
				v = s;
				break;
			}
			below = s;
		}
		if (!v || (below && page_addr < below->end + VMA_STACK_GUARD_GAP))
			return -EFAULT;
		v->start = page_addr;
	}
	if ((write && !(v->prot & FR_PROT_WRITE)) ||
	    (exec && !(v->prot & FR_PROT_EXEC)) ||
	    !(v->prot & (FR_PROT_READ | FR_PROT_WRITE | FR_PROT_EXEC)))
		return -EACCES;
	page = fr_vm_space_query(map->space, fr_uaddr(page_addr), &prot);
	if (page) {
		if (!write || (prot & FR_PROT_WRITE))
			return 0; /* mapped meanwhile */
		return break_cow(map, page_addr, page, v->prot);
	}
	page = fr_page_alloc(FR_PAGE_ZERO);
	if (!page)
		return -ENOMEM;
	err = fr_vm_space_map(map->space, fr_uaddr(page_addr), page, v->prot);
	fr_page_put(page);
	return err;
}

int vm_map_populate(struct vm_map *map, uint64_t start, uint64_t len)
{
	for (uint64_t a = start; a < start + len; a += FR_PAGE_SIZE) {
		int err = vm_map_fault(map, a, false, false);

		if (err)
			return err;
	}
	return 0;
}
