/*
 * KTESTs of the virtual memory areas: splitting and merging, the resident
 * page counts, shared memory across a clone, moving pages without copying
 * them, and an object (a file's pages) mapped shared and private, shrunk
 * under its mappings.  The maps are never active: only the frame's address
 * space API is used.
 */
#include <frame/ktest.h>
#include <frame/mm.h>
#include "vm/vm_map.h"
#include "vm/vm_object.h"

#define P FR_PAGE_SIZE
#define BASE 0x10000000UL
#define RW (FR_PROT_READ | FR_PROT_WRITE)

static unsigned count_areas(const struct vm_map *m)
{
	unsigned n = 0;

	for (const struct vma *v = m->areas; v; v = v->next)
		n++;
	return n;
}

/* The sum of the areas' resident counts (must be the map's). */
static uint64_t area_resident(const struct vm_map *m)
{
	uint64_t n = 0;

	for (const struct vma *v = m->areas; v; v = v->next)
		n += v->resident;
	return n;
}

static struct fr_page *page_at(struct vm_map *m, uint64_t addr)
{
	unsigned prot;

	return fr_vm_space_query(m->space, fr_uaddr(addr), &prot);
}

KTEST(vm_map, split_merge)
{
	struct vm_map m;

	KT_ASSERT(!vm_map_init(&m));
	KT_EXPECT_EQ(vm_map_add(&m, BASE, 4 * P, RW, 0), 0);
	KT_EXPECT_EQ(vm_map_add(&m, BASE + 4 * P, 4 * P, RW, 0), 0);
	KT_EXPECT_EQ(count_areas(&m), 1); /* alike neighbours merge */
	KT_EXPECT_EQ(vm_map_add(&m, BASE + 7 * P, 2 * P, RW, 0), -EEXIST);
	KT_EXPECT_EQ(vm_map_protect(&m, BASE + 2 * P, P, FR_PROT_READ), 0);
	KT_EXPECT_EQ(count_areas(&m), 3);
	KT_EXPECT_EQ(vm_map_find(&m, BASE + 2 * P)->prot, FR_PROT_READ);
	KT_EXPECT_EQ(vm_map_protect(&m, BASE + 2 * P, P, RW), 0);
	KT_EXPECT_EQ(count_areas(&m), 1);
	KT_EXPECT_EQ(vm_map_set_flags(&m, BASE + P, P, VMA_DONTFORK, 0), 0);
	KT_EXPECT_EQ(count_areas(&m), 3);
	KT_EXPECT_EQ(vm_map_set_flags(&m, BASE, 8 * P, 0, VMA_DONTFORK), 0);
	KT_EXPECT_EQ(count_areas(&m), 1);
	KT_EXPECT_EQ(vm_map_remove(&m, BASE + P, P), 0);
	KT_EXPECT_EQ(count_areas(&m), 2);
	/* a hole stops mprotect; what is before it changed */
	KT_EXPECT_EQ(vm_map_protect(&m, BASE, 3 * P, FR_PROT_READ), -ENOMEM);
	KT_EXPECT_EQ(vm_map_find(&m, BASE)->prot, FR_PROT_READ);
	KT_EXPECT_EQ(vm_map_find(&m, BASE + 2 * P)->prot, RW);
	/* shared areas of different objects never merge */
	KT_EXPECT_EQ(vm_map_add(&m, BASE + 16 * P, P, RW, VMA_SHARED), 0);
	KT_EXPECT_EQ(vm_map_add(&m, BASE + 17 * P, P, RW, VMA_SHARED), 0);
	KT_EXPECT_EQ(count_areas(&m), 4);
	vm_map_destroy(&m);
}

KTEST(vm_map, resident)
{
	struct vm_map m, c;

	KT_ASSERT(!vm_map_init(&m));
	KT_ASSERT(!vm_map_add(&m, BASE, 8 * P, RW, 0));
	KT_EXPECT_EQ(m.resident, 0);
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + 100, true, false), 0);
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + 3 * P, false, false), 0);
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + 3 * P, true, false), 0);
	KT_EXPECT_EQ(vm_map_populate(&m, BASE + 5 * P, 3 * P), 0);
	KT_EXPECT_EQ(m.resident, 5);
	vm_map_drop(&m, BASE + 5 * P, P);
	KT_EXPECT_EQ(m.resident, 4);
	KT_EXPECT(!page_at(&m, BASE + 5 * P));
	/* splitting shares the count out, merging adds it up */
	KT_EXPECT_EQ(vm_map_protect(&m, BASE + 3 * P, 5 * P, FR_PROT_READ), 0);
	KT_EXPECT_EQ(count_areas(&m), 2);
	KT_EXPECT_EQ(vm_map_find(&m, BASE)->resident, 1);
	KT_EXPECT_EQ(vm_map_find(&m, BASE + 3 * P)->resident, 3);
	KT_EXPECT_EQ(vm_map_protect(&m, BASE + 3 * P, 5 * P, RW), 0);
	KT_EXPECT_EQ(vm_map_find(&m, BASE)->resident, 4);

	/* a clone maps the same pages; breaking copy-on-write keeps counts */
	KT_ASSERT(!vm_map_init(&c));
	KT_ASSERT(!vm_map_clone(&c, &m));
	KT_EXPECT_EQ(c.resident, 4);
	KT_EXPECT(page_at(&c, BASE) == page_at(&m, BASE));
	KT_EXPECT_EQ(fr_page_refcount(page_at(&m, BASE)), 2);
	KT_EXPECT_EQ(vm_map_fault(&c, BASE, true, false), 0);
	KT_EXPECT(page_at(&c, BASE) != page_at(&m, BASE));
	KT_EXPECT_EQ(fr_page_refcount(page_at(&m, BASE)), 1);
	KT_EXPECT_EQ(c.resident, 4);
	KT_EXPECT_EQ(m.resident, 4);
	KT_EXPECT_EQ(area_resident(&c), 4);

	KT_EXPECT_EQ(vm_map_remove(&m, BASE + 2 * P, 4 * P), 0);
	KT_EXPECT_EQ(m.resident, 3);
	KT_EXPECT_EQ(area_resident(&m), 3);
	KT_EXPECT_EQ(m.resident_shared, 0);
	vm_map_destroy(&c);
	vm_map_destroy(&m);
	KT_EXPECT_EQ(m.resident, 0);
}

KTEST(vm_map, shared_clone)
{
	struct vm_map m, c;
	struct fr_page *page;
	char byte = 0;

	KT_ASSERT(!vm_map_init(&m));
	KT_ASSERT(!vm_map_add(&m, BASE, 2 * P, RW, VMA_SHARED));
	KT_EXPECT_EQ(vm_map_fault(&m, BASE, true, false), 0);
	KT_EXPECT_EQ(m.resident_shared, 1);
	KT_ASSERT(!vm_map_init(&c));
	KT_ASSERT(!vm_map_clone(&c, &m));
	/* the clone writes the page nobody had touched: the parent sees it */
	KT_EXPECT_EQ(vm_map_fault(&c, BASE + P, true, false), 0);
	KT_EXPECT(!fr_vm_space_write(c.space, fr_uaddr(BASE + P), "s", 1));
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + P, false, false), 0);
	KT_EXPECT(!fr_vm_space_read(m.space, fr_uaddr(BASE + P), &byte, 1));
	KT_EXPECT_EQ(byte, 's');
	page = page_at(&m, BASE + P);
	KT_EXPECT(page && page == page_at(&c, BASE + P));
	KT_EXPECT_EQ(fr_page_refcount(page), 3); /* the object, two maps */
	/* no copy-on-write: the parent's page stays writable */
	KT_EXPECT_EQ(vm_map_fault(&m, BASE, true, false), 0);
	KT_EXPECT(page_at(&m, BASE) == page_at(&c, BASE));
	KT_EXPECT_EQ(m.resident_shared, 2);
	KT_EXPECT_EQ(c.resident_shared, 2);
	/* the memory outlives the parent's mapping */
	vm_map_destroy(&m);
	byte = 0;
	KT_EXPECT(!fr_vm_space_read(c.space, fr_uaddr(BASE + P), &byte, 1));
	KT_EXPECT_EQ(byte, 's');
	KT_EXPECT_EQ(fr_page_refcount(page), 2);
	/* past the end of the memory: SIGBUS */
	KT_EXPECT_EQ(vm_map_expand(&c, BASE, BASE + 3 * P), 0);
	KT_EXPECT_EQ(vm_map_fault(&c, BASE + 2 * P, false, false), -EIO);
	vm_map_destroy(&c);
}

KTEST(vm_map, move)
{
	struct vm_map m;
	struct fr_page *p0, *p2;

	KT_ASSERT(!vm_map_init(&m));
	KT_ASSERT(!vm_map_add(&m, BASE, 4 * P, RW, 0));
	KT_EXPECT_EQ(vm_map_fault(&m, BASE, true, false), 0);
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + 2 * P, true, false), 0);
	p0 = page_at(&m, BASE);
	p2 = page_at(&m, BASE + 2 * P);
	KT_EXPECT_EQ(vm_map_move(&m, BASE, 4 * P, BASE + 64 * P, 8 * P, false),
		     0);
	KT_EXPECT(page_at(&m, BASE + 64 * P) == p0);
	KT_EXPECT(page_at(&m, BASE + 66 * P) == p2);
	KT_EXPECT(!page_at(&m, BASE + 65 * P));
	KT_EXPECT_EQ(fr_page_refcount(p0), 1);
	KT_EXPECT(!vm_map_find(&m, BASE));
	KT_EXPECT_EQ(vm_map_find(&m, BASE + 71 * P)->end, BASE + 72 * P);
	KT_EXPECT_EQ(m.resident, 2);
	KT_EXPECT_EQ(area_resident(&m), 2);
	/* keeping the old range: it stays mapped, empty */
	KT_EXPECT_EQ(vm_map_move(&m, BASE + 64 * P, P, BASE, P, true), 0);
	KT_EXPECT(page_at(&m, BASE) == p0);
	KT_EXPECT(vm_map_find(&m, BASE + 64 * P) && !page_at(&m, BASE + 64 * P));
	KT_EXPECT_EQ(m.resident, 2);
	/* the target must be free */
	KT_EXPECT_EQ(vm_map_move(&m, BASE, P, BASE + 66 * P, P, false),
		     -ENOMEM);
	vm_map_destroy(&m);
}

KTEST(vm_map, object_shrink)
{
	struct vm_object *o = vm_object_new(3, NULL);
	struct vm_map m;
	struct fr_page *page;
	uint64_t pages = 0;
	char byte = 0;

	KT_ASSERT(o);
	KT_ASSERT(!vm_map_init(&m));
	KT_ASSERT(!vm_map_add_file(&m, BASE, 4 * P, RW, VMA_SHARED, NULL, o,
				   0));
	/* private, one page into the object */
	KT_ASSERT(!vm_map_add_file(&m, BASE + 8 * P, 2 * P, RW, 0, NULL, o,
				   1));
	vm_object_put(o); /* the areas keep it */
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + P, true, false), 0);
	KT_EXPECT(!fr_vm_space_write(m.space, fr_uaddr(BASE + P), "f", 1));
	/* a read fault maps the object's page read-only */
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + 8 * P, false, false), 0);
	page = page_at(&m, BASE + 8 * P);
	KT_EXPECT(page && page == vm_object_lookup(o, 1));
	KT_EXPECT(!fr_vm_space_read(m.space, fr_uaddr(BASE + 8 * P), &byte,
				    1));
	KT_EXPECT_EQ(byte, 'f');
	/* a write copies it */
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + 8 * P, true, false), 0);
	KT_EXPECT(page_at(&m, BASE + 8 * P) != page);
	KT_EXPECT(!fr_vm_space_write(m.space, fr_uaddr(BASE + 8 * P), "p", 1));
	KT_EXPECT(!fr_vm_space_read(m.space, fr_uaddr(BASE + P), &byte, 1));
	KT_EXPECT_EQ(byte, 'f');
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + 9 * P, false, false), 0);
	KT_EXPECT_EQ(m.resident, 3);
	/* beyond the object: SIGBUS */
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + 3 * P, false, false), -EIO);
	/* shrinking unmaps pages 1 and 2 everywhere, copies included */
	vm_object_resize(o, 1);
	KT_EXPECT(!page_at(&m, BASE + P));
	KT_EXPECT(!page_at(&m, BASE + 8 * P));
	KT_EXPECT(!page_at(&m, BASE + 9 * P));
	KT_EXPECT_EQ(m.resident, 0);
	KT_EXPECT_EQ(area_resident(&m), 0);
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + P, false, false), -EIO);
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + 8 * P, true, false), -EIO);
	KT_EXPECT_EQ(vm_map_fault(&m, BASE, true, false), 0);
	/* growing again: holes */
	vm_object_resize(o, 3);
	KT_EXPECT_EQ(vm_map_fault(&m, BASE + P, false, false), 0);
	KT_EXPECT(!fr_vm_space_read(m.space, fr_uaddr(BASE + P), &byte, 1));
	KT_EXPECT_EQ(byte, 0);
	/* areas split and freed leave the object's list right */
	KT_EXPECT_EQ(vm_map_remove(&m, BASE + P, P), 0);
	vm_object_resize(o, 0);
	for (const struct vma *v = m.areas; v; v = v->next)
		pages += v->resident;
	KT_EXPECT_EQ(pages, 0);
	vm_map_destroy(&m);
}
