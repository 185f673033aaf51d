/*
 * A process's virtual memory areas (VMAs) over its frame address space:
 * anonymous memory with demand paging, brk, mmap/munmap/mprotect.
 */
#ifndef KERNEL_VM_VM_MAP_H
#define KERNEL_VM_VM_MAP_H

#include <frame/vm.h>

#define VMA_GROWSDOWN 0x1
#define VMA_SHARED 0x2
#define VMA_STACK_GUARD_GAP (256UL * 4096)

struct vma {
	uint64_t start, end; /* page aligned, [start, end) */
	unsigned prot;	     /* FR_PROT_* */
	unsigned flags;	     /* VMA_* */
	struct vma *next;    /* sorted by start */
};

struct vm_map {
	struct fr_vm_space *space;
	struct vma *areas;
	uint64_t brk_start, brk;
	uint64_t mmap_top; /* mappings are placed below this */
};

/* vm_map_init - an empty map with a new address space.  0 or -ENOMEM. */
int vm_map_init(struct vm_map *map) FR_MUST_CHECK;

/*
 * vm_map_clone - make @dst (fresh from vm_map_init) a copy-on-write copy
 * of @src, as fork does.  Returns 0 or -ENOMEM (@dst is then partial and
 * must be destroyed).
 */
int vm_map_clone(struct vm_map *dst, struct vm_map *src) FR_MUST_CHECK;

/* vm_map_destroy - unmap everything and free the address space. */
void vm_map_destroy(struct vm_map *map);

/*
 * vm_map_add - map [start, start + len) with @prot, replacing what is there
 * when @fixed, else failing with -EEXIST on overlap.  Pages come on demand.
 */
int vm_map_add(struct vm_map *map, uint64_t start, uint64_t len,
	       unsigned prot, unsigned flags) FR_MUST_CHECK;

/* vm_map_remove - unmap [start, start + len).  Returns 0 or -EINVAL. */
int vm_map_remove(struct vm_map *map, uint64_t start, uint64_t len);

/* vm_map_protect - change protection; -ENOMEM if a page is unmapped. */
int vm_map_protect(struct vm_map *map, uint64_t start, uint64_t len,
		   unsigned prot);

/* vm_map_find_free - a free range of @len bytes below mmap_top, or 0. */
uint64_t vm_map_find_free(struct vm_map *map, uint64_t len);

/* vm_map_find - the area containing @addr, or NULL. */
struct vma *vm_map_find(struct vm_map *map, uint64_t addr);

/*
 * vm_map_fault - handle a fault at @addr (write when @write, instruction
 * fetch when @exec): map a zero page when the access is allowed.
 * Returns 0, -EFAULT (no area: SEGV_MAPERR) or -EACCES (SEGV_ACCERR).
 */
int vm_map_fault(struct vm_map *map, uint64_t addr, bool write, bool exec);

/*
 * vm_map_populate - fault in every page of [start, start + len).
 */
int vm_map_populate(struct vm_map *map, uint64_t start, uint64_t len);

#endif
