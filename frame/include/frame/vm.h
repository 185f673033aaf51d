/*
 * Address spaces for user programs (fr_vm_space).
 *
 * An address space is a page table whose user half the services fill with
 * pages; its kernel half is shared and cannot be touched through this API.
 * Every mapping holds a reference on its page.  The frame flushes the TLB of
 * every CPU on which the space is active when a mapping is removed or its
 * protection changed (TLB shootdown, through cross-CPU calls): when
 * fr_vm_space_unmap or fr_vm_space_protect returns, no CPU can use the old
 * translation any more, and an unmapped page's reference is dropped only
 * after that.  Their callers must therefore hold no spinlock that another
 * CPU may spin on with interrupts off (see fr_cpu_call_others).
 */
#ifndef FRAME_VM_H
#define FRAME_VM_H

#include <frame/types.h>
#include <frame/mm.h>

struct fr_vm_space;

#define FR_PROT_NONE 0x0
#define FR_PROT_READ 0x1
#define FR_PROT_WRITE 0x2
#define FR_PROT_EXEC 0x4

/* Lowest and one past the highest address user pages may be mapped at. */
#define FR_USER_MIN 0x1000UL
#define FR_USER_END 0x00007ffffffff000UL

/*
 * fr_vm_space_create - a new, empty address space.
 * Context: task context.  Returns NULL when out of memory.
 */
struct fr_vm_space *fr_vm_space_create(void) FR_MUST_CHECK;

/*
 * fr_vm_space_destroy - unmap every page (dropping their references) and
 * free the page tables.  The space must not be active on any CPU.
 */
void fr_vm_space_destroy(struct fr_vm_space *vs);

/*
 * fr_vm_space_map - map @page at the page-aligned user address @va with
 * @prot.  Takes a reference on the page.
 * Returns 0; -EINVAL for an unaligned or non-user address; -EEXIST when a
 * page is already mapped there; -ENOMEM when a page table cannot be made;
 * -EACCES when @prot has FR_PROT_WRITE and @page is one of the vDSO's
 * (<frame/vdso.h>).
 */
int fr_vm_space_map(struct fr_vm_space *vs, fr_uaddr_t va, struct fr_page *page,
		    unsigned prot) FR_MUST_CHECK;

/*
 * fr_vm_space_unmap - remove every mapping in [va, va + len).  Unmapped
 * holes are skipped.  On return no CPU reaches the pages through @vs (TLB
 * shootdown) and their references are dropped.
 * Context: task context; may interrupt other CPUs and wait for them (see
 * the top of this file).  Returns 0 or -EINVAL (unaligned, non-user range).
 */
int fr_vm_space_unmap(struct fr_vm_space *vs, fr_uaddr_t va, size_t len);

/*
 * fr_vm_space_protect - change the protection of every mapped page in
 * [va, va + len) (the vDSO's pages never become writable).  On return
 * every CPU sees the new protection (TLB shootdown).
 * Context: as fr_vm_space_unmap.  Returns 0 or -EINVAL.
 */
int fr_vm_space_protect(struct fr_vm_space *vs, fr_uaddr_t va, size_t len,
			unsigned prot);

/*
 * fr_vm_space_query - the page mapped at @va (no reference taken; valid
 * while mapped) and its protection, or NULL when nothing is mapped.
 */
struct fr_page *fr_vm_space_query(struct fr_vm_space *vs, fr_uaddr_t va,
				  unsigned *prot);

/*
 * fr_vm_space_activate - make @vs the current CPU's address space.
 * Context: task context with the space owned by the current task.
 */
void fr_vm_space_activate(struct fr_vm_space *vs);

/*
 * fr_vm_space_current - the space active on this CPU (NULL: kernel only).
 */
struct fr_vm_space *fr_vm_space_current(void);

/*
 * fr_vm_space_write / fr_vm_space_read - copy bytes into / out of the
 * pages mapped in @vs, whatever their protection and whether or not @vs
 * is active (for program loaders and debuggers).
 * Returns 0 or -EFAULT when part of the range is not mapped (or, for a
 * write, is a page of the vDSO).
 */
int fr_vm_space_write(struct fr_vm_space *vs, fr_uaddr_t va, const void *src,
		      size_t len) FR_MUST_CHECK;
int fr_vm_space_read(struct fr_vm_space *vs, fr_uaddr_t va, void *dst,
		     size_t len) FR_MUST_CHECK;

#endif
