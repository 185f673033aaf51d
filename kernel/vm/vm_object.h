/*
 * Memory objects: a resizable set of pages, indexed by page number, that
 * areas map (vm/vm_map.h).  Shared anonymous memory is one; a tmpfs file
 * keeps its data in one, so that read(2), write(2) and every mapping of
 * the file see the same pages.
 *
 * An object has a size in pages: a fault at or beyond it is SIGBUS.
 * Pages inside the size that were never made are holes (zeros): they are
 * made on first use.  The object knows the areas that map it, so that
 * shrinking it unmaps the pages cut off from every address space.
 *
 * Locking: the pages are under the object's spinlock; the list of areas
 * under its mutex.  Callers that keep a page from vm_object_lookup()
 * without a reference make sure nobody shrinks the object meanwhile (tmpfs
 * holds the inode's lock).
 */
#ifndef KERNEL_VM_VM_OBJECT_H
#define KERNEL_VM_VM_OBJECT_H

#include <frame/mm.h>

struct vm_object;
struct vma;

/*
 * vm_object_new - an object of @npages holes, with one reference.  When
 * @counter is not NULL it counts (atomically) the pages the object holds
 * (tmpfs: the super block's blocks in use).  NULL when out of memory.
 */
struct vm_object *vm_object_new(uint64_t npages, uint64_t *counter);

struct vm_object *vm_object_get(struct vm_object *o); /* NULL-safe */
void vm_object_put(struct vm_object *o);	      /* NULL-safe */

/* vm_object_size - the size of @o in pages. */
uint64_t vm_object_size(struct vm_object *o);

/* vm_object_lookup - the page at @idx (no reference taken) or NULL. */
struct fr_page *vm_object_lookup(struct vm_object *o, uint64_t idx);

/*
 * vm_object_page - the page at @idx, made (zero-filled) when missing; the
 * object keeps it alive.  Returns 0, -EIO at or beyond the size (SIGBUS)
 * or -ENOMEM.
 */
int vm_object_page(struct vm_object *o, uint64_t idx, struct fr_page **out);

/*
 * vm_object_resize - make @o @npages long.  Shrinking frees the pages
 * from @npages on and unmaps them (and the private copies made of them,
 * as Linux's truncation does) from every area mapping that part, so that
 * later accesses there are SIGBUS.  Growing costs nothing: the page
 * table grows as pages are made.
 */
void vm_object_resize(struct vm_object *o, uint64_t npages);

/* vm_object_attach / vm_object_detach - area @v maps @o (vm/vm_map.c). */
void vm_object_attach(struct vm_object *o, struct vma *v);
void vm_object_detach(struct vm_object *o, struct vma *v);

#endif
