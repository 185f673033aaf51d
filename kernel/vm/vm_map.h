/*
 * A process's virtual memory areas (VMAs) over its frame address space:
 * anonymous memory, private (demand-zero, copy-on-write after fork) or
 * shared (one set of pages for every process that maps it), files mapped
 * shared (the file's own pages) or private (copy-on-write from them), brk,
 * and the operations behind mmap, munmap, mremap, mprotect, madvise and
 * mincore.
 *
 * Invariants: areas are sorted, page aligned and do not overlap; a page is
 * mapped in the address space only inside an area; adjacent areas that
 * could be one are merged (as Linux merges VMAs, which mremap and
 * mprotect make visible).  The caller serializes the calls on one map.
 */
#ifndef KERNEL_VM_VM_MAP_H
#define KERNEL_VM_VM_MAP_H

#include <frame/vm.h>

#define VMA_GROWSDOWN 0x1  /* a stack: a fault just below extends it */
#define VMA_SHARED 0x2
#define VMA_DONTFORK 0x4   /* MADV_DONTFORK: fork does not copy the area */
#define VMA_WIPEONFORK 0x8 /* MADV_WIPEONFORK: the child's copy is zero */
#define VMA_NORESERVE 0x10 /* MAP_NORESERVE: no check against RAM size */
/* mprotect may not add PROT_WRITE / PROT_EXEC (Linux's VM_MAYWRITE and
 * VM_MAYEXEC cleared: a shared mapping of a file not open for writing, a
 * file on a noexec mount) */
#define VMA_NOMAYWRITE 0x20
#define VMA_NOMAYEXEC 0x40
/* The frame's vDSO (<frame/vdso.h>): its data pages ("[vvar]") and its
 * code ("[vdso]"); @pgoff is the page of the vDSO block at @start.  Their
 * pages are the frame's, mapped again by a fault after MADV_DONTNEED. */
#define VMA_VVAR 0x80
#define VMA_VDSO 0x100

struct file;
struct vm_map;

/* The gap kept below a stack area (Linux's stack_guard_gap). */
#define VMA_STACK_GUARD_GAP (256UL * 4096)
/* How far a stack area may grow (RLIMIT_STACK's default). */
#define VMA_STACK_LIMIT (8UL * 1024 * 1024)

/* The pages of shared memory or of a file (vm/vm_object.h). */
struct vm_object;

/*
 * An area.  @obj is the shared memory (VMA_SHARED) or the file's pages;
 * private anonymous memory has none.  A private area with an object maps
 * its pages read-only and copies one on the first write to it.
 */
struct vma {
	uint64_t start, end;	/* page aligned, [start, end) */
	unsigned prot;		/* FR_PROT_* */
	unsigned flags;		/* VMA_* */
	struct vm_object *obj;	/* the pages (referenced), or NULL */
	uint64_t pgoff;		/* page of @obj at @start */
	struct file *file;	/* the file mapped (referenced), or NULL */
	uint64_t resident;	/* pages of the area mapped in the space */
	struct vma *next;	/* sorted by start */
	struct vm_map *map;	/* the map it is in */
	struct vma *obj_next, *obj_prev; /* the areas mapping @obj */
};

/* The pages of the program file that exec mapped (for /proc/PID/maps). */
#define VM_LAYOUT_FILE_RANGES 8
struct vm_file_range {
	uint64_t start, end; /* page aligned */
	uint64_t off;	     /* the file offset at @start */
};

/* The most auxiliary-vector entries exec gives, AT_NULL included. */
#define VM_LAYOUT_AUXV 24

/*
 * Where exec put the program and its arguments (Linux's mm->start_code
 * and friends), for /proc/PID/stat, statm, cmdline, environ and maps,
 * and the auxiliary vector it gave (Linux's mm->saved_auxv), for auxv.
 */
struct vm_layout {
	uint64_t start_code, end_code, start_data, end_data;
	uint64_t start_stack;
	uint64_t arg_start, arg_end, env_start, env_end;
	struct vm_file_range file[VM_LAYOUT_FILE_RANGES];
	unsigned nfile;
	uint64_t auxv[VM_LAYOUT_AUXV][2];
	unsigned nauxv; /* entries in auxv, AT_NULL included */
};

struct vm_map {
	struct fr_vm_space *space;
	struct vma *areas;
	uint64_t brk_start, brk;
	uint64_t mmap_top; /* mappings are placed below this */
	/* pages mapped in @space (Linux's RSS), and those of VMA_SHARED areas */
	uint64_t resident;
	uint64_t resident_shared;
	struct vm_layout layout; /* set by exec, copied by fork */
};

/* vm_map_init - an empty map with a new address space.  0 or -ENOMEM. */
int vm_map_init(struct vm_map *map) FR_MUST_CHECK;

/*
 * vm_map_clone - make @dst (fresh from vm_map_init) the map of a fork of
 * @src: private areas copy-on-write, shared areas the same pages, without
 * VMA_DONTFORK areas and with VMA_WIPEONFORK ones empty.  Returns 0 or
 * -ENOMEM (@dst is then partial and must be destroyed).
 */
int vm_map_clone(struct vm_map *dst, struct vm_map *src) FR_MUST_CHECK;

/* vm_map_destroy - unmap everything and free the address space. */
void vm_map_destroy(struct vm_map *map);

/*
 * vm_map_add - map [start, start + len) with @prot and VMA_* @flags
 * (VMA_SHARED: new zero-filled shared memory), failing with -EEXIST on
 * overlap, -EINVAL for a range outside user space, -ENOMEM.  Pages come on
 * demand.
 */
int vm_map_add(struct vm_map *map, uint64_t start, uint64_t len,
	       unsigned prot, unsigned flags) FR_MUST_CHECK;

/*
 * vm_map_add_vdso - map the frame's vDSO block (<frame/vdso.h>) at the
 * top of the free space below mmap_top: its data pages as a read-only
 * "[vvar]" area, its code as a read-and-execute "[vdso]" area, neither of
 * which mprotect may make writable.  Sets *@ehdr to the code's address
 * (AT_SYSINFO_EHDR), or 0 when the frame has no vDSO.  Returns 0 or
 * -ENOMEM.
 */
int vm_map_add_vdso(struct vm_map *map, uint64_t *ehdr) FR_MUST_CHECK;

/*
 * vm_map_add_file - map [start, start + len) of @file (whose pages are
 * @obj, from page @pgoff on) with @prot and VMA_* @flags: VMA_SHARED maps
 * the pages themselves, else copy-on-write.  The area takes references on
 * @file (which may be NULL: an object without a file) and @obj.  Errors as
 * vm_map_add().
 */
int vm_map_add_file(struct vm_map *map, uint64_t start, uint64_t len,
		    unsigned prot, unsigned flags, struct file *file,
		    struct vm_object *obj, uint64_t pgoff) FR_MUST_CHECK;

/*
 * vma_zap - unmap the pages of [start, end), a part of area @v, from its
 * map (vm/vm_object.c, when the object shrinks).
 */
void vma_zap(struct vma *v, uint64_t start, uint64_t end);

/*
 * vm_map_remove - unmap [start, start + len); holes are fine.  Returns 0,
 * -EINVAL (unaligned, empty or beyond user space) or -ENOMEM.
 */
int vm_map_remove(struct vm_map *map, uint64_t start, uint64_t len);

/*
 * vm_map_protect - change the protection of [start, start + len) as
 * Linux's mprotect does: area after area up to the first hole.  Returns 0,
 * -EINVAL (unaligned), -ENOMEM (a hole; the part before it changed) or
 * -EACCES (an area that may not get @prot: VMA_NOMAYWRITE, VMA_NOMAYEXEC;
 * the areas before it changed).
 */
int vm_map_protect(struct vm_map *map, uint64_t start, uint64_t len,
		   unsigned prot);

/*
 * vm_map_place - where to map @len bytes: at @hint (page aligned, 0 for
 * none) if that range is free, else the highest free range below
 * mmap_top (then anywhere), or with @low32 the lowest one in [1 GiB,
 * 2 GiB) (MAP_32BIT).  Keeps the guard gap below stack areas.  Returns
 * the address or 0 when nothing fits.
 */
uint64_t vm_map_place(struct vm_map *map, uint64_t hint, uint64_t len,
		      bool low32);

/* vm_map_find_free - vm_map_place() without a hint. */
uint64_t vm_map_find_free(struct vm_map *map, uint64_t len);

/* vm_map_find - the area containing @addr, or NULL. */
struct vma *vm_map_find(struct vm_map *map, uint64_t addr);

/* vm_map_next - the first area ending above @addr (Linux's find_vma). */
struct vma *vm_map_next(struct vm_map *map, uint64_t addr);

/* vm_map_overlaps - whether any area meets [start, end). */
bool vm_map_overlaps(struct vm_map *map, uint64_t start, uint64_t end);

/* vma_start_gap - where @v begins, counting a stack's guard gap. */
static inline uint64_t vma_start_gap(const struct vma *v)
{
	if (!(v->flags & VMA_GROWSDOWN))
		return v->start;
	return v->start > VMA_STACK_GUARD_GAP ?
		       v->start - VMA_STACK_GUARD_GAP : 0;
}

/*
 * vm_map_fault - handle a fault at @addr (write when @write, instruction
 * fetch when @exec): map a zero page, the shared page, or break
 * copy-on-write, when the access is allowed; a fault just below a stack
 * area grows it.  Returns 0, -EFAULT (no area: SEGV_MAPERR), -EACCES
 * (SEGV_ACCERR), -EIO (past the end of shared memory: SIGBUS) or -ENOMEM.
 */
int vm_map_fault(struct vm_map *map, uint64_t addr, bool write, bool exec);

/*
 * vm_map_populate - fault in every page of [start, start + len) for
 * reading; the first error of vm_map_fault() stops it.
 */
int vm_map_populate(struct vm_map *map, uint64_t start, uint64_t len);

/* vm_map_prefault - the same, for writing when @write. */
int vm_map_prefault(struct vm_map *map, uint64_t start, uint64_t len,
		    bool write);

/*
 * vm_map_drop - unmap the pages of the areas in [start, start + len)
 * (MADV_DONTNEED): private memory reads as zeros afterwards, shared memory
 * keeps its contents and maps them again on the next access.
 */
void vm_map_drop(struct vm_map *map, uint64_t start, uint64_t len);

/*
 * vm_map_zero_shared - zero the shared memory behind the shared areas in
 * [start, start + len) for every process mapping it (MADV_REMOVE).
 */
void vm_map_zero_shared(struct vm_map *map, uint64_t start, uint64_t len);

/*
 * vm_map_set_flags - set @set and clear @clear in the VMA_* flags of the
 * areas in [start, start + len).  Returns 0 or -ENOMEM.
 */
int vm_map_set_flags(struct vm_map *map, uint64_t start, uint64_t len,
		     unsigned set, unsigned clear);

/*
 * vm_map_mincore - whether each of the pages from @start is resident, as
 * 0 or 1 in @vec, for at most @npages pages and up to the end of the area
 * containing @start.  Returns the number of pages done or -ENOMEM when no
 * area contains @start.
 */
long vm_map_mincore(struct vm_map *map, uint64_t start, uint64_t npages,
		    uint8_t *vec);

/*
 * vm_map_expand - make the area containing @addr end at @new_end (grow in
 * place, for mremap).  Returns 0, or -ENOMEM when another area or the end
 * of user space is in the way.
 */
int vm_map_expand(struct vm_map *map, uint64_t addr, uint64_t new_end);

/*
 * vm_map_move - move [old, old + old_len), which lies in one area, to the
 * free range [new, new + new_len) with the same protection and kind: the
 * pages are remapped, not copied; a longer new range is extended with
 * fresh memory, a shorter one drops the tail.  The old range is unmapped
 * unless @keep_old (MREMAP_DONTUNMAP: it stays, empty).  With @old_len 0
 * (shared areas only) the new range maps the same shared memory.
 * Returns 0 or -ENOMEM (nothing changed).
 */
int vm_map_move(struct vm_map *map, uint64_t old, uint64_t old_len,
		uint64_t new, uint64_t new_len, bool keep_old) FR_MUST_CHECK;

#endif
