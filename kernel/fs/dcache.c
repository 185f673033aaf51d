/*
 * The dentry cache: the tree of names.  A child holds a reference to its
 * parent; a dentry is freed when its last reference goes, so positive
 * dentries of file systems that keep their names in the cache (tmpfs) are
 * pinned by one more reference.  The children lists are guarded by
 * dcache_lock (a spinlock: dentry_put may run anywhere); the name space
 * operations as a whole by vfs_ns_lock.
 *
 * A child is found by name through a hash table of (parent, name), not
 * by walking its parent's list: a directory of a thousand names costs no
 * more to look up in than a small one.  The lists keep the creation order
 * for readdir; with back links and a tail they are not walked either to
 * add or remove a name.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include "fs/internal.h"
#include "fs/vfs.h"

struct fr_mutex vfs_ns_lock; /* initialised by vfs_init() */
static struct fr_spinlock dcache_lock = FR_SPINLOCK_INIT;
static uint64_t dentry_seq;

#define DHASH_SIZE 1024
/* Buckets of listed dentries; made with the first child.  [dcache_lock] */
static struct dentry **dhash;

static void append_child(struct dentry *d);

static uint32_t name_hash(const struct dentry *parent, const char *name,
			  size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h ^ (uint32_t)((uintptr_t)parent >> 4) * 0x9e3779b1u;
}

struct dentry *dentry_new(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d = FR_NEW(struct dentry);
	char *copy = FR_NEW_ARRAY(char, len + 1);
	unsigned long flags;

	/* the table exists before any child: every child is in it */
	if (parent && !__atomic_load_n(&dhash, __ATOMIC_ACQUIRE)) {
		struct dentry **table = FR_NEW_ARRAY(struct dentry *,
						     DHASH_SIZE);
		struct dentry **none = NULL;

		if (table && !__atomic_compare_exchange_n(
				     &dhash, &none, table, false,
				     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			fr_kfree(table); /* another CPU made it first */
		if (!table && !__atomic_load_n(&dhash, __ATOMIC_ACQUIRE)) {
			fr_kfree(d);
			fr_kfree(copy);
			return NULL;
		}
	}
	if (!d || !copy) {
		fr_kfree(d);
		fr_kfree(copy);
		return NULL;
	}
	memcpy(copy, name, len);
	d->name = copy;
	d->len = len;
	d->refs = 1;
	if (!parent) {
		d->parent = d;
		d->seq = 0;
		return d;
	}
	d->sb = parent->sb;
	d->parent = dentry_get(parent);
	flags = fr_spin_lock_irqsave(&dcache_lock);
	append_child(d); /* creation order: the readdir cursor */
	fr_spin_unlock_irqrestore(&dcache_lock, flags);
	return d;
}

struct dentry *dentry_get(struct dentry *d)
{
	__atomic_add_fetch(&d->refs, 1, __ATOMIC_RELAXED);
	return d;
}

/* Take @d out of its parent's list and the hash table, if it is there.
 * Context: dcache_lock held. */
static void unlink_child(struct dentry *d)
{
	struct dentry *parent = d->parent, **link;

	if (d->dead || parent == d || (!d->prev && parent->children != d))
		return;
	if (d->prev)
		d->prev->next = d->next;
	else
		parent->children = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		parent->last_child = d->prev;
	d->next = d->prev = NULL;
	link = &dhash[d->hash % DHASH_SIZE];
	while (*link && *link != d)
		link = &(*link)->hash_next;
	if (*link)
		*link = d->hash_next;
	d->hash_next = NULL;
}

/* Put @d last in its parent's list, and in the hash table under its
 * current parent and name.  Context: dcache_lock held. */
static void append_child(struct dentry *d)
{
	struct dentry *parent = d->parent;
	struct dentry **bucket;

	d->next = NULL;
	d->prev = parent->last_child;
	if (d->prev)
		d->prev->next = d;
	else
		parent->children = d;
	parent->last_child = d;
	d->seq = ++dentry_seq;
	d->hash = name_hash(parent, d->name, d->len);
	bucket = &dhash[d->hash % DHASH_SIZE];
	d->hash_next = *bucket;
	*bucket = d;
}

/* Take @d out of its parent's children (once). */
static void dentry_unhook(struct dentry *d)
{
	unsigned long flags = fr_spin_lock_irqsave(&dcache_lock);

	unlink_child(d);
	d->dead = true;
	fr_spin_unlock_irqrestore(&dcache_lock, flags);
}

int dentry_move(struct dentry *d, struct dentry *target)
{
	char *name = FR_NEW_ARRAY(char, target->len + 1);
	struct dentry *old_parent;
	unsigned long flags;

	if (!name)
		return -ENOMEM;
	memcpy(name, target->name, target->len);
	flags = fr_spin_lock_irqsave(&dcache_lock);
	unlink_child(d);
	unlink_child(target);
	target->dead = true;
	old_parent = d->parent;
	d->parent = dentry_get(target->parent);
	fr_kfree(d->name);
	d->name = name;
	d->len = target->len;
	append_child(d);
	fr_spin_unlock_irqrestore(&dcache_lock, flags);
	dentry_put(old_parent);
	return 0;
}

int dentry_exchange(struct dentry *a, struct dentry *b)
{
	unsigned long flags = fr_spin_lock_irqsave(&dcache_lock);
	struct dentry *parent = a->parent;
	char *name = a->name;
	size_t len = a->len;

	unlink_child(a);
	unlink_child(b);
	a->parent = b->parent;
	a->name = b->name;
	a->len = b->len;
	b->parent = parent;
	b->name = name;
	b->len = len;
	append_child(a);
	append_child(b);
	fr_spin_unlock_irqrestore(&dcache_lock, flags);
	return 0;
}

void dentry_put(struct dentry *d)
{
	while (d && !__atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL)) {
		struct dentry *parent = d->parent;

		dentry_unhook(d);
		inode_put(d->inode);
		fr_kfree(d->name);
		fr_kfree(d);
		if (parent == d)
			break;
		d = parent;
	}
}

void dentry_instantiate(struct dentry *d, struct inode *inode)
{
	d->inode = inode;
}

struct dentry *dentry_lookup_cached(struct dentry *parent, const char *name,
				    size_t len)
{
	uint32_t h = name_hash(parent, name, len);
	unsigned long flags;
	struct dentry *d;

	if (!__atomic_load_n(&dhash, __ATOMIC_ACQUIRE))
		return NULL; /* no child anywhere yet */
	flags = fr_spin_lock_irqsave(&dcache_lock);
	for (d = dhash[h % DHASH_SIZE]; d; d = d->hash_next)
		if (d->hash == h && d->parent == parent && d->len == len &&
		    !memcmp(d->name, name, len)) {
			dentry_get(d);
			break;
		}
	fr_spin_unlock_irqrestore(&dcache_lock, flags);
	return d;
}

void dentry_drop(struct dentry *d)
{
	dentry_unhook(d);
}

/*
 * dentry_next_child - the first live child of @dir with seq >= @seq
 * (referenced), or NULL: a stable cursor for readdir.
 */
struct dentry *dentry_next_child(struct dentry *dir, uint64_t seq)
{
	unsigned long flags = fr_spin_lock_irqsave(&dcache_lock);
	struct dentry *d;

	for (d = dir->children; d; d = d->next)
		if (d->seq >= seq && d->inode) {
			dentry_get(d);
			break;
		}
	fr_spin_unlock_irqrestore(&dcache_lock, flags);
	return d;
}

/* Whether @dir has a positive child (rmdir's ENOTEMPTY). */
bool dentry_has_children(struct dentry *dir)
{
	unsigned long flags = fr_spin_lock_irqsave(&dcache_lock);
	bool any = false;

	for (struct dentry *d = dir->children; d && !any; d = d->next)
		any = d->inode != NULL;
	fr_spin_unlock_irqrestore(&dcache_lock, flags);
	return any;
}

void path_get(const struct path *p)
{
	if (p->mnt)
		__atomic_add_fetch(&p->mnt->refs, 1, __ATOMIC_RELAXED);
	if (p->dentry)
		dentry_get(p->dentry);
}

void path_put(struct path *p)
{
	if (p->mnt)
		__atomic_sub_fetch(&p->mnt->refs, 1, __ATOMIC_RELAXED);
	dentry_put(p->dentry);
	p->mnt = NULL;
	p->dentry = NULL;
}
