/*
 * epoll instances (see eventpoll.h).
 *
 * An instance keeps its items in a hash table keyed by (file, fd), and a
 * ready list of the items whose files may be ready.  When an item is
 * added, its file's poll operation runs with a registration table
 * (poll_table_init_epoll): each queue it names gets a hook, a callback
 * waiter (fr_wait_add_callback) whose function, run by whoever wakes the
 * queue, puts the item on the ready list and wakes one task waiting in
 * epoll_wait and everyone polling the instance itself.  epoll_wait takes
 * items off the ready list, polls each once (no registration), reports
 * those with events, and puts level-triggered ones back at the tail, as
 * Linux does; edge-triggered ones come back with the next wake-up of
 * their file, one-shot ones only after EPOLL_CTL_MOD re-arms them.
 *
 * An item is taken off the ready list before its file is polled, never
 * after: a wake-up while the file is being polled puts it back, so no
 * wake-up is lost (this is what Linux's overflow list is for).
 *
 * Locking:
 *   ep->lock (IRQ-safe spinlock): the ready list and each item's events,
 *     which the hooks read; taken by the hooks under a file's queue lock.
 *   ep->mtx: the item table, and the right to poll items and to take
 *     them off the ready list.  Items hold no reference to their file:
 *     eventpoll_release() takes the mutex of each instance watching a
 *     file before that file goes, so a file is alive while its item is
 *     polled under the mutex.  An instance's mutex is taken before the
 *     mutexes of instances it watches (polling an epoll item polls the
 *     watched instance), never the other way round: loops are refused.
 *   ep_global_lock: serializes what changes the graph of instances
 *     (adding an epoll to an epoll, with its loop check) and what frees
 *     items from the file's side (eventpoll_release) and from the
 *     instance's side (closing it), so that neither sees the other's
 *     instance or item go.  Taken before any ep->mtx.
 *   ep_links_lock: each file's list of the items watching it.
 * Hooks are taken off their queues (fr_wait_del_callback, which waits
 * for a running callback) before an item is freed.
 *
 * Each instance counts its items against its creator's user (real uid),
 * as Linux's user->epoll_watches: adding one past max_user_watches
 * (/proc/sys/fs/epoll/max_user_watches; by default 4% of the memory in
 * item costs, as Linux) gives ENOSPC.
 */
#include <frame/heap.h>
#include <frame/mm.h>
#include <libs/string.h>
#include "fs/anon_inode.h"
#include "fs/eventpoll.h"
#include "fs/poll.h"
#include "fs/procfs.h"
#include "time/timer.h"

/* Flags of an item that are not events. */
#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
/* What EPOLLEXCLUSIVE may come with. */
#define EP_EXCLUSIVE_OK_BITS                                                   \
	(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET |    \
	 EPOLLEXCLUSIVE)

#define EP_MIN_BUCKETS 16

/* One queue an item's file registered, with the item's waiter on it. */
struct ep_hook {
	struct fr_wait_node node;
	struct fr_waitqueue *wq;
	struct epitem *epi;
	struct ep_hook *next;
};

struct epitem {
	struct eventpoll *ep;
	struct file *file; /* not referenced (see the top of the file) */
	int fd;
	uint32_t events;	  /* [mtx, lock] asked for, and EP_PRIVATE_BITS */
	uint64_t data;		  /* [mtx] given back as is */
	struct ep_hook *hooks;	  /* [mtx] */
	int hook_error;		  /* [mtx] a hook could not be made */
	struct epitem *hash_next; /* [mtx] */
	struct epitem *rd_next, *rd_prev; /* [lock] */
	bool ready;			  /* [lock] on the ready list */
	struct epitem *link_next, *link_prev; /* [ep_links_lock] */
};

struct eventpoll {
	struct fr_mutex mtx;
	struct fr_spinlock lock;
	struct fr_waitqueue wq;	       /* tasks in epoll_wait */
	struct fr_waitqueue poll_wait; /* poll() of the instance itself */
	struct epitem **buckets;       /* [mtx] */
	size_t nbuckets, nitems;       /* [mtx] */
	struct epitem *rd_head, *rd_tail; /* [lock] */
	unsigned nready;		  /* [lock] */
	struct ep_user *user;		  /* whose watches the items are */
	uint64_t gen;			  /* [ep_global_lock] loop checks */
};

/* The watches of one user's instances. */
struct ep_user {
	uint32_t uid;
	unsigned refs; /* [ep_users_lock] instances made by the user */
	long watches;  /* [ep_users_lock] their items */
	struct ep_user *next;
};

static struct fr_spinlock ep_users_lock = FR_SPINLOCK_INIT;
static struct ep_user *ep_users; /* [ep_users_lock] */
static long max_user_watches = -1; /* atomic; -1: the default, not yet
				       * computed */

static struct fr_mutex ep_global_lock;
static bool ep_global_ready; /* atomic: ep_global_lock initialized */
static struct fr_spinlock ep_links_lock = FR_SPINLOCK_INIT;
static uint64_t ep_loop_gen; /* [ep_global_lock] */

static const struct file_ops eventpoll_fops;

/* ep_global_lock, set up at the first epoll (no boot hook needed). */
static struct fr_mutex *global_lock(void)
{
	static struct fr_spinlock init_lock = FR_SPINLOCK_INIT;

	if (!__atomic_load_n(&ep_global_ready, __ATOMIC_ACQUIRE)) {
		unsigned long irq = fr_spin_lock_irqsave(&init_lock);

		if (!ep_global_ready) {
			fr_mutex_init(&ep_global_lock);
			__atomic_store_n(&ep_global_ready, true,
					 __ATOMIC_RELEASE);
		}
		fr_spin_unlock_irqrestore(&init_lock, irq);
	}
	return &ep_global_lock;
}

bool file_is_epoll(const struct file *f)
{
	return f->fop == &eventpoll_fops;
}

/* ---- the ready list [lock] ---- */

static void rd_add_tail(struct eventpoll *ep, struct epitem *epi)
{
	epi->rd_next = NULL;
	epi->rd_prev = ep->rd_tail;
	if (ep->rd_tail)
		ep->rd_tail->rd_next = epi;
	else
		ep->rd_head = epi;
	ep->rd_tail = epi;
	epi->ready = true;
	ep->nready++;
}

static void rd_add_head(struct eventpoll *ep, struct epitem *epi)
{
	epi->rd_prev = NULL;
	epi->rd_next = ep->rd_head;
	if (ep->rd_head)
		ep->rd_head->rd_prev = epi;
	else
		ep->rd_tail = epi;
	ep->rd_head = epi;
	epi->ready = true;
	ep->nready++;
}

static void rd_del(struct eventpoll *ep, struct epitem *epi)
{
	if (epi->rd_prev)
		epi->rd_prev->rd_next = epi->rd_next;
	else
		ep->rd_head = epi->rd_next;
	if (epi->rd_next)
		epi->rd_next->rd_prev = epi->rd_prev;
	else
		ep->rd_tail = epi->rd_prev;
	epi->rd_next = epi->rd_prev = NULL;
	epi->ready = false;
	ep->nready--;
}

/* Take the first ready item off the list (mtx held too), or NULL. */
static struct epitem *rd_pop(struct eventpoll *ep)
{
	unsigned long irq = fr_spin_lock_irqsave(&ep->lock);
	struct epitem *epi = ep->rd_head;

	if (epi)
		rd_del(ep, epi);
	fr_spin_unlock_irqrestore(&ep->lock, irq);
	return epi;
}

static unsigned ready_count(struct eventpoll *ep)
{
	unsigned long irq = fr_spin_lock_irqsave(&ep->lock);
	unsigned n = ep->nready;

	fr_spin_unlock_irqrestore(&ep->lock, irq);
	return n;
}

/*
 * @epi is ready: on the list (at the head when @head, to keep its place)
 * unless it is there already; wake one epoll_wait and the pollers of the
 * instance.  Returns whether a task in epoll_wait was woken.
 */
static bool make_ready(struct eventpoll *ep, struct epitem *epi, bool head)
{
	unsigned long irq = fr_spin_lock_irqsave(&ep->lock);
	bool woke = false;

	if (!epi->ready) {
		if (head)
			rd_add_head(ep, epi);
		else
			rd_add_tail(ep, epi);
	}
	woke = fr_wake_one(&ep->wq) > 0;
	fr_spin_unlock_irqrestore(&ep->lock, irq);
	fr_wake_all(&ep->poll_wait);
	return woke;
}

/* ---- hooks on the watched files' queues ---- */

/*
 * A wake-up of a queue @h's file registered: its item may be ready.
 * Runs under that queue's lock, interrupts off.  Accepts the wake-up
 * (for EPOLLEXCLUSIVE) when a task in epoll_wait was woken.
 */
static bool ep_hook_wake(struct ep_hook *h)
{
	struct epitem *epi = h->epi;
	struct eventpoll *ep = epi->ep;
	unsigned long irq = fr_spin_lock_irqsave(&ep->lock);
	uint32_t events = epi->events;
	bool woke = false;

	/* a one-shot item that fired waits for EPOLL_CTL_MOD */
	if (events & ~EP_PRIVATE_BITS) {
		if (!epi->ready)
			rd_add_tail(ep, epi);
		woke = fr_wake_one(&ep->wq) > 0;
	}
	fr_spin_unlock_irqrestore(&ep->lock, irq);
	if (events & ~EP_PRIVATE_BITS)
		fr_wake_all(&ep->poll_wait);
	return woke || !(events & EPOLLEXCLUSIVE);
}

void ep_poll_wait(struct epitem *epi, struct fr_waitqueue *wq)
{
	struct ep_hook *h;

	if (epi->hook_error)
		return;
	h = FR_NEW(struct ep_hook);
	if (!h) {
		epi->hook_error = -ENOMEM;
		return;
	}
	h->epi = epi;
	h->wq = wq;
	h->next = epi->hooks;
	epi->hooks = h;
	FR_WAIT_ADD_CALLBACK(wq, &h->node, ep_hook_wake, h,
			     (epi->events & EPOLLEXCLUSIVE) ? FR_WAIT_EXCLUSIVE :
							      0);
}

/* ---- the item table [mtx] ---- */

static size_t ep_hash(const struct file *f, int fd, size_t nbuckets)
{
	uint64_t k = (uint64_t)(uintptr_t)f ^
		     ((uint64_t)(unsigned)fd * 0x9e3779b97f4a7c15ULL);

	k ^= k >> 31;
	k *= 0xbf58476d1ce4e5b9ULL;
	k ^= k >> 29;
	return (size_t)k & (nbuckets - 1);
}

static struct epitem *ep_find(struct eventpoll *ep, const struct file *f,
			      int fd)
{
	struct epitem *epi = ep->buckets[ep_hash(f, fd, ep->nbuckets)];

	while (epi && (epi->file != f || epi->fd != fd))
		epi = epi->hash_next;
	return epi;
}

/* Twice the buckets once there are twice as many items (if memory). */
static void ep_grow(struct eventpoll *ep)
{
	size_t n = ep->nbuckets * 2;
	struct epitem **b = FR_NEW_ARRAY(struct epitem *, n);

	if (!b)
		return;
	for (size_t i = 0; i < ep->nbuckets; i++) {
		struct epitem *epi = ep->buckets[i], *next;

		for (; epi; epi = next) {
			size_t h = ep_hash(epi->file, epi->fd, n);

			next = epi->hash_next;
			epi->hash_next = b[h];
			b[h] = epi;
		}
	}
	fr_kfree(ep->buckets);
	ep->buckets = b;
	ep->nbuckets = n;
}

static void ep_hash_add(struct eventpoll *ep, struct epitem *epi)
{
	size_t h;

	if (ep->nitems >= 2 * ep->nbuckets)
		ep_grow(ep);
	h = ep_hash(epi->file, epi->fd, ep->nbuckets);
	epi->hash_next = ep->buckets[h];
	ep->buckets[h] = epi;
	ep->nitems++;
}

static void ep_hash_del(struct eventpoll *ep, struct epitem *epi)
{
	struct epitem **pp = &ep->buckets[ep_hash(epi->file, epi->fd,
						  ep->nbuckets)];

	while (*pp && *pp != epi)
		pp = &(*pp)->hash_next;
	if (*pp) {
		*pp = epi->hash_next;
		ep->nitems--;
	}
}

/* ---- the file's list of items ---- */

static void link_add(struct epitem *epi)
{
	struct file *f = epi->file;

	fr_spin_lock(&ep_links_lock);
	epi->link_prev = NULL;
	epi->link_next = f->ep_links;
	if (f->ep_links)
		f->ep_links->link_prev = epi;
	__atomic_store_n(&f->ep_links, epi, __ATOMIC_RELEASE);
	fr_spin_unlock(&ep_links_lock);
}

static void link_del(struct epitem *epi)
{
	struct file *f = epi->file;

	fr_spin_lock(&ep_links_lock);
	if (epi->link_next)
		epi->link_next->link_prev = epi->link_prev;
	if (epi->link_prev)
		epi->link_prev->link_next = epi->link_next;
	else
		__atomic_store_n(&f->ep_links, epi->link_next,
				 __ATOMIC_RELEASE);
	fr_spin_unlock(&ep_links_lock);
}

/* ---- watches per user ---- */

long eventpoll_max_user_watches(void)
{
	long max = __atomic_load_n(&max_user_watches, __ATOMIC_RELAXED);
	long unset = -1;
	struct fr_mem_stats mem;

	if (max >= 0)
		return max;
	/* Linux's default, computed once: a 25th of the memory, in the cost
	 * of an item (a value set meanwhile wins) */
	fr_mem_stats(&mem);
	max = (long)(mem.total / 25 * FR_PAGE_SIZE /
		     (sizeof(struct epitem) + sizeof(struct ep_hook)));
	if (!__atomic_compare_exchange_n(&max_user_watches, &unset, max, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		max = unset;
	return max;
}

int eventpoll_set_max_user_watches(long max)
{
	if (max < 0)
		return -EINVAL;
	__atomic_store_n(&max_user_watches, max, __ATOMIC_RELAXED);
	return 0;
}

/* The counter of @uid, with a reference, or NULL (-ENOMEM). */
static struct ep_user *ep_user_get(uint32_t uid)
{
	struct ep_user *fresh = FR_NEW(struct ep_user), *u;
	unsigned long irq = fr_spin_lock_irqsave(&ep_users_lock);

	for (u = ep_users; u && u->uid != uid; u = u->next)
		;
	if (!u && fresh) {
		u = fresh;
		fresh = NULL;
		u->uid = uid;
		u->next = ep_users;
		ep_users = u;
	}
	if (u)
		u->refs++;
	fr_spin_unlock_irqrestore(&ep_users_lock, irq);
	fr_kfree(fresh);
	return u;
}

/* Drop an instance's reference to @u (its items are gone). */
static void ep_user_put(struct ep_user *u)
{
	unsigned long irq = fr_spin_lock_irqsave(&ep_users_lock);
	struct ep_user **l;

	if (--u->refs) {
		fr_spin_unlock_irqrestore(&ep_users_lock, irq);
		return;
	}
	for (l = &ep_users; *l != u; l = &(*l)->next)
		;
	*l = u->next;
	fr_spin_unlock_irqrestore(&ep_users_lock, irq);
	fr_kfree(u);
}

/* Count one more watch of @u: false when it has max_user_watches. */
static bool ep_user_charge(struct ep_user *u)
{
	long max = eventpoll_max_user_watches();
	unsigned long irq = fr_spin_lock_irqsave(&ep_users_lock);
	bool ok = u->watches < max;

	if (ok)
		u->watches++;
	fr_spin_unlock_irqrestore(&ep_users_lock, irq);
	return ok;
}

static void ep_user_uncharge(struct ep_user *u)
{
	unsigned long irq = fr_spin_lock_irqsave(&ep_users_lock);

	u->watches--;
	fr_spin_unlock_irqrestore(&ep_users_lock, irq);
}

/* ---- adding, changing, removing items [mtx] ---- */

static void ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	struct ep_hook *h;
	unsigned long irq;

	while ((h = epi->hooks)) {
		epi->hooks = h->next;
		fr_wait_del_callback(h->wq, &h->node);
		fr_kfree(h);
	}
	/* no hook runs any more: off the ready list for good */
	irq = fr_spin_lock_irqsave(&ep->lock);
	if (epi->ready)
		rd_del(ep, epi);
	fr_spin_unlock_irqrestore(&ep->lock, irq);
	ep_hash_del(ep, epi);
	link_del(epi);
	fr_kfree(epi);
	ep_user_uncharge(ep->user);
}

static int ep_insert(struct eventpoll *ep, const struct epoll_event *ev,
		     struct file *tf, int fd)
{
	struct epitem *epi;
	struct poll_table pt;
	unsigned revents;

	if (!ep_user_charge(ep->user))
		return -ENOSPC;
	epi = FR_NEW(struct epitem);
	if (!epi) {
		ep_user_uncharge(ep->user);
		return -ENOMEM;
	}
	epi->ep = ep;
	epi->file = tf;
	epi->fd = fd;
	epi->events = ev->events | EPOLLERR | EPOLLHUP;
	epi->data = ev->data;
	ep_hash_add(ep, epi);
	link_add(epi);
	/* hooks on the file's queues, then its state: no change is missed */
	poll_table_init_epoll(&pt, epi);
	revents = poll_file(&pt, tf) & epi->events;
	if (epi->hook_error) {
		ep_remove(ep, epi);
		return -ENOMEM;
	}
	if (revents)
		make_ready(ep, epi, false);
	return 0;
}

static int ep_modify(struct eventpoll *ep, struct epitem *epi,
		     const struct epoll_event *ev)
{
	unsigned long irq = fr_spin_lock_irqsave(&ep->lock);

	epi->events = ev->events | EPOLLERR | EPOLLHUP;
	fr_spin_unlock_irqrestore(&ep->lock, irq);
	epi->data = ev->data;
	/* ready already: report it (this re-arms a one-shot item too) */
	if (poll_file(NULL, epi->file) & epi->events)
		make_ready(ep, epi, false);
	return 0;
}

/* Remove every item (the instance goes).  [ep_global_lock] */
static void ep_clear(struct eventpoll *ep)
{
	fr_mutex_lock(&ep->mtx);
	for (size_t i = 0; i < ep->nbuckets; i++)
		while (ep->buckets[i])
			ep_remove(ep, ep->buckets[i]);
	fr_mutex_unlock(&ep->mtx);
}

void eventpoll_release(struct file *f)
{
	struct fr_mutex *global;

	/* nobody can add an item now: the file has no reference left */
	if (!__atomic_load_n(&f->ep_links, __ATOMIC_ACQUIRE))
		return;
	global = global_lock();
	fr_mutex_lock(global);
	for (;;) {
		struct eventpoll *ep;
		struct epitem *epi;

		fr_spin_lock(&ep_links_lock);
		epi = f->ep_links;
		fr_spin_unlock(&ep_links_lock);
		if (!epi)
			break;
		/* stays: only its instance's closing (excluded by the
		 * global lock) or this could remove it */
		ep = epi->ep;
		fr_mutex_lock(&ep->mtx);
		ep_remove(ep, epi);
		fr_mutex_unlock(&ep->mtx);
	}
	fr_mutex_unlock(global);
}

/* ---- loops ---- */

/*
 * Whether watching @to from @ep would close a loop or nest instances more
 * than EP_MAX_NESTS deep below @to, as Linux's ep_loop_check.  Visits each
 * instance once per check.  [ep_global_lock]
 */
static int loop_check(struct eventpoll *to, struct eventpoll *ep, int depth)
{
	int err = 0;

	fr_mutex_lock(&to->mtx);
	to->gen = ep_loop_gen;
	for (size_t i = 0; i < to->nbuckets && !err; i++) {
		for (struct epitem *epi = to->buckets[i]; epi && !err;
		     epi = epi->hash_next) {
			struct eventpoll *sub;

			if (!file_is_epoll(epi->file))
				continue;
			sub = epi->file->priv_ep;
			if (sub->gen == ep_loop_gen)
				continue;
			if (sub == ep || depth > EP_MAX_NESTS)
				err = -ELOOP;
			else
				err = loop_check(sub, ep, depth + 1);
		}
	}
	fr_mutex_unlock(&to->mtx);
	return err;
}

/* ---- epoll_ctl ---- */

int eventpoll_ctl(struct file *epf, int op, struct file *tf, int fd,
		  const struct epoll_event *ev)
{
	struct epoll_event none = { 0, 0 };
	struct fr_mutex *global = NULL;
	struct eventpoll *ep;
	struct epitem *epi;
	int err;

	if (!ev)
		ev = &none;
	if (!tf->fop || !tf->fop->poll)
		return -EPERM;
	if (epf == tf || !file_is_epoll(epf))
		return -EINVAL;
	/* hooks are made at EPOLL_CTL_ADD only, and not nested */
	if (op != EPOLL_CTL_DEL && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD &&
		    (file_is_epoll(tf) || (ev->events & ~EP_EXCLUSIVE_OK_BITS)))
			return -EINVAL;
	}
	ep = epf->priv_ep;
	if (op == EPOLL_CTL_ADD && file_is_epoll(tf)) {
		global = global_lock();
		fr_mutex_lock(global);
		ep_loop_gen++;
		err = loop_check(tf->priv_ep, ep, 0);
		if (err) {
			fr_mutex_unlock(global);
			return err;
		}
	}
	fr_mutex_lock(&ep->mtx);
	epi = ep_find(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		err = epi ? -EEXIST : ep_insert(ep, ev, tf, fd);
		break;
	case EPOLL_CTL_DEL:
		err = epi ? 0 : -ENOENT;
		if (epi)
			ep_remove(ep, epi);
		break;
	case EPOLL_CTL_MOD:
		if (!epi)
			err = -ENOENT;
		else if (epi->events & EPOLLEXCLUSIVE)
			err = -EINVAL;
		else
			err = ep_modify(ep, epi, ev);
		break;
	default:
		err = -EINVAL;
		break;
	}
	fr_mutex_unlock(&ep->mtx);
	if (global)
		fr_mutex_unlock(global);
	return err;
}

/* ---- epoll_wait ---- */

/*
 * Report up to @max ready items into @events: the number, or -EFAULT when
 * the first could not be written.  Looks at the items ready on entry
 * only; level-triggered ones go back at the tail.
 */
static long send_events(struct eventpoll *ep, const struct iobuf *events,
			int max)
{
	long done = 0;
	unsigned n;

	fr_mutex_lock(&ep->mtx);
	n = ready_count(ep);
	while (n-- && done < max) {
		struct epitem *epi = rd_pop(ep);
		struct epoll_event ev;
		unsigned long irq;
		uint32_t revents;

		if (!epi)
			break;
		/* off the list first: a wake-up from now on puts it back */
		revents = poll_file(NULL, epi->file) & epi->events;
		if (!revents)
			continue; /* woken, but nothing it waits for */
		ev.events = revents;
		ev.data = epi->data;
		if (iobuf_put(events, (size_t)done * sizeof(ev), &ev,
			      sizeof(ev))) {
			make_ready(ep, epi, true);
			if (!done)
				done = -EFAULT;
			break;
		}
		done++;
		irq = fr_spin_lock_irqsave(&ep->lock);
		if (epi->events & EPOLLONESHOT)
			epi->events &= EP_PRIVATE_BITS;
		else if (!(epi->events & EPOLLET) && !epi->ready)
			rd_add_tail(ep, epi);
		fr_spin_unlock_irqrestore(&ep->lock, irq);
	}
	fr_mutex_unlock(&ep->mtx);
	return done;
}

static bool has_ready(struct eventpoll *ep)
{
	return ready_count(ep) != 0;
}

long eventpoll_wait(struct file *epf, const struct iobuf *events,
		    int maxevents, uint64_t deadline_ns)
{
	struct eventpoll *ep = epf->priv_ep;
	long res;

	for (;;) {
		int err;

		res = send_events(ep, events, maxevents);
		if (res || !deadline_ns)
			break;
		err = KTIME_WAIT_EVENT(&ep->wq, has_ready(ep), deadline_ns);
		if (err == -ETIMEDOUT) {
			res = send_events(ep, events, maxevents);
			break;
		}
		if (err) {
			res = -EINTR; /* never restarted, as on Linux */
			break;
		}
	}
	/* items left (more than asked for, level-triggered ones, or a
	 * wake-up we took and leave): another waiter's turn */
	if (has_ready(ep))
		fr_wake_one(&ep->wq);
	return res;
}

/* ---- the epoll file ---- */

/* Readable when an item on the ready list has events. */
static unsigned eventpoll_poll(struct file *f, struct poll_table *pt)
{
	struct eventpoll *ep = f->priv_ep;
	unsigned mask = 0, n;

	poll_wait(pt, &ep->poll_wait);
	fr_mutex_lock(&ep->mtx);
	n = ready_count(ep);
	while (n--) {
		struct epitem *epi = rd_pop(ep);

		if (!epi)
			break;
		if (poll_file(NULL, epi->file) & epi->events) {
			/* it stays for epoll_wait, in its place */
			unsigned long irq = fr_spin_lock_irqsave(&ep->lock);

			if (!epi->ready)
				rd_add_head(ep, epi);
			fr_spin_unlock_irqrestore(&ep->lock, irq);
			mask = POLLIN | POLLRDNORM;
			break;
		}
	}
	fr_mutex_unlock(&ep->mtx);
	return mask;
}

static void eventpoll_file_release(struct file *f)
{
	struct eventpoll *ep = f->priv_ep;
	struct fr_mutex *global = global_lock();

	fr_mutex_lock(global);
	ep_clear(ep);
	fr_mutex_unlock(global);
	ep_user_put(ep->user);
	fr_kfree(ep->buckets);
	fr_kfree(ep);
}

/* One line per watched file, in Linux's format. */
static void eventpoll_show_fdinfo(struct file *f, struct proc_text *t)
{
	struct eventpoll *ep = f->priv_ep;

	fr_mutex_lock(&ep->mtx);
	for (size_t b = 0; b < ep->nbuckets; b++)
		for (struct epitem *epi = ep->buckets[b]; epi;
		     epi = epi->hash_next) {
			struct inode *inode = epi->file->inode;

			proc_printf(
				t,
				"tfd: %8d events: %8x data: %16llx  pos:%lld "
				"ino:%llx sdev:%x\n",
				epi->fd, epi->events,
				(unsigned long long)epi->data,
				(long long)__atomic_load_n(&epi->file->pos,
							   __ATOMIC_RELAXED),
				(unsigned long long)(inode ? inode->ino : 0),
				inode && inode->sb ? (unsigned)inode->sb->dev :
						     0u);
		}
	fr_mutex_unlock(&ep->mtx);
}

static const struct file_ops eventpoll_fops = {
	.release = eventpoll_file_release,
	.show_fdinfo = eventpoll_show_fdinfo,
	.poll = eventpoll_poll,
	.llseek = anon_inode_llseek,
};

struct file *eventpoll_create(uint32_t uid)
{
	struct eventpoll *ep = FR_NEW(struct eventpoll);
	struct file *f;

	if (!ep)
		return NULL;
	ep->buckets = FR_NEW_ARRAY(struct epitem *, EP_MIN_BUCKETS);
	ep->user = ep_user_get(uid);
	if (!ep->buckets || !ep->user) {
		if (ep->user)
			ep_user_put(ep->user);
		fr_kfree(ep->buckets);
		fr_kfree(ep);
		return NULL;
	}
	ep->nbuckets = EP_MIN_BUCKETS;
	fr_mutex_init(&ep->mtx);
	ep->lock = (struct fr_spinlock)FR_SPINLOCK_INIT;
	fr_waitqueue_init(&ep->wq);
	fr_waitqueue_init(&ep->poll_wait);
	f = anon_inode_file("[eventpoll]", &eventpoll_fops, 0);
	if (!f) {
		ep_user_put(ep->user);
		fr_kfree(ep->buckets);
		fr_kfree(ep);
		return NULL;
	}
	f->priv_ep = ep;
	return f;
}
