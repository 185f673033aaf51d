/*
 * Memory objects (see vm/vm_object.h): pages in chunks of page pointers
 * allocated on first use, and the list of the areas mapping the object.
 */
#include <frame/heap.h>
#include <frame/sync.h>
#include <libs/string.h>
#include "vm/vm_map.h"
#include "vm/vm_object.h"

#define OBJ_CHUNK 512 /* page pointers per chunk: one page */

struct obj_chunk {
	struct fr_page *page[OBJ_CHUNK];
};

struct vm_object {
	unsigned refs;		   /* atomic */
	uint64_t *counter;	   /* pages held, or NULL */
	struct fr_spinlock lock;   /* guards the size, chunks and pages */
	uint64_t npages;	   /* its size; a fault beyond is SIGBUS */
	uint64_t nchunks;	   /* slots in chunks, grown on demand */
	struct obj_chunk **chunks; /* each allocated on first use */
	struct fr_mutex areas_lock;
	struct vma *areas;	   /* mapping it, through obj_next */
};

static void count(struct vm_object *o, int64_t pages)
{
	if (o->counter)
		__atomic_add_fetch(o->counter, (uint64_t)pages,
				   __ATOMIC_RELAXED);
}

struct vm_object *vm_object_new(uint64_t npages, uint64_t *counter)
{
	struct vm_object *o = FR_NEW(struct vm_object);

	if (!o)
		return NULL;
	o->refs = 1;
	o->counter = counter;
	o->npages = npages;
	fr_mutex_init(&o->areas_lock);
	return o;
}

struct vm_object *vm_object_get(struct vm_object *o)
{
	if (o)
		__atomic_add_fetch(&o->refs, 1, __ATOMIC_RELAXED);
	return o;
}

/* Free the pages from @from on (under the lock); the empty chunks too. */
static void free_pages_from(struct vm_object *o, uint64_t from)
{
	for (uint64_t c = from / OBJ_CHUNK; c < o->nchunks; c++) {
		struct obj_chunk *chunk = o->chunks[c];
		unsigned first = c == from / OBJ_CHUNK ? from % OBJ_CHUNK : 0;

		if (!chunk)
			continue;
		for (unsigned i = first; i < OBJ_CHUNK; i++) {
			if (!chunk->page[i])
				continue;
			fr_page_put(chunk->page[i]);
			chunk->page[i] = NULL;
			count(o, -1);
		}
		if (!first) {
			fr_kfree(chunk);
			o->chunks[c] = NULL;
		}
	}
}

void vm_object_put(struct vm_object *o)
{
	if (!o || __atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL))
		return;
	free_pages_from(o, 0);
	fr_kfree(o->chunks);
	fr_kfree(o);
}

uint64_t vm_object_size(struct vm_object *o)
{
	uint64_t n;

	fr_spin_lock(&o->lock);
	n = o->npages;
	fr_spin_unlock(&o->lock);
	return n;
}

struct fr_page *vm_object_lookup(struct vm_object *o, uint64_t idx)
{
	struct fr_page *page = NULL;

	fr_spin_lock(&o->lock);
	if (idx < o->npages && idx / OBJ_CHUNK < o->nchunks &&
	    o->chunks[idx / OBJ_CHUNK])
		page = o->chunks[idx / OBJ_CHUNK]->page[idx % OBJ_CHUNK];
	fr_spin_unlock(&o->lock);
	return page;
}

/* Make room for @want chunks (under the lock).  0 or -ENOMEM. */
static int grow(struct vm_object *o, uint64_t want)
{
	uint64_t cap = o->nchunks ? o->nchunks : 1;
	struct obj_chunk **chunks;

	while (cap < want)
		cap *= 2;
	chunks = FR_NEW_ARRAY(struct obj_chunk *, cap);
	if (!chunks)
		return -ENOMEM;
	if (o->nchunks)
		memcpy(chunks, o->chunks, sizeof(*chunks) * o->nchunks);
	fr_kfree(o->chunks);
	o->chunks = chunks;
	o->nchunks = cap;
	return 0;
}

int vm_object_page(struct vm_object *o, uint64_t idx, struct fr_page **out)
{
	struct obj_chunk *chunk;
	int err = 0;

	*out = NULL;
	fr_spin_lock(&o->lock);
	if (idx >= o->npages) {
		fr_spin_unlock(&o->lock);
		return -EIO;
	}
	if (idx / OBJ_CHUNK >= o->nchunks && grow(o, idx / OBJ_CHUNK + 1)) {
		fr_spin_unlock(&o->lock);
		return -ENOMEM;
	}
	chunk = o->chunks[idx / OBJ_CHUNK];
	if (!chunk) {
		chunk = FR_NEW(struct obj_chunk);
		o->chunks[idx / OBJ_CHUNK] = chunk;
	}
	if (chunk && !chunk->page[idx % OBJ_CHUNK]) {
		chunk->page[idx % OBJ_CHUNK] = fr_page_alloc(FR_PAGE_ZERO);
		if (chunk->page[idx % OBJ_CHUNK])
			count(o, 1);
	}
	*out = chunk ? chunk->page[idx % OBJ_CHUNK] : NULL;
	if (!*out)
		err = -ENOMEM;
	fr_spin_unlock(&o->lock);
	return err;
}

/* Unmap the pages from @npages on from the areas mapping @o. */
static void unmap_from(struct vm_object *o, uint64_t npages)
{
	fr_mutex_lock(&o->areas_lock);
	for (struct vma *v = o->areas; v; v = v->obj_next) {
		uint64_t first = FR_MAX(npages, v->pgoff) - v->pgoff;
		uint64_t len = v->end - v->start;

		if (first < len / FR_PAGE_SIZE)
			vma_zap(v, v->start + first * FR_PAGE_SIZE, v->end);
	}
	fr_mutex_unlock(&o->areas_lock);
}

void vm_object_resize(struct vm_object *o, uint64_t npages)
{
	bool shrink;

	fr_spin_lock(&o->lock);
	shrink = npages < o->npages;
	o->npages = npages;
	if (shrink)
		free_pages_from(o, npages);
	fr_spin_unlock(&o->lock);
	if (shrink)
		unmap_from(o, npages);
}

void vm_object_attach(struct vm_object *o, struct vma *v)
{
	fr_mutex_lock(&o->areas_lock);
	v->obj_prev = NULL;
	v->obj_next = o->areas;
	if (o->areas)
		o->areas->obj_prev = v;
	o->areas = v;
	fr_mutex_unlock(&o->areas_lock);
}

void vm_object_detach(struct vm_object *o, struct vma *v)
{
	fr_mutex_lock(&o->areas_lock);
	if (v->obj_prev)
		v->obj_prev->obj_next = v->obj_next;
	else
		o->areas = v->obj_next;
	if (v->obj_next)
		v->obj_next->obj_prev = v->obj_prev;
	v->obj_next = v->obj_prev = NULL;
	fr_mutex_unlock(&o->areas_lock);
}
