/*
 * Advisory file locks (locks.h), kept per inode in one list: POSIX and
 * OFD record locks conflict with each other, flock locks only with flock
 * locks.  One mutex guards every list; a waiter sleeps on one queue that
 * every unlock wakes.
 */
#include <frame/heap.h>
#include <frame/sync.h>
#include <linux/fcntl.h>
#include <asm-generic/fcntl.h>
#include <linux/fs.h>
#include "fs/locks.h"
#include "process/process.h"
#include "syscall/restart.h"

#define LOCK_EOF ((uint64_t)INT64_MAX) /* Linux's OFFSET_MAX */

enum lock_kind { LOCK_POSIX, LOCK_OFD, LOCK_FLOCK };

struct file_lock {
	struct file_lock *next;
	const struct fd_table *table; /* the owner of a POSIX lock */
	const struct file *file;      /* the owner of an OFD or flock lock */
	uint64_t start, end;	      /* inclusive */
	short type;		      /* F_RDLCK or F_WRLCK */
	enum lock_kind kind;
	int pid; /* a POSIX lock's process, for F_GETLK */
};

static struct fr_mutex locks_lock;
static struct fr_waitqueue locks_wait;
static unsigned locks_seq; /* bumped at each release, under locks_lock */

void locks_init(void)
{
	fr_mutex_init(&locks_lock);
	fr_waitqueue_init(&locks_wait);
}

static bool same_owner(const struct file_lock *a, const struct file_lock *b)
{
	return a->table == b->table && a->file == b->file;
}

/* Whether @a and @b are of kinds that meet (flock only meets flock). */
static bool same_family(const struct file_lock *a, const struct file_lock *b)
{
	return (a->kind == LOCK_FLOCK) == (b->kind == LOCK_FLOCK);
}

/* The first lock on @inode that keeps @req out, or NULL. */
static struct file_lock *find_conflict(struct inode *inode,
				       const struct file_lock *req)
{
	for (struct file_lock *l = inode->locks; l; l = l->next) {
		if (!same_family(l, req) || same_owner(l, req))
			continue;
		if (l->end < req->start || l->start > req->end)
			continue;
		if (l->type == F_WRLCK || req->type == F_WRLCK)
			return l;
	}
	return NULL;
}

static void released(void)
{
	locks_seq++;
	fr_wake_all(&locks_wait);
}

/*
 * Set @req (F_UNLCK: clear) for its owner over its range: the owner's
 * locks there of another type are cut back or split (with @spare), those
 * of the same type that touch it are merged into it; then @req itself
 * goes in (taken over, unless F_UNLCK).  Context: locks_lock held.
 */
static void apply(struct inode *inode, struct file_lock *req,
		  struct file_lock **spare)
{
	struct file_lock **pp = &inode->locks;
	uint64_t s = req->start, e = req->end;
	bool changed = false;

	while (*pp) {
		struct file_lock *l = *pp;

		if (!same_family(l, req) || !same_owner(l, req) ||
		    l->start > e + 1 || s > l->end + 1) {
			pp = &l->next;
			continue;
		}
		if (l->type == req->type) {
			/* touching or overlapping, of the same type: merge */
			s = FR_MIN(s, l->start);
			e = FR_MAX(e, l->end);
			*pp = l->next;
			fr_kfree(l);
			continue;
		}
		if (l->end < s || l->start > e) { /* only adjacent */
			pp = &l->next;
			continue;
		}
		changed = true;
		if (l->start >= s && l->end <= e) {
			*pp = l->next;
			fr_kfree(l);
			continue;
		}
		if (l->start < s && l->end > e) {
			struct file_lock *tail = *spare;

			*spare = NULL;
			*tail = *l;
			tail->start = e + 1;
			l->end = s - 1;
			l->next = tail;
			pp = &tail->next;
			continue;
		}
		if (l->start < s)
			l->end = s - 1;
		else
			l->start = e + 1;
		pp = &l->next;
	}
	if (req->type == F_UNLCK || req->type == F_RDLCK || changed)
		released(); /* a waiter may get in now */
	if (req->type != F_UNLCK) {
		req->start = s;
		req->end = e;
		req->next = inode->locks;
		inode->locks = req;
	} else {
		fr_kfree(req);
	}
}

/*
 * Take @req on @inode, waiting when @wait: 0, -EAGAIN, or -ERESTARTSYS
 * when a signal interrupts the wait.  @req is taken over.
 */
static long lock_set(struct inode *inode, struct file_lock *req, bool wait)
{
	struct file_lock *spare = FR_NEW(struct file_lock);
	long err = 0;

	if (!spare) {
		fr_kfree(req);
		return -ENOLCK;
	}
	for (;;) {
		unsigned seen;

		fr_mutex_lock(&locks_lock);
		if (req->type == F_UNLCK || !find_conflict(inode, req)) {
			apply(inode, req, &spare);
			fr_mutex_unlock(&locks_lock);
			break;
		}
		seen = locks_seq;
		fr_mutex_unlock(&locks_lock);
		if (!wait) {
			err = -EAGAIN;
			break;
		}
		FR_WAIT_EVENT(&locks_wait,
			      __atomic_load_n(&locks_seq, __ATOMIC_ACQUIRE) !=
					      seen ||
				      thread_interrupted());
		if (thread_interrupted()) {
			err = -ERESTARTSYS;
			break;
		}
	}
	if (err)
		fr_kfree(req);
	fr_kfree(spare);
	return err;
}

/* The range of @fl for @f as [*start, *end], as Linux computes it. */
static long flock_range(struct file *f, const struct flock *fl,
			uint64_t *start, uint64_t *end)
{
	int64_t base, s;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END:
		base = (int64_t)f->inode->size;
		break;
	default:
		return -EINVAL;
	}
	if (fl->l_start > 0 && base > INT64_MAX - fl->l_start)
		return -EOVERFLOW;
	s = base + fl->l_start;
	if (s < 0)
		return -EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > INT64_MAX - s)
			return -EOVERFLOW;
		*end = (uint64_t)(s + fl->l_len - 1);
	} else if (fl->l_len < 0) {
		if (s + fl->l_len < 0)
			return -EINVAL;
		*end = (uint64_t)(s - 1);
		s += fl->l_len;
	} else {
		*end = LOCK_EOF;
	}
	*start = (uint64_t)s;
	return 0;
}

long locks_fcntl(struct file *f, unsigned cmd, uint64_t arg)
{
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
		   cmd == F_OFD_SETLKW;
	struct file_lock *req;
	struct flock fl;
	uint64_t start, end;
	long err;

	if (FR_GET_USER(fl, fr_uaddr(arg)))
		return -EFAULT;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK &&
	    fl.l_type != F_UNLCK)
		return -EINVAL;
	err = flock_range(f, &fl, &start, &end);
	if (err)
		return err;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	req = FR_NEW(struct file_lock);
	if (!req)
		return -ENOLCK;
	*req = (struct file_lock){ .start = start, .end = end,
				   .type = fl.l_type,
				   .kind = ofd ? LOCK_OFD : LOCK_POSIX };
	if (ofd)
		req->file = f;
	else
		req->table = current_files();
	req->pid = current_process() ? current_process()->pid : 0;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		struct file_lock *l;

		if (fl.l_type == F_UNLCK) {
			fr_kfree(req);
			return -EINVAL;
		}
		fr_mutex_lock(&locks_lock);
		l = find_conflict(f->inode, req);
		if (l) {
			fl.l_type = l->type;
			fl.l_whence = SEEK_SET;
			fl.l_start = (int64_t)l->start;
			fl.l_len = l->end == LOCK_EOF ?
					   0 :
					   (int64_t)(l->end - l->start + 1);
			fl.l_pid = l->kind == LOCK_POSIX ? l->pid : -1;
		} else {
			fl.l_type = F_UNLCK;
		}
		fr_mutex_unlock(&locks_lock);
		fr_kfree(req);
		return FR_PUT_USER(fl, fr_uaddr(arg)) ? -EFAULT : 0;
	}
	if ((fl.l_type == F_RDLCK && !(f->mode & FMODE_READ)) ||
	    (fl.l_type == F_WRLCK && !(f->mode & FMODE_WRITE))) {
		fr_kfree(req);
		return -EBADF;
	}
	return lock_set(f->inode, req, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

long locks_flock(struct file *f, unsigned op)
{
	struct file_lock *req = FR_NEW(struct file_lock);
	short type;

	switch (op & ~(unsigned)LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		fr_kfree(req);
		return -EINVAL;
	}
	if (!req)
		return -ENOLCK;
	*req = (struct file_lock){ .file = f, .start = 0, .end = LOCK_EOF,
				   .type = type, .kind = LOCK_FLOCK };
	if (type != F_UNLCK) {
		/* a conversion drops the old lock first, as Linux does */
		struct file_lock *un = FR_NEW(struct file_lock);

		if (!un) {
			fr_kfree(req);
			return -ENOLCK;
		}
		*un = *req;
		un->type = F_UNLCK;
		fr_mutex_lock(&locks_lock);
		for (struct file_lock *l = f->inode->locks; l; l = l->next)
			if (l->kind == LOCK_FLOCK && l->file == f &&
			    l->type == type) {
				/* already held */
				fr_mutex_unlock(&locks_lock);
				fr_kfree(un);
				fr_kfree(req);
				return 0;
			}
		fr_mutex_unlock(&locks_lock);
		(void)lock_set(f->inode, un, false);
	}
	return lock_set(f->inode, req, !(op & LOCK_NB));
}

/* Drop @t's POSIX locks on @inode, or (@t NULL) @f's OFD and flock
 * locks. */
static void remove_matching(struct inode *inode, const struct fd_table *t,
			    const struct file *f)
{
	struct file_lock **pp = &inode->locks;
	bool any = false;

	if (!__atomic_load_n(&inode->locks, __ATOMIC_ACQUIRE))
		return;
	fr_mutex_lock(&locks_lock);
	while (*pp) {
		struct file_lock *l = *pp;
		bool drop = t ? (l->kind == LOCK_POSIX && l->table == t) :
				(l->kind != LOCK_POSIX && l->file == f);

		if (drop) {
			*pp = l->next;
			fr_kfree(l);
			any = true;
		} else {
			pp = &l->next;
		}
	}
	if (any)
		released();
	fr_mutex_unlock(&locks_lock);
}

void locks_remove_posix(struct file *f, const struct fd_table *t)
{
	if (f && f->inode && t)
		remove_matching(f->inode, t, NULL);
}

void locks_remove_file(struct file *f)
{
	if (f->inode)
		remove_matching(f->inode, NULL, f);
}
