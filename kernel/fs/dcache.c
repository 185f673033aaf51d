/*
 * The dentry cache: the tree of names.  A child holds a reference to its
 * parent; a dentry is freed when its last reference goes, so positive
 * dentries of file systems that keep their names in the cache (tmpfs) are
 * pinned by one more reference.  The children lists are guarded by
 * dcache_lock (a spinlock: dentry_put may run anywhere); the name space
 * operations as a whole by vfs_ns_lock.
 */
#include <frame/heap.h>
#include <libs/string.h>
#include "fs/internal.h"
#include "fs/vfs.h"

struct fr_mutex vfs_ns_lock; /* initialised by vfs_init() */
static struct fr_spinlock dcache_lock = FR_SPINLOCK_INIT;
static uint64_t dentry_seq;

static void append_child(struct dentry *d);

struct dentry *dentry_new(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d = FR_NEW(struct dentry);
	char *copy = FR_NEW_ARRAY(char, len + 1);
	unsigned long flags;

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

/* Take @d out of its parent's list.  Context: dcache_lock held. */
static void unlink_child(struct dentry *d)
{
	if (!d->dead && d->parent != d) {
		struct dentry **link = &d->parent->children;

		while (*link && *link != d)
			link = &(*link)->next;
		if (*link)
			*link = d->next;
		d->next = NULL;
	}
}

/* Put @d last in its parent's list.  Context: dcache_lock held. */
static void append_child(struct dentry *d)
{
	struct dentry **link = &d->parent->children;

	while (*link)
		link = &(*link)->next;
	*link = d;
	d->next = NULL;
	d->seq = ++dentry_seq;
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
	unsigned long flags = fr_spin_lock_irqsave(&dcache_lock);
	struct dentry *d;

	for (d = parent->children; d; d = d->next)
		if (d->len == len && !memcmp(d->name, name, len)) {
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

	for (struct dentry *d = dir->children; d; d = d->next)
		if (d->inode)
			any = true;
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
